//! SQL for the company evidence library.

use chrono::NaiveDate;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::LibraryRow;
use crate::domain::documents::{DocType, FileFormat, Validity};

#[derive(sqlx::FromRow)]
struct Listed {
    id: Uuid,
    doc_type: String,
    title: String,
    supplier: String,
    tariff_codes: Vec<String>,
    valid_from: NaiveDate,
    valid_until: Option<NaiveDate>,
    file_name: String,
    byte_size: i64,
    format: Option<String>,
    sha256: Option<String>,
    scanned: bool,
    created_at: String,
    created_by: String,
    supersedes: Option<Uuid>,
    superseded_by: Option<Uuid>,
}

impl Listed {
    fn row(self, today: NaiveDate) -> LibraryRow {
        LibraryRow {
            id: self.id,
            doc_type: DocType::parse(&self.doc_type).unwrap_or(DocType::Other),
            title: self.title,
            supplier: self.supplier,
            tariff_codes: self.tariff_codes,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            validity: Validity::on(self.valid_from, self.valid_until, today),
            file_name: self.file_name,
            byte_size: self.byte_size.max(0) as u64,
            format: self
                .format
                .as_deref()
                .and_then(FileFormat::parse)
                .unwrap_or(FileFormat::Text),
            sha256: self.sha256.unwrap_or_default(),
            scanned: self.scanned,
            created_at: self.created_at,
            created_by: self.created_by,
            supersedes: self.supersedes,
            superseded_by: self.superseded_by,
        }
    }
}

/// What the list may be narrowed to (already parsed).
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub doc_type: Option<DocType>,
    /// Part of the supplier's name.
    pub supplier: String,
    /// Digits of a tariff code: documents covering it (a listed code is a prefix of it) or
    /// covering any code.
    pub code: String,
}

/// The library of `owner` that matches, newest first, with each row's validity on `today`.
pub async fn list(
    db: impl PgExecutor<'_>,
    owner: Uuid,
    q: &ListQuery,
    today: NaiveDate,
) -> Result<Vec<LibraryRow>, sqlx::Error> {
    let supplier = format!(
        "%{}%",
        q.supplier
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<Listed> = sqlx::query_as(
        "SELECT l.id, l.doc_type, l.title, l.supplier, l.tariff_codes, l.valid_from,
                l.valid_until, l.file_name, b.byte_size, b.format, b.sha256,
                b.scan = 'clean' AS scanned,
                to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
                    AS created_at,
                u.full_name AS created_by, l.supersedes,
                (SELECT n.id FROM library_documents n WHERE n.supersedes = l.id) AS superseded_by
         FROM library_documents l JOIN document_blobs b ON b.id = l.blob_id
         JOIN users u ON u.id = l.created_by
         WHERE l.owner_id = $1
           AND ($2::text IS NULL OR l.doc_type = $2)
           AND l.supplier ILIKE $3
           AND ($4 = '' OR cardinality(l.tariff_codes) = 0
                OR EXISTS (SELECT 1 FROM unnest(l.tariff_codes) c WHERE $4 LIKE c || '%'))
         ORDER BY l.created_at DESC, l.id",
    )
    .bind(owner)
    .bind(q.doc_type.map(DocType::code))
    .bind(&supplier)
    .bind(&q.code)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.row(today)).collect())
}

/// One library document with what attaching or replacing it needs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Entry {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub blob_id: Uuid,
    pub doc_type: String,
    pub title: String,
    pub file_name: String,
    pub sha256: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// A newer version replaces it.
    pub superseded: bool,
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<Entry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.owner_id, l.blob_id, l.doc_type, l.title, l.file_name, b.sha256,
                l.valid_from, l.valid_until,
                EXISTS (SELECT 1 FROM library_documents n WHERE n.supersedes = l.id) AS superseded
         FROM library_documents l JOIN document_blobs b ON b.id = l.blob_id
         WHERE l.id = $1 AND b.complete",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The current versions of `owner`'s library valid on `today` (they may be attached), by title.
pub async fn attachable(
    db: impl PgExecutor<'_>,
    owner: Uuid,
    today: NaiveDate,
) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.owner_id, l.blob_id, l.doc_type, l.title, l.file_name, b.sha256,
                l.valid_from, l.valid_until, false AS superseded
         FROM library_documents l JOIN document_blobs b ON b.id = l.blob_id
         WHERE l.owner_id = $1 AND b.complete
           AND NOT EXISTS (SELECT 1 FROM library_documents n WHERE n.supersedes = l.id)
           AND l.valid_from <= $2 AND (l.valid_until IS NULL OR l.valid_until >= $2)
         ORDER BY l.title, l.created_at DESC",
    )
    .bind(owner)
    .bind(today)
    .fetch_all(db)
    .await
}

pub struct NewEntry<'a> {
    pub id: Uuid,
    pub owner: Uuid,
    pub blob_id: Uuid,
    pub doc_type: DocType,
    pub title: &'a str,
    pub supplier: &'a str,
    pub tariff_codes: &'a [String],
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub file_name: &'a str,
    pub supersedes: Option<Uuid>,
    pub created_by: Uuid,
}

pub async fn insert(db: impl PgExecutor<'_>, new: &NewEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO library_documents (id, owner_id, blob_id, doc_type, title, supplier,
                                        tariff_codes, valid_from, valid_until, file_name,
                                        supersedes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new.id)
    .bind(new.owner)
    .bind(new.blob_id)
    .bind(new.doc_type.code())
    .bind(new.title)
    .bind(new.supplier)
    .bind(new.tariff_codes)
    .bind(new.valid_from)
    .bind(new.valid_until)
    .bind(new.file_name)
    .bind(new.supersedes)
    .bind(new.created_by)
    .execute(db)
    .await?;
    Ok(())
}
