//! Loading parsed reference files: one transaction per file, all or nothing unless the caller
//! asks to skip the bad lines (then the good ones load and the bad ones are reported).

use std::collections::HashSet;

use sqlx::{PgConnection, PgPool};

use super::ImportOutcome;
use super::ReferenceKind;
use super::search_text::refresh_search_text;
use crate::domain::csv_rows::{LineError, Parsed};
use crate::domain::reference::{
    TariffText, parse_countries, parse_currencies, parse_rates, parse_tariff_texts, parse_units,
};

/// Parses and loads one file of `kind`. `base_currency` is the deployment's (rates are quoted
/// against it).
pub async fn import_file(
    pool: &PgPool,
    kind: ReferenceKind,
    bytes: &[u8],
    skip_bad_lines: bool,
    base_currency: &str,
) -> Result<ImportOutcome, sqlx::Error> {
    match kind {
        ReferenceKind::Nomenclature => {
            let parsed = crate::domain::nomenclature::parse_hs_csv(bytes);
            super::hs::import_hs(pool, parsed, skip_bad_lines).await
        }
        ReferenceKind::TariffTexts => {
            import_tariff_texts(pool, parse_tariff_texts(bytes), skip_bad_lines).await
        }
        ReferenceKind::Countries => {
            let parsed = parse_countries(bytes);
            load(pool, parsed, skip_bad_lines, |conn, rows| {
                Box::pin(async move {
                    let col = |f: fn(&crate::domain::reference::Country) -> &str| -> Vec<String> {
                        rows.iter().map(|r| f(r).to_string()).collect()
                    };
                    // Arrays of arrays cannot be bound; each list travels as comma-separated text.
                    let currencies: Vec<String> =
                        rows.iter().map(|r| r.currencies.join(",")).collect();
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
                })
            })
            .await
        }
        ReferenceKind::Currencies => {
            let parsed = parse_currencies(bytes);
            load(pool, parsed, skip_bad_lines, |conn, rows| {
                Box::pin(async move {
                    let col = |f: fn(&crate::domain::reference::Currency) -> &str| -> Vec<String> {
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
                })
            })
            .await
        }
        ReferenceKind::Units => {
            let parsed = parse_units(bytes);
            load(pool, parsed, skip_bad_lines, |conn, rows| {
                Box::pin(async move {
                    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
                    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
                    let symbols: Vec<Option<&str>> =
                        rows.iter().map(|r| r.symbol.as_deref()).collect();
                    let dimensions: Vec<Option<&str>> = rows
                        .iter()
                        .map(|r| r.factor.map(|f| f.dimension.code()))
                        .collect();
                    let factors: Vec<Option<rust_decimal::Decimal>> =
                        rows.iter().map(|r| r.factor.map(|f| f.factor)).collect();
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
                })
            })
            .await
        }
        ReferenceKind::ExchangeRates => {
            let known: HashSet<String> = sqlx::query_scalar("SELECT code::text FROM currencies")
                .fetch_all(pool)
                .await?
                .into_iter()
                .collect();
            let parsed = parse_rates(bytes, base_currency, |c| known.contains(c));
            load(pool, parsed, skip_bad_lines, |conn, rows| {
                Box::pin(async move {
                    let dates: Vec<chrono::NaiveDate> = rows.iter().map(|r| r.date).collect();
                    let currencies: Vec<&str> = rows.iter().map(|r| r.currency.as_str()).collect();
                    let rates: Vec<rust_decimal::Decimal> =
                        rows.iter().map(|r| r.units_per_base).collect();
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
                })
            })
            .await
        }
    }
}

type Write<'c> = std::pin::Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + 'c>>;

/// Refuses a file with errors (unless skipping), else writes its good rows in one transaction.
async fn load<T: Send + Sync>(
    pool: &PgPool,
    parsed: Parsed<T>,
    skip_bad_lines: bool,
    write: impl for<'c> FnOnce(&'c mut PgConnection, &'c [T]) -> Write<'c>,
) -> Result<ImportOutcome, sqlx::Error> {
    if !parsed.errors.is_empty() && !skip_bad_lines {
        return Ok(ImportOutcome::Refused {
            errors: parsed.errors,
        });
    }
    let mut tx = pool.begin().await?;
    if !parsed.rows.is_empty() {
        write(&mut tx, &parsed.rows).await?;
    }
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        rows: parsed.rows.len(),
        skipped: parsed.errors,
    })
}

