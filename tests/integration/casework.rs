//! Customs work on cases: the queue and its counts, taking and assigning, requests with due dates in working days, extension decisions, outcomes, reopening, reports and holidays.

use app::domain::working_days::{Calendar, Clock};
use app::server::settings::CaseSettings;
use chrono::{Days, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;
use valora_tests::cases::{ADMIN, OFFICER, client_key, demo, open_query};
use valora_tests::{TestApp, location};

const SUPERVISOR: &str = "sofia.supervisora@sunat.demo";
const AUDITOR: &str = "andres.auditor@sunat.demo";
const VALUATION_ADMIN: &str = "victor.valoracion@sunat.demo";
/// The demo importer's RUC.
const IMPORTER_RUC: &str = "20100070970";

/// Opens a request for information on a declaration of the demo importer as `cookie` (no
/// JavaScript); returns the new case's reference.
async fn open_rfi(app: &TestApp, cookie: &str, subject: &str) -> String {
    let key = client_key();
    let form = [
        ("declaration", "118-2026-10-004512"),
        ("importer_tax_id", IMPORTER_RUC),
        ("subject", subject),
        (
            "grounds",
            "El precio declarado está muy por debajo de la banda.",
        ),
        ("doc_types[]", "invoice"),
        ("doc_types[]", "contract"),
        ("client_key", key.as_str()),
    ];
    let response = app
        .post_form("/api/open-request", Some(cookie), &form)
        .await;
    let to = location(&response);
    assert!(to.starts_with("/cases/CAS-"), "open-request went to {to:?}");
    to.trim_start_matches("/cases/").to_string()
}

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .expect("user")
}

async fn case_state(app: &TestApp, reference: &str) -> String {
    sqlx::query_scalar("SELECT state FROM cases WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.pool)
        .await
        .expect("case")
}

async fn holidays(app: &TestApp) -> Vec<NaiveDate> {
    sqlx::query_scalar("SELECT day FROM holidays")
        .fetch_all(&app.pool)
        .await
        .expect("holidays")
}

/// Puts a request case under review, as if the trader had answered.
async fn under_review(app: &TestApp, reference: &str) {
    sqlx::query(
        "UPDATE cases SET state = 'under_review', awaiting_since = NULL WHERE reference = $1",
    )
    .bind(reference)
    .execute(&app.pool)
    .await
    .expect("under review");
}

/// The queue's JSON answer for `cookie` with these query parameters.
async fn queue_json(app: &TestApp, cookie: &str, params: &[(&str, &str)]) -> Value {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("filter%5B{k}%5D={}", urlencode(v)))
        .collect();
    let response = app
        .client
        .get(app.url(&format!("/api/casework-queue?{}", query.join("&"))))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .send()
        .await
        .expect("GET queue");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("queue JSON")
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn counts(queue: &Value) -> (i64, i64, i64) {
    (
        queue["unassigned"].as_i64().expect("unassigned"),
        queue["mine"].as_i64().expect("mine"),
        queue["all"].as_i64().expect("all"),
    )
}

#[tokio::test]
async fn a_request_is_due_after_five_working_days_skipping_the_weekend_and_a_holiday_added_on_the_holidays_page()
 {
    let app = demo().await;
    let settings = CaseSettings::default();
    let today = settings.today();
    let before = Calendar::new(holidays(&app).await);
    let holiday = before.add_working_days(today, 1);
    let admin = app.sign_in_demo(VALUATION_ADMIN).await;
    let day = holiday.to_string();
    let added = app
        .post_form_location(
            "/api/add-holiday",
            Some(&admin),
            &[("day", &day), ("name", "Feriado de prueba")],
        )
        .await;
    assert_eq!(added, "/customs/holidays");
    let page = app.text_with_cookie("/customs/holidays", &admin).await;
    assert!(page.contains("Feriado de prueba"), "{page}");
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'holiday_added'")
            .await,
        1
    );
    let officer = app.sign_in_demo(OFFICER).await;
    assert_eq!(
        app.call_status(
            "/api/add-holiday",
            Some(&officer),
            &[("day", "2027-02-01"), ("name", "No")]
        )
        .await,
        StatusCode::FORBIDDEN
    );

    let reference = open_rfi(&app, &officer, "Requerimiento con feriado").await;
    let due: NaiveDate =
        sqlx::query_scalar("SELECT r.due_on FROM case_requests r JOIN cases c ON c.id = r.case_id WHERE c.reference = $1")
            .bind(&reference)
            .fetch_one(&app.pool)
            .await
            .expect("request");
    let after = Calendar::new(holidays(&app).await);
    assert_eq!(due, after.add_working_days(today, 5));
    assert_eq!(
        due,
        before.add_working_days(today, 6),
        "the holiday pushes the due date one working day on"
    );
    assert!(
        (due - today).num_days() >= 7,
        "five working days and a holiday span a weekend"
    );
    let (state, awaiting): (String, Option<NaiveDate>) =
        sqlx::query_as("SELECT state, awaiting_since FROM cases WHERE reference = $1")
            .bind(&reference)
            .fetch_one(&app.pool)
            .await
            .expect("case");
    assert_eq!(state, "awaiting_trader");
    assert_eq!(awaiting, Some(after.filing_day(today)));

    let removed = app
        .post_form_location("/api/remove-holiday", Some(&admin), &[("day", &day)])
        .await;
    assert_eq!(removed, "/customs/holidays");
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'holiday_removed'")
            .await,
        1
    );
}

