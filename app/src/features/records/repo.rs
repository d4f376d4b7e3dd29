//! SQL for declaration records: what an import is checked against, loaded from the reference
//! tables, and the batch an import's records are stored under.

use rust_decimal::Decimal;
use sqlx::postgres::PgCopyIn;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

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

/// Inserts an empty batch; returns its id.
pub async fn insert_batch(
    db: impl PgExecutor<'_>,
    source: &str,
    imported_by: Option<Uuid>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO record_batches (source, records, imported_by) VALUES ($1, 0, $2) RETURNING id",
    )
    .bind(source)
    .bind(imported_by)
    .fetch_one(db)
    .await
}

/// Starts `COPY declaration_records ... FROM STDIN` on `conn`; the caller sends the rows as COPY
/// text (batch_id, line, declared_on, tariff_code, origin, incoterm, quantity, unit,
/// customs_value, currency, value_base, band_unit, unit_value) and finishes or aborts it.
pub async fn copy_records(
    conn: &mut PgConnection,
) -> Result<PgCopyIn<&mut PgConnection>, sqlx::Error> {
    conn.copy_in_raw(
        "COPY declaration_records (batch_id, line, declared_on, tariff_code, origin, incoterm,
                 quantity, unit, customs_value, currency, value_base, band_unit, unit_value)
             FROM STDIN",
    )
    .await
}

/// Stores the number of records a batch holds.
pub async fn set_batch_records(
    db: impl PgExecutor<'_>,
    batch_id: i64,
    records: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE record_batches SET records = $2 WHERE id = $1")
        .bind(batch_id)
        .bind(records)
        .execute(db)
        .await
        .map(drop)
}
