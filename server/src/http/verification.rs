//! Verification evidence, thin over `app::features::verification::service`:
//! `POST /organisation/evidence` (multipart, one `file`) for a trader organisation's
//! administrators, answered with a redirect (303) to `/account?evidence=1#verification`, or to
//! `/account?r=code|file|#verification` when the file is refused, or 413 with a page past the
//! size limit; and `GET /organisation/evidence/{id}`, the file, for the organisation's
//! administrators and valuation administrators.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use app::domain::documents::Refusal;
use app::features::documents::FileAnswer;
use app::features::documents::service::FileResult;
use app::features::verification::service::{self, Evidence};
use app::i18n::{Msg, t};

use super::caller::DocumentsCaller;
use super::documents::{file_response, short, too_large_page};
use super::error::HttpError;
use super::state::AppState;

/// `POST /organisation/evidence`.
pub async fn upload(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    mut form: Multipart,
) -> Result<Response, HttpError> {
    let lang = caller.caller.lang;
    service::provider(&caller.session).map_err(HttpError::page(lang))?;
    let file = loop {
        match form.next_field().await.map_err(HttpError::form(lang))? {
            Some(field) if field.name() == Some("file") => break Some(field),
            Some(_) => continue,
            None => break None,
        }
    };
    let Some(file) = file.filter(|f| f.file_name().is_some_and(|n| !n.is_empty())) else {
        return Ok(refused(Refusal::NoName, ""));
    };
    let raw_name = file.file_name().unwrap_or_default().to_string();
    let evidence = service::add_evidence(
        &state.pool,
        &state.settings.documents,
        (&caller.session, &caller.caller.client_addr),
        &raw_name,
        file,
    )
    .await
    .map_err(HttpError::page(lang))?;
    Ok(match evidence {
        Evidence::Added => Redirect::to("/account?evidence=1#verification").into_response(),
        Evidence::Refused {
            refusal: Refusal::TooLarge,
            file_name,
        } => {
            let limits = state.settings.documents.limits();
            let result = FileResult {
                answer: FileAnswer {
                    message: app::labels::refusal_message(lang, Refusal::TooLarge, &limits, ""),
                    file_name,
                    document_id: None,
                    refusal: Some(Refusal::TooLarge),
                },
                detail: String::new(),
            };
            too_large_page(
                lang,
                &[result],
                "/account#verification",
                t(lang, Msg::VerificationHeading),
            )
        }
        Evidence::Refused { refusal, file_name } => refused(refusal, &file_name),
    })
}

/// Back to the account page naming the refused file.
fn refused(refusal: Refusal, file_name: &str) -> Response {
    let query =
        serde_urlencoded::to_string([("r", format!("{}|{}|", refusal.code(), short(file_name)))])
            .unwrap_or_default();
    Redirect::to(&format!("/account?{query}#verification")).into_response()
}

/// `GET /organisation/evidence/{id}`.
pub async fn download(
    State(state): State<AppState>,
    caller: DocumentsCaller,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let lang = caller.caller.lang;
    let (blob_id, file_name, stored) = service::download(&state.pool, &caller.caller.actor, &id)
        .await
        .map_err(HttpError::page(lang))?;
    Ok(file_response(
        state.pool.clone(),
        blob_id,
        &file_name,
        &stored.content_type,
        stored.byte_size,
    ))
}
