//! Failures carry their status: while the database is out of reach every page and API answers
//! 503 with `Retry-After` and words that say to try again (in the reader's language), another
//! internal failure answers 500, and service resumes at once when the database is back.

use app::i18n::{Lang, Msg, t};
use valora_server::db::embedded::EmbeddedPostgres;
use valora_tests::{TestApp, test_config};

async fn start_cluster(dir: &std::path::Path) -> EmbeddedPostgres {
    let data_dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data_dir, None))
        .await
        .unwrap()
        .unwrap()
}

/// Stops the cluster at once (`pg_ctl stop -m immediate`, as a crash would) and returns it.
async fn kill(cluster: EmbeddedPostgres) -> EmbeddedPostgres {
    tokio::task::spawn_blocking(move || {
        cluster.stop_now().unwrap();
        cluster
    })
    .await
    .unwrap()
}

async fn restart(mut cluster: EmbeddedPostgres) -> EmbeddedPostgres {
    tokio::task::spawn_blocking(move || {
        cluster.start_server().unwrap();
        cluster
    })
    .await
    .unwrap()
}

async fn status_retry_and_body(response: reqwest::Response) -> (u16, Option<String>, String) {
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, retry, response.text().await.unwrap())
}

#[tokio::test]
async fn pages_and_apis_answer_503_with_retry_after_while_the_database_is_down_and_recover_at_once()
{
    let dir = tempfile::tempdir().unwrap();
    let cluster = start_cluster(dir.path()).await;
    let mut config = test_config(Some(cluster.connect_url("postgres")), dir.path());
    config.demo = true;
    let app = TestApp::start(config, |r| r).await;
    let importer = app.sign_in_demo("ana.admin@importadora.demo").await;
    let token: String = app
        .call("/api/create-api-token", Some(&importer), &[("name", "ERP")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(app.get("/check").await.status(), 200);

    let cluster = kill(cluster).await;
    let unavailable_es = t(Lang::Es, Msg::ServiceUnavailable);
    for path in ["/check", "/bands?q=ajo", "/bands/070320"] {
        let (status, retry, body) = status_retry_and_body(app.get(path).await).await;
        assert_eq!((status, retry.as_deref()), (503, Some("5")), "{path}");
        assert!(body.contains(unavailable_es), "{path}: {body}");
        assert!(!body.contains("error interno"), "{path}");
    }
    let (status, _, body) = status_retry_and_body(app.get("/check?lang=en").await).await;
    assert_eq!(status, 503);
    assert!(
        body.contains(t(Lang::En, Msg::ServiceUnavailable)),
        "{body}"
    );

    let (status, retry, body) =
        status_retry_and_body(app.get_with_cookie("/account", &importer).await).await;
    assert_eq!(
        (status, retry.as_deref()),
        (503, Some("5")),
        "a signed-in page is not sent to sign in"
    );
    assert!(body.contains(unavailable_es), "{body}");

    let response = app
        .client
        .post(app.url("/api/v1/checks"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"hs": "0901.11", "origin": "BR", "incoterm": "FOB",
            "date": "2026-11-02", "quantity": "100", "unit": "KGM", "currency": "USD",
            "price": "500"}),
        )
        .send()
        .await
        .unwrap();
    let (status, retry, body) = status_retry_and_body(response).await;
    assert_eq!((status, retry.as_deref()), (503, Some("5")));
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "unavailable");
    let (status, retry, _) = status_retry_and_body(app.get("/api/v1/bands").await).await;
    assert_eq!((status, retry.as_deref()), (503, Some("5")));

    let mut cluster = restart(cluster).await;
    assert_eq!(app.get("/check").await.status(), 200, "no restart needed");
    assert_eq!(
        app.get_with_cookie("/account", &importer).await.status(),
        200,
        "the session survived"
    );
    app.server.shutdown().await;
    tokio::task::spawn_blocking(move || cluster.stop().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_internal_failure_answers_500_with_a_reference_not_200() {
    let app = TestApp::spawn().await;
    // Before the check page has read the table (afterwards it answers from memory).
    sqlx::query("ALTER TABLE countries RENAME TO countries_gone")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = app.get_text("/check").await;
    assert_eq!(status, 500);
    assert!(body.contains("Referencia:"), "{body}");
    assert!(
        !body.contains("countries_gone"),
        "nothing internal is shown"
    );
}

#[tokio::test]
async fn past_its_capacity_the_portal_sheds_load_with_503_and_serves_again_once_it_drops() {
    let url = valora_tests::fresh_database_url().await;
    let mut config = test_config(Some(url), &std::env::temp_dir());
    config.max_in_flight = 2;
    let slow = || async {
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        "done"
    };
    let app = TestApp::start(config, |router| {
        router.route("/slow", axum::routing::get(slow))
    })
    .await;
    let responses = futures_util::future::join_all((0..6).map(|_| app.get("/slow"))).await;
    let mut statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 200, 503, 503, 503, 503]);
    let shed = responses.iter().find(|r| r.status() == 503).unwrap();
    assert_eq!(shed.headers()["retry-after"], "5");
    assert!(
        shed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(app.get("/slow").await.status(), 200, "served again at once");
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!((status.as_u16(), body.contains("ok")), (200, true));
}

/// One write a client tried: what it was, when it started, and what the portal acknowledged
/// (`None`: not acknowledged).
struct Attempt {
    kind: Write,
    started: std::time::Instant,
    acknowledged: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Write {
    Save,
    Upload,
    Message,
}

/// Tries one write of `kind` (the `n`th of its client), returning what identifies it when the
/// portal acknowledged it: an assessment's reference, a document's id, a message's text.
async fn try_write(
    app: &TestApp,
    cookie: &str,
    (assessment, case): (&str, &str),
    kind: Write,
    n: usize,
) -> Option<String> {
    use valora_tests::cases::{client_key, post_message};
    let location = |r: &reqwest::Response| {
        r.status()
            .is_redirection()
            .then(|| r.headers()["location"].to_str().unwrap().to_string())
    };
    match kind {
        Write::Save => {
            let form = valora_tests::garlic_save_form("CN", "fault");
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let response = app
                .post_form("/api/save-assessment", Some(cookie), &form)
                .await;
            location(&response)
                .filter(|to| to.starts_with("/assessments/VAL-"))
                .map(|to| to.trim_start_matches("/assessments/").to_string())
        }
        Write::Upload => {
            let text = format!("Nota de prueba {n} {}", uuid::Uuid::new_v4());
            let response = crate::documents::post_multipart(
                app,
                &format!("/assessments/{assessment}/documents"),
                Some(cookie),
                &[
                    ("doc_type", "other"),
                    ("description", "Nota"),
                    ("confidentiality", "normal"),
                ],
                &[("files", &format!("nota-{n}.txt"), text.into_bytes())],
                true,
            )
            .await;
            if response.status() != 200 {
                return None;
            }
            let answers: serde_json::Value = response.json().await.ok()?;
            answers[0]["document_id"].as_str().map(str::to_string)
        }
        Write::Message => {
            let (key, body) = (
                client_key(),
                format!("Mensaje {n} {}", uuid::Uuid::new_v4()),
            );
            let fields = [
                ("body", body.as_str()),
                ("client_key", key.as_str()),
                ("purpose", "message"),
            ];
            let response = post_message(app, cookie, case, &fields, &[]).await;
            location(&response)
                .filter(|to| to.ends_with("#thread"))
                .map(|_| body)
        }
    }
}

#[tokio::test]
async fn every_write_acknowledged_while_postgresql_is_killed_and_restarted_is_kept_whole() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start_cluster(dir.path()).await;
    let mut config = test_config(Some(cluster.connect_url("postgres")), dir.path());
    config.demo = true;
    config.documents.max_files = 100_000;
    let app = std::sync::Arc::new(TestApp::start(config, |r| r).await);
    let cookie = app.sign_in_demo("ana.admin@importadora.demo").await;
    let assessment = app.save_garlic_assessment(&cookie, "faults").await;
    let case = valora_tests::cases::open_query(&app, &cookie, "").await;

    let begun = std::time::Instant::now();
    let run_for = std::time::Duration::from_secs(16);
    let clients: Vec<_> = [Write::Save, Write::Upload, Write::Message]
        .into_iter()
        .flat_map(|kind| [kind, kind])
        .map(|kind| {
            let (app, cookie) = (app.clone(), cookie.clone());
            let (assessment, case) = (assessment.clone(), case.clone());
            tokio::spawn(async move {
                let mut attempts = Vec::new();
                while begun.elapsed() < run_for {
                    let started = std::time::Instant::now();
                    let acknowledged =
                        try_write(&app, &cookie, (&assessment, &case), kind, attempts.len()).await;
                    if acknowledged.is_none() {
                        // A refused write is retried after a breath, as a person would.
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    }
                    attempts.push(Attempt {
                        kind,
                        started,
                        acknowledged,
                    });
                }
                attempts
            })
        })
        .collect();

    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let killed = begun.elapsed();
    let cluster = kill(cluster).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let mut cluster = restart(cluster).await;
    let back = std::time::Instant::now();
    let mut attempts = Vec::new();
    for client in clients {
        attempts.extend(client.await.unwrap());
    }

    let mut lost = Vec::new();
    for attempt in attempts.iter().filter(|a| a.acknowledged.is_some()) {
        let id = attempt.acknowledged.as_deref().unwrap();
        let sql = match attempt.kind {
            Write::Save => "SELECT count(*) FROM assessments WHERE reference = $1",
            Write::Upload => {
                "SELECT count(*) FROM documents d JOIN document_blobs b ON b.id = d.blob_id
                 WHERE d.id = $1::uuid AND b.complete"
            }
            Write::Message => "SELECT count(*) FROM case_messages WHERE body = $1",
        };
        let found: i64 = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if found != 1 {
            lost.push(format!("{:?} {id}: {found}", attempt.kind));
        }
    }
    let half_written: i64 = app
        .count(
            "SELECT count(*) FROM documents d JOIN document_blobs b ON b.id = d.blob_id
             WHERE NOT b.complete",
        )
        .await;
    let after: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| a.started >= back + std::time::Duration::from_secs(5))
        .collect();
    let succeeded = after.iter().filter(|a| a.acknowledged.is_some()).count();
    let rate = succeeded as f64 / after.len().max(1) as f64;
    for kind in [Write::Save, Write::Upload, Write::Message] {
        let of = attempts.iter().filter(|a| a.kind == kind);
        let acknowledged = of.clone().filter(|a| a.acknowledged.is_some()).count();
        println!(
            "faults: {kind:?}: {} tried, {acknowledged} acknowledged",
            of.count()
        );
    }
    println!(
        "faults: acknowledged writes lost: {}; documents half-written: {half_written}; \
         from 5 s after the database was back: {succeeded}/{} succeeded ({:.1}%); \
         database killed {:.1} s and back {:.1} s into a {:.0} s run",
        lost.len(),
        after.len(),
        rate * 100.0,
        killed.as_secs_f64(),
        (back - begun).as_secs_f64(),
        run_for.as_secs_f64(),
    );
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert_eq!(half_written, 0);
    assert!(
        after.len() >= 20,
        "enough writes after recovery: {}",
        after.len()
    );
    assert!(rate >= 0.99, "success rate after recovery: {rate}");

    let app = std::sync::Arc::try_unwrap(app)
        .ok()
        .expect("the clients are done");
    app.server.shutdown().await;
    tokio::task::spawn_blocking(move || cluster.stop().unwrap())
        .await
        .unwrap();
}

