//! Broker mandates: an importer grants one and revokes it, the broker acts for the importer only
//! while it holds it, every step is in the audit trail, and another importer cannot touch it.

use app::policy::{OrgKind, Role};
use serde_json::{Value, json};
use valora_tests::{BROKER, IMPORTER, TestApp, signed_in_account};

#[tokio::test]
async fn an_importer_grants_and_revokes_a_mandate_and_the_broker_loses_access_at_once() {
    let app = TestApp::spawn().await;
    let importer = signed_in_account(&app, IMPORTER, "admin@andina.pe", Role::OrgAdmin).await;
    let broker = signed_in_account(&app, BROKER, "agente@pacifico.pe", Role::Trader).await;
    let none: Value = app
        .call_json("/api/mandating-importers", Some(&broker), &[])
        .await;
    assert_eq!(none, json!([]));

    let bad = app
        .call_status(
            "/api/grant-mandate",
            Some(&importer),
            &[("broker_tax_id", "20100047219")],
        )
        .await;
    assert_eq!(bad, 400);
    let granted = app
        .post_form_location(
            "/api/grant-mandate",
            Some(&importer),
            &[("broker_tax_id", "20100047218")],
        )
        .await;
    assert_eq!(granted, "/mandates");
    let twice = app
        .call(
            "/api/grant-mandate",
            Some(&importer),
            &[("broker_tax_id", "20100047218")],
        )
        .await;
    assert!(
        twice
            .text()
            .await
            .unwrap()
            .contains("ya tiene un mandato vigente")
    );

    let importers: Value = app
        .call_json("/api/mandating-importers", Some(&broker), &[])
        .await;
    let importer_id = importers[0]["id"].as_str().unwrap().to_string();
    let acting = app
        .post_form_location("/api/act-for", Some(&broker), &[("importer", &importer_id)])
        .await;
    assert_eq!(acting, "/account");
    let me: Value = app.call_json("/api/whoami", Some(&broker), &[]).await;
    assert_eq!(me["acting_for_name"], "Importadora Andina");

    let mandates: Value = app.call_json("/api/mandates", Some(&importer), &[]).await;
    let mandate_id = mandates[0]["id"].as_str().unwrap().to_string();
    app.post_form(
        "/api/revoke-mandate",
        Some(&importer),
        &[("id", &mandate_id)],
    )
    .await;

    let me: Value = app.call_json("/api/whoami", Some(&broker), &[]).await;
    assert_eq!(
        me["acting_for_name"],
        Value::Null,
        "revocation bites on the next request"
    );
    let refused = app
        .call_status("/api/act-for", Some(&broker), &[("importer", &importer_id)])
        .await;
    assert_eq!(refused, 403);

    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action IN ('mandate_granted', 'act_for', 'mandate_revoked') ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(actions, ["mandate_granted", "act_for", "mandate_revoked"]);
    let acted: (uuid::Uuid, Option<uuid::Uuid>) =
        sqlx::query_as("SELECT actor_id, acting_for FROM audit_log WHERE action = 'act_for'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        acted.1.unwrap().to_string(),
        importer_id,
        "the importer acted for is recorded"
    );
}

/// Another importer's administrator cannot revoke this importer's mandate by guessing its id.
#[tokio::test]
async fn mandates_of_another_importer_are_out_of_reach() {
    let app = TestApp::spawn().await;
    let a = signed_in_account(
        &app,
        (OrgKind::Importer, "A", "20100070970"),
        "a@a.pe",
        Role::OrgAdmin,
    )
    .await;
    let b = signed_in_account(
        &app,
        (OrgKind::Importer, "B", "20100130204"),
        "b@b.pe",
        Role::OrgAdmin,
    )
    .await;
    signed_in_account(
        &app,
        (OrgKind::Broker, "Br", "20100047218"),
        "br@br.pe",
        Role::Trader,
    )
    .await;
    app.post_form(
        "/api/grant-mandate",
        Some(&a),
        &[("broker_tax_id", "20100047218")],
    )
    .await;
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM mandates")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    app.post_form("/api/revoke-mandate", Some(&b), &[("id", &id.to_string())])
        .await;
    let in_force: bool =
        sqlx::query_scalar("SELECT revoked_at IS NULL FROM mandates WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(in_force);
    let listed: Value = app.call_json("/api/mandates", Some(&b), &[]).await;
    assert_eq!(listed, json!([]));
}
