//! SQL of cases, messages, attachments, requests, reads and the timeline.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::domain::cases::{CaseFacts, CaseKind, CaseState, EventKind, QueryCategory, Side};
use crate::policy::Actor;

/// A case as the workflows need it.
#[derive(Clone, Debug)]
pub struct CaseRow {
    pub id: Uuid,
    pub reference: String,
    pub kind: CaseKind,
    pub state: CaseState,
    pub importer_id: Uuid,
    pub broker_id: Option<Uuid>,
    pub assessment_id: Option<Uuid>,
    pub declaration_ref: String,
    pub subject: String,
    pub category: QueryCategory,
    pub assignee_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub sent_at: Option<DateTime<Utc>>,
    pub paused_days: u32,
    pub awaiting_since: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub outcome_grounds: String,
    pub next_method: String,
    pub tariff_code: String,
    pub origin: String,
    pub level: String,
}

#[derive(sqlx::FromRow)]
struct RawCase {
    id: Uuid,
    reference: String,
    kind: String,
    state: String,
    importer_id: Uuid,
    broker_id: Option<Uuid>,
    assessment_id: Option<Uuid>,
    declaration_ref: String,
    subject: String,
    category: String,
    assignee_id: Option<Uuid>,
    created_by: Uuid,
    created_at: DateTime<Utc>,
    due_on: Option<NaiveDate>,
    sent_at: Option<DateTime<Utc>>,
    paused_days: i32,
    awaiting_since: Option<NaiveDate>,
    closed_at: Option<DateTime<Utc>>,
    outcome: Option<String>,
    outcome_grounds: String,
    next_method: String,
    tariff_code: String,
    origin: String,
    level: String,
}

impl From<RawCase> for CaseRow {
    fn from(r: RawCase) -> CaseRow {
        CaseRow {
            id: r.id,
            reference: r.reference,
            kind: CaseKind::parse(&r.kind).unwrap_or(CaseKind::Query),
            state: CaseState::parse(&r.state).unwrap_or(CaseState::Draft),
            importer_id: r.importer_id,
            broker_id: r.broker_id,
            assessment_id: r.assessment_id,
            declaration_ref: r.declaration_ref,
            subject: r.subject,
            category: QueryCategory::parse(&r.category).unwrap_or(QueryCategory::Valuation),
            assignee_id: r.assignee_id,
            created_by: r.created_by,
            created_at: r.created_at,
            due_on: r.due_on,
            sent_at: r.sent_at,
            paused_days: r.paused_days.max(0) as u32,
            awaiting_since: r.awaiting_since,
            closed_at: r.closed_at,
            outcome: r.outcome,
            outcome_grounds: r.outcome_grounds,
            next_method: r.next_method,
            tariff_code: r.tariff_code,
            origin: r.origin,
            level: r.level,
        }
    }
}

const CASE_COLUMNS: &str = "id, reference, kind, state, importer_id, broker_id, assessment_id,
    declaration_ref, subject, category, assignee_id, created_by, created_at, due_on, sent_at,
    paused_days, awaiting_since, closed_at, outcome, outcome_grounds, next_method, tariff_code,
    origin, level";

pub async fn find_by_reference(
    db: impl PgExecutor<'_>,
    reference: &str,
) -> Result<Option<CaseRow>, sqlx::Error> {
    let row: Option<RawCase> = sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE reference = $1"
    ))
    .bind(reference)
    .fetch_optional(db)
    .await?;
    Ok(row.map(CaseRow::from))
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<CaseRow>, sqlx::Error> {
    let row: Option<RawCase> =
        sqlx::query_as(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(CaseRow::from))
}

/// The case, held until the transaction ends (SELECT … FOR UPDATE): steps on one case run one
/// after the other.
pub async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<CaseRow, sqlx::Error> {
    let row: RawCase = sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_one(tx)
    .await?;
    Ok(row.into())
}

/// A new case, as the trader (a query) or customs (a request) opens it.
#[derive(Clone, Debug)]
pub struct NewCase<'a> {
    pub id: Uuid,
    pub reference: &'a str,
    pub kind: CaseKind,
    pub state: CaseState,
    pub importer_id: Uuid,
    pub broker_id: Option<Uuid>,
    pub assessment_id: Option<Uuid>,
    pub declaration_ref: &'a str,
    pub subject: &'a str,
    pub category: QueryCategory,
    pub created_by: Uuid,
    pub sent: bool,
    pub due_on: Option<NaiveDate>,
    pub assignee_id: Option<Uuid>,
    pub awaiting_since: Option<NaiveDate>,
}

