//! Saved assessments: saved by a signed-in trader under the importer it is for, found in the
//! filtered list, reopened as saved, and seen by no other organisation.

use valora_tests::{TestApp, location};

fn answers(origin: &str, price: &str) -> Vec<(String, String)> {
    let today = chrono::Utc::now().date_naive().to_string();
    [
        ("hs", "0703.20.00.00"),
        ("origin", origin),
        ("incoterm", "FOB"),
        ("date", &today),
        ("quantity", "1000"),
        ("unit", "KGM"),
        ("currency", "USD"),
        ("price", price),
        ("freight", "100"),
        ("insurance", "10"),
        ("related", "no"),
        ("reasons", "discount"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("answers[{k}]"), v.to_string()))
    .collect()
}

async fn save(
    app: &TestApp,
    cookie: Option<&str>,
    answers: &[(String, String)],
    label: &str,
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("label", label));
    app.post_form("/api/save-assessment", cookie, &form).await
}

#[tokio::test]
async fn a_saved_assessment_is_listed_reopened_and_private_to_its_importer() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let origin = app.demo_garlic_origin().await;
    let importer = app.sign_in_demo("ana.admin@importadora.demo").await;
    let compliance = app
        .sign_in_demo("carlos.cumplimiento@importadora.demo")
        .await;
    let broker = app.sign_in_demo("beto.agente@agencia.demo").await;
    let officer = app.sign_in_demo("olga.oficial@sunat.demo").await;

    // Nobody saves without signing in; customs staff keep no trader workings.
    assert_eq!(
        app.call_status("/api/save-assessment", None, &[("label", "x")])
            .await,
        401
    );
    let status = app
        .call_status("/api/save-assessment", Some(&officer), &[("label", "x")])
        .await;
    assert_eq!(status, 403);

    // Saving without JavaScript: a post, then a redirect to the saved assessment.
    let response = save(
        &app,
        Some(&importer),
        &answers(&origin, "900"),
        "INV-2026-0042",
    )
    .await;
    let saved_at = location(&response);
    let reference = saved_at.strip_prefix("/assessments/").unwrap().to_string();
    assert_eq!(
        app::domain::readable_ref::parse(&reference).as_deref(),
        Some(reference.as_str())
    );
    let (stored_value, level): (rust_decimal::Decimal, String) =
        sqlx::query_as("SELECT customs_value, level FROM assessments WHERE reference = $1")
            .bind(&reference)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    // FOB 900 + freight 100 + insurance 10 on a CIF basis.
    assert_eq!(stored_value, rust_decimal::Decimal::from(1010));
    let second = save(&app, Some(&compliance), &answers(&origin, "99000"), "").await;
    let second_ref = location(&second)
        .trim_start_matches("/assessments/")
        .to_string();

    // Reopened by a colleague, as saved, typed in lower case without dashes.
    let typed = reference.to_lowercase().replace('-', "");
    let page = app
        .get_with_cookie(&format!("/assessments/{typed}"), &compliance)
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains(&reference));
    assert!(page.contains("INV-2026-0042"));
    assert!(
        page.contains("USD 1,010.00") || page.contains("USD 1.010,00") || page.contains("1010.00"),
        "customs value shown"
    );
    assert!(
        page.contains("href=\"/check?hs=0703.20.00.00&amp;origin="),
        "duplicate link carries the answers"
    );
    assert!(page.contains("reason=discount"));

    // The list, with filters.
    let list = app.text_with_cookie("/assessments", &importer).await;
    assert!(list.contains(&reference) && list.contains(&second_ref));
    let filtered = app
        .text_with_cookie(&format!("/assessments?level={level}&q=inv-2026"), &importer)
        .await;
    assert!(filtered.contains(&reference) && !filtered.contains(&second_ref));
    let none = app.text_with_cookie("/assessments?hs=01", &importer).await;
    assert!(!none.contains(&reference) && none.contains("assessments-none"));
    let bad = app
        .text_with_cookie("/assessments?from=yesterday", &importer)
        .await;
    assert!(bad.contains("from-error"), "a bad date is a field error");

    // The broker sees nothing until it acts for the importer; customs nothing before the
    // documents are submitted to them.
    let hidden = app
        .status_with_cookie(&format!("/assessments/{reference}"), &broker)
        .await;
    assert_eq!(hidden, 404);
    let hidden = app
        .status_with_cookie(&format!("/assessments/{reference}"), &officer)
        .await;
    assert_eq!(hidden, 404);
    let importer_id: uuid::Uuid = sqlx::query_scalar(
        "SELECT organisation_id FROM users WHERE email = 'ana.admin@importadora.demo'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let acted = app.act_for_demo_importer(&broker).await;
    assert!(acted.status().is_redirection() || acted.status().is_success());
    let shown = app
        .status_with_cookie(&format!("/assessments/{reference}"), &broker)
        .await;
    assert_eq!(shown, 200);
    let saved_by_broker = save(&app, Some(&broker), &answers(&origin, "1500"), "broker").await;
    let broker_ref = saved_by_broker.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/assessments/")
        .to_string();
    let owner: uuid::Uuid =
        sqlx::query_scalar("SELECT owner_id FROM assessments WHERE reference = $1")
            .bind(&broker_ref)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        owner, importer_id,
        "a broker saves under the importer it acts for"
    );

    // A bad answer saves nothing.
    let before = app.count("SELECT count(*) FROM assessments").await;
    let response = app
        .call(
            "/api/save-assessment",
            Some(&importer),
            &[("answers[hs]", "abc"), ("label", "")],
        )
        .await;
    assert_eq!(response.status(), 400);
    let after = app.count("SELECT count(*) FROM assessments").await;
    assert_eq!(before, after);
}
