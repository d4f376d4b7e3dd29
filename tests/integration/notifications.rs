//! Case notifications: one mail per recipient without content, delivery outcomes recorded, SMTP down then up delivers exactly once, reminders.

use std::time::Duration;

use app::domain::cases::EventKind;
use app::features::notifications::{repo, service};
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;
use valora_tests::{SmtpServer, TestApp, count};

/// An importer with its people, a broker firm and a customs officer, made with SQL.
struct World {
    importer: Uuid,
    broker: Uuid,
    officer: Uuid,
}

async fn org(pool: &PgPool, kind: &str, name: &str) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO organisations (kind, name, tax_id_scheme, tax_id)
         VALUES ($1, $2, 'RUC', $3) RETURNING id",
    )
    .bind(kind)
    .bind(name)
    .bind(format!("20{:09}", rand_digits()))
    .fetch_one(pool)
    .await
    .unwrap()
}

fn rand_digits() -> u64 {
    u64::from(Uuid::new_v4().as_u128() as u32) % 1_000_000_000
}

async fn person(
    pool: &PgPool,
    org: Uuid,
    email: &str,
    role: &str,
    lang: &str,
    follows: bool,
) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO users (organisation_id, email, full_name, role, password_hash, lang,
                            email_verified_at, follows_cases)
         VALUES ($1, $2, 'Persona de prueba', $3, 'unusable', $4, now(), $5) RETURNING id",
    )
    .bind(org)
    .bind(email)
    .bind(role)
    .bind(lang)
    .bind(follows)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The importer has a Spanish and an English follower and one who does not follow cases; the
/// broker firm has one member.
async fn world(pool: &PgPool) -> World {
    let importer = org(pool, "importer", "Importadora de prueba").await;
    let broker = org(pool, "broker", "Agencia de prueba").await;
    let customs = org(pool, "customs", "Aduanas de prueba").await;
    person(
        pool,
        importer,
        "rosa@importadora.pe",
        "org_admin",
        "es",
        true,
    )
    .await;
    person(pool, importer, "john@importadora.pe", "trader", "en", true).await;
    person(
        pool,
        importer,
        "quiet@importadora.pe",
        "trader",
        "es",
        false,
    )
    .await;
    person(pool, broker, "agente@agencia.pe", "trader", "es", true).await;
    let officer = person(
        pool,
        customs,
        "oficial@aduanas.pe",
        "customs_officer",
        "es",
        true,
    )
    .await;
    World {
        importer,
        broker,
        officer,
    }
}

/// A query case of the importer opened by its broker, in progress with the officer, and the
/// customs message it carries.
async fn case_with_customs_message(pool: &PgPool, w: &World, body: &str) -> (Uuid, String, i64) {
    let id = Uuid::new_v4();
    let reference = app::domain::readable_ref::case_from_random(*Uuid::new_v4().as_bytes());
    let creator: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'rosa@importadora.pe'")
            .fetch_one(pool)
            .await
            .unwrap();
    sqlx::query(
        "INSERT INTO cases (id, reference, kind, state, importer_id, broker_id, subject, category,
                            created_by, sent_at, assignee_id)
         VALUES ($1, $2, 'query', 'in_progress', $3, $4, 'Flete del ajo', 'valuation', $5, now(), $6)",
    )
    .bind(id)
    .bind(&reference)
    .bind(w.importer)
    .bind(w.broker)
    .bind(creator)
    .bind(w.officer)
    .execute(pool)
    .await
    .unwrap();
    let customs: Uuid = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1")
        .bind(w.officer)
        .fetch_one(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO case_messages (id, case_id, side, author_id, author_org, body, sent_at, client_key)
         VALUES ($1, $2, 'customs', $3, $4, $5, now(), $6)",
    )
    .bind(Uuid::new_v4())
    .bind(id)
    .bind(w.officer)
    .bind(customs)
    .bind(body)
    .bind(Uuid::new_v4())
    .execute(pool)
    .await
    .unwrap();
    let event: i64 = sqlx::query_scalar(
        "INSERT INTO case_events (case_id, kind, actor_id, actor_org) VALUES ($1, 'message', $2, $3)
         RETURNING id",
    )
    .bind(id)
    .bind(w.officer)
    .bind(customs)
    .fetch_one(pool)
    .await
    .unwrap();
    (id, reference, event)
}

