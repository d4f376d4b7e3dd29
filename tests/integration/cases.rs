//! The trader side of cases: queries, messages and attachments, answers, the case page, who may
//! see a case, and the timeline and messages being final in the database.

use sha2::{Digest, Sha256};
use valora_server::demo::documents::pdf;
use valora_tests::cases::{
    ADMIN, BROKER, OFFICER, awaiting_answer, case_id, client_key, demo, open_query, post_message,
    query_form,
};
use valora_tests::{count, location, signed_in_account};

#[tokio::test]
async fn a_trader_opens_a_query_on_an_assessment_and_it_shows_the_categorys_response_time() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let assessment = app.save_garlic_assessment(&cookie, "Ajo de marzo").await;
    let reference = open_query(&app, &cookie, &assessment).await;

    let page = app
        .get_with_cookie(&format!("/cases/{reference}"), &cookie)
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("10 días hábiles"),
        "the response time is shown"
    );
    assert!(page.contains(&format!("/assessments/{assessment}")));
    assert!(page.contains("Enviado"), "the trader's plain state");
    assert!(page.contains("id=\"timeline\""));
    let case = case_id(&app, &reference).await;
    let state: (String, bool, bool) = sqlx::query_as(
        "SELECT state, due_on IS NOT NULL, assessment_id IS NOT NULL FROM cases WHERE id = $1",
    )
    .bind(case)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(state, ("submitted".to_string(), true, true));
    let events = count(
        &app.pool,
        &format!("SELECT count(*) FROM case_events WHERE case_id = '{case}' AND kind IN ('created', 'sent')"),
    )
    .await;
    assert_eq!(events, 2);
}

#[tokio::test]
async fn the_same_query_form_posted_twice_makes_one_case() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let key = client_key();
    let form = query_form("Consulta repetida", "", "¿Qué método aplica?", &key);
    let first = app.post_form("/api/open-query", Some(&cookie), &form).await;
    let second = app.post_form("/api/open-query", Some(&cookie), &form).await;
    assert_eq!(location(&first), location(&second));
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM cases WHERE subject = 'Consulta repetida'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_same_message_form_posted_twice_makes_one_message() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &cookie, "").await;
    let key = client_key();
    let fields = [
        ("body", "Adjuntamos la lista de precios."),
        ("client_key", key.as_str()),
        ("purpose", "message"),
    ];
    for _ in 0..2 {
        let response = post_message(&app, &cookie, &reference, &fields, &[]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), format!("/cases/{reference}#thread"));
    }
    let case = case_id(&app, &reference).await;
    assert_eq!(
        count(&app.pool, &format!("SELECT count(*) FROM case_messages WHERE case_id = '{case}' AND body = 'Adjuntamos la lista de precios.'")).await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            &format!(
                "SELECT count(*) FROM case_events WHERE case_id = '{case}' AND kind = 'message'"
            )
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_broker_sees_the_importers_case_only_while_acting_for_it_and_another_importer_gets_404() {
    let app = demo().await;
    let admin = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &admin, "").await;
    let path = format!("/api/case?reference={reference}");
    let view = |cookie: String| {
        let app = &app;
        let path = path.clone();
        async move {
            app.client
                .get(app.url(&path))
                .header("cookie", cookie)
                .header("accept", "application/json")
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let broker = app.sign_in_demo(BROKER).await;
    assert_eq!(
        view(broker.clone()).await,
        404,
        "not acting for the importer yet"
    );
    let acting = app.act_for_demo_importer(&broker).await;
    assert!(acting.status().is_redirection() || acting.status().is_success());
    assert_eq!(view(broker.clone()).await, 200, "acting for the importer");
    let other_importer = (
        app::policy::OrgKind::Importer,
        "Textiles del Sur",
        "20100130204",
    );
    let other = signed_in_account(
        &app,
        other_importer,
        "otra@andina.test",
        app::policy::Role::OrgAdmin,
    )
    .await;
    assert_eq!(view(other.clone()).await, 404);
    let page = app
        .get_with_cookie(&format!("/cases/{reference}"), &other)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("Valor del ajo"),
        "nothing of the case is shown"
    );
}

#[tokio::test]
async fn a_late_answer_is_kept_and_marked_late() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &cookie, "").await;
    let past = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    awaiting_answer(&app, &reference, past).await;
    let key = client_key();
    let response = post_message(
        &app,
        &cookie,
        &reference,
        &[
            ("body", "Enviamos el contrato."),
            ("client_key", key.as_str()),
            ("purpose", "answer"),
        ],
        &[("contrato.pdf", pdf("Contrato de compraventa"))],
    )
    .await;
    assert_eq!(response.status(), 303);
    let case = case_id(&app, &reference).await;
    let (state, late, kind, kept): (String, Option<bool>, Option<String>, bool) = sqlx::query_as(
        "SELECT c.state, r.answer_late, r.answer_kind, r.answer_message_id IS NOT NULL
         FROM cases c JOIN case_requests r ON r.case_id = c.id WHERE c.id = $1",
    )
    .bind(case)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(state, "under_review");
    assert_eq!(late, Some(true));
    assert_eq!(kind.as_deref(), Some("answer"));
    assert!(kept, "the late answer is kept");
    assert_eq!(
        count(&app.pool, &format!("SELECT count(*) FROM case_events WHERE case_id = '{case}' AND kind = 'answer_received' AND detail ->> 'late' = 'true'")).await,
        1
    );
    let page = app
        .get_with_cookie(&format!("/cases/{reference}"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Fuera de plazo"));
}

#[tokio::test]
async fn the_timeline_refuses_update_and_delete() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &cookie, "").await;
    let case = case_id(&app, &reference).await;
    let update = sqlx::query("UPDATE case_events SET kind = 'withdrawn' WHERE case_id = $1")
        .bind(case)
        .execute(&app.pool)
        .await;
    assert!(update.is_err(), "UPDATE is refused");
    let delete = sqlx::query("DELETE FROM case_events WHERE case_id = $1")
        .bind(case)
        .execute(&app.pool)
        .await;
    assert!(delete.is_err(), "DELETE is refused");
    assert_eq!(
        count(
            &app.pool,
            &format!("SELECT count(*) FROM case_events WHERE case_id = '{case}'")
        )
        .await,
        2
    );
}

