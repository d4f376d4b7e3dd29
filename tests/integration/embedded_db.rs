//! The embedded PostgreSQL cluster: created once, kept across restarts, stopped with the server,
//! and clear messages when PostgreSQL is missing or unreachable.

use std::time::Instant;

use valora_server::StartError;
use valora_tests::{TestApp, test_config};

/// Without DATABASE_URL the server creates a private cluster in its data directory, keeps the
/// data across restarts, reuses the cluster instead of creating it again, and stops it on exit.
#[tokio::test]
async fn embedded_cluster_is_created_once_keeps_data_and_stops_with_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let first_start = Instant::now();
    let app = TestApp::start(test_config(None, dir.path()), |r| r).await;
    let first_ready = first_start.elapsed();
    assert_eq!(app.get("/healthz").await.status(), 200);
    sqlx::query("INSERT INTO page_feedback (page, useful, lang) VALUES ('/kept', true, 'es')")
        .execute(&app.pool)
        .await
        .unwrap();
    let version_file = dir.path().join("postgres/PG_VERSION");
    let created = std::fs::metadata(&version_file)
        .unwrap()
        .modified()
        .unwrap();
    app.server.shutdown().await;
    assert!(
        !dir.path().join("postgres/postmaster.pid").exists(),
        "the cluster stops with the server"
    );

    let second_start = Instant::now();
    let app = TestApp::start(test_config(None, dir.path()), |r| r).await;
    let second_ready = second_start.elapsed();
    let kept = app
        .count("SELECT count(*) FROM page_feedback WHERE page = '/kept'")
        .await;
    assert_eq!(kept, 1, "data survives a restart");
    assert_eq!(
        std::fs::metadata(&version_file)
            .unwrap()
            .modified()
            .unwrap(),
        created,
        "no second initdb"
    );
    app.server.shutdown().await;
    println!("embedded start to ready: first run {first_ready:?}, later run {second_ready:?}");
}

#[tokio::test]
async fn missing_postgres_programs_give_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(None, dir.path());
    config.pg_bin = Some(dir.path().to_path_buf());
    let error = valora_server::start(config)
        .await
        .err()
        .expect("start must fail");
    let message = error.to_string();
    assert!(matches!(error, StartError::Database(_)));
    assert!(
        message.contains("were not found") && message.contains("DATABASE_URL"),
        "{message}"
    );
}

#[tokio::test]
async fn an_unreachable_database_gives_a_clear_message_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = test_config(
        Some(format!(
            "postgres://valora:s3cret-pw@127.0.0.1:{port}/valora"
        )),
        dir.path(),
    );
    let message = valora_server::start(config)
        .await
        .err()
        .expect("start must fail")
        .to_string();
    assert!(message.contains("cannot reach the database"), "{message}");
    assert!(!message.contains("s3cret-pw"), "{message}");
}