/// The step's notifications, written in one transaction as a workflow does.
async fn notify_step(app: &TestApp, w: &World, case: (Uuid, &str, i64), kind: EventKind) {
    let mut tx = app.pool.begin().await.unwrap();
    service::notify(
        &mut tx,
        &service::Notify {
            case_id: case.0,
            reference: case.1,
            importer_id: w.importer,
            broker_id: Some(w.broker),
            event_id: case.2,
            kind,
            public_base: app.base.as_str().trim_end_matches('/'),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn outbox_for(pool: &PgPool, recipient: &str) -> (String, String, String) {
    sqlx::query_as("SELECT subject, body_text, body_html FROM outbox WHERE recipient = $1")
        .bind(recipient)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_customs_message_mails_each_following_member_in_their_language_with_a_link_and_without_its_content()
 {
    let app = TestApp::spawn().await;
    let w = world(&app.pool).await;
    let secret = "El precio de la factura HT-77120 parece bajo";
    let (id, reference, event) = case_with_customs_message(&app.pool, &w, secret).await;
    notify_step(&app, &w, (id, &reference, event), EventKind::Message).await;

    let recipients: Vec<String> =
        sqlx::query_scalar("SELECT recipient FROM outbox ORDER BY recipient")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        recipients,
        ["john@importadora.pe", "rosa@importadora.pe"],
        "followers of the importer only: not the one who does not follow, not the broker (the importer did not allow it)"
    );
    let link = format!(
        "{}/cases/{reference}",
        app.base.as_str().trim_end_matches('/')
    );
    let (es_subject, es_text, es_html) = outbox_for(&app.pool, "rosa@importadora.pe").await;
    assert!(
        es_subject.contains(&reference) && es_subject.contains("Aduanas le ha enviado un mensaje")
    );
    let (en_subject, en_text, _) = outbox_for(&app.pool, "john@importadora.pe").await;
    assert!(
        en_subject.contains(&reference) && en_subject.contains("Customs has sent you a message")
    );
    for body in [&es_text, &es_html, &en_text] {
        assert!(body.contains(&link), "the sign-in link: {body}");
        assert!(
            !body.contains(secret) && !body.contains("HT-77120"),
            "no content: {body}"
        );
    }
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM case_notifications WHERE purpose = 'step'"
        )
        .await,
        2,
        "one notification recorded per recipient"
    );
    let deliveries = repo::deliveries(&app.pool, id).await.unwrap();
    assert_eq!(deliveries.len(), 2);
    assert!(
        deliveries
            .iter()
            .all(|d| d.event == Some(EventKind::Message) && d.status == "pending")
    );
}

#[tokio::test]
async fn an_officer_issuing_a_request_mails_each_follower_of_the_importer_a_link_without_the_grounds()
 {
    use valora_tests::cases::{ADMIN, COMPLIANCE, OFFICER, client_key, demo, open_query};
    let app = demo().await;
    let ana = app.sign_in_demo(ADMIN).await;
    let assessment = app.save_garlic_assessment(&ana, "Notificaciones").await;
    let reference = open_query(&app, &ana, &assessment).await;
    let olga = app.sign_in_demo(OFFICER).await;
    let taken = app
        .post_form("/api/take-case", Some(&olga), &[("reference", &reference)])
        .await;
    assert!(
        taken.status().is_redirection(),
        "take-case: {}",
        taken.status()
    );
    let grounds = "El contrato no coincide con la factura 4471";
    let key = client_key();
    let issued = app
        .post_form(
            "/api/issue-request",
            Some(&olga),
            &[
                ("reference", &reference),
                ("grounds", grounds),
                ("doc_types", "contract"),
                ("client_key", &key),
            ],
        )
        .await;
    assert!(
        issued.status().is_redirection(),
        "issue-request: {}",
        issued.status()
    );

    let mails: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT recipient, subject, body_text FROM outbox
         WHERE subject LIKE '%' || $1 || '%' AND subject LIKE '%Requerimiento de información%'
         ORDER BY recipient",
    )
    .bind(&reference)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let recipients: Vec<&str> = mails.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        recipients,
        [ADMIN, COMPLIANCE],
        "one mail per follower of the importer"
    );
    for (_, _, body) in &mails {
        assert!(body.contains(&format!("/cases/{reference}")), "{body}");
        assert!(!body.contains("4471") && !body.contains(grounds), "{body}");
    }
}

#[tokio::test]
async fn the_broker_firm_is_mailed_too_when_the_importer_allows_it() {
    let app = TestApp::spawn().await;
    let w = world(&app.pool).await;
    sqlx::query("UPDATE organisations SET case_mail_to_broker = true WHERE id = $1")
        .bind(w.importer)
        .execute(&app.pool)
        .await
        .unwrap();
    let (id, reference, event) = case_with_customs_message(&app.pool, &w, "texto").await;
    notify_step(&app, &w, (id, &reference, event), EventKind::RequestIssued).await;
    let recipients: Vec<String> =
        sqlx::query_scalar("SELECT recipient FROM outbox ORDER BY recipient")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        recipients,
        [
            "agente@agencia.pe",
            "john@importadora.pe",
            "rosa@importadora.pe"
        ]
    );
    let (subject, _, _) = outbox_for(&app.pool, "agente@agencia.pe").await;
    assert!(
        subject.contains("Requerimiento de información"),
        "{subject}"
    );
}

