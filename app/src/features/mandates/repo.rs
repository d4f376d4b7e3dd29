//! SQL for broker mandates.

use sqlx::PgExecutor;
use uuid::Uuid;

use super::{ImporterView, MandateView};

pub async fn in_force_for_importer(
    db: impl PgExecutor<'_>,
    importer: Uuid,
) -> Result<Vec<MandateView>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT m.id, b.name, b.tax_id, to_char(m.granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
         FROM mandates m JOIN organisations b ON b.id = m.broker_id
         WHERE m.importer_id = $1 AND m.revoked_at IS NULL ORDER BY b.name",
    )
    .bind(importer)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, broker_name, broker_tax_id, granted_at)| MandateView {
            id,
            broker_name,
            broker_tax_id,
            granted_at,
        })
        .collect())
}

/// The broker customs verified under this RUC (an unverified registration cannot receive
/// mandates).
pub async fn broker_by_tax_id(
    db: impl PgExecutor<'_>,
    tax_id: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM organisations
         WHERE kind = 'broker' AND tax_id_scheme = 'RUC' AND tax_id = $1
           AND verification = 'verified'",
    )
    .bind(tax_id)
    .fetch_optional(db)
    .await
}

/// Grants a mandate; `None` when one is already in force.
pub async fn grant(
    db: impl PgExecutor<'_>,
    importer: Uuid,
    broker: Uuid,
    granted_by: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO mandates (importer_id, broker_id, granted_by) VALUES ($1, $2, $3)
         ON CONFLICT (importer_id, broker_id) WHERE revoked_at IS NULL DO NOTHING RETURNING id",
    )
    .bind(importer)
    .bind(broker)
    .bind(granted_by)
    .fetch_optional(db)
    .await
}

/// Revokes a mandate of `importer`; returns the broker it concerned, or `None`.
pub async fn revoke(
    db: impl PgExecutor<'_>,
    importer: Uuid,
    mandate: Uuid,
    revoked_by: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE mandates SET revoked_at = now(), revoked_by = $3
         WHERE id = $2 AND importer_id = $1 AND revoked_at IS NULL RETURNING broker_id",
    )
    .bind(importer)
    .bind(mandate)
    .bind(revoked_by)
    .fetch_optional(db)
    .await
}

pub async fn importers_of_broker(
    db: impl PgExecutor<'_>,
    broker: Uuid,
) -> Result<Vec<ImporterView>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT i.id, i.name, i.tax_id FROM mandates m JOIN organisations i ON i.id = m.importer_id
         WHERE m.broker_id = $1 AND m.revoked_at IS NULL ORDER BY i.name",
    )
    .bind(broker)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, tax_id)| ImporterView { id, name, tax_id })
        .collect())
}

pub async fn in_force(
    db: impl PgExecutor<'_>,
    importer: Uuid,
    broker: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM mandates WHERE importer_id = $1 AND broker_id = $2 AND revoked_at IS NULL)",
    )
    .bind(importer)
    .bind(broker)
    .fetch_one(db)
    .await
}

pub async fn set_acting_for(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    importer: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET acting_for = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(importer)
        .execute(db)
        .await?;
    Ok(())
}

/// Grants a mandate unless one is in force already.
pub async fn grant_if_absent(
    db: impl PgExecutor<'_>,
    importer: Uuid,
    broker: Uuid,
    granted_by: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mandates (importer_id, broker_id, granted_by) VALUES ($1, $2, $3)
         ON CONFLICT (importer_id, broker_id) WHERE revoked_at IS NULL DO NOTHING",
    )
    .bind(importer)
    .bind(broker)
    .bind(granted_by)
    .execute(db)
    .await?;
    Ok(())
}
