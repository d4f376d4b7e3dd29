//! Historical customs declaration lines, the raw material of bands, checked line by line.
//!
//! File columns: `declared_on,tariff_code,origin,incoterm,quantity,unit,customs_value,currency`.
//! The customs value is the accepted value on the deployment's basis, in `currency`. Each record
//! is converted once, at import: the value to the base currency at the official rate for its date
//! (rounded to cents, half away from zero), the quantity to the band unit of its dimension, and
//! the unit value = base value ÷ band quantity, rounded to [`UNIT_VALUE_SCALE`] places half away
//! from zero. Tariff codes are checked for shape only: historical declarations may carry codes of
//! an earlier HS edition, and their bands remain useful.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::exchange::{RateError, RateTable};
use super::incoterm::Incoterm;
use super::reference::{parse_date, parse_positive};
use super::units::{Dimension, UnitFactor};

pub const HEADER: [&str; 8] = [
    "declared_on",
    "tariff_code",
    "origin",
    "incoterm",
    "quantity",
    "unit",
    "customs_value",
    "currency",
];

/// Decimal places kept in unit values.
pub const UNIT_VALUE_SCALE: u32 = 8;

/// A value in the invoice currency converted at `units_per_base`, rounded to cents: the one
/// conversion records and checks share.
pub fn value_in_base(value: Decimal, units_per_base: Decimal) -> Decimal {
    super::valuation::round_money(value / units_per_base, 2)
}

/// Base value per band unit, rounded to [`UNIT_VALUE_SCALE`] places half away from zero.
pub fn unit_value(value_base: Decimal, band_quantity: Decimal) -> Decimal {
    super::valuation::round_money(value_base / band_quantity, UNIT_VALUE_SCALE).normalize()
}
/// Quantities and values above this are typing mistakes, and would overflow decimal arithmetic.
const MAX_INPUT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0); // 1e15

