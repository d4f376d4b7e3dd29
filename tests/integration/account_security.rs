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

/// The token of each reset link mailed to `email` so far, oldest first.
async fn reset_tokens(smtp: &valora_tests::SmtpServer, email: &str, count: usize) -> Vec<String> {
    smtp.wait_for(email, count)
        .await
        .iter()
        .map(|mail| {
            first_link(&mail.2)
                .split("token=")
                .nth(1)
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_new_password_spends_every_other_reset_link() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    let email = "twice@andina.pe";
    signed_in_account(&app, IMPORTER, email, Role::OrgAdmin).await;
    for _ in 0..2 {
        app.post_form("/api/forgot-password", None, &[("email", email)])
            .await;
    }
    let tokens = reset_tokens(&smtp, email, 2).await;
    let reset = |token: String, password: &'static str| {
        let app = &app;
        async move {
            app.call(
                "/api/reset-password",
                None,
                &[("token", &token), ("password", password)],
            )
            .await
            .status()
        }
    };
    assert_eq!(
        reset(tokens[1].clone(), "llama alpaca vicuña guanaco").await,
        200
    );
    assert_eq!(
        reset(tokens[0].clone(), "cóndor colibrí picaflor quetzal").await,
        400,
        "the older link died with the reset"
    );

    let response = app.sign_in_form(email, "llama alpaca vicuña guanaco").await;
    let cookie = valora_tests::session_cookie(&response).unwrap();
    app.post_form("/api/forgot-password", None, &[("email", email)])
        .await;
    let third = reset_tokens(&smtp, email, 3).await[2].clone();
    let changed = app
        .call(
            "/api/change-password",
            Some(&cookie),
            &[
                ("current_password", "llama alpaca vicuña guanaco"),
                ("new_password", "cóndor colibrí picaflor quetzal"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        reset(third, "otra frase larga y segura").await,
        400,
        "a password change spends outstanding reset links"
    );
}

#[tokio::test]
async fn a_reset_link_is_checked_before_the_new_password() {
    let app = TestApp::spawn().await;
    let response = app
        .call(
            "/api/reset-password",
            None,
            &[("token", "not-a-real-token"), ("password", "short")],
        )
        .await;
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(
        body.contains(app::i18n::t(
            app::i18n::Lang::Es,
            app::i18n::Msg::ResetInvalid
        )),
        "the link is refused first, before any password work: {body}"
    );
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
    let settings = valora_server::settings(
        &valora_server::config::Config::from_lookup(|_| None).unwrap(),
        &app.base,
    );
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

#[tokio::test]
async fn a_delivered_link_is_not_kept_readable_in_the_outbox() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
    let email = "blank@andina.pe";
    signed_in_account(&app, IMPORTER, email, Role::OrgAdmin).await;
    app.post_form("/api/forgot-password", None, &[("email", email)])
        .await;
    let token = reset_tokens(&smtp, email, 1).await.remove(0);
    let mut kept = String::from("unread");
    for _ in 0..50 {
        kept = sqlx::query_scalar("SELECT body_text || body_html FROM outbox WHERE recipient = $1")
            .bind(email)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if kept.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!kept.contains(&token), "the link is gone once sent: {kept}");
    assert_eq!(kept, "");
}

#[tokio::test]
async fn the_mail_worker_holds_no_row_lock_while_the_smtp_server_is_slow() {
    // An SMTP server that accepts the connection and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let (accepted_tx, mut accepted) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
            let _ = accepted_tx.try_send(());
        }
    });
    let app =
        TestApp::spawn_configured(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let email = "slow@andina.pe";
    signed_in_account(&app, IMPORTER, email, Role::OrgAdmin).await;
    app.post_form("/api/forgot-password", None, &[("email", email)])
        .await;
    tokio::time::timeout(std::time::Duration::from_secs(10), accepted.recv())
        .await
        .expect("the worker connects to the SMTP server");
    let mut tx = app.pool.begin().await.unwrap();
    let locked: Result<Vec<i64>, _> =
        sqlx::query_scalar("SELECT id FROM outbox WHERE recipient = $1 FOR UPDATE NOWAIT")
            .bind(email)
            .fetch_all(&mut *tx)
            .await;
    assert_eq!(
        locked.map(|rows| rows.len()).map_err(|e| e.to_string()),
        Ok(1),
        "the row is free while the worker waits on SMTP"
    );
    tx.rollback().await.unwrap();
}
