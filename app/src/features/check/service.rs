//! The check on the server: parse the answers into the engine's types (every problem becomes a
//! field error in the user's language), look up the unit, the rate and the band in force, run
//! the engine. The page, the batch and the API all check through [`run_with`].

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use sqlx::PgPool;

use super::{AMOUNT_FIELDS, CheckForm, CheckOutcome, repo};
use crate::domain::amount::Amount;
use crate::domain::engine::{self, Additions, BandFigures, EngineError, Invoice};
use crate::domain::evidence::evidence_for;
use crate::domain::exchange::RateTable;
use crate::domain::incoterm::Incoterm;
use crate::domain::units::UnitFactor;
use crate::error::AppError;
use crate::features::bands::{BandFilter, PublishedBand, repo as bands};
use crate::i18n::{Lang, Msg};
use crate::server::settings::BandSettings;
use crate::server::validation::field_errors;

/// What the checks of one request have looked up already: a batch of 10,000 lines repeats the
/// same origins, units, currencies, rates and bands, and asks the database once for each.
#[derive(Default)]
pub struct Lookups {
    origins: HashMap<String, bool>,
    units: HashMap<String, Option<UnitFactor>>,
    currencies: HashMap<String, bool>,
    rates: HashMap<(String, NaiveDate), RateTable>,
    bands: HashMap<(String, String, NaiveDate), Vec<PublishedBand>>,
}

/// Whether `code` has the shape of a code of `lengths` ASCII letters (digits too when
/// `digits`): anything else is not looked up at all.
fn code_shaped(code: &str, lengths: std::ops::RangeInclusive<usize>, digits: bool) -> bool {
    lengths.contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || (digits && b.is_ascii_digit()))
}

impl Lookups {
    async fn origin_known(&mut self, pool: &PgPool, origin: &str) -> Result<bool, sqlx::Error> {
        if !code_shaped(origin, 2..=2, false) {
            return Ok(false);
        }
        if let Some(known) = self.origins.get(origin) {
            return Ok(*known);
        }
        let known = repo::country_exists(pool, origin).await?;
        self.origins.insert(origin.to_string(), known);
        Ok(known)
    }

    async fn unit(&mut self, pool: &PgPool, code: &str) -> Result<Option<UnitFactor>, sqlx::Error> {
        if !code_shaped(code, 1..=3, true) {
            return Ok(None);
        }
        if let Some(factor) = self.units.get(code) {
            return Ok(*factor);
        }
        let factor = repo::unit_factor(pool, code).await?;
        self.units.insert(code.to_string(), factor);
        Ok(factor)
    }

    async fn currency_known(
        &mut self,
        pool: &PgPool,
        settings: &BandSettings,
        code: &str,
    ) -> Result<bool, sqlx::Error> {
        if !code_shaped(code, 3..=3, false) {
            return Ok(false);
        }
        if let Some(known) = self.currencies.get(code) {
            return Ok(*known);
        }
        let known = code == settings.base_currency || repo::currency_exists(pool, code).await?;
        self.currencies.insert(code.to_string(), known);
        Ok(known)
    }

    async fn rates(
        &mut self,
        pool: &PgPool,
        settings: &BandSettings,
        currency: &str,
        date: NaiveDate,
    ) -> Result<&RateTable, sqlx::Error> {
        let key = (currency.to_string(), date);
        if !self.rates.contains_key(&key) {
            let mut table = RateTable::new(&settings.base_currency, settings.rate_max_age_days);
            let since = date - Days::new(settings.rate_max_age_days.max(0) as u64);
            for (day, rate) in repo::rates(pool, currency, since, date).await? {
                table.insert(currency, day, rate);
            }
            self.rates.insert(key.clone(), table);
        }
        Ok(&self.rates[&key])
    }

    /// The bands in force on `date` for the code (its own level or a shorter one) and origin.
    async fn bands(
        &mut self,
        pool: &PgPool,
        hs: &str,
        origin: &str,
        date: NaiveDate,
    ) -> Result<&[PublishedBand], sqlx::Error> {
        let key = (hs.to_string(), origin.to_string(), date);
        if !self.bands.contains_key(&key) {
            let filter = BandFilter {
                hs: Some(hs.to_string()),
                origin: Some(origin.to_string()),
                unit: None,
            };
            let found: Vec<_> = bands::in_force(pool, &filter, date, None, 200)
                .await?
                .into_iter()
                .filter(|b| hs.starts_with(&b.tariff_code))
                .collect();
            self.bands.insert(key.clone(), found);
        }
        Ok(&self.bands[&key])
    }
}

/// One check on its own.
pub async fn run(
    pool: &PgPool,
    settings: &BandSettings,
    form: &CheckForm,
    lang: Lang,
) -> Result<CheckOutcome, AppError> {
    run_with(pool, settings, &mut Lookups::default(), form, lang).await
}

/// One check of several, sharing what was looked up.
pub async fn run_with(
    pool: &PgPool,
    settings: &BandSettings,
    lookups: &mut Lookups,
    form: &CheckForm,
    lang: Lang,
) -> Result<CheckOutcome, AppError> {
    let mut problems: Vec<(&str, Msg)> = Vec::new();
    let hs: String = form.hs.chars().filter(char::is_ascii_digit).collect();
    if !(6..=10).contains(&hs.len()) || form.hs.chars().any(|c| c.is_alphabetic()) {
        problems.push(("hs", Msg::ErrorTariffCode));
    }
    let origin = form.origin.trim().to_ascii_uppercase();
    if !lookups.origin_known(pool, &origin).await? {
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
    let factor = lookups.unit(pool, &unit).await?;
    if factor.is_none() {
        problems.push(("unit", Msg::ErrorUnit));
    }
    let currency = form.currency.trim().to_ascii_uppercase();
    if !lookups.currency_known(pool, settings, &currency).await? {
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
    let candidates = lookups.bands(pool, &hs, &origin, date).await?;
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
    let rates = lookups.rates(pool, settings, &currency, date).await?;
    let valuation = engine::value(&invoice, settings.basis, rates, band_unit_factor, band_unit)
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
