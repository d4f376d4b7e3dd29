//! SQL for an organisation's members.

use sqlx::PgExecutor;
use uuid::Uuid;

/// (full name, email, role code, whether the email is still unverified), by name.
pub async fn members_of(
    db: impl PgExecutor<'_>,
    org: Uuid,
) -> Result<Vec<(String, String, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT full_name, email, role, email_verified_at IS NULL
         FROM users WHERE organisation_id = $1 ORDER BY full_name",
    )
    .bind(org)
    .fetch_all(db)
    .await
}
