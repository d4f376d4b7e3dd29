//! What every server function reads from the request's context: the database pool, the
//! settings, and the response to add a cookie to.

use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::error::AppError;
use crate::server::settings::Settings;

/// The database pool the server put in the context.
pub fn pool() -> Result<sqlx::PgPool, AppError> {
    use_context::<sqlx::PgPool>().ok_or_else(|| AppError::internal("no database pool in context"))
}

/// The deployment's settings.
pub fn settings() -> Result<Settings, AppError> {
    use_context::<Settings>().ok_or_else(|| AppError::internal("no settings in context"))
}

/// This process changed reference data a check reads (the change has committed): checks read it
/// afresh at once, without waiting for PostgreSQL's notification.
pub fn reference_changed() {
    if let Some(version) = use_context::<crate::server::reference_version::ReferenceVersion>() {
        version.bump();
    }
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