/// Descriptions of HS lines already loaded, and national 8/10-digit lines placed under the
/// longest code that exists (in the table or earlier in this file).
async fn import_tariff_texts(
    pool: &PgPool,
    mut parsed: Parsed<TariffText>,
    skip_bad_lines: bool,
) -> Result<ImportOutcome, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut known: HashSet<String> = sqlx::query_scalar("SELECT code FROM tariff_lines")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let mut placed: Vec<(TariffText, Option<String>)> = Vec::new();
    for text in parsed.rows.drain(..) {
        if text.code.len() <= 6 {
            if known.contains(&text.code) {
                placed.push((text, None));
            } else {
                parsed.errors.push(LineError::new(
                    text.line,
                    format!(
                        "{} is not in the nomenclature: import the HS file first",
                        text.code
                    ),
                ));
            }
            continue;
        }
        let parent = [text.code.len() - 2, 6]
            .into_iter()
            .map(|len| text.code[..len].to_string())
            .find(|prefix| known.contains(prefix));
        match parent {
            Some(parent) => {
                known.insert(text.code.clone());
                placed.push((text, Some(parent)));
            }
            None => parsed.errors.push(LineError::new(
                text.line,
                format!(
                    "{} has no HS subheading {} to belong to",
                    text.code,
                    &text.code[..6]
                ),
            )),
        }
    }
    parsed.errors.sort_by_key(|e| e.line);
    if !parsed.errors.is_empty() && !skip_bad_lines {
        return Ok(ImportOutcome::Refused {
            errors: parsed.errors,
        });
    }
    let (hs, national): (Vec<_>, Vec<_>) = placed.iter().partition(|(_, p)| p.is_none());
    let column = |rows: &[&(TariffText, Option<String>)],
                  f: fn(&TariffText) -> &str|
     -> Vec<String> { rows.iter().map(|(t, _)| f(t).to_string()).collect() };
    sqlx::query(
        "UPDATE tariff_lines t SET description_es = s.es, description_en = s.en, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[]) AS s (code, es, en) WHERE t.code = s.code",
    )
    .bind(column(&hs, |t| &t.code))
    .bind(column(&hs, |t| &t.description_es))
    .bind(column(&hs, |t| &t.description_en))
    .execute(&mut *tx)
    .await?;
    // Eight digits before ten, so a ten-digit line can hang under an eight-digit one.
    for len in [8, 10] {
        let batch: Vec<&(TariffText, Option<String>)> = national
            .iter()
            .copied()
            .filter(|(t, _)| t.code.len() == len)
            .collect();
        let parents: Vec<String> = batch
            .iter()
            .map(|(_, p)| p.clone().unwrap_or_default())
            .collect();
        sqlx::query(
            "INSERT INTO tariff_lines (code, parent, section, description_es, description_en)
             SELECT s.code, s.parent, p.section, s.es, s.en
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (code, parent, es, en)
             JOIN tariff_lines p ON p.code = s.parent
             ON CONFLICT (code) DO UPDATE SET parent = excluded.parent,
                 description_es = excluded.description_es, description_en = excluded.description_en,
                 updated_at = now()",
        )
        .bind(column(&batch, |t| &t.code))
        .bind(parents)
        .bind(column(&batch, |t| &t.description_es))
        .bind(column(&batch, |t| &t.description_en))
        .execute(&mut *tx)
        .await?;
    }
    refresh_search_text(&mut tx).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Imported {
        rows: placed.len(),
        skipped: parsed.errors,
    })
}
