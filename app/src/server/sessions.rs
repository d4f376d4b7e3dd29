//! Server-side sessions in PostgreSQL. The cookie carries a random token; the table keeps only
//! its SHA-256, so a database leak reveals no live session. (tower-sessions stores opaque blobs
//! keyed by id; listing and ending one person's sessions needs them by user, hence this table.)

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::settings::Settings;
use super::tokens;
use crate::policy::{Actor, OrgKind, Role};

/// The session behind a request's cookie, with the caller it belongs to.
#[derive(Clone, Debug)]
pub struct Session {
    pub token_hash: Vec<u8>,
    pub actor: Actor,
    pub email: String,
    pub full_name: String,
    pub organisation_name: String,
    pub acting_for_name: Option<String>,
}

/// Starts a session for `user_id` and returns the cookie's token.
pub async fn create(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    user_agent: &str,
    client_addr: &str,
) -> Result<String, sqlx::Error> {
    let token = tokens::new_secret();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, user_agent, client_addr) VALUES ($1, $2, $3, $4)")
        .bind(tokens::hash(&token))
        .bind(user_id)
        .bind(user_agent.chars().take(300).collect::<String>())
        .bind(client_addr)
        .execute(db)
        .await?;
    Ok(token)
}

/// Finds the live session for `token`, ends it if idle or too old, and marks it seen. A broker's
/// `acting_for` counts only while its mandate is in force, so a revocation bites on the next
/// request.
pub async fn resolve(
    pool: &PgPool,
    token: &str,
    settings: &Settings,
) -> Result<Option<Session>, sqlx::Error> {
    let token_hash = tokens::hash(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "UPDATE sessions s SET last_seen_at = now()
         FROM users u JOIN organisations o ON o.id = u.organisation_id
         WHERE s.token_hash = $1 AND u.id = s.user_id AND u.deactivated_at IS NULL
           AND s.last_seen_at > now() - make_interval(secs => $2)
           AND s.created_at > now() - make_interval(secs => $3)
         RETURNING u.id AS user_id, o.id AS org_id, o.kind, u.role, s.acting_for, u.email, u.full_name,
             o.name AS organisation_name, o.verification = 'verified' AS verified,
             (SELECT name FROM organisations a WHERE a.id = s.acting_for) AS acting_for_name,
             EXISTS (SELECT 1 FROM mandates m WHERE m.broker_id = o.id AND m.importer_id = s.acting_for
                     AND m.revoked_at IS NULL) AS mandate_in_force",
    )
    .bind(&token_hash)
    .bind(settings.session_idle.as_secs_f64())
    .bind(settings.session_absolute.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        // Expired or unknown: make sure an expired row does not linger.
        end(pool, token).await?;
        return Ok(None);
    };
    let (Some(org_kind), Some(role)) = (OrgKind::parse(&row.kind), Role::parse(&row.role)) else {
        return Ok(None);
    };
    Ok(Some(Session {
        token_hash,
        actor: Actor {
            user_id: row.user_id,
            org_id: row.org_id,
            org_kind,
            role,
            acting_for: row.acting_for.filter(|_| row.mandate_in_force),
            verified: row.verified,
        },
        email: row.email,
        full_name: row.full_name,
        organisation_name: row.organisation_name,
        acting_for_name: row.acting_for_name.filter(|_| row.mandate_in_force),
    }))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: Uuid,
    org_id: Uuid,
    kind: String,
    role: String,
    acting_for: Option<Uuid>,
    email: String,
    full_name: String,
    organisation_name: String,
    verified: bool,
    acting_for_name: Option<String>,
    mandate_in_force: bool,
}

/// Ends the session of `token` (sign-out).
pub async fn end(db: impl PgExecutor<'_>, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(tokens::hash(token))
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes sessions past their idle or absolute limit (they are refused anyway; this keeps the
/// table small). Returns how many went.
pub async fn delete_expired(
    db: impl PgExecutor<'_>,
    settings: &Settings,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "DELETE FROM sessions WHERE last_seen_at <= now() - make_interval(secs => $1)
            OR created_at <= now() - make_interval(secs => $2)",
    )
    .bind(settings.session_idle.as_secs_f64())
    .bind(settings.session_absolute.as_secs_f64())
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}
