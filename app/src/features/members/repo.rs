//! SQL for an organisation's members.

use sqlx::PgExecutor;
use uuid::Uuid;

/// (id, full name, email, role code, whether the email is still unverified, whether the person
/// was deactivated), active people first, then by name.
pub async fn members_of(
    db: impl PgExecutor<'_>,
    org: Uuid,
) -> Result<Vec<(Uuid, String, String, String, bool, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, full_name, email, role, email_verified_at IS NULL, deactivated_at IS NOT NULL
         FROM users WHERE organisation_id = $1
         ORDER BY deactivated_at IS NOT NULL, full_name",
    )
    .bind(org)
    .fetch_all(db)
    .await
}
