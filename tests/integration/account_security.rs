//! Account security: password reset by email, the reset mail limit, password change, the
//! sessions list, and housekeeping of expired sessions and counters.

use app::policy::Role;
use serde_json::Value;
use valora_tests::{IMPORTER, TEST_PASSWORD, TestApp, first_link, signed_in_account};

#[tokio::test]
async fn the_reset_page_answers_the_same_for_known_and_unknown_addresses() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    signed_in_account(&app, IMPORTER, "known@andina.pe", Role::OrgAdmin).await;
    let known = app
        .post_form(
            "/api/forgot-password",
            None,
            &[("email", "known@andina.pe")],
        )
        .await;
    let unknown = app
        .post_form(
            "/api/forgot-password",
            None,
            &[("email", "nobody@andina.pe")],
        )
        .await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.headers()["location"], unknown.headers()["location"]);
    assert_eq!(known.headers()["location"], "/forgot-password/sent");
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(smtp.wait_for("known@andina.pe", 1).await.len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        smtp.messages()
            .iter()
            .all(|(to, _, _)| to == "known@andina.pe")
    );
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    let cookie = signed_in_account(&app, IMPORTER, "reset@andina.pe", Role::OrgAdmin).await;
    app.post_form(
        "/api/forgot-password",
        None,
        &[("email", "reset@andina.pe")],
    )
    .await;
    let mail = &smtp.wait_for("reset@andina.pe", 1).await[0];
    assert_eq!(mail.1, "Restablezca su contraseña de Valora");
    let link = first_link(&mail.2);
    assert!(link.contains("/reset-password?token="));
    let token = link.split("token=").nth(1).unwrap().to_string();
    let new_password = "llama alpaca vicuña guanaco";
    let location = app
        .post_form_location(
            "/api/reset-password",
            None,
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(location, "/sign-in?reset=1");
    assert!(
        app.status_with_cookie("/account", &cookie)
            .await
            .is_redirection(),
        "sessions ended"
    );
    let again = app
        .call(
            "/api/reset-password",
            None,
            &[
                ("token", &token),
                ("password", "another long passphrase ok"),
            ],
        )
        .await;
    assert_eq!(again.status(), 400, "single use");
    let old = app.sign_in_call("reset@andina.pe", TEST_PASSWORD).await;
    assert_eq!(old.status(), 400);
    assert!(app.signs_in("reset@andina.pe", new_password).await);
}

#[tokio::test]
async fn reset_mail_is_limited_per_address() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    signed_in_account(&app, IMPORTER, "flood@andina.pe", Role::OrgAdmin).await;
    for _ in 0..6 {
        let location = app
            .post_form_location(
                "/api/forgot-password",
                None,
                &[("email", "flood@andina.pe")],
            )
            .await;
        assert_eq!(location, "/forgot-password/sent");
    }
    smtp.wait_for("flood@andina.pe", 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 3, "the default limit is 3 per hour");
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let first = signed_in_account(&app, IMPORTER, "change@andina.pe", Role::OrgAdmin).await;
    let second = app.another_session("change@andina.pe").await;
    let wrong = app
        .call_status(
            "/api/change-password",
            Some(&first),
            &[
                ("current_password", "not it at all"),
                ("new_password", "quinua maca kiwicha tarwi"),
            ],
        )
        .await;
    assert_eq!(wrong, 400);
    let ok = app
        .post_form_location(
            "/api/change-password",
            Some(&first),
            &[
                ("current_password", TEST_PASSWORD),
                ("new_password", "quinua maca kiwicha tarwi"),
            ],
        )
        .await;
    assert_eq!(ok, "/account?password=changed");
    assert_eq!(
        app.status_with_cookie("/account", &first).await,
        200,
        "this session stays"
    );
    assert!(
        app.status_with_cookie("/account", &second)
            .await
            .is_redirection(),
        "the other one ended"
    );
}

#[tokio::test]
async fn people_see_and_end_their_own_sessions_only() {
    let app = TestApp::spawn().await;
    let mine = signed_in_account(&app, IMPORTER, "me@andina.pe", Role::OrgAdmin).await;
    let other_device = app.another_session("me@andina.pe").await;
    let someone_else = signed_in_account(&app, IMPORTER, "you@andina.pe", Role::Trader).await;
    let list: Value = app.call_json("/api/sessions", Some(&mine), &[]).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let other_id = list.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    app.post_form(
        "/api/end-session",
        Some(&someone_else),
        &[("id", &other_id)],
    )
    .await;
    assert_eq!(
        app.status_with_cookie("/account", &other_device).await,
        200,
        "not theirs to end"
    );
    app.post_form("/api/end-session", Some(&mine), &[("id", &other_id)])
        .await;
    assert!(
        app.status_with_cookie("/account", &other_device)
            .await
            .is_redirection()
    );
}

#[tokio::test]
async fn housekeeping_removes_expired_sessions_and_stale_counters_only() {
    let app = TestApp::spawn().await;
    let live = signed_in_account(&app, IMPORTER, "live@andina.pe", Role::OrgAdmin).await;
    let user: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
         VALUES ('\\x01', $1, now() - interval '13 hours', now()), ('\\x02', $1, now(), now() - interval '31 minutes')",
    )
    .bind(user)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO throttle (key, window_start, count) VALUES ('old', now() - interval '2 hours', 3), ('new', now(), 1)")
        .execute(&app.pool)
        .await
        .unwrap();
    let settings = app::server::settings::Settings {
        public_base: String::new(),
        https: false,
        session_idle: std::time::Duration::from_secs(1800),
        session_absolute: std::time::Duration::from_secs(43_200),
        sign_in_failures: 5,
        sign_in_window: std::time::Duration::from_secs(60),
        mails_per_address: 3,
        mail_window: std::time::Duration::from_secs(3600),
        bands: Default::default(),
        documents: Default::default(),
        cases: Default::default(),
    };
    let cleaned = app::server::housekeeping::run_once(&app.pool, &settings)
        .await
        .unwrap();
    assert_eq!((cleaned.sessions, cleaned.throttle), (2, 1));
    assert_eq!(
        app.status_with_cookie("/account", &live).await,
        200,
        "the live session stays"
    );
    let left: Vec<String> = sqlx::query_scalar("SELECT key FROM throttle")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, ["new"]);
}
