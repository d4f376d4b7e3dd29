//! Pages for everyone: the home page in Spanish and English, the estimate as a plain GET form,
//! the 404 page and the error page after a panic.

use valora_tests::TestApp;

fn html_lang(body: &str) -> &str {
    let start = body.find("<html lang=\"").expect("html lang") + "<html lang=\"".len();
    &body[start..start + 2]
}

#[tokio::test]
async fn home_is_spanish_by_default_and_switches_to_english_with_a_cookie() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert_eq!(html_lang(&body), "es");
    assert!(body.contains("Compruebe el valor en aduana antes de declarar"));
    assert!(body.contains("href=\"#main-content\""), "skip link");
    assert!(body.contains("<main id=\"main-content\""));

    let response = app.get("/?lang=en").await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    let body = response.text().await.unwrap();
    assert_eq!(html_lang(&body), "en");
    assert!(body.contains("Check your customs value before you declare"));

    let remembered = app.get_with("/", &[("cookie", "lang=en")]).await;
    assert!(
        remembered.headers().get("set-cookie").is_none(),
        "no cookie rewrite when nothing changes"
    );
    assert_eq!(html_lang(&remembered.text().await.unwrap()), "en");

    let back = app.get_with("/?lang=es", &[("cookie", "lang=en")]).await;
    assert!(
        back.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=es")
    );
    assert_eq!(html_lang(&back.text().await.unwrap()), "es");

    let (_, unknown) = app.get_text("/?lang=fr").await;
    assert_eq!(
        html_lang(&unknown),
        "es",
        "unknown languages fall back to the default"
    );
}

#[tokio::test]
async fn the_estimate_works_as_a_plain_get_form() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_text("/?price=10&freight=10&insurance=10").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("USD 30.00"),
        "UK duty calculator case: 10 + 10 + 10 = 30"
    );
    assert!(!body.contains("error-summary"));

    let (status, body) = app.get_text("/?price=abc&freight=1,5&insurance=-2").await;
    assert_eq!(status, 200);
    assert!(body.contains("Hay un problema"));
    assert!(body.contains("href=\"#price\""));
    assert!(body.contains("Introduzca un importe con cifras"));
    assert!(body.contains("El importe no puede ser negativo"));
    assert!(body.contains("aria-invalid=\"true\""));
    assert!(
        body.contains("value=\"abc\""),
        "what the user typed is kept"
    );

    let (_, english) = app.get_text("/?lang=en&price=abc").await;
    assert!(english.contains("Enter an amount in figures"));
}

#[tokio::test]
async fn unknown_pages_answer_404_with_a_helpful_page() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get_text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("Página no encontrada"));
    assert!(body.contains("href=\"/\""));
    let response = app
        .get_with("/nothing-here", &[("cookie", "lang=en")])
        .await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn a_panic_shows_the_error_page_with_a_reference_and_no_detail() {
    let app = TestApp::spawn_with_routes(|router| {
        router.route(
            "/boom",
            axum::routing::get(|| async {
                panic!("connection string postgres://secret");
                #[allow(unreachable_code)]
                ""
            }),
        )
    })
    .await;
    let (status, body) = app.get_text("/boom").await;
    assert_eq!(status, 500);
    assert!(body.contains("Lo sentimos, hay un problema con el servicio"));
    assert!(body.contains("class=\"reference\""));
    assert!(!body.contains("secret"));
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the server keeps serving"
    );
}
