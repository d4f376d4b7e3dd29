//! Two real server processes (the built binary, twice) on one database: the outbox worker of
//! each claims mail with `FOR UPDATE SKIP LOCKED`, so every message is sent exactly once.

use std::time::Duration;

use valora_tests::process::{no_redirect_client, start_server_process};
use valora_tests::{SmtpServer, count, fresh_database_url};

#[tokio::test]
async fn two_processes_send_each_queued_mail_exactly_once() {
    let mut smtp = SmtpServer::reserve();
    let url = fresh_database_url().await;
    let (first, second) = (
        start_server_process(&url, &smtp.url()),
        start_server_process(&url, &smtp.url()),
    );
    let client = no_redirect_client();
    let rucs = ["20100071046", "20100047218", "20100070970", "20100130204"];
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
    let pending = count(&pool, "SELECT count(*) FROM outbox WHERE sent_at IS NULL").await;
    assert_eq!(pending, 4, "the SMTP server is down: all mail waits");

    smtp.restart_and_release(&pool).await;
    let recipients: Vec<String> = (0..4).map(|i| format!("proc{i}@andina.pe")).collect();
    smtp.assert_each_received_once(&recipients, Duration::from_millis(800))
        .await;
    let sent = count(
        &pool,
        "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL",
    )
    .await;
    assert_eq!(sent, 4);
}
