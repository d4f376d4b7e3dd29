//! SQL for published bands: in force on a date, history, the tariff search, draft comparison.

use chrono::NaiveDate;
use sqlx::PgPool;

use super::{BandComparison, BandFilter, PublishedBand, RunView, TariffHit, TariffLineView};
use crate::domain::search::TariffQuery;

const BAND_COLUMNS: &str = "b.tariff_code, b.origin::text AS origin, c.name_es AS origin_name_es,
    c.name_en AS origin_name_en, b.unit, r.base_currency::text AS currency, b.n, b.n_trimmed,
    b.p10, b.p25, b.median, b.p75, b.p90, r.period_from, r.period_to, r.effective_from,
    r.id AS version";

/// The codes a band may be keyed on for `code`: itself and its shorter HS/national levels.
fn levels_of(code: &str) -> Vec<String> {
    [2, 4, 6, 8, 10]
        .into_iter()
        .filter(|len| *len <= code.len())
        .map(|len| code[..len].to_string())
        .collect()
}

/// The exclusive upper bound of codes starting with `prefix` (byte order, as the column's
/// "C" collation sorts): the last digit moves up by one ("0703" → "0704", "0709" → "070:").
fn prefix_end(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last += 1;
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// The published version in force on `as_of`, if any.
pub async fn run_in_force(pool: &PgPool, as_of: NaiveDate) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM band_runs WHERE status = 'published' AND effective_from <= $1
         ORDER BY effective_from DESC LIMIT 1",
    )
    .bind(as_of)
    .fetch_optional(pool)
    .await
}

/// Every published run, newest in force first: (id, in force from).
pub async fn published_runs(pool: &PgPool) -> Result<Vec<(i64, NaiveDate)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, effective_from FROM band_runs WHERE status = 'published'
         ORDER BY effective_from DESC, id DESC",
    )
    .fetch_all(pool)
    .await
}

/// The bands of run `run` for `origin` keyed on `code` itself or one of its shorter levels:
/// what a check of `code` compares against.
pub async fn for_code(
    pool: &PgPool,
    run: i64,
    code: &str,
    origin: &str,
) -> Result<Vec<PublishedBand>, sqlx::Error> {
    let mut codes = levels_of(code);
    codes.push(code.to_string());
    sqlx::query_as(&format!(
        "SELECT {BAND_COLUMNS}
         FROM bands b JOIN band_runs r ON r.id = b.run_id LEFT JOIN countries c ON c.alpha2 = b.origin
         WHERE b.run_id = $1 AND b.tariff_code = ANY($2) AND b.origin = $3::bpchar
         ORDER BY b.tariff_code, b.unit"
    ))
    .bind(run)
    .bind(codes)
    .bind(origin)
    .fetch_all(pool)
    .await
}

