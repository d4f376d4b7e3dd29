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

impl<'a> AuditEvent<'a> {
    /// An event with no actor, organisation, subject or detail yet.
    pub fn new(action: &'a str, client_addr: &'a str) -> AuditEvent<'a> {
        AuditEvent {
            action,
            actor_id: None,
            acting_for: None,
            subject: None,
            client_addr,
            detail: Value::Object(Default::default()),
        }
    }

    pub fn actor(self, actor_id: Option<Uuid>) -> Self {
        AuditEvent { actor_id, ..self }
    }

    pub fn acting_for(self, acting_for: Option<Uuid>) -> Self {
        AuditEvent { acting_for, ..self }
    }

    pub fn subject(self, subject: impl Into<String>) -> Self {
        AuditEvent {
            subject: Some(subject.into()),
            ..self
        }
    }

    pub fn detail(self, detail: Value) -> Self {
        AuditEvent { detail, ..self }
    }
}

/// A stand-in for `text` that does not reveal it: its HMAC-SHA-256 under the server's audit key
/// (kept in `server_keys`), in hex. The same text always gives the same stand-in.
pub async fn keyed_hash(db: impl PgExecutor<'_>, text: &str) -> Result<String, sqlx::Error> {
    use hmac::{Hmac, Mac};
    let key: Vec<u8> = sqlx::query_scalar("SELECT key FROM server_keys WHERE name = 'audit'")
        .fetch_one(db)
        .await?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key)
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    mac.update(text.as_bytes());
    Ok(mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
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
