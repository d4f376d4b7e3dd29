//! The check on the server: parse the answers into the engine's types (every problem becomes a
//! field error in the user's language), look up the unit, the rate and the band in force (from
//! the process's [`CheckCache`]), run the engine. The page, the batch and the API all check
//! through [`run`].

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use sqlx::PgPool;

use super::{AMOUNT_FIELDS, CheckForm, CheckOptions, CheckOutcome, repo};
use crate::domain::amount::Amount;
use crate::domain::engine::{self, Additions, BandFigures, EngineError, Invoice};
use crate::domain::evidence::evidence_for;
use crate::domain::exchange::RateTable;
use crate::domain::incoterm::Incoterm;
use crate::domain::units::UnitFactor;
use crate::error::AppError;
use crate::features::bands::{PublishedBand, repo as bands};
use crate::i18n::{Lang, Msg};
use crate::server::reference_version::ReferenceVersion;
use crate::server::settings::BandSettings;
use crate::server::validation::field_errors;

/// The most keys a map of looked-up bands or rates holds before it starts afresh.
pub const MAX_KEYS: usize = 50_000;

type Shared<T> = Arc<T>;

/// What checks read, kept in memory and shared by every check of this process: the known
/// countries, currencies and units (and the form's choices made of them), the published runs,
/// the bands of a run for a code and origin, and the exchange rates for a currency and date. A
/// check of something read before then costs no database round trip.
///
/// It is all read again once the reference version moves (see `server::reference_version`:
/// this process's own changes and, through PostgreSQL's `LISTEN/NOTIFY`, every other
/// process's), so two processes never keep answering from different data. A value read from
/// the database while the version moved is used once and not kept. The run in force is chosen
/// in memory for each check's date, so a run that takes effect at midnight needs no signal; a
/// published run's bands never change (the database freezes them). The maps a visitor can grow
/// with new keys (bands, rates) are emptied when they reach [`MAX_KEYS`].
///
/// Clones share it.
#[derive(Clone, Default)]
pub struct CheckCache {
    version: ReferenceVersion,
    // Held only to look up or insert (never across an await); two worker threads contend at most.
    tables: Arc<Mutex<Tables>>,
}

/// What was read, under the version it was read at.
#[derive(Default)]
struct Tables {
    version: u64,
    countries: HashMap<(), Shared<HashSet<String>>>,
    currencies: HashMap<(), Shared<HashSet<String>>>,
    units: HashMap<(), Shared<HashMap<String, Option<UnitFactor>>>>,
    options: HashMap<(), Shared<CheckOptions>>,
    runs: HashMap<(), Shared<Vec<(i64, NaiveDate)>>>,
    bands: HashMap<(i64, String, String), Shared<Vec<PublishedBand>>>,
    rates: HashMap<(String, NaiveDate), Shared<RateTable>>,
}

impl CheckCache {
    /// An empty cache that follows `version`.
    pub fn new(version: ReferenceVersion) -> CheckCache {
        CheckCache {
            version,
            tables: Arc::default(),
        }
    }

    /// The value under `key` in the map `pick` chooses, read by `load` when it is not there
    /// (or was read under an older version).
    async fn get<K, V>(
        &self,
        pick: fn(&mut Tables) -> &mut HashMap<K, Shared<V>>,
        key: K,
        load: impl Future<Output = Result<V, sqlx::Error>>,
    ) -> Result<Shared<V>, sqlx::Error>
    where
        K: Hash + Eq,
    {
        let seen = self.version.current();
        {
            let mut tables = self.tables.lock().unwrap_or_else(|e| e.into_inner());
            if tables.version == seen
                && let Some(value) = pick(&mut tables).get(&key)
            {
                return Ok(value.clone());
            }
        }
        let value = Shared::new(load.await?);
        let mut tables = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        if self.version.current() != seen || tables.version > seen {
            return Ok(value);
        }
        if tables.version < seen {
            *tables = Tables {
                version: seen,
                ..Tables::default()
            };
        }
        let map = pick(&mut tables);
        if map.len() >= MAX_KEYS {
            map.clear();
        }
        map.insert(key, value.clone());
        Ok(value)
    }

    pub async fn country_known(&self, pool: &PgPool, alpha2: &str) -> Result<bool, sqlx::Error> {
        let known = self
            .get(|t| &mut t.countries, (), async {
                Ok(repo::country_codes(pool).await?.into_iter().collect())
            })
            .await?;
        Ok(known.contains(alpha2))
    }

    pub async fn currency_known(&self, pool: &PgPool, code: &str) -> Result<bool, sqlx::Error> {
        let known = self
            .get(|t| &mut t.currencies, (), async {
                Ok(repo::currency_codes(pool).await?.into_iter().collect())
            })
            .await?;
        Ok(known.contains(code))
    }