#[test]
fn an_answer_at_23_59_local_on_the_due_date_is_on_time_and_at_00_01_the_next_day_is_late() {
    let settings = CaseSettings::default();
    let calendar = Calendar::new([]);
    // Friday 11 December 2026, in Lima (UTC-5).
    let due = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap();
    let lima = settings.time_zone;
    let at_23_59 = lima
        .with_ymd_and_hms(2026, 12, 11, 23, 59, 0)
        .unwrap()
        .with_timezone(&Utc);
    let at_00_01 = lima
        .with_ymd_and_hms(2026, 12, 12, 0, 1, 0)
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        at_23_59.date_naive(),
        NaiveDate::from_ymd_opt(2026, 12, 12).unwrap(),
        "already the 12th in UTC"
    );
    assert!(calendar.on_time(settings.local_date(at_23_59), due));
    assert!(!calendar.on_time(settings.local_date(at_00_01), due));
}

#[tokio::test]
async fn working_days_stop_counting_while_the_case_awaits_the_trader() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let reference = open_rfi(&app, &officer, "Reloj en pausa").await;
    let settings = CaseSettings::default();
    let today = settings.today();
    let calendar = Calendar::new(holidays(&app).await);
    let sent_on = today.checked_sub_days(Days::new(20)).unwrap();
    let awaiting_since = today.checked_sub_days(Days::new(8)).unwrap();
    let sent_at = settings
        .time_zone
        .from_local_datetime(&sent_on.and_hms_opt(10, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    sqlx::query(
        "UPDATE cases SET sent_at = $2, paused_days = 2, awaiting_since = $3 WHERE reference = $1",
    )
    .bind(&reference)
    .bind(sent_at)
    .bind(awaiting_since)
    .execute(&app.pool)
    .await
    .expect("clock");
    let queue = queue_json(&app, &officer, &[("tab", "all"), ("words", &reference)]).await;
    let rows = queue["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{queue}");
    let shown = rows[0]["working_days"].as_u64().expect("working days") as u32;
    let expected = Clock {
        sent_on: Some(sent_on),
        paused_days: 2,
        awaiting_since: Some(awaiting_since),
        stopped_on: None,
    }
    .elapsed(&calendar, today);
    assert_eq!(shown, expected);
    assert_eq!(
        shown + 2 + calendar.working_days_between(awaiting_since, today),
        calendar.working_days_between(sent_on, today),
        "the waits for the trader are not counted"
    );
    let page = app
        .text_with_cookie(
            &format!("/customs/cases?tab=all&words={reference}"),
            &officer,
        )
        .await;
    assert!(
        page.contains(&format!("href=\"/cases/{reference}\"")),
        "{page}"
    );
}

#[tokio::test]
async fn taking_releasing_and_assigning_go_on_the_timeline_with_their_reasons() {
    let app = demo().await;
    let admin = app.sign_in_demo(ADMIN).await;
    let reference = open_query(&app, &admin, "").await;
    assert_eq!(case_state(&app, &reference).await, "submitted");
    let officer = app.sign_in_demo(OFFICER).await;
    let page = app
        .text_with_cookie(&format!("/cases/{reference}"), &officer)
        .await;
    assert!(page.contains("id=\"take-form\""), "{page}");
    let to = app
        .post_form_location(
            "/api/take-case",
            Some(&officer),
            &[("reference", &reference)],
        )
        .await;
    assert_eq!(to, format!("/cases/{reference}"));
    assert_eq!(case_state(&app, &reference).await, "in_progress");
    let page = app
        .text_with_cookie(&format!("/cases/{reference}"), &officer)
        .await;
    for form in ["release-form", "request-form", "outcome-form"] {
        assert!(page.contains(&format!("id=\"{form}\"")), "{form} in {page}");
    }
    let olga = user_id(&app, OFFICER).await;
    let assignee: Option<Uuid> =
        sqlx::query_scalar("SELECT assignee_id FROM cases WHERE reference = $1")
            .bind(&reference)
            .fetch_one(&app.pool)
            .await
            .expect("case");
    assert_eq!(assignee, Some(olga));

    assert_eq!(
        app.call_status(
            "/api/release-case",
            Some(&officer),
            &[("reference", &reference), ("reason", "  ")]
        )
        .await,
        StatusCode::BAD_REQUEST,
        "a release needs a reason"
    );
    app.post_form_location(
        "/api/release-case",
        Some(&officer),
        &[
            ("reference", &reference),
            ("reason", "Conflicto de interés"),
        ],
    )
    .await;
    let supervisor = app.sign_in_demo(SUPERVISOR).await;
    let olga_id = olga.to_string();
    app.post_form_location(
        "/api/assign-cases",
        Some(&supervisor),
        &[
            ("reference", &reference),
            ("assignee", &olga_id),
            ("reason", "Reparto semanal"),
        ],
    )
    .await;
    let events: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT e.kind, e.detail ->> 'reason' FROM case_events e JOIN cases c ON c.id = e.case_id
         WHERE c.reference = $1 AND e.kind IN ('assigned', 'released') ORDER BY e.id",
    )
    .bind(&reference)
    .fetch_all(&app.pool)
    .await
    .expect("events");
    assert_eq!(
        events,
        vec![
            ("assigned".to_string(), None),
            (
                "released".to_string(),
                Some("Conflicto de interés".to_string())
            ),
            ("assigned".to_string(), Some("Reparto semanal".to_string())),
        ]
    );
    let page = app
        .text_with_cookie(&format!("/cases/{reference}"), &supervisor)
        .await;
    assert!(page.contains("id=\"timeline\""), "{page}");
}

