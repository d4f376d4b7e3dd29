//! Official exchange rates by date. A rate says how many units of a currency one unit of the base
//! currency buys (SUNAT's convention: soles per US dollar), so an amount converts to the base by
//! division. A date without a rate takes the latest published before it, at most `max_age_days`
//! old (rates are not published on weekends and holidays); older than that there is no rate,
//! and no rate is an error, never a guess.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rate {
    /// The date the rate was published for.
    pub date: NaiveDate,
    pub units_per_base: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RateError {
    NoRate { currency: String, date: NaiveDate },
}

#[derive(Clone, Debug, Default)]
pub struct RateTable {
    base: String,
    max_age_days: i64,
    rates: HashMap<String, BTreeMap<NaiveDate, Decimal>>,
}

impl RateTable {
    pub fn new(base: &str, max_age_days: i64) -> Self {
        RateTable {
            base: base.to_string(),
            max_age_days,
            rates: HashMap::new(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn insert(&mut self, currency: &str, date: NaiveDate, units_per_base: Decimal) {
        self.rates
            .entry(currency.to_string())
            .or_default()
            .insert(date, units_per_base);
    }

    /// The rate in force for `currency` on `date`; the base currency is always 1.
    pub fn rate_on(&self, currency: &str, date: NaiveDate) -> Result<Rate, RateError> {
        if currency == self.base {
            return Ok(Rate {
                date,
                units_per_base: Decimal::ONE,
            });
        }
        self.rates
            .get(currency)
            .and_then(|by_date| by_date.range(..=date).next_back())
            .filter(|(published, _)| (date - **published).num_days() <= self.max_age_days)
            .map(|(published, rate)| Rate {
                date: *published,
                units_per_base: *rate,
            })
            .ok_or_else(|| RateError::NoRate {
                currency: currency.to_string(),
                date,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn takes_the_latest_rate_within_the_age_limit() {
        let mut table = RateTable::new("USD", 7);
        table.insert("PEN", day("2026-03-06"), Decimal::new(3712, 3));
        table.insert("PEN", day("2026-03-09"), Decimal::new(3705, 3));
        let saturday = table.rate_on("PEN", day("2026-03-07")).unwrap();
        assert_eq!(saturday.date, day("2026-03-06"));
        assert_eq!(saturday.units_per_base, Decimal::new(3712, 3));
        assert_eq!(
            table
                .rate_on("PEN", day("2026-03-09"))
                .unwrap()
                .units_per_base,
            Decimal::new(3705, 3)
        );
        assert!(
            table.rate_on("PEN", day("2026-03-17")).is_err(),
            "8 days old"
        );
        assert!(
            table.rate_on("PEN", day("2026-03-05")).is_err(),
            "before any rate"
        );
        assert!(table.rate_on("EUR", day("2026-03-09")).is_err());
        assert_eq!(
            table
                .rate_on("USD", day("2026-03-09"))
                .unwrap()
                .units_per_base,
            Decimal::ONE
        );
    }
}
