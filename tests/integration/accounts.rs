//! Accounts: registration with email verification, sign-in and sign-out, password hashing, the
//! sign-in limit, session rotation, validation, the audit trail, mail through an SMTP outage,
//! and plain form posts.

use std::time::Duration;

use valora_tests::{
    SmtpServer, TEST_PASSWORD as PASSWORD, TestApp, assert_contains_all, first_link, session_cookie,
};

fn registration<'a>(email: &'a str, ruc: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org_kind", "importer"),
        ("org_name", "Importadora Andina S.A.C."),
        ("tax_id", ruc),
        ("full_name", "María Quispe"),
        ("email", email),
        ("password", PASSWORD),
    ]
}

/// Registers, follows the emailed link, and returns the session cookie after signing in.
async fn register_and_sign_in(app: &TestApp, smtp: &SmtpServer, email: &str, ruc: &str) -> String {
    let location = app
        .post_form_location("/api/register", None, &registration(email, ruc))
        .await;
    assert_eq!(location, "/register/check-email");
    let mails = smtp.wait_for(email, 1).await;
    let link = first_link(&mails[0].2);
    let token = link.split("token=").nth(1).expect("token in link");
    let location = app
        .post_form_location("/api/verify-email", None, &[("token", token)])
        .await;
    assert_eq!(location, "/sign-in?verified=1");
    let response = app.sign_in_form(email, PASSWORD).await;
    assert_eq!(response.headers()["location"], "/account");
    session_cookie(&response).expect("a session cookie")
}

#[tokio::test]
async fn register_verify_by_email_sign_in_and_sign_out() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    let cookie = register_and_sign_in(&app, &smtp, "maria@andina.pe", "20100071046").await;

    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].1, "Confirme su correo en Valora",
        "mail in the user's language"
    );
    assert!(
        mails[0]
            .2
            .contains(&format!("{}verify-email?token=", app.base))
    );

    let (status, page) = {
        let r = app.get_with_cookie("/account", &cookie).await;
        (r.status(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(
        page.contains("María Quispe") && page.contains("Importadora Andina S.A.C."),
        "{page}"
    );

    // The header is rendered in place, so it works without JavaScript.
    let nav = app.header_account_nav("/", &cookie).await;
    assert!(nav.contains("María Quispe"), "{nav}");

    let response = app.post_form("/api/sign-out", Some(&cookie), &[]).await;
    assert!(response.status().is_redirection());
    let cleared = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = app.get_with_cookie("/account", &cookie).await;
    assert!(
        after.status().is_redirection(),
        "the old session is dead: {}",
        after.status()
    );
    assert_eq!(after.headers()["location"], "/sign-in");
    let nav = app.header_account_nav("/", &cookie).await;
    assert!(nav.contains("href=\"/sign-in\""), "{nav}");

    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(actions, ["register", "verify_email", "sign_in", "sign_out"]);
}

#[tokio::test]
async fn stored_hashes_are_argon2id_with_owasp_parameters() {
    let (_smtp, app) = TestApp::spawn_with_smtp().await;
    app.post_form(
        "/api/register",
        None,
        &registration("hash@andina.pe", "20100047218"),
    )
    .await;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[tokio::test]
async fn links_are_single_use_and_unverified_accounts_cannot_sign_in() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    app.post_form(
        "/api/register",
        None,
        &registration("once@andina.pe", "20100071046"),
    )
    .await;
    let refused = app.sign_in_call("once@andina.pe", PASSWORD).await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Confirme primero su correo")
    );

    let link = first_link(&smtp.wait_for("once@andina.pe", 1).await[0].2);
    let token = link.split("token=").nth(1).unwrap().to_string();
    assert!(
        app.call("/api/verify-email", None, &[("token", &token)])
            .await
            .status()
            .is_success()
    );
    let again = app
        .call("/api/verify-email", None, &[("token", &token)])
        .await;
    assert_eq!(again.status(), 400, "a used link does not work twice");
}

#[tokio::test]
async fn the_sixth_failed_sign_in_within_a_minute_is_refused_even_with_the_right_password() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    let cookie = register_and_sign_in(&app, &smtp, "limit@andina.pe", "20100071046").await;
    assert!(!cookie.is_empty());
    for attempt in 1..=5 {
        let r = app
            .sign_in_call("limit@andina.pe", "wrong password here")
            .await;
        assert_eq!(r.status(), 400, "attempt {attempt}");
    }
    let r = app.sign_in_call("limit@andina.pe", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Demasiados intentos fallidos")
    );
    assert!(!app.signs_in("limit@andina.pe", PASSWORD).await);
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    let first = register_and_sign_in(&app, &smtp, "rotate@andina.pe", "20100071046").await;
    let response = app
        .post_form(
            "/api/sign-in",
            Some(&first),
            &[("email", "rotate@andina.pe"), ("password", PASSWORD)],
        )
        .await;
    let second = session_cookie(&response).unwrap();
    assert_ne!(first, second);
    assert!(
        app.status_with_cookie("/account", &first)
            .await
            .is_redirection(),
        "the old session ended"
    );
    assert_eq!(app.status_with_cookie("/account", &second).await, 200);
}

