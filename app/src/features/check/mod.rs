//! The value self-check: a planned invoice line in, a verdict out. Anyone may run it (no
//! sign-in, nothing saved). The form is a plain GET form, so the result is a page of its own
//! that works without JavaScript; the server parses the answers once into the engine's types.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::engine::{Position, Valuation};
use crate::domain::evidence::{Evidence, Reason};
use crate::error::AppError;
use crate::features::bands::PublishedBand;
use crate::i18n::Msg;

/// How the answer to a field is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Text the server parses: a code, a date, a quantity.
    Text = 0,
    /// A money amount in the invoice currency.
    Amount = 1,
    /// `yes` or `no`.
    YesNo = 2,
}

/// One field of a check line, as the form, the batch file's columns, the API and the results
/// export all name it: how it is read, whether a batch file must have its column, its question.
#[derive(Clone, Copy, Debug)]
pub struct CheckField {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub label: Msg,
}

/// Declares the check line's fields once: the [`CheckForm`] struct, the [`FIELDS`] list and the
/// by-name access the form, the batch reader and the API use. (A macro because the struct's
/// fields and the list's names must never drift apart.)
macro_rules! check_fields {
    ($($name:ident: $kind:ident, $required:literal, $label:ident;)*) => {
        /// The form's answers as typed, one field per input (all text, parsed on the server).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct CheckForm {
            $(pub $name: String,)*
            /// Reason codes, comma-separated (checkboxes arrive as repeated `reason` parameters).
            pub reasons: String,
        }

        /// Every single-valued field, in the form's order.
        pub const FIELDS: &[CheckField] = &[$(CheckField {
            name: stringify!($name),
            kind: FieldKind::$kind,
            required: $required,
            label: Msg::$label,
        },)*];

        impl CheckForm {
            /// The answer to the field called `name` (empty for an unknown name).
            pub fn get(&self, name: &str) -> &str {
                $(if name == stringify!($name) {
                    return &self.$name;
                })*
                ""
            }

            /// Sets the answer to the field called `name`; an unknown name changes nothing.
            pub fn set(&mut self, name: &str, value: String) {
                $(if name == stringify!($name) {
                    self.$name = value;
                    return;
                })*
            }
        }
    };
}

check_fields! {
    hs: Text, true, CheckTariffLabel;
    origin: Text, true, CheckOriginLabel;
    incoterm: Text, true, CheckIncotermLabel;
    date: Text, true, CheckDateLabel;
    quantity: Text, true, CheckQuantityLabel;
    unit: Text, true, CheckUnitLabel;
    currency: Text, true, CheckCurrencyLabel;
    price: Amount, true, CheckPriceLabel;
    pre_carriage: Amount, false, CheckPreCarriageLabel;
    freight: Amount, false, CheckFreightLabel;
    insurance: Amount, false, CheckInsuranceLabel;
    commissions: Amount, false, CheckCommissionsLabel;
    packing: Amount, false, CheckPackingLabel;
    assists: Amount, false, CheckAssistsLabel;
    royalties: Amount, false, CheckRoyaltiesLabel;
    proceeds: Amount, false, CheckProceedsLabel;
    post_import: Amount, false, CheckDeductionsLabel;
    related: YesNo, false, CheckRelatedLegend;
}

/// How many fields match: `kind` (any when `None`) and `required` (any when `None`).
const fn count_fields(kind: Option<FieldKind>, required: Option<bool>) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < FIELDS.len() {
        if field_matches(&FIELDS[i], kind, required) {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn field_matches(f: &CheckField, kind: Option<FieldKind>, required: Option<bool>) -> bool {
    let kind_ok = match kind {
        Some(k) => f.kind as u8 == k as u8,
        None => true,
    };
    let required_ok = match required {
        Some(r) => f.required == r,
        None => true,
    };
    kind_ok && required_ok
}

/// The names of the matching fields, in the form's order (`N` from [`count_fields`]).
const fn field_names<const N: usize>(
    kind: Option<FieldKind>,
    required: Option<bool>,
) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        if field_matches(&FIELDS[i], kind, required) {
            out[n] = FIELDS[i].name;
            n += 1;
        }
        i += 1;
    }
    out
}

/// Every single-valued field's name, in the form's order.
pub const FIELD_NAMES: [&str; FIELDS.len()] = field_names(None, None);

/// The amount fields, `price` to `post_import`.
pub const AMOUNT_FIELDS: [&str; count_fields(Some(FieldKind::Amount), None)] =
    field_names(Some(FieldKind::Amount), None);

/// The columns a batch file must have.
pub const REQUIRED_FIELDS: [&str; count_fields(None, Some(true))] = field_names(None, Some(true));

/// The columns a batch file may have besides the required ones (and `reasons`).
pub const OPTIONAL_FIELDS: [&str; count_fields(None, Some(false))] = field_names(None, Some(false));

/// The field called `name`.
pub fn field(name: &str) -> Option<&'static CheckField> {
    FIELDS.iter().find(|f| f.name == name)
}

impl CheckForm {
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
    let pool = crate::server::context::pool()?;
    let settings = crate::server::context::settings()?;
    let mut options = CheckOptions::clone(&*service::shared_cache()?.options(&pool).await?);
    options.today = chrono::Utc::now().date_naive();
    options.base_currency = settings.bands.base_currency;
    options.basis = settings.bands.basis;
    Ok(options)
}

/// The deployment's valuation basis and base currency: settings only, no database, so a page
/// that needs just these (the home page's estimate) renders without a query.
#[server(prefix = "/api", endpoint = "valuation-basis", input = server_fn::codec::GetUrl)]
pub async fn valuation_basis() -> Result<(crate::domain::engine::Basis, String), AppError> {
    let settings = crate::server::context::settings()?;
    Ok((settings.bands.basis, settings.bands.base_currency))
}

/// Runs the check. Public (open data): no caller check, nothing stored.
#[server(prefix = "/api", endpoint = "run-check", input = server_fn::codec::GetUrl)]
pub async fn run_check(form: CheckForm) -> Result<CheckOutcome, AppError> {
    let lang = crate::request::lang();
    let pool = crate::server::context::pool()?;
    let settings = crate::server::context::settings()?;
    service::run(
        &pool,
        &settings.bands,
        &service::shared_cache()?,
        &form,
        lang,
    )
    .await
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
