//! Who an organisation really is: a registration starts unverified and can neither receive
//! mandates, submit documents nor open cases; its administrator sends evidence; a valuation
//! administrator verifies it or rejects it with a reason, both audited and mailed; a verified RUC
//! (the customs administration's own among them) cannot be registered again.

use app::i18n::{Lang, Msg, t};
use serde_json::Value;
use valora_server::demo::documents::pdf;
use valora_tests::{TEST_PASSWORD, TestApp, location};

use crate::documents::post_multipart;

const IMPORTER_ADMIN: &str = "ana.admin@importadora.demo";
const VALUATION_ADMIN: &str = "victor.valoracion@sunat.demo";

/// Registers an organisation through the public form, marks its administrator's address
/// verified (as the emailed link would) and signs in; the session cookie.
async fn register(app: &TestApp, kind: &str, ruc: &str, email: &str) -> String {
    let response = app
        .call(
            "/api/register",
            None,
            &[
                ("org_kind", kind),
                ("org_name", "Recién Llegada S.A.C."),
                ("tax_id", ruc),
                ("full_name", "Lucía Ramos"),
                ("email", email),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    sqlx::query("UPDATE users SET email_verified_at = now() WHERE email = $1")
        .bind(email)
        .execute(&app.pool)
        .await
        .unwrap();
    app.another_session(email).await
}

async fn state_of(app: &TestApp, ruc: &str) -> String {
    sqlx::query_scalar(
        "SELECT verification FROM organisations WHERE tax_id = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(ruc)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn send_evidence(app: &TestApp, cookie: &str) -> String {
    let response = post_multipart(
        app,
        "/organisation/evidence",
        Some(cookie),
        &[],
        &[("file", "ficha-ruc.pdf", pdf("Ficha RUC"))],
        false,
    )
    .await;
    location(&response)
}

async fn grant(app: &TestApp, importer: &str, broker_ruc: &str) -> reqwest::Response {
    app.call(
        "/api/grant-mandate",
        Some(importer),
        &[("broker_tax_id", broker_ruc)],
    )
    .await
}

async fn mails_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body_text FROM outbox WHERE recipient = $1 ORDER BY id")
        .bind(email)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_broker_receives_mandates_only_once_customs_verifies_its_evidence() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let importer = app.sign_in_demo(IMPORTER_ADMIN).await;
    let customs = app.sign_in_demo(VALUATION_ADMIN).await;
    let (ruc, email) = ("20100071062", "lucia@nueva-agencia.pe");
    let broker = register(&app, "broker", ruc, email).await;
    assert_eq!(state_of(&app, ruc).await, "unverified");
    assert_eq!(grant(&app, &importer, ruc).await.status(), 400, "not yet");
    let page = app.text_with_cookie("/account", &broker).await;
    assert!(page.contains(t(Lang::Es, Msg::VerificationUnverifiedBody)));

    assert_eq!(
        send_evidence(&app, &broker).await,
        "/account?evidence=1#verification"
    );
    assert_eq!(state_of(&app, ruc).await, "pending");
    assert_eq!(
        app.call_status("/api/verification-queue", Some(&importer), &[])
            .await,
        403
    );
    let queue: Value = app
        .call_json("/api/verification-queue", Some(&customs), &[])
        .await;
    let entry = queue["pending"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["tax_id"] == ruc)
        .expect("in the queue")
        .clone();
    assert_eq!(entry["administrators"][0], email);
    let id = entry["id"].as_str().unwrap().to_string();
    let evidence = format!(
        "/organisation/evidence/{}",
        entry["evidence"][0]["id"].as_str().unwrap()
    );
    assert_eq!(app.status_with_cookie(&evidence, &customs).await, 200);
    assert_eq!(app.status_with_cookie(&evidence, &broker).await, 200);
    assert_eq!(
        app.status_with_cookie(&evidence, &importer).await,
        404,
        "another organisation's evidence is not found"
    );
    let queue_page = app
        .text_with_cookie("/customs/organisations", &customs)
        .await;
    assert!(queue_page.contains(ruc) && queue_page.contains("ficha-ruc.pdf"));

    let empty = app
        .call(
            "/api/reject-organisation",
            Some(&customs),
            &[("id", &id), ("reason", " ")],
        )
        .await;
    assert_eq!(empty.status(), 400, "a rejection needs its reason");
    let rejected = app
        .call(
            "/api/reject-organisation",
            Some(&customs),
            &[("id", &id), ("reason", "La ficha RUC no es legible.")],
        )
        .await;
    assert_eq!(rejected.status(), 200);
    assert_eq!(state_of(&app, ruc).await, "rejected");
    let mails = mails_to(&app, email).await;
    let (subject, body) = mails.last().unwrap();
    assert_eq!(subject, t(Lang::Es, Msg::MailRejectedSubject));
    assert!(body.contains("La ficha RUC no es legible."), "{body}");
    let page = app.text_with_cookie("/account", &broker).await;
    assert!(page.contains("La ficha RUC no es legible."));

    send_evidence(&app, &broker).await;
    assert_eq!(state_of(&app, ruc).await, "pending", "back in the queue");
    let verified = app
        .post_form_location("/api/verify-organisation", Some(&customs), &[("id", &id)])
        .await;
    assert_eq!(verified, "/customs/organisations?decided=1");
    assert_eq!(state_of(&app, ruc).await, "verified");
    let (subject, _) = mails_to(&app, email).await.pop().unwrap();
    assert_eq!(subject, t(Lang::Es, Msg::MailVerifiedSubject));
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action IN ('organisation.evidence', 'organisation.rejected', 'organisation.verified')")
            .await,
        4
    );
    assert!(grant(&app, &importer, ruc).await.status().is_success());
}

#[tokio::test]
async fn an_unverified_importer_checks_and_saves_but_cannot_submit_documents_or_open_cases() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let newcomer = register(&app, "importer", "20100071071", "rosa@nueva.pe").await;
    let reference = app.save_garlic_assessment(&newcomer, "unverified").await;
    assert!(reference.starts_with("VAL-"), "saving works: {reference}");
    let page = app
        .get_with_cookie(&format!("/assessments/{reference}"), &newcomer)
        .await;
    assert_eq!(page.status(), 200, "its own assessment opens");
    let page = page.text().await.unwrap();
    assert!(
        page.contains(t(Lang::Es, Msg::DocsVerificationNeeded)),
        "and says why no documents"
    );
    let upload = post_multipart(
        &app,
        &format!("/assessments/{reference}/documents"),
        Some(&newcomer),
        &[
            ("doc_type", "invoice"),
            ("description", "Factura"),
            ("confidentiality", "normal"),
        ],
        &[("files", "factura.pdf", pdf("Factura"))],
        true,
    )
    .await;
    assert!(
        [403, 404].contains(&upload.status().as_u16()),
        "documents: {}",
        upload.status()
    );
    assert_eq!(app.count("SELECT count(*) FROM documents d JOIN assessments a ON a.id = d.assessment_id WHERE a.label = 'unverified'").await, 0);
    let query = app
        .call(
            "/api/open-query",
            Some(&newcomer),
            &[
                ("subject", "Consulta"),
                ("category", "valuation"),
                ("body", "¿Qué documentos necesito?"),
                ("intent", "send"),
            ],
        )
        .await;
    assert_eq!(query.status(), 403, "cases");
    assert_eq!(app.count("SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.importer_id WHERE o.tax_id = '20100071071'").await, 0);
}

