//! SQL for API tokens.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::ApiTokenView;

pub async fn list(pool: &PgPool, org: Uuid) -> Result<Vec<ApiTokenView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created_at,
                to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS last_used_at,
                to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS expires_at,
                expires_at <= now() AS expired
         FROM api_tokens WHERE organisation_id = $1 AND revoked_at IS NULL ORDER BY created_at",
    )
    .bind(org)
    .fetch_all(pool)
    .await
}

/// A new token of `org` made by `user`.
pub struct NewToken<'a> {
    pub org: Uuid,
    pub user: Uuid,
    pub name: &'a str,
    pub token_hash: &'a [u8],
    pub valid_days: u32,
}

pub async fn create(db: impl PgExecutor<'_>, token: NewToken<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO api_tokens (id, organisation_id, created_by, name, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))",
    )
    .bind(id)
    .bind(token.org)
    .bind(token.user)
    .bind(token.name)
    .bind(token.token_hash)
    .bind(token.valid_days as i32)
    .execute(db)
    .await?;
    Ok(id)
}

/// Revokes a token of `org`; false when there is no such live token.
pub async fn revoke(db: impl PgExecutor<'_>, org: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = now()
         WHERE id = $1 AND organisation_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(org)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The organisation of a live (unrevoked, unexpired) token, its expiry, and whether its last use
/// was noted more than a minute ago (or never).
pub async fn organisation_of(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<(Uuid, chrono::DateTime<chrono::Utc>, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT organisation_id, expires_at,
                coalesce(last_used_at < now() - interval '1 minute', true) AS stale
         FROM api_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// Notes that the token was used now.
pub async fn note_use(pool: &PgPool, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}
