use app::policy::{OrgKind, Role};
use valora_tests::{
    SmtpServer, TEST_PASSWORD, TestApp, first_link, session_cookie, signed_in_account,
};

const IMPORTER: (OrgKind, &str, &str) = (OrgKind::Importer, "Importadora Andina", "20100070970");
const BROKER: (OrgKind, &str, &str) = (OrgKind::Broker, "Agencia Pacífico", "20100047218");

async fn smtp_app() -> (SmtpServer, TestApp) {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_configured(|c| c.smtp_url = Some(smtp.url())).await;
    (smtp, app)
}

#[tokio::test]
async fn the_reset_page_answers_the_same_for_known_and_unknown_addresses() {
    let (smtp, app) = smtp_app().await;
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
    let (smtp, app) = smtp_app().await;
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
    let response = app
        .post_form(
            "/api/reset-password",
            None,
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(response.headers()["location"], "/sign-in?reset=1");
    assert!(
        app.get_with_cookie("/account", &cookie)
            .await
            .status()
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
    let old = app
        .call(
            "/api/sign-in",
            None,
            &[("email", "reset@andina.pe"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), 400);
    let new = app
        .post_form(
            "/api/sign-in",
            None,
            &[("email", "reset@andina.pe"), ("password", new_password)],
        )
        .await;
    assert!(session_cookie(&new).is_some());
}

#[tokio::test]
async fn reset_mail_is_limited_per_address() {
    let (smtp, app) = smtp_app().await;
    signed_in_account(&app, IMPORTER, "flood@andina.pe", Role::OrgAdmin).await;
    for _ in 0..6 {
        let r = app
            .post_form(
                "/api/forgot-password",
                None,
                &[("email", "flood@andina.pe")],
            )
            .await;
        assert_eq!(r.headers()["location"], "/forgot-password/sent");
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
        .call(
            "/api/change-password",
            Some(&first),
            &[
                ("current_password", "not it at all"),
                ("new_password", "quinua maca kiwicha tarwi"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 400);
    let ok = app
        .post_form(
            "/api/change-password",
            Some(&first),
            &[
                ("current_password", TEST_PASSWORD),
                ("new_password", "quinua maca kiwicha tarwi"),
            ],
        )
        .await;
    assert_eq!(ok.headers()["location"], "/account?password=changed");
    assert_eq!(
        app.get_with_cookie("/account", &first).await.status(),
        200,
        "this session stays"
    );
    assert!(
        app.get_with_cookie("/account", &second)
            .await
            .status()
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
    let list: serde_json::Value = app
        .call("/api/sessions", Some(&mine), &[])
        .await
        .json()
        .await
        .unwrap();
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
        app.get_with_cookie("/account", &other_device)
            .await
            .status(),
        200,
        "not theirs to end"
    );
    app.post_form("/api/end-session", Some(&mine), &[("id", &other_id)])
        .await;
    assert!(
        app.get_with_cookie("/account", &other_device)
            .await
            .status()
            .is_redirection()
    );
}

#[tokio::test]
async fn an_importer_grants_and_revokes_a_mandate_and_the_broker_loses_access_at_once() {
    let app = TestApp::spawn().await;
    let importer = signed_in_account(&app, IMPORTER, "admin@andina.pe", Role::OrgAdmin).await;
    let broker = signed_in_account(&app, BROKER, "agente@pacifico.pe", Role::Trader).await;
    let none: serde_json::Value = app
        .call("/api/mandating-importers", Some(&broker), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none, serde_json::json!([]));

    let bad = app
        .call(
            "/api/grant-mandate",
            Some(&importer),
            &[("broker_tax_id", "20100047219")],
        )
        .await;
    assert_eq!(bad.status(), 400);
    let granted = app
        .post_form(
            "/api/grant-mandate",
            Some(&importer),
            &[("broker_tax_id", "20100047218")],
        )
        .await;
    assert_eq!(granted.headers()["location"], "/mandates");
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

    let importers: serde_json::Value = app
        .call("/api/mandating-importers", Some(&broker), &[])
        .await
        .json()
        .await
        .unwrap();
    let importer_id = importers[0]["id"].as_str().unwrap().to_string();
    let acting = app
        .post_form("/api/act-for", Some(&broker), &[("importer", &importer_id)])
        .await;
    assert_eq!(acting.headers()["location"], "/account");
    let me: serde_json::Value = app
        .call("/api/whoami", Some(&broker), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["acting_for_name"], "Importadora Andina");

    let mandates: serde_json::Value = app
        .call("/api/mandates", Some(&importer), &[])
        .await
        .json()
        .await
        .unwrap();
    let mandate_id = mandates[0]["id"].as_str().unwrap().to_string();
    app.post_form(
        "/api/revoke-mandate",
        Some(&importer),
        &[("id", &mandate_id)],
    )
    .await;

    let me: serde_json::Value = app
        .call("/api/whoami", Some(&broker), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["acting_for_name"],
        serde_json::Value::Null,
        "revocation bites on the next request"
    );
    let refused = app
        .call("/api/act-for", Some(&broker), &[("importer", &importer_id)])
        .await;
    assert_eq!(refused.status(), 403);

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

#[tokio::test]
async fn an_administrator_invites_a_colleague_who_chooses_a_password_from_the_email() {
    let (smtp, app) = smtp_app().await;
    let admin = signed_in_account(&app, IMPORTER, "boss@andina.pe", Role::OrgAdmin).await;
    let wrong_role = app
        .call(
            "/api/invite-member",
            Some(&admin),
            &[
                ("email", "new@andina.pe"),
                ("full_name", "Nuevo"),
                ("role", "customs_officer"),
            ],
        )
        .await;
    assert_eq!(wrong_role.status(), 400);
    assert!(
        wrong_role
            .text()
            .await
            .unwrap()
            .contains("Elija una función de la lista")
    );

    let invited = app
        .post_form(
            "/api/invite-member",
            Some(&admin),
            &[
                ("email", "new@andina.pe"),
                ("full_name", "Nuevo Colega"),
                ("role", "compliance"),
            ],
        )
        .await;
    assert_eq!(invited.headers()["location"], "/account?invited=1");
    let mail = &smtp.wait_for("new@andina.pe", 1).await[0];
    assert_eq!(mail.1, "Le han invitado a Valora");
    let token = first_link(&mail.2)
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let before = app
        .call(
            "/api/sign-in",
            None,
            &[("email", "new@andina.pe"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(
        before.status(),
        400,
        "no usable password before the invitation is accepted"
    );
    app.post_form(
        "/api/reset-password",
        None,
        &[("token", &token), ("password", "quinua maca kiwicha tarwi")],
    )
    .await;
    let cookie = session_cookie(
        &app.post_form(
            "/api/sign-in",
            None,
            &[
                ("email", "new@andina.pe"),
                ("password", "quinua maca kiwicha tarwi"),
            ],
        )
        .await,
    )
    .expect("the colleague signs in");
    let me: serde_json::Value = app
        .call("/api/whoami", Some(&cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "Compliance");
    assert_eq!(me["organisation_name"], "Importadora Andina");
    let (members, roles): (serde_json::Value, serde_json::Value) = app
        .call("/api/members", Some(&admin), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members.as_array().unwrap().len(), 2);
    assert_eq!(
        roles,
        serde_json::json!(["Trader", "Compliance", "OrgAdmin"])
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
    };
    let cleaned = app::server::housekeeping::run_once(&app.pool, &settings)
        .await
        .unwrap();
    assert_eq!((cleaned.sessions, cleaned.throttle), (2, 1));
    assert_eq!(
        app.get_with_cookie("/account", &live).await.status(),
        200,
        "the live session stays"
    );
    let left: Vec<String> = sqlx::query_scalar("SELECT key FROM throttle")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, ["new"]);
}
