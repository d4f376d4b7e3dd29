//! The HTTP surface: routes, and the layers every request passes through.

pub mod api;
pub mod batch;
pub mod caching;
pub mod caller;
pub mod case_reports;
pub mod cases;
pub mod checks_api;
pub mod documents;
pub mod error;
pub mod health;
pub mod library;
pub mod middleware;
pub mod page;
pub mod reference_upload;
pub mod serve;
pub mod session;
pub mod state;
pub mod verification;

use std::time::Duration;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use app::{App, shell};
use state::AppState;

/// The body limit of the batch upload and the checks API: 10,000 check lines in JSON, CSV or
/// XLSX.
const BULK_BODY_BYTES: usize = 8 * 1024 * 1024;

/// How long a request may take end to end, so a slow client cannot hold a worker ...
const REQUEST_TIME: Duration = Duration::from_secs(30);
/// ... and a document upload (up to the files an assessment may hold, each up to its limit,
/// over a slow line).
const UPLOAD_TIME: Duration = Duration::from_secs(600);

/// The body limit of the document uploads: as many files as an assessment may hold, each of
/// the largest size, plus a mebibyte for the form's fields and the multipart framing. One file
/// over its own limit is refused (413) as soon as it passes it.
fn document_body_bytes(settings: &app::server::settings::DocumentSettings) -> usize {
    let files = settings
        .max_file_bytes
        .saturating_mul(u64::from(settings.max_files.max(1)));
    usize::try_from(files.saturating_add(1024 * 1024)).unwrap_or(usize::MAX)
}

/// Every route of the portal, without the cross-cutting layers. Each group of routes caps its
/// request bodies: a declared length over the cap is refused at once (413); a body without one
/// is cut off when it passes the cap. The 413 names the cap in the page language (see
/// [`limit_bodies`]). Pages, forms and server functions take small bodies
/// (`VALORA_MAX_BODY_BYTES`), the reference-data upload large files (`VALORA_MAX_UPLOAD_BYTES`),
/// the batch upload and the checks API up to [`BULK_BODY_BYTES`], the document uploads up to
/// [`document_body_bytes`]. Each group also caps the time a request may take: [`REQUEST_TIME`],
/// and [`UPLOAD_TIME`] for the document uploads.
pub fn routes(state: AppState) -> Router {
    let leptos_options = state.leptos_options.clone();
    let page_context = {
        let (pool, settings) = (state.pool.clone(), state.settings.clone());
        let (reference, check_cache) = (state.reference.clone(), state.check_cache.clone());
        move || {
            provide_context(pool.clone());
            provide_context(settings.clone());
            provide_context(reference.clone());
            provide_context(check_cache.clone());
        }
    };
    let reference_upload =
        Router::new().route("/admin/reference/import", post(reference_upload::upload));
    let reference_upload = limit_bodies(reference_upload, state.max_upload_bytes);
    let bulk = Router::new()
        .route("/api/v1/checks", post(checks_api::checks))
        .route("/check/batch/upload", post(batch::upload));
    let bulk = limit_bodies(bulk, state.max_body_bytes.max(BULK_BODY_BYTES));
    let uploads = Router::new()
        .route(
            "/assessments/{reference}/documents",
            post(documents::upload),
        )
        .route("/library/documents", post(library::upload))
        .route("/organisation/evidence", post(verification::upload))
        .route("/cases/{reference}/messages", post(cases::post_message))
        .route(
            "/api/v1/assessments/{reference}/documents",
            post(documents::api_upload).get(documents::api_list),
        );
    let uploads = limit_bodies(uploads, document_body_bytes(&state.settings.documents));
    let pages = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/documents/{id}", get(documents::download))
        .route("/library/documents/{id}", get(library::download))
        .route("/organisation/evidence/{id}", get(verification::download))
        .route("/cases/{reference}/attachments/{id}", get(cases::download))
        .route(
            "/api/v1/assessments/{reference}/documents/{id}",
            get(documents::api_download),
        )
        .route("/api/v1/bands", get(api::bands_json))
        .route("/api/v1/bands.csv", get(api::bands_csv))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/check/batch/{reference}/results.csv", get(batch::results))
        .route("/customs/reports.csv", get(case_reports::download))
        .leptos_routes_with_context(&state, route_list(), page_context.clone(), {
            move || shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context, shell));
    time_limit(limit_bodies(pages, state.max_body_bytes), REQUEST_TIME)
        .merge(time_limit(reference_upload, REQUEST_TIME))
        .merge(time_limit(bulk, REQUEST_TIME))
        .merge(time_limit(uploads, UPLOAD_TIME))
        .with_state(state)
}

