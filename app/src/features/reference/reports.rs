//! SQL for import reports: what an import through the administrator's page did.

use sqlx::PgPool;
use uuid::Uuid;

use super::ImportReportView;
use crate::domain::csv_rows::LineError;

pub struct NewReport<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub imported_by: Uuid,
    pub imported: bool,
    pub rows_loaded: i64,
    pub error_count: i64,
    pub errors: &'a [LineError],
}

pub async fn insert(pool: &PgPool, report: NewReport<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    let errors = serde_json::to_value(report.errors).unwrap_or_default();
    sqlx::query(
        "INSERT INTO import_reports (id, kind, file_name, imported_by, imported, rows_loaded,
                                     error_count, errors)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(report.kind)
    .bind(report.file_name)
    .bind(report.imported_by)
    .bind(report.imported)
    .bind(report.rows_loaded)
    .bind(report.error_count)
    .bind(errors)
    .execute(pool)
    .await?;
    Ok(id)
}

pub async fn find(pool: &PgPool, id: Uuid) -> Result<Option<ImportReportView>, sqlx::Error> {
    let row: Option<(String, String, bool, i64, i64, serde_json::Value, String)> = sqlx::query_as(
        "SELECT kind, file_name, imported, rows_loaded, error_count, errors,
                to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
         FROM import_reports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(kind, file_name, imported, rows_loaded, error_count, errors, imported_at)| {
            ImportReportView {
                kind,
                file_name,
                imported,
                rows_loaded,
                error_count,
                errors: serde_json::from_value(errors).unwrap_or_default(),
                imported_at,
            }
        },
    ))
}