/// What a record is checked against: loaded from the reference tables before an import.
#[derive(Clone, Debug, Default)]
pub struct RecordReference {
    /// Alpha-2 and alpha-3 codes, both to the alpha-2 code records are stored with.
    pub countries: HashMap<String, String>,
    /// Units that can key a band.
    pub units: HashMap<String, UnitFactor>,
    /// Codes of all known units, usable or not, for a precise message.
    pub known_units: HashSet<String>,
    pub currencies: HashSet<String>,
    pub rates: RateTable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationRecord {
    pub declared_on: NaiveDate,
    pub tariff_code: String,
    /// ISO 3166 alpha-2.
    pub origin: String,
    pub incoterm: Incoterm,
    pub quantity: Decimal,
    pub unit: String,
    pub customs_value: Decimal,
    pub currency: String,
    pub value_base: Decimal,
    pub band_unit: &'static str,
    pub unit_value: Decimal,
}

/// Parses and converts one record (fields trimmed, in [`HEADER`] order).
pub fn parse_record(
    fields: [&str; 8],
    reference: &RecordReference,
) -> Result<DeclarationRecord, String> {
    let [
        date,
        code,
        origin,
        incoterm,
        quantity,
        unit,
        value,
        currency,
    ] = fields;
    let declared_on = parse_date(date)?;
    let tariff_code: String = code.chars().filter(|c| *c != '.').collect();
    if !tariff_code.bytes().all(|b| b.is_ascii_digit()) || ![6, 8, 10].contains(&tariff_code.len())
    {
        return Err(format!(
            "the tariff code {code:?} must have 6, 8 or 10 digits"
        ));
    }
    let origin = reference
        .countries
        .get(&origin.to_ascii_uppercase())
        .ok_or_else(|| format!("the origin {origin:?} is not a known country code"))?
        .clone();
    let incoterm = Incoterm::parse(incoterm)
        .ok_or_else(|| format!("{incoterm:?} is not an Incoterms 2020 rule"))?;
    let quantity = parse_positive(quantity, "the quantity")?;
    let customs_value = parse_positive(value, "the customs value")?;
    if quantity > MAX_INPUT || customs_value > MAX_INPUT {
        return Err("the quantity or value is implausibly large (over 10^15)".into());
    }
    let factor = *reference.units.get(unit).ok_or_else(|| {
        if reference.known_units.contains(unit) {
            format!("the unit {unit} cannot be converted to a band unit")
        } else {
            format!("the unit {unit:?} is not a UN/ECE unit code")
        }
    })?;
    if !reference.currencies.contains(currency) {
        return Err(format!("the currency {currency:?} is unknown"));
    }
    let rate = reference.rates.rate_on(currency, declared_on).map_err(
        |RateError::NoRate { currency, date }| {
            format!("there is no official {currency} rate for {date}")
        },
    )?;
    let value_base = value_in_base(customs_value, rate.units_per_base);
    let (band_unit, band_quantity) = band_quantity(quantity, factor);
    let unit_value = unit_value(value_base, band_quantity);
    if unit_value <= Decimal::ZERO {
        return Err("the unit value rounds to zero: check the quantity and its unit".into());
    }
    Ok(DeclarationRecord {
        declared_on,
        tariff_code,
        origin,
        incoterm,
        quantity,
        unit: unit.to_string(),
        customs_value,
        currency: currency.to_string(),
        value_base,
        band_unit,
        unit_value,
    })
}

/// The quantity expressed in its dimension's band unit.
pub fn band_quantity(quantity: Decimal, factor: UnitFactor) -> (&'static str, Decimal) {
    let (band_unit, band_factor) = factor.dimension.band_unit();
    let band = UnitFactor {
        dimension: factor.dimension,
        factor: band_factor,
    };
    let converted = super::units::convert(quantity, factor, band).unwrap_or(quantity);
    (band_unit, converted)
}

/// The dimension of a band unit code, if it is one.
pub fn band_unit_dimension(code: &str) -> Option<Dimension> {
    Dimension::ALL.into_iter().find(|d| d.band_unit().0 == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> RecordReference {
        let mut r = RecordReference::default();
        for (code, alpha2) in [("PE", "PE"), ("CN", "CN"), ("CHN", "CN")] {
            r.countries.insert(code.into(), alpha2.into());
        }
        let kg = UnitFactor {
            dimension: Dimension::Mass,
            factor: Decimal::ONE,
        };
        let tonne = UnitFactor {
            dimension: Dimension::Mass,
            factor: Decimal::from(1000),
        };
        r.units.insert("KGM".into(), kg);
        r.units.insert("TNE".into(), tonne);
        r.known_units
            .extend(["KGM".into(), "TNE".into(), "SEC".into()]);
        r.currencies.extend(["USD".into(), "PEN".into()]);
        r.rates = RateTable::new("USD", 7);
        r.rates
            .insert("PEN", "2026-03-02".parse().unwrap(), Decimal::new(3750, 3));
        r
    }

    fn parse(line: &str) -> Result<DeclarationRecord, String> {
        let fields: Vec<&str> = line.split(',').collect();
        parse_record(fields.try_into().unwrap(), &reference())
    }

    #[test]
    fn converts_currency_and_unit_into_a_unit_value() {
        let record = parse("2026-03-03,0703.20.00.00,CHN,cif,2,TNE,7500,PEN").unwrap();
        assert_eq!(record.tariff_code, "0703200000");
        assert_eq!(record.origin, "CN");
        assert_eq!(record.incoterm, Incoterm::Cif);
        assert_eq!(record.value_base, Decimal::from(2000));
        assert_eq!(record.band_unit, "KGM");
        assert_eq!(record.unit_value, Decimal::ONE);
        let thirds = parse("2026-03-03,070320,PE,FOB,3,KGM,1,USD").unwrap();
        assert_eq!(thirds.unit_value, "0.33333333".parse().unwrap());
        let half_up = parse("2026-03-03,070320,PE,FOB,8,KGM,0.01,USD").unwrap();
        assert_eq!(half_up.unit_value, "0.00125".parse().unwrap());
    }

    #[test]
    fn refuses_each_kind_of_bad_field_with_a_reason() {
        let cases = [
            ("2026-02-30,070320,PE,CIF,1,KGM,1,USD", "date"),
            ("2026-03-03,07032A,PE,CIF,1,KGM,1,USD", "tariff code"),
            ("2026-03-03,0703,PE,CIF,1,KGM,1,USD", "tariff code"),
            ("2026-03-03,070320,XX,CIF,1,KGM,1,USD", "origin"),
            ("2026-03-03,070320,PE,DAT,1,KGM,1,USD", "Incoterms"),
            ("2026-03-03,070320,PE,CIF,0,KGM,1,USD", "more than zero"),
            ("2026-03-03,070320,PE,CIF,-4,KGM,1,USD", "more than zero"),
            ("2026-03-03,070320,PE,CIF,1e3,KGM,1,USD", "not a number"),
            (
                "2026-03-03,070320,PE,CIF,1,SEC,1,USD",
                "cannot be converted",
            ),
            ("2026-03-03,070320,PE,CIF,1,XYZ,1,USD", "not a UN/ECE"),
            ("2026-03-03,070320,PE,CIF,1,KGM,1,EUR", "currency"),
            (
                "2026-03-01,070320,PE,CIF,1,KGM,1,PEN",
                "no official PEN rate",
            ),
            (
                "2026-03-03,070320,PE,CIF,100000000,KGM,0.01,USD",
                "rounds to zero",
            ),
        ];
        for (line, expected) in cases {
            let error = parse(line).expect_err(line);
            assert!(error.contains(expected), "{line}: {error}");
        }
    }
}