    /// The unit's factor to its dimension's base unit; none for an unknown or unmeasurable one.
    pub async fn unit(&self, pool: &PgPool, code: &str) -> Result<Option<UnitFactor>, sqlx::Error> {
        let units = self
            .get(|t| &mut t.units, (), async {
                Ok(repo::unit_factors(pool).await?.into_iter().collect())
            })
            .await?;
        Ok(units.get(code).copied().flatten())
    }

    /// The form's choices (countries, currencies, units), without the settings' parts.
    pub async fn options(&self, pool: &PgPool) -> Result<Shared<CheckOptions>, sqlx::Error> {
        self.get(|t| &mut t.options, (), repo::options(pool)).await
    }

    /// The rates of `currency` that a value on `date` may use.
    pub async fn rates(
        &self,
        pool: &PgPool,
        settings: &BandSettings,
        currency: &str,
        date: NaiveDate,
    ) -> Result<Shared<RateTable>, sqlx::Error> {
        self.get(|t| &mut t.rates, (currency.to_string(), date), async {
            let mut table = RateTable::new(&settings.base_currency, settings.rate_max_age_days);
            let since = date - Days::new(settings.rate_max_age_days.max(0) as u64);
            for (day, rate) in repo::rates(pool, currency, since, date).await? {
                table.insert(currency, day, rate);
            }
            Ok(table)
        })
        .await
    }

    /// The bands in force on `date` for `code` (its own level or a shorter one) and `origin`,
    /// in any unit.
    pub async fn bands(
        &self,
        pool: &PgPool,
        code: &str,
        origin: &str,
        date: NaiveDate,
    ) -> Result<Shared<Vec<PublishedBand>>, sqlx::Error> {
        let runs = self
            .get(|t| &mut t.runs, (), bands::published_runs(pool))
            .await?;
        let Some(run) = run_in_force(&runs, date) else {
            return Ok(Shared::default());
        };
        self.get(
            |t| &mut t.bands,
            (run, code.to_string(), origin.to_string()),
            bands::for_code(pool, run, code, origin),
        )
        .await
    }
}

/// The process's cache, from the request's context (the server provides it).
pub fn shared_cache() -> Result<CheckCache, crate::error::AppError> {
    leptos::prelude::use_context::<CheckCache>()
        .ok_or_else(|| crate::error::AppError::internal("no check cache in context"))
}

/// The run in force on `date`: of the published runs (newest in force first), the first in
/// force by then.
fn run_in_force(runs: &[(i64, NaiveDate)], date: NaiveDate) -> Option<i64> {
    runs.iter()
        .find(|(_, effective_from)| *effective_from <= date)
        .map(|(id, _)| *id)
}

/// Whether `code` has the shape of a code of `lengths` ASCII letters (digits too when
/// `digits`): anything else is not looked up at all.
fn code_shaped(code: &str, lengths: std::ops::RangeInclusive<usize>, digits: bool) -> bool {
    lengths.contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || (digits && b.is_ascii_digit()))
}

async fn origin_known(
    cache: &CheckCache,
    pool: &PgPool,
    origin: &str,
) -> Result<bool, sqlx::Error> {
    Ok(code_shaped(origin, 2..=2, false) && cache.country_known(pool, origin).await?)
}

async fn unit_factor(
    cache: &CheckCache,
    pool: &PgPool,
    code: &str,
) -> Result<Option<UnitFactor>, sqlx::Error> {
    if !code_shaped(code, 1..=3, true) {
        return Ok(None);
    }
    cache.unit(pool, code).await
}

async fn currency_known(
    cache: &CheckCache,
    pool: &PgPool,
    settings: &BandSettings,
    code: &str,
) -> Result<bool, sqlx::Error> {
    Ok(code_shaped(code, 3..=3, false)
        && (code == settings.base_currency || cache.currency_known(pool, code).await?))
}

