//! Units of quantity (UN/ECE Recommendation 20 codes) and conversion between them.
//!
//! Bands compare like with like: a quantity converts only within its dimension (mass to mass,
//! count to count...). Each dimension has one band unit, the unit bands are published in.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    Mass,
    Count,
    Pairs,
    Volume,
    Area,
    Length,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Mass,
        Dimension::Count,
        Dimension::Pairs,
        Dimension::Volume,
        Dimension::Area,
        Dimension::Length,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Mass => "mass",
            Dimension::Count => "count",
            Dimension::Pairs => "pairs",
            Dimension::Volume => "volume",
            Dimension::Area => "area",
            Dimension::Length => "length",
        }
    }

    pub fn parse(code: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The unit bands of this dimension are published in, and its factor to the dimension's
    /// base (kg, one, pair, m³, m², m).
    pub fn band_unit(self) -> (&'static str, Decimal) {
        match self {
            Dimension::Mass => ("KGM", Decimal::ONE),
            Dimension::Count => ("NIU", Decimal::ONE),
            Dimension::Pairs => ("PR", Decimal::ONE),
            Dimension::Volume => ("LTR", Decimal::new(1, 3)),
            Dimension::Area => ("MTK", Decimal::ONE),
            Dimension::Length => ("MTR", Decimal::ONE),
        }
    }
}

/// How one unit relates to its dimension's base: `quantity × factor` is in the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFactor {
    pub dimension: Dimension,
    pub factor: Decimal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitError {
    /// The two units measure different things (kilograms and litres, say).
    Incompatible { from: Dimension, to: Dimension },
}

/// Converts `quantity` from one unit to another of the same dimension.
pub fn convert(quantity: Decimal, from: UnitFactor, to: UnitFactor) -> Result<Decimal, UnitError> {
    if from.dimension != to.dimension {
        return Err(UnitError::Incompatible {
            from: from.dimension,
            to: to.dimension,
        });
    }
    if from.factor == to.factor {
        return Ok(quantity);
    }
    Ok(quantity * from.factor / to.factor)
}

/// Codes whose UN/ECE conversion factor does not say what customs needs: units counted one by
/// one (the file leaves "number of international units" and "piece" blank) and pairs (the file
/// gives "2", units per pair, but footwear and gloves are compared per pair, not per unit).
fn special_factor(code: &str) -> Option<UnitFactor> {
    let (dimension, factor) = match code {
        "NIU" | "H87" | "C62" => (Dimension::Count, Decimal::ONE),
        "PR" | "NPR" => (Dimension::Pairs, Decimal::ONE),
        _ => return None,
    };
    Some(UnitFactor { dimension, factor })
}

/// Reads the UN/ECE "ConversionFactor" column: `kg`, `10⁻³ m³`, `0,453 592 37 kg`,
/// `4,546 09 x 10⁻³ m³`, a plain count such as `12`. Factors to other quantities (seconds,
/// watts, per-something rates) are `None`: such units cannot key a band.
pub fn parse_conversion_factor(code: &str, text: &str) -> Option<UnitFactor> {
    if let Some(special) = special_factor(code) {
        return Some(special);
    }
    let text = text.replace(['\u{a0}', '\u{202f}'], " ").replace('×', "x");
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let bases = [
        ("m³", Dimension::Volume, Decimal::ONE),
        ("m²", Dimension::Area, Decimal::ONE),
        ("kg", Dimension::Mass, Decimal::ONE),
        ("g", Dimension::Mass, Decimal::new(1, 3)),
        ("m", Dimension::Length, Decimal::ONE),
    ];
    let (number, dimension, base_factor) = match bases
        .iter()
        .find(|(symbol, _, _)| text == *symbol || text.ends_with(&format!(" {symbol}")))
    {
        Some((symbol, dimension, factor)) => (
            text[..text.len() - symbol.len()].trim(),
            *dimension,
            *factor,
        ),
        None => (text, Dimension::Count, Decimal::ONE),
    };
    let value = parse_scaled_number(number)?;
    if value <= Decimal::ZERO {
        return None;
    }
    // A bare number is a count (a dozen is 12, a thousand 10³) only when it is a whole number
    // of ones; ratios such as percent (10⁻²) are not quantities of goods.
    if dimension == Dimension::Count && (value < Decimal::ONE || !value.fract().is_zero()) {
        return None;
    }
    Some(UnitFactor {
        dimension,
        factor: (value * base_factor).normalize(),
    })
}