/// Inserts the case; the tariff code, origin and level are copied from its assessment.
pub async fn insert_case(tx: &mut PgConnection, c: &NewCase<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cases (id, reference, kind, state, importer_id, broker_id, assessment_id,
                            declaration_ref, subject, category, created_by, sent_at, due_on,
                            assignee_id, awaiting_since, tariff_code, origin, level)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                CASE WHEN $12 THEN now() END, $13, $14, $15,
                COALESCE(a.tariff_code, ''), COALESCE(a.origin, ''), COALESCE(a.level, '')
         FROM (SELECT 1) one LEFT JOIN assessments a ON a.id = $7",
    )
    .bind(c.id)
    .bind(c.reference)
    .bind(c.kind.code())
    .bind(c.state.code())
    .bind(c.importer_id)
    .bind(c.broker_id)
    .bind(c.assessment_id)
    .bind(c.declaration_ref)
    .bind(c.subject)
    .bind(c.category.code())
    .bind(c.created_by)
    .bind(c.sent)
    .bind(c.due_on)
    .bind(c.assignee_id)
    .bind(c.awaiting_since)
    .execute(tx)
    .await?;
    Ok(())
}

/// Appends one step to the timeline; returns its id.
pub async fn insert_event(
    tx: &mut PgConnection,
    case_id: Uuid,
    kind: EventKind,
    actor: &Actor,
    detail: serde_json::Value,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO case_events (case_id, kind, actor_id, actor_org, acting_for, detail)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(kind.code())
    .bind(actor.user_id)
    .bind(actor.org_id)
    .bind(actor.acting_for)
    .bind(detail)
    .fetch_one(tx)
    .await
}

/// Sets the state and touches the case's last activity.
pub async fn set_state(
    tx: &mut PgConnection,
    id: Uuid,
    state: CaseState,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET state = $2, last_activity_at = now() WHERE id = $1")
        .bind(id)
        .bind(state.code())
        .execute(tx)
        .await?;
    Ok(())
}

/// Sets the state and the working-day clock at once.
pub async fn set_state_and_clock(
    tx: &mut PgConnection,
    id: Uuid,
    state: CaseState,
    due_on: Option<NaiveDate>,
    paused_days: u32,
    awaiting_since: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE cases SET state = $2, due_on = $3, paused_days = $4, awaiting_since = $5,
                          last_activity_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(state.code())
    .bind(due_on)
    .bind(paused_days as i32)
    .bind(awaiting_since)
    .execute(tx)
    .await?;
    Ok(())
}

/// Sends a draft query: state submitted, sent now, due on the response target.
pub async fn mark_sent(
    tx: &mut PgConnection,
    id: Uuid,
    due_on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE cases SET state = 'submitted', sent_at = now(), due_on = $2,
                          last_activity_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(due_on)
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn set_assignee(
    tx: &mut PgConnection,
    id: Uuid,
    assignee: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET assignee_id = $2, last_activity_at = now() WHERE id = $1")
        .bind(id)
        .bind(assignee)
        .execute(tx)
        .await?;
    Ok(())
}

/// Touches the case's last activity (a message).
pub async fn touch(tx: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET last_activity_at = now() WHERE id = $1")
        .bind(id)
        .execute(tx)
        .await?;
    Ok(())
}

/// The facts `next_state` needs besides the state.
pub async fn facts(db: impl PgExecutor<'_>, case_id: Uuid) -> Result<CaseFacts, sqlx::Error> {
    let (has_request, extension_asked, extension_pending): (bool, bool, bool) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM case_requests WHERE case_id = $1),
                EXISTS (SELECT 1 FROM case_requests WHERE case_id = $1 AND answered_at IS NULL
                                                      AND extension_asked_at IS NOT NULL),
                EXISTS (SELECT 1 FROM case_requests WHERE case_id = $1 AND answered_at IS NULL
                                                      AND extension_asked_at IS NOT NULL
                                                      AND extension_decided_at IS NULL)",
    )
    .bind(case_id)
    .fetch_one(db)
    .await?;
    Ok(CaseFacts {
        has_request,
        extension_asked,
        extension_pending,
    })
}

