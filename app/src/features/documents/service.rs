//! The documents workflow, shared by the page's upload route, the server functions and the
//! JSON API: who may open an assessment's documents, the upload form's checks, each file
//! streamed through the upload pipeline and attached in one transaction (a document is visible
//! only once its whole upload committed), removal of drafts, attaching a library document (the
//! same stored file, no copy), submission to customs, the receipt, and downloads.
//!
//! Access: the trader side is [`Action::UseDocuments`] on the assessment's owner (a broker
//! works on it while acting for that importer); customs staff read a submitted assessment's
//! submitted documents ([`Action::ReadSubmitted`]), the confidential ones only when assigned to
//! an open case on it (or as supervisors and auditors). An assessment a case sent to customs
//! names counts as submitted. Anything else is "not found", so another organisation's reference
//! or document is not even confirmed to exist.
//!
//! A new version is one file: when an upload names the document it `supersedes`, its first
//! file replaces that document and any further files of the same upload are added alongside.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    AssessmentDocuments, DocumentRow, FileAnswer, LibraryChoice, Receipt, Suggestion, repo,
};
use crate::domain::documents::{
    Confidentiality, DocType, Refusal, UploadLimits, Validity, clean_file_name, suggested_types,
};
use crate::error::AppError;
use crate::features::library::repo as library;
use crate::i18n::{Lang, Msg, fmt, t};
use crate::policy::{Action, Actor, Decision, OrgKind, Role, decide};
use crate::server::audit::{self, AuditEvent};
use crate::server::settings::DocumentSettings;
use crate::server::uploads::{self, ReceiveError, Received};
use crate::server::{blobs, tokens};

/// The longest description of a document, in characters.
pub const DESCRIPTION_MAX: usize = 200;

pub use crate::server::caller::Caller;

fn allowed(actor: &Actor, action: Action) -> bool {
    decide(Some(actor), action) == Decision::Allow
}

/// An audit event of the trader side on `assessment`: who did it, for which importer, from where.
fn trader_event<'a>(
    action: &'a str,
    caller: &'a Caller,
    assessment: &repo::Assessment,
) -> AuditEvent<'a> {
    AuditEvent::new(action, &caller.client_addr)
        .actor(Some(caller.actor.user_id))
        .acting_for(caller.actor.acting_for)
        .subject(assessment.reference.clone())
}

async fn find(pool: &PgPool, reference: &str) -> Result<Option<repo::Assessment>, AppError> {
    let Some(reference) = crate::domain::readable_ref::parse(reference) else {
        return Ok(None);
    };
    Ok(repo::find_assessment(pool, &reference).await?)
}

/// The assessment under `reference`, for the trader side; forbidden to its own people while
/// customs has not verified their organisation, not found for anyone else.
pub async fn for_trader(
    pool: &PgPool,
    actor: &Actor,
    reference: &str,
) -> Result<repo::Assessment, AppError> {
    let assessment = find(pool, reference)
        .await?
        .ok_or_else(AppError::not_found)?;
    if allowed(
        actor,
        Action::UseDocuments {
            owner: assessment.owner_id,
        },
    ) {
        return Ok(assessment);
    }
    Err(refusal(actor, assessment.owner_id))
}

/// Why `actor` may not use `owner`'s documents: forbidden when it is their own organisation's
/// assessment (not verified yet), else not found (another organisation's is never confirmed).
fn refusal(actor: &Actor, owner: Uuid) -> AppError {
    if allowed(actor, Action::UseAssessments { owner }) {
        crate::server::caller::forbidden()
    } else {
        AppError::not_found()
    }
}

/// The assessment under `reference` for reading its documents, and whether the caller is on
/// the trader side (else customs staff reading a submitted assessment).
pub async fn for_reader(
    pool: &PgPool,
    actor: &Actor,
    reference: &str,
) -> Result<(repo::Assessment, bool), AppError> {
    let Some(assessment) = find(pool, reference).await? else {
        return Err(AppError::not_found());
    };
    if allowed(
        actor,
        Action::UseDocuments {
            owner: assessment.owner_id,
        },
    ) {
        return Ok((assessment, true));
    }
    let customs = allowed(
        actor,
        Action::ReadSubmitted {
            confidential: false,
            assigned: false,
        },
    );
    if customs && assessment.submitted {
        return Ok((assessment, false));
    }
    Err(refusal(actor, assessment.owner_id))
}

