//! SQL for the documents of saved assessments, their submissions to customs, and the facts an
//! API token works with.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::DocumentRow;
use crate::domain::documents::{Confidentiality, DocType, FileFormat};
use crate::domain::evidence::Evidence;

/// A saved assessment as its documents need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Assessment {
    pub id: Uuid,
    pub reference: String,
    pub owner_id: Uuid,
    pub owner_name: String,
    /// The organisation that saved it is a broker (a letter of authority is called for).
    pub saved_by_broker: bool,
    /// The evidence its check listed.
    pub evidence: Json<Vec<Evidence>>,
    /// Its documents were submitted to customs at least once, or a case sent to customs names
    /// it: customs staff may open it.
    pub submitted: bool,
}

pub async fn find_assessment(
    db: impl PgExecutor<'_>,
    reference: &str,
) -> Result<Option<Assessment>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.reference, a.owner_id, o.name AS owner_name,
                s.kind = 'broker' AS saved_by_broker,
                COALESCE(a.outcome -> 'evidence', '[]'::jsonb) AS evidence,
                (EXISTS (SELECT 1 FROM assessment_submissions x WHERE x.assessment_id = a.id)
                 OR EXISTS (SELECT 1 FROM cases c WHERE c.assessment_id = a.id
                                                    AND c.state <> 'draft')) AS submitted
         FROM assessments a JOIN organisations o ON o.id = a.owner_id
         JOIN organisations s ON s.id = a.saved_by_org
         WHERE a.reference = $1",
    )
    .bind(reference)
    .fetch_optional(db)
    .await
}

/// Holds the assessment's row until the transaction ends, so that two uploads or a submission
/// running at once count and change its documents one after the other.
pub async fn lock_assessment(tx: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1 FROM assessments WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Listed {
    id: Uuid,
    doc_type: String,
    description: String,
    confidential: bool,
    file_name: String,
    byte_size: i64,
    format: Option<String>,
    sha256: String,
    scanned: bool,
    from_library: bool,
    uploaded_at: String,
    uploaded_by: String,
    submitted_at: Option<String>,
    supersedes: Option<Uuid>,
    superseded_by: Option<Uuid>,
}

impl From<Listed> for DocumentRow {
    fn from(l: Listed) -> DocumentRow {
        DocumentRow {
            id: l.id,
            doc_type: DocType::parse(&l.doc_type).unwrap_or(DocType::Other),
            description: l.description,
            confidentiality: if l.confidential {
                Confidentiality::Confidential
            } else {
                Confidentiality::Normal
            },
            file_name: l.file_name,
            byte_size: l.byte_size.max(0) as u64,
            format: l
                .format
                .as_deref()
                .and_then(FileFormat::parse)
                .unwrap_or(FileFormat::Text),
            sha256: l.sha256,
            scanned: l.scanned,
            from_library: l.from_library,
            uploaded_at: l.uploaded_at,
            uploaded_by: l.uploaded_by,
            submitted_at: l.submitted_at,
            supersedes: l.supersedes,
            superseded_by: l.superseded_by,
        }
    }
}

/// A time as the documents pages and the receipt show it.
const TIME: &str = "'YYYY-MM-DD HH24:MI:SS'";

/// The documents of an assessment, oldest first; `customs_view`: only the submitted ones, and
/// the confidential among them only `with_confidential` (versions links only between those).
pub async fn list(
    db: impl PgExecutor<'_>,
    assessment: Uuid,
    customs_view: bool,
    with_confidential: bool,
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let rows: Vec<Listed> = sqlx::query_as(&format!(
        "WITH visible AS (
             SELECT d.* FROM documents d
             WHERE d.assessment_id = $1
               AND (NOT $2 OR (d.submission_id IS NOT NULL AND ($3 OR NOT d.confidential)))
         )
         SELECT d.id, d.doc_type, d.description, d.confidential, d.file_name, b.byte_size,
                b.format, d.sha256, b.scan = 'clean' AS scanned,
                d.library_id IS NOT NULL AS from_library,
                to_char(d.uploaded_at AT TIME ZONE 'UTC', {TIME}) || ' UTC' AS uploaded_at,
                u.full_name AS uploaded_by,
                to_char(s.submitted_at AT TIME ZONE 'UTC', {TIME}) || ' UTC' AS submitted_at,
                (SELECT p.id FROM visible p WHERE p.id = d.supersedes) AS supersedes,
                (SELECT n.id FROM visible n WHERE n.supersedes = d.id) AS superseded_by
         FROM visible d JOIN document_blobs b ON b.id = d.blob_id
         JOIN users u ON u.id = d.uploaded_by
         LEFT JOIN assessment_submissions s ON s.id = d.submission_id
         ORDER BY d.uploaded_at, d.id"
    ))
    .bind(assessment)
    .bind(customs_view)
    .bind(with_confidential)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(DocumentRow::from).collect())
}

/// How many documents the assessment holds (every version, drafts and submitted).
pub async fn count(db: impl PgExecutor<'_>, assessment: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM documents WHERE assessment_id = $1")
        .bind(assessment)
        .fetch_one(db)
        .await
}

/// The file name of the assessment's document with this SHA-256, if there is one.
pub async fn same_file(
    db: impl PgExecutor<'_>,
    assessment: Uuid,
    sha256: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT file_name FROM documents WHERE assessment_id = $1 AND sha256 = $2")
        .bind(assessment)
        .bind(sha256)
        .fetch_optional(db)
        .await
}

