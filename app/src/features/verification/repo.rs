//! SQL for organisations' verification and their evidence.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::EvidenceView;

/// An organisation as the verification sees it.
#[derive(sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub tax_id: String,
    pub verification: String,
    pub verification_reason: Option<String>,
    pub registered_on: String,
}

const ORGANISATION_COLUMNS: &str = "id, kind, name, tax_id, verification, verification_reason,
    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS registered_on";

pub async fn organisation(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<OrganisationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Trader organisations not verified, the pending ones first (oldest first), at most `limit`.
pub async fn unverified(pool: &PgPool, limit: i64) -> Result<Vec<OrganisationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations
         WHERE verification <> 'verified' AND kind <> 'customs'
         ORDER BY verification <> 'pending', created_at LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The evidence of `org`, oldest first.
pub async fn evidence_of(
    db: impl PgExecutor<'_>,
    org: Uuid,
) -> Result<Vec<EvidenceView>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT id, file_name, to_char(uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
         FROM organisation_evidence WHERE organisation_id = $1 ORDER BY uploaded_at, id",
    )
    .bind(org)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, file_name, uploaded_at)| EvidenceView {
            id,
            file_name,
            uploaded_at,
        })
        .collect())
}

/// The active administrators' addresses of `org`.
pub async fn administrator_emails(
    db: impl PgExecutor<'_>,
    org: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT email FROM users
         WHERE organisation_id = $1 AND role = 'org_admin' AND deactivated_at IS NULL
         ORDER BY email",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

pub struct NewEvidence<'a> {
    pub id: Uuid,
    pub org: Uuid,
    pub blob_id: Uuid,
    pub file_name: &'a str,
    pub uploaded_by: Uuid,
}

/// Records the evidence and puts the organisation (unless verified) in the queue.
pub async fn add_evidence(
    tx: &mut sqlx::PgConnection,
    evidence: &NewEvidence<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisation_evidence (id, organisation_id, blob_id, file_name, uploaded_by)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(evidence.id)
    .bind(evidence.org)
    .bind(evidence.blob_id)
    .bind(evidence.file_name)
    .bind(evidence.uploaded_by)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE organisations SET verification = 'pending'
         WHERE id = $1 AND verification IN ('unverified', 'rejected')",
    )
    .bind(evidence.org)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Decides on a pending organisation: `verified`, or `rejected` with `reason`. `None` when it
/// is not pending. Verifying fails with a unique violation when another organisation holds its
/// tax id verified.
pub async fn decide(
    db: impl PgExecutor<'_>,
    org: Uuid,
    verified: bool,
    reason: Option<&str>,
    by: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE organisations
         SET verification = CASE WHEN $2 THEN 'verified' ELSE 'rejected' END,
             verification_reason = $3, verification_decided_at = now(),
             verification_decided_by = $4
         WHERE id = $1 AND verification = 'pending' RETURNING name",
    )
    .bind(org)
    .bind(verified)
    .bind(reason)
    .bind(by)
    .fetch_optional(db)
    .await
}

/// The stored file of an evidence document, with its organisation and name.
pub async fn evidence(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<(Uuid, Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT organisation_id, blob_id, file_name FROM organisation_evidence WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}
