//! SQL for batch checks.

use serde_json::Value;
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

use super::service::LineResult;
use super::{BatchLineView, BatchSummary};
use crate::domain::engine::Level;
use crate::features::check::{CheckForm, CheckOutcome};

pub struct NewBatch<'a> {
    pub reference: &'a str,
    pub owner: Uuid,
    pub created_by: Uuid,
    pub file_name: &'a str,
    pub results: &'a [LineResult],
}

/// Saves the batch, all its lines and the audit record of the upload in one transaction.
pub async fn insert(
    pool: &PgPool,
    batch: &NewBatch<'_>,
    audit: crate::server::audit::AuditEvent<'_>,
) -> Result<(), sqlx::Error> {
    let id = Uuid::new_v4();
    let errors = batch.results.iter().filter(|r| r.result.is_err()).count();
    let mut line_nos = Vec::with_capacity(batch.results.len());
    let mut answers = Vec::with_capacity(batch.results.len());
    let mut outcomes = Vec::with_capacity(batch.results.len());
    let mut problems = Vec::with_capacity(batch.results.len());
    for r in batch.results {
        line_nos.push(r.line as i32);
        answers.push(serde_json::to_value(&r.form).unwrap_or(Value::Null));
        match &r.result {
            Ok(outcome) => {
                outcomes.push(serde_json::to_value(outcome).ok());
                problems.push(None);
            }
            Err(list) => {
                outcomes.push(None);
                problems.push(serde_json::to_value(list).ok());
            }
        }
    }
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO check_batches (id, reference, owner_id, created_by, file_name, line_count, error_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(batch.reference)
    .bind(batch.owner)
    .bind(batch.created_by)
    .bind(batch.file_name)
    .bind(batch.results.len() as i32)
    .bind(errors as i32)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO check_batch_lines (batch_id, line_no, answers, outcome, errors)
         SELECT $1, * FROM unnest($2::int[], $3::jsonb[], $4::jsonb[], $5::jsonb[])",
    )
    .bind(id)
    .bind(&line_nos)
    .bind(&answers)
    .bind(&outcomes)
    .bind(&problems)
    .execute(&mut *tx)
    .await?;
    crate::server::audit::record(&mut *tx, audit).await?;
    tx.commit().await?;
    Ok(())
}

const SUMMARY_COLUMNS: &str = "b.id, b.reference, b.file_name,
    to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), u.full_name,
    b.line_count, b.error_count";

/// Lines checked per level: it reads every line's outcome, so only for one batch's page.
const LEVEL_COUNTS: &str =
    "(SELECT coalesce(jsonb_agg(jsonb_build_array(level, n) ORDER BY level), '[]')
       FROM (SELECT l.outcome->'position'->>'level' AS level, count(*) AS n
             FROM check_batch_lines l WHERE l.batch_id = b.id AND l.outcome IS NOT NULL
             GROUP BY 1) per_level)";

type SummaryRow = (
    Uuid,
    String,
    String,
    String,
    String,
    i32,
    i32,
    Json<Vec<(String, i64)>>,
);

fn summary(
    (id, reference, file_name, created_at, created_by, line_count, error_count, Json(levels)): SummaryRow,
) -> (Uuid, BatchSummary) {
    let mut levels: Vec<(Level, i64)> = levels
        .into_iter()
        .filter_map(|(code, n)| Some((Level::parse(&code)?, n)))
        .collect();
    levels.sort_by_key(|(level, _)| Level::ALL.iter().position(|l| l == level));
    (
        id,
        BatchSummary {
            reference,
            file_name,
            created_at,
            created_by,
            line_count,
            error_count,
            levels,
        },
    )
}

pub async fn list(pool: &PgPool, owner: Uuid) -> Result<Vec<BatchSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT {SUMMARY_COLUMNS}, '[]'::jsonb FROM check_batches b JOIN users u ON u.id = b.created_by
         WHERE b.owner_id = $1 ORDER BY b.created_at DESC LIMIT 20"
    ))
    .bind(owner)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| summary(r).1).collect())
}

pub async fn find(
    pool: &PgPool,
    owner: Uuid,
    reference: &str,
) -> Result<Option<(Uuid, BatchSummary)>, sqlx::Error> {
    let row: Option<SummaryRow> = sqlx::query_as(&format!(
        "SELECT {SUMMARY_COLUMNS}, {LEVEL_COUNTS} FROM check_batches b JOIN users u ON u.id = b.created_by
         WHERE b.owner_id = $1 AND b.reference = $2"
    ))
    .bind(owner)
    .bind(reference)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(summary))
}

/// A stored line, as saved.
pub struct StoredLine {
    pub line: i32,
    pub answers: CheckForm,
    pub outcome: Option<CheckOutcome>,
    pub errors: Vec<(String, String)>,
}

impl StoredLine {
    pub fn view(self) -> BatchLineView {
        let o = self.outcome.as_ref();
        BatchLineView {
            line: self.line,
            hs: self.answers.hs,
            origin: self.answers.origin,
            currency: o.map(|o| o.base_currency.clone()).unwrap_or_default(),
            customs_value: o.map(|o| o.valuation.customs_value),
            unit_value: o.map(|o| o.valuation.unit_value),
            unit: o.map(|o| o.valuation.band_unit.clone()).unwrap_or_default(),
            level: o.map(|o| o.position.level),
            percentile: o.and_then(|o| o.position.percentile),
            errors: self.errors,
        }
    }
}

type LineRow = (
    i32,
    Json<CheckForm>,
    Option<Json<CheckOutcome>>,
    Option<Json<Vec<(String, String)>>>,
);

/// Lines in file order, `limit` from `offset` (all of them with `i64::MAX`).
pub async fn lines(
    pool: &PgPool,
    batch: Uuid,
    offset: i64,
    limit: i64,
) -> Result<Vec<StoredLine>, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT line_no, answers, outcome, errors FROM check_batch_lines
         WHERE batch_id = $1 ORDER BY line_no OFFSET $2 LIMIT $3",
    )
    .bind(batch)
    .bind(offset)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(line, Json(answers), outcome, errors)| StoredLine {
            line,
            answers,
            outcome: outcome.map(|Json(o)| o),
            errors: errors.map(|Json(e)| e).unwrap_or_default(),
        })
        .collect())
}