/// A message to write.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    pub case_id: Uuid,
    pub side: Side,
    /// `message`, `request`, `answer`, `nothing_more`, `extension`, `extension_decision`,
    /// `outcome`.
    pub purpose: &'a str,
    pub author_id: Uuid,
    pub author_org: Uuid,
    pub acting_for: Option<Uuid>,
    pub body: &'a str,
    /// False for the first message of a draft query.
    pub sent: bool,
    pub client_key: Uuid,
}

/// Writes the message; `None` when the form's `client_key` was used on this case already (a
/// repeated send).
pub async fn insert_message(
    tx: &mut PgConnection,
    m: &NewMessage<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO case_messages (id, case_id, side, purpose, author_id, author_org, acting_for,
                                    body, sent_at, client_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9 THEN now() END, $10)
         ON CONFLICT (case_id, client_key) DO NOTHING RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(m.case_id)
    .bind(m.side.code())
    .bind(m.purpose)
    .bind(m.author_id)
    .bind(m.author_org)
    .bind(m.acting_for)
    .bind(m.body)
    .bind(m.sent)
    .bind(m.client_key)
    .fetch_optional(tx)
    .await
}

/// The message a `client_key` already made on the case.
pub async fn message_by_key(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
    client_key: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM case_messages WHERE case_id = $1 AND client_key = $2")
        .bind(case_id)
        .bind(client_key)
        .fetch_optional(db)
        .await
}

/// The case whose first message used `client_key` (a query form posted twice).
pub async fn case_by_client_key(
    db: impl PgExecutor<'_>,
    importer: Uuid,
    client_key: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.reference FROM case_messages m JOIN cases c ON c.id = m.case_id
         WHERE m.client_key = $2 AND c.importer_id = $1 LIMIT 1",
    )
    .bind(importer)
    .bind(client_key)
    .fetch_optional(db)
    .await
}

/// Sends a draft message (the first message of a draft query, when the query is sent).
pub async fn send_draft_messages(tx: &mut PgConnection, case_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE case_messages SET sent_at = now() WHERE case_id = $1 AND sent_at IS NULL")
        .bind(case_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// An attachment to write: a stored blob named by a new upload, a library document or one of
/// the assessment's documents.
#[derive(Clone, Debug)]
pub struct NewAttachment<'a> {
    pub message_id: Uuid,
    pub blob_id: Uuid,
    pub library_id: Option<Uuid>,
    pub document_id: Option<Uuid>,
    pub doc_type: &'a str,
    pub file_name: &'a str,
    pub confidential: bool,
}

/// Attaches a complete blob to a message (sha256 and size from the blob); a file already
/// attached to the message (same fingerprint) is skipped.
pub async fn insert_attachment(
    tx: &mut PgConnection,
    a: &NewAttachment<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_attachments (id, message_id, blob_id, library_id, document_id, doc_type,
                                       file_name, sha256, byte_size, confidential)
         SELECT $1, $2, b.id, $4, $5, $6, $7, b.sha256, b.byte_size, $8
         FROM document_blobs b WHERE b.id = $3 AND b.complete
         ON CONFLICT (message_id, sha256) DO NOTHING",
    )
    .bind(Uuid::new_v4())
    .bind(a.message_id)
    .bind(a.blob_id)
    .bind(a.library_id)
    .bind(a.document_id)
    .bind(a.doc_type)
    .bind(a.file_name)
    .bind(a.confidential)
    .execute(tx)
    .await?;
    Ok(())
}

/// The national holidays the working-day calendar skips.
pub async fn holidays(db: impl PgExecutor<'_>) -> Result<Vec<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar("SELECT day FROM holidays ORDER BY day")
        .fetch_all(db)
        .await
}

/// The open request of a case (not answered yet), if any.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenRequest {
    pub id: Uuid,
    pub issued_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub extension_asked_at: Option<DateTime<Utc>>,
    pub extension_decided_at: Option<DateTime<Utc>>,
    pub extension_due_on: Option<NaiveDate>,
}

impl OpenRequest {
    /// The due date in force: the extension's when granted.
    pub fn due_in_force(&self) -> NaiveDate {
        self.extension_due_on.unwrap_or(self.due_on)
    }
}

