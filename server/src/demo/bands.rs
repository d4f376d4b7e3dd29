//! Demo bands: the built-in reference data (loaded here if start-up did not: the full HS 2022,
//! countries, currencies and UN/ECE units), the demo's national lines (a few hundred real tariff
//! lines with Spanish and English texts, ten-digit Peruvian subheadings among them), generated
//! exchange rates and about a hundred thousand generated declaration records on those lines from
//! 45 trading partners (skewed prices, outliers, several currencies and units), all run through
//! the real importers, computation and publication. Two versions are published (a year apart)
//! and a third waits as a draft for review.

use app::domain::reference::parse_tariff_texts;
use app::features::band_runs::service::{Doer, RunRequest, compute_run, publish_run};

/// Demo bands are computed and published by nobody in particular.
const DEMO: Doer<'static> = Doer {
    user: None,
    client_addr: "demo",
};
use app::features::records::repo::load_reference;
use app::features::records::service::import_records;
use app::features::reference::{ImportOutcome, ReferenceKind, service::import_file};
use app::server::settings::BandSettings;
use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sqlx::PgPool;

/// Spanish and English texts of the demo's tariff lines, with the national ten-digit lines
/// under them: the lines the demo generates records for.
const NATIONAL_LINES: &[u8] = include_bytes!("../../demo-data/national-lines.csv");

/// The countries the generated records come from (Peru's trading partners in the demo).
const ORIGINS: [&str; 45] = [
    "AR", "AT", "AU", "BD", "BE", "BO", "BR", "CA", "CH", "CL", "CN", "CO", "CR", "CZ", "DE", "EC",
    "ES", "FR", "GB", "GT", "ID", "IL", "IN", "IT", "JP", "KR", "MX", "MY", "NL", "NZ", "PA", "PH",
    "PK", "PL", "PT", "PY", "SE", "SG", "TH", "TR", "TW", "US", "UY", "VN", "ZA",
];

/// Units of currency per US dollar the generated rates hover around.
const RATES: [(&str, f64); 4] = [("PEN", 3.72), ("EUR", 0.92), ("CNY", 7.15), ("BRL", 5.2)];

/// Seeds the demo bands once (when no run exists yet).
pub async fn seed(pool: &PgPool, settings: &BandSettings, today: NaiveDate) -> Result<(), String> {
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM band_runs")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    if runs > 0 {
        return Ok(());
    }
    let base = &settings.base_currency;
    crate::reference_data::load_builtin(pool, base).await?;
    import_checked(pool, ReferenceKind::TariffTexts, NATIONAL_LINES, base).await?;
    let start = today - Days::new(730);
    import_checked(
        pool,
        ReferenceKind::ExchangeRates,
        rates_csv(start, today).as_bytes(),
        base,
    )
    .await?;

    // The demo's lines that hold records: its ten-digit lines, and its six-digit ones with no
    // national line under them.
    let demo_codes: Vec<String> = parse_tariff_texts(NATIONAL_LINES)
        .rows
        .into_iter()
        .map(|text| text.code)
        .collect();
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM tariff_lines t WHERE code = ANY($1) AND (length(code) = 10
            OR (length(code) = 6 AND NOT EXISTS (SELECT 1 FROM tariff_lines c WHERE c.parent = t.code)))
         ORDER BY code",
    )
    .bind(&demo_codes)
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    let origins: Vec<String> = ORIGINS.iter().map(|o| o.to_string()).collect();
    let records = records_csv(&codes, &origins, start, today);
    let reference = load_reference(pool, base, settings.rate_max_age_days)
        .await
        .map_err(|e| e.to_string())?;
    let report = import_records(
        pool,
        std::io::Cursor::new(records.into_bytes()),
        "demo",
        None,
        false,
        reference,
    )
    .await
    .map_err(|e| e.to_string())?;
    if report.batch_id.is_none() {
        return Err(format!("demo records refused: {:?}", report.errors));
    }

    let run = |from: NaiveDate, to: NaiveDate| RunRequest {
        period_from: from,
        period_to: to,
        code_level: settings.code_level,
        rule: settings.rule,
        base_currency: base.clone(),
    };
    let first_year = run(start, start + Days::new(364));
    let last_year = run(today - Days::new(365), today - Days::new(1));
    let last_half = run(today - Days::new(182), today - Days::new(1));
    for (request, effective) in [
        (first_year, Some(today - Days::new(330))),
        (last_year, Some(today - Days::new(20))),
        (last_half, None),
    ] {
        let summary = compute_run(pool, &request, DEMO)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(effective) = effective {
            publish_run(pool, summary.run_id, effective, DEMO)
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("{e:?}"))?;
        }
    }
    Ok(())
}

