//! Test harness: the real server on a free port against a fresh PostgreSQL database each, on
//! the project's own PostgreSQL (`VALORA_TEST_ADMIN_URL` when given, else a private cluster in
//! `target/test-pg` started on first use and stopped by `scripts/test`).

pub mod bench;
pub mod cases;
pub mod clamd;
pub mod multipart;
pub mod process;
mod requests;
pub mod wrk;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::Router;
use sqlx::PgPool;
use url::Url;
use valora_server::RunningServer;
use valora_server::config::Config;
use valora_server::db::embedded::EmbeddedPostgres;

pub use clamd::Clamd;
pub use requests::{assert_contains_all, location};

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

/// Settings for a test server: free port, the given database, the built site if any, and no
/// built-in reference data (tests load what they need; `reference_builtin.rs` turns it on).
pub fn test_config(database_url: Option<String>, data_dir: &Path) -> Config {
    let mut config = Config::from_lookup(|_| None).expect("default config");
    config.listen_addr = "127.0.0.1:0".parse().unwrap();
    config.database_url = database_url;
    config.data_dir = data_dir.to_path_buf();
    config.site_root = workspace_root().join("target/site");
    config.hash_file = built_site_hashes();
    config.db_max_connections = 4;
    config.mail_poll = std::time::Duration::from_millis(100);
    config.builtin_reference = false;
    config
}

/// The content hashes of the site cargo-leptos built for this profile: `hash.txt` beside its
/// server binary, one folder above this test binary (`target/debug/deps/..`).
pub fn built_site_hashes() -> Option<PathBuf> {
    let path = std::env::current_exe()
        .ok()?
        .parent()?
        .parent()?
        .join("hash.txt");
    path.exists().then_some(path)
}

/// The one number a `SELECT count(*) ...` gives.
pub async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
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

    /// A server on a fresh database whose settings `adjust` may change (SMTP, limits...).
    pub async fn spawn_configured(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let url = fresh_database_url().await;
        let mut config = test_config(Some(url), &std::env::temp_dir());
        adjust(&mut config);
        TestApp::start(config, |r| r).await
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

    /// GET of a JSON answer: its status and body.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON"))
    }

    /// A server with the demo data, and uploads limited to 64 KiB (so a test can exceed it).
    pub async fn spawn_demo_small_uploads() -> TestApp {
        TestApp::spawn_configured(|c| {
            c.demo = true;
            c.max_upload_bytes = 64 * 1024;
        })
        .await
    }
}

/// A real SMTP server (Python's aiosmtpd) writing each message into a maildir the test reads.
pub struct SmtpServer {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

impl SmtpServer {
    /// Starts a server on a free port.
    pub async fn start() -> SmtpServer {
        let port = free_port();
        let mut server = SmtpServer {
            port,
            maildir: tempfile::tempdir().expect("maildir"),
            child: None,
        };
        server.restart().await;
        server
    }

