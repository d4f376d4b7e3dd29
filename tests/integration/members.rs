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
