//! Members of an organisation: an administrator invites a colleague, who chooses a password from
//! the emailed link and signs in with the role given.

use app::policy::Role;
use serde_json::Value;
use valora_tests::{
    IMPORTER, TEST_PASSWORD, TestApp, first_link, session_cookie, signed_in_account,
};

#[tokio::test]
async fn an_administrator_invites_a_colleague_who_chooses_a_password_from_the_email() {
    let (smtp, app) = TestApp::spawn_with_smtp().await;
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
        .post_form_location(
            "/api/invite-member",
            Some(&admin),
            &[
                ("email", "new@andina.pe"),
                ("full_name", "Nuevo Colega"),
                ("role", "compliance"),
            ],
        )
        .await;
    assert_eq!(invited, "/account?invited=1");
    let mail = &smtp.wait_for("new@andina.pe", 1).await[0];
    assert_eq!(mail.1, "Le han invitado a Valora");
    let token = first_link(&mail.2)
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let before = app.sign_in_call("new@andina.pe", TEST_PASSWORD).await;
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
        &app.sign_in_form("new@andina.pe", "quinua maca kiwicha tarwi")
            .await,
    )
    .expect("the colleague signs in");
    let me: Value = app.call_json("/api/whoami", Some(&cookie), &[]).await;
    assert_eq!(me["role"], "Compliance");
    assert_eq!(me["organisation_name"], "Importadora Andina");
    let (members, roles): (Value, Value) = app.call_json("/api/members", Some(&admin), &[]).await;
    assert_eq!(members.as_array().unwrap().len(), 2);
    assert_eq!(
        roles,
        serde_json::json!(["Trader", "Compliance", "OrgAdmin"])
    );
}

async fn deactivate(app: &TestApp, cookie: &str, id: &str) -> reqwest::StatusCode {
    app.call_status("/api/deactivate-member", Some(cookie), &[("id", id)])
        .await
}

#[tokio::test]
async fn an_administrator_deactivates_a_member_whose_sessions_end_at_once_and_whose_history_stays()
{
    let app = TestApp::spawn().await;
    let admin = signed_in_account(&app, IMPORTER, "boss@andina.pe", Role::OrgAdmin).await;
    let leaver = signed_in_account(&app, IMPORTER, "leaver@andina.pe", Role::Trader).await;
    let other = signed_in_account(
        &app,
        (
            app::policy::OrgKind::Importer,
            "Textiles del Sur",
            "20100130204",
        ),
        "boss@sur.pe",
        Role::OrgAdmin,
    )
    .await;
    let id_of = |email: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (leaver_id, admin_id) = (
        id_of("leaver@andina.pe").await,
        id_of("boss@andina.pe").await,
    );

    let members = |cookie: String| {
        let app = &app;
        async move {
            let listed: Value = app.call_json("/api/members", Some(&cookie), &[]).await;
            listed[0].as_array().unwrap().clone()
        }
    };
    assert!(
        members(admin.clone())
            .await
            .iter()
            .any(|m| m["you"] == true)
    );
    assert_eq!(
        deactivate(&app, &leaver, &admin_id).await,
        403,
        "a trader deactivates nobody"
    );
    assert_eq!(
        deactivate(&app, &other, &leaver_id).await,
        404,
        "another organisation's member is not found"
    );
    assert_eq!(
        deactivate(&app, &admin, &admin_id).await,
        400,
        "nobody deactivates themself"
    );
    let done = app
        .post_form_location(
            "/api/deactivate-member",
            Some(&admin),
            &[("id", &leaver_id)],
        )
        .await;
    assert_eq!(done, "/account?deactivated=1");
    assert!(
        app.status_with_cookie("/account", &leaver)
            .await
            .is_redirection(),
        "the session ended at once"
    );
    assert!(!app.signs_in("leaver@andina.pe", TEST_PASSWORD).await);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM users WHERE email = 'leaver@andina.pe' AND deactivated_at IS NOT NULL"
        )
        .await,
        1,
        "the account stays, deactivated"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'user_deactivated' AND actor_id IS NOT NULL")
            .await,
        1
    );
    let listed = members(admin.clone()).await;
    let leaver_row = listed
        .iter()
        .find(|m| m["email"] == "leaver@andina.pe")
        .unwrap();
    assert_eq!(leaver_row["deactivated"], true);
}
