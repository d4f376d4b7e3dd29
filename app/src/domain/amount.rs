//! Money amounts typed by users, parsed once at the edge into a [`Decimal`].

use rust_decimal::Decimal;
use std::str::FromStr;

/// Largest amount accepted from a form: far above any real invoice, far below `Decimal` overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(2_808_348_672, 232_830_643, 0, false, 0); // 1e18

/// Decimal places a user may type for a currency amount (ISO 4217 minor units of USD).
pub const MAX_SCALE: u32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    Invalid,
    Negative,
    TooLarge,
    TooPrecise,
}

/// A non-negative amount with at most [`MAX_SCALE`] decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(Decimal);

impl Amount {
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    pub fn value(self) -> Decimal {
        self.0
    }

    /// Parses what a person typed: surrounding spaces are ignored, either `.` or `,` may be the
    /// decimal separator, thousands separators are not accepted (they are ambiguous between
    /// Spanish and English writing). An empty field is zero.
    pub fn parse(input: &str) -> Result<Amount, AmountError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Ok(Amount::ZERO);
        }
        if trimmed.starts_with('-') {
            return Err(AmountError::Negative);
        }
        let normalised = trimmed.replace(',', ".");
        let well_formed = normalised.chars().all(|c| c.is_ascii_digit() || c == '.')
            && normalised.matches('.').count() <= 1
            && normalised.chars().any(|c| c.is_ascii_digit());
        if !well_formed {
            return Err(AmountError::Invalid);
        }
        let integer_digits = normalised
            .split('.')
            .next()
            .unwrap_or("")
            .trim_start_matches('0')
            .len();
        if integer_digits > 19 {
            return Err(AmountError::TooLarge);
        }
        let value = Decimal::from_str(&normalised).map_err(|_| AmountError::Invalid)?;
        if value > MAX_AMOUNT {
            return Err(AmountError::TooLarge);
        }
        if value.scale() > MAX_SCALE && value.normalize().scale() > MAX_SCALE {
            return Err(AmountError::TooPrecise);
        }
        Ok(Amount(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Decimal {
        Amount::parse(s).expect(s).value()
    }

    #[test]
    fn accepts_point_or_comma_and_blank_as_zero() {
        assert_eq!(ok("1250.50"), Decimal::new(125050, 2));
        assert_eq!(ok(" 1250,5 "), Decimal::new(12505, 1));
        assert_eq!(ok(""), Decimal::ZERO);
        assert_eq!(ok("10"), Decimal::from(10));
        assert_eq!(ok(".5"), Decimal::new(5, 1));
        assert_eq!(
            ok("1.500"),
            Decimal::new(15, 1),
            "trailing zeros are not extra precision"
        );
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(Amount::parse("-1"), Err(AmountError::Negative));
        assert_eq!(Amount::parse("1,250.50"), Err(AmountError::Invalid));
        assert_eq!(Amount::parse("abc"), Err(AmountError::Invalid));
        assert_eq!(Amount::parse("."), Err(AmountError::Invalid));
        assert_eq!(Amount::parse("1e5"), Err(AmountError::Invalid));
        assert_eq!(Amount::parse("1.234"), Err(AmountError::TooPrecise));
        assert_eq!(
            Amount::parse("1000000000000000001"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(Amount::parse(&"9".repeat(40)), Err(AmountError::TooLarge));
    }

    #[test]
    fn max_amount_is_one_quintillion() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000_000_000u64));
    }
}
