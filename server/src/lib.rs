//! The Valora server: configuration, database wiring and the axum application around the
//! Leptos app. `main.rs` is a thin command line over [`start`].

// The page views' nested types pass the default query depth in release builds.
#![recursion_limit = "256"]

/// Rendering a page allocates many small strings, and with the system allocator half of a check
/// page's time went to `malloc` and `free` (perf, under wrk). mimalloc serves them several times
/// faster. Declared in the library, so the server binary, the tests and the benchmarks (which
/// run the server in their own process) all measure the same thing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod http;
pub mod mail;
pub mod reference_data;
pub mod telemetry;

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use leptos::config::LeptosOptions;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

use config::Config;
use db::{Database, DbError};
use http::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("built-in reference data: {0}")]
    Reference(String),
    #[error("demo data: {0}")]
    Demo(String),
    #[error("the customs organisation (VALORA_CUSTOMS_NAME, VALORA_CUSTOMS_TAX_ID): {0}")]
    Customs(String),
    #[error("mail: {0}")]
    Mail(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A server accepting requests in a background task.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub public_url: Url,
    pub pool: sqlx::PgPool,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// Stops accepting requests, lets running ones finish, closes the database (stopping the
    /// embedded cluster if this server started it).
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Opens the database, binds the listener and serves the portal.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    start_with_routes(config, |router| router).await
}

/// Like [`start`], with a hook to add routes inside the standard layers (tests use it).
pub async fn start_with_routes(
    config: Config,
    extra_routes: impl FnOnce(Router) -> Router,
) -> Result<RunningServer, StartError> {
    if config.demo
        && let Some(url) = config.public_url.as_ref().filter(|u| u.scheme() == "https")
    {
        return Err(StartError::Demo(format!(
            "demo mode refuses to serve {url}: its accounts share a published password, so it \
             never runs on a public https address"
        )));
    }
    let database = Database::open(&config).await?;
    if config.demo {
        demo::refuse_real_data(&database.pool).await?;
    }
    app::features::accounts::service::ensure_organisation_in(
        &database.pool,
        (
            app::policy::OrgKind::Customs,
            &config.customs_name,
            &config.customs_tax_id,
        ),
        config.demo,
    )
    .await
    .map_err(|e| StartError::Customs(e.to_string()))?;
    if config.builtin_reference {
        reference_data::load_builtin(&database.pool, &config.bands.base_currency)
            .await
            .map_err(StartError::Reference)?;
    }
    if config.demo {
        demo::seed(&database.pool, &config)
            .await
            .map_err(|e| StartError::Demo(e.to_string()))?;
        let today = chrono::Utc::now().date_naive();
        demo::bands::seed(&database.pool, &config.bands, today)
            .await
            .map_err(StartError::Demo)?;
    }
    let listener = tokio::net::TcpListener::bind(config.listen_addr)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.listen_addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: config.listen_addr,
        source,
    })?;
    let public_url = config.public_url.clone().unwrap_or_else(|| {
        Url::parse(&format!("http://{addr}")).expect("a socket address makes a valid URL")
    });

    let reference = app::server::reference_version::ReferenceVersion::default();
    let state = AppState {
        leptos_options: leptos_options(&config, addr),
        pool: database.pool.clone(),
        public_origin: public_url.origin().ascii_serialization(),
        https: public_url.scheme() == "https",
        max_body_bytes: config.max_body_bytes,
        max_upload_bytes: config.max_upload_bytes,
        settings: settings(&config, &public_url),
        trusted_proxies: config.trusted_proxies.clone(),
        in_flight: std::sync::Arc::new(tokio::sync::Semaphore::new(config.max_in_flight.max(1))),
        check_cache: app::features::check::service::CheckCache::new(reference.clone()),
        api_lines: Default::default(),
        tokens: app::features::api_tokens::service::TokenCache::new(reference.clone()),
        reference,
    };
    let transport =
        mail::Transport::from_settings(config.smtp_url.as_deref(), config.demo, &config.data_dir)
            .map_err(StartError::Mail)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mail_worker = transport.map(|transport| {
        tokio::spawn(mail::run(
            database.pool.clone(),
            transport,
            config.mail_poll,
            config.mail_max_attempts,
            stop_rx.clone(),
        ))
    });
    let reference_listener = tokio::spawn(app::server::reference_version::listen(
        database.pool.clone(),
        state.reference.clone(),
        stop_rx.clone(),
    ));
    let housekeeping = tokio::spawn(housekeeping(
        database.pool.clone(),
        state.settings.clone(),
        stop_rx,
    ));
    let app = http::with_layers(extra_routes(http::routes(state.clone())), &state);

    let header_read_timeout = config.header_read_timeout;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        http::serve::serve(listener, app, header_read_timeout, async {
            let _ = rx.await;
        })
        .await;
        let _ = stop_tx.send(true);
        if let Some(worker) = mail_worker {
            let _ = worker.await;
        }
        let _ = housekeeping.await;
        let _ = reference_listener.await;
        database.close().await;
    });
    tracing::info!(%addr, %public_url, "Valora is serving");
    Ok(RunningServer {
        addr,
        public_url,
        pool: state.pool,
        shutdown: Some(tx),
        task,
    })
}

/// Every ten minutes (and once at start), deletes expired sessions, spent links and stale
/// throttle counters, and writes the case reminders that have come due.
async fn housekeeping(
    pool: sqlx::PgPool,
    settings: app::server::settings::Settings,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match app::server::housekeeping::run_once(&pool, &settings).await {
            Ok(cleaned) => tracing::debug!(?cleaned, "housekeeping"),
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
        match app::features::notifications::service::write_reminders(
            &pool,
            &settings.public_base,
            &settings.cases,
            settings.cases.today(),
        )
        .await
        {
            Ok(written) => tracing::debug!(written, "case reminders"),
            Err(e) => tracing::warn!(error = %e, "case reminders failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(600)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Leptos settings built explicitly (not from cargo-leptos's compile-time environment), so a
/// server built by plain `cargo` in tests serves the same `/pkg` paths.
fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    app::server::assets::load(config.hash_file.as_deref());
    // Leptos' loader reads the hashes beside the binary itself: hashed names only when they are.
    let beside = app::server::assets::beside_binary();
    let hashed = beside.is_some() && config.hash_file == beside;
    LeptosOptions::builder()
        .hash_files(hashed)
        .output_name("valora")
        .site_root(path_string(&config.site_root))
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

fn path_string(path: &std::path::Path) -> String {
    PathBuf::from(path).to_string_lossy().into_owned()
}

/// The settings pages and server functions read, from the configuration and the public URL.
pub fn settings(config: &Config, public_url: &Url) -> app::server::settings::Settings {
    app::server::settings::Settings {
        public_base: public_url.origin().ascii_serialization(),
        https: public_url.scheme() == "https",
        session_idle: config.session_idle,
        session_absolute: config.session_absolute,
        sign_in_failures: config.sign_in_failures,
        sign_in_window: config.sign_in_window,
        mails_per_address: config.mails_per_address,
        mail_window: config.mail_window,
        registrations_per_client: config.registrations_per_client,
        registration_window: config.registration_window,
        api_token_max_days: config.api_token_max_days,
        quotas: config.quotas,
        demo: config.demo,
        hashing: app::server::password::Hashing::new(config.hash_concurrency, config.hash_wait),
        bands: config.bands.clone(),
        documents: config.documents.clone(),
        cases: config.cases.clone(),
    }
}
