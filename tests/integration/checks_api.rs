//! `POST /api/v1/checks` with per-organisation API tokens: the same verdict as the form, refused
//! without a valid token, and a revoked token stops working at once.

use serde_json::{Value, json};
use valora_tests::TestApp;

async fn post_checks(app: &TestApp, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(app.url("/api/v1/checks"))
        .header("accept-language", "es-PE")
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_api_answers_like_the_form_and_tokens_are_checked_on_every_request() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let importer = app.sign_in_demo("ana.admin@importadora.demo").await;
    let officer = app.sign_in_demo("olga.oficial@sunat.demo").await;

    assert_eq!(
        app.call_status("/api/create-api-token", Some(&officer), &[("name", "x")])
            .await,
        403
    );
    assert_eq!(
        app.call_status("/api/create-api-token", None, &[("name", "x")])
            .await,
        401
    );
    let status = app
        .call_status("/api/create-api-token", Some(&importer), &[("name", "")])
        .await;
    assert_eq!(status, 400);
    let response = app
        .call("/api/create-api-token", Some(&importer), &[("name", "ERP")])
        .await;
    assert_eq!(response.status(), 200);
    let token: String = response.json().await.unwrap();

    // Without JavaScript: the post redirects to the account page, which shows the new token
    // once (it travels in a short-lived cookie for that page only) and clears it.
    let response = app
        .post_form(
            "/api/create-api-token",
            Some(&importer),
            &[("name", "No JS")],
        )
        .await;
    assert!(response.status().is_redirection());
    assert_eq!(response.headers()["location"], "/account#api-tokens");
    let reveal = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("valora_new_api_token=valora_"))
        .expect("the token cookie");
    assert!(
        reveal.contains("HttpOnly")
            && reveal.contains("SameSite=Strict")
            && reveal.contains("Path=/account")
    );
    let pair = reveal.split(';').next().unwrap().to_string();
    let no_js_token = pair.trim_start_matches("valora_new_api_token=").to_string();
    let account = app
        .get_with_cookie("/account", &format!("{importer}; {pair}"))
        .await;
    let cleared = account
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("valora_new_api_token=;"));
    assert!(cleared, "the page clears the cookie");
    assert!(account.text().await.unwrap().contains(&no_js_token));
    assert!(token.starts_with("valora_") && token.len() > 40);
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM api_tokens WHERE token_hash = sha256($1::bytea)")
            .bind(token.as_bytes())
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, 1, "only the hash is stored");

    let origin = &app.demo_garlic_origin().await;
    let today = chrono::Utc::now().date_naive().to_string();
    let check = json!({
        "hs": "0703.20.00.00", "origin": origin, "incoterm": "FOB", "date": today,
        "quantity": 1, "unit": "KGM", "currency": "USD", "price": "10", "freight": 10, "insurance": "10"
    });

    assert_eq!(post_checks(&app, None, &check).await.0, 401);
    assert_eq!(
        post_checks(&app, Some("valora_not-a-token"), &check)
            .await
            .0,
        401
    );

    let (status, body) = post_checks(&app, Some(&token), &check).await;
    assert_eq!(status, 200, "{body}");
    let result = &body["results"][0];
    assert_eq!(result["customs_value"], "30.00");
    assert_eq!(result["currency"], "USD");
    // The page shows the same verdict for the same answers.
    let path = format!(
        "/check?hs=0703.20.00.00&origin={origin}&incoterm=FOB&date={today}&quantity=1&unit=KGM&currency=USD&price=10&freight=10&insurance=10"
    );
    let (_, page) = app.get_text(&path).await;
    let verdict = result["verdict"].as_str().unwrap();
    assert!(page.contains(verdict), "{verdict}");
    assert!(
        ["well_below", "below", "usual", "above", "well_above"]
            .contains(&result["level"].as_str().unwrap())
    );

    // Many lines: each answered in order, a bad one with its field errors.
    let mut bad = check.clone();
    bad["hs"] = json!("07");
    let (status, body) =
        post_checks(&app, Some(&token), &json!({ "lines": [check, bad, check] })).await;
    assert_eq!(status, 200);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[1]["line"], 2);
    assert_eq!(results[1]["errors"][0]["field"], "hs");
    assert_eq!(results[2]["customs_value"], "30.00");
    let too_many = json!({ "lines": vec![json!({}); 10_001] });
    let (status, body) = post_checks(&app, Some(&token), &too_many).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("line_count")));
    let batch = json!({ "lines": [check, check] });
    assert_eq!(
        post_checks(&app, None, &batch).await.0,
        401,
        "no batch without a token"
    );
    assert_eq!(
        post_checks(&app, Some(&format!("{token}x")), &batch)
            .await
            .0,
        401
    );
    assert_eq!(
        post_checks(&app, Some(&token), &json!({ "lines": [] }))
            .await
            .0,
        400
    );
    assert_eq!(
        post_checks(&app, Some(&token), &json!({ "hs": 1, "surprise": true }))
            .await
            .0,
        400
    );

    // Revoked: refused on the very next request.
    let listed: Value = app
        .get_with_cookie("/api/api-tokens", &importer)
        .await
        .json()
        .await
        .unwrap();
    let id = listed[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.call_status("/api/revoke-api-token", Some(&officer), &[("id", &id)])
            .await,
        403
    );
    assert!(
        app.call_status("/api/revoke-api-token", Some(&importer), &[("id", &id)])
            .await
            .is_success()
    );
    assert_eq!(post_checks(&app, Some(&token), &check).await.0, 401);
    assert_eq!(post_checks(&app, Some(&token), &batch).await.0, 401);
}

