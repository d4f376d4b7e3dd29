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
    assert_eq!(app.get("/check").await.status(), 200);
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
