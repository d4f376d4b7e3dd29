//! SQL the check reads: the form's choices, units and their factors, exchange rates, and the
//! known countries and currencies.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgPool;

use super::CheckOptions;
use crate::domain::units::{Dimension, UnitFactor};

pub async fn options(pool: &PgPool) -> Result<CheckOptions, sqlx::Error> {
    let countries =
        sqlx::query_as("SELECT alpha2::text, name_es, name_en FROM countries ORDER BY name_es")
            .fetch_all(pool)
            .await?;
    let currencies =
        sqlx::query_as("SELECT code::text, name_es, name_en FROM currencies ORDER BY code")
            .fetch_all(pool)
            .await?;
    let units = sqlx::query_as(
        "SELECT code, name FROM units WHERE dimension IS NOT NULL AND NOT deprecated ORDER BY code",
    )
    .fetch_all(pool)
    .await?;
    Ok(CheckOptions {
        countries,
        currencies,
        units,
        ..CheckOptions::default()
    })
}

/// Every unit with its factor to the base unit of its dimension (none: not measurable).
pub async fn unit_factors(pool: &PgPool) -> Result<Vec<(String, Option<UnitFactor>)>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<Decimal>)> =
        sqlx::query_as("SELECT code, dimension, factor FROM units")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, dimension, factor)| {
            let factor = (|| {
                Some(UnitFactor {
                    dimension: Dimension::parse(dimension.as_deref()?)?,
                    factor: factor?,
                })
            })();
            (code, factor)
        })
        .collect())
}

/// The rates of `currency` (units per base unit) from `since` to `until`.
pub async fn rates(
    pool: &PgPool,
    currency: &str,
    since: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<(NaiveDate, Decimal)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT rate_date, units_per_base FROM exchange_rates
         WHERE currency = $1 AND rate_date BETWEEN $2 AND $3",
    )
    .bind(currency)
    .bind(since)
    .bind(until)
    .fetch_all(pool)
    .await
}

/// Every country's alpha-2 code.
pub async fn country_codes(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT alpha2::text FROM countries")
        .fetch_all(pool)
        .await
}

/// Every currency's code.
pub async fn currency_codes(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code::text FROM currencies")
        .fetch_all(pool)
        .await
}