#[tokio::test]
async fn sent_messages_refuse_update() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &cookie, "").await;
    let case = case_id(&app, &reference).await;
    let update = sqlx::query("UPDATE case_messages SET body = 'otra cosa' WHERE case_id = $1")
        .bind(case)
        .execute(&app.pool)
        .await;
    assert!(update.is_err(), "a sent message never changes");
}

#[tokio::test]
async fn attachments_download_with_the_right_bytes_and_hash() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &cookie, "").await;
    let bytes = pdf("Lista de precios 2026");
    let key = client_key();
    let response = post_message(
        &app,
        &cookie,
        &reference,
        &[
            ("body", "La lista de precios."),
            ("client_key", key.as_str()),
            ("doc_type", "price_list"),
        ],
        &[("lista.pdf", bytes.clone())],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (id, sha256): (uuid::Uuid, String) = sqlx::query_as(
        "SELECT a.id, a.sha256 FROM case_attachments a JOIN case_messages m ON m.id = a.message_id
         JOIN cases c ON c.id = m.case_id WHERE c.reference = $1 AND a.file_name = 'lista.pdf'",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let expected = format!("{:x}", Sha256::digest(&bytes));
    assert_eq!(sha256, expected);
    let path = format!("/cases/{reference}/attachments/{id}");
    for who in [cookie.clone(), app.sign_in_demo(OFFICER).await] {
        let download = app.get_with_cookie(&path, &who).await;
        assert_eq!(download.status(), 200);
        let got = download.bytes().await.unwrap();
        assert_eq!(format!("{:x}", Sha256::digest(&got)), expected);
        assert_eq!(got.as_ref(), bytes.as_slice());
    }
    let page = app
        .get_with_cookie(&format!("/cases/{reference}"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&expected), "the page shows the fingerprint");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'case.attachment.download'"
        )
        .await,
        1,
        "the officer's download is audited"
    );
}

#[tokio::test]
async fn a_refused_file_sends_nothing_and_gives_back_the_text_typed() {
    let app = demo().await;
    let cookie = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &cookie, "").await;
    let messages = |app: &valora_tests::TestApp| {
        let sql = format!(
            "SELECT count(*) FROM case_messages m JOIN cases c ON c.id = m.case_id
             WHERE c.reference = '{reference}'"
        );
        let pool = app.pool.clone();
        async move { count(&pool, &sql).await }
    };
    let (messages_before, blobs_before) = (
        messages(&app).await,
        count(&app.pool, "SELECT count(*) FROM document_blobs").await,
    );
    let key = client_key();
    let response = post_message(
        &app,
        &cookie,
        &reference,
        &[
            ("body", "Adjuntamos el contrato <firmado> y la factura."),
            ("client_key", key.as_str()),
            ("doc_type", "contract"),
        ],
        &[
            ("contrato.pdf", pdf("Contrato firmado")),
            (
                "setup.exe",
                b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0".to_vec(),
            ),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("<html lang=\"es\""), "{page}");
    assert!(page.contains("Su mensaje no se envió"), "{page}");
    assert!(
        page.contains("Adjuntamos el contrato &lt;firmado&gt; y la factura."),
        "the text typed comes back, escaped: {page}"
    );
    assert!(
        page.contains("setup.exe"),
        "the refusal names the file: {page}"
    );
    assert!(
        page.contains(&format!("href=\"/cases/{reference}#message-form\"")),
        "{page}"
    );
    assert_eq!(
        messages(&app).await,
        messages_before,
        "no message was written"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) FROM document_blobs").await,
        blobs_before,
        "the file accepted before the refused one was not kept"
    );
}
