//! SQL for API tokens.

use sqlx::PgPool;
use uuid::Uuid;

use super::ApiTokenView;

pub async fn list(pool: &PgPool, org: Uuid) -> Result<Vec<ApiTokenView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created_at,
                to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS last_used_at
         FROM api_tokens WHERE organisation_id = $1 AND revoked_at IS NULL ORDER BY created_at",
    )
    .bind(org)
    .fetch_all(pool)
    .await
}

pub async fn create(
    pool: &PgPool,
    org: Uuid,
    user: Uuid,
    name: &str,
    token_hash: &[u8],
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO api_tokens (id, organisation_id, created_by, name, token_hash)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(org)
    .bind(user)
    .bind(name)
    .bind(token_hash)
    .execute(pool)
    .await?;
    Ok(id)
}

/// Revokes a token of `org`; false when there is no such live token.
pub async fn revoke(pool: &PgPool, org: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = now()
         WHERE id = $1 AND organisation_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(org)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The organisation of a live token, noting its use.
pub async fn organisation_of(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE api_tokens SET last_used_at = now()
         WHERE token_hash = $1 AND revoked_at IS NULL RETURNING organisation_id",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}
