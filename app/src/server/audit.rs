//! The append-only audit trail (the database refuses UPDATE and DELETE on it).

use serde_json::Value;
use sqlx::PgExecutor;
use uuid::Uuid;

/// One audited event.
pub struct AuditEvent<'a> {
    pub action: &'a str,
    pub actor_id: Option<Uuid>,
    pub acting_for: Option<Uuid>,
    pub subject: Option<String>,
    pub client_addr: &'a str,
    pub detail: Value,
}

pub async fn record(db: impl PgExecutor<'_>, event: AuditEvent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (action, actor_id, acting_for, subject, client_addr, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event.action)
    .bind(event.actor_id)
    .bind(event.acting_for)
    .bind(event.subject)
    .bind(event.client_addr)
    .bind(event.detail)
    .execute(db)
    .await?;
    Ok(())
}
