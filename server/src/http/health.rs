use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};
use serde_json::json;

use super::state::AppState;

/// `GET /healthz`: 200 `{"status":"ok","database":"ok"}`, or 503 with `"database":"down"` when the
/// database does not answer within two seconds.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let database_up = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query("SELECT 1").execute(&state.pool),
    )
    .await
    .is_ok_and(|result| result.is_ok());
    let (status, body) = if database_up {
        (StatusCode::OK, json!({"status": "ok", "database": "ok"}))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "unavailable", "database": "down"}),
        )
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}
