//! `GET /healthz`: ok with the database up, 503 while it is down, ok again once it is back.

use valora_server::db::embedded::EmbeddedPostgres;
use valora_tests::{TestApp, test_config};

#[tokio::test]
async fn healthz_reports_ok_with_the_database_up() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok", "database": "ok"}));
}

#[tokio::test]
async fn healthz_answers_503_while_the_database_is_stopped_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_path_buf();
    let cluster = tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data_dir, None))
        .await
        .unwrap()
        .unwrap();
    let url = cluster.connect_url("postgres");
    let app = TestApp::start(test_config(Some(url), dir.path()), |r| r).await;
    assert_eq!(app.get("/healthz").await.status(), 200);

    let cluster = tokio::task::spawn_blocking(move || {
        cluster.stop_now().unwrap();
        cluster
    })
    .await
    .unwrap();
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "down");

    let mut cluster = tokio::task::spawn_blocking(move || {
        let mut cluster = cluster;
        cluster.start_server().unwrap();
        cluster
    })
    .await
    .unwrap();
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the pool reconnects once the database is back"
    );
    app.server.shutdown().await;
    tokio::task::spawn_blocking(move || cluster.stop().unwrap())
        .await
        .unwrap();
}
