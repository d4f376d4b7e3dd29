//! SQL for reference data: the upserts each importer ends in, the tariff texts behind the search,
//! and import reports (what an import through the administrator's page did).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::ImportReportView;
use crate::domain::csv_rows::LineError;
use crate::domain::nomenclature::TariffLine;
use crate::domain::reference::{Country, Currency, ExchangeRate, TariffText, Unit};

pub struct NewReport<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub imported_by: Uuid,
    pub imported: bool,
    pub rows_loaded: i64,
    pub error_count: i64,
    pub errors: &'a [LineError],
}

pub async fn insert(db: impl PgExecutor<'_>, report: NewReport<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    let errors = serde_json::to_value(report.errors).unwrap_or_default();
    sqlx::query(
        "INSERT INTO import_reports (id, kind, file_name, imported_by, imported, rows_loaded,
                                     error_count, errors)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(report.kind)
    .bind(report.file_name)
    .bind(report.imported_by)
    .bind(report.imported)
    .bind(report.rows_loaded)
    .bind(report.error_count)
    .bind(errors)
    .execute(db)
    .await?;
    Ok(id)
}

pub async fn find(pool: &PgPool, id: Uuid) -> Result<Option<ImportReportView>, sqlx::Error> {
    let row: Option<(String, String, bool, i64, i64, serde_json::Value, String)> = sqlx::query_as(
        "SELECT kind, file_name, imported, rows_loaded, error_count, errors,
                to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
         FROM import_reports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(kind, file_name, imported, rows_loaded, error_count, errors, imported_at)| {
            ImportReportView {
                kind,
                file_name,
                imported,
                rows_loaded,
                error_count,
                errors: serde_json::from_value(errors).unwrap_or_default(),
                imported_at,
            }
        },
    ))
}

/// Countries, inserted or updated by alpha-2 code.
pub async fn upsert_countries(
    conn: &mut PgConnection,
    rows: &[Country],
) -> Result<(), sqlx::Error> {
    let col = |f: fn(&Country) -> &str| -> Vec<String> {
        rows.iter().map(|r| f(r).to_string()).collect()
    };
    // Arrays of arrays cannot be bound; each list travels as comma-separated text.
    let currencies: Vec<String> = rows.iter().map(|r| r.currencies.join(",")).collect();
    sqlx::query(
        "INSERT INTO countries (alpha2, alpha3, numeric_code, name_en, name_es, currencies)
         SELECT a, b, c, d, e, coalesce(string_to_array(nullif(f, ''), ','), '{}')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                     $5::text[], $6::text[]) AS s (a, b, c, d, e, f)
         ON CONFLICT (alpha2) DO UPDATE SET alpha3 = excluded.alpha3,
             numeric_code = excluded.numeric_code, name_en = excluded.name_en,
             name_es = excluded.name_es, currencies = excluded.currencies,
             updated_at = now()",
    )
    .bind(col(|r| &r.alpha2))
    .bind(col(|r| &r.alpha3))
    .bind(col(|r| &r.numeric))
    .bind(col(|r| &r.name_en))
    .bind(col(|r| &r.name_es))
    .bind(currencies)
    .execute(conn)
    .await
    .map(drop)
}

/// Currencies, inserted or updated by ISO 4217 code.
pub async fn upsert_currencies(
    conn: &mut PgConnection,
    rows: &[Currency],
) -> Result<(), sqlx::Error> {
    let col = |f: fn(&Currency) -> &str| -> Vec<String> {
        rows.iter().map(|r| f(r).to_string()).collect()
    };
    let minor: Vec<i16> = rows.iter().map(|r| r.minor_units).collect();
    sqlx::query(
        "INSERT INTO currencies (code, numeric_code, minor_units, name_en, name_es)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int2[], $4::text[], $5::text[])
         ON CONFLICT (code) DO UPDATE SET numeric_code = excluded.numeric_code,
             minor_units = excluded.minor_units, name_en = excluded.name_en,
             name_es = excluded.name_es, updated_at = now()",
    )
    .bind(col(|r| &r.code))
    .bind(col(|r| &r.numeric))
    .bind(minor)
    .bind(col(|r| &r.name_en))
    .bind(col(|r| &r.name_es))
    .execute(conn)
    .await
    .map(drop)
}

/// Units of quantity, inserted or updated by UN/ECE code.
pub async fn upsert_units(conn: &mut PgConnection, rows: &[Unit]) -> Result<(), sqlx::Error> {
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    let symbols: Vec<Option<&str>> = rows.iter().map(|r| r.symbol.as_deref()).collect();
    let dimensions: Vec<Option<&str>> = rows
        .iter()
        .map(|r| r.factor.map(|f| f.dimension.code()))
        .collect();
    let factors: Vec<Option<Decimal>> = rows.iter().map(|r| r.factor.map(|f| f.factor)).collect();
    let deprecated: Vec<bool> = rows.iter().map(|r| r.deprecated).collect();
    sqlx::query(
        "INSERT INTO units (code, name, symbol, dimension, factor, deprecated)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                              $5::numeric[], $6::bool[])
         ON CONFLICT (code) DO UPDATE SET name = excluded.name,
             symbol = excluded.symbol, dimension = excluded.dimension,
             factor = excluded.factor, deprecated = excluded.deprecated,
             updated_at = now()",
    )
    .bind(codes)
    .bind(names)
    .bind(symbols)
    .bind(dimensions)
    .bind(factors)
    .bind(deprecated)
    .execute(conn)
    .await
    .map(drop)
}

