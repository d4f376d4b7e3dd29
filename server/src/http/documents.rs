//! The supporting documents' routes, thin over `app::features::documents::service`:
//! `POST /assessments/{reference}/documents` (multipart: `doc_type`, `description`,
//! `confidentiality`, optional `supersedes`, then one or more `files`), `GET /documents/{id}`
//! (the file), and the token API's `GET`/`POST /api/v1/assessments/{reference}/documents` and
//! `GET /api/v1/assessments/{reference}/documents/{id}`.
//!
//! The text fields are read first (each capped at [`TEXT_LIMIT`] bytes); each file part is then
//! passed on as the stream of chunks it arrives in, never gathered in memory. Without
//! `Accept: application/json` the upload answers with a redirect (303) back to the assessment
//! (`?accepted=n&r=code|file|detail...#documents`, or `?error=field...#upload` for a wrong
//! form), so the form works without JavaScript; with it (the page's script, the API), a JSON
//! answer per file (200), the form's problems (422), or 413 when a file passes the size limit:
//! the request stops there, the rest of it is not read.

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{StatusCode, header};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sqlx::PgPool;
use uuid::Uuid;

use app::domain::documents::{Refusal, ascii_file_name};
use app::error::AppError;
use app::features::documents::FileAnswer;
use app::features::documents::repo::Assessment;
use app::features::documents::service::{self, Caller, FieldProblems, FileResult, UploadForm};
use app::i18n::{Lang, Msg, t};

use super::caller::{ApiTokenCaller, DocumentsCaller};
use super::error::HttpError;
use super::state::AppState;

/// The most of a text field that is kept (the longest valid one is 200 characters).
pub const TEXT_LIMIT: usize = 4096;

/// How a caller wants to be answered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A browser without JavaScript: redirects and pages.
    Page,
    /// The page's script or the API: JSON.
    Json,
}

impl Mode {
    fn error(self, lang: Lang) -> impl Fn(AppError) -> HttpError {
        move |error| match self {
            Mode::Page => HttpError::Page { error, lang },
            Mode::Json => HttpError::Api(super::error::ApiError::App { error, lang }),
        }
    }
}

/// What an upload came to.
enum Outcome {
    /// The form is wrong (nothing was read beyond its fields).
    Problems(FieldProblems),
    /// Each file's result, in order; `too_large`: the last one passed the size limit and the
    /// request stopped there.
    Files {
        results: Vec<FileResult>,
        too_large: bool,
    },
}

/// Why an upload could not be handled.
enum Failure {
    App(AppError),
    Form(MultipartError),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::App(error)
    }
}

impl From<MultipartError> for Failure {
    fn from(error: MultipartError) -> Self {
        Failure::Form(error)
    }
}

/// `POST /assessments/{reference}/documents`.
pub async fn upload(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    Path(reference): Path<String>,
    form: Multipart,
) -> Response {
    let mode = if caller.json { Mode::Json } else { Mode::Page };
    handle_upload(&state, &caller.caller, &reference, form, mode).await
}

/// `POST /api/v1/assessments/{reference}/documents`: the same upload with a token, answered in
/// JSON.
pub async fn api_upload(
    State(state): State<AppState>,
    token: ApiTokenCaller,
    Path(reference): Path<String>,
    form: Multipart,
) -> Response {
    match token_caller(&state, &token, &reference).await {
        Ok(caller) => handle_upload(&state, &caller, &reference, form, Mode::Json).await,
        Err(error) => error.into_response(),
    }
}

/// `GET /api/v1/assessments/{reference}/documents`: the assessment's documents (every version,
/// oldest first) as JSON.
pub async fn api_list(
    State(state): State<AppState>,
    token: ApiTokenCaller,
    Path(reference): Path<String>,
) -> Result<Response, HttpError> {
    let caller = token_caller(&state, &token, &reference).await?;
    let today = chrono::Utc::now().date_naive();
    let overview = service::overview(
        &state.pool,
        &state.settings.documents,
        &caller.actor,
        &reference,
        today,
    )
    .await
    .map_err(HttpError::api(token.lang))?;
    Ok((
        [(header::CACHE_CONTROL, "private, no-store")],
        Json(overview.documents),
    )
        .into_response())
}

