//! Band computation inside PostgreSQL: one statement (`repo::insert_bands`) groups the records
//! of the period by key, finds the log-scale fences, keeps the values within them and takes the
//! exact percentiles (`band_percentile`, migrations/…_bands.sql). It implements the definition
//! in `domain::bands`; the tests hold the two equal.

use std::time::Instant;

use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

use super::repo;
use crate::domain::bands::BandRule;

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
    let run_id = repo::insert_run(
        &mut *tx,
        request.code_level,
        request.period_from,
        request.period_to,
        &request.rule,
        &request.base_currency,
        computed_by,
    )
    .await?;
    let (keys, records_used) = repo::insert_bands(
        &mut *tx,
        run_id,
        request.code_level,
        request.period_from,
        request.period_to,
        &request.rule,
    )
    .await?;
    let bands = repo::band_count(&mut *tx, run_id).await?;
    let compute_ms = started.elapsed().as_millis() as i64;
    repo::set_summary(
        &mut *tx,
        run_id,
        records_used,
        bands as i32,
        (keys - bands) as i32,
        compute_ms,
    )
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
    repo::lock_runs(&mut *tx).await?;
    let status = repo::status(&mut *tx, run_id).await?;
    if status.as_deref() != Some("draft") {
        return Ok(Err(PublishError::NotADraft));
    }
    let latest = repo::latest_effective(&mut *tx).await?;
    if let Some(latest) = latest.filter(|latest| *latest >= effective_from) {
        return Ok(Err(PublishError::NotAfter(latest)));
    }
    if !repo::publish(&mut *tx, run_id, effective_from, published_by).await? {
        return Ok(Err(PublishError::NotADraft));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Marks a draft as discarded (kept for the record, never published).
pub async fn discard_run(pool: &PgPool, run_id: i64) -> Result<bool, sqlx::Error> {
    repo::discard(pool, run_id).await
}
