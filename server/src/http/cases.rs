//! The case routes that are not Leptos pages, thin over `app::features::cases::service`:
//! `POST /cases/{reference}/messages` (multipart: `body`, `client_key`, `purpose`,
//! `library_id` repeated, `doc_type`, then `file` repeated; 303 back to `/cases/{reference}#thread`
//! so it works without JavaScript; a refusal the writer can correct answers 422 with a page that
//! says why and gives back the text typed) and `GET /cases/{reference}/attachments/{id}` (the file,
//! streamed; audited for customs).
//!
//! The text fields are read first and checked against the case before any file is read; each
//! file is then streamed into a blob by the same upload pipeline as documents, and the message,
//! its files, its step, the timeline event and the notifications are written in one transaction.
//! A repeated form (the same `client_key`) finds the message it made and stores nothing more.

use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use app::error::AppError;
use app::features::cases::service::{self, MessageForm, Upload};
use app::i18n::{Lang, Msg, t};
use app::labels::refusal_message;
use app::server::outbox::escape_html;
use app::server::uploads::{self, ReceiveError};

use super::caller::DocumentsCaller;
use super::documents::{file_response, small_text};
use super::error::HttpError;
use super::page;
use super::state::AppState;

enum Failure {
    App(AppError),
    Form(MultipartError),
    /// The message was refused for something the writer can correct: nothing was kept, and the
    /// answer gives back what they typed.
    NotSent {
        problems: Vec<String>,
        body: String,
    },
}

/// A refusal the writer can correct becomes [`Failure::NotSent`]; anything else stays as it is.
fn not_sent(error: AppError, body: &str) -> Failure {
    let problems = match error {
        AppError::Invalid(message) => vec![message],
        AppError::Fields(problems) => problems.into_iter().map(|(_, message)| message).collect(),
        other => return Failure::App(other),
    };
    Failure::NotSent {
        problems,
        body: body.to_string(),
    }
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

/// `POST /cases/{reference}/messages`.
pub async fn post_message(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    Path(reference): Path<String>,
    form: Multipart,
) -> Response {
    let lang = caller.caller.lang;
    match handle(&state, &caller, &reference, form).await {
        Ok(reference) => Redirect::to(&format!("/cases/{reference}#thread")).into_response(),
        Err(Failure::App(error)) => HttpError::page(lang)(error).into_response(),
        Err(Failure::Form(error)) => HttpError::Form { error, lang }.into_response(),
        Err(Failure::NotSent { problems, body }) => {
            not_sent_page(lang, &reference, &problems, &body)
        }
    }
}

/// The answer to a message that was not sent: why, the text as typed (to copy), and the way back.
fn not_sent_page(lang: Lang, reference: &str, problems: &[String], body: &str) -> Response {
    let mut html = page::paragraph(t(lang, Msg::CasesMessageNotSentIntro));
    html.push_str("<ul class=\"list list--bullet error-message\" id=\"not-sent-problems\">");
    for problem in problems {
        html.push_str(&format!("<li>{}</li>", escape_html(problem)));
    }
    html.push_str("</ul>");
    if !body.trim().is_empty() {
        html.push_str(&format!(
            "<div class=\"form-group\"><label class=\"label\" for=\"typed\">{}</label>\
             <textarea class=\"textarea\" id=\"typed\" rows=\"8\" readonly>{}</textarea></div>",
            escape_html(t(lang, Msg::CasesMessageYourText)),
            escape_html(body)
        ));
    }
    // Only a well-formed reference goes back into the link.
    let back = match app::domain::readable_ref::parse_case(reference) {
        Some(reference) => format!("/cases/{reference}#message-form"),
        None => "/cases".to_string(),
    };
    html.push_str(&page::back_link(&back, t(lang, Msg::CasesBackToCase)));
    page::page(
        lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        t(lang, Msg::CasesMessageNotSentTitle),
        &html,
    )
}

async fn handle(
    state: &AppState,
    caller: &DocumentsCaller,
    reference: &str,
    mut form: Multipart,
) -> Result<String, Failure> {
    let caller = &caller.caller;
    let mut fields = MessageForm::default();
    let first = loop {
        let Some(mut field) = form.next_field().await? else {
            break None;
        };
        match field.name() {
            Some("file") => break Some(field),
            Some("body") => fields.body = long_text(&mut field).await?,
            Some("client_key") => fields.client_key = small_text(&mut field).await?,
            Some("purpose") => fields.purpose = small_text(&mut field).await?,
            Some("doc_type") => fields.doc_type = small_text(&mut field).await?,
            Some("library_id" | "library_id[]") => {
                fields.library_ids.push(small_text(&mut field).await?)
            }
            _ => continue,
        }
    };
    let checked = service::check_message(&state.pool, &state.settings, caller, reference, &fields)
        .await
        .map_err(|e| not_sent(e, &fields.body))?;
    let reference = checked.case.reference.clone();
    if checked.repeated {
        return Ok(reference);
    }
    let mut received: Vec<Upload> = Vec::new();
    let mut next = first;
    loop {
        let Some(field) = next.take() else {
            match form.next_field().await {
                Ok(Some(field)) => {
                    next = Some(field);
                    continue;
                }
                Ok(None) => break,
                Err(error) => {
                    discard(state, &received).await;
                    return Err(error.into());
                }
            }
        };
        let Some(name) = field
            .file_name()
            .filter(|n| !n.is_empty())
            .map(str::to_string)
        else {
            continue;
        };
        if field.name() != Some("file") {
            continue;
        }
        match uploads::receive(
            &state.pool,
            &state.settings.documents,
            checked.blob_owner,
            &name,
            field,
        )
        .await
        {
            Ok(r) => received.push(Upload {
                file_name: app::domain::documents::clean_file_name(&name).unwrap_or(name),
                received: r,
            }),
            Err(ReceiveError::Refused(refusal)) => {
                discard(state, &received).await;
                let limits = state.settings.documents.limits();
                let shown = app::domain::documents::clean_file_name(&name).unwrap_or(name);
                let message = format!(
                    "{shown}: {}",
                    refusal_message(caller.lang, refusal, &limits, "")
                );
                return Err(not_sent(AppError::Invalid(message), &fields.body));
            }
            Err(ReceiveError::Failed(error)) => {
                discard(state, &received).await;
                return Err(error.into());
            }
        }
    }
    match service::post_message(&state.pool, &state.settings, caller, &checked, &received).await {
        Ok(true) => Ok(reference),
        Ok(false) => {
            discard(state, &received).await;
            Ok(reference)
        }
        Err(error) => {
            discard(state, &received).await;
            Err(not_sent(error, &fields.body))
        }
    }
}

/// A message's text: at most 10,000 characters are allowed, so somewhat more bytes are kept
/// (the rest is read and dropped, and the length check refuses it).
async fn long_text(
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<String, MultipartError> {
    const LIMIT: usize = 4 * 10_000 + 4;
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = LIMIT.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

async fn discard(state: &AppState, received: &[Upload]) {
    for upload in received {
        let blob_id = upload.received.blob_id;
        if let Err(error) = app::server::blobs::delete(&state.pool, blob_id).await {
            tracing::warn!(%blob_id, %error, "could not delete an unattached case upload");
        }
    }
}

/// `GET /cases/{reference}/attachments/{id}`.
pub async fn download(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    Path((reference, id)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let lang = caller.caller.lang;
    let file = service::attachment(&state.pool, &caller.caller, &reference, &id)
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
