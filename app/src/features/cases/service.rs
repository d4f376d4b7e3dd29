//! The trader-side workflows and the case page's view: each checks the policy and takes its
//! step in one transaction with its timeline event and notifications.
//!
//! Access: the trader side is [`Action::UseCases`] on the case's importer (a broker only while
//! acting for it); customs staff read every case ([`Action::ReadCases`]) and act on it as its
//! assignee or as supervisors ([`Action::WorkCase`]). Anyone else gets "not found".

use chrono::{NaiveDate, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{CaseView, OutcomeView, repo};
use crate::domain::cases::{
    CaseKind, CaseState, EventKind, NextMethod, Outcome, QueryCategory, Side, Step, StepRefused,
    TextRefused, next_state, parse_text,
};
use crate::domain::working_days::{Calendar, Clock};
use crate::error::AppError;
use crate::features::documents::service::Caller;
use crate::features::library::repo as library;
use crate::features::notifications::service::{Notify, notify};
use crate::i18n::{Lang, Msg, t};
use crate::policy::{Action, Actor, Decision, decide};
use crate::server::settings::Settings;
use crate::server::uploads::Received;

/// The longest subject of a query, in characters.
pub const SUBJECT_MAX: usize = 200;

fn allowed(actor: &Actor, action: Action) -> bool {
    decide(Some(actor), action) == Decision::Allow
}

/// The working-day calendar with the holidays the administrator keeps.
pub async fn calendar(db: &PgPool) -> Result<Calendar, AppError> {
    Ok(Calendar::new(repo::holidays(db).await?))
}

/// The clock of a case as of its stored facts.
pub fn clock(settings: &Settings, case: &repo::CaseRow) -> Clock {
    let cases = &settings.cases;
    Clock {
        sent_on: case.sent_at.map(|at| cases.local_date(at)),
        paused_days: case.paused_days,
        awaiting_since: case.awaiting_since,
        stopped_on: case.closed_at.map(|at| cases.local_date(at)).or(
            if case.state == CaseState::Withdrawn {
                Some(cases.today())
            } else {
                None
            },
        ),
    }
}

/// Whether the caller works on the case's trader side.
pub fn trader_side(actor: &Actor, case: &repo::CaseRow) -> bool {
    allowed(
        actor,
        Action::UseCases {
            owner: case.importer_id,
        },
    )
}

/// The case under `reference` and the caller's side, or not found.
pub async fn visible(
    db: &PgPool,
    actor: &Actor,
    reference: &str,
) -> Result<(repo::CaseRow, Side), AppError> {
    let Some(reference) = crate::domain::readable_ref::parse_case(reference) else {
        return Err(AppError::not_found());
    };
    let Some(case) = repo::find_by_reference(db, &reference).await? else {
        return Err(AppError::not_found());
    };
    if trader_side(actor, &case) {
        return Ok((case, Side::Trader));
    }
    if allowed(actor, Action::ReadCases) && case.state != CaseState::Draft {
        return Ok((case, Side::Customs));
    }
    Err(AppError::not_found())
}

fn refused(lang: Lang, refusal: StepRefused) -> AppError {
    AppError::invalid(t(
        lang,
        match refusal {
            StepRefused::ExtensionAlreadyAsked => Msg::CasesExtensionAlreadyAsked,
            _ => Msg::CasesStepNotNow,
        },
    ))
}

fn text_problem(lang: Lang, field: &str, refusal: TextRefused) -> (String, String) {
    let msg = match refusal {
        TextRefused::Empty => Msg::CasesTextEmpty,
        TextRefused::TooLong => Msg::CasesTextTooLong,
    };
    (field.to_string(), t(lang, msg).to_string())
}

async fn notify_step(
    tx: &mut PgConnection,
    settings: &Settings,
    case: &repo::CaseRow,
    event_id: i64,
    kind: EventKind,
) -> Result<(), AppError> {
    notify(
        tx,
        &Notify {
            case_id: case.id,
            reference: &case.reference,
            importer_id: case.importer_id,
            broker_id: case.broker_id,
            event_id,
            kind,
            public_base: &settings.public_base,
        },
    )
    .await?;
    Ok(())
}

/// The new-query form as sent.
#[derive(Clone, Debug, Default)]
pub struct OpenForm {
    pub subject: String,
    pub category: String,
    pub assessment: String,
    pub body: String,
    pub library_ids: Vec<String>,
    pub client_key: String,
    /// `draft` or `send`.
    pub intent: String,
}

/// Opens a query for the caller's importer, as a draft or sent at once; answers its reference.
/// The same form posted again (same `client_key`) answers the case it made.
pub async fn open_query(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    form: &OpenForm,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let actor = &caller.actor;
    let importer = actor.principal();
    if !allowed(actor, Action::UseCases { owner: importer }) {
        return Err(crate::server::caller::forbidden());
    }
    let client_key = Uuid::parse_str(form.client_key.trim())
        .map_err(|_| AppError::invalid(t(lang, Msg::ErrorMalformedRequest)))?;
    if let Some(reference) = repo::case_by_client_key(pool, importer, client_key).await? {
        return Ok(reference);
    }
    let mut problems: Vec<(String, String)> = Vec::new();
    let subject = form.subject.trim();
    if subject.is_empty() {
        problems.push(("subject".into(), t(lang, Msg::CasesSubjectMissing).into()));
    } else if subject.chars().count() > SUBJECT_MAX {
        problems.push(("subject".into(), t(lang, Msg::CasesSubjectTooLong).into()));
    }
    let category = QueryCategory::parse(form.category.trim());
    if category.is_none() {
        problems.push(("category".into(), t(lang, Msg::CasesCategoryMissing).into()));
    }
    let body = parse_text(&form.body)
        .map_err(|r| problems.push(text_problem(lang, "body", r)))
        .ok();
    let assessment = match form.assessment.trim() {
        "" => None,
        text => {
            let found = match crate::domain::readable_ref::parse(text) {
                Some(r) => crate::features::documents::repo::find_assessment(pool, &r).await?,
                None => None,
            };
            match found {
                Some(a) if a.owner_id == importer => Some(a),
                _ => {
                    problems.push((
                        "assessment".into(),
                        t(lang, Msg::CasesAssessmentUnknown).into(),
                    ));
                    None
                }
            }
        }
    };
    let today = settings.cases.today();
    let entries = library_entries(pool, importer, &form.library_ids, today).await?;
    let entries = match entries {
        Some(entries) => entries,
        None => {
            problems.push((
                "library_id".into(),
                t(lang, Msg::CasesLibraryInvalid).into(),
            ));
            Vec::new()
        }
    };
    let send = match form.intent.trim() {
        "send" => true,
        "draft" => false,
        _ => {
            problems.push(("intent".into(), t(lang, Msg::ErrorMalformedRequest).into()));
            false
        }
    };
    let (Some(category), Some(body), true) = (category, body, problems.is_empty()) else {
        return Err(AppError::fields(problems));
    };
    let calendar = calendar(pool).await?;
    let due_on =
        send.then(|| calendar.add_working_days(today, settings.cases.response_days(category)));
    let id = Uuid::new_v4();
    let reference = crate::domain::readable_ref::case_from_random(rand::random());
    let broker_id = actor.acting_for.map(|_| actor.org_id);
    let mut tx = pool.begin().await?;
    repo::insert_case(
        &mut tx,
        &repo::NewCase {
            id,
            reference: &reference,
            kind: CaseKind::Query,
            state: if send {
                CaseState::Submitted
            } else {
                CaseState::Draft
            },
            importer_id: importer,
            broker_id,
            assessment_id: assessment.as_ref().map(|a| a.id),
            declaration_ref: "",
            subject,
            category,
            created_by: actor.user_id,
            sent: send,
            due_on,
            assignee_id: None,
            awaiting_since: None,
        },
    )
    .await?;
    let message = repo::insert_message(
        &mut tx,
        &repo::NewMessage {
            case_id: id,
            side: Side::Trader,
            purpose: "message",
            author_id: actor.user_id,
            author_org: actor.org_id,
            acting_for: actor.acting_for,
            body: &body,
            sent: send,
            client_key,
        },
    )
    .await?
    .ok_or_else(|| AppError::internal("a new case's first message collided"))?;
    if let Some(a) = &assessment {
        for d in repo::assessment_documents(&mut *tx, a.id).await? {
            repo::insert_attachment(
                &mut tx,
                &repo::NewAttachment {
                    message_id: message,
                    blob_id: d.blob_id,
                    library_id: None,
                    // Drafts stay removable from the assessment: only a submitted document is
                    // named; the stored bytes are attached either way.
                    document_id: d.submitted.then_some(d.id),
                    doc_type: &d.doc_type,
                    file_name: &d.file_name,
                    confidential: d.confidential,
                },
            )
            .await?;
        }
    }
    for e in &entries {
        attach_library(&mut tx, message, e).await?;
    }
    repo::insert_event(
        &mut tx,
        id,
        EventKind::Created,
        actor,
        json!({ "message_id": message }),
    )
    .await?;
    if send {
        let event = repo::insert_event(
            &mut tx,
            id,
            EventKind::Sent,
            actor,
            json!({ "message_id": message, "due_on": due_on }),
        )
        .await?;
        let case = repo::lock(&mut tx, id).await?;
        notify_step(&mut tx, settings, &case, event, EventKind::Sent).await?;
    }
    tx.commit().await?;
    Ok(reference)
}

/// The library documents named, each a current version of `owner`'s library valid today;
/// `None` when one is not.
async fn library_entries(
    pool: &PgPool,
    owner: Uuid,
    ids: &[String],
    today: NaiveDate,
) -> Result<Option<Vec<library::Entry>>, AppError> {
    let mut entries = Vec::new();
    for raw in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let Ok(id) = Uuid::parse_str(raw) else {
            return Ok(None);
        };
        match library::find(pool, id).await? {
            Some(e)
                if e.owner_id == owner
                    && !e.superseded
                    && e.valid_from <= today
                    && e.valid_until.is_none_or(|u| u >= today) =>
            {
                entries.push(e)
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(entries))
}

async fn attach_library(
    tx: &mut PgConnection,
    message: Uuid,
    e: &library::Entry,
) -> Result<(), sqlx::Error> {
    repo::insert_attachment(
        tx,
        &repo::NewAttachment {
            message_id: message,
            blob_id: e.blob_id,
            library_id: Some(e.id),
            document_id: None,
            doc_type: &e.doc_type,
            file_name: &e.file_name,
            confidential: false,
        },
    )
    .await
}

/// The case for a trader-side step, locked; not found for anyone else.
async fn lock_for_trader(
    tx: &mut PgConnection,
    pool: &PgPool,
    actor: &Actor,
    reference: &str,
) -> Result<repo::CaseRow, AppError> {
    let (case, side) = visible(pool, actor, reference).await?;
    if side != Side::Trader {
        return Err(crate::server::caller::forbidden());
    }
    Ok(repo::lock(tx, case.id).await?)
}

/// Sends a draft query; answers its reference.
pub async fn send_query(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let mut tx = pool.begin().await?;
    let case = lock_for_trader(&mut tx, pool, &caller.actor, reference).await?;
    let facts = repo::facts(&mut *tx, case.id).await?;
    next_state(case.kind, case.state, facts, Step::Send).map_err(|r| refused(lang, r))?;
    let calendar = calendar(pool).await?;
    let due_on = calendar.add_working_days(
        settings.cases.today(),
        settings.cases.response_days(case.category),
    );
    repo::mark_sent(&mut tx, case.id, due_on).await?;
    repo::send_draft_messages(&mut tx, case.id).await?;
    let event = repo::insert_event(
        &mut tx,
        case.id,
        EventKind::Sent,
        &caller.actor,
        json!({ "due_on": due_on }),
    )
    .await?;
    notify_step(&mut tx, settings, &case, event, EventKind::Sent).await?;
    tx.commit().await?;
    Ok(case.reference)
}

/// Asks for the one extension of the open request, with a reason (written on the thread too).
pub async fn ask_extension(
    pool: &PgPool,
    caller: &Caller,
    reference: &str,
    reason: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let mut tx = pool.begin().await?;
    // Who may act first: an outsider learns nothing from the form's errors.
    let case = lock_for_trader(&mut tx, pool, &caller.actor, reference).await?;
    let reason =
        parse_text(reason).map_err(|r| AppError::fields(vec![text_problem(lang, "reason", r)]))?;
    let facts = repo::facts(&mut *tx, case.id).await?;
    next_state(case.kind, case.state, facts, Step::AskExtension).map_err(|r| refused(lang, r))?;
    let Some(request) = repo::open_request(&mut *tx, case.id).await? else {
        return Err(refused(lang, StepRefused::NotNow));
    };
    repo::ask_extension(&mut tx, request.id, caller.actor.user_id, &reason).await?;
    let message = write_message(
        &mut tx,
        &case,
        &caller.actor,
        Side::Trader,
        "extension",
        &reason,
        Uuid::new_v4(),
    )
    .await?;
    repo::insert_event(
        &mut tx,
        case.id,
        EventKind::ExtensionAsked,
        &caller.actor,
        json!({ "reason": reason, "request_id": request.id, "message_id": message }),
    )
    .await?;
    repo::touch(&mut tx, case.id).await?;
    tx.commit().await?;
    Ok(case.reference)
}

/// Withdraws a query, with a reason.
pub async fn withdraw(
    pool: &PgPool,
    caller: &Caller,
    reference: &str,
    reason: &str,
) -> Result<String, AppError> {
    let lang = caller.lang;
    let mut tx = pool.begin().await?;
    // Who may act first: an outsider learns nothing from the form's errors.
    let case = lock_for_trader(&mut tx, pool, &caller.actor, reference).await?;
    let reason =
        parse_text(reason).map_err(|r| AppError::fields(vec![text_problem(lang, "reason", r)]))?;
    let facts = repo::facts(&mut *tx, case.id).await?;
    let state =
        next_state(case.kind, case.state, facts, Step::Withdraw).map_err(|r| refused(lang, r))?;
    repo::set_state(&mut tx, case.id, state).await?;
    repo::insert_event(
        &mut tx,
        case.id,
        EventKind::Withdrawn,
        &caller.actor,
        json!({ "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(case.reference)
}

async fn write_message(
    tx: &mut PgConnection,
    case: &repo::CaseRow,
    actor: &Actor,
    side: Side,
    purpose: &str,
    body: &str,
    client_key: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    repo::insert_message(
        tx,
        &repo::NewMessage {
            case_id: case.id,
            side,
            purpose,
            author_id: actor.user_id,
            author_org: actor.org_id,
            acting_for: actor.acting_for,
            body,
            sent: true,
            client_key,
        },
    )
    .await
}

/// The message form's text fields, as sent.
#[derive(Clone, Debug, Default)]
pub struct MessageForm {
    pub body: String,
    pub client_key: String,
    /// `message`, `answer` or `nothing_more`.
    pub purpose: String,
    pub library_ids: Vec<String>,
    pub doc_type: String,
}

/// A message form once checked against the case, before its files are received.
#[derive(Clone, Debug)]
pub struct CheckedMessage {
    pub case: repo::CaseRow,
    pub side: Side,
    pub purpose: Purpose,
    pub body: String,
    pub client_key: Uuid,
    pub library: Vec<library::Entry>,
    pub doc_type: crate::domain::documents::DocType,
    /// The organisation uploaded files are stored for.
    pub blob_owner: Uuid,
    /// The form was already sent (same `client_key`): nothing more to do.
    pub repeated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Message,
    Answer,
    NothingMore,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Message => "message",
            Purpose::Answer => "answer",
            Purpose::NothingMore => "nothing_more",
        }
    }
}

/// Checks a message form: who may write on the case, the purpose now, the text, the library
/// documents. Runs before any file is read.
pub async fn check_message(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    reference: &str,
    form: &MessageForm,
) -> Result<CheckedMessage, AppError> {
    let lang = caller.lang;
    let actor = &caller.actor;
    let (case, side) = visible(pool, actor, reference).await?;
    if side == Side::Customs
        && !allowed(
            actor,
            Action::WorkCase {
                assigned_to_caller: case.assignee_id == Some(actor.user_id),
            },
        )
    {
        return Err(crate::server::caller::forbidden());
    }
    let client_key = Uuid::parse_str(form.client_key.trim())
        .map_err(|_| AppError::invalid(t(lang, Msg::ErrorMalformedRequest)))?;
    let repeated = repo::message_by_key(pool, case.id, client_key)
        .await?
        .is_some();
    let purpose = match (form.purpose.trim(), side) {
        ("" | "message", _) => Purpose::Message,
        ("answer", Side::Trader) => Purpose::Answer,
        ("nothing_more", Side::Trader) => Purpose::NothingMore,
        _ => return Err(AppError::invalid(t(lang, Msg::ErrorMalformedRequest))),
    };
    let blob_owner = match side {
        Side::Trader => case.importer_id,
        Side::Customs => actor.org_id,
    };
    let doc_type = crate::domain::documents::DocType::parse(form.doc_type.trim())
        .unwrap_or(crate::domain::documents::DocType::Other);
    if repeated {
        return Ok(CheckedMessage {
            case,
            side,
            purpose,
            body: String::new(),
            client_key,
            library: Vec::new(),
            doc_type,
            blob_owner,
            repeated,
        });
    }
    let facts = repo::facts(pool, case.id).await?;
    let step = match purpose {
        Purpose::Message => Step::Message { side },
        _ => Step::Answer,
    };
    next_state(case.kind, case.state, facts, step).map_err(|r| refused(lang, r))?;
    let mut problems = Vec::new();
    let body = match (purpose, form.body.trim()) {
        (Purpose::NothingMore, "") => t(lang, Msg::CasesNothingMoreBody).to_string(),
        (_, text) => parse_text(text)
            .map_err(|r| problems.push(text_problem(lang, "body", r)))
            .unwrap_or_default(),
    };
    let library = if side == Side::Trader {
        library_entries(
            pool,
            case.importer_id,
            &form.library_ids,
            settings.cases.today(),
        )
        .await?
    } else {
        Some(Vec::new())
    };
    let library = library.unwrap_or_else(|| {
        problems.push((
            "library_id".into(),
            t(lang, Msg::CasesLibraryInvalid).into(),
        ));
        Vec::new()
    });
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    Ok(CheckedMessage {
        case,
        side,
        purpose,
        body,
        client_key,
        library,
        doc_type,
        blob_owner,
        repeated,
    })
}

/// A received upload with the name it is attached under.
#[derive(Clone, Debug)]
pub struct Upload {
    pub file_name: String,
    pub received: Received,
}

/// Writes a checked message with its attachments in one transaction: the message, the files,
/// the step it carries (an answer moves the case under review and restarts customs' clock),
/// the timeline event and the notifications. `false` when the same form was sent already (the
/// uploads are then left for the caller to discard).
pub async fn post_message(
    pool: &PgPool,
    settings: &Settings,
    caller: &Caller,
    checked: &CheckedMessage,
    uploads: &[Upload],
) -> Result<bool, AppError> {
    let lang = caller.lang;
    let actor = &caller.actor;
    let mut tx = pool.begin().await?;
    let case = repo::lock(&mut tx, checked.case.id).await?;
    let Some(message) = write_message(
        &mut tx,
        &case,
        actor,
        checked.side,
        checked.purpose.code(),
        &checked.body,
        checked.client_key,
    )
    .await?
    else {
        return Ok(false);
    };
    let facts = repo::facts(&mut *tx, case.id).await?;
    for upload in uploads {
        crate::server::blobs::complete(&mut tx, &upload.received).await?;
        repo::insert_attachment(
            &mut tx,
            &repo::NewAttachment {
                message_id: message,
                blob_id: upload.received.blob_id,
                library_id: None,
                document_id: None,
                doc_type: checked.doc_type.code(),
                file_name: &upload.file_name,
                confidential: false,
            },
        )
        .await?;
    }
    for e in &checked.library {
        attach_library(&mut tx, message, e).await?;
    }
    let kind = match checked.purpose {
        Purpose::Message => {
            next_state(
                case.kind,
                case.state,
                facts,
                Step::Message { side: checked.side },
            )
            .map_err(|r| refused(lang, r))?;
            repo::touch(&mut tx, case.id).await?;
            let event = repo::insert_event(
                &mut tx,
                case.id,
                EventKind::Message,
                actor,
                json!({ "message_id": message }),
            )
            .await?;
            if checked.side == Side::Customs {
                notify_step(&mut tx, settings, &case, event, EventKind::Message).await?;
            }
            EventKind::Message
        }
        Purpose::Answer | Purpose::NothingMore => {
            let state = next_state(case.kind, case.state, facts, Step::Answer)
                .map_err(|r| refused(lang, r))?;
            let Some(request) = repo::open_request(&mut *tx, case.id).await? else {
                return Err(refused(lang, StepRefused::NotNow));
            };
            let calendar = calendar(pool).await?;
            let today = settings.cases.today();
            let late = !calendar.on_time(today, request.due_in_force());
            repo::answer_request(
                &mut tx,
                request.id,
                actor.user_id,
                checked.purpose.code(),
                message,
                late,
            )
            .await?;
            let waited = case
                .awaiting_since
                .map(|since| calendar.working_days_between(since, today))
                .unwrap_or(0);
            let due_on =
                calendar.add_working_days(today, settings.cases.response_days(case.category));
            repo::set_state_and_clock(
                &mut tx,
                case.id,
                state,
                Some(due_on),
                case.paused_days + waited,
                None,
            )
            .await?;
            let kind = if checked.purpose == Purpose::Answer {
                EventKind::AnswerReceived
            } else {
                EventKind::NothingMore
            };
            repo::insert_event(
                &mut tx,
                case.id,
                kind,
                actor,
                json!({ "message_id": message, "request_id": request.id, "late": late }),
            )
            .await?;
            kind
        }
    };
    tracing::debug!(case = %case.reference, kind = kind.code(), "case message written");
    if checked.side == Side::Customs {
        crate::server::audit::record(
            &mut *tx,
            crate::server::audit::AuditEvent::new("case.message", &caller.client_addr)
                .actor(Some(actor.user_id))
                .subject(case.reference.clone())
                .detail(json!({ "message_id": message })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// A case attachment's stored file, for a caller who may download it.
#[derive(Clone, Debug)]
pub struct AttachmentFile {
    pub blob_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: u64,
}

/// The file of attachment `id` of the case, for either side (customs: audited; a confidential
/// file only for the assignee, supervisors and auditors). Not found otherwise.
pub async fn attachment(
    pool: &PgPool,
    caller: &Caller,
    reference: &str,
    id: &str,
) -> Result<AttachmentFile, AppError> {
    let actor = &caller.actor;
    let (case, side) = visible(pool, actor, reference).await?;
    let Ok(id) = Uuid::parse_str(id.trim()) else {
        return Err(AppError::not_found());
    };
    let Some(file) = repo::attachment_file(pool, case.id, id, side == Side::Trader).await? else {
        return Err(AppError::not_found());
    };
    if side == Side::Customs {
        if file.confidential && !reads_confidential(actor, &case) {
            return Err(AppError::not_found());
        }
        crate::server::audit::record(
            pool,
            crate::server::audit::AuditEvent::new("case.attachment.download", &caller.client_addr)
                .actor(Some(actor.user_id))
                .subject(case.reference.clone())
                .detail(json!({ "attachment_id": id, "sha256": file.sha256 })),
        )
        .await?;
    }
    Ok(AttachmentFile {
        blob_id: file.blob_id,
        file_name: file.file_name,
        content_type: file.content_type,
        byte_size: file.byte_size.max(0) as u64,
    })
}

fn reads_confidential(actor: &Actor, case: &repo::CaseRow) -> bool {
    allowed(
        actor,
        Action::ReadSubmitted {
            confidential: true,
            assigned: case.assignee_id == Some(actor.user_id),
        },
    )
}

/// The case page's view for the caller (not found when the caller may not see it); marks the
/// other side's messages read (the first read only).
pub async fn load_view(
    pool: &PgPool,
    settings: &Settings,
    actor: &Actor,
    reference: &str,
) -> Result<CaseView, AppError> {
    load_view_in(pool, settings, actor, reference, crate::request::lang()).await
}

/// [`load_view`] with the language event details are worded in.
pub async fn load_view_in(
    pool: &PgPool,
    settings: &Settings,
    actor: &Actor,
    reference: &str,
    lang: Lang,
) -> Result<CaseView, AppError> {
    let (case, side) = visible(pool, actor, reference).await?;
    if case.state != CaseState::Draft {
        let mut tx = pool.begin().await?;
        repo::mark_read(&mut tx, case.id, side, actor.user_id).await?;
        tx.commit().await?;
    }
    let calendar = calendar(pool).await?;
    let today = settings.cases.today();
    let working_days = clock(settings, &case).elapsed(&calendar, today);
    let summary = repo::summary(pool, case.id, side, working_days, today).await?;
    let team = t(lang, Msg::CasesCustomsTeam);
    let messages = repo::messages(
        pool,
        case.id,
        side,
        settings.cases.sender == crate::server::settings::CustomsSender::Team,
        team,
        side == Side::Trader || reads_confidential(actor, &case),
    )
    .await?;
    let requests = repo::requests(pool, case.id).await?;
    let events = repo::events(pool, case.id, lang).await?;
    let deliveries: Vec<super::DeliveryView> =
        crate::features::notifications::repo::deliveries(pool, case.id)
            .await?
            .into_iter()
            .map(|d| super::DeliveryView {
                recipient: d.recipient,
                event: d.event,
                status: d.status,
                at: d.at,
            })
            .collect();
    let outcome = match (&case.outcome, case.closed_at) {
        (Some(code), Some(closed_at)) => Outcome::parse(code).map(|outcome| OutcomeView {
            outcome,
            grounds: case.outcome_grounds.clone(),
            next_method: NextMethod::parse(&case.next_method),
            closed_at: crate::features::cases::repo::time_text(closed_at),
            reopen_until: settings
                .cases
                .local_date(closed_at)
                .checked_add_days(chrono::Days::new(u64::from(settings.cases.reopen_days)))
                .unwrap_or(today),
        }),
        _ => None,
    };
    let assigned = case.assignee_id == Some(actor.user_id);
    let can_act = match side {
        Side::Trader => true,
        Side::Customs => allowed(
            actor,
            Action::WorkCase {
                assigned_to_caller: assigned,
            },
        ),
    };
    let delivery_failed = deliveries.iter().any(|d| d.status == "failed");
    Ok(CaseView {
        summary,
        side,
        response_days: settings.cases.response_days(case.category),
        messages,
        requests,
        events,
        deliveries,
        outcome,
        can_act,
        can_take: side == Side::Customs
            && case.assignee_id.is_none()
            && case.state.is_open()
            && allowed(actor, Action::OpenCases),
        can_assign: side == Side::Customs && allowed(actor, Action::AssignCases),
        delivery_failed,
        form_key: Uuid::new_v4().to_string(),
        library: if side == Side::Trader {
            library_choices(pool, case.importer_id, today).await?
        } else {
            Vec::new()
        },
    })
}

async fn library_choices(
    pool: &PgPool,
    owner: Uuid,
    today: NaiveDate,
) -> Result<Vec<crate::features::documents::LibraryChoice>, AppError> {
    Ok(library::attachable(pool, owner, today)
        .await?
        .into_iter()
        .map(|e| crate::features::documents::LibraryChoice {
            id: e.id,
            doc_type: crate::domain::documents::DocType::parse(&e.doc_type)
                .unwrap_or(crate::domain::documents::DocType::Other),
            title: e.title,
            file_name: e.file_name,
            valid_until: e.valid_until,
        })
        .collect())
}

/// What the new-query form offers the trader side, with a fresh one-time key.
pub async fn new_query_form(
    pool: &PgPool,
    settings: &Settings,
    actor: &Actor,
    assessment: &str,
) -> Result<super::NewQueryForm, AppError> {
    let importer = actor.principal();
    if !allowed(actor, Action::UseCases { owner: importer }) {
        return Err(crate::server::caller::forbidden());
    }
    let library = if allowed(actor, Action::ReadLibrary { owner: importer }) {
        library_choices(pool, importer, settings.cases.today()).await?
    } else {
        Vec::new()
    };
    Ok(super::NewQueryForm {
        client_key: Uuid::new_v4().to_string(),
        categories: QueryCategory::ALL
            .iter()
            .map(|c| (*c, settings.cases.response_days(*c)))
            .collect(),
        assessment: crate::domain::readable_ref::parse(assessment).unwrap_or_default(),
        library,
    })
}

/// The printable notice of step `event_id` of the case: its text (the message, the grounds or
/// the reason), dates, sender, recipients and each attached file's fingerprint.
pub async fn notice(
    pool: &PgPool,
    settings: &Settings,
    actor: &Actor,
    reference: &str,
    event_id: &str,
) -> Result<super::NoticeView, AppError> {
    let lang = crate::request::lang();
    let view = load_view_in(pool, settings, actor, reference, lang).await?;
    let Ok(event_id) = event_id.trim().parse::<i64>() else {
        return Err(AppError::not_found());
    };
    let Some(event) = repo::event(pool, view.summary.id, event_id).await? else {
        return Err(AppError::not_found());
    };
    let kind = EventKind::parse(&event.kind).ok_or_else(AppError::not_found)?;
    let id_of = |key: &str| {
        event
            .detail
            .get(key)
            .and_then(|v| v.as_str())
            .and_then(|s| Uuid::parse_str(s).ok())
    };
    let message = id_of("message_id").and_then(|m| view.messages.iter().find(|x| x.id == m));
    let request = id_of("request_id")
        .and_then(|r| view.requests.iter().find(|x| x.id == r))
        .or(if kind == EventKind::RequestIssued {
            view.requests.last()
        } else {
            None
        });
    let reason = event
        .detail
        .get("reason")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let text = match kind {
        EventKind::Outcome => view
            .outcome
            .as_ref()
            .map(|o| o.grounds.clone())
            .unwrap_or(reason),
        EventKind::RequestIssued => request.map(|r| r.grounds.clone()).unwrap_or(reason),
        EventKind::ExtensionRefused => request
            .map(|r| r.extension_refusal.clone())
            .filter(|r| !r.is_empty())
            .unwrap_or(reason),
        _ => message.map(|m| m.body.clone()).unwrap_or(reason),
    };
    let due_on = event
        .detail
        .get("due_on")
        .and_then(|v| v.as_str())
        .and_then(|d| d.parse().ok())
        .or(request.map(|r| r.due_on));
    let team = crate::server::settings::CustomsSender::Team == settings.cases.sender;
    let customs_step = matches!(
        kind,
        EventKind::RequestIssued
            | EventKind::ExtensionGranted
            | EventKind::ExtensionRefused
            | EventKind::Outcome
            | EventKind::Reopened
            | EventKind::Assigned
            | EventKind::Released
    ) || message.is_some_and(|m| m.side == Side::Customs);
    let sender = match (customs_step && team, message) {
        (true, _) => t(lang, Msg::CasesCustomsTeam).to_string(),
        (false, Some(m)) => m.author.clone(),
        (false, None) => event.actor.clone().unwrap_or_default(),
    };
    Ok(super::NoticeView {
        reference: view.summary.reference.clone(),
        kind,
        case_kind: view.summary.kind,
        subject: view.summary.subject.clone(),
        at: repo::time_text(event.at),
        sender,
        sender_org: event.actor_org.clone().unwrap_or_default(),
        importer_name: view.summary.importer_name.clone(),
        importer_tax_id: view.summary.importer_tax_id.clone(),
        recipients: repo::notified(pool, event.id).await?,
        text,
        due_on,
        outcome: (kind == EventKind::Outcome)
            .then(|| view.outcome.clone())
            .flatten(),
        attachments: message.map(|m| m.attachments.clone()).unwrap_or_default(),
        side: view.side,
    })
}

/// The importer's cases for its trader side, newest activity first.
pub async fn list_for_trader(
    pool: &PgPool,
    settings: &Settings,
    actor: &Actor,
) -> Result<Vec<super::CaseSummary>, AppError> {
    let importer = actor.principal();
    if !allowed(actor, Action::UseCases { owner: importer }) {
        return Err(crate::server::caller::forbidden());
    }
    let calendar = calendar(pool).await?;
    let today = settings.cases.today();
    let ids = repo::importer_cases(pool, importer).await?;
    let mut out = Vec::with_capacity(ids.len());
    for case in ids {
        let days = clock(settings, &case).elapsed(&calendar, today);
        out.push(repo::summary(pool, case.id, Side::Trader, days, today).await?);
    }
    Ok(out)
}

/// Messages of the other side the caller's side has not opened: the importer's for its trader
/// side, the cases assigned to the caller for customs staff.
pub async fn unread(pool: &PgPool, actor: &Actor) -> Result<i64, AppError> {
    let importer = actor.principal();
    if allowed(actor, Action::UseCases { owner: importer }) {
        return Ok(repo::unread_for_importer(pool, importer).await?);
    }
    if allowed(actor, Action::ReadCases) {
        return Ok(repo::unread_for_assignee(pool, actor.user_id).await?);
    }
    Ok(0)
}

/// Now, for the pages' "as of" lines.
pub fn now_text() -> String {
    repo::time_text(Utc::now())
}
