//! Shortcuts the case tests share: a demo server, opening a query on a saved assessment,
//! posting to a case's message route, and putting a case into a state with SQL.

use reqwest::multipart::{Form, Part};
use uuid::Uuid;

use crate::{TestApp, location};

pub const ADMIN: &str = "ana.admin@importadora.demo";
pub const COMPLIANCE: &str = "carlos.cumplimiento@importadora.demo";
pub const BROKER: &str = "beto.agente@agencia.demo";
pub const OFFICER: &str = "olga.oficial@sunat.demo";

/// A server with the demo accounts.
pub async fn demo() -> TestApp {
    TestApp::spawn_configured(|c| c.demo = true).await
}

/// A fresh one-time form key.
pub fn client_key() -> String {
    Uuid::new_v4().to_string()
}

/// The fields of a new-query form about `assessment` (may be empty), sent at once.
pub fn query_form<'a>(
    subject: &'a str,
    assessment: &'a str,
    body: &'a str,
    key: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("subject", subject),
        ("category", "valuation"),
        ("assessment", assessment),
        ("body", body),
        ("client_key", key),
        ("intent", "send"),
    ]
}

/// Opens and sends a query as `cookie` (no JavaScript); returns the case's reference.
pub async fn open_query(app: &TestApp, cookie: &str, assessment: &str) -> String {
    let key = client_key();
    let form = query_form(
        "Valor del ajo",
        assessment,
        "¿Es aceptable este precio?",
        &key,
    );
    let response = app.post_form("/api/open-query", Some(cookie), &form).await;
    let to = location(&response);
    assert!(to.starts_with("/cases/CAS-"), "open-query went to {to:?}");
    to.trim_start_matches("/cases/").to_string()
}

/// Posts the case's message form (multipart, as a browser without JavaScript): text fields,
/// then files as `(name, bytes)`.
pub async fn post_message(
    app: &TestApp,
    cookie: &str,
    reference: &str,
    fields: &[(&str, &str)],
    files: &[(&str, Vec<u8>)],
) -> reqwest::Response {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (name, bytes) in files {
        form = form.part(
            "file",
            Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    app.client
        .post(app.url(&format!("/cases/{reference}/messages")))
        .header("origin", app.base.origin().ascii_serialization())
        .header("accept", "text/html")
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .expect("multipart POST")
}

pub async fn case_id(app: &TestApp, reference: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.pool)
        .await
        .expect("the case")
}

/// Puts the case in the hands of the demo officer with an open request for information due on
/// `due_on`, as customs' steps would (written with SQL).
pub async fn awaiting_answer(app: &TestApp, reference: &str, due_on: chrono::NaiveDate) {
    let case = case_id(app, reference).await;
    let officer: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(OFFICER)
        .fetch_one(&app.pool)
        .await
        .expect("the officer");
    sqlx::query(
        "UPDATE cases SET state = 'awaiting_trader', assignee_id = $2, due_on = $3,
                          awaiting_since = $3
         WHERE id = $1",
    )
    .bind(case)
    .bind(officer)
    .bind(due_on)
    .execute(&app.pool)
    .await
    .expect("awaiting the trader");
    sqlx::query(
        "INSERT INTO case_requests (id, case_id, issued_by, grounds, requested_types,
                                    period_days, due_on)
         VALUES ($1, $2, $3, 'Falta el contrato de compraventa.', '{contract}', 5, $4)",
    )
    .bind(Uuid::new_v4())
    .bind(case)
    .bind(officer)
    .bind(due_on)
    .execute(&app.pool)
    .await
    .expect("a request");
}