async fn import_checked(
    pool: &PgPool,
    kind: ReferenceKind,
    bytes: &[u8],
    base: &str,
) -> Result<(), String> {
    match import_file(pool, kind, bytes, false, base).await {
        Ok(ImportOutcome::Imported { .. }) => Ok(()),
        Ok(ImportOutcome::Refused { errors }) => {
            Err(format!("demo {} file refused: {errors:?}", kind.code()))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn rates_csv(start: NaiveDate, end: NaiveDate) -> String {
    let mut out = String::from("date,currency,units_per_base\n");
    let mut day = start;
    let mut i = 0.0f64;
    while day <= end {
        for (currency, level) in RATES {
            let wobble = 1.0 + 0.03 * (i / 45.0).sin();
            let rate = Decimal::try_from(level * wobble)
                .unwrap_or(Decimal::ONE)
                .round_dp(4);
            out.push_str(&format!("{day},{currency},{rate}\n"));
        }
        day = day + Days::new(1);
        i += 1.0;
    }
    out
}

/// A normal deviate by the Box-Muller transform (enough for demo prices; saves a crate).
fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn band_unit_for(code: &str) -> &'static str {
    match &code[..2] {
        "22" => "LTR",
        "64" => "PR",
        "84" | "85" | "87" | "90" | "91" | "95" => "NIU",
        _ => "KGM",
    }
}

/// Declaration records in the import format. Floats only shape the random prices; every
/// figure is written as a decimal with at most 2 (values) or 3 (quantities) places.
fn records_csv(codes: &[String], origins: &[String], start: NaiveDate, end: NaiveDate) -> String {
    let mut rng = StdRng::seed_from_u64(2026);
    let days = (end - start).num_days().max(1) as u64;
    let mut out = String::from(
        "declared_on,tariff_code,origin,incoterm,quantity,unit,customs_value,currency\n",
    );
    for code in codes {
        let unit = band_unit_for(code);
        let base_price = (rng.random_range(0.0f64..1.0) * 6.5).exp() * 0.6; // 0.6 to ~400
        let origin_count = rng.random_range(3..=12);
        for _ in 0..origin_count {
            let origin = &origins[rng.random_range(0..origins.len())];
            let origin_factor = (0.3 * normal(&mut rng)).exp();
            let records = rng.random_range(6..=70);
            for _ in 0..records {
                let mut unit_value = base_price * origin_factor * (0.35 * normal(&mut rng)).exp();
                let roll: f64 = rng.random();
                if roll < 0.015 {
                    unit_value *= rng.random_range(0.01..0.08); // undervalued or mis-keyed unit
                } else if roll < 0.03 {
                    unit_value *= rng.random_range(12.0..40.0);
                }
                let quantity = (rng.random_range(2.0f64..10.0)).exp().round().max(1.0);
                let value = (unit_value * quantity).max(0.01);
                let date = start + Days::new(rng.random_range(0..days));
                let incoterm = ["CIF", "CIF", "CIF", "FOB", "CFR"][rng.random_range(0..5)];
                let (quantity_text, unit_text) = match unit {
                    "KGM" if rng.random_bool(0.1) => (format!("{:.3}", quantity / 1000.0), "TNE"),
                    "NIU" if rng.random_bool(0.1) && quantity >= 12.0 => {
                        (format!("{:.3}", quantity / 12.0), "DZN")
                    }
                    _ => (format!("{quantity:.0}"), unit),
                };
                let currency_roll: f64 = rng.random();
                let (currency, rate) = if currency_roll < 0.85 {
                    ("USD", 1.0)
                } else if currency_roll < 0.95 {
                    ("EUR", RATES[1].1)
                } else {
                    ("PEN", RATES[0].1)
                };
                let amount = (value * rate * 100.0).round() / 100.0;
                if quantity_text.trim_start_matches(['0', '.']).is_empty() || amount <= 0.0 {
                    continue;
                }
                out.push_str(&format!(
                    "{date},{code},{origin},{incoterm},{quantity_text},{unit_text},{amount:.2},{currency}\n"
                ));
            }
        }
    }
    out
}