#[tokio::test]
async fn an_officer_not_assigned_cannot_act_and_an_auditor_reads_but_changes_nothing() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let reference = open_rfi(&app, &officer, "Solo la asignada actúa").await;
    under_review(&app, &reference).await;
    let customs: Uuid = sqlx::query_scalar(
        "SELECT organisation_id FROM users WHERE email = 'olga.oficial@sunat.demo'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("customs");
    app::features::accounts::service::create_user(
        &app.pool,
        (customs, app::policy::OrgKind::Customs),
        "otro.oficial@sunat.demo",
        "Otro Oficial",
        app::policy::Role::CustomsOfficer,
        valora_tests::TEST_PASSWORD,
    )
    .await
    .expect("second officer");
    let other = app.another_session("otro.oficial@sunat.demo").await;
    let auditor = app.sign_in_demo(AUDITOR).await;
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        ("/api/release-case", vec![("reason", "No es mío")]),
        (
            "/api/issue-request",
            vec![("grounds", "Más pruebas"), ("doc_types[]", "invoice")],
        ),
        (
            "/api/record-outcome",
            vec![("outcome", "dispelled"), ("grounds", "Conforme")],
        ),
        ("/api/take-case", vec![]),
    ];
    for (path, fields) in &steps {
        let mut form = vec![("reference", reference.as_str())];
        form.extend(fields.iter().copied());
        for (who, cookie) in [("officer not assigned", &other), ("auditor", &auditor)] {
            assert_eq!(
                app.call_status(path, Some(cookie), &form).await,
                if *path == "/api/take-case" && who == "officer not assigned" {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::FORBIDDEN
                },
                "{who} on {path}"
            );
        }
    }
    assert_eq!(case_state(&app, &reference).await, "under_review");
    let trader = app.sign_in_demo(ADMIN).await;
    assert_eq!(
        app.call_status(
            "/api/release-case",
            Some(&trader),
            &[("reference", &reference), ("reason", "x")]
        )
        .await,
        StatusCode::NOT_FOUND,
        "a trader is told nothing of customs' steps"
    );
    let page = app
        .text_with_cookie(&format!("/cases/{reference}"), &auditor)
        .await;
    assert!(page.contains(&reference));
    let queue = queue_json(&app, &auditor, &[("tab", "all"), ("words", &reference)]).await;
    assert_eq!(counts(&queue).2, 1);
    assert_eq!(
        app.status_with_cookie("/customs/reports.csv", &auditor)
            .await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_queue_counts_each_tab_under_the_same_filters() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let first = open_rfi(&app, &officer, "Pimientoqueue importado").await;
    let second = open_rfi(&app, &officer, "Pimientoqueue en conserva").await;
    let words = [("words", "pimientoqueue")];
    let queue = queue_json(&app, &officer, &[("tab", "mine"), words[0]]).await;
    assert_eq!(counts(&queue), (0, 2, 2));
    assert_eq!(queue["rows"].as_array().unwrap().len(), 2);

    app.post_form_location(
        "/api/release-case",
        Some(&officer),
        &[("reference", &first), ("reason", "Para otra persona")],
    )
    .await;
    let queue = queue_json(&app, &officer, &[("tab", "unassigned"), words[0]]).await;
    assert_eq!(counts(&queue), (1, 1, 2));
    assert_eq!(queue["rows"][0]["reference"], first.as_str());

    for (filter, expected) in [
        (("kind", "request"), 2),
        (("kind", "query"), 0),
        (("state", "awaiting_trader"), 2),
        (("state", "closed"), 0),
        (("importer", "2010007"), 2),
        (("importer", "andina"), 2),
        (("importer", "Nadie S.A."), 0),
        (("broker", "agencia"), 0),
        (("tariff", "0703"), 0),
    ] {
        let queue = queue_json(&app, &officer, &[("tab", "all"), words[0], filter]).await;
        assert_eq!(counts(&queue).2, expected, "{filter:?}");
    }

    sqlx::query("UPDATE cases SET due_on = current_date - 3 WHERE reference = $1")
        .bind(&second)
        .execute(&app.pool)
        .await
        .expect("overdue");
    let queue = queue_json(
        &app,
        &officer,
        &[("tab", "all"), words[0], ("overdue", "yes")],
    )
    .await;
    assert_eq!(counts(&queue), (0, 1, 1));
    assert_eq!(queue["rows"][0]["overdue"], true);
    let page = app
        .text_with_cookie("/customs/cases?tab=all&words=pimientoqueue", &officer)
        .await;
    assert!(
        page.contains("Vencido"),
        "overdue is written, not only coloured"
    );
    assert!(page.contains("Sin asignar (1)"), "{page}");
    assert!(page.contains("Mis casos (1)"));
    assert!(page.contains("Todos (2)"));
}

