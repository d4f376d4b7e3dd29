//! Test harness: the real server on a free port against a fresh PostgreSQL database each, on
//! the project's own PostgreSQL (`VALORA_TEST_ADMIN_URL` when given, else a private cluster in
//! `target/test-pg` started on first use and stopped by `scripts/test`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::Router;
use sqlx::PgPool;
use url::Url;
use valora_server::RunningServer;
use valora_server::config::Config;
use valora_server::db::embedded::EmbeddedPostgres;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// URL of a database on the test cluster with the right to create databases.
fn admin_url() -> &'static str {
    static ADMIN_URL: OnceLock<String> = OnceLock::new();
    ADMIN_URL.get_or_init(|| {
        if let Ok(url) = std::env::var("VALORA_TEST_ADMIN_URL") {
            return url;
        }
        let cluster = EmbeddedPostgres::start(&workspace_root().join("target/test-pg"), None)
            .unwrap_or_else(|e| panic!("cannot start the test PostgreSQL cluster: {e}"));
        cluster.connect_url("postgres")
    })
}

/// Creates an empty database with a unique name and returns its URL.
pub async fn fresh_database_url() -> String {
    let admin = admin_url();
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test cluster: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let mut url = Url::parse(admin).expect("admin url");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Settings for a test server: free port, the given database, the built site if any.
pub fn test_config(database_url: Option<String>, data_dir: &Path) -> Config {
    let mut config = Config::from_lookup(|_| None).expect("default config");
    config.listen_addr = "127.0.0.1:0".parse().unwrap();
    config.database_url = database_url;
    config.data_dir = data_dir.to_path_buf();
    config.site_root = workspace_root().join("target/site");
    config.db_max_connections = 4;
    config
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub server: RunningServer,
    pub base: Url,
    /// An HTTP client that does not follow redirects and keeps no cookies.
    pub client: reqwest::Client,
    pub pool: PgPool,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with_routes(|router| router).await
    }

    pub async fn spawn_with_routes(extra: impl FnOnce(Router) -> Router) -> TestApp {
        let url = fresh_database_url().await;
        let config = test_config(Some(url), &std::env::temp_dir());
        TestApp::start(config, extra).await
    }

    pub async fn start(config: Config, extra: impl FnOnce(Router) -> Router) -> TestApp {
        let server = valora_server::start_with_routes(config, extra)
            .await
            .expect("server starts");
        let base = server.public_url.clone();
        let pool = server.pool.clone();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        TestApp {
            server,
            base,
            client,
            pool,
        }
    }

    pub fn url(&self, path: &str) -> Url {
        self.base.join(path).expect("valid path")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }
}