/// Whether customs staff may read the assessment's confidential documents: supervisors and
/// auditors, and the officer assigned to an open case on it.
async fn reads_confidential(
    pool: &PgPool,
    actor: &Actor,
    assessment: Uuid,
) -> Result<bool, AppError> {
    let assigned = repo::assigned_to(pool, assessment, actor.user_id).await?;
    Ok(allowed(
        actor,
        Action::ReadSubmitted {
            confidential: true,
            assigned,
        },
    ))
}

/// Everything the assessment page shows about its documents.
pub async fn overview(
    pool: &PgPool,
    settings: &DocumentSettings,
    actor: &Actor,
    reference: &str,
    today: NaiveDate,
) -> Result<AssessmentDocuments, AppError> {
    let (assessment, trader_side) = match for_reader(pool, actor, reference).await {
        // Their own assessment, their organisation not verified yet: the page says so (and
        // stays a 200: the assessment itself is theirs to read).
        Err(AppError::Forbidden) => {
            crate::error::set_error_status(http::StatusCode::OK);
            return Ok(AssessmentDocuments {
                reference: reference.to_string(),
                documents: Vec::new(),
                suggested: Vec::new(),
                trader_side: true,
                submissions: Vec::new(),
                drafts: 0,
                library: Vec::new(),
                limits: settings.limits(),
                verification_needed: true,
            });
        }
        other => other?,
    };
    let with_confidential = trader_side || reads_confidential(pool, actor, assessment.id).await?;
    let documents = repo::list(pool, assessment.id, !trader_side, with_confidential).await?;
    let suggested = suggested_types(&assessment.evidence.0, assessment.saved_by_broker)
        .into_iter()
        .map(|doc_type| Suggestion {
            doc_type,
            present: documents
                .iter()
                .any(|d| d.doc_type == doc_type && d.superseded_by.is_none()),
        })
        .collect();
    let library_readable = trader_side
        && allowed(
            actor,
            Action::ReadLibrary {
                owner: assessment.owner_id,
            },
        );
    let library = if library_readable {
        library::attachable(pool, assessment.owner_id, today)
            .await?
            .into_iter()
            .map(|e| LibraryChoice {
                id: e.id,
                doc_type: DocType::parse(&e.doc_type).unwrap_or(DocType::Other),
                title: e.title,
                file_name: e.file_name,
                valid_until: e.valid_until,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(AssessmentDocuments {
        reference: assessment.reference.clone(),
        drafts: documents
            .iter()
            .filter(|d| d.submitted_at.is_none())
            .count(),
        documents,
        suggested,
        trader_side,
        submissions: repo::submissions(pool, assessment.id).await?,
        library,
        limits: settings.limits(),
        verification_needed: false,
    })
}

/// The upload form's text fields, as sent.
#[derive(Clone, Debug, Default)]
pub struct UploadForm {
    pub doc_type: String,
    pub description: String,
    pub confidentiality: String,
    pub supersedes: String,
}

/// The upload form once checked.
#[derive(Clone, Debug)]
pub struct ValidForm {
    pub doc_type: DocType,
    pub description: String,
    pub confidentiality: Confidentiality,
    /// The document the first file replaces.
    pub supersedes: Option<Uuid>,
}

/// The problems of a form, by field, in the caller's language.
pub type FieldProblems = Vec<(&'static str, String)>;

/// A description of 1 to [`DESCRIPTION_MAX`] characters, or its problem.
fn description(text: &str, lang: Lang) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        Err(t(lang, Msg::FilingDescriptionMissing).to_string())
    } else if text.chars().count() > DESCRIPTION_MAX {
        Err(fmt::filing_description_too_long(lang, DESCRIPTION_MAX))
    } else {
        Ok(text.to_string())
    }
}

/// Checks the form's fields against the assessment: a known type, a description of 1-200
/// characters, a confidentiality level, and, if given, a current document of this assessment
/// to replace.
pub async fn check_form(
    pool: &PgPool,
    assessment: &repo::Assessment,
    form: &UploadForm,
    lang: Lang,
) -> Result<Result<ValidForm, FieldProblems>, AppError> {
    let mut problems: FieldProblems = Vec::new();
    let doc_type = DocType::parse(form.doc_type.trim());
    if doc_type.is_none() {
        problems.push(("doc_type", t(lang, Msg::FilingDocTypeMissing).to_string()));
    }
    let description = description(&form.description, lang)
        .map_err(|message| problems.push(("description", message)))
        .ok();
    let confidentiality = Confidentiality::parse(form.confidentiality.trim());
    if confidentiality.is_none() {
        problems.push((
            "confidentiality",
            t(lang, Msg::FilingConfidentialityMissing).to_string(),
        ));
    }
    let supersedes = match form.supersedes.trim() {
        "" => None,
        text => {
            let current = match Uuid::parse_str(text) {
                Ok(id) => repo::is_current(pool, assessment.id, id)
                    .await?
                    .then_some(id),
                Err(_) => None,
            };
            if current.is_none() {
                problems.push((
                    "supersedes",
                    t(lang, Msg::FilingSupersedesInvalid).to_string(),
                ));
            }
            current
        }
    };
    Ok(match (doc_type, description, confidentiality) {
        (Some(doc_type), Some(description), Some(confidentiality)) if problems.is_empty() => {
            Ok(ValidForm {
                doc_type,
                description,
                confidentiality,
                supersedes,
            })
        }
        _ => Err(problems),
    })
}

/// What became of one file: the answer the caller reads, and the refusal's detail (the name of
/// the document a duplicate repeats; empty otherwise) for the page's address.
#[derive(Clone, Debug)]
pub struct FileResult {
    pub answer: FileAnswer,
    pub detail: String,
}

impl FileResult {
    fn refused(
        lang: Lang,
        limits: &UploadLimits,
        file_name: &str,
        refusal: Refusal,
        detail: String,
    ) -> FileResult {
        FileResult {
            answer: FileAnswer {
                file_name: file_name.to_string(),
                document_id: None,
                refusal: Some(refusal),
                message: crate::labels::refusal_message(lang, refusal, limits, &detail),
            },
            detail,
        }
    }

    /// The refusal, if the file was refused.
    pub fn refusal(&self) -> Option<Refusal> {
        self.answer.refusal
    }
}

/// Streams one file into a new document of the assessment: the name is cleaned, the count
/// limit checked, the bytes received (hashed, scanned, typed), then in one transaction the
/// duplicate check, the document row, the blob marked complete and the audit record. A
/// refused file leaves nothing behind. `supersedes`: the version this file replaces (checked by
/// [`check_form`]; if another upload replaced it meanwhile, the file is added alongside).
#[allow(clippy::too_many_arguments)]
pub async fn upload_file<S, E>(
    pool: &PgPool,
    settings: &DocumentSettings,
    caller: &Caller,
    assessment: &repo::Assessment,
    form: &ValidForm,
    supersedes: Option<Uuid>,
    raw_file_name: &str,
    body: S,
) -> Result<FileResult, AppError>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let lang = caller.lang;
    let limits = settings.limits();
    let shown_name: String = raw_file_name.chars().filter(|c| !c.is_control()).collect();
    let Some(file_name) = clean_file_name(raw_file_name) else {
        return Ok(FileResult::refused(
            lang,
            &limits,
            &shown_name,
            Refusal::NoName,
            String::new(),
        ));
    };
    let too_many =
        |name: &str| FileResult::refused(lang, &limits, name, Refusal::TooMany, String::new());
    if repo::count(pool, assessment.id).await? >= i64::from(settings.max_files) {
        return Ok(too_many(&file_name));
    }
    let received =
        match uploads::receive(pool, settings, assessment.owner_id, &file_name, body).await {
            Ok(received) => received,
            Err(ReceiveError::Refused(refusal)) => {
                return Ok(FileResult::refused(
                    lang,
                    &limits,
                    &file_name,
                    refusal,
                    String::new(),
                ));
            }
            Err(ReceiveError::Failed(error)) => return Err(error),
        };
    let attached = attach_received(
        pool,
        settings.max_files,
        caller,
        assessment,
        (form, supersedes),
        &file_name,
        &received,
    )
    .await;
    match attached {
        Ok(Ok(id)) => Ok(FileResult {
            answer: FileAnswer {
                file_name: file_name.clone(),
                document_id: Some(id),
                refusal: None,
                message: fmt::filing_accepted(lang, &file_name),
            },
            detail: String::new(),
        }),
        Ok(Err((refusal, detail))) => {
            discard(pool, received.blob_id).await;
            Ok(FileResult::refused(
                lang, &limits, &file_name, refusal, detail,
            ))
        }
        Err(error) => {
            discard(pool, received.blob_id).await;
            Err(AppError::from(error))
        }
    }
}

/// Deletes the stored bytes of a file that was not attached (housekeeping removes them later
/// if this fails).
async fn discard(pool: &PgPool, blob_id: Uuid) {
    if let Err(error) = blobs::delete(pool, blob_id).await {
        tracing::warn!(%blob_id, %error, "could not delete an unattached upload");
    }
}

/// The transaction that makes a received file a document, or the refusal (with its detail)
/// that leaves it out.
async fn attach_received(
    pool: &PgPool,
    max_files: u32,
    caller: &Caller,
    assessment: &repo::Assessment,
    (form, supersedes): (&ValidForm, Option<Uuid>),
    file_name: &str,
    received: &Received,
) -> Result<Result<Uuid, (Refusal, String)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    repo::lock_assessment(&mut tx, assessment.id).await?;
    if repo::count(&mut *tx, assessment.id).await? >= i64::from(max_files) {
        return Ok(Err((Refusal::TooMany, String::new())));
    }
    if let Some(original) = repo::same_file(&mut *tx, assessment.id, &received.sha256).await? {
        return Ok(Err((Refusal::Duplicate, original)));
    }
    let supersedes = match supersedes {
        Some(id) if repo::is_current(&mut *tx, assessment.id, id).await? => Some(id),
        _ => None,
    };
    let id = Uuid::new_v4();
    repo::insert(
        &mut *tx,
        &repo::NewDocument {
            id,
            assessment: assessment.id,
            blob_id: received.blob_id,
            library_id: None,
            doc_type: form.doc_type,
            description: &form.description,
            confidential: form.confidentiality == Confidentiality::Confidential,
            file_name,
            sha256: &received.sha256,
            supersedes,
            uploaded_by: caller.actor.user_id,
            uploaded_by_org: caller.actor.org_id,
        },
    )
    .await?;
    blobs::complete(&mut tx, received).await?;
    audit::record(
        &mut *tx,
        trader_event("document.upload", caller, assessment).detail(json!({
            "document_id": id,
            "sha256": received.sha256,
            "file_name": file_name,
            "byte_size": received.byte_size,
            "format": received.format.code(),
            "scanned": received.scanned,
            "supersedes": supersedes,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Removes a draft document of the assessment, audited, in one transaction. Its stored bytes
/// stay until housekeeping finds nothing uses them (a library entry may).
pub async fn remove(
    pool: &PgPool,
    caller: &Caller,
    reference: &str,
    id: &str,
) -> Result<repo::Assessment, AppError> {
    let assessment = for_trader(pool, &caller.actor, reference).await?;
    let document = match Uuid::parse_str(id.trim()) {
        Ok(id) => repo::find(pool, id).await?,
        Err(_) => None,
    }
    .filter(|d| d.assessment_id == assessment.id)
    .ok_or_else(AppError::not_found)?;
    let lang = caller.lang;
    if document.submitted {
        return Err(AppError::invalid(t(lang, Msg::FilingRemoveSubmitted)));
    }
    if document.superseded {
        return Err(AppError::invalid(t(lang, Msg::FilingRemoveNewerFirst)));
    }
    let mut tx = pool.begin().await?;
    repo::lock_assessment(&mut tx, assessment.id).await?;
    if !repo::delete_draft(&mut tx, document.id).await? {
        return Err(AppError::invalid(t(lang, Msg::FilingRemoveSubmitted)));
    }
    audit::record(
        &mut *tx,
        trader_event("document.remove", caller, &assessment).detail(json!({
            "document_id": document.id,
            "sha256": document.sha256,
            "file_name": document.file_name,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(assessment)
}

/// Attaches a library document to the assessment: the same stored file (no copy), if the
/// caller may read the owner's library, it is a current version valid today, the assessment
/// does not hold the same file already and has room for one more document.
#[allow(clippy::too_many_arguments)]
pub async fn attach_from_library(
    pool: &PgPool,
    settings: &DocumentSettings,
    caller: &Caller,
    reference: &str,
    library_id: &str,
    description_text: &str,
    confidentiality: &str,
    today: NaiveDate,
) -> Result<repo::Assessment, AppError> {
    let lang = caller.lang;
    let limits = settings.limits();
    let assessment = for_trader(pool, &caller.actor, reference).await?;
    let readable = allowed(
        &caller.actor,
        Action::ReadLibrary {
            owner: assessment.owner_id,
        },
    );
    let mut problems: FieldProblems = Vec::new();
    let entry = match Uuid::parse_str(library_id.trim()) {
        Ok(id) if readable => library::find(pool, id)
            .await?
            .filter(|e| e.owner_id == assessment.owner_id),
        _ => None,
    };
    match &entry {
        None => problems.push(("library_id", t(lang, Msg::FilingLibraryMissing).to_string())),
        Some(e) if e.superseded => problems.push((
            "library_id",
            t(lang, Msg::FilingLibrarySuperseded).to_string(),
        )),
        Some(e) => match Validity::on(e.valid_from, e.valid_until, today) {
            v if v.attachable() => {}
            Validity::NotYet => {
                problems.push(("library_id", t(lang, Msg::FilingLibraryNotYet).to_string()))
            }
            _ => problems.push(("library_id", t(lang, Msg::FilingLibraryExpired).to_string())),
        },
    }
    let description = description(description_text, lang)
        .map_err(|message| problems.push(("description", message)))
        .ok();
    let confidentiality = Confidentiality::parse(confidentiality.trim());
    if confidentiality.is_none() {
        problems.push((
            "confidentiality",
            t(lang, Msg::FilingConfidentialityMissing).to_string(),
        ));
    }
    let (Some(entry), Some(description), Some(confidentiality), true) =
        (entry, description, confidentiality, problems.is_empty())
    else {
        return Err(fields(problems));
    };
    let mut tx = pool.begin().await?;
    repo::lock_assessment(&mut tx, assessment.id).await?;
    if repo::count(&mut *tx, assessment.id).await? >= i64::from(settings.max_files) {
        let message = crate::labels::refusal_message(lang, Refusal::TooMany, &limits, "");
        return Err(fields(vec![("library_id", message)]));
    }
    if let Some(original) = repo::same_file(&mut *tx, assessment.id, &entry.sha256).await? {
        let message = crate::labels::refusal_message(lang, Refusal::Duplicate, &limits, &original);
        return Err(fields(vec![("library_id", message)]));
    }
    let id = Uuid::new_v4();
    repo::insert(
        &mut *tx,
        &repo::NewDocument {
            id,
            assessment: assessment.id,
            blob_id: entry.blob_id,
            library_id: Some(entry.id),
            doc_type: DocType::parse(&entry.doc_type).unwrap_or(DocType::Other),
            description: &description,
            confidential: confidentiality == Confidentiality::Confidential,
            file_name: &entry.file_name,
            sha256: &entry.sha256,
            supersedes: None,
            uploaded_by: caller.actor.user_id,
            uploaded_by_org: caller.actor.org_id,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        trader_event("document.attach_library", caller, &assessment).detail(json!({
            "document_id": id,
            "library_id": entry.id,
            "sha256": entry.sha256,
            "file_name": entry.file_name,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(assessment)
}

fn fields(problems: FieldProblems) -> AppError {
    AppError::fields(
        problems
            .into_iter()
            .map(|(field, message)| (field.to_string(), message))
            .collect(),
    )
}

/// Submits every draft of the assessment to customs: the declaration must be confirmed
/// (`confirm` = `yes`) and there must be a draft. One transaction records the submission, marks
/// the drafts as part of it (from then on the database keeps them final) and audits it.
pub async fn submit(
    pool: &PgPool,
    caller: &Caller,
    reference: &str,
    confirm: &str,
) -> Result<repo::Assessment, AppError> {
    let lang = caller.lang;
    let assessment = for_trader(pool, &caller.actor, reference).await?;
    if confirm.trim() != "yes" {
        return Err(fields(vec![(
            "confirm",
            t(lang, Msg::FilingConfirmMissing).to_string(),
        )]));
    }
    let mut tx = pool.begin().await?;
    repo::lock_assessment(&mut tx, assessment.id).await?;
    let submission = Uuid::new_v4();
    let submitted =
        repo::submit_drafts(&mut tx, submission, assessment.id, caller.actor.user_id).await?;
    if submitted == 0 {
        return Err(fields(vec![(
            "documents",
            t(lang, Msg::FilingNothingToSubmit).to_string(),
        )]));
    }
    audit::record(
        &mut *tx,
        trader_event("assessment.submit", caller, &assessment)
            .detail(json!({ "submission_id": submission, "documents": submitted })),
    )
    .await?;
    tx.commit().await?;
    Ok(assessment)
}

/// The receipt of the latest submission, for the trader side: every submitted document with
/// its fingerprint. Not found before the first submission.
pub async fn receipt(pool: &PgPool, actor: &Actor, reference: &str) -> Result<Receipt, AppError> {
    let assessment = for_trader(pool, actor, reference).await?;
    let (submitted_at, submitted_by) = repo::latest_submission(pool, assessment.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let documents: Vec<DocumentRow> = repo::list(pool, assessment.id, false, true)
        .await?
        .into_iter()
        .filter(|d| d.submitted_at.is_some())
        .collect();
    Ok(Receipt {
        reference: assessment.reference,
        owner_name: assessment.owner_name,
        submitted_at,
        submitted_by,
        documents,
    })
}

/// A stored file ready to be streamed.
#[derive(Clone, Debug)]
pub struct Download {
    pub blob_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: u64,
}

/// A document to download: for the trader side, or for customs staff when it was submitted and
/// is not confidential (each such download audited). `reference`: the assessment the address
/// names, when it names one (the API's), which the document must belong to.
pub async fn download(
    pool: &PgPool,
    caller: &Caller,
    id: &str,
    reference: Option<&str>,
) -> Result<Download, AppError> {
    let document = match Uuid::parse_str(id.trim()) {
        Ok(id) => repo::find(pool, id).await?,
        Err(_) => None,
    }
    .filter(|d| {
        reference.is_none_or(|r| {
            crate::domain::readable_ref::parse(r).as_deref() == Some(d.reference.as_str())
        })
    })
    .ok_or_else(AppError::not_found)?;
    let actor = &caller.actor;
    let trader_side = allowed(
        actor,
        Action::UseDocuments {
            owner: document.owner_id,
        },
    );
    let customs = !trader_side
        && document.submitted
        && (if document.confidential {
            reads_confidential(pool, actor, document.assessment_id).await?
        } else {
            allowed(
                actor,
                Action::ReadSubmitted {
                    confidential: false,
                    assigned: false,
                },
            )
        });
    if !trader_side && !customs {
        return Err(AppError::not_found());
    }
    let stored = blobs::stored(pool, document.blob_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if customs {
        audit::record(
            pool,
            AuditEvent::new("document.download", &caller.client_addr)
                .actor(Some(actor.user_id))
                .subject(document.reference.clone())
                .detail(json!({
                    "document_id": document.id,
                    "sha256": document.sha256,
                    "file_name": document.file_name,
                })),
        )
        .await?;
    }
    Ok(Download {
        blob_id: document.blob_id,
        file_name: document.file_name,
        content_type: stored.content_type,
        byte_size: stored.byte_size,
    })
}

/// The user who created the live API token `token` (uploads through it are theirs).
pub async fn token_user(pool: &PgPool, token: &str) -> Result<Option<Uuid>, AppError> {
    Ok(repo::token_creator(pool, &tokens::hash(token.trim())).await?)
}

/// The actor an API token of `organisation` (created by `user`) works as on the assessment
/// under `reference`: a trader of its organisation, acting for the assessment's owner when the
/// organisation is a broker holding that importer's mandate in force. The policy then decides
/// as for a person; an unknown reference is not found.
pub async fn token_actor(
    pool: &PgPool,
    organisation: Uuid,
    user: Uuid,
    reference: &str,
) -> Result<Actor, AppError> {
    let assessment = find(pool, reference)
        .await?
        .ok_or_else(AppError::not_found)?;
    let (kind, verified) = repo::organisation_kind(pool, organisation)
        .await?
        .ok_or_else(AppError::not_found)?;
    let org_kind = OrgKind::parse(&kind).ok_or_else(AppError::not_found)?;
    let acting_for = match org_kind {
        OrgKind::Broker
            if repo::mandate_in_force(pool, organisation, assessment.owner_id).await? =>
        {
            Some(assessment.owner_id)
        }
        _ => None,
    };
    Ok(Actor {
        user_id: user,
        org_id: organisation,
        org_kind,
        role: Role::Trader,
        acting_for,
        verified,
    })
}
