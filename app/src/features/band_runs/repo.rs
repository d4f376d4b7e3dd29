//! SQL for band runs: a draft's row, the one statement that computes its bands, publication and
//! discarding.

use chrono::NaiveDate;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::bands::{BandRule, PUBLISHED_SCALE};

/// Inserts a draft run; returns its id.
pub async fn insert_run(
    db: impl PgExecutor<'_>,
    code_level: i16,
    period_from: NaiveDate,
    period_to: NaiveDate,
    rule: &BandRule,
    base_currency: &str,
    computed_by: Option<Uuid>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO band_runs (code_level, period_from, period_to, iqr_factor, min_sample,
                                base_currency, computed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(code_level)
    .bind(period_from)
    .bind(period_to)
    .bind(rule.iqr_factor)
    .bind(rule.min_sample as i32)
    .bind(base_currency)
    .bind(computed_by)
    .fetch_one(db)
    .await
}

/// Computes and inserts the bands of run `run_id`; returns (keys seen, records used).
pub async fn insert_bands(
    db: impl PgExecutor<'_>,
    run_id: i64,
    code_level: i16,
    period_from: NaiveDate,
    period_to: NaiveDate,
    rule: &BandRule,
) -> Result<(i64, i64), sqlx::Error> {
    // One sort per key (ln is increasing, so the values sorted once serve the log quartiles
    // too); band_stats (migrations/…_bands.sql) does the rest for each key.
    sqlx::query_as(
        "WITH stats AS (
             SELECT left(tariff_code, $2) AS code, origin, band_unit AS unit,
                    band_stats(array_agg(unit_value ORDER BY unit_value), $5::float8, $6, $7) AS s
             FROM declaration_records
             WHERE declared_on BETWEEN $3 AND $4 AND length(tariff_code) >= $2
             GROUP BY 1, 2, 3
         ),
         inserted AS (
             INSERT INTO bands (run_id, tariff_code, origin, unit, n, n_trimmed,
                                p10, p25, median, p75, p90)
             SELECT $1, code, origin, unit, (s).n, (s).n_trimmed,
                    (s).p10, (s).p25, (s).median, (s).p75, (s).p90
             FROM stats WHERE (s).p10 IS NOT NULL
             RETURNING n
         )
         SELECT (SELECT count(*) FROM stats), coalesce((SELECT sum(n) FROM inserted), 0)::bigint",
    )
    .bind(run_id)
    .bind(i32::from(code_level))
    .bind(period_from)
    .bind(period_to)
    .bind(rule.iqr_factor)
    .bind(rule.min_sample as i32)
    .bind(PUBLISHED_SCALE as i32)
    .fetch_one(db)
    .await
}

pub async fn band_count(db: impl PgExecutor<'_>, run_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM bands WHERE run_id = $1")
        .bind(run_id)
        .fetch_one(db)
        .await
}

/// Stores a computed run's counts and time.
pub async fn set_summary(
    db: impl PgExecutor<'_>,
    run_id: i64,
    records_used: i64,
    bands_computed: i32,
    keys_too_few: i32,
    compute_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE band_runs SET records_used = $2, bands_computed = $3, keys_too_few = $4,
                              compute_ms = $5 WHERE id = $1",
    )
    .bind(run_id)
    .bind(records_used)
    .bind(bands_computed)
    .bind(keys_too_few)
    .bind(compute_ms)
    .execute(db)
    .await
    .map(drop)
}

/// Locks the runs against concurrent publication until the transaction ends.
pub async fn lock_runs(db: impl PgExecutor<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("LOCK TABLE band_runs IN SHARE ROW EXCLUSIVE MODE")
        .execute(db)
        .await
        .map(drop)
}

/// A run's status; `None` for an unknown run.
pub async fn status(db: impl PgExecutor<'_>, run_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT status FROM band_runs WHERE id = $1")
        .bind(run_id)
        .fetch_optional(db)
        .await
}

/// The latest effective date of a published run.
pub async fn latest_effective(db: impl PgExecutor<'_>) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar("SELECT max(effective_from) FROM band_runs WHERE status = 'published'")
        .fetch_one(db)
        .await
}

/// Publishes a draft; `false` when the run is not (or no longer) a draft.
pub async fn publish(
    db: impl PgExecutor<'_>,
    run_id: i64,
    effective_from: NaiveDate,
    published_by: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE band_runs SET status = 'published', effective_from = $2, published_at = now(),
                              published_by = $3
         WHERE id = $1 AND status = 'draft'",
    )
    .bind(run_id)
    .bind(effective_from)
    .bind(published_by)
    .execute(db)
    .await?;
    Ok(updated.rows_affected() != 0)
}

/// Discards a draft; `false` when the run is not a draft.
pub async fn discard(db: impl PgExecutor<'_>, run_id: i64) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("UPDATE band_runs SET status = 'discarded' WHERE id = $1 AND status = 'draft'")
            .bind(run_id)
            .execute(db)
            .await?;
    Ok(updated.rows_affected() == 1)
}
