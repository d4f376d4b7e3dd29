//! Two real server processes (the built binary, twice) on one database: the outbox worker of
//! each claims mail with `FOR UPDATE SKIP LOCKED`, so every message is sent exactly once.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use valora_tests::{SmtpServer, fresh_database_url, workspace_root};

struct ServerProcess {
    child: Child,
    base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn server_binary() -> std::path::PathBuf {
    let path = std::env::var_os("VALORA_SERVER_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/valora-server"));
    assert!(
        path.is_file(),
        "{} is missing: run `cargo leptos build` first",
        path.display()
    );
    path
}

fn start(database_url: &str, smtp_url: &str) -> ServerProcess {
    let mut child = Command::new(server_binary())
        .env("DATABASE_URL", database_url)
        .env("VALORA_LISTEN_ADDR", "127.0.0.1:0")
        .env("SMTP_URL", smtp_url)
        .env("VALORA_MAIL_POLL_MS", "100")
        .env("VALORA_SITE_ROOT", workspace_root().join("target/site"))
        .env("VALORA_DB_MAX_CONNECTIONS", "4")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server binary");
    let stdout = child.stdout.take().unwrap();
    let ready = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with("Valora is ready at "))
        .expect("the server reports it is ready");
    let base = ready
        .trim_start_matches("Valora is ready at ")
        .trim_end_matches('/')
        .to_string();
    ServerProcess { child, base }
}

#[tokio::test]
async fn two_processes_send_each_queued_mail_exactly_once() {
    let mut smtp = SmtpServer::reserve();
    let url = fresh_database_url().await;
    let (first, second) = (start(&url, &smtp.url()), start(&url, &smtp.url()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let rucs = ["20131312955", "20100047218", "20100070970", "20100130204"];
    for (i, ruc) in rucs.into_iter().enumerate() {
        let server = if i % 2 == 0 { &first } else { &second };
        let email = format!("proc{i}@andina.pe");
        let response = client
            .post(format!("{}/api/register", server.base))
            .header("origin", &server.base)
            .header("accept", "text/html")
            .form(&[
                ("org_kind", "importer"),
                ("org_name", "Importadora"),
                ("tax_id", ruc),
                ("full_name", "Persona"),
                ("email", email.as_str()),
                ("password", valora_tests::TEST_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["location"], "/register/check-email");
    }
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pending, 4, "the SMTP server is down: all mail waits");

    smtp.restart().await;
    sqlx::query("UPDATE outbox SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    for i in 0..4 {
        smtp.wait_for(&format!("proc{i}@andina.pe"), 1).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(smtp.messages().len(), 4, "each message exactly once");
    let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sent, 4);
}

/// Customs staff come from the command line (or a valuation administrator's invitation), never
/// from sign-up; the password is read from standard input and must meet the policy.
#[tokio::test]
async fn the_command_line_creates_customs_staff_who_can_sign_in() {
    use std::io::Write;
    let url = fresh_database_url().await;
    let create = |password: &str| {
        let mut child = Command::new(server_binary())
            .args([
                "create-customs-user",
                "olga@sunat.gob.pe",
                "Olga Mendoza",
                "customs_officer",
            ])
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = create("123456789012");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"));
    let made = create("inca kola chicha morada");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let (role, kind): (String, String) = sqlx::query_as(
        "SELECT u.role, o.kind FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = 'olga@sunat.gob.pe'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (role.as_str(), kind.as_str()),
        ("customs_officer", "customs")
    );
    let server = start(&url, "smtp://127.0.0.1:9");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/api/sign-in", server.base))
        .header("accept", "text/html")
        .form(&[
            ("email", "olga@sunat.gob.pe"),
            ("password", "inca kola chicha morada"),
        ])
        .send()
        .await
        .unwrap();
    assert!(valora_tests::session_cookie(&response).is_some());
}

#[tokio::test]
async fn the_commands_import_reference_data_and_records_then_compute_and_publish_bands() {
    let url = fresh_database_url().await;
    let run = |args: &[&str]| {
        let output = Command::new(server_binary())
            .args(args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
        (
            output.status.code(),
            text(&output.stdout),
            text(&output.stderr),
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "section,hscode,description,parent,level\nI,01,Animals,TOTAL,2\nI,01X2,Bad,01,4\n",
    )
    .unwrap();
    let (code, _, stderr) = run(&["import-hs", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("line 3:"), "{stderr}");

    let shared = |name: &str| valora_tests::shared_data(name).display().to_string();
    let (code, stdout, stderr) = run(&["import", "hs", &shared("hs2022.csv")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("imported 6939 hs rows"), "{stdout}");
    for (kind, file) in [
        ("countries", "countries.csv"),
        ("units", "unece-units-of-measure.csv"),
    ] {
        let (code, _, stderr) = run(&["import", kind, &shared(file)]);
        assert_eq!(code, Some(0), "{kind}: {stderr}");
    }

    let records = dir.path().join("records.csv");
    std::fs::write(
        &records,
        valora_tests::records_csv(&valora_tests::baci_flows()[..5000]),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["import-records", records.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("imported 5000 records"), "{stdout}");

    let (code, stdout, stderr) = run(&["compute-bands", "2020-01-01", "2020-12-31", "6"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("draft run 1:"), "{stdout}");
    let (code, _, stderr) = run(&["publish-bands", "1", "2000-01-01"]);
    assert_eq!(code, Some(2), "an effective date in the past: {stderr}");
    let today = chrono::Utc::now().date_naive().to_string();
    let (code, stdout, stderr) = run(&["publish-bands", "1", &today]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("published"), "{stdout}");
    let (code, _, stderr) = run(&["publish-bands", "1", &today]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("not a draft"), "{stderr}");
}
