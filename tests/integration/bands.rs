//! Bands as the public finds them. From real trade data: the reference fixtures import cleanly,
//! BACI flows import as declaration records, and the bands PostgreSQL computes and publishes
//! equal the documented definition (`domain::bands::compute`) applied independently to the
//! source file. On the demo data: the open-data API and CSV serve the bands in force on a date,
//! and the public pages find a band by Spanish word, English word and code.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use app::domain::bands::{BandOutcome, BandRule, compute};
use app::features::band_runs::service::{Doer, PublishError, RunRequest, compute_run, publish_run};
use app::features::records::repo::load_reference;
use app::features::records::service::import_records;
use chrono::{Days, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use valora_tests::{TestApp, baci_flows, fixture, import_fixture_reference, records_csv};

fn alpha3_to_alpha2() -> HashMap<String, String> {
    let mut reader = csv::Reader::from_path(fixture("countries.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[1].to_string(), r[0].to_string()))
        .collect()
}

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
struct Published {
    tariff_code: String,
    origin: String,
    n: i32,
    n_trimmed: i32,
    p10: Decimal,
    p25: Decimal,
    median: Decimal,
    p75: Decimal,
    p90: Decimal,
}

#[tokio::test]
async fn published_bands_from_baci_equal_the_documented_definition() {
    let app = TestApp::spawn().await;
    import_fixture_reference(&app.pool).await;
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM tariff_lines), (SELECT count(*) FROM countries),
                (SELECT count(*) FROM units), (SELECT count(*) FROM units WHERE dimension IS NOT NULL)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((counts.0, counts.1, counts.2), (6_939, 249, 2_136));
    assert!(counts.3 >= 40, "mass, volume, count... units: {}", counts.3);

    let flows = baci_flows();
    let reference = load_reference(&app.pool, "USD", 7).await.unwrap();
    let csv = records_csv(&flows);
    let report = import_records(
        &app.pool,
        std::io::Cursor::new(csv.into_bytes()),
        "baci",
        None,
        false,
        reference,
    )
    .await
    .unwrap();
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.imported, flows.len() as u64);

    let rule = BandRule::default();
    let request = RunRequest {
        period_from: day("2020-01-01"),
        period_to: day("2020-12-31"),
        code_level: 6,
        rule,
        base_currency: "USD".into(),
    };
    let summary = compute_run(&app.pool, &request, Doer::COMMAND_LINE)
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    publish_run(&app.pool, summary.run_id, today, Doer::COMMAND_LINE)
        .await
        .unwrap()
        .unwrap();

    // The independent computation: group the source rows by HS6 and exporter, unit value
    // value_usd / quantity_kg rounded to 8 places, then the documented definition.
    let alpha2 = alpha3_to_alpha2();
    let mut groups: BTreeMap<(String, String), Vec<Decimal>> = BTreeMap::new();
    for f in &flows {
        let value = Decimal::from_str(&f.value_usd).unwrap();
        let quantity = Decimal::from_str(&f.quantity_kg).unwrap();
        let unit_value = (value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            / quantity)
            .round_dp_with_strategy(8, RoundingStrategy::MidpointAwayFromZero);
        groups
            .entry((f.hs6.clone(), alpha2[&f.exporter_alpha3].clone()))
            .or_default()
            .push(unit_value);
    }
    let mut expected = Vec::new();
    let mut too_few = 0;
    for ((code, origin), values) in &groups {
        match compute(values, &rule).unwrap() {
            BandOutcome::Publishable(s) => expected.push(Published {
                tariff_code: code.clone(),
                origin: origin.clone(),
                n: s.n as i32,
                n_trimmed: s.n_trimmed as i32,
                p10: s.p10,
                p25: s.p25,
                median: s.median,
                p75: s.p75,
                p90: s.p90,
            }),
            BandOutcome::TooFew { .. } => too_few += 1,
        }
    }
    let published: Vec<Published> = sqlx::query_as(
        "SELECT tariff_code, origin::text AS origin, n, n_trimmed, p10, p25, median, p75, p90
         FROM bands WHERE run_id = $1 ORDER BY tariff_code, origin",
    )
    .bind(summary.run_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        expected.len() >= 100,
        "the sample gives many bands: {}",
        expected.len()
    );
    assert!(
        expected.iter().any(|b| b.n_trimmed > 0),
        "some bands trim outliers"
    );
    assert_eq!(published.len(), expected.len());
    for (got, want) in published.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(summary.bands_computed as usize, expected.len());
    let used: i64 = expected.iter().map(|b| i64::from(b.n)).sum();
    assert_eq!(
        summary.records_used, used,
        "records behind the published bands"
    );
    assert_eq!(summary.keys_too_few as usize, too_few);

    // The same records give the same band: a second run is identical.
    let again = compute_run(&app.pool, &request, Doer::COMMAND_LINE)
        .await
        .unwrap();
    let differing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (
             (SELECT tariff_code, origin, unit, n, n_trimmed, p10, p25, median, p75, p90 FROM bands WHERE run_id = $1
              EXCEPT SELECT tariff_code, origin, unit, n, n_trimmed, p10, p25, median, p75, p90 FROM bands WHERE run_id = $2)
             UNION ALL
             (SELECT tariff_code, origin, unit, n, n_trimmed, p10, p25, median, p75, p90 FROM bands WHERE run_id = $2
              EXCEPT SELECT tariff_code, origin, unit, n, n_trimmed, p10, p25, median, p75, p90 FROM bands WHERE run_id = $1)) d",
    )
    .bind(summary.run_id)
    .bind(again.run_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(differing, 0);

    // Versions take effect in order, and a published band cannot be changed.
    assert_eq!(
        publish_run(&app.pool, again.run_id, today, Doer::COMMAND_LINE)
            .await
            .unwrap(),
        Err(PublishError::NotAfter(today))
    );
    assert_eq!(
        publish_run(
            &app.pool,
            summary.run_id,
            today + chrono::Days::new(5),
            Doer::COMMAND_LINE
        )
        .await
        .unwrap(),
        Err(PublishError::NotADraft)
    );
    let change = sqlx::query("UPDATE bands SET median = median + 1 WHERE run_id = $1")
        .bind(summary.run_id)
        .execute(&app.pool)
        .await;
    assert!(change.is_err(), "published bands are final");
}

#[tokio::test]
async fn the_open_data_api_serves_bands_in_force_on_a_date() {
    let app = TestApp::spawn_demo_small_uploads().await;
    let (status, body) = app.get_json("/api/v1/bands?hs=070320&limit=1000").await;
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
    let (_, national) = app
        .get_json("/api/v1/bands?hs=0703.20.00.00&limit=1000")
        .await;
    assert_eq!(national["bands"], body["bands"]);
    let origin = bands[0]["origin"].as_str().unwrap();
    let (_, one) = app
        .get_json(&format!("/api/v1/bands?hs=070320&origin={origin}&unit=KGM"))
        .await;
    assert_eq!(one["bands"].as_array().unwrap().len(), 1);
    assert_eq!(one["bands"][0], bands[0]);

    // As of a date: the first version before the second took effect, nothing before both.
    let (_, now) = app.get_json("/api/v1/bands?limit=1").await;
    let (_, earlier) = app
        .get_json(&format!(
            "/api/v1/bands?limit=1&as_of={}",
            today() - Days::new(100)
        ))
        .await;
    assert!(now["bands"][0]["version"].as_i64() > earlier["bands"][0]["version"].as_i64());
    let (_, none) = app.get_json("/api/v1/bands?as_of=2000-01-01").await;
    assert_eq!(none["bands"].as_array().unwrap().len(), 0);

    // Pages follow the cursor without gaps or repeats.
    let (_, ten) = app.get_json("/api/v1/bands?limit=10").await;
    let (_, first) = app.get_json("/api/v1/bands?limit=5").await;
    let next = first["next"].as_str().unwrap();
    let (_, second) = app
        .get_json(&format!("/api/v1/bands?limit=5&after={next}"))
        .await;
    let joined: Vec<Value> = [
        first["bands"].as_array().unwrap().clone(),
        second["bands"].as_array().unwrap().clone(),
    ]
    .concat();
    assert_eq!(&joined, ten["bands"].as_array().unwrap());

    for bad in [
        "unit=KGM&unit=NIU",
        "hs=7",
        "origin=CHN",
        "unit=K%20G",
        "as_of=2026-02-30",
        "limit=0",
        "limit=5000",
        "after=x",
    ] {
        let (status, error) = app.get_json(&format!("/api/v1/bands?{bad}")).await;
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
    let (_, total) = app.get_json("/api/v1/bands?limit=1000").await;
    assert!(
        all.lines().count() > total["bands"].as_array().unwrap().len(),
        "more than one page"
    );

    let (status, spec) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["paths"]["/api/v1/bands"]["get"].is_object());
    assert!(spec["paths"]["/api/v1/bands.csv"]["get"].is_object());
}

#[tokio::test]
async fn a_name_a_spreadsheet_would_run_is_made_inert_in_the_bands_csv() {
    let app = TestApp::spawn_demo_small_uploads().await;
    let (_, body) = app.get_json("/api/v1/bands?hs=070320&limit=1").await;
    let origin = body["bands"][0]["origin"].as_str().unwrap().to_string();
    sqlx::query(
        "UPDATE countries SET name_en = '=HYPERLINK(\"http://evil.example\")' WHERE alpha2 = $1",
    )
    .bind(&origin)
    .execute(&app.pool)
    .await
    .unwrap();
    let text = app
        .get(&format!("/api/v1/bands.csv?hs=070320&origin={origin}"))
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[3], "'=HYPERLINK(\"http://evil.example\")");
}

#[tokio::test]
async fn the_public_pages_find_a_band_by_spanish_word_english_word_and_code() {
    let app = TestApp::spawn_demo_small_uploads().await;
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