/// Exchange rates, inserted or updated by currency and date.
pub async fn upsert_rates(
    conn: &mut PgConnection,
    rows: &[ExchangeRate],
) -> Result<(), sqlx::Error> {
    let dates: Vec<NaiveDate> = rows.iter().map(|r| r.date).collect();
    let currencies: Vec<&str> = rows.iter().map(|r| r.currency.as_str()).collect();
    let rates: Vec<Decimal> = rows.iter().map(|r| r.units_per_base).collect();
    sqlx::query(
        "INSERT INTO exchange_rates (rate_date, currency, units_per_base)
         SELECT * FROM unnest($1::date[], $2::text[], $3::numeric[])
         ON CONFLICT (currency, rate_date) DO UPDATE
         SET units_per_base = excluded.units_per_base, updated_at = now()",
    )
    .bind(dates)
    .bind(currencies)
    .bind(rates)
    .execute(conn)
    .await
    .map(drop)
}

pub async fn currency_codes(db: impl PgExecutor<'_>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code::text FROM currencies")
        .fetch_all(db)
        .await
}

pub async fn tariff_codes(db: impl PgExecutor<'_>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM tariff_lines")
        .fetch_all(db)
        .await
}

/// HS lines of one level (their parents are loaded already), inserted or updated by code.
pub async fn upsert_hs_lines(
    conn: &mut PgConnection,
    lines: &[&TariffLine],
) -> Result<(), sqlx::Error> {
    let codes: Vec<&str> = lines.iter().map(|l| l.code.as_str()).collect();
    let parents: Vec<Option<&str>> = lines.iter().map(|l| l.parent.as_deref()).collect();
    let sections: Vec<&str> = lines.iter().map(|l| l.section.as_str()).collect();
    let descriptions: Vec<&str> = lines.iter().map(|l| l.description.as_str()).collect();
    sqlx::query(
        "INSERT INTO tariff_lines (code, parent, section, description_en)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, section = excluded.section,
             description_en = excluded.description_en, updated_at = now()",
    )
    .bind(&codes)
    .bind(&parents)
    .bind(&sections)
    .bind(&descriptions)
    .execute(conn)
    .await
    .map(drop)
}

/// Spanish and English texts of HS lines that exist.
pub async fn update_hs_texts(
    conn: &mut PgConnection,
    texts: &[&TariffText],
) -> Result<(), sqlx::Error> {
    let column = |f: fn(&TariffText) -> &str| -> Vec<String> {
        texts.iter().map(|t| f(t).to_string()).collect()
    };
    sqlx::query(
        "UPDATE tariff_lines t SET description_es = s.es, description_en = s.en, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[]) AS s (code, es, en) WHERE t.code = s.code",
    )
    .bind(column(|t| &t.code))
    .bind(column(|t| &t.description_es))
    .bind(column(|t| &t.description_en))
    .execute(conn)
    .await
    .map(drop)
}

/// National lines (8 or 10 digits), each under its parent, inserted or updated by code.
pub async fn upsert_national_lines(
    conn: &mut PgConnection,
    lines: &[(&TariffText, &str)],
) -> Result<(), sqlx::Error> {
    let column = |f: fn(&TariffText) -> &str| -> Vec<String> {
        lines.iter().map(|(t, _)| f(t).to_string()).collect()
    };
    let parents: Vec<&str> = lines.iter().map(|(_, p)| *p).collect();
    sqlx::query(
        "INSERT INTO tariff_lines (code, parent, section, description_es, description_en)
         SELECT s.code, s.parent, p.section, s.es, s.en
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (code, parent, es, en)
         JOIN tariff_lines p ON p.code = s.parent
         ON CONFLICT (code) DO UPDATE SET parent = excluded.parent,
             description_es = excluded.description_es, description_en = excluded.description_en,
             updated_at = now()",
    )
    .bind(column(|t| &t.code))
    .bind(parents)
    .bind(column(|t| &t.description_es))
    .bind(column(|t| &t.description_en))
    .execute(conn)
    .await
    .map(drop)
}

/// (code, Spanish text, English text) of every tariff line.
pub async fn tariff_texts(
    conn: &mut PgConnection,
) -> Result<Vec<(String, Option<String>, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT code, description_es, description_en FROM tariff_lines")
        .fetch_all(conn)
        .await
}

/// Sets each line's search text where it changed.
pub async fn set_search_texts(
    conn: &mut PgConnection,
    codes: &[String],
    texts: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tariff_lines t SET search_text = s.text
         FROM unnest($1::text[], $2::text[]) AS s (code, text)
         WHERE t.code = s.code AND t.search_text IS DISTINCT FROM s.text",
    )
    .bind(codes)
    .bind(texts)
    .execute(conn)
    .await
    .map(drop)
}
