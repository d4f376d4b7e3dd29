//! What a record import is checked against, loaded from the reference tables.

use rust_decimal::Decimal;
use sqlx::PgPool;

use crate::domain::exchange::RateTable;
use crate::domain::records::RecordReference;
use crate::domain::units::{Dimension, UnitFactor};

pub async fn load_reference(
    pool: &PgPool,
    base_currency: &str,
    rate_max_age_days: i64,
) -> Result<RecordReference, sqlx::Error> {
    let mut reference = RecordReference {
        rates: RateTable::new(base_currency, rate_max_age_days),
        ..RecordReference::default()
    };
    let countries: Vec<(String, String)> =
        sqlx::query_as("SELECT alpha2::text, alpha3::text FROM countries")
            .fetch_all(pool)
            .await?;
    for (alpha2, alpha3) in countries {
        reference.countries.insert(alpha2.clone(), alpha2.clone());
        reference.countries.insert(alpha3, alpha2);
    }
    let units: Vec<(String, Option<String>, Option<Decimal>)> =
        sqlx::query_as("SELECT code, dimension, factor FROM units")
            .fetch_all(pool)
            .await?;
    for (code, dimension, factor) in units {
        if let (Some(dimension), Some(factor)) =
            (dimension.as_deref().and_then(Dimension::parse), factor)
        {
            reference
                .units
                .insert(code.clone(), UnitFactor { dimension, factor });
        }
        reference.known_units.insert(code);
    }
    reference.currencies = sqlx::query_scalar("SELECT code::text FROM currencies")
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
    reference.currencies.insert(base_currency.to_string());
    let rates: Vec<(String, chrono::NaiveDate, Decimal)> =
        sqlx::query_as("SELECT currency::text, rate_date, units_per_base FROM exchange_rates")
            .fetch_all(pool)
            .await?;
    for (currency, date, rate) in rates {
        reference.rates.insert(&currency, date, rate);
    }
    Ok(reference)
}
