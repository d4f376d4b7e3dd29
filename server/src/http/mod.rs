//! The HTTP surface: routes, and the layers every request passes through.

pub mod api;
pub mod batch;
pub mod checks_api;
pub mod health;
pub mod middleware;
pub mod reference_upload;
pub mod serve;
pub mod session;
pub mod state;

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use app::{App, shell};
use state::AppState;

/// Every route of the portal, without the cross-cutting layers.
pub fn routes(state: AppState) -> Router {
    let leptos_options = state.leptos_options.clone();
    let page_context = {
        let (pool, settings) = (state.pool.clone(), state.settings.clone());
        move || {
            provide_context(pool.clone());
            provide_context(settings.clone());
        }
    };
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/v1/bands", get(api::bands_json))
        .route("/api/v1/bands.csv", get(api::bands_csv))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/checks", axum::routing::post(checks_api::checks))
        .route("/check/batch/upload", axum::routing::post(batch::upload))
        .route("/check/batch/{reference}/results.csv", get(batch::results))
        .route(
            "/admin/reference/import",
            axum::routing::post(reference_upload::import_upload),
        )
        .leptos_routes_with_context(&state, route_list(), page_context.clone(), {
            move || shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context, shell))
        .with_state(state)
}

/// The app's routes, found once per process. Finding them renders the app with resource loading
/// suppressed process-wide (leptos issue #4773): a page rendering at that moment in the same
/// process would wait forever, so several servers in one process (the tests) must not repeat it.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Wraps `router` in the layers every request passes through, outermost first: request id,
/// request log, panic page, security headers, language, same-origin rule, body limit.
pub fn with_layers(router: Router, state: &AppState) -> Router {
    let request_id_header = http::HeaderName::from_static("x-request-id");
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(
                request_id_header.clone(),
                MakeRequestUuid,
            ))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &http::Request<_>| {
                        let request_id = request
                            .headers()
                            .get("x-request-id")
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
            .layer(CompressionLayer::new().compress_when(SizeAbove::new(1024).and(is_static_asset)))
            .layer(axum::middleware::from_fn(middleware::security_headers))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::language,
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
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::limit_body,
            ))
            // The limit above applies; extractors must not add their own 2 MB default.
            .layer(axum::extract::DefaultBodyLimit::disable())
            // A request may take at most this long end to end, so a slow client cannot hold a worker.
            .layer(TimeoutLayer::with_status_code(
                http::StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(30),
            )),
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