#[tokio::test]
async fn smtp_down_then_up_delivers_each_notification_exactly_once_and_records_the_outcome() {
    let mut smtp = SmtpServer::reserve();
    let url = smtp.url();
    let app = TestApp::spawn_configured(|c| c.smtp_url = Some(url)).await;
    let w = world(&app.pool).await;
    let (id, reference, event) = case_with_customs_message(&app.pool, &w, "texto").await;
    notify_step(&app, &w, (id, &reference, event), EventKind::Message).await;

    // The worker tries and fails while the SMTP server is down.
    for _ in 0..100 {
        if count(&app.pool, "SELECT count(*) FROM outbox WHERE attempts > 0").await == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM outbox WHERE attempts > 0 AND sent_at IS NULL"
        )
        .await,
        2
    );
    assert!(
        repo::deliveries(&app.pool, id)
            .await
            .unwrap()
            .iter()
            .all(|d| d.status == "pending")
    );

    smtp.restart_and_release(&app.pool).await;
    let recipients = [
        "john@importadora.pe".to_string(),
        "rosa@importadora.pe".to_string(),
    ];
    smtp.assert_each_received_once(&recipients, Duration::from_millis(800))
        .await;
    for (_, subject, body) in smtp.messages() {
        assert!(subject.contains(&reference), "{subject}");
        assert!(body.contains(&format!("/cases/{reference}")), "{body}");
    }
    let deliveries = repo::deliveries(&app.pool, id).await.unwrap();
    assert_eq!(deliveries.len(), 2);
    assert!(
        deliveries
            .iter()
            .all(|d| d.status == "sent" && d.event == Some(EventKind::Message)),
        "{deliveries:?}"
    );
    assert_eq!(
        repo::failed_for_importer(&app.pool, w.importer)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_mail_failing_the_most_attempts_allowed_is_marked_failed_and_shows_failed() {
    let smtp = SmtpServer::reserve();
    let url = smtp.url();
    let app = TestApp::spawn_configured(|c| {
        c.smtp_url = Some(url);
        c.mail_max_attempts = 2;
    })
    .await;
    let w = world(&app.pool).await;
    let (id, reference, event) = case_with_customs_message(&app.pool, &w, "texto").await;
    notify_step(&app, &w, (id, &reference, event), EventKind::Message).await;

    // Retries are seconds apart: make each one due at once.
    for _ in 0..200 {
        if count(
            &app.pool,
            "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL",
        )
        .await
            == 2
        {
            break;
        }
        sqlx::query("UPDATE outbox SET next_attempt_at = now() WHERE failed_at IS NULL")
            .execute(&app.pool)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL AND attempts = 2"
        )
        .await,
        2
    );
    // A failed mail is no longer tried, even when due.
    sqlx::query("UPDATE outbox SET next_attempt_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        count(&app.pool, "SELECT max(attempts)::bigint FROM outbox").await,
        2
    );

    let deliveries = repo::deliveries(&app.pool, id).await.unwrap();
    assert!(
        deliveries.iter().all(|d| d.status == "failed"),
        "{deliveries:?}"
    );
    assert_eq!(
        repo::failed_for_importer(&app.pool, w.importer)
            .await
            .unwrap(),
        2
    );
}

