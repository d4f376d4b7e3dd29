//! The valuation engine: from a planned invoice line to a customs value, a unit value and its
//! position in the band in force. Pure and decimal; the browser runs it as the user types and the
//! server runs it again for the result it shows, saves or answers through the API.
//!
//! Rules (WTO Valuation Agreement; the whole set in the [`crate::domain`] docs):
//! - The invoice price is adjusted by the incoterm to the deployment's basis. CIF basis: EXW adds
//!   pre-carriage, freight and insurance; FCA and FAS add pre-carriage (when not in the price),
//!   freight and insurance; FOB adds freight and insurance; CFR and CPT add insurance; CIF and CIP
//!   add nothing. FOB basis: freight and insurance to the place of importation are taken out
//!   instead (CFR/CPT take out freight; CIF/CIP and D-terms take out both); pre-carriage is added
//!   for EXW, FCA and FAS.
//! - Art. 8.1 additions (selling commissions, packing, assists, royalties and licence fees,
//!   proceeds to the seller) are added whatever the incoterm.
//! - Costs after importation shown separately (inland carriage, unloading at destination,
//!   assembly, duties and taxes for DDP) are deducted.
//! - All amounts are in the invoice currency; their total converts to the base currency by
//!   dividing by the official rate for the date. Rounding: once, at the end, half away from zero,
//!   to the base currency's minor units (2); the unit value to 8 places like the band records.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::exchange::{Rate, RateError, RateTable};
use super::incoterm::Incoterm;
use super::records::{unit_value, value_in_base};
use super::units::{Dimension, UnitError, UnitFactor, convert};

/// Which costs up to the place of importation are part of the customs value (Art. 8.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basis {
    #[default]
    Cif,
    Fob,
}

impl Basis {
    /// The basis as traders write it, the same in every language.
    pub fn code(self) -> &'static str {
        match self {
            Basis::Cif => "CIF",
            Basis::Fob => "FOB",
        }
    }
}

/// The Art. 8.1 additions borne by the buyer and not already in the price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Additions {
    pub selling_commissions: Decimal,
    pub packing: Decimal,
    pub assists: Decimal,
    pub royalties: Decimal,
    pub proceeds: Decimal,
}

/// One planned invoice line, every amount in `currency` and not negative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub incoterm: Incoterm,
    pub currency: String,
    pub price: Decimal,
    /// Loading and carriage to the place of export (EXW, FCA, FAS).
    pub pre_carriage: Decimal,
    /// International freight to the place of importation.
    pub freight: Decimal,
    pub insurance: Decimal,
    pub additions: Additions,
    /// Costs after importation included in the price and shown separately.
    pub post_import_costs: Decimal,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_factor: UnitFactor,
    /// The planned filing date: the rate and the band of that date apply.
    pub date: NaiveDate,
}

/// One row of the calculation a trader can follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Item {
    Price,
    PreCarriage,
    Freight,
    Insurance,
    SellingCommissions,
    Packing,
    Assists,
    Royalties,
    Proceeds,
    PostImportCosts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub item: Item,
    /// Added (+) or taken out (-) of the value, in the invoice currency.
    pub amount: Decimal,
}

