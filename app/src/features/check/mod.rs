//! The value self-check: a planned invoice line in, a verdict out. Anyone may run it (no
//! sign-in, nothing saved). The form is a plain GET form, so the result is a page of its own
//! that works without JavaScript; the server parses the answers once into the engine's types.

#[cfg(feature = "ssr")]
pub mod repo;

pub mod pages;

use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::engine::{Level, Position, Valuation};
use crate::domain::evidence::{Evidence, Reason};
use crate::error::AppError;
use crate::features::bands::PublishedBand;

/// The form's answers as typed, one field per input (all text, parsed on the server).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckForm {
    pub hs: String,
    pub origin: String,
    pub incoterm: String,
    pub date: String,
    pub quantity: String,
    pub unit: String,
    pub currency: String,
    pub price: String,
    pub pre_carriage: String,
    pub freight: String,
    pub insurance: String,
    pub commissions: String,
    pub packing: String,
    pub assists: String,
    pub royalties: String,
    pub proceeds: String,
    pub post_import: String,
    pub related: String,
    /// Reason codes, comma-separated (checkboxes arrive as repeated `reason` parameters).
    pub reasons: String,
}

/// The amount fields: `price` to `post_import` in [`FIELD_NAMES`].
pub const AMOUNT_FIELDS: &[&str] = FIELD_NAMES.split_at(7).1.split_at(10).0;

impl CheckForm {
    pub fn get(&self, name: &str) -> &str {
        match name {
            "hs" => &self.hs,
            "origin" => &self.origin,
            "incoterm" => &self.incoterm,
            "date" => &self.date,
            "quantity" => &self.quantity,
            "unit" => &self.unit,
            "currency" => &self.currency,
            "price" => &self.price,
            "pre_carriage" => &self.pre_carriage,
            "freight" => &self.freight,
            "insurance" => &self.insurance,
            "commissions" => &self.commissions,
            "packing" => &self.packing,
            "assists" => &self.assists,
            "royalties" => &self.royalties,
            "proceeds" => &self.proceeds,
            "post_import" => &self.post_import,
            "related" => &self.related,
            _ => "",
        }
    }

    pub fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "hs" => &mut self.hs,
            "origin" => &mut self.origin,
            "incoterm" => &mut self.incoterm,
            "date" => &mut self.date,
            "quantity" => &mut self.quantity,
            "unit" => &mut self.unit,
            "currency" => &mut self.currency,
            "price" => &mut self.price,
            "pre_carriage" => &mut self.pre_carriage,
            "freight" => &mut self.freight,
            "insurance" => &mut self.insurance,
            "commissions" => &mut self.commissions,
            "packing" => &mut self.packing,
            "assists" => &mut self.assists,
            "royalties" => &mut self.royalties,
            "proceeds" => &mut self.proceeds,
            "post_import" => &mut self.post_import,
            "related" => &mut self.related,
            _ => return,
        };
        *slot = value;
    }

    /// The quantity, if it is one: positive, at most 6 decimals, below 10^12 (comma or point).
    pub fn quantity(&self) -> Option<Decimal> {
        use std::str::FromStr;
        Decimal::from_str(&self.quantity.trim().replace(',', "."))
            .ok()
            .filter(|q| {
                *q > Decimal::ZERO && q.scale() <= 6 && *q < Decimal::from(1_000_000_000_000i64)
            })
    }

    pub fn reasons(&self) -> Vec<Reason> {
        self.reasons.split(',').filter_map(Reason::parse).collect()
    }

    /// Whether nothing was answered but perhaps the tariff code: a first visit, or a link from
    /// a tariff line's page, shows the form (the code filled in) without errors.
    pub fn is_empty(&self) -> bool {
        CheckForm {
            hs: String::new(),
            ..self.clone()
        } == CheckForm::default()
    }

    /// The answers as the check page's address query (reasons as repeated `reason`), so a
    /// saved assessment reopens as a new check with the same answers.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = FIELD_NAMES
            .iter()
            .map(|name| (*name, self.get(name)))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        pairs.extend(
            self.reasons
                .split(',')
                .filter(|r| !r.is_empty())
                .map(|r| ("reason", r)),
        );
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// Every single-valued field, in the form's order.
pub const FIELD_NAMES: [&str; 18] = [
    "hs",
    "origin",
    "incoterm",
    "date",
    "quantity",
    "unit",
    "currency",
    "price",
    "pre_carriage",
    "freight",
    "insurance",
    "commissions",
    "packing",
    "assists",
    "royalties",
    "proceeds",
    "post_import",
    "related",
];