/// Kills the server process at once (`kill -KILL`), as a crash or an out-of-memory kill would.
fn kill_process(server: &valora_tests::process::ServerProcess) {
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
}

/// Waits until a file being received has stored part of itself (an incomplete blob).
async fn upload_under_way(pool: &sqlx::PgPool) {
    for _ in 0..200 {
        let chunks: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM document_chunks c JOIN document_blobs b ON b.id = c.blob_id
             WHERE NOT b.complete",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if chunks >= 2 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the upload never started storing");
}

#[tokio::test]
async fn a_message_being_sent_when_the_server_is_killed_leaves_no_trace_on_the_case() {
    use valora_tests::multipart::RawUpload;
    use valora_tests::process::{no_redirect_client, start_server_process};
    let url = valora_tests::fresh_database_url().await;
    let mut config = test_config(Some(url.clone()), &std::env::temp_dir());
    config.demo = true;
    let app = TestApp::start(config, |r| r).await;
    let cookie = app.sign_in_demo("ana.admin@importadora.demo").await;
    let case = valora_tests::cases::open_query(&app, &cookie, "").await;
    let trace = "SELECT (SELECT count(*) FROM case_messages), (SELECT count(*) FROM case_events)";
    let before = app.count_pair(trace).await;

    let server = start_server_process(&url, "smtp://127.0.0.1:9");
    let key = valora_tests::cases::client_key();
    let fields = [
        ("body", "Adjunto la factura firmada."),
        ("client_key", key.as_str()),
        ("purpose", "message"),
    ];
    let size = 6 * 1024 * 1024;
    let mut upload = RawUpload::start_part(
        &server.base,
        &format!("/cases/{case}/messages"),
        (&cookie, "text/html"),
        &fields,
        ("file", "factura.pdf"),
        size,
    )
    .await;
    let mut file = b"%PDF-1.7\n".to_vec();
    file.resize(size, b' ');
    upload.send(&file[..3 * 1024 * 1024]).await;
    upload_under_way(&app.pool).await;
    kill_process(&server);
    upload.abandon();

    let restarted = start_server_process(&url, "smtp://127.0.0.1:9");
    let page = no_redirect_client()
        .get(format!("{}/cases/{case}", restarted.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "the case opens after the restart");
    assert_eq!(app.count_pair(trace).await, before, "no message, no step");
    assert_eq!(
        app.count(
            "SELECT count(*) FROM case_attachments a JOIN document_blobs b ON b.id = a.blob_id
             WHERE NOT b.complete"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_batch_being_saved_when_the_server_is_killed_is_kept_whole_or_not_at_all() {
    use valora_tests::process::start_server_process;
    let url = valora_tests::fresh_database_url().await;
    let mut config = test_config(Some(url.clone()), &std::env::temp_dir());
    config.demo = true;
    let app = TestApp::start(config, |r| r).await;
    let cookie = app
        .sign_in_demo("carlos.cumplimiento@importadora.demo")
        .await;
    let today = chrono::Utc::now().date_naive();
    let mut csv = String::from("hs,origin,incoterm,date,quantity,unit,currency,price\n");
    for n in 0..10_000 {
        csv.push_str(&format!(
            "0703.20,CN,FOB,{today},{},KGM,USD,900\n",
            1000 + n
        ));
    }
    let mut outcomes = Vec::new();
    // Killed at several moments, some land while the batch is checked or saved.
    for delay_ms in [150, 300, 450, 600, 750, 900] {
        let server = start_server_process(&url, "smtp://127.0.0.1:9");
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv.clone().into_bytes()).file_name("lote.csv"),
        );
        let request = valora_tests::process::no_redirect_client()
            .post(format!("{}/check/batch/upload", server.base))
            .header("origin", &server.base)
            .header("accept", "text/html")
            .header("cookie", &cookie)
            .multipart(form)
            .send();
        let sent = tokio::spawn(request);
        tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        kill_process(&server);
        outcomes.push(sent.await.unwrap().map(|r| r.status().as_u16()).ok());
    }
    let batches: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT b.line_count::bigint, (SELECT count(*) FROM check_batch_lines l WHERE l.batch_id = b.id)
         FROM check_batches b",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    println!(
        "faults: batches killed mid-work: {outcomes:?} answered, {} saved",
        batches.len()
    );
    for (declared, stored) in &batches {
        assert_eq!((*declared, *stored), (10_000, 10_000), "a batch is whole");
    }
}