#[tokio::test]
async fn a_verified_ruc_cannot_be_registered_again_and_its_holder_is_told() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let before = app.count("SELECT count(*) FROM organisations").await;
    for (ruc, holder) in [
        ("20100047218", "bruno.admin@agencia.demo"),
        ("20131312955", VALUATION_ADMIN),
    ] {
        let response = app
            .call(
                "/api/register",
                None,
                &[
                    ("org_kind", "broker"),
                    ("org_name", "Impostora S.A.C."),
                    ("tax_id", ruc),
                    ("full_name", "Nadie"),
                    ("email", &format!("x{ruc}@impostora.pe")),
                    ("password", TEST_PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), 400, "{ruc}");
        let body = response.text().await.unwrap();
        assert!(body.contains(t(Lang::Es, Msg::ErrorTaxIdTaken)), "{body}");
        assert!(!body.contains("demo"), "nothing names the holder: {body}");
        let mails = mails_to(&app, holder).await;
        assert!(
            mails
                .iter()
                .any(|(subject, _)| subject == t(Lang::Es, Msg::MailTaxIdAttemptSubject)),
            "{holder} is told: {mails:?}"
        );
    }
    assert_eq!(
        app.count("SELECT count(*) FROM organisations").await,
        before
    );

    // Two registrations of one RUC nobody holds verified wait side by side: the first no
    // longer owns it.
    register(&app, "broker", "20100071089", "first@uno.pe").await;
    register(&app, "broker", "20100071089", "second@dos.pe").await;
    assert_eq!(
        app.count("SELECT count(*) FROM organisations WHERE tax_id = '20100071089'")
            .await,
        2
    );
}

#[tokio::test]
async fn customs_staff_are_never_added_to_a_traders_organisation() {
    let app = TestApp::spawn().await;
    use app::features::accounts::service::{AdminError, ensure_organisation};
    use app::policy::OrgKind;
    ensure_organisation(&app.pool, OrgKind::Importer, "Importadora", "20100071097")
        .await
        .unwrap();
    let refused = ensure_organisation(&app.pool, OrgKind::Customs, "SUNAT", "20100071097").await;
    assert!(
        matches!(refused, Err(AdminError::KindMismatch { .. })),
        "{refused:?}"
    );
    let customs: i64 = app
        .count("SELECT count(*) FROM organisations WHERE kind = 'customs' AND verification = 'verified'")
        .await;
    assert_eq!(
        customs, 1,
        "the customs administration is reserved at first start"
    );
}
