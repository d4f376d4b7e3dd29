//! Bands from real trade data: the reference fixtures import cleanly, BACI flows import as
//! declaration records, and the bands PostgreSQL computes and publishes equal the documented
//! definition (`domain::bands::compute`) applied independently to the source file.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use app::domain::bands::{BandOutcome, BandRule, compute};
use app::features::band_runs::service::{PublishError, RunRequest, compute_run, publish_run};
use app::features::records::repo::load_reference;
use app::features::records::service::import_records;
use rust_decimal::{Decimal, RoundingStrategy};
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
    let summary = compute_run(&app.pool, &request, None).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    publish_run(&app.pool, summary.run_id, today, None)
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
    let again = compute_run(&app.pool, &request, None).await.unwrap();
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
        publish_run(&app.pool, again.run_id, today, None)
            .await
            .unwrap(),
        Err(PublishError::NotAfter(today))
    );
    assert_eq!(
        publish_run(
            &app.pool,
            summary.run_id,
            today + chrono::Days::new(5),
            None
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