#[tokio::test]
async fn registration_validates_every_field_in_the_users_language() {
    let app = TestApp::spawn().await;
    let bad = [
        ("org_kind", "customs"),
        ("org_name", ""),
        ("tax_id", "20131312956"),
        ("full_name", "María"),
        ("email", "not-an-email"),
        ("password", "123456789012"),
    ];
    let response = app.call("/api/register", None, &bad).await;
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert_contains_all(
        &body,
        &[
            "Elija el tipo de organización",
            "Complete este campo",
            "El RUC no es válido",
            "Introduzca un correo electrónico válido",
            "Esa contraseña es de las más usadas",
        ],
    );
    let count = app
        .count("SELECT count(*) FROM organisations WHERE kind <> 'customs'")
        .await;
    assert_eq!(count, 0, "nothing is saved");
}

#[tokio::test]
async fn the_audit_trail_cannot_be_changed() {
    let app = TestApp::spawn().await;
    sqlx::query("INSERT INTO audit_log (action) VALUES ('test')")
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(
        sqlx::query("UPDATE audit_log SET action = 'x'")
            .execute(&app.pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&app.pool)
            .await
            .is_err()
    );
    assert_eq!(app.count("SELECT count(*) FROM audit_log").await, 1);
}

/// With the SMTP server down registration still succeeds; once it is up the mail arrives,
/// exactly once, although two server processes share the database and the outbox.
#[tokio::test]
async fn mail_survives_an_smtp_outage_and_is_sent_once_by_two_servers() {
    let mut smtp = SmtpServer::reserve();
    let url = valora_tests::fresh_database_url().await;
    let data_dir = std::env::temp_dir();
    let start = |url: String| {
        let mut config = valora_tests::test_config(Some(url), &data_dir);
        config.smtp_url = Some(smtp.url());
        config
    };
    let first = TestApp::start(start(url.clone()), |r| r).await;
    let second = TestApp::start(start(url), |r| r).await;
    for (i, app) in [&first, &second, &first, &second].into_iter().enumerate() {
        let email = format!("outage{i}@andina.pe");
        let ruc = ["20100071046", "20100047218", "20100070970", "20100130204"][i];
        let location = app
            .post_form_location("/api/register", None, &registration(&email, ruc))
            .await;
        assert_eq!(location, "/register/check-email", "registration {i}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let pending = first
        .count("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        .await;
    assert_eq!(pending, 4, "nothing was lost while SMTP was down");

    // Retries back off by seconds: make the pending mail due now that the server is back.
    smtp.restart_and_release(&first.pool).await;
    let recipients: Vec<String> = (0..4).map(|i| format!("outage{i}@andina.pe")).collect();
    smtp.assert_each_received_once(&recipients, Duration::from_millis(500))
        .await;
}

/// Without JavaScript a failed form post comes back to the form with the error in the URL, and
/// the form page shows it in the error summary.
#[tokio::test]
async fn a_failed_plain_form_post_returns_to_the_form_with_its_errors() {
    let app = TestApp::spawn().await;
    let origin = app.base.origin().ascii_serialization();
    let referer = app.url("/sign-in").to_string();
    let response = app
        .post_with(
            "/api/sign-in",
            &[
                ("origin", &origin),
                ("accept", "text/html"),
                ("referer", &referer),
            ],
            &[
                ("email", "nobody@andina.pe"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.contains("/sign-in?") && location.contains("__err="),
        "{location}"
    );
    let (_, page) = app.get_text(&location).await;
    assert!(
        page.contains("error-summary")
            && page.contains("El correo o la contraseña no son correctos")
    );
}

#[tokio::test]
async fn a_cross_origin_sign_in_is_refused() {
    let app = TestApp::spawn().await;
    let response = app
        .post_with(
            "/api/sign-in",
            &[("origin", "https://evil.example")],
            &[("email", "a@b.pe"), ("password", "whatever it is")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert!(session_cookie(&response).is_none());
}