/// `GET /api/v1/assessments/{reference}/documents/{id}`: one document's file.
pub async fn api_download(
    State(state): State<AppState>,
    token: ApiTokenCaller,
    Path((reference, id)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let caller = token_caller(&state, &token, &reference).await?;
    let file = service::download(&state.pool, &caller, &id, Some(&reference))
        .await
        .map_err(HttpError::api(token.lang))?;
    Ok(file_response(
        state.pool.clone(),
        file.blob_id,
        &file.file_name,
        &file.content_type,
        file.byte_size,
    ))
}

/// `GET /documents/{id}`: a document's file, for the trader side or (submitted, not
/// confidential, audited) for customs staff.
pub async fn download(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let lang = caller.caller.lang;
    let file = service::download(&state.pool, &caller.caller, &id, None)
        .await
        .map_err(HttpError::page(lang))?;
    Ok(file_response(
        state.pool.clone(),
        file.blob_id,
        &file.file_name,
        &file.content_type,
        file.byte_size,
    ))
}

/// The caller a token is on the assessment under `reference` (see
/// `service::token_actor`).
async fn token_caller(
    state: &AppState,
    token: &ApiTokenCaller,
    reference: &str,
) -> Result<Caller, HttpError> {
    let actor = service::token_actor(&state.pool, token.organisation, token.user, reference)
        .await
        .map_err(HttpError::api(token.lang))?;
    Ok(Caller {
        actor,
        client_addr: token.client_addr.clone(),
        lang: token.lang,
    })
}

async fn handle_upload(
    state: &AppState,
    caller: &Caller,
    reference: &str,
    form: Multipart,
    mode: Mode,
) -> Response {
    let lang = caller.lang;
    let assessment = match service::for_trader(&state.pool, &caller.actor, reference).await {
        Ok(assessment) => assessment,
        Err(error) => return mode.error(lang)(error).into_response(),
    };
    let outcome = match read_upload(state, caller, &assessment, form).await {
        Ok(outcome) => outcome,
        Err(Failure::App(error)) => return mode.error(lang)(error).into_response(),
        Err(Failure::Form(error)) => return HttpError::Form { error, lang }.into_response(),
    };
    let reference = &assessment.reference;
    match (outcome, mode) {
        (Outcome::Problems(problems), Mode::Page) => {
            let query = serde_urlencoded::to_string(
                problems
                    .iter()
                    .map(|(field, _)| ("error", *field))
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_default();
            Redirect::to(&format!("/assessments/{reference}?{query}#upload")).into_response()
        }
        (Outcome::Problems(problems), Mode::Json) => HttpError::Unprocessable(
            problems
                .into_iter()
                .map(|(field, message)| (field.to_string(), message))
                .collect(),
        )
        .into_response(),
        (Outcome::Files { results, too_large }, Mode::Json) => {
            let status = if too_large {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::OK
            };
            let answers: Vec<FileAnswer> = results.into_iter().map(|r| r.answer).collect();
            (status, Json(answers)).into_response()
        }
        (Outcome::Files { results, too_large }, Mode::Page) if too_large => {
            let back = format!("/assessments/{reference}#documents");
            too_large_page(lang, &results, &back, t(lang, Msg::FilingBackToAssessment))
        }
        (Outcome::Files { results, .. }, Mode::Page) => {
            Redirect::to(&files_location(reference, &results)).into_response()
        }
    }
}

/// Reads the form's fields, then streams each file into a document.
async fn read_upload(
    state: &AppState,
    caller: &Caller,
    assessment: &Assessment,
    mut form: Multipart,
) -> Result<Outcome, Failure> {
    let mut fields = UploadForm::default();
    let first = loop {
        let Some(mut field) = form.next_field().await? else {
            break None;
        };
        let target = match field.name() {
            Some("files") => break Some(field),
            Some("doc_type") => &mut fields.doc_type,
            Some("description") => &mut fields.description,
            Some("confidentiality") => &mut fields.confidentiality,
            Some("supersedes") => &mut fields.supersedes,
            _ => continue,
        };
        *target = small_text(&mut field).await?;
    };
    let lang = caller.lang;
    let checked = service::check_form(&state.pool, assessment, &fields, lang).await?;
    let chosen = first
        .as_ref()
        .is_some_and(|f| f.file_name().is_some_and(|n| !n.is_empty()));
    let valid = match checked {
        Ok(valid) if chosen => valid,
        Ok(_) => return Ok(Outcome::Problems(vec![no_file(lang)])),
        Err(mut problems) => {
            if !chosen {
                problems.push(no_file(lang));
            }
            return Ok(Outcome::Problems(problems));
        }
    };
    let mut results: Vec<FileResult> = Vec::new();
    // The version named replaces the first file that is accepted.
    let mut supersedes = valid.supersedes;
    if let Some(field) = first {
        let result = store(state, caller, assessment, &valid, &mut supersedes, field).await?;
        let too_large = result.refusal() == Some(Refusal::TooLarge);
        results.push(result);
        if too_large {
            return Ok(Outcome::Files { results, too_large });
        }
    }
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // The whole request passed its route's limit (more files than allowed, each
            // within the size limit): what was stored stays, the rest is refused.
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Ok(Outcome::Files {
                    results,
                    too_large: true,
                });
            }
            Err(error) => return Err(error.into()),
        };
        if field.name() != Some("files") || field.file_name().is_none_or(str::is_empty) {
            continue;
        }
        let result = store(state, caller, assessment, &valid, &mut supersedes, field).await?;
        let too_large = result.refusal() == Some(Refusal::TooLarge);
        results.push(result);
        if too_large {
            return Ok(Outcome::Files { results, too_large });
        }
    }
    Ok(Outcome::Files {
        results,
        too_large: false,
    })
}

