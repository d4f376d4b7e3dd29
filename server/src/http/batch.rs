//! The batch check's two routes: `POST /check/batch/upload` (multipart: `file`) checks every
//! line of an invoice and saves the batch, then redirects (303) to its results page, so the form
//! works without JavaScript; a file that cannot be read goes back to the form with the reason
//! and saves nothing. `GET /check/batch/{reference}/results.csv` downloads the results. The work
//! is in `app::features::batches::service`.

use axum::Extension;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::header;

use app::features::batches::service::{Upload, check_upload, results_file};
use app::i18n::Lang;

use super::caller::BatchOwner;
use super::error::HttpError;
use super::state::AppState;

pub async fn upload(
    State(state): State<AppState>,
    caller: BatchOwner,
    Extension(lang): Extension<Lang>,
    form: Multipart,
) -> Result<Redirect, HttpError> {
    let upload = file_part(form).await.map_err(HttpError::batch_form(lang))?;
    let reference = check_upload(
        &state.pool,
        (&state.settings.bands, &state.check_cache),
        &state.settings.quotas,
        &caller.session,
        caller.owner,
        &caller.client_addr,
        upload,
        lang,
    )
    .await
    .map_err(HttpError::batch(lang))?;
    Ok(Redirect::to(&format!("/check/batch/{reference}")))
}

/// The form's `file` part, if it has one; its name without control characters, at most 200.
async fn file_part(mut form: Multipart) -> Result<Option<Upload>, MultipartError> {
    let mut upload = None;
    while let Some(field) = form.next_field().await? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name: String = field
            .file_name()
            .unwrap_or("invoice.csv")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let bytes = field.bytes().await?.into();
        upload = Some(Upload { file_name, bytes });
    }
    Ok(upload)
}

pub async fn results(
    State(state): State<AppState>,
    caller: BatchOwner,
    Extension(lang): Extension<Lang>,
    Path(reference): Path<String>,
) -> Result<Response, HttpError> {
    let (reference, body) = results_file(&state.pool, caller.owner, &reference, lang)
        .await
        .map_err(HttpError::page(lang))?;
    Ok((
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
        .into_response())
}