pub async fn open_request(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
) -> Result<Option<OpenRequest>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, issued_at, due_on, extension_asked_at, extension_decided_at, extension_due_on
         FROM case_requests WHERE case_id = $1 AND answered_at IS NULL
         ORDER BY issued_at DESC LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(db)
    .await
}

/// A request for information to write.
#[derive(Clone, Debug)]
pub struct NewRequest<'a> {
    pub case_id: Uuid,
    pub issued_by: Uuid,
    pub grounds: &'a str,
    pub requested_types: &'a [String],
    pub period_days: u32,
    pub due_on: NaiveDate,
}

pub async fn insert_request(
    tx: &mut PgConnection,
    r: &NewRequest<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO case_requests (id, case_id, issued_by, grounds, requested_types, period_days,
                                    due_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(r.case_id)
    .bind(r.issued_by)
    .bind(r.grounds)
    .bind(r.requested_types)
    .bind(r.period_days as i32)
    .bind(r.due_on)
    .fetch_one(tx)
    .await
}

/// The trader asks for the one extension.
pub async fn ask_extension(
    tx: &mut PgConnection,
    request_id: Uuid,
    asked_by: Uuid,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_requests SET extension_asked_at = now(), extension_asked_by = $2,
                                  extension_reason = $3
         WHERE id = $1 AND extension_asked_at IS NULL",
    )
    .bind(request_id)
    .bind(asked_by)
    .bind(reason)
    .execute(tx)
    .await?;
    Ok(())
}

/// Customs decides the extension: `Some(date)` grants it until that date, `None` refuses it
/// with `refusal`.
pub async fn decide_extension(
    tx: &mut PgConnection,
    request_id: Uuid,
    decided_by: Uuid,
    granted_until: Option<NaiveDate>,
    refusal: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_requests SET extension_decided_at = now(), extension_decided_by = $2,
                                  extension_granted = $3, extension_due_on = $4,
                                  extension_refusal = $5
         WHERE id = $1 AND extension_decided_at IS NULL",
    )
    .bind(request_id)
    .bind(decided_by)
    .bind(granted_until.is_some())
    .bind(granted_until)
    .bind(refusal)
    .execute(tx)
    .await?;
    Ok(())
}

/// Records the trader's answer (`answer` or `nothing_more`) on the request.
pub async fn answer_request(
    tx: &mut PgConnection,
    request_id: Uuid,
    answered_by: Uuid,
    kind: &str,
    message_id: Uuid,
    late: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_requests SET answered_at = now(), answered_by = $2, answer_kind = $3,
                                  answer_message_id = $4, answer_late = $5
         WHERE id = $1 AND answered_at IS NULL",
    )
    .bind(request_id)
    .bind(answered_by)
    .bind(kind)
    .bind(message_id)
    .bind(late)
    .execute(tx)
    .await?;
    Ok(())
}

/// Closes the case with its outcome.
pub async fn close(
    tx: &mut PgConnection,
    id: Uuid,
    outcome: &str,
    grounds: &str,
    next_method: &str,
    on_time: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE cases SET state = 'closed', outcome = $2, outcome_grounds = $3, next_method = $4,
                          closed_at = now(), closed_on_time = $5, awaiting_since = NULL,
                          last_activity_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(outcome)
    .bind(grounds)
    .bind(next_method)
    .bind(on_time)
    .execute(tx)
    .await?;
    Ok(())
}

/// Marks the messages of the other side read by `reader` (first read only).
pub async fn mark_read(
    tx: &mut PgConnection,
    case_id: Uuid,
    reader_side: Side,
    reader: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_message_reads (message_id, read_by)
         SELECT m.id, $3 FROM case_messages m
         WHERE m.case_id = $1 AND m.side <> $2 AND m.sent_at IS NOT NULL
         ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(case_id)
    .bind(reader_side.code())
    .bind(reader)
    .execute(tx)
    .await?;
    Ok(())
}

/// Messages customs sent on the importer's cases that nobody of the trader side opened yet.
pub async fn unread_for_importer(
    db: impl PgExecutor<'_>,
    importer: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM case_messages m JOIN cases c ON c.id = m.case_id
         WHERE c.importer_id = $1 AND m.side = 'customs' AND m.sent_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM case_message_reads r WHERE r.message_id = m.id)",
    )
    .bind(importer)
    .fetch_one(db)
    .await
}

