use valora_tests::TestApp;

async fn feedback_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM page_feedback")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/no/such/page", "/healthz", "/pkg/valora.css"] {
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

/// Posts the feedback form with the given extra headers, as a browser without JavaScript would.
async fn post_feedback(
    app: &TestApp,
    headers: &[(&str, &str)],
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/feedback")).form(form);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn cross_origin_posts_to_a_server_function_are_refused() {
    let app = TestApp::spawn().await;
    let refused = post_feedback(
        &app,
        &[("origin", "https://evil.example")],
        &feedback_form(),
    )
    .await;
    assert_eq!(refused.status(), 403);
    let own_origin = app.base.origin().ascii_serialization();
    let refused = post_feedback(
        &app,
        &[("sec-fetch-site", "cross-site"), ("origin", &own_origin)],
        &feedback_form(),
    )
    .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(feedback_rows(&app).await, 0, "nothing was written");
}

#[tokio::test]
async fn a_same_origin_form_post_is_stored_and_redirects_back() {
    let app = TestApp::spawn().await;
    let own_origin = app.base.origin().ascii_serialization();
    let headers = [
        ("origin", own_origin.as_str()),
        ("sec-fetch-site", "same-origin"),
        ("accept", "text/html"),
    ];
    let response = post_feedback(&app, &headers, &[("page", "/?lang=en"), ("useful", "no")]).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(
        response.headers()["location"],
        "/?lang=en&feedback=thanks#feedback"
    );
    let (useful, lang): (bool, String) = sqlx::query_as("SELECT useful, lang FROM page_feedback")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!useful);
    assert_eq!(lang, "es");
}

#[tokio::test]
async fn feedback_refuses_offsite_return_paths_and_bad_answers() {
    let app = TestApp::spawn().await;
    let html = [("accept", "text/html")];
    let response = post_feedback(
        &app,
        &html,
        &[("page", "//evil.example/"), ("useful", "yes")],
    )
    .await;
    assert_eq!(response.headers()["location"], "/?feedback=thanks#feedback");
    let response = post_feedback(
        &app,
        &[("accept", "application/json")],
        &[("page", "/"), ("useful", "maybe")],
    )
    .await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("No se pudo registrar su opinión"), "{body}");
    assert_eq!(feedback_rows(&app).await, 1);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let page = format!("/{}", "a".repeat(300 * 1024));
    let response = post_feedback(&app, &[], &[("page", page.as_str()), ("useful", "yes")]).await;
    assert_eq!(response.status(), 413);
    assert_eq!(feedback_rows(&app).await, 0);
}

#[tokio::test]
async fn the_static_bundle_is_compressed_and_pages_are_not() {
    let app = TestApp::spawn().await;
    let css = app
        .client
        .get(app.url("/pkg/valora.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        css.status(),
        200,
        "run `cargo leptos build` first: the test serves target/site"
    );
    assert_eq!(css.headers()["content-encoding"], "gzip");
    let page = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
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