/// A band as the engine needs it (unit values in the base currency per band unit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandFigures {
    pub unit: String,
    pub p10: Decimal,
    pub p25: Decimal,
    pub median: Decimal,
    pub p75: Decimal,
    pub p90: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    WellBelow,
    Below,
    Usual,
    Above,
    WellAbove,
    NoBand,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::WellBelow,
        Level::Below,
        Level::Usual,
        Level::Above,
        Level::WellAbove,
        Level::NoBand,
    ];

    /// The code used in addresses, files and the database (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Level::WellBelow => "well_below",
            Level::Below => "below",
            Level::Usual => "usual",
            Level::Above => "above",
            Level::WellAbove => "well_above",
            Level::NoBand => "no_band",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Valuation {
    pub lines: Vec<Line>,
    /// The value in the invoice currency, before conversion.
    pub total_invoice_currency: Decimal,
    pub rate: Rate,
    pub customs_value: Decimal,
    pub band_quantity: Decimal,
    pub band_unit: String,
    pub unit_value: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub level: Level,
    /// Estimated percentile (0-100) within the band; `None` without a band.
    pub percentile: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EngineError {
    /// No official rate for the currency on the date (or recent enough).
    NoRate { currency: String, date: NaiveDate },
    /// The quantity's unit measures something else than the band's.
    IncompatibleUnit { from: Dimension, to: Dimension },
    /// Deductions leave nothing: the value must be more than zero.
    NotPositive,
    /// The quantity must be more than zero.
    NoQuantity,
}

/// The calculation rows for `invoice` on `basis`, in the invoice currency.
pub fn lines(invoice: &Invoice, basis: Basis) -> Vec<Line> {
    use Incoterm::*;
    let add = |item, amount: Decimal| Line { item, amount };
    let sub = |item, amount: Decimal| Line {
        item,
        amount: -amount,
    };
    let mut rows = vec![add(Item::Price, invoice.price)];
    let pre_carriage = matches!(invoice.incoterm, Exw | Fca | Fas);
    if pre_carriage {
        rows.push(add(Item::PreCarriage, invoice.pre_carriage));
    }
    match basis {
        Basis::Cif => match invoice.incoterm {
            Exw | Fca | Fas | Fob => {
                rows.push(add(Item::Freight, invoice.freight));
                rows.push(add(Item::Insurance, invoice.insurance));
            }
            Cfr | Cpt => rows.push(add(Item::Insurance, invoice.insurance)),
            Cif | Cip | Dap | Dpu | Ddp => {}
        },
        Basis::Fob => match invoice.incoterm {
            Exw | Fca | Fas | Fob => {}
            Cfr | Cpt => rows.push(sub(Item::Freight, invoice.freight)),
            Cif | Cip | Dap | Dpu | Ddp => {
                rows.push(sub(Item::Freight, invoice.freight));
                rows.push(sub(Item::Insurance, invoice.insurance));
            }
        },
    }
    let a = invoice.additions;
    for (item, amount) in [
        (Item::SellingCommissions, a.selling_commissions),
        (Item::Packing, a.packing),
        (Item::Assists, a.assists),
        (Item::Royalties, a.royalties),
        (Item::Proceeds, a.proceeds),
    ] {
        rows.push(add(item, amount));
    }
    rows.push(sub(Item::PostImportCosts, invoice.post_import_costs));
    rows.retain(|row| row.item == Item::Price || !row.amount.is_zero());
    rows
}

/// The customs value in the base currency and the unit value per band unit.
pub fn value(
    invoice: &Invoice,
    basis: Basis,
    rates: &RateTable,
    band_unit: UnitFactor,
    band_unit_code: &'static str,
) -> Result<Valuation, EngineError> {
    if invoice.quantity <= Decimal::ZERO {
        return Err(EngineError::NoQuantity);
    }
    let rows = lines(invoice, basis);
    let total: Decimal = rows.iter().map(|row| row.amount).sum();
    if total <= Decimal::ZERO {
        return Err(EngineError::NotPositive);
    }
    let rate = rates
        .rate_on(&invoice.currency, invoice.date)
        .map_err(|RateError::NoRate { currency, date }| EngineError::NoRate { currency, date })?;
    let customs_value = value_in_base(total, rate.units_per_base);
    let band_quantity = convert(invoice.quantity, invoice.unit_factor, band_unit).map_err(
        |UnitError::Incompatible { from, to }| EngineError::IncompatibleUnit { from, to },
    )?;
    let unit_value = unit_value(customs_value, band_quantity);
    Ok(Valuation {
        lines: rows,
        total_invoice_currency: total,
        rate,
        customs_value,
        band_quantity: band_quantity.normalize(),
        band_unit: band_unit_code.to_string(),
        unit_value,
    })
}

/// Where `unit_value` sits in `band`: the level, and a percentile estimated by straight lines
/// between the published percentiles (from 0 at a value of 0 up to P10, and beyond P90 towards
/// 100 at twice P90), so a higher value never gets a lower percentile.
pub fn position(unit_value: Decimal, band: Option<&BandFigures>) -> Position {
    let Some(b) = band else {
        return Position {
            level: Level::NoBand,
            percentile: None,
        };
    };
    let level = if unit_value < b.p10 {
        Level::WellBelow
    } else if unit_value < b.p25 {
        Level::Below
    } else if unit_value <= b.p75 {
        Level::Usual
    } else if unit_value <= b.p90 {
        Level::Above
    } else {
        Level::WellAbove
    };
    let anchors = [
        (Decimal::ZERO, Decimal::ZERO),
        (b.p10, Decimal::from(10)),
        (b.p25, Decimal::from(25)),
        (b.median, Decimal::from(50)),
        (b.p75, Decimal::from(75)),
        (b.p90, Decimal::from(90)),
        (b.p90 * Decimal::TWO, Decimal::ONE_HUNDRED),
    ];
    let v = unit_value.max(Decimal::ZERO);
    let mut percentile = Decimal::ONE_HUNDRED;
    for pair in anchors.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if v <= x1 {
            percentile = if x1 > x0 {
                y0 + (y1 - y0) * (v - x0) / (x1 - x0)
            } else {
                y1
            };
            break;
        }
    }
    Position {
        level,
        percentile: Some(
            percentile.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn level_codes_match_their_serde_names() {
        for level in Level::ALL {
            let json = serde_json_name(level);
            assert_eq!(json, level.code());
            assert_eq!(Level::parse(level.code()), Some(level));
        }
        assert_eq!(Level::parse("minimum"), None);
    }

    fn serde_json_name(level: Level) -> String {
        // serde's name of the variant, through the csv writer (a dependency in every build).
        let mut out = Vec::new();
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut out);
        writer.serialize([level]).unwrap();
        drop(writer);
        String::from_utf8(out).unwrap().trim().to_string()
    }

    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn kg() -> UnitFactor {
        UnitFactor {
            dimension: Dimension::Mass,
            factor: Decimal::ONE,
        }
    }

    fn invoice(incoterm: Incoterm) -> Invoice {
        Invoice {
            incoterm,
            currency: "USD".into(),
            price: d("1000"),
            pre_carriage: d("30"),
            freight: d("100"),
            insurance: d("10"),
            additions: Additions::default(),
            post_import_costs: Decimal::ZERO,
            quantity: d("100"),
            unit: "KGM".into(),
            unit_factor: kg(),
            date: "2026-03-10".parse().unwrap(),
        }
    }

    fn rates() -> RateTable {
        let mut table = RateTable::new("USD", 7);
        table.insert("PEN", "2026-03-09".parse().unwrap(), d("3.750"));
        table
    }

    fn value_of(invoice: &Invoice, basis: Basis) -> Result<Valuation, EngineError> {
        value(invoice, basis, &rates(), kg(), "KGM")
    }

    #[test]
    fn the_uk_duty_calculator_case_goods_shipping_insurance_is_30() {
        let mut i = invoice(Incoterm::Fob);
        (i.price, i.freight, i.insurance) = (d("10"), d("10"), d("10"));
        assert_eq!(value_of(&i, Basis::Cif).unwrap().customs_value, d("30"));
    }

    #[test]
    fn every_incoterm_on_both_bases() {
        use Incoterm::*;
        // price 1000, pre-carriage 30, freight 100, insurance 10.
        let expected = [
            (Exw, "1140", "1030"),
            (Fca, "1140", "1030"),
            (Fas, "1140", "1030"),
            (Fob, "1110", "1000"),
            (Cfr, "1010", "900"),
            (Cpt, "1010", "900"),
            (Cif, "1000", "890"),
            (Cip, "1000", "890"),
            (Dap, "1000", "890"),
            (Dpu, "1000", "890"),
            (Ddp, "1000", "890"),
        ];
        for (incoterm, cif, fob) in expected {
            let i = invoice(incoterm);
            assert_eq!(
                value_of(&i, Basis::Cif).unwrap().customs_value,
                d(cif),
                "{incoterm:?} CIF"
            );
            assert_eq!(
                value_of(&i, Basis::Fob).unwrap().customs_value,
                d(fob),
                "{incoterm:?} FOB"
            );
        }
    }

    #[test]
    fn each_article_8_item_is_added_and_post_import_costs_deducted() {
        let base = value_of(&invoice(Incoterm::Cif), Basis::Cif)
            .unwrap()
            .customs_value;
        type SetAddition = fn(&mut Additions);
        let cases: [(SetAddition, Item); 5] = [
            (
                |a| a.selling_commissions = Decimal::from(7),
                Item::SellingCommissions,
            ),
            (|a| a.packing = Decimal::from(7), Item::Packing),
            (|a| a.assists = Decimal::from(7), Item::Assists),
            (|a| a.royalties = Decimal::from(7), Item::Royalties),
            (|a| a.proceeds = Decimal::from(7), Item::Proceeds),
        ];
        for (set, item) in cases {
            let mut i = invoice(Incoterm::Cif);
            set(&mut i.additions);
            let v = value_of(&i, Basis::Cif).unwrap();
            assert_eq!(v.customs_value, base + Decimal::from(7), "{item:?}");
            assert!(
                v.lines
                    .iter()
                    .any(|l| l.item == item && l.amount == Decimal::from(7))
            );
        }
        let mut ddp = invoice(Incoterm::Ddp);
        ddp.post_import_costs = d("150");
        let v = value_of(&ddp, Basis::Cif).unwrap();
        assert_eq!(v.customs_value, d("850"));
        assert!(v.lines.contains(&Line {
            item: Item::PostImportCosts,
            amount: d("-150")
        }));
    }

    #[test]
    fn converts_currency_at_the_rate_for_the_date_and_names_it() {
        let mut i = invoice(Incoterm::Cif);
        i.currency = "PEN".into();
        i.price = d("3750");
        let v = value_of(&i, Basis::Cif).unwrap();
        assert_eq!(v.customs_value, d("1000"));
        assert_eq!(v.rate.date, "2026-03-09".parse::<NaiveDate>().unwrap());
        assert_eq!(v.rate.units_per_base, d("3.750"));
        i.currency = "EUR".into();
        assert_eq!(
            value_of(&i, Basis::Cif),
            Err(EngineError::NoRate {
                currency: "EUR".into(),
                date: "2026-03-10".parse().unwrap()
            })
        );
    }

    #[test]
    fn rounds_once_half_away_from_zero_to_cents() {
        let mut i = invoice(Incoterm::Cif);
        i.currency = "PEN".into();
        i.price = d("1.0125"); // 1.0125 / 3.75 = 0.27 exactly
        assert_eq!(value_of(&i, Basis::Cif).unwrap().customs_value, d("0.27"));
        i.price = d("0.01875"); // 0.005 exactly: half goes away from zero
        assert_eq!(value_of(&i, Basis::Cif).unwrap().customs_value, d("0.01"));
    }

    #[test]
    fn converts_the_quantity_to_the_band_unit_or_refuses() {
        let mut i = invoice(Incoterm::Cif);
        i.quantity = d("2");
        i.unit = "TNE".into();
        i.unit_factor = UnitFactor {
            dimension: Dimension::Mass,
            factor: d("1000"),
        };
        let v = value_of(&i, Basis::Cif).unwrap();
        assert_eq!((v.band_quantity, v.unit_value), (d("2000"), d("0.5")));
        i.unit_factor = UnitFactor {
            dimension: Dimension::Volume,
            factor: d("0.001"),
        };
        assert_eq!(
            value_of(&i, Basis::Cif),
            Err(EngineError::IncompatibleUnit {
                from: Dimension::Volume,
                to: Dimension::Mass
            })
        );
    }

    #[test]
    fn deductions_cannot_leave_nothing() {
        let mut i = invoice(Incoterm::Ddp);
        i.post_import_costs = d("1000");
        assert_eq!(value_of(&i, Basis::Cif), Err(EngineError::NotPositive));
        i.post_import_costs = Decimal::ZERO;
        i.quantity = Decimal::ZERO;
        assert_eq!(value_of(&i, Basis::Cif), Err(EngineError::NoQuantity));
    }

    fn band() -> BandFigures {
        BandFigures {
            unit: "KGM".into(),
            p10: d("4"),
            p25: d("6"),
            median: d("8"),
            p75: d("10"),
            p90: d("14"),
        }
    }

    #[test]
    fn levels_and_percentiles_in_the_band() {
        let b = band();
        let at = |v: &str| position(d(v), Some(&b));
        assert_eq!(
            at("2"),
            Position {
                level: Level::WellBelow,
                percentile: Some(d("5"))
            }
        );
        assert_eq!(at("4").level, Level::Below);
        assert_eq!(
            at("6"),
            Position {
                level: Level::Usual,
                percentile: Some(d("25"))
            }
        );
        assert_eq!(at("9").percentile, Some(d("63")));
        assert_eq!(at("10").level, Level::Usual);
        assert_eq!(at("14").level, Level::Above);
        assert_eq!(
            at("20"),
            Position {
                level: Level::WellAbove,
                percentile: Some(d("94"))
            }
        );
        assert_eq!(at("99").percentile, Some(Decimal::ONE_HUNDRED));
        assert_eq!(
            position(d("5"), None),
            Position {
                level: Level::NoBand,
                percentile: None
            }
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn amount() -> impl Strategy<Value = Decimal> {
            (0i64..10_000_000_000, 0u32..=4).prop_map(|(n, scale)| Decimal::new(n, scale))
        }

        proptest! {
            #[test]
            fn no_input_panics(
                price in amount(), freight in amount(), insurance in amount(),
                extra in amount(), deduction in amount(), quantity in amount(),
                incoterm in 0usize..11, fob in any::<bool>(), pen in any::<bool>(),
            ) {
                let mut i = invoice(Incoterm::ALL[incoterm]);
                (i.price, i.freight, i.insurance) = (price, freight, insurance);
                i.additions.royalties = extra;
                i.post_import_costs = deduction;
                i.quantity = quantity;
                if pen { i.currency = "PEN".into(); }
                let basis = if fob { Basis::Fob } else { Basis::Cif };
                if let Ok(v) = value_of(&i, basis) {
                    prop_assert!(v.customs_value >= Decimal::ZERO);
                    let p = position(v.unit_value, Some(&band())).percentile.unwrap();
                    prop_assert!(p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED);
                }
            }

            #[test]
            fn a_higher_price_never_gives_a_lower_percentile(
                price in 1i64..100_000_000, more in 0i64..100_000_000, quantity in 1i64..100_000,
            ) {
                let mut i = invoice(Incoterm::Cif);
                i.quantity = Decimal::from(quantity);
                i.price = Decimal::new(price, 2);
                let low = value_of(&i, Basis::Cif).unwrap();
                i.price = Decimal::new(price + more, 2);
                let high = value_of(&i, Basis::Cif).unwrap();
                let b = band();
                prop_assert!(position(high.unit_value, Some(&b)).percentile >= position(low.unit_value, Some(&b)).percentile);
            }
        }
    }
}