/// One check. What it looks up comes from `cache` (the database only for what the cache has
/// not read yet), so the page, a batch's lines and the API share it.
pub async fn run(
    pool: &PgPool,
    settings: &BandSettings,
    cache: &CheckCache,
    form: &CheckForm,
    lang: Lang,
) -> Result<CheckOutcome, AppError> {
    let mut problems: Vec<(&str, Msg)> = Vec::new();
    let hs: String = form.hs.chars().filter(char::is_ascii_digit).collect();
    if !(6..=10).contains(&hs.len()) || form.hs.chars().any(|c| c.is_alphabetic()) {
        problems.push(("hs", Msg::ErrorTariffCode));
    }
    let origin = form.origin.trim().to_ascii_uppercase();
    if !origin_known(cache, pool, &origin).await? {
        problems.push(("origin", Msg::ErrorOrigin));
    }
    let incoterm = Incoterm::parse(&form.incoterm);
    if incoterm.is_none() {
        problems.push(("incoterm", Msg::ErrorIncoterm));
    }
    let date = NaiveDate::from_str(form.date.trim()).ok();
    if date.is_none() {
        problems.push(("date", Msg::ErrorDateFormat));
    }
    let quantity = form.quantity();
    if quantity.is_none() {
        problems.push(("quantity", Msg::ErrorQuantity));
    }
    let unit = form.unit.trim().to_string();
    let factor = unit_factor(cache, pool, &unit).await?;
    if factor.is_none() {
        problems.push(("unit", Msg::ErrorUnit));
    }
    let currency = form.currency.trim().to_ascii_uppercase();
    if !currency_known(cache, pool, settings, &currency).await? {
        problems.push(("currency", Msg::ErrorCurrency));
    }
    let mut amounts = [Decimal::ZERO; 10];
    for (i, name) in AMOUNT_FIELDS.iter().enumerate() {
        match Amount::parse(form.get(name)) {
            Ok(amount) if *name == "price" && amount.value().is_zero() => {
                problems.push((*name, Msg::ErrorPrice));
            }
            Ok(amount) => amounts[i] = amount.value(),
            Err(_) if *name == "price" => problems.push((*name, Msg::ErrorPrice)),
            Err(_) => problems.push((*name, Msg::ErrorAmountField)),
        }
    }
    let (Some(incoterm), Some(date), Some(quantity), Some(factor), true) =
        (incoterm, date, quantity, factor, problems.is_empty())
    else {
        return Err(field_errors(lang, problems));
    };
    let [
        price,
        pre_carriage,
        freight,
        insurance,
        commissions,
        packing,
        assists,
        royalties,
        proceeds,
        post_import,
    ] = amounts;
    let invoice = Invoice {
        incoterm,
        currency: currency.clone(),
        price,
        pre_carriage,
        freight,
        insurance,
        additions: Additions {
            selling_commissions: commissions,
            packing,
            assists,
            royalties,
            proceeds,
        },
        post_import_costs: post_import,
        quantity,
        unit: unit.clone(),
        unit_factor: factor,
        date,
    };
    // The bands in force for the code (its own level or a shorter one) and origin, in any unit:
    // the declared quantity converts to the band's unit, and a band in another dimension (litres
    // against kilograms) is refused rather than compared.
    let candidates = cache.bands(pool, &hs, &origin, date).await?;
    let same_dimension = |b: &&PublishedBand| {
        crate::domain::records::band_unit_dimension(&b.unit) == Some(factor.dimension)
    };
    let band = candidates
        .iter()
        .filter(same_dimension)
        .max_by_key(|b| b.tariff_code.len())
        .cloned();
    if band.is_none() && !candidates.is_empty() {
        return Err(field_errors(
            lang,
            vec![("unit", Msg::ErrorIncompatibleUnit)],
        ));
    }
    let (band_unit, band_factor) = factor.dimension.band_unit();
    let band_unit_factor = UnitFactor {
        dimension: factor.dimension,
        factor: band_factor,
    };
    let rates = cache.rates(pool, settings, &currency, date).await?;
    let valuation = engine::value(
        &invoice,
        settings.basis,
        &rates,
        band_unit_factor,
        band_unit,
    )
    .map_err(|e| {
        let (field, msg) = match e {
            EngineError::NoRate { .. } => ("currency", Msg::ErrorNoRate),
            EngineError::IncompatibleUnit { .. } => ("unit", Msg::ErrorIncompatibleUnit),
            EngineError::NotPositive => ("post_import", Msg::ErrorNotPositive),
            EngineError::NoQuantity => ("quantity", Msg::ErrorQuantity),
        };
        field_errors(lang, vec![(field, msg)])
    })?;
    let figures = band.as_ref().map(|b| BandFigures {
        unit: b.unit.clone(),
        p10: b.p10,
        p25: b.p25,
        median: b.median,
        p75: b.p75,
        p90: b.p90,
    });
    let position = engine::position(valuation.unit_value, figures.as_ref());
    let evidence = evidence_for(
        position.level,
        &form.reasons(),
        form.related == "yes",
        !royalties.is_zero(),
    );
    Ok(CheckOutcome {
        valuation,
        position,
        band,
        evidence,
        currency,
        base_currency: settings.base_currency.clone(),
        quantity,
        unit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_run_in_force_is_the_latest_in_force_by_the_date() {
        let runs = [
            (3, day("2026-07-01")),
            (2, day("2026-01-01")),
            (1, day("2025-01-01")),
        ];
        assert_eq!(run_in_force(&runs, day("2026-12-08")), Some(3));
        assert_eq!(run_in_force(&runs, day("2026-06-30")), Some(2));
        assert_eq!(run_in_force(&runs, day("2025-01-01")), Some(1));
        assert_eq!(run_in_force(&runs, day("2024-12-31")), None);
    }
}