/// Answers 408 when a request to `router`'s routes takes longer than `limit` end to end.
fn time_limit<S>(router: Router<S>, limit: Duration) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(TimeoutLayer::with_status_code(
        http::StatusCode::REQUEST_TIMEOUT,
        limit,
    ))
}

/// Caps the request bodies of `router`'s routes at `limit` bytes. A body that declares a larger
/// `Content-Length` is answered 413 at once, naming the limit in the language the language
/// middleware chose (tower-http's own answer would be English only); a body without a declared
/// length is cut off at the limit by [`RequestBodyLimitLayer`] (reading it fails in the handler).
fn limit_bodies<S>(router: Router<S>, limit: usize) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| async move {
                let declared = request
                    .headers()
                    .get(http::header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                if declared.is_some_and(|length| length > limit as u64) {
                    let lang = request
                        .extensions()
                        .get::<app::i18n::Lang>()
                        .copied()
                        .unwrap_or_default();
                    return error::HttpError::TooLarge { limit, lang }.into_response();
                }
                next.run(request).await
            },
        ))
}

/// The app's routes, found once per process. Finding them renders the app with resource loading
/// suppressed process-wide (leptos issue #4773): a page rendering at that moment in the same
/// process would wait forever, so several servers in one process (the tests) must not repeat it.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Wraps `router` in the layers every request passes through, outermost first: request id (the
/// client's own dropped),
/// request log, panic page, security headers, language, same-origin rule, the caller's session
/// (the body and time limits are the route groups' own, see [`routes`]).
pub fn with_layers(router: Router, state: &AppState) -> Router {
    let request_id_header = http::HeaderName::from_static(middleware::REQUEST_ID);
    router.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn(
                middleware::drop_client_request_id,
            ))
            .layer(SetRequestIdLayer::new(
                request_id_header.clone(),
                MakeRequestUuid,
            ))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &http::Request<_>| {
                        let request_id = request
                            .headers()
                            .get(middleware::REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            request_id = %request_id,
                            method = %request.method(),
                            path = %request.uri().path(),
                        )
                    })
                    .on_response(
                        DefaultOnResponse::new()
                            .level(Level::INFO)
                            .latency_unit(tower_http::LatencyUnit::Micros),
                    ),
            )
            .layer(PropagateRequestIdLayer::new(request_id_header))
            // A release build's files come compressed already (served as they are); only a
            // development build's are compressed here.
            .layer(CompressionLayer::new().compress_when(SizeAbove::new(1024).and(is_static_asset)))
            .layer(axum::middleware::from_fn(caching::cache_headers))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::security_headers,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::language,
            ))
            // Past `VALORA_MAX_IN_FLIGHT` requests at once, the next is answered 503 at once.
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::shed_load,
            ))
            .layer(axum::middleware::from_fn(middleware::error_page_on_panic))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::same_origin_only,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                session::resolve_caller,
            ))
            // The route groups' limits apply; extractors must not add their own 2 MB default.
            .layer(axum::extract::DefaultBodyLimit::disable()),
    )
}

/// Only the static bundle is compressed: pages may one day reflect user input next to
/// confidential data, where compression opens a BREACH-style side channel.
fn is_static_asset(
    _: http::StatusCode,
    _: http::Version,
    headers: &http::HeaderMap,
    _: &http::Extensions,
) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            [
                "application/wasm",
                "text/javascript",
                "application/javascript",
                "text/css",
                "image/svg+xml",
            ]
            .iter()
            .any(|t| ct.starts_with(t))
        })
}