#[tokio::test]
async fn a_supervisor_assigns_the_chosen_cases_at_once() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let supervisor = app.sign_in_demo(SUPERVISOR).await;
    let first = open_rfi(&app, &supervisor, "Lotebulk uno").await;
    let second = open_rfi(&app, &supervisor, "Lotebulk dos").await;
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id::text FROM cases WHERE reference = ANY($1) ORDER BY reference",
    )
    .bind(vec![first.clone(), second.clone()])
    .fetch_all(&app.pool)
    .await
    .expect("ids");
    let olga = user_id(&app, OFFICER).await.to_string();
    assert_eq!(
        app.call_status(
            "/api/assign-cases",
            Some(&officer),
            &[("ids[]", &ids[0]), ("assignee", &olga), ("reason", "x")]
        )
        .await,
        StatusCode::FORBIDDEN,
        "an officer does not assign"
    );
    let to = app
        .post_form_location(
            "/api/assign-cases",
            Some(&supervisor),
            &[
                ("ids[]", &ids[0]),
                ("ids[]", &ids[1]),
                ("assignee", &olga),
                ("reason", "Carga equilibrada"),
                ("back", "/customs/cases?tab=all"),
            ],
        )
        .await;
    assert_eq!(to, "/customs/cases?tab=all");
    let queue = queue_json(&app, &officer, &[("tab", "mine"), ("words", "lotebulk")]).await;
    assert_eq!(counts(&queue), (0, 2, 2));
    let page = app
        .text_with_cookie("/customs/cases?tab=all", &supervisor)
        .await;
    assert!(
        page.contains("name=\"ids[]\""),
        "supervisors get checkboxes"
    );
    let page = app
        .text_with_cookie("/customs/cases?tab=all", &officer)
        .await;
    assert!(!page.contains("name=\"ids[]\""), "officers do not");
}