#[tokio::test]
async fn tokens_are_made_by_administrators_expire_and_note_their_use_once_a_minute() {
    let app = TestApp::spawn_configured(|c| {
        c.demo = true;
        c.api_token_max_days = 30;
    })
    .await;
    let admin = app.sign_in_demo("ana.admin@importadora.demo").await;
    let compliance = app
        .sign_in_demo("carlos.cumplimiento@importadora.demo")
        .await;
    assert_eq!(
        app.call_status("/api/create-api-token", Some(&compliance), &[("name", "x")])
            .await,
        403,
        "only administrators make tokens"
    );
    let too_long = app
        .call(
            "/api/create-api-token",
            Some(&admin),
            &[("name", "ERP"), ("valid_days", "90")],
        )
        .await;
    assert_eq!(too_long.status(), 400);
    assert!(
        too_long.text().await.unwrap().contains("entre 1 y 30"),
        "the limit comes from the setting"
    );
    let response = app
        .call("/api/create-api-token", Some(&admin), &[("name", "ERP")])
        .await;
    assert_eq!(response.status(), 200);
    let token: String = response.json().await.unwrap();
    let days: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM expires_at - created_at)::float8 / 86400 FROM api_tokens",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(days.round(), 30.0, "the default is capped by the setting");

    let today = chrono::Utc::now().date_naive().to_string();
    let line = json!({"hs": "070320", "origin": "CN", "incoterm": "FOB", "date": today,
        "quantity": "1000", "unit": "KGM", "currency": "USD", "price": "900"});
    assert_eq!(post_checks(&app, Some(&token), &line).await.0, 200);
    let first: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT last_used_at FROM api_tokens")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(post_checks(&app, Some(&token), &line).await.0, 200);
    let second: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT last_used_at FROM api_tokens")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(first, second, "noted at most once a minute");
    let listed: Value = app
        .get_with_cookie("/api/api-tokens", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert!(listed[0]["last_used_at"].is_string());
    assert_eq!(listed[0]["expired"], false);

    // Expired by hand, as another process would: PostgreSQL's notification tells this server,
    // which forgets the token it kept in memory at once.
    sqlx::query("UPDATE api_tokens SET expires_at = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    let changed = std::time::Instant::now();
    while post_checks(&app, Some(&token), &line).await.0 != 401 {
        assert!(
            changed.elapsed() < std::time::Duration::from_secs(2),
            "an expired token is refused"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_checks_api_answers_429_past_the_daily_quota_of_lines_and_counts_only_what_it_checked()
{
    let app = TestApp::spawn_configured(|c| {
        c.demo = true;
        c.quotas.api_lines_per_day = 3;
    })
    .await;
    let admin = app.sign_in_demo("ana.admin@importadora.demo").await;
    let token: String = app
        .call_json("/api/create-api-token", Some(&admin), &[("name", "ERP")])
        .await;
    let today = chrono::Utc::now().date_naive().to_string();
    let line = json!({"hs": "070320", "origin": "CN", "incoterm": "FOB", "date": today,
        "quantity": "1000", "unit": "KGM", "currency": "USD", "price": "900"});
    let two = json!({ "lines": [line.clone(), line.clone()] });
    assert_eq!(post_checks(&app, Some(&token), &two).await.0, 200);
    let refused = reqwest::Client::new()
        .post(app.url("/api/v1/checks"))
        .bearer_auth(&token)
        .json(&two)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "quota");
    assert_eq!(
        post_checks(&app, Some(&token), &line).await.0,
        200,
        "the refused lines were not counted"
    );
    assert_eq!(post_checks(&app, Some(&token), &line).await.0, 429);
}

#[tokio::test]
async fn codes_and_text_the_database_cannot_store_are_the_senders_error_not_a_500() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let admin = app.sign_in_demo("ana.admin@importadora.demo").await;
    let token: String = app
        .call_json("/api/create-api-token", Some(&admin), &[("name", "ERP")])
        .await;
    let today = chrono::Utc::now().date_naive().to_string();
    let line = json!({"hs": "070320", "origin": "C\u{0}", "incoterm": "FOB", "date": today,
        "quantity": "1", "unit": "K\u{0}G", "currency": "U\u{0}D", "price": "1"});
    let (status, body) = post_checks(&app, Some(&token), &line).await;
    assert_eq!(status, 200, "{body}");
    let fields: Vec<&str> = body["results"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["origin", "unit", "currency"], "{body}");

    let form = valora_tests::garlic_save_form("CN", "nul \u{0} byte");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let label = app.call("/api/save-assessment", Some(&admin), &form).await;
    assert_eq!(
        label.status(),
        400,
        "a NUL in a label is refused, not a 500"
    );
}

/// The demo importer's administrator signed in (the cookie) and an API token they made.
async fn admin_and_token(app: &TestApp) -> (String, String) {
    let admin = app.sign_in_demo("ana.admin@importadora.demo").await;
    let token = app
        .call_json("/api/create-api-token", Some(&admin), &[("name", "ERP")])
        .await;
    (admin, token)
}

/// One line of garlic dated today.
fn garlic_line() -> Value {
    let today = chrono::Utc::now().date_naive().to_string();
    json!({"hs": "070320", "origin": "CN", "incoterm": "FOB", "date": today,
        "quantity": "1000", "unit": "KGM", "currency": "USD", "price": "900"})
}

#[tokio::test]
async fn a_busy_integration_writes_its_quota_count_at_most_once_a_second() {
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let (_, token) = admin_and_token(&app).await;
    let org: uuid::Uuid = sqlx::query_scalar(
        "SELECT organisation_id FROM users WHERE email = 'ana.admin@importadora.demo'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let shared_count = || async {
        sqlx::query_scalar::<_, i32>("SELECT count FROM throttle WHERE key = $1")
            .bind(format!("quota:api-lines:{org}"))
            .fetch_optional(&app.pool)
            .await
            .unwrap()
            .unwrap_or(0)
    };
    let line = garlic_line();
    let started = std::time::Instant::now();
    for _ in 0..10 {
        assert_eq!(post_checks(&app, Some(&token), &line).await.0, 200);
    }
    if started.elapsed() < std::time::Duration::from_secs(1) {
        assert_eq!(shared_count().await, 0, "counted in memory so far");
    }
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(post_checks(&app, Some(&token), &line).await.0, 200);
    assert!(
        shared_count().await >= 10,
        "what was counted is written with the next request after a second"
    );
}

#[tokio::test]
async fn a_token_seen_before_is_checked_without_the_database_and_a_revoked_one_is_refused_at_once()
{
    let app = TestApp::spawn_configured(|c| c.demo = true).await;
    let (admin, token) = admin_and_token(&app).await;
    let line = garlic_line();
    assert_eq!(post_checks(&app, Some(&token), &line).await.0, 200);
    // Another session holds the tokens' table: a request that looked its token up would wait.
    let mut lock = app.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        post_checks(&app, Some(&token), &line),
    )
    .await
    .expect("answered without waiting for the locked table");
    assert_eq!(answer.0, 200);
    lock.rollback().await.unwrap();

    let id: String = sqlx::query_scalar("SELECT id::text FROM api_tokens")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let revoked = app
        .call("/api/revoke-api-token", Some(&admin), &[("id", &id)])
        .await;
    assert!(revoked.status().is_success() || revoked.status().is_redirection());
    assert_eq!(
        post_checks(&app, Some(&token), &line).await.0,
        401,
        "refused on the very next request"
    );
}