/// Whether `id` is a document of the assessment that no other version replaces yet.
pub async fn is_current(
    db: impl PgExecutor<'_>,
    assessment: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM documents d WHERE d.id = $2 AND d.assessment_id = $1
                AND NOT EXISTS (SELECT 1 FROM documents n WHERE n.supersedes = d.id))",
    )
    .bind(assessment)
    .bind(id)
    .fetch_one(db)
    .await
}

pub struct NewDocument<'a> {
    pub id: Uuid,
    pub assessment: Uuid,
    pub blob_id: Uuid,
    pub library_id: Option<Uuid>,
    pub doc_type: DocType,
    pub description: &'a str,
    pub confidential: bool,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub supersedes: Option<Uuid>,
    pub uploaded_by: Uuid,
    pub uploaded_by_org: Uuid,
}

pub async fn insert(db: impl PgExecutor<'_>, new: &NewDocument<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO documents (id, assessment_id, blob_id, library_id, doc_type, description,
                                confidential, file_name, sha256, supersedes, uploaded_by,
                                uploaded_by_org)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new.id)
    .bind(new.assessment)
    .bind(new.blob_id)
    .bind(new.library_id)
    .bind(new.doc_type.code())
    .bind(new.description)
    .bind(new.confidential)
    .bind(new.file_name)
    .bind(new.sha256)
    .bind(new.supersedes)
    .bind(new.uploaded_by)
    .bind(new.uploaded_by_org)
    .execute(db)
    .await?;
    Ok(())
}

/// One document with what deciding about it needs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Document {
    pub id: Uuid,
    pub assessment_id: Uuid,
    pub reference: String,
    pub owner_id: Uuid,
    pub blob_id: Uuid,
    pub file_name: String,
    pub sha256: String,
    pub confidential: bool,
    pub submitted: bool,
    /// Another draft names this one as the version it replaces.
    pub superseded: bool,
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.assessment_id, a.reference, a.owner_id, d.blob_id, d.file_name, d.sha256,
                d.confidential, d.submission_id IS NOT NULL AS submitted,
                EXISTS (SELECT 1 FROM documents n WHERE n.supersedes = d.id) AS superseded
         FROM documents d JOIN assessments a ON a.id = d.assessment_id
         WHERE d.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Whether `user` is the assignee of an open case on the assessment (who may then read its
/// confidential documents).
pub async fn assigned_to(
    db: impl PgExecutor<'_>,
    assessment: Uuid,
    user: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE assessment_id = $1 AND assignee_id = $2
                          AND state IN ('in_progress', 'awaiting_trader', 'under_review'))",
    )
    .bind(assessment)
    .bind(user)
    .fetch_one(db)
    .await
}

/// Deletes a draft; false when it is not one (anymore).
pub async fn delete_draft(tx: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM documents WHERE id = $1 AND submission_id IS NULL")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a submission of the assessment and marks every draft as part of it; returns how
/// many documents it took (none: nothing was recorded).
pub async fn submit_drafts(
    tx: &mut PgConnection,
    submission: Uuid,
    assessment: Uuid,
    submitted_by: Uuid,
) -> Result<u64, sqlx::Error> {
    let drafts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM documents WHERE assessment_id = $1 AND submission_id IS NULL",
    )
    .bind(assessment)
    .fetch_one(&mut *tx)
    .await?;
    if drafts == 0 {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO assessment_submissions (id, assessment_id, submitted_by) VALUES ($1, $2, $3)",
    )
    .bind(submission)
    .bind(assessment)
    .bind(submitted_by)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query(
        "UPDATE documents SET submission_id = $1 WHERE assessment_id = $2 AND submission_id IS NULL",
    )
    .bind(submission)
    .bind(assessment)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected())
}

/// The times of the assessment's submissions, oldest first.
pub async fn submissions(
    db: impl PgExecutor<'_>,
    assessment: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT to_char(submitted_at AT TIME ZONE 'UTC', {TIME}) || ' UTC'
         FROM assessment_submissions WHERE assessment_id = $1 ORDER BY submitted_at, id"
    ))
    .bind(assessment)
    .fetch_all(db)
    .await
}

/// The latest submission: when, and by whom.
pub async fn latest_submission(
    db: impl PgExecutor<'_>,
    assessment: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT to_char(s.submitted_at AT TIME ZONE 'UTC', {TIME}) || ' UTC', u.full_name
         FROM assessment_submissions s JOIN users u ON u.id = s.submitted_by
         WHERE s.assessment_id = $1 ORDER BY s.submitted_at DESC, s.id DESC LIMIT 1"
    ))
    .bind(assessment)
    .fetch_optional(db)
    .await
}

/// The kind of an organisation (`importer`, `broker`, `customs`).
/// The kind of `organisation` and whether customs verified it.
pub async fn organisation_kind(
    db: impl PgExecutor<'_>,
    organisation: Uuid,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    sqlx::query_as("SELECT kind, verification = 'verified' FROM organisations WHERE id = $1")
        .bind(organisation)
        .fetch_optional(db)
        .await
}

/// Whether `broker` holds a mandate of `importer` in force.
pub async fn mandate_in_force(
    db: impl PgExecutor<'_>,
    broker: Uuid,
    importer: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM mandates WHERE broker_id = $1 AND importer_id = $2
                AND revoked_at IS NULL)",
    )
    .bind(broker)
    .bind(importer)
    .fetch_one(db)
    .await
}

/// Who created the live API token with this hash (uploads through it are theirs), while that
/// person is active.
pub async fn token_creator(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT t.created_by FROM api_tokens t JOIN users u ON u.id = t.created_by
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deactivated_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}
