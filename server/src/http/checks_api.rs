//! `POST /api/v1/checks`: the value check for one line or many (up to 10,000), as JSON, for an
//! organisation's systems. Authenticated by `Authorization: Bearer <token>` (tokens are created
//! and revoked on the account page; a revoked token is refused on its next request), before the
//! body is read. Each line runs through exactly the code the check page uses, so the verdict is
//! the same; the work is in `app::features::batches::service::check_api_body`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::response::{IntoResponse, Response};
use http::header;
use serde_json::json;

use app::features::batches::service::check_api_body;

use super::caller::{AcceptLanguage, ApiCaller};
use super::error::{ApiError, HttpError};
use super::state::AppState;

pub async fn checks(
    State(state): State<AppState>,
    caller: ApiCaller,
    AcceptLanguage(lang): AcceptLanguage,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    // The route's layer limits the size; a body cut off there cannot be read whole.
    let body = body.map_err(|_| ApiError::TooLarge)?;
    let settings = (
        &state.settings.bands,
        &state.settings.quotas,
        &state.api_lines,
        &state.check_cache,
    );
    let results = check_api_body(&state.pool, settings, caller.organisation, &body, lang)
        .await
        .map_err(HttpError::checks(lang))?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "results": results })),
    )
        .into_response())
}