/// An instant as the case pages show it.
pub fn time_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A current document of an assessment, to attach to a query about it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AssessmentDocument {
    pub id: Uuid,
    pub blob_id: Uuid,
    pub doc_type: String,
    pub file_name: String,
    pub confidential: bool,
    pub submitted: bool,
}

/// The assessment's documents no newer version replaces, oldest first.
pub async fn assessment_documents(
    db: impl PgExecutor<'_>,
    assessment: Uuid,
) -> Result<Vec<AssessmentDocument>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.blob_id, d.doc_type, d.file_name, d.confidential,
                d.submission_id IS NOT NULL AS submitted
         FROM documents d JOIN document_blobs b ON b.id = d.blob_id AND b.complete
         WHERE d.assessment_id = $1
           AND NOT EXISTS (SELECT 1 FROM documents n WHERE n.supersedes = d.id)
         ORDER BY d.uploaded_at",
    )
    .bind(assessment)
    .fetch_all(db)
    .await
}

/// An attachment's stored file.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredAttachment {
    pub blob_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i64,
    pub sha256: String,
    pub confidential: bool,
}

/// Attachment `id` of a message of the case; `with_drafts`: also of a draft message.
pub async fn attachment_file(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
    id: Uuid,
    with_drafts: bool,
) -> Result<Option<StoredAttachment>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.blob_id, a.file_name, b.content_type, a.byte_size, a.sha256, a.confidential
         FROM case_attachments a JOIN case_messages m ON m.id = a.message_id
         JOIN document_blobs b ON b.id = a.blob_id
         WHERE a.id = $2 AND m.case_id = $1 AND (m.sent_at IS NOT NULL OR $3)",
    )
    .bind(case_id)
    .bind(id)
    .bind(with_drafts)
    .fetch_optional(db)
    .await
}

/// The importer's cases, newest activity first.
pub async fn importer_cases(
    db: impl PgExecutor<'_>,
    importer: Uuid,
) -> Result<Vec<CaseRow>, sqlx::Error> {
    let rows: Vec<RawCase> = sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE importer_id = $1
         ORDER BY last_activity_at DESC LIMIT 500"
    ))
    .bind(importer)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(CaseRow::from).collect())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    reference: String,
    kind: String,
    state: String,
    subject: String,
    category: String,
    importer_name: String,
    importer_tax_id: String,
    broker_name: Option<String>,
    assessment_reference: Option<String>,
    declaration_ref: String,
    tariff_code: String,
    origin: String,
    level: String,
    assignee_name: Option<String>,
    created_at: DateTime<Utc>,
    due_on: Option<NaiveDate>,
    unread: i64,
}

/// One case as lists show it; `side`: whose unread messages count.
pub async fn summary(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
    side: Side,
    working_days: u32,
    today: NaiveDate,
) -> Result<super::CaseSummary, sqlx::Error> {
    let r: SummaryRow = sqlx::query_as(
        "SELECT c.id, c.reference, c.kind, c.state, c.subject, c.category,
                i.name AS importer_name, i.tax_id AS importer_tax_id, b.name AS broker_name,
                a.reference AS assessment_reference, c.declaration_ref, c.tariff_code, c.origin,
                c.level, u.full_name AS assignee_name, c.created_at, c.due_on,
                (SELECT count(*) FROM case_messages m
                 WHERE m.case_id = c.id AND m.side <> $2 AND m.sent_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM case_message_reads r WHERE r.message_id = m.id)
                ) AS unread
         FROM cases c JOIN organisations i ON i.id = c.importer_id
         LEFT JOIN organisations b ON b.id = c.broker_id
         LEFT JOIN assessments a ON a.id = c.assessment_id
         LEFT JOIN users u ON u.id = c.assignee_id
         WHERE c.id = $1",
    )
    .bind(case_id)
    .bind(side.code())
    .fetch_one(db)
    .await?;
    let state = CaseState::parse(&r.state).unwrap_or(CaseState::Draft);
    Ok(super::CaseSummary {
        id: r.id,
        reference: r.reference,
        kind: CaseKind::parse(&r.kind).unwrap_or(CaseKind::Query),
        state,
        subject: r.subject,
        category: QueryCategory::parse(&r.category).unwrap_or(QueryCategory::Valuation),
        importer_name: r.importer_name,
        importer_tax_id: r.importer_tax_id,
        broker_name: r.broker_name,
        assessment_reference: r.assessment_reference,
        declaration_ref: r.declaration_ref,
        tariff_code: r.tariff_code,
        origin: r.origin,
        level: crate::domain::engine::Level::parse(&r.level),
        assignee_name: r.assignee_name,
        created_at: time_text(r.created_at),
        working_days,
        due_on: r.due_on,
        overdue: state.is_open() && r.due_on.is_some_and(|d| d < today),
        unread: r.unread.max(0) as u32,
    })
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: Uuid,
    side: String,
    purpose: String,
    author: String,
    acting_for: Option<String>,
    body: String,
    sent_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: Uuid,
    message_id: Uuid,
    doc_type: String,
    file_name: String,
    byte_size: i64,
    sha256: String,
    confidential: bool,
}