/// Bands in force on `as_of` matching `filter`, ordered by key, `limit` after the key `after`.
/// The `hs` filter matches bands under the code and the band whose code contains it (a
/// national 10-digit line finds its HS6 band). Only the filters given become conditions, each
/// written so the primary key serves it: the version is a constant, codes under `hs` a range
/// (not `LIKE` on a parameter), the shorter levels a separate branch (an `OR` would make
/// PostgreSQL walk the whole version), and `origin` stays `bpchar`.
pub async fn in_force(
    pool: &PgPool,
    filter: &BandFilter,
    as_of: NaiveDate,
    after: Option<(String, String, String)>,
    limit: i64,
) -> Result<Vec<PublishedBand>, sqlx::Error> {
    let Some(run) = run_in_force(pool, as_of).await? else {
        return Ok(Vec::new());
    };
    let branch = |query: &mut sqlx::QueryBuilder<'_, sqlx::Postgres>,
                  codes: Option<(&str, bool)>| {
        query.push(format!(
            "(SELECT {BAND_COLUMNS}
              FROM bands b JOIN band_runs r ON r.id = b.run_id
              LEFT JOIN countries c ON c.alpha2 = b.origin
              WHERE b.run_id = "
        ));
        query.push_bind(run);
        match codes {
            Some((hs, true)) => {
                query.push(" AND b.tariff_code >= ");
                query.push_bind(hs.to_string());
                query.push(" AND b.tariff_code < ");
                query.push_bind(prefix_end(hs));
            }
            Some((hs, false)) => {
                let shorter: Vec<String> = levels_of(hs)
                    .into_iter()
                    .filter(|l| l.len() < hs.len())
                    .collect();
                query.push(" AND b.tariff_code = ANY(");
                query.push_bind(shorter);
                query.push(")");
            }
            None => {}
        }
        if let Some(origin) = &filter.origin {
            query.push(" AND b.origin = ");
            query.push_bind(origin.clone());
            query.push("::bpchar");
        }
        if let Some(unit) = &filter.unit {
            query.push(" AND b.unit = ");
            query.push_bind(unit.clone());
        }
        if let Some((code, origin, unit)) = &after {
            query.push(" AND (b.tariff_code, b.origin, b.unit) > (");
            query.push_bind(code.clone());
            query.push(", ");
            query.push_bind(origin.clone());
            query.push("::bpchar, ");
            query.push_bind(unit.clone());
            query.push(")");
        }
        query.push(" ORDER BY b.tariff_code, b.origin, b.unit LIMIT ");
        query.push_bind(limit);
        query.push(")");
    };
    let mut query = sqlx::QueryBuilder::new("SELECT * FROM ");
    match &filter.hs {
        None => {
            branch(&mut query, None);
            query.push(" AS bands");
        }
        Some(hs) => {
            query.push("(");
            branch(&mut query, Some((hs, true)));
            query.push(" UNION ALL ");
            branch(&mut query, Some((hs, false)));
            query.push(") AS bands ORDER BY tariff_code, origin, unit LIMIT ");
            query.push_bind(limit);
        }
    }
    query.build_query_as().fetch_all(pool).await
}

/// One key's band in force on `as_of`.
pub async fn one_in_force(
    pool: &PgPool,
    code: &str,
    origin: &str,
    unit: &str,
    as_of: NaiveDate,
) -> Result<Option<PublishedBand>, sqlx::Error> {
    sqlx::query_as(&format!(
        "WITH r AS (SELECT * FROM band_runs WHERE status = 'published' AND effective_from <= $1
                    ORDER BY effective_from DESC LIMIT 1)
         SELECT {BAND_COLUMNS}
         FROM r JOIN bands b ON b.run_id = r.id LEFT JOIN countries c ON c.alpha2 = b.origin
         WHERE b.tariff_code = $2 AND b.origin = $3::bpchar AND b.unit = $4"
    ))
    .bind(as_of)
    .bind(code)
    .bind(origin)
    .bind(unit)
    .fetch_optional(pool)
    .await
}

/// Every published version of one key's band, the newest effective date first (future ones
/// included: they are announced).
pub async fn history(
    pool: &PgPool,
    code: &str,
    origin: &str,
    unit: &str,
) -> Result<Vec<PublishedBand>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BAND_COLUMNS}
         FROM band_runs r JOIN bands b ON b.run_id = r.id LEFT JOIN countries c ON c.alpha2 = b.origin
         WHERE r.status = 'published' AND b.tariff_code = $1 AND b.origin = $2::bpchar AND b.unit = $3
         ORDER BY r.effective_from DESC"
    ))
    .bind(code)
    .bind(origin)
    .bind(unit)
    .fetch_all(pool)
    .await
}

