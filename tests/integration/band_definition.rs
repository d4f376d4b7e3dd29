//! The band percentile definition (the domain's `percentile_cont`) agrees with PostgreSQL's
//! `percentile_cont` on real unit values: the BACI 2020 sample, value_usd / quantity_kg per HS6.

use std::collections::BTreeMap;
use std::str::FromStr;

use app::domain::bands::percentile_cont;
use rust_decimal::Decimal;
use valora_tests::{TestApp, fixture};

/// Unit values (USD per kg) by HS6 code, from rows with a positive value and quantity.
fn baci_unit_values() -> BTreeMap<String, Vec<Decimal>> {
    let path = fixture("baci-2020-sample.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut groups: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [_, _, _, hs6, value, quantity] = fields[..] else {
            panic!("bad line {line}")
        };
        let (Ok(value), Ok(quantity)) = (Decimal::from_str(value), Decimal::from_str(quantity))
        else {
            continue;
        };
        if value > Decimal::ZERO && quantity > Decimal::ZERO {
            groups
                .entry(hs6.to_string())
                .or_default()
                .push(value / quantity);
        }
    }
    groups
}

#[tokio::test]
async fn domain_percentiles_equal_postgresql_percentile_cont_on_real_trade_data() {
    let app = TestApp::spawn().await;
    let groups: Vec<(String, Vec<Decimal>)> = baci_unit_values()
        .into_iter()
        .filter(|(_, values)| values.len() >= 20)
        .take(60)
        .collect();
    assert!(
        groups.len() >= 50,
        "the sample has many HS6 codes with 20 or more flows"
    );
    for (hs6, mut values) in groups {
        let from_db: Vec<f64> = sqlx::query_scalar(
            "SELECT unnest(percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY v))
             FROM unnest($1::numeric[]) AS v",
        )
        .bind(&values)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        values.sort();
        for (p, db) in ["0.1", "0.25", "0.5", "0.75", "0.9"].iter().zip(from_db) {
            let ours: f64 = percentile_cont(&values, Decimal::from_str(p).unwrap())
                .unwrap()
                .try_into()
                .unwrap();
            // PostgreSQL computes percentile_cont in double precision.
            assert!(
                (ours - db).abs() <= 1e-9 * db.abs().max(1.0),
                "HS {hs6} p{p}: ours {ours}, PostgreSQL {db}"
            );
        }
    }
}