/// `""` (1), `12`, `0,453 592 37`, `10⁻³`, `4,546 09 x 10⁻³`.
fn parse_scaled_number(text: &str) -> Option<Decimal> {
    if text.is_empty() {
        return Some(Decimal::ONE);
    }
    let (mantissa, power) = match text.split_once(" x ") {
        Some((mantissa, power)) => (mantissa.trim(), Some(power.trim())),
        None if text.starts_with("10") && text.chars().any(is_superscript) => ("1", Some(text)),
        None => (text, None),
    };
    let digits: String = mantissa
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let mut value = Decimal::from_str(&digits).ok()?;
    if let Some(power) = power {
        let exponent = power.strip_prefix("10")?;
        let exponent: String = exponent
            .chars()
            .map(from_superscript)
            .collect::<Option<_>>()?;
        let exponent: i32 = exponent.parse().ok()?;
        if !(-12..=12).contains(&exponent) {
            return None;
        }
        let ten = Decimal::TEN;
        for _ in 0..exponent.unsigned_abs() {
            value = if exponent > 0 {
                value * ten
            } else {
                value / ten
            };
        }
    }
    Some(value)
}

fn is_superscript(c: char) -> bool {
    from_superscript(c).is_some()
}

fn from_superscript(c: char) -> Option<char> {
    Some(match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴' => '4',
        '⁵' => '5',
        '⁶' => '6',
        '⁷' => '7',
        '⁸' => '8',
        '⁹' => '9',
        '⁻' => '-',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn factor(code: &str, text: &str) -> Option<(Dimension, Decimal)> {
        parse_conversion_factor(code, text).map(|f| (f.dimension, f.factor))
    }

    #[test]
    fn reads_the_un_ece_conversion_factors() {
        assert_eq!(factor("KGM", "kg"), Some((Dimension::Mass, d("1"))));
        assert_eq!(factor("TNE", "10³ kg"), Some((Dimension::Mass, d("1000"))));
        assert_eq!(
            factor("GRM", "10⁻³ kg"),
            Some((Dimension::Mass, d("0.001")))
        );
        assert_eq!(factor("DTN", "10² kg"), Some((Dimension::Mass, d("100"))));
        assert_eq!(
            factor("LBR", "0,453 592 37 kg"),
            Some((Dimension::Mass, d("0.45359237")))
        );
        assert_eq!(
            factor("LTR", "10⁻³ m³"),
            Some((Dimension::Volume, d("0.001")))
        );
        assert_eq!(
            factor("GLI", "4,546 09 x 10⁻³ m³"),
            Some((Dimension::Volume, d("0.00454609")))
        );
        assert_eq!(factor("MTK", "m²"), Some((Dimension::Area, d("1"))));
        assert_eq!(factor("KTM", "10³ m"), Some((Dimension::Length, d("1000"))));
        assert_eq!(factor("DZN", "12"), Some((Dimension::Count, d("12"))));
        assert_eq!(factor("MIL", "10³"), Some((Dimension::Count, d("1000"))));
        assert_eq!(factor("NIU", ""), Some((Dimension::Count, d("1"))));
        assert_eq!(factor("PR", "2"), Some((Dimension::Pairs, d("1"))));
    }

    #[test]
    fn other_quantities_cannot_key_a_band() {
        assert_eq!(factor("SEC", "s"), None);
        assert_eq!(factor("WTT", "W"), None);
        assert_eq!(factor("P1", "10⁻²"), None);
        assert_eq!(factor("X", "10³ kg/m³"), None);
        assert_eq!(factor("SET", ""), None);
    }

    #[test]
    fn converts_within_a_dimension_and_refuses_across() {
        let tonne = parse_conversion_factor("TNE", "10³ kg").unwrap();
        let kilo = parse_conversion_factor("KGM", "kg").unwrap();
        let litre = parse_conversion_factor("LTR", "10⁻³ m³").unwrap();
        let dozen = parse_conversion_factor("DZN", "12").unwrap();
        let unit = parse_conversion_factor("NIU", "").unwrap();
        assert_eq!(convert(d("2.5"), tonne, kilo), Ok(d("2500")));
        assert_eq!(convert(d("3"), dozen, unit), Ok(d("36")));
        assert_eq!(
            convert(d("1"), kilo, litre),
            Err(UnitError::Incompatible {
                from: Dimension::Mass,
                to: Dimension::Volume
            })
        );
    }
}