#[tokio::test]
async fn doubt_dispelled_closes_the_case_and_doubt_confirmed_needs_grounds_and_the_next_method() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let dispelled = open_rfi(&app, &officer, "Se disipa").await;
    let confirmed = open_rfi(&app, &officer, "Se confirma").await;
    assert_eq!(
        app.call_status(
            "/api/record-outcome",
            Some(&officer),
            &[
                ("reference", &dispelled),
                ("outcome", "dispelled"),
                ("grounds", "Conforme")
            ]
        )
        .await,
        StatusCode::BAD_REQUEST,
        "not while the request awaits the trader"
    );
    under_review(&app, &dispelled).await;
    under_review(&app, &confirmed).await;
    assert_eq!(
        app.call_status(
            "/api/record-outcome",
            Some(&officer),
            &[
                ("reference", &dispelled),
                ("outcome", "answered"),
                ("grounds", "Conforme")
            ]
        )
        .await,
        StatusCode::BAD_REQUEST,
        "a case with a request is not merely answered"
    );
    app.post_form_location(
        "/api/record-outcome",
        Some(&officer),
        &[
            ("reference", &dispelled),
            ("outcome", "dispelled"),
            ("grounds", "El contrato justifica el precio."),
        ],
    )
    .await;
    let (state, outcome, closed): (String, Option<String>, bool) = sqlx::query_as(
        "SELECT state, outcome, closed_at IS NOT NULL FROM cases WHERE reference = $1",
    )
    .bind(&dispelled)
    .fetch_one(&app.pool)
    .await
    .expect("case");
    assert_eq!(
        (state.as_str(), outcome.as_deref(), closed),
        ("closed", Some("dispelled"), true)
    );

    for form in [
        vec![("outcome", "confirmed"), ("grounds", "Precio bajo")],
        vec![
            ("outcome", "confirmed"),
            ("grounds", " "),
            ("next_method", "similar"),
        ],
    ] {
        let mut form = form;
        form.push(("reference", &confirmed));
        let response = app.call("/api/record-outcome", Some(&officer), &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = response.text().await.unwrap();
        assert!(
            body.contains("next_method") || body.contains("grounds"),
            "{body}"
        );
    }
    assert_eq!(case_state(&app, &confirmed).await, "under_review");
    app.post_form_location(
        "/api/record-outcome",
        Some(&officer),
        &[
            ("reference", &confirmed),
            ("outcome", "confirmed"),
            ("grounds", "No se acreditó el pago."),
            ("next_method", "similar"),
        ],
    )
    .await;
    let (outcome, method): (Option<String>, String) =
        sqlx::query_as("SELECT outcome, next_method FROM cases WHERE reference = $1")
            .bind(&confirmed)
            .fetch_one(&app.pool)
            .await
            .expect("case");
    assert_eq!(
        (outcome.as_deref(), method.as_str()),
        (Some("confirmed"), "similar")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE c.reference = '{confirmed}' AND e.kind = 'outcome'"
        ))
        .await,
        1
    );
}