/// The thread, oldest first: the sent messages, and for the trader side its draft too.
/// Customs messages carry `team` instead of the officer's name when `as_team`; confidential
/// files are withheld unless `with_confidential`.
pub async fn messages(
    db: &sqlx::PgPool,
    case_id: Uuid,
    side: Side,
    as_team: bool,
    team: &str,
    with_confidential: bool,
) -> Result<Vec<super::MessageView>, sqlx::Error> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT m.id, m.side, m.purpose,
                CASE WHEN m.side = 'customs' AND $3 THEN $4 ELSE u.full_name END AS author,
                af.name AS acting_for, m.body, m.sent_at, m.created_at, r.read_at
         FROM case_messages m JOIN users u ON u.id = m.author_id
         LEFT JOIN organisations af ON af.id = m.acting_for
         LEFT JOIN case_message_reads r ON r.message_id = m.id
         WHERE m.case_id = $1 AND (m.sent_at IS NOT NULL OR $2)
         ORDER BY m.created_at, m.id",
    )
    .bind(case_id)
    .bind(side == Side::Trader)
    .bind(as_team)
    .bind(team)
    .fetch_all(db)
    .await?;
    let files: Vec<AttachmentRow> = sqlx::query_as(
        "SELECT a.id, a.message_id, a.doc_type, a.file_name, a.byte_size, a.sha256,
                a.confidential
         FROM case_attachments a JOIN case_messages m ON m.id = a.message_id
         WHERE m.case_id = $1 ORDER BY a.file_name, a.id",
    )
    .bind(case_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|m| super::MessageView {
            id: m.id,
            side: Side::parse(&m.side).unwrap_or(Side::Trader),
            purpose: m.purpose,
            author: m.author,
            acting_for: m.acting_for,
            body: m.body,
            sent_at: time_text(m.sent_at.unwrap_or(m.created_at)),
            read_at: m.read_at.map(time_text),
            attachments: files
                .iter()
                .filter(|a| a.message_id == m.id)
                .map(|a| super::AttachmentView {
                    id: a.id,
                    doc_type: crate::domain::documents::DocType::parse(&a.doc_type)
                        .unwrap_or(crate::domain::documents::DocType::Other),
                    file_name: a.file_name.clone(),
                    byte_size: a.byte_size.max(0) as u64,
                    sha256: a.sha256.clone(),
                    confidential: a.confidential,
                    withheld: a.confidential && !with_confidential,
                })
                .collect(),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: Uuid,
    issued_at: DateTime<Utc>,
    issued_by: String,
    grounds: String,
    requested_types: Vec<String>,
    period_days: i32,
    due_on: NaiveDate,
    extension_asked_at: Option<DateTime<Utc>>,
    extension_reason: String,
    extension_granted: Option<bool>,
    extension_due_on: Option<NaiveDate>,
    extension_refusal: String,
    answered_at: Option<DateTime<Utc>>,
    answer_kind: Option<String>,
    answer_late: Option<bool>,
}

/// The requests for information of a case, oldest first.
pub async fn requests(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
) -> Result<Vec<super::RequestView>, sqlx::Error> {
    let rows: Vec<RequestRow> = sqlx::query_as(
        "SELECT r.id, r.issued_at, u.full_name AS issued_by, r.grounds, r.requested_types,
                r.period_days, r.due_on, r.extension_asked_at, r.extension_reason,
                r.extension_granted, r.extension_due_on, r.extension_refusal, r.answered_at,
                r.answer_kind, r.answer_late
         FROM case_requests r JOIN users u ON u.id = r.issued_by
         WHERE r.case_id = $1 ORDER BY r.issued_at, r.id",
    )
    .bind(case_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::RequestView {
            id: r.id,
            issued_at: time_text(r.issued_at),
            issued_by: r.issued_by,
            grounds: r.grounds,
            requested_types: r
                .requested_types
                .iter()
                .filter_map(|c| crate::domain::documents::DocType::parse(c))
                .collect(),
            period_days: r.period_days.max(0) as u32,
            due_on: r.extension_due_on.unwrap_or(r.due_on),
            original_due_on: r.due_on,
            extension_asked_at: r.extension_asked_at.map(time_text),
            extension_reason: r.extension_reason,
            extension_granted: r.extension_granted,
            extension_refusal: r.extension_refusal,
            answered_at: r.answered_at.map(time_text),
            answer_kind: r.answer_kind,
            answer_late: r.answer_late.unwrap_or(false),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    at: DateTime<Utc>,
    actor: Option<String>,
    actor_org: Option<String>,
    acting_for: Option<String>,
    detail: serde_json::Value,
    assignee: Option<String>,
}

/// The timeline, oldest first, each detail in words (`reason`, the person `assignee` names,
/// `due_on`, `late`).
pub async fn events(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
    lang: crate::i18n::Lang,
) -> Result<Vec<super::EventView>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.kind, e.at, u.full_name AS actor, o.name AS actor_org,
                f.name AS acting_for, e.detail, au.full_name AS assignee
         FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN organisations o ON o.id = e.actor_org
         LEFT JOIN organisations f ON f.id = e.acting_for
         LEFT JOIN users au ON au.id::text = e.detail ->> 'assignee'
         WHERE e.case_id = $1 ORDER BY e.id",
    )
    .bind(case_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let kind = EventKind::parse(&e.kind)?;
            let mut parts: Vec<String> = Vec::new();
            if let Some(name) = e.assignee {
                parts.push(crate::i18n::fmt::cases_detail_assignee(lang, name));
            }
            if let Some(due) = e.detail.get("due_on").and_then(|v| v.as_str()) {
                parts.push(crate::i18n::fmt::cases_detail_due(lang, due));
            }
            if e.detail.get("late").and_then(|v| v.as_bool()) == Some(true) {
                parts.push(crate::i18n::t(lang, crate::i18n::Msg::CasesLateMark).to_string());
            }
            if let Some(reason) = e.detail.get("reason").and_then(|v| v.as_str())
                && !reason.is_empty()
            {
                parts.push(reason.to_string());
            }
            Some(super::EventView {
                id: e.id,
                kind,
                at: time_text(e.at),
                actor: e.actor,
                actor_org: e.actor_org,
                acting_for: e.acting_for,
                detail: parts.join(" · "),
            })
        })
        .collect())
}

