//! SQL the check reads: the form's choices, units and their factors, exchange rates, and whether
//! a country or currency is known.

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

pub async fn unit_factor(pool: &PgPool, code: &str) -> Result<Option<UnitFactor>, sqlx::Error> {
    let row: Option<(Option<String>, Option<Decimal>)> =
        sqlx::query_as("SELECT dimension, factor FROM units WHERE code = $1")
            .bind(code)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(dimension, factor)| {
        Some(UnitFactor {
            dimension: Dimension::parse(dimension.as_deref()?)?,
            factor: factor?,
        })
    }))
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

pub async fn country_exists(pool: &PgPool, alpha2: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT alpha2::text FROM countries WHERE alpha2 = $1::bpchar")
            .bind(alpha2)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

pub async fn currency_exists(pool: &PgPool, code: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM currencies WHERE code = $1::bpchar")
        .bind(code)
        .fetch_one(pool)
        .await?;
    Ok(count > 0)
}
