use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

/// What handlers share: the database pool and the settings they need.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// The origin browsers use to reach the portal (`scheme://host[:port]`), for the same-origin rule.
    pub public_origin: String,
    pub https: bool,
    pub max_body_bytes: usize,
    /// The larger limit of the reference-data upload (`VALORA_MAX_UPLOAD_BYTES`).
    pub max_upload_bytes: usize,
    pub settings: app::server::settings::Settings,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Requests served at once (`VALORA_MAX_IN_FLIGHT` permits); past it, 503 at once.
    pub in_flight: std::sync::Arc<tokio::sync::Semaphore>,
    /// The version of the reference data checks keep in memory, and that memory.
    pub reference: app::server::reference_version::ReferenceVersion,
    pub check_cache: app::features::check::service::CheckCache,
    /// The API tokens seen live, so an API request costs no database round trip.
    pub tokens: app::features::api_tokens::service::TokenCache,
    /// The checks API's lines counted against the daily quota, written in batches.
    pub api_lines: app::server::quota::ApiLineMeter,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
