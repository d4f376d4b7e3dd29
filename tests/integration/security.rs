//! Security headers, the CSP nonce, the same-origin rule for state-changing requests, body
//! limits, compression and slow clients (the feedback form serves as the state-changing request).

use valora_tests::TestApp;

use crate::feedback::FEEDBACK_ROWS;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let stylesheet = app::server::assets::hashes().stylesheet();
    for path in ["/", "/no/such/page", "/healthz", stylesheet.as_str()] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn inline_scripts_carry_the_nonce_of_the_policy() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let body = response.text().await.unwrap();
    let script_tags: Vec<&str> = body
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect();
    assert!(!script_tags.is_empty(), "the hydration loader is present");
    for tag in script_tags {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without the nonce: <script{tag}>"
        );
    }
    let other = app.get("/").await.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(csp, other, "a fresh nonce per response");
}

fn feedback_form() -> [(&'static str, &'static str); 2] {
    [("page", "/"), ("useful", "yes")]
}

#[tokio::test]
async fn cross_origin_posts_to_a_server_function_are_refused() {
    let app = TestApp::spawn().await;
    let refused = app
        .post_with(
            "/api/feedback",
            &[("origin", "https://evil.example")],
            &feedback_form(),
        )
        .await;
    assert_eq!(refused.status(), 403);
    let own_origin = app.base.origin().ascii_serialization();
    let refused = app
        .post_with(
            "/api/feedback",
            &[("sec-fetch-site", "cross-site"), ("origin", &own_origin)],
            &feedback_form(),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(app.count(FEEDBACK_ROWS).await, 0, "nothing was written");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let page = format!("/{}", "a".repeat(300 * 1024));
    let response = app
        .post_with(
            "/api/feedback",
            &[],
            &[("page", page.as_str()), ("useful", "yes")],
        )
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(app.count(FEEDBACK_ROWS).await, 0);
}

#[tokio::test]
async fn an_oversized_form_is_refused_in_the_page_language_naming_the_limit() {
    let app = TestApp::spawn_configured(|c| c.max_body_bytes = 64 * 1024).await;
    let page = format!("/{}", "a".repeat(100 * 1024));
    let form = [("page", page.as_str()), ("useful", "yes")];
    for (path, headers, expected) in [
        ("/api/feedback", &[][..], "La solicitud supera 65536 bytes."),
        (
            "/api/feedback",
            &[("cookie", "lang=en")][..],
            "The request is larger than 65536 bytes.",
        ),
        (
            "/api/feedback?lang=en",
            &[][..],
            "The request is larger than 65536 bytes.",
        ),
    ] {
        let response = app.post_with(path, headers, &form).await;
        assert_eq!(response.status(), 413, "{path} {headers:?}");
        assert_eq!(
            response.text().await.unwrap(),
            expected,
            "{path} {headers:?}"
        );
    }
    assert_eq!(app.count(FEEDBACK_ROWS).await, 0);
}

#[tokio::test]
async fn the_static_bundle_is_compressed_and_pages_are_not() {
    let app = TestApp::spawn().await;
    let css = app
        .get_with(
            &app::server::assets::hashes().stylesheet(),
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(
        css.status(),
        200,
        "run `cargo leptos build` first: the test serves target/site"
    );
    assert_eq!(css.headers()["content-encoding"], "gzip");
    let page = app.get_with("/", &[("accept-encoding", "gzip")]).await;
    assert!(page.headers().get("content-encoding").is_none());
}

/// A client that never finishes its request headers is disconnected (no slow-loris hold).
#[tokio::test]
async fn a_connection_that_trickles_its_headers_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app =
        TestApp::spawn_configured(|c| c.header_read_timeout = std::time::Duration::from_secs(1))
            .await;
    let mut stream = tokio::net::TcpStream::connect(app.server.addr)
        .await
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let mut buffer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut buffer),
    )
    .await;
    assert!(read.is_ok(), "the server closed the connection within 5 s");
    let answer = String::from_utf8_lossy(&buffer);
    assert!(
        buffer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "other clients are served"
    );
}

#[tokio::test]
async fn browsers_are_told_to_keep_to_https_only_when_the_portal_is_served_over_https() {
    let plain = TestApp::spawn().await;
    let response = plain.get("/").await;
    assert!(!response.headers().contains_key("strict-transport-security"));
    let secure = TestApp::spawn_configured(|c| {
        c.public_url = Some(url::Url::parse("https://valora.example").unwrap());
    })
    .await;
    let stylesheet = app::server::assets::hashes().stylesheet();
    for path in ["/", "/healthz", stylesheet.as_str()] {
        // The TLS proxy in front is left out: the request goes to the server itself.
        let url = format!("http://{}{path}", secure.server.addr);
        let response = secure.client.get(url).send().await.unwrap();
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

#[tokio::test]
async fn signed_in_pages_and_server_function_answers_are_never_stored() {
    let app = TestApp::spawn().await;
    let cookie = valora_tests::signed_in_account(
        &app,
        valora_tests::IMPORTER,
        "cache@andina.pe",
        app::policy::Role::OrgAdmin,
    )
    .await;
    for path in ["/account", "/check", "/assessments", "/"] {
        let response = app.get_with_cookie(path, &cookie).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let anonymous = app.get("/bands").await;
    assert!(
        anonymous
            .headers()
            .get("cache-control")
            .is_none_or(|v| v != "no-store"),
        "public pages may be cached"
    );
    let answer = app
        .call(
            "/api/sign-in",
            None,
            &[
                ("email", "cache@andina.pe"),
                ("password", "wrong guess here"),
            ],
        )
        .await;
    assert_eq!(answer.headers()["cache-control"], "no-store");
}

/// Why demo mode refused to start, or `None` when it started.
async fn demo_refusal(config: valora_server::config::Config) -> Option<String> {
    match valora_server::start_with_routes(config, |r| r).await {
        Ok(server) => {
            server.shutdown().await;
            None
        }
        Err(valora_server::StartError::Demo(reason)) => Some(reason),
        Err(other) => panic!("not a demo refusal: {other}"),
    }
}

#[tokio::test]
async fn demo_mode_refuses_an_https_address_and_a_database_holding_real_organisations() {
    let dir = std::env::temp_dir();
    let mut https = valora_tests::test_config(Some(valora_tests::fresh_database_url().await), &dir);
    https.demo = true;
    https.public_url = Some(url::Url::parse("https://valora.example").unwrap());
    let reason = demo_refusal(https).await.expect("refused");
    assert!(reason.contains("https"), "{reason}");

    // A real deployment's database: its first start reserved the customs organisation.
    let url = valora_tests::fresh_database_url().await;
    let real = TestApp::start(valora_tests::test_config(Some(url.clone()), &dir), |r| r).await;
    real.server.shutdown().await;
    let mut demo = valora_tests::test_config(Some(url.clone()), &dir);
    demo.demo = true;
    let reason = demo_refusal(demo).await.expect("refused");
    assert!(reason.contains("20131312955"), "{reason}");
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0, "no demo account was made");

    // A demo database starts again as often as wanted.
    let url = valora_tests::fresh_database_url().await;
    for _ in 0..2 {
        let mut demo = valora_tests::test_config(Some(url.clone()), &dir);
        demo.demo = true;
        assert_eq!(demo_refusal(demo).await, None);
    }
}