/// Messages the trader side sent on cases assigned to `user` that nobody of customs opened.
pub async fn unread_for_assignee(db: impl PgExecutor<'_>, user: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM case_messages m JOIN cases c ON c.id = m.case_id
         WHERE c.assignee_id = $1 AND m.side = 'trader' AND m.sent_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM case_message_reads r WHERE r.message_id = m.id)",
    )
    .bind(user)
    .fetch_one(db)
    .await
}

/// One timeline event with what its notice shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRecord {
    pub id: i64,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub actor_org: Option<String>,
    pub detail: serde_json::Value,
}

pub async fn event(
    db: impl PgExecutor<'_>,
    case_id: Uuid,
    id: i64,
) -> Result<Option<EventRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.kind, e.at, u.full_name AS actor, o.name AS actor_org, e.detail
         FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN organisations o ON o.id = e.actor_org
         WHERE e.case_id = $1 AND e.id = $2",
    )
    .bind(case_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The people a step's notification mails went to (name and address).
pub async fn notified(
    db: impl PgExecutor<'_>,
    event_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.full_name, u.email FROM case_notifications n JOIN users u ON u.id = n.user_id
         WHERE n.event_id = $1 ORDER BY u.full_name",
    )
    .bind(event_id)
    .fetch_all(db)
    .await
}