async fn close(app: &TestApp, officer: &str, reference: &str) {
    app.post_form_location(
        "/api/record-outcome",
        Some(officer),
        &[
            ("reference", reference),
            ("outcome", "dispelled"),
            ("grounds", "Conforme"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_closed_case_reopens_only_within_the_reopening_period() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let reference = open_rfi(&app, &officer, "Reabrir").await;
    under_review(&app, &reference).await;
    close(&app, &officer, &reference).await;
    assert_eq!(
        app.call_status(
            "/api/reopen-case",
            Some(&officer),
            &[("reference", &reference), ("reason", "")]
        )
        .await,
        StatusCode::BAD_REQUEST,
        "a reason is required"
    );
    app.post_form_location(
        "/api/reopen-case",
        Some(&officer),
        &[
            ("reference", &reference),
            ("reason", "Llegó un documento nuevo"),
        ],
    )
    .await;
    let (state, outcome): (String, Option<String>) =
        sqlx::query_as("SELECT state, outcome FROM cases WHERE reference = $1")
            .bind(&reference)
            .fetch_one(&app.pool)
            .await
            .expect("case");
    assert_eq!((state.as_str(), outcome), ("in_progress", None));

    close(&app, &officer, &reference).await;
    sqlx::query("UPDATE cases SET closed_at = now() - interval '31 days' WHERE reference = $1")
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("long ago");
    assert_eq!(
        app.call_status(
            "/api/reopen-case",
            Some(&officer),
            &[("reference", &reference), ("reason", "Muy tarde")]
        )
        .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(case_state(&app, &reference).await, "closed");
}

#[tokio::test]
async fn the_officer_grants_an_extension_within_the_maximum_or_refuses_it_with_a_reason() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let reference = open_rfi(&app, &officer, "Prórroga").await;
    let due: NaiveDate = sqlx::query_scalar(
        "SELECT r.due_on FROM case_requests r JOIN cases c ON c.id = r.case_id WHERE c.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .expect("due");
    let grant = |until: String| {
        let (app, officer, reference) = (&app, officer.clone(), reference.clone());
        async move {
            app.call_status(
                "/api/decide-extension",
                Some(&officer),
                &[
                    ("reference", &reference),
                    ("decision", "grant"),
                    ("due_on", &until),
                ],
            )
            .await
        }
    };
    assert_eq!(
        grant(due.to_string()).await,
        StatusCode::BAD_REQUEST,
        "not before the trader asks"
    );
    sqlx::query(
        "UPDATE case_requests SET extension_asked_at = now(), extension_reason = 'Falta el contrato'
         WHERE case_id = (SELECT id FROM cases WHERE reference = $1)",
    )
    .bind(&reference)
    .execute(&app.pool)
    .await
    .expect("asked");
    let calendar = Calendar::new(holidays(&app).await);
    let latest = calendar.add_working_days(due, CaseSettings::default().extension_max_days);
    assert_eq!(
        grant(due.to_string()).await,
        StatusCode::BAD_REQUEST,
        "not the same date"
    );
    assert_eq!(
        grant(latest.checked_add_days(Days::new(1)).unwrap().to_string()).await,
        StatusCode::BAD_REQUEST,
        "not past the maximum"
    );
    assert_eq!(grant(latest.to_string()).await, StatusCode::OK);
    let (case_due, granted): (Option<NaiveDate>, Option<bool>) = sqlx::query_as(
        "SELECT c.due_on, r.extension_granted FROM cases c JOIN case_requests r ON r.case_id = c.id
         WHERE c.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .expect("case");
    assert_eq!((case_due, granted), (Some(latest), Some(true)));
    assert_eq!(
        grant(latest.to_string()).await,
        StatusCode::BAD_REQUEST,
        "decided once"
    );

    let refused = open_rfi(&app, &officer, "Prórroga denegada").await;
    sqlx::query(
        "UPDATE case_requests SET extension_asked_at = now(), extension_reason = 'Vacaciones'
         WHERE case_id = (SELECT id FROM cases WHERE reference = $1)",
    )
    .bind(&refused)
    .execute(&app.pool)
    .await
    .expect("asked");
    let refuse = |reason: &'static str| {
        let (app, officer, refused) = (&app, officer.clone(), refused.clone());
        async move {
            app.call_status(
                "/api/decide-extension",
                Some(&officer),
                &[
                    ("reference", refused.as_str()),
                    ("decision", "refuse"),
                    ("reason", reason),
                ],
            )
            .await
        }
    };
    assert_eq!(
        refuse(" ").await,
        StatusCode::BAD_REQUEST,
        "a refusal needs a reason"
    );
    assert_eq!(refuse("El plazo es suficiente").await, StatusCode::OK);
    let (granted, refusal): (Option<bool>, String) = sqlx::query_as(
        "SELECT r.extension_granted, r.extension_refusal FROM case_requests r
         JOIN cases c ON c.id = r.case_id WHERE c.reference = $1",
    )
    .bind(&refused)
    .fetch_one(&app.pool)
    .await
    .expect("request");
    assert_eq!(
        (granted, refusal.as_str()),
        (Some(false), "El plazo es suficiente")
    );
}

#[tokio::test]
async fn the_reports_csv_has_the_figures_and_neutralises_formula_like_cells() {
    let app = demo().await;
    let customs: Uuid = sqlx::query_scalar(
        "SELECT organisation_id FROM users WHERE email = 'olga.oficial@sunat.demo'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("customs");
    let sly = app::features::accounts::service::create_user(
        &app.pool,
        (customs, app::policy::OrgKind::Customs),
        "formula.oficial@sunat.demo",
        "=HYPERLINK(\"http://x\")",
        app::policy::Role::CustomsOfficer,
        valora_tests::TEST_PASSWORD,
    )
    .await
    .expect("officer");
    let supervisor = app.sign_in_demo(SUPERVISOR).await;
    let reference = open_rfi(&app, &supervisor, "Para el reporte").await;
    under_review(&app, &reference).await;
    app.post_form_location(
        "/api/record-outcome",
        Some(&supervisor),
        &[
            ("reference", &reference),
            ("outcome", "confirmed"),
            ("grounds", "Sin pruebas del pago"),
            ("next_method", "deductive"),
        ],
    )
    .await;
    let other = open_rfi(&app, &supervisor, "Para la persona").await;
    let sly_id = sly.to_string();
    app.post_form_location(
        "/api/assign-cases",
        Some(&supervisor),
        &[
            ("reference", &other),
            ("assignee", &sly_id),
            ("reason", "Prueba"),
        ],
    )
    .await;

    let response = app
        .get_with_cookie("/customs/reports.csv", &supervisor)
        .await;
    if response.status() != StatusCode::OK {
        panic!("{}: {}", response.status(), response.text().await.unwrap());
    }
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    let closed = app
        .count(
            "SELECT count(*) FROM cases WHERE state = 'closed'
             AND sent_at >= now() - interval '92 days'",
        )
        .await;
    assert!(closed >= 1);
    assert!(csv.contains(&format!("Casos cerrados,{closed}")), "{csv}");
    assert!(csv.contains("Casos por estado"));
    assert!(csv.contains("Resultados por capítulo arancelario"));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.contains("\n=HYPERLINK") && !csv.contains("\"=HYPERLINK"));

    let page = app.text_with_cookie("/customs/reports", &supervisor).await;
    assert!(page.contains("href=\"/customs/reports.csv?from="), "{page}");
    let officer = app.sign_in_demo(OFFICER).await;
    assert_eq!(
        app.status_with_cookie("/customs/reports.csv", &officer)
            .await,
        StatusCode::FORBIDDEN
    );
    let trader = app.sign_in_demo(ADMIN).await;
    assert_eq!(
        app.status_with_cookie("/customs/reports.csv", &trader)
            .await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_same_request_form_posted_twice_opens_one_case() {
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let key = client_key();
    let form = [
        ("declaration", "118-2026-10-009999"),
        ("importer_tax_id", IMPORTER_RUC),
        ("subject", "Doble envío"),
        ("grounds", "Dudas sobre el flete."),
        ("doc_types[]", "transport"),
        ("client_key", key.as_str()),
    ];
    let first = app
        .post_form_location("/api/open-request", Some(&officer), &form)
        .await;
    let second = app
        .post_form_location("/api/open-request", Some(&officer), &form)
        .await;
    assert_eq!(first, second);
    assert_eq!(
        app.count("SELECT count(*) FROM cases WHERE subject = 'Doble envío'")
            .await,
        1
    );
    let bad = app
        .call(
            "/api/open-request",
            Some(&officer),
            &[
                ("declaration", "118"),
                ("importer_tax_id", "20100070971"),
                ("subject", "x"),
                ("grounds", "y"),
                ("client_key", &client_key()),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body = bad.text().await.unwrap();
    assert!(
        body.contains("importer_tax_id") && body.contains("doc_types"),
        "{body}"
    );
}

#[tokio::test]
async fn a_person_with_open_cases_is_deactivated_only_once_the_cases_are_moved() {
    use app::features::accounts::service::{AdminError, deactivate_user};
    let app = demo().await;
    let officer = app.sign_in_demo(OFFICER).await;
    let supervisor = app.sign_in_demo(SUPERVISOR).await;
    let olga = user_id(&app, OFFICER).await;
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT id::text FROM cases WHERE assignee_id = $1
           AND state IN ('submitted', 'in_progress', 'awaiting_trader', 'under_review')",
    )
    .bind(olga)
    .fetch_all(&app.pool)
    .await
    .expect("open cases");
    assert!(!open.is_empty(), "the demo officer works open cases");

    match deactivate_user(&app.pool, OFFICER, "test").await {
        Err(AdminError::HasOpenCases { open: n, .. }) => assert_eq!(n, open.len() as i64),
        other => panic!("deactivated with open cases: {other:?}"),
    }
    let active: bool = sqlx::query_scalar("SELECT deactivated_at IS NULL FROM users WHERE id = $1")
        .bind(olga)
        .fetch_one(&app.pool)
        .await
        .expect("user");
    assert!(active, "the refusal changed nothing");
    assert_eq!(
        app.get_with_cookie("/customs/cases", &officer)
            .await
            .status(),
        200
    );

    let sofia = user_id(&app, SUPERVISOR).await.to_string();
    let mut form: Vec<(&str, &str)> = open.iter().map(|id| ("ids[]", id.as_str())).collect();
    form.extend([
        ("assignee", sofia.as_str()),
        ("reason", "Traslado de la oficial"),
    ]);
    let moved = app
        .call_status("/api/assign-cases", Some(&supervisor), &form)
        .await;
    assert!(moved.is_success(), "{moved}");
    deactivate_user(&app.pool, OFFICER, "test")
        .await
        .expect("deactivated once the cases are moved");

    let after = app.get_with_cookie("/customs/cases", &officer).await;
    assert!(
        after.status().is_redirection() || after.status() == StatusCode::UNAUTHORIZED,
        "her session ended: {}",
        after.status()
    );
    let signed_in = app
        .post_form(
            "/api/sign-in",
            None,
            &[
                ("email", OFFICER),
                ("password", valora_server::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert!(
        valora_tests::session_cookie(&signed_in).is_none(),
        "a deactivated person cannot sign in: {}",
        signed_in.status()
    );
    let first = &open[0];
    let refused = app
        .call_status(
            "/api/assign-cases",
            Some(&supervisor),
            &[
                ("ids[]", first),
                ("assignee", &olga.to_string()),
                ("reason", "De vuelta"),
            ],
        )
        .await;
    assert_eq!(
        refused,
        StatusCode::BAD_REQUEST,
        "nobody deactivated is given a case"
    );
    let history = valora_tests::count(
        &app.pool,
        &format!("SELECT count(*) FROM case_events WHERE actor_id = '{olga}'"),
    )
    .await;
    assert!(history > 0, "what she did stays on the timeline");
    let closed: String = sqlx::query_scalar(
        "SELECT reference FROM cases WHERE assignee_id = $1 AND state = 'closed'
         ORDER BY closed_at DESC LIMIT 1",
    )
    .bind(olga)
    .fetch_one(&app.pool)
    .await
    .expect("a case she closed keeps her name");
    let reopened = app
        .call_status(
            "/api/reopen-case",
            Some(&supervisor),
            &[("reference", &closed), ("reason", "Nuevos hechos")],
        )
        .await;
    assert!(reopened.is_success(), "{reopened}");
    let (state, assignee): (String, Option<Uuid>) =
        sqlx::query_as("SELECT state, assignee_id FROM cases WHERE reference = $1")
            .bind(&closed)
            .fetch_one(&app.pool)
            .await
            .expect("case");
    assert_eq!(
        (state.as_str(), assignee),
        ("in_progress", None),
        "reopened after she left, it goes back to the unassigned queue"
    );
}
