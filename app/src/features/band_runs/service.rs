//! Band computation inside PostgreSQL: one statement groups the records of the period by key,
//! finds the log-scale fences, keeps the values within them and takes the exact percentiles
//! (`band_percentile`, migrations/…_bands.sql). It implements the definition in
//! `domain::bands`; the tests hold the two equal.

use std::time::Instant;

use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::bands::{BandRule, PUBLISHED_SCALE};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRequest {
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// Digits of the tariff code a band is keyed on: 4, 6, 8 or 10.
    pub code_level: i16,
    pub rule: BandRule,
    pub base_currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSummary {
    pub run_id: i64,
    pub records_used: i64,
    pub bands_computed: i32,
    pub keys_too_few: i32,
    pub compute_ms: i64,
}

/// Computes a draft run. Records whose code is shorter than the level are left out.
pub async fn compute_run(
    pool: &PgPool,
    request: &RunRequest,
    computed_by: Option<Uuid>,
) -> Result<RunSummary, sqlx::Error> {
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO band_runs (code_level, period_from, period_to, iqr_factor, min_sample,
                                base_currency, computed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(request.code_level)
    .bind(request.period_from)
    .bind(request.period_to)
    .bind(request.rule.iqr_factor)
    .bind(request.rule.min_sample as i32)
    .bind(&request.base_currency)
    .bind(computed_by)
    .fetch_one(&mut *tx)
    .await?;
    // One sort per key (ln is increasing, so the values sorted once serve the log quartiles
    // too); band_stats (migrations/…_bands.sql) does the rest for each key.
    let (keys, records_used): (i64, i64) = sqlx::query_as(
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
    .bind(i32::from(request.code_level))
    .bind(request.period_from)
    .bind(request.period_to)
    .bind(request.rule.iqr_factor)
    .bind(request.rule.min_sample as i32)
    .bind(PUBLISHED_SCALE as i32)
    .fetch_one(&mut *tx)
    .await?;
    let bands: i64 = sqlx::query_scalar("SELECT count(*) FROM bands WHERE run_id = $1")
        .bind(run_id)
        .fetch_one(&mut *tx)
        .await?;
    let compute_ms = started.elapsed().as_millis() as i64;
    sqlx::query(
        "UPDATE band_runs SET records_used = $2, bands_computed = $3, keys_too_few = $4,
                              compute_ms = $5 WHERE id = $1",
    )
    .bind(run_id)
    .bind(records_used)
    .bind(bands as i32)
    .bind((keys - bands) as i32)
    .bind(compute_ms)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(RunSummary {
        run_id,
        records_used,
        bands_computed: bands as i32,
        keys_too_few: (keys - bands) as i32,
        compute_ms,
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum PublishError {
    /// The run is not a draft (published or discarded already, or unknown).
    NotADraft,
    /// Versions take effect in order: this date is not after the latest published one.
    NotAfter(NaiveDate),
}

/// Publishes a draft run from `effective_from`, which must come after every published version's
/// (so what was in force on a past date never changes). Checks that the date is not in the past
/// are the caller's (the administrator's page); demo data publishes back-dated versions.
pub async fn publish_run(
    pool: &PgPool,
    run_id: i64,
    effective_from: NaiveDate,
    published_by: Option<Uuid>,
) -> Result<Result<(), PublishError>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // One publication at a time, so two administrators cannot interleave effective dates.
    sqlx::query("LOCK TABLE band_runs IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM band_runs WHERE id = $1")
        .bind(run_id)
        .fetch_optional(&mut *tx)
        .await?;
    if status.as_deref() != Some("draft") {
        return Ok(Err(PublishError::NotADraft));
    }
    let latest: Option<NaiveDate> =
        sqlx::query_scalar("SELECT max(effective_from) FROM band_runs WHERE status = 'published'")
            .fetch_one(&mut *tx)
            .await?;
    if let Some(latest) = latest.filter(|latest| *latest >= effective_from) {
        return Ok(Err(PublishError::NotAfter(latest)));
    }
    let updated = sqlx::query(
        "UPDATE band_runs SET status = 'published', effective_from = $2, published_at = now(),
                              published_by = $3
         WHERE id = $1 AND status = 'draft'",
    )
    .bind(run_id)
    .bind(effective_from)
    .bind(published_by)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(Err(PublishError::NotADraft));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Marks a draft as discarded (kept for the record, never published).
pub async fn discard_run(pool: &PgPool, run_id: i64) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("UPDATE band_runs SET status = 'discarded' WHERE id = $1 AND status = 'draft'")
            .bind(run_id)
            .execute(pool)
            .await?;
    Ok(updated.rows_affected() == 1)
}
