//! Page feedback ("was this page useful?"): a same-origin post is stored and sends the browser
//! back to the page; offsite return paths and answers other than yes or no are refused.

use valora_tests::TestApp;

pub const FEEDBACK_ROWS: &str = "SELECT count(*) FROM page_feedback";

#[tokio::test]
async fn a_same_origin_form_post_is_stored_and_redirects_back() {
    let app = TestApp::spawn().await;
    let own_origin = app.base.origin().ascii_serialization();
    let headers = [
        ("origin", own_origin.as_str()),
        ("sec-fetch-site", "same-origin"),
        ("accept", "text/html"),
    ];
    let response = app
        .post_with(
            "/api/feedback",
            &headers,
            &[("page", "/?lang=en"), ("useful", "no")],
        )
        .await;
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
    let response = app
        .post_with(
            "/api/feedback",
            &html,
            &[("page", "//evil.example/"), ("useful", "yes")],
        )
        .await;
    assert_eq!(response.headers()["location"], "/?feedback=thanks#feedback");
    let response = app
        .post_with(
            "/api/feedback",
            &[("accept", "application/json")],
            &[("page", "/"), ("useful", "maybe")],
        )
        .await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("No se pudo registrar su opinión"), "{body}");
    assert_eq!(app.count(FEEDBACK_ROWS).await, 1);
}
