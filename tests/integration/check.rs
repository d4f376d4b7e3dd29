//! The value check as a plain GET page on the demo data: the customs value, the verdict, the
//! calculation and the evidence; conversion at the official rate; clear refusals.

use valora_tests::{TestApp, assert_contains_all};

async fn demo_app() -> TestApp {
    TestApp::spawn_configured(|c| c.demo = true).await
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// The text of the element with `id`, tags removed.
fn text_of(page: &str, id: &str) -> String {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let after = &page[start..];
    let open_end = after.find('>').unwrap() + 1;
    let mut depth = 0;
    let mut out = String::new();
    let mut in_tag = false;
    for (i, c) in after[open_end..].char_indices() {
        if c == '<' {
            in_tag = true;
            out.push(' ');
            let rest = &after[open_end + i..];
            if rest.starts_with("</") {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if !rest.starts_with("<!") {
                depth += 1;
            }
        } else if c == '>' {
            in_tag = false;
            if after[..open_end + i].ends_with('/') {
                depth -= 1;
            }
        } else if !in_tag {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_path(origin: &str, extra: &str) -> String {
    format!(
        "/check?hs=0703.20.00.00&origin={origin}&incoterm=FOB&date={}&quantity=1&unit=KGM&currency=USD&price=10&freight=10&insurance=10&related=no{extra}",
        today()
    )
}

#[tokio::test]
async fn the_uk_case_and_a_full_result_work_as_a_plain_get_page() {
    let app = demo_app().await;
    let origin = app.demo_garlic_origin().await;
    let (status, page) = app.get_text(&check_path(&origin, "")).await;
    assert_eq!(status, 200);
    assert_eq!(
        text_of(&page, "customs-value"),
        "USD 30.00",
        "goods 10 + shipping 10 + insurance 10"
    );
    assert_eq!(text_of(&page, "unit-value"), "30.00 USD por kilogramo");
    let verdict = text_of(&page, "verdict");
    assert!(verdict.starts_with("Su valor unitario está"), "{verdict}");
    assert!(!verdict.to_lowercase().contains("mínimo") && !verdict.contains("rechaz"));
    assert!(
        page.contains("band-chart__mark"),
        "the declared value is marked on the band"
    );
    assert_contains_all(
        &text_of(&page, "calculation"),
        &[
            "Precio de la factura se suma USD 10.00",
            "Flete internacional se suma USD 10.00",
            "Seguro se suma USD 10.00",
        ],
    );
    assert!(text_of(&page, "evidence").contains("Factura comercial"));
    assert!(page.contains("Decisión 6.1"));

    // A low value with reasons gets the evidence for those reasons; related parties too.
    let low = check_path(&origin, "&reason=quantity&reason=clearance&related=yes")
        .replace("price=10&", "price=0.10&")
        .replace("freight=10&", "freight=0&")
        .replace("insurance=10&", "insurance=0&");
    let (_, page) = app.get_text(&low).await;
    assert!(text_of(&page, "verdict").contains("muy por debajo"));
    assert_contains_all(
        &text_of(&page, "evidence"),
        &[
            "escalas de precios por volumen",
            "liquidación",
            "precios de transferencia",
        ],
    );

    // English, by the language cookie.
    let page = app
        .get_with_cookie(&check_path(&origin, ""), "lang=en")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text_of(&page, "unit-value"), "30.00 USD per kilogram");
    assert!(text_of(&page, "verdict").starts_with("Your unit value is"));
}

#[tokio::test]
async fn values_convert_at_the_official_rate_and_units_to_the_band_unit() {
    let app = demo_app().await;
    let origin = app.demo_garlic_origin().await;
    let rate: rust_decimal::Decimal = sqlx::query_scalar(
        "SELECT units_per_base FROM exchange_rates WHERE currency = 'PEN' AND rate_date <= $1::date
         ORDER BY rate_date DESC LIMIT 1",
    )
    .bind(today())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let path = check_path(&origin, "")
        .replace("currency=USD", "currency=PEN")
        .replace("price=10&", "price=3720&")
        .replace("quantity=1&unit=KGM", "quantity=0.5&unit=TNE");
    let (_, page) = app.get_text(&path).await;
    let expected = ((rust_decimal::Decimal::from(3740) / rate) * rust_decimal::Decimal::ONE)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(
        text_of(&page, "customs-value"),
        format!("USD {expected:.2}")
    );
    let calculation = text_of(&page, "calculation");
    assert!(
        calculation.contains(&format!("{rate} PEN = 1 USD")),
        "{calculation}"
    );
    assert!(
        calculation.contains("0.5 TNE 500 kilogramo"),
        "{calculation}"
    );
}

#[tokio::test]
async fn bad_answers_get_field_errors_and_no_guesses() {
    let app = demo_app().await;
    let origin = app.demo_garlic_origin().await;
    // From a tariff line's page: the form with the code filled in, and no errors yet.
    let (_, line) = app.get_text("/bands/070320").await;
    assert!(line.contains("href=\"/check?hs=070320\""));
    let (status, page) = app.get_text("/check?hs=070320").await;
    assert_eq!(status, 200);
    assert!(page.contains("value=\"070320\"") && !page.contains("error-summary"));
    let (_, page) = app
        .get_text("/check?hs=07A&origin=ZZ&incoterm=DAT&date=2026-02-30&quantity=-1&unit=XX&currency=QQQ&price=diez&freight=-3")
        .await;
    let summary = text_of(&page, "error-summary-title");
    assert_eq!(summary, "Hay un problema");
    for message in [
        "Escriba un código arancelario de 6 a 10 dígitos",
        "Elija el país de origen",
        "Elija el Incoterm",
        "Escriba la fecha como AAAA-MM-DD",
        "Escriba una cantidad mayor que cero",
        "Elija la unidad de la cantidad",
        "Elija la moneda de la factura",
        "Escriba el precio de la factura",
        "Escriba un importe",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(!page.contains("id=\"customs-value\""));

    // A currency without a rate for the date is refused, never guessed.
    let (_, page) = app
        .get_text(&check_path(&origin, "").replace("currency=USD", "currency=JPY"))
        .await;
    assert!(
        page.contains("No hay un tipo de cambio oficial"),
        "no JPY rates in the demo"
    );
    // Litres against a band kept in kilograms.
    let (_, page) = app
        .get_text(&check_path(&origin, "").replace("unit=KGM", "unit=LTR"))
        .await;
    assert!(page.contains("no se puede convertir a la unidad de la banda"));
    // Deductions larger than the price.
    let path = check_path(&origin, "").replace("incoterm=FOB", "incoterm=DDP") + "&post_import=50";
    let (_, page) = app.get_text(&path).await;
    assert!(page.contains("Lo que se resta supera el precio"));
}