/// What the selects offer, in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOptions {
    /// (alpha-2, Spanish name, English name).
    pub countries: Vec<(String, String, String)>,
    /// (code, Spanish name, English name).
    pub currencies: Vec<(String, String, String)>,
    /// (UN/ECE code, name) of the units goods are counted in.
    pub units: Vec<(String, String)>,
    pub today: NaiveDate,
    pub base_currency: String,
    pub basis: crate::domain::engine::Basis,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub valuation: Valuation,
    pub position: Position,
    pub band: Option<PublishedBand>,
    pub evidence: Vec<Evidence>,
    pub currency: String,
    pub base_currency: String,
    pub quantity: Decimal,
    pub unit: String,
}

#[server(prefix = "/api", endpoint = "check-options", input = server_fn::codec::GetUrl)]
pub async fn load_check_options() -> Result<CheckOptions, AppError> {
    let pool = crate::features::accounts::service::pool()?;
    let settings = crate::features::accounts::service::settings()?;
    let mut options = repo::options(&pool).await?;
    options.today = chrono::Utc::now().date_naive();
    options.base_currency = settings.bands.base_currency;
    options.basis = settings.bands.basis;
    Ok(options)
}

/// Runs the check. Public (open data): no caller check, nothing stored.
#[server(prefix = "/api", endpoint = "run-check", input = server_fn::codec::GetUrl)]
pub async fn run_check(form: CheckForm) -> Result<CheckOutcome, AppError> {
    let lang = crate::request::lang();
    let pool = crate::features::accounts::service::pool()?;
    let settings = crate::features::accounts::service::settings()?;
    repo::run(&pool, &settings.bands, &form, lang).await
}

/// The verdict sentence for a level: the same words on the page and in the API.
pub fn verdict_msg(level: Level) -> crate::i18n::Msg {
    use crate::i18n::Msg;
    match level {
        Level::WellBelow => Msg::VerdictWellBelow,
        Level::Below => Msg::VerdictBelow,
        Level::Usual => Msg::VerdictUsual,
        Level::Above => Msg::VerdictAbove,
        Level::WellAbove => Msg::VerdictWellAbove,
        Level::NoBand => Msg::VerdictNoBand,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amount_fields_are_price_to_deductions() {
        assert_eq!(AMOUNT_FIELDS.first(), Some(&"price"));
        assert_eq!(AMOUNT_FIELDS.last(), Some(&"post_import"));
        assert_eq!(AMOUNT_FIELDS.len(), 10);
    }

    #[test]
    fn answers_round_trip_through_the_page_address() {
        let form = CheckForm {
            hs: "0703.20".into(),
            origin: "CN".into(),
            price: "1 000,50".into(),
            related: "yes".into(),
            reasons: "discount,quantity".into(),
            ..CheckForm::default()
        };
        let query = form.to_query();
        assert_eq!(
            query,
            "hs=0703.20&origin=CN&price=1+000%2C50&related=yes&reason=discount&reason=quantity"
        );
        let mut back = CheckForm::default();
        let mut reasons = Vec::new();
        for (name, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(&query).unwrap() {
            if name == "reason" {
                reasons.push(value);
            } else {
                back.set(&name, value);
            }
        }
        back.reasons = reasons.join(",");
        assert_eq!(back, form);
    }
}
