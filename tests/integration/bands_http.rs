//! Bands over HTTP on the demo data: the open-data API and CSV, the public pages, the
//! administrator's computation, publication and reference upload, and who may do what.

use chrono::{Days, NaiveDate};
use serde_json::Value;
use valora_tests::TestApp;

const VALUATION_ADMIN: &str = "victor.valoracion@sunat.demo";
const IMPORTER_ADMIN: &str = "ana.admin@importadora.demo";

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn demo_app() -> TestApp {
    TestApp::spawn_configured(|c| {
        c.demo = true;
        c.max_upload_bytes = 64 * 1024;
    })
    .await
}

async fn json(app: &TestApp, path: &str) -> (u16, Value) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[tokio::test]
async fn the_open_data_api_serves_bands_in_force_on_a_date() {
    let app = demo_app().await;
    let (status, body) = json(&app, "/api/v1/bands?hs=070320&limit=1000").await;
    assert_eq!(status, 200);
    let bands = body["bands"].as_array().unwrap();
    assert!(bands.len() >= 3, "garlic has bands from several origins");
    for band in bands {
        assert!(band["tariff_code"].as_str().unwrap().starts_with("070320"));
        assert_eq!(band["currency"], "USD");
        let figure = |k: &str| {
            band[k]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        };
        assert!(figure("p10") <= figure("p25") && figure("p25") <= figure("median"));
        assert!(figure("median") <= figure("p75") && figure("p75") <= figure("p90"));
        assert!(band["n"].as_i64().unwrap() >= band["n_trimmed"].as_i64().unwrap() + 10);
    }
    // A national ten-digit line finds its subheading's bands; origin and unit narrow them.
    let (_, national) = json(&app, "/api/v1/bands?hs=0703.20.00.00&limit=1000").await;
    assert_eq!(national["bands"], body["bands"]);
    let origin = bands[0]["origin"].as_str().unwrap();
    let (_, one) = json(
        &app,
        &format!("/api/v1/bands?hs=070320&origin={origin}&unit=KGM"),
    )
    .await;
    assert_eq!(one["bands"].as_array().unwrap().len(), 1);
    assert_eq!(one["bands"][0], bands[0]);

    // As of a date: the first version before the second took effect, nothing before both.
    let (_, now) = json(&app, "/api/v1/bands?limit=1").await;
    let (_, earlier) = json(
        &app,
        &format!("/api/v1/bands?limit=1&as_of={}", today() - Days::new(100)),
    )
    .await;
    assert!(now["bands"][0]["version"].as_i64() > earlier["bands"][0]["version"].as_i64());
    let (_, none) = json(&app, "/api/v1/bands?as_of=2000-01-01").await;
    assert_eq!(none["bands"].as_array().unwrap().len(), 0);

    // Pages follow the cursor without gaps or repeats.
    let (_, ten) = json(&app, "/api/v1/bands?limit=10").await;
    let (_, first) = json(&app, "/api/v1/bands?limit=5").await;
    let next = first["next"].as_str().unwrap();
    let (_, second) = json(&app, &format!("/api/v1/bands?limit=5&after={next}")).await;
    let joined: Vec<Value> = [
        first["bands"].as_array().unwrap().clone(),
        second["bands"].as_array().unwrap().clone(),
    ]
    .concat();
    assert_eq!(&joined, ten["bands"].as_array().unwrap());

    for bad in [
        "hs=7",
        "origin=CHN",
        "unit=K%20G",
        "as_of=2026-02-30",
        "limit=0",
        "limit=5000",
        "after=x",
    ] {
        let (status, error) = json(&app, &format!("/api/v1/bands?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(error["error"], "invalid_parameter");
        assert!(error["message_es"].as_str().is_some());
    }

    // The CSV holds the same bands as the JSON, with a header line.
    let response = app.get("/api/v1/bands.csv?hs=070320").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().get(0), Some("tariff_code"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), bands.len());
    assert_eq!(&rows[0][10], bands[0]["median"].as_str().unwrap());
    // Every band, across the stream's pages.
    let all = app.get("/api/v1/bands.csv").await.text().await.unwrap();
    let (_, total) = json(&app, "/api/v1/bands?limit=1000").await;
    assert!(
        all.lines().count() > total["bands"].as_array().unwrap().len(),
        "more than one page"
    );

    let (status, spec) = json(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["paths"]["/api/v1/bands"]["get"].is_object());
    assert!(spec["paths"]["/api/v1/bands.csv"]["get"].is_object());
}

#[tokio::test]
async fn the_public_pages_find_a_band_by_spanish_word_english_word_and_code() {
    let app = demo_app().await;
    for query in ["ajos", "AJOS frescos", "garlic", "070320", "0703.20"] {
        let (status, page) = app.get_text(&format!("/bands?q={query}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("href=\"/bands/070320\""), "{query}");
    }
    let (_, nothing) = app.get_text("/bands?q=zzzzqqq").await;
    assert!(nothing.contains("No se encontró ninguna partida"));

    let (status, line) = app.get_text("/bands/070320").await;
    assert_eq!(status, 200);
    let start = line.find("href=\"/bands/070320/").expect("a band link") + 6;
    let href = &line[start..start + line[start..].find('"').unwrap()];
    let (status, band) = app.get_text(href).await;
    assert_eq!(status, 200);
    assert!(band.contains("<svg") && band.contains("role=\"img\""));
    assert!(band.contains("no un valor mínimo"), "the risk statement");
    assert!(band.contains("Historial de versiones"));
    assert!(band.contains("/api/v1/bands.csv?hs=070320"));
    assert!(band.contains("USD por kilogramo"));

    let (status, _) = app.get_text("/bands/070320/ZZ/KGM").await;
    assert_eq!(status, 404);
    let (status, _) = app.get_text("/bands/abc").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn only_valuation_administrators_compute_publish_and_import() {
    let app = demo_app().await;
    let admin = app.sign_in_demo(VALUATION_ADMIN).await;
    let importer = app.sign_in_demo(IMPORTER_ADMIN).await;
    let period = [
        ("period_from", "2025-01-01"),
        ("period_to", "2026-12-31"),
        ("code_level", "6"),
    ];

    assert_eq!(
        app.call_status("/api/compute-bands", None, &period).await,
        401
    );
    assert_eq!(
        app.call_status("/api/compute-bands", Some(&importer), &period)
            .await,
        403
    );
    assert_eq!(
        app.status_with_cookie("/api/band-runs", &importer).await,
        403
    );
    let page = app.text_with_cookie("/admin/bands", &importer).await;
    assert!(
        !page.contains("Calcular el borrador"),
        "no form for an importer"
    );
    assert!(page.contains(app::i18n::t(
        app::i18n::Lang::Es,
        app::i18n::Msg::ErrorNotAllowed
    )));

    let bad = [
        ("period_from", "2026-13-01"),
        ("period_to", "2025-01-01"),
        ("code_level", "5"),
    ];
    let response = app.call("/api/compute-bands", Some(&admin), &bad).await;
    assert_eq!(response.status(), 400);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("period_from") && text.contains("code_level"),
        "{text}"
    );

    let response = app.call("/api/compute-bands", Some(&admin), &period).await;
    assert!(response.status().is_success(), "{}", response.status());
    let run: i64 = sqlx::query_scalar("SELECT max(id) FROM band_runs")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let review = app
        .text_with_cookie(&format!("/admin/bands/{run}"), &admin)
        .await;
    assert!(review.contains("Cambio de la mediana") && review.contains("Publicar"));

    let publish = |date: String| {
        let run = run.to_string();
        let app = &app;
        let admin = admin.clone();
        async move {
            app.call(
                "/api/publish-bands",
                Some(&admin),
                &[("run_id", &run), ("effective_from", &date)],
            )
            .await
        }
    };
    assert_eq!(
        publish((today() - Days::new(1)).to_string()).await.status(),
        400,
        "not in the past"
    );
    assert_eq!(
        app.call_status(
            "/api/publish-bands",
            Some(&importer),
            &[
                ("run_id", &run.to_string()),
                ("effective_from", &(today() + Days::new(10)).to_string())
            ]
        )
        .await,
        403
    );
    assert!(
        publish((today() + Days::new(10)).to_string())
            .await
            .status()
            .is_success()
    );
    assert_eq!(
        publish((today() + Days::new(20)).to_string())
            .await
            .status(),
        400,
        "not a draft any more"
    );
    let (_, later) = json(
        &app,
        &format!("/api/v1/bands?limit=1&as_of={}", today() + Days::new(10)),
    )
    .await;
    assert_eq!(later["bands"][0]["version"].as_i64(), Some(run));
    let (_, now) = json(&app, "/api/v1/bands?limit=1").await;
    assert_ne!(
        now["bands"][0]["version"].as_i64(),
        Some(run),
        "not in force before its date"
    );

    // Reference upload: a bad file is reported by line and changes nothing.
    let countries_before = app.count("SELECT count(*) FROM countries").await;
    let upload = |cookie: String, body: Vec<u8>| {
        let app = &app;
        async move {
            let form = reqwest::multipart::Form::new()
                .text("kind", "countries")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(body).file_name("paises.csv"),
                );
            app.upload("/admin/reference/import", Some(&cookie), form)
                .await
        }
    };
    let bad_file =
        b"alpha2,alpha3,numeric,name_en,name_es,currency\nQQ,QQQ,999,Q,Q,PEN\nQX,QXX,998,X,,PEN\n"
            .to_vec();
    assert_eq!(
        upload(importer.clone(), bad_file.clone()).await.status(),
        403
    );
    let response = upload(admin.clone(), bad_file).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/admin/reference?report="));
    let report = app.text_with_cookie(&location, &admin).await;
    assert!(report.contains("No se importó nada"), "{report}");
    assert!(
        report.contains("<td class=\"numeric\">3"),
        "line 3 is named"
    );
    let countries_after = app.count("SELECT count(*) FROM countries").await;
    assert_eq!(countries_after, countries_before);
    let too_big = vec![b'a'; 70 * 1024];
    assert_eq!(upload(admin.clone(), too_big).await.status(), 413);
}
