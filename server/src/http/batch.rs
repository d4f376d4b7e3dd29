//! The batch check's two routes: `POST /check/batch/upload` (multipart: `file`) checks every
//! line of an invoice and saves the batch, then redirects (303) to its results page, so the form
//! works without JavaScript; a file that cannot be read goes back to the form with the reason
//! and saves nothing. `GET /check/batch/{reference}/results.csv` downloads the results.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{StatusCode, header};

use app::error::AppError;
use app::features::batches::file::{FileError, read};
use app::features::batches::repo::{NewBatch, find, insert, lines};
use app::features::batches::{export::results_csv, owner_of, service::check_lines};
use app::i18n::Lang;
use app::server::audit::AuditEvent;
use app::server::caller::RequestFacts;

use super::state::AppState;

fn back_with(code: &str, detail: &str) -> Response {
    let query =
        serde_urlencoded::to_string([("error", code), ("detail", detail)]).unwrap_or_default();
    Redirect::to(&format!("/check/batch?{query}#upload")).into_response()
}

fn refused(error: AppError, lang: Lang) -> Response {
    match error {
        AppError::Unauthenticated => Redirect::to("/sign-in").into_response(),
        AppError::Forbidden => (StatusCode::FORBIDDEN, error.user_message(lang)).into_response(),
        AppError::NotFound => (StatusCode::NOT_FOUND, error.user_message(lang)).into_response(),
        other => (StatusCode::INTERNAL_SERVER_ERROR, other.user_message(lang)).into_response(),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(facts): Extension<RequestFacts>,
    Extension(lang): Extension<Lang>,
    mut form: Multipart,
) -> Response {
    let (session, owner) = match owner_of(facts.session.as_ref()) {
        Ok(allowed) => allowed,
        Err(e) => return refused(e, lang),
    };
    let mut upload = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name: String = field
                    .file_name()
                    .unwrap_or("invoice.csv")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes)),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return back_with("too_large", "");
                    }
                    Err(e) => return (e.status(), e.body_text()).into_response(),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return back_with("too_large", "");
            }
            Err(e) => return (e.status(), e.body_text()).into_response(),
        }
    }
    let Some((file_name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return back_with("no_file", "");
    };
    let lines_in = match read(&bytes) {
        Ok(lines) => lines,
        Err(error) => {
            let (code, detail) = FileError::code(&error);
            return back_with(code, &detail);
        }
    };
    let started = std::time::Instant::now();
    let results = match check_lines(&state.pool, &state.settings.bands, lines_in, lang).await {
        Ok(results) => results,
        Err(e) => return refused(e, lang),
    };
    let reference = app::features::assessments::repo::new_reference();
    let subject = format!("{reference} ({} lines)", results.len());
    let event = AuditEvent::new("batch.check", &facts.client_addr)
        .actor(Some(session.actor.user_id))
        .acting_for(session.actor.acting_for)
        .subject(subject);
    let batch = NewBatch {
        reference: &reference,
        owner,
        created_by: session.actor.user_id,
        file_name: &file_name,
        results: &results,
    };
    if let Err(e) = insert(&state.pool, &batch, event).await {
        return refused(AppError::internal(e), lang);
    }
    tracing::info!(
        lines = results.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "batch checked"
    );
    Redirect::to(&format!("/check/batch/{reference}")).into_response()
}

pub async fn results(
    State(state): State<AppState>,
    Extension(facts): Extension<RequestFacts>,
    Extension(lang): Extension<Lang>,
    Path(reference): Path<String>,
) -> Response {
    let (_, owner) = match owner_of(facts.session.as_ref()) {
        Ok(allowed) => allowed,
        Err(e) => return refused(e, lang),
    };
    let Some(reference) = app::domain::readable_ref::parse(&reference) else {
        return refused(AppError::NotFound, lang);
    };
    let found = match find(&state.pool, owner, &reference).await {
        Ok(Some((id, _))) => lines(&state.pool, id, 0, i64::MAX).await,
        Ok(None) => return refused(AppError::NotFound, lang),
        Err(e) => Err(e),
    };
    let body = match found
        .map_err(AppError::internal)
        .and_then(|l| results_csv(&l, lang).map_err(AppError::internal))
    {
        Ok(body) => body,
        Err(e) => return refused(e, lang),
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{reference}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