/// An open request on the case, due on `due_on`, and the case awaiting the trader.
async fn open_request(pool: &PgPool, w: &World, case_id: Uuid, due_on: NaiveDate) -> Uuid {
    sqlx::query(
        "UPDATE cases SET kind = 'request', state = 'awaiting_trader', due_on = $2, declaration_ref = '118-2030-10-000001' WHERE id = $1",
    )
    .bind(case_id)
    .bind(due_on)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query_scalar(
        "INSERT INTO case_requests (id, case_id, issued_by, grounds, period_days, due_on)
         VALUES ($1, $2, $3, 'Fundamentos reservados', 5, $4) RETURNING id",
    )
    .bind(Uuid::new_v4())
    .bind(case_id)
    .bind(w.officer)
    .bind(due_on)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[tokio::test]
async fn reminders_are_written_once_before_the_due_date_and_once_on_it_never_twice() {
    let app = TestApp::spawn().await;
    let w = world(&app.pool).await;
    let (id, reference, _) = case_with_customs_message(&app.pool, &w, "texto").await;
    // Far from today, so the server's own housekeeping run never reaches it. Friday 15 March
    // 2030; three working days before it is Tuesday the 12th.
    open_request(&app.pool, &w, id, day("2030-03-15")).await;
    let settings = app::server::settings::CaseSettings::default();
    let base = app.base.as_str().trim_end_matches('/');
    let write = |today: &'static str| {
        let pool = app.pool.clone();
        let settings = settings.clone();
        let base = base.to_string();
        async move {
            service::write_reminders(&pool, &base, &settings, day(today))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        write("2030-03-11").await,
        0,
        "four working days before: too early"
    );
    assert_eq!(write("2030-03-12").await, 1, "three working days before");
    assert_eq!(write("2030-03-12").await, 0, "never twice");
    assert_eq!(
        write("2030-03-14").await,
        0,
        "the reminder before was written already"
    );
    assert_eq!(write("2030-03-15").await, 1, "on the due date");
    assert_eq!(write("2030-03-15").await, 0);
    assert_eq!(
        write("2030-03-18").await,
        0,
        "after the due date: already reminded"
    );

    assert_eq!(
        count(&app.pool, "SELECT count(*) FROM case_reminders").await,
        2
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM case_notifications WHERE purpose = 'reminder_before'"
        )
        .await,
        2,
        "one per follower"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) FROM case_notifications WHERE purpose = 'reminder_due'"
        )
        .await,
        2
    );
    let subjects: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE recipient = 'rosa@importadora.pe' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(subjects.len(), 2);
    assert!(
        subjects[0].contains(&reference) && subjects[0].contains("2030-03-15"),
        "{subjects:?}"
    );
    assert!(subjects[1].contains("hoy vence"), "{subjects:?}");
    let bodies = count(
        &app.pool,
        "SELECT count(*) FROM outbox WHERE body_text LIKE '%Fundamentos reservados%'",
    )
    .await;
    assert_eq!(bodies, 0, "reminders never carry the grounds");
}

#[tokio::test]
async fn an_answered_request_or_a_granted_extension_changes_what_is_reminded() {
    let app = TestApp::spawn().await;
    let w = world(&app.pool).await;
    let (id, _, _) = case_with_customs_message(&app.pool, &w, "texto").await;
    let request = open_request(&app.pool, &w, id, day("2030-03-15")).await;
    let settings = app::server::settings::CaseSettings::default();
    let base = app.base.as_str().trim_end_matches('/').to_string();
    assert_eq!(
        service::write_reminders(&app.pool, &base, &settings, day("2030-03-12"))
            .await
            .unwrap(),
        1
    );
    // Extended to Friday 22 March: the new date gets its own reminders.
    sqlx::query(
        "UPDATE case_requests SET extension_granted = true, extension_due_on = '2030-03-22' WHERE id = $1",
    )
    .bind(request)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        service::write_reminders(&app.pool, &base, &settings, day("2030-03-15"))
            .await
            .unwrap(),
        0,
        "the old due date no longer counts"
    );
    assert_eq!(
        service::write_reminders(&app.pool, &base, &settings, day("2030-03-19"))
            .await
            .unwrap(),
        1
    );
    // Answered: nothing more.
    sqlx::query(
        "UPDATE case_requests SET answered_at = now(), answer_kind = 'answer' WHERE id = $1",
    )
    .bind(request)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        service::write_reminders(&app.pool, &base, &settings, day("2030-03-22"))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_demo_seeds_cases_in_every_state_once_and_starts_again_cleanly() {
    let url = valora_tests::fresh_database_url().await;
    let config = || {
        let mut c = valora_tests::test_config(Some(url.clone()), &std::env::temp_dir());
        c.demo = true;
        c
    };
    let first = TestApp::start(config(), |r| r).await;
    let states: Vec<String> = sqlx::query_scalar("SELECT DISTINCT state FROM cases ORDER BY state")
        .fetch_all(&first.pool)
        .await
        .unwrap();
    assert_eq!(
        states,
        [
            "awaiting_trader",
            "closed",
            "draft",
            "in_progress",
            "submitted",
            "under_review",
            "withdrawn"
        ]
    );
    let cases = count(&first.pool, "SELECT count(*) FROM cases").await;
    let events = count(&first.pool, "SELECT count(*) FROM case_events").await;
    assert_eq!(
        count(
            &first.pool,
            "SELECT count(*) FROM cases WHERE broker_id IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &first.pool,
            "SELECT count(*) FROM cases WHERE state = 'closed' AND outcome IN ('dispelled', 'confirmed')"
        )
        .await,
        2
    );
    // The first housekeeping run has written no reminder: the demo's request counts as reminded.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        count(
            &first.pool,
            "SELECT count(*) FROM case_notifications WHERE purpose <> 'step'"
        )
        .await,
        0
    );
    first.server.shutdown().await;

    let second = TestApp::start(config(), |r| r).await;
    assert_eq!(
        count(&second.pool, "SELECT count(*) FROM cases").await,
        cases
    );
    assert_eq!(
        count(&second.pool, "SELECT count(*) FROM case_events").await,
        events
    );
    second.server.shutdown().await;
}