/// Streams one file part into a document; once one is accepted, no later file replaces the
/// version the form names.
async fn store(
    state: &AppState,
    caller: &Caller,
    assessment: &Assessment,
    valid: &service::ValidForm,
    supersedes: &mut Option<Uuid>,
    field: Field<'_>,
) -> Result<FileResult, Failure> {
    let name = field.file_name().unwrap_or_default().to_string();
    let result = service::upload_file(
        &state.pool,
        &state.settings.documents,
        caller,
        assessment,
        valid,
        *supersedes,
        &name,
        field,
    )
    .await?;
    if result.answer.document_id.is_some() {
        *supersedes = None;
    }
    Ok(result)
}

fn no_file(lang: Lang) -> (&'static str, String) {
    ("files", t(lang, Msg::FilingNoFile).to_string())
}

/// A text field, of which at most [`TEXT_LIMIT`] bytes are kept (the rest is read and
/// dropped, so a huge field costs no memory and still fails its length check).
pub async fn small_text(field: &mut Field<'_>) -> Result<String, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = TEXT_LIMIT.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A name or detail in the redirect's address: without the separator, at most 100 characters.
pub fn short(text: &str) -> String {
    text.chars()
        .map(|c| if c == '|' { '¦' } else { c })
        .take(100)
        .collect()
}

/// Back to the assessment's documents with how many files were accepted and each refusal as
/// `code|file name|detail`.
fn files_location(reference: &str, results: &[FileResult]) -> String {
    let accepted = results
        .iter()
        .filter(|r| r.answer.document_id.is_some())
        .count();
    let mut query = vec![("accepted", accepted.to_string())];
    for result in results {
        if let Some(refusal) = result.refusal() {
            query.push((
                "r",
                format!(
                    "{}|{}|{}",
                    refusal.code(),
                    short(&result.answer.file_name),
                    short(&result.detail)
                ),
            ));
        }
    }
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    format!("/assessments/{reference}?{query}#documents")
}

/// The 413 page for a person: the refusal's message (naming the limit), what happened to the
/// files before it, and a link back.
pub fn too_large_page(lang: Lang, results: &[FileResult], back: &str, back_text: &str) -> Response {
    let message = results
        .last()
        .map(|r| r.answer.message.clone())
        .unwrap_or_default();
    let mut body = super::page::paragraph(&message);
    if results.len() > 1 {
        body.push_str(&super::page::paragraph(t(lang, Msg::FilingTooLargeKept)));
    }
    body.push_str(&super::page::back_link(back, back_text));
    super::page::page(
        lang,
        StatusCode::PAYLOAD_TOO_LARGE,
        t(lang, Msg::FilingTooLargeTitle),
        &body,
    )
}

/// Characters kept as they are in `filename*` (RFC 8187 `attr-char`, less the rarely safe).
const FILENAME_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A stored file as a download, streamed one chunk row at a time: its stored content type,
/// always as an attachment (an ASCII `filename` and the exact UTF-8 `filename*`), never sniffed
/// and never cached by a shared cache.
pub fn file_response(
    pool: PgPool,
    blob_id: Uuid,
    file_name: &str,
    content_type: &str,
    byte_size: u64,
) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_file_name(file_name),
        utf8_percent_encode(file_name, FILENAME_KEEP)
    );
    let body = Body::from_stream(app::server::blobs::chunks(pool, blob_id));
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, byte_size.to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
