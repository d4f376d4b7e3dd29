//! SQL for organisations, users and one-time links.

use sqlx::{PgConnection, PgExecutor, Postgres, Transaction};
use uuid::Uuid;

use crate::server::tokens;

pub struct NewOrganisation<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub tax_id_scheme: &'a str,
    pub tax_id: &'a str,
    /// Made by the command line or demo data (verified), or by a public registration (not).
    pub verified: bool,
    /// Made while the server runs in demo mode.
    pub demo: bool,
}

/// Inserts the organisation; `None` when it is to be verified and an organisation holds its tax
/// id verified already (unverified registrations of one tax id may wait side by side).
pub async fn insert_organisation(
    tx: &mut Transaction<'_, Postgres>,
    org: NewOrganisation<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO organisations (kind, name, tax_id_scheme, tax_id, verification, demo)
         VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN 'verified' ELSE 'unverified' END, $6)
         ON CONFLICT (tax_id_scheme, tax_id) WHERE verification = 'verified' DO NOTHING
         RETURNING id",
    )
    .bind(org.kind)
    .bind(org.name)
    .bind(org.tax_id_scheme)
    .bind(org.tax_id)
    .bind(org.verified)
    .bind(org.demo)
    .fetch_optional(&mut **tx)
    .await
}

/// The organisation holding this tax id verified, and its kind.
pub async fn verified_holder(
    db: impl PgExecutor<'_>,
    scheme: &str,
    tax_id: &str,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind FROM organisations
         WHERE tax_id_scheme = $1 AND tax_id = $2 AND verification = 'verified'",
    )
    .bind(scheme)
    .bind(tax_id)
    .fetch_optional(db)
    .await
}

/// The addresses and languages of the people who answer for `org`: its administrators (a
/// customs organisation's valuation administrators), active ones only.
pub async fn administrators_of(
    db: impl PgExecutor<'_>,
    org: Uuid,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, lang FROM users
         WHERE organisation_id = $1 AND deactivated_at IS NULL
           AND role IN ('org_admin', 'valuation_admin')
         ORDER BY email",
    )
    .bind(org)
    .fetch_all(db)
    .await
}

pub struct NewUser<'a> {
    pub organisation_id: Uuid,
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub lang: &'a str,
    pub verified: bool,
}

/// Inserts the user unless the email exists; `None` means it exists.
pub async fn insert_user(
    db: impl PgExecutor<'_>,
    user: NewUser<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (organisation_id, email, full_name, role, password_hash, lang, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(user.organisation_id)
    .bind(user.email)
    .bind(user.full_name)
    .bind(user.role)
    .bind(user.password_hash)
    .bind(user.lang)
    .bind(user.verified)
    .fetch_optional(db)
    .await
}

pub struct Credentials {
    pub user_id: Uuid,
    pub password_hash: String,
    pub verified: bool,
}

pub async fn credentials(
    db: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    let row: Option<(Uuid, String, bool)> = sqlx::query_as(
        "SELECT id, password_hash, email_verified_at IS NOT NULL FROM users
         WHERE email = $1 AND deactivated_at IS NULL",
    )
    .bind(email)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(user_id, password_hash, verified)| Credentials {
        user_id,
        password_hash,
        verified,
    }))
}

/// Creates a single-use link token for `purpose`, valid for `ttl_secs`; returns the secret.
pub async fn create_token(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    purpose: &str,
    ttl_secs: f64,
) -> Result<String, sqlx::Error> {
    let secret = tokens::new_secret();
    sqlx::query(
        "INSERT INTO one_time_tokens (token_hash, user_id, purpose, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
    )
    .bind(tokens::hash(&secret))
    .bind(user_id)
    .bind(purpose)
    .bind(ttl_secs)
    .execute(db)
    .await?;
    Ok(secret)
}

/// Uses the token once: returns its user if it was unused, unexpired and for `purpose`.
pub async fn use_token(
    db: impl PgExecutor<'_>,
    secret: &str,
    purpose: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE one_time_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
         RETURNING user_id",
    )
    .bind(tokens::hash(secret))
    .bind(purpose)
    .fetch_optional(db)
    .await
}

/// Whether the token would be accepted by [`use_token`] now (it is not spent by asking).
pub async fn token_usable(
    db: impl PgExecutor<'_>,
    secret: &str,
    purpose: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM one_time_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now())",
    )
    .bind(tokens::hash(secret))
    .bind(purpose)
    .fetch_one(db)
    .await
}

/// Spends every outstanding `purpose` token of the user (a new password makes old reset links
/// worthless); returns how many.
pub async fn spend_tokens(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    purpose: &str,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE one_time_tokens SET used_at = now()
         WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()",
    )
    .bind(user_id)
    .bind(purpose)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

pub async fn mark_verified(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1",
    )
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn user_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, lang FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db)
        .await
}

pub async fn password_hash(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await
}

pub async fn set_password(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id)
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of the user except `keep` (the current one, when changing a password).
pub async fn end_sessions_except(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    keep: Option<&[u8]>,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)",
    )
    .bind(user_id)
    .bind(keep)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: Vec<u8>,
    pub created_at: String,
    pub last_seen_at: String,
    pub user_agent: String,
}

pub async fn sessions_of(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT token_hash, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC' AS created_at,
                to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC' AS last_seen_at, user_agent
         FROM sessions WHERE user_id = $1 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

pub async fn end_session_of(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    token_hash: &[u8],
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash = $2")
        .bind(user_id)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Deactivates the member `id` of `org`; `None` when there is no such active member.
pub async fn deactivate_member(
    tx: &mut PgConnection,
    org: Uuid,
    id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users SET deactivated_at = now()
         WHERE id = $1 AND organisation_id = $2 AND deactivated_at IS NULL RETURNING id",
    )
    .bind(id)
    .bind(org)
    .fetch_optional(tx)
    .await
}

/// Marks the account with `email` deactivated (now), if it is active; its id. The database
/// refuses while the person has open cases assigned.
pub async fn deactivate(tx: &mut PgConnection, email: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users SET deactivated_at = now() WHERE email = $1 AND deactivated_at IS NULL
         RETURNING id",
    )
    .bind(email)
    .fetch_optional(tx)
    .await
}

/// The tax ids of organisations that are not demo data (at most `limit`).
pub async fn non_demo_tax_ids(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT tax_id FROM organisations WHERE NOT demo ORDER BY created_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}
