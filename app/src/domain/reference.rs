//! The reference data files the valuation administrator imports, parsed and checked line by
//! line: countries (ISO 3166), currencies (ISO 4217), units of quantity (UN/ECE Recommendation
//! 20), official exchange rates, and tariff descriptions in Spanish and English (which also adds
//! the national 8- and 10-digit lines).

use std::collections::HashSet;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::csv_rows::{Parsed, field, parse_all};
use super::units::{UnitFactor, parse_conversion_factor};

fn upper_letters(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_uppercase())
}

fn once(seen: &mut HashSet<String>, key: &str) -> Result<(), String> {
    if seen.insert(key.to_string()) {
        Ok(())
    } else {
        Err(format!("{key} appears twice"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    pub name_en: String,
    pub name_es: String,
    /// Legal tenders, the main one first; may be empty (Antarctica).
    pub currencies: Vec<String>,
}

pub const COUNTRY_HEADER: [&str; 6] = [
    "alpha2", "alpha3", "numeric", "name_en", "name_es", "currency",
];

pub fn parse_countries(input: &[u8]) -> Parsed<Country> {
    let mut seen = HashSet::new();
    parse_all(input, &COUNTRY_HEADER, |r| {
        let country = Country {
            alpha2: field(r, 0).to_string(),
            alpha3: field(r, 1).to_string(),
            numeric: field(r, 2).to_string(),
            name_en: field(r, 3).to_string(),
            name_es: field(r, 4).to_string(),
            currencies: field(r, 5)
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        };
        if !upper_letters(&country.alpha2, 2) {
            return Err(format!(
                "the code {:?} is not two capital letters",
                country.alpha2
            ));
        }
        if !upper_letters(&country.alpha3, 3) {
            return Err(format!(
                "the code {:?} is not three capital letters",
                country.alpha3
            ));
        }
        if country.numeric.is_empty()
            || country.numeric.len() > 3
            || !country.numeric.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format!(
                "the numeric code {:?} is not 1 to 3 digits",
                country.numeric
            ));
        }
        if country.name_en.is_empty() || country.name_es.is_empty() {
            return Err("the English and Spanish names are both needed".into());
        }
        if let Some(bad) = country
            .currencies
            .iter()
            .find(|c| iso_currency::Currency::from_code(c).is_none())
        {
            return Err(format!("{bad:?} is not an ISO 4217 currency"));
        }
        once(&mut seen, &country.alpha2)?;
        once(&mut seen, &country.alpha3)?;
        Ok(country)
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Currency {
    pub code: String,
    pub numeric: String,
    pub minor_units: i16,
    pub name_en: String,
    pub name_es: String,
}

pub const CURRENCY_HEADER: [&str; 5] = ["code", "numeric", "minor_units", "name_en", "name_es"];

/// Codes are checked against the ISO 4217 list of the `iso_currency` crate, numeric code and
/// minor units included, so a typing mistake cannot create a currency.
pub fn parse_currencies(input: &[u8]) -> Parsed<Currency> {
    let mut seen = HashSet::new();
    parse_all(input, &CURRENCY_HEADER, |r| {
        let code = field(r, 0).to_string();
        let Some(iso) = iso_currency::Currency::from_code(&code) else {
            return Err(format!("{code:?} is not an ISO 4217 currency"));
        };
        let numeric = field(r, 1).to_string();
        if numeric.parse::<u16>().ok() != Some(iso.numeric()) {
            return Err(format!(
                "the numeric code of {code} is {:03}, not {numeric:?}",
                iso.numeric()
            ));
        }
        let minor_units: i16 = match (field(r, 2).parse::<u16>(), iso.exponent()) {
            (Ok(given), Some(expected)) if given == expected => given as i16,
            (_, Some(expected)) => {
                return Err(format!(
                    "{code} has {expected} minor units, not {:?}",
                    field(r, 2)
                ));
            }
            (_, None) => return Err(format!("{code} is not a currency of payment")),
        };
        let (name_en, name_es) = (field(r, 3).to_string(), field(r, 4).to_string());
        if name_en.is_empty() || name_es.is_empty() {
            return Err("the English and Spanish names are both needed".into());
        }
        once(&mut seen, &code)?;
        Ok(Currency {
            code,
            numeric: format!("{:03}", iso.numeric()),
            minor_units,
            name_en,
            name_es,
        })
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub symbol: Option<String>,
    /// `None` for units that measure something other than goods (time, energy...).
    pub factor: Option<UnitFactor>,
    pub deprecated: bool,
}

pub const UNIT_HEADER: [&str; 7] = [
    "Status",
    "CommonCode",
    "Name",
    "Description",
    "LevelAndCategory",
    "Symbol",
    "ConversionFactor",
];

/// The UN/ECE Recommendation 20 file. Status `X` and `D` mark deleted and deprecated codes;
/// they are kept (old declarations use them) and flagged.
pub fn parse_units(input: &[u8]) -> Parsed<Unit> {
    let mut seen = HashSet::new();
    parse_all(input, &UNIT_HEADER, |r| {
        let code = field(r, 1).to_string();
        if code.is_empty()
            || code.len() > 3
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(format!(
                "the code {code:?} is not 1 to 3 capital letters or digits"
            ));
        }
        let name = field(r, 2).to_string();
        if name.is_empty() {
            return Err(format!("the unit {code} has no name"));
        }
        let status = field(r, 0);
        once(&mut seen, &code)?;
        Ok(Unit {
            factor: parse_conversion_factor(&code, field(r, 6)),
            symbol: Some(field(r, 5).to_string()).filter(|s| !s.is_empty()),
            deprecated: matches!(status, "X" | "D"),
            code,
            name,
        })
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeRate {
    pub date: NaiveDate,
    pub currency: String,
    pub units_per_base: Decimal,
}

pub const RATE_HEADER: [&str; 3] = ["date", "currency", "units_per_base"];

/// Rates as units of `currency` per one unit of the base currency, dated `YYYY-MM-DD`.
/// `known_currency` says whether a code is in the currency table.
pub fn parse_rates(
    input: &[u8],
    base: &str,
    known_currency: impl Fn(&str) -> bool,
) -> Parsed<ExchangeRate> {
    let mut seen = HashSet::new();
    parse_all(input, &RATE_HEADER, |r| {
        let date = parse_date(field(r, 0))?;
        let currency = field(r, 1).to_string();
        if currency == base {
            return Err(format!("{base} is the base currency: its rate is always 1"));
        }
        if !known_currency(&currency) {
            return Err(format!("the currency {currency:?} is unknown"));
        }
        let units_per_base = parse_positive(field(r, 2), "the rate")?;
        once(&mut seen, &format!("{currency} on {date}"))?;
        Ok(ExchangeRate {
            date,
            currency,
            units_per_base,
        })
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TariffText {
    pub line: u64,
    pub code: String,
    pub description_es: String,
    pub description_en: String,
}

pub const TARIFF_TEXT_HEADER: [&str; 3] = ["code", "description_es", "description_en"];

/// Spanish and English descriptions by code: 2, 4 and 6 digits describe existing HS lines, 8
/// and 10 digits are national subdivisions (added under their HS subheading).
pub fn parse_tariff_texts(input: &[u8]) -> Parsed<TariffText> {
    let mut seen = HashSet::new();
    let mut line = 0;
    let mut parsed = parse_all(input, &TARIFF_TEXT_HEADER, |r| {
        line = r.position().map_or(0, |p| p.line());
        let code: String = field(r, 0).chars().filter(|c| *c != '.').collect();
        if !code.bytes().all(|b| b.is_ascii_digit()) || ![2, 4, 6, 8, 10].contains(&code.len()) {
            return Err(format!(
                "the code {:?} must have 2, 4, 6, 8 or 10 digits",
                field(r, 0)
            ));
        }
        let (es, en) = (field(r, 1).to_string(), field(r, 2).to_string());
        if es.is_empty() || en.is_empty() {
            return Err(format!(
                "{code} needs both the Spanish and the English description"
            ));
        }
        once(&mut seen, &code)?;
        Ok(TariffText {
            line,
            code,
            description_es: es,
            description_en: en,
        })
    });
    parsed
        .rows
        .sort_by(|a, b| (a.code.len(), &a.code).cmp(&(b.code.len(), &b.code)));
    parsed
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("the date {text:?} is not a real date written YYYY-MM-DD"))
}

/// A positive decimal written with a point (no thousands separators, no exponent).
pub fn parse_positive(text: &str, what: &str) -> Result<Decimal, String> {
    let plain = text.strip_prefix('-').unwrap_or(text);
    let value = Some(plain)
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .and_then(|_| Decimal::from_str(text).ok())
        .ok_or_else(|| format!("{what} {text:?} is not a number written like 1234.56"))?;
    if value <= Decimal::ZERO {
        return Err(format!("{what} must be more than zero, not {text}"));
    }
    Ok(value.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::units::Dimension;

    #[test]
    fn countries_check_codes_names_and_currency() {
        let input = "alpha2,alpha3,numeric,name_en,name_es,currency\n\
            PE,PER,604,Peru,Perú,PEN\n\
            AQ,ATA,10,Antarctica,Antártida,\n\
            IN,IND,356,India,India,\"INR,BTN\"\n\
            pe,PER,604,Peru,Perú,PEN\n\
            CL,CHL,152,Chile,,CLP\n\
            XX,XXX,999,Nowhere,Ninguna,ZZZ\n\
            PE,PRU,604,Peru,Perú,PEN\n";
        let parsed = parse_countries(input.as_bytes());
        assert_eq!(parsed.rows.len(), 3);
        assert_eq!(parsed.rows[1].currencies, Vec::<String>::new());
        assert_eq!(parsed.rows[2].currencies, vec!["INR", "BTN"]);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![5, 6, 7, 8], "{:?}", parsed.errors);
    }

    #[test]
    fn currencies_must_be_iso_4217_with_the_right_numbers() {
        let input = "code,numeric,minor_units,name_en,name_es\n\
            PEN,604,2,Sol,Sol\n\
            JPY,392,0,Yen,Yen\n\
            PEX,604,2,Fake,Falsa\n\
            CLP,152,2,Chilean peso,Peso chileno\n\
            EUR,840,2,Euro,Euro\n";
        let parsed = parse_currencies(input.as_bytes());
        assert_eq!(parsed.rows.len(), 2);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5, 6], "{:?}", parsed.errors);
    }

    #[test]
    fn units_keep_their_dimension_and_factor() {
        let input = "Status,CommonCode,Name,Description,LevelAndCategory,Symbol,ConversionFactor\n\
            ,KGM,kilogram,,1,kg,kg\n\
            ,TNE,tonne (metric ton),Synonym: metric ton,1S,t,10³ kg\n\
            X,PA,packet,,3.3,,\n\
            ,SEC,second [unit of time],,1,s,s\n\
            ,kgm,lower,,1,,\n";
        let parsed = parse_units(input.as_bytes());
        assert_eq!(parsed.rows.len(), 4);
        assert_eq!(
            parsed.rows[1].factor.map(|f| (f.dimension, f.factor)),
            Some((Dimension::Mass, Decimal::from(1000)))
        );
        assert!(parsed.rows[2].deprecated);
        assert_eq!(parsed.rows[3].factor, None);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 6);
    }

    #[test]
    fn rates_need_a_known_currency_a_real_date_and_a_positive_rate() {
        let input = "date,currency,units_per_base\n\
            2026-03-06,PEN,3.712\n\
            2026-02-30,PEN,3.7\n\
            2026-03-06,XYZ,1\n\
            2026-03-07,PEN,0\n\
            2026-03-07,PEN,-3.7\n\
            2026-03-07,USD,1\n\
            2026-03-06,PEN,3.8\n";
        let parsed = parse_rates(input.as_bytes(), "USD", |c| c == "PEN");
        assert_eq!(parsed.rows.len(), 1);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8], "{:?}", parsed.errors);
    }

    #[test]
    fn tariff_texts_accept_dotted_codes_and_sort_parents_first() {
        let input = "code,description_es,description_en\n\
            0703.20.00.00,Ajos frescos,Garlic; fresh\n\
            070320,\"Ajos, frescos o refrigerados\",\"Garlic; fresh or chilled\"\n\
            07032,Mal,Bad\n\
            0704,,Cabbages\n";
        let parsed = parse_tariff_texts(input.as_bytes());
        let codes: Vec<&str> = parsed.rows.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes, vec!["070320", "0703200000"]);
        assert_eq!(parsed.rows[0].line, 3);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5]);
    }
}
