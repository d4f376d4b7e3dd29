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
use crate::server::audit::{self, AuditEvent};

/// Who acts, for the audit record each action writes in its own transaction: an administrator
/// signed in (`user`, from `client_addr`), or the command line and demo data (`user: None`).
#[derive(Clone, Copy, Debug)]
pub struct Doer<'a> {
    pub user: Option<Uuid>,
    pub client_addr: &'a str,
}

impl Doer<'static> {
    /// The server's command line (and tests standing in for it).
    pub const COMMAND_LINE: Doer<'static> = Doer {
        user: None,
        client_addr: "command line",
    };
}

impl<'a> Doer<'a> {
    fn event(&self, action: &'a str, run_id: i64) -> AuditEvent<'a> {
        AuditEvent::new(action, self.client_addr)
            .actor(self.user)
            .subject(format!("run {run_id}"))
    }
}

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

/// Computes a draft run, audited in the same transaction. Records whose code is shorter than
/// the level are left out.
pub async fn compute_run(
    pool: &PgPool,
    request: &RunRequest,
    by: Doer<'_>,
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
        by.user,
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
    audit::record(
        &mut *tx,
        by.event("bands.compute", run_id).detail(serde_json::json!({
            "bands": bands, "records": records_used, "from": request.period_from,
            "to": request.period_to, "level": request.code_level,
        })),
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
/// Audited in the same transaction.
pub async fn publish_run(
    pool: &PgPool,
    run_id: i64,
    effective_from: NaiveDate,
    by: Doer<'_>,
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
    if !repo::publish(&mut *tx, run_id, effective_from, by.user).await? {
        return Ok(Err(PublishError::NotADraft));
    }
    audit::record(
        &mut *tx,
        by.event("bands.publish", run_id)
            .detail(serde_json::json!({"effective_from": effective_from})),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Marks a draft as discarded (kept for the record, never published), audited in the same
/// transaction; false when it is not a draft.
pub async fn discard_run(pool: &PgPool, run_id: i64, by: Doer<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !repo::discard(&mut *tx, run_id).await? {
        return Ok(false);
    }
    audit::record(&mut *tx, by.event("bands.discard", run_id)).await?;
    tx.commit().await?;
    Ok(true)
}