    /// A port with no SMTP server yet: start one there later with [`restart`](Self::restart).
    pub fn reserve() -> SmtpServer {
        SmtpServer {
            port: free_port(),
            maildir: tempfile::tempdir().expect("maildir"),
            child: None,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn restart(&mut self) {
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(self.maildir.path().join("box"))
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/setup --test installs it)");
        self.child = Some(child);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the SMTP server did not start");
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on its port and makes the mail waiting in the outbox due now
    /// (failed sends are retried after a back-off of seconds).
    pub async fn restart_and_release(&mut self, pool: &PgPool) {
        self.restart().await;
        sqlx::query("UPDATE outbox SET next_attempt_at = now()")
            .execute(pool)
            .await
            .unwrap();
    }

    /// Waits for a message to each of `recipients`, gives duplicates `settle` to arrive, and
    /// asserts that exactly one message per recipient came.
    pub async fn assert_each_received_once(
        &self,
        recipients: &[String],
        settle: std::time::Duration,
    ) {
        for recipient in recipients {
            self.wait_for(recipient, 1).await;
        }
        tokio::time::sleep(settle).await;
        assert_eq!(
            self.messages().len(),
            recipients.len(),
            "each message exactly once"
        );
    }

    /// Every message received so far, as (recipient, subject, plain-text body).
    pub fn messages(&self) -> Vec<(String, String, String)> {
        let new = self.maildir.path().join("box/new");
        let mut files: Vec<_> = std::fs::read_dir(new)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|path| {
                let raw = std::fs::read(path).ok()?;
                let message = mail_parser::MessageParser::default().parse(&raw)?;
                let to = message.to()?.first()?.address()?.to_string();
                let subject = message.subject().unwrap_or_default().to_string();
                let body = message
                    .body_text(0)
                    .map(|b| b.to_string())
                    .unwrap_or_default();
                Some((to, subject, body))
            })
            .collect()
    }

    /// Waits up to ten seconds for `count` messages to `recipient` and returns them.
    pub async fn wait_for(&self, recipient: &str, count: usize) -> Vec<(String, String, String)> {
        for _ in 0..200 {
            let found: Vec<_> = self
                .messages()
                .into_iter()
                .filter(|(to, _, _)| to == recipient)
                .collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "no mail for {recipient} after 10 s; have {:?}",
            self.messages()
        );
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .expect("addr")
        .port()
}

/// The first `http` link in a mail body.
pub fn first_link(body: &str) -> String {
    let start = body.find("http").expect("a link in the mail");
    body[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_string()
}

impl TestApp {
    /// Posts a form the way a browser without JavaScript does (same origin, accepts HTML),
    /// with `cookie` if given.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post(path, "text/html", cookie, form).await
    }

    /// Posts a form as the hydrated page does (expects the server function's JSON answer).
    pub async fn call(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post(path, "application/json", cookie, form).await
    }

    async fn post(
        &self,
        path: &str,
        accept: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("origin", self.base.origin().ascii_serialization())
            .header("accept", accept)
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("POST")
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET")
    }
}

/// The save form of a check of 1,000 kg of garlic (0703.20) from `origin` at USD 900 FOB today,
/// labelled `label`.
pub fn garlic_save_form(origin: &str, label: &str) -> Vec<(String, String)> {
    let today = chrono::Utc::now().date_naive().to_string();
    [
        ("hs", "0703.20.00.00"),
        ("origin", origin),
        ("incoterm", "FOB"),
        ("date", today.as_str()),
        ("quantity", "1000"),
        ("unit", "KGM"),
        ("currency", "USD"),
        ("price", "900"),
        ("related", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("answers[{k}]"), v.to_string()))
    .chain([("label".to_string(), label.to_string())])
    .collect()
}

/// The `name=value` part of the session cookie a response sets, if any.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("valora_session=") || v.starts_with("__Host-valora_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

/// A verified account made directly (no email round trip), signed in; returns its cookie.
pub async fn signed_in_account(
    app: &TestApp,
    org: (app::policy::OrgKind, &str, &str),
    email: &str,
    role: app::policy::Role,
) -> String {
    use app::features::accounts::service as admin;
    let (kind, name, ruc) = org;
    let org_id = admin::ensure_organisation(&app.pool, kind, name, ruc)
        .await
        .expect("organisation");
    admin::create_user(
        &app.pool,
        (org_id, kind),
        email,
        "Test Person",
        role,
        TEST_PASSWORD,
    )
    .await
    .expect("user");
    app.another_session(email).await
}

pub const TEST_PASSWORD: &str = "caballo grapa batería correcta";

/// The importer most tests sign in for.
pub const IMPORTER: (app::policy::OrgKind, &str, &str) = (
    app::policy::OrgKind::Importer,
    "Importadora Andina",
    "20100070970",
);
/// A customs broker that can hold the importer's mandate.
pub const BROKER: (app::policy::OrgKind, &str, &str) = (
    app::policy::OrgKind::Broker,
    "Agencia Pacífico",
    "20100047218",
);

/// A test fixture: `tests/fixtures/<name>` in the checkout (see `tests/fixtures/README.md` for
/// each file's source and licence).
pub fn fixture(name: &str) -> PathBuf {
    let path = workspace_root().join("tests/fixtures").join(name);
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

impl TestApp {
    /// Signs in with the test password (again: another device); returns the new session cookie.
    pub async fn another_session(&self, email: &str) -> String {
        self.sign_in_with(email, TEST_PASSWORD).await
    }

    /// Signs in a demo account (the demo password); returns its session cookie.
    pub async fn sign_in_demo(&self, email: &str) -> String {
        self.sign_in_with(email, valora_server::demo::DEMO_PASSWORD)
            .await
    }

    async fn sign_in_with(&self, email: &str, password: &str) -> String {
        let response = self
            .post_form(
                "/api/sign-in",
                None,
                &[("email", email), ("password", password)],
            )
            .await;
        session_cookie(&response)
            .unwrap_or_else(|| panic!("sign-in of {email} failed: {}", response.status()))
    }

    /// Saves a check of the demo's garlic band as `cookie`, through the real save path; returns
    /// its reference.
    pub async fn save_garlic_assessment(&self, cookie: &str, label: &str) -> String {
        let origin = self.demo_garlic_origin().await;
        let form = garlic_save_form(&origin, label);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = self
            .post_form("/api/save-assessment", Some(cookie), &form)
            .await;
        location(&saved)
            .trim_start_matches("/assessments/")
            .to_string()
    }

    /// An origin with a published demo band for garlic (0703.20), as the public page lists it.
    pub async fn demo_garlic_origin(&self) -> String {
        let (_, page) = self.get_text("/bands/070320").await;
        let start = page.find("href=\"/bands/070320/").expect("a garlic band")
            + "href=\"/bands/070320/".len();
        page[start..start + 2].to_string()
    }

    /// The broker signed in with `cookie` starts acting for the demo importer (the organisation
    /// of ana.admin@importadora.demo) under its mandate; the answer of `/api/act-for`.
    pub async fn act_for_demo_importer(&self, cookie: &str) -> reqwest::Response {
        let importer: uuid::Uuid = sqlx::query_scalar(
            "SELECT organisation_id FROM users WHERE email = 'ana.admin@importadora.demo'",
        )
        .fetch_one(&self.pool)
        .await
        .expect("the demo importer");
        self.post_form(
            "/api/act-for",
            Some(cookie),
            &[("importer", &importer.to_string())],
        )
        .await
    }

    /// The account links in the page header at `path`, as the server renders them.
    pub async fn header_account_nav(&self, path: &str, cookie: &str) -> String {
        let page = self
            .get_with_cookie(path, cookie)
            .await
            .text()
            .await
            .expect("body");
        let start = page.find("class=\"account-nav\"").expect("account nav");
        let nav = &page[start..];
        nav[..nav.find("</nav>").expect("end of nav")].to_string()
    }
}

/// Imports the HS 2022, country and UN/ECE unit fixtures through the real importers.
pub async fn import_fixture_reference(pool: &sqlx::PgPool) {
    use app::features::reference::{ImportOutcome, ReferenceKind, service::import_file};
    for (kind, file) in [
        (ReferenceKind::Nomenclature, "hs2022.csv"),
        (ReferenceKind::Countries, "countries.csv"),
        (ReferenceKind::Units, "unece-units-of-measure.csv"),
    ] {
        let bytes = std::fs::read(fixture(file)).unwrap();
        match import_file(pool, kind, &bytes, false, "USD").await.unwrap() {
            ImportOutcome::Imported { skipped, .. } => assert_eq!(skipped, vec![], "{file}"),
            ImportOutcome::Refused { errors } => panic!("{file} refused: {errors:?}"),
        }
    }
}

/// One BACI 2020 flow as a declaration record: unit value = value_usd / quantity_kg.
#[derive(Clone, Debug)]
pub struct BaciFlow {
    pub hs6: String,
    pub exporter_alpha3: String,
    pub value_usd: String,
    pub quantity_kg: String,
}

/// The BACI sample rows with a positive quantity (rows without one cannot give a unit value).
pub fn baci_flows() -> Vec<BaciFlow> {
    let path = fixture("baci-2020-sample.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[5].parse::<f64>().is_ok_and(|q| q > 0.0))
        .map(|r| BaciFlow {
            hs6: r[3].to_string(),
            exporter_alpha3: r[1].to_string(),
            value_usd: r[4].to_string(),
            quantity_kg: r[5].to_string(),
        })
        .collect()
}

/// The flows in the declaration-record file format, dated mid-2020, CIF, in kilograms and USD.
pub fn records_csv(flows: &[BaciFlow]) -> String {
    let mut out = String::from(
        "declared_on,tariff_code,origin,incoterm,quantity,unit,customs_value,currency\n",
    );
    for f in flows {
        out.push_str(&format!(
            "2020-07-01,{},{},CIF,{},KGM,{},USD\n",
            f.hs6, f.exporter_alpha3, f.quantity_kg, f.value_usd
        ));
    }
    out
}