/// Tariff lines matching the query, with how many bands in force concern each.
pub async fn search(
    pool: &PgPool,
    query: &TariffQuery,
    as_of: NaiveDate,
    limit: i64,
) -> Result<Vec<TariffHit>, sqlx::Error> {
    let (prefix, patterns): (Option<String>, Vec<String>) = match query {
        TariffQuery::CodePrefix(prefix) => (Some(prefix.clone()), Vec::new()),
        TariffQuery::Words(words) => (
            None,
            words
                .iter()
                .map(|w| format!("%{}%", w.replace(['%', '_', '\\'], "")))
                .collect(),
        ),
    };
    sqlx::query_as(
        r#"WITH r AS (SELECT id FROM band_runs WHERE status = 'published' AND effective_from <= $1
                    ORDER BY effective_from DESC LIMIT 1),
         hits AS (
             SELECT code, description_es, description_en FROM tariff_lines
             WHERE ($2::text IS NOT NULL AND code LIKE $2 || '%')
                OR ($2::text IS NULL AND search_text LIKE ALL ($3))
             ORDER BY code LIMIT $4
         )
         SELECT h.code, h.description_es, h.description_en,
                -- Two counts, each walking the primary key (an OR of both would scan the
                -- whole version): the shorter codes containing the line, then the line
                -- and the codes under it.
                (SELECT count(*) FROM r JOIN bands b ON b.run_id = r.id
                 WHERE b.tariff_code IN (left(h.code, 2), left(h.code, 4), left(h.code, 6),
                                         left(h.code, 8))
                   AND length(b.tariff_code) < length(h.code))
                + (SELECT count(*) FROM r JOIN bands b ON b.run_id = r.id
                   WHERE b.tariff_code >= h.code COLLATE "C"
                     AND b.tariff_code < (h.code || 'ÿ') COLLATE "C") AS bands
         FROM hits h ORDER BY h.code"#,
    )
    .bind(as_of)
    .bind(prefix)
    .bind(&patterns)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A tariff line with its parents' codes and descriptions, most general first.
pub async fn tariff_line(pool: &PgPool, code: &str) -> Result<Vec<TariffLineView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT code, description_es, description_en FROM tariff_lines
         WHERE code = ANY($1) ORDER BY length(code)",
    )
    .bind(levels_of(code))
    .fetch_all(pool)
    .await
}

pub async fn runs(pool: &PgPool) -> Result<Vec<RunView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, code_level, period_from, period_to, records_used, bands_computed,
                keys_too_few, compute_ms, computed_at::text AS computed_at, effective_from
         FROM band_runs ORDER BY id DESC LIMIT 50",
    )
    .fetch_all(pool)
    .await
}

pub async fn run(pool: &PgPool, id: i64) -> Result<Option<RunView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, code_level, period_from, period_to, records_used, bands_computed,
                keys_too_few, compute_ms, computed_at::text AS computed_at, effective_from
         FROM band_runs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// A draft's bands beside the bands in force today for the same keys, largest median move
/// first (new and withdrawn keys included), optionally under a code prefix.
pub async fn compare(
    pool: &PgPool,
    run_id: i64,
    today: NaiveDate,
    code_prefix: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<BandComparison>, sqlx::Error> {
    sqlx::query_as(
        "WITH cur AS (SELECT id FROM band_runs WHERE status = 'published' AND effective_from <= $2
                      ORDER BY effective_from DESC LIMIT 1),
         old AS (SELECT b.* FROM bands b JOIN cur ON b.run_id = cur.id
                 WHERE $3::text IS NULL OR b.tariff_code LIKE $3 || '%'),
         new AS (SELECT * FROM bands WHERE run_id = $1
                 AND ($3::text IS NULL OR tariff_code LIKE $3 || '%'))
         SELECT coalesce(new.tariff_code, old.tariff_code) AS tariff_code,
                coalesce(new.origin, old.origin)::text AS origin,
                coalesce(new.unit, old.unit) AS unit,
                new.n AS new_n, new.p10 AS new_p10, new.median AS new_median, new.p90 AS new_p90,
                old.n AS old_n, old.p10 AS old_p10, old.median AS old_median, old.p90 AS old_p90,
                round(100 * (new.median - old.median) / old.median, 1) AS median_change_pct
         FROM new FULL JOIN old USING (tariff_code, origin, unit)
         ORDER BY abs(coalesce(new.median - old.median, 1e30) / coalesce(old.median, 1)) DESC,
                  1, 2, 3
         LIMIT $4 OFFSET $5",
    )
    .bind(run_id)
    .bind(today)
    .bind(code_prefix)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}
