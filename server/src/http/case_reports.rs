//! The supervisors' case reports as a CSV download (`/customs/reports.csv?from=&to=`): the same
//! tables as the reports page, with formula-like cells neutralised.

use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::header;

use app::error::AppError;
use app::features::casework::{ReportFilter, service};
use app::i18n::Lang;
use app::server::caller::RequestFacts;

use super::error::HttpError;
use super::state::AppState;

pub async fn download(
    State(state): State<AppState>,
    facts: Option<Extension<RequestFacts>>,
    Extension(lang): Extension<Lang>,
    Query(filter): Query<ReportFilter>,
) -> Result<Response, HttpError> {
    let page = HttpError::page(lang);
    let Some(session) = facts.and_then(|Extension(f)| f.session) else {
        return Err(page(AppError::Unauthenticated));
    };
    let reports = service::reports(&state.pool, &state.settings, &session.actor, &filter, lang)
        .await
        .map_err(&page)?;
    let body = service::reports_csv(lang, &reports).map_err(&page)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"case-reports-{}-{}.csv\"",
                    reports.from, reports.to
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
