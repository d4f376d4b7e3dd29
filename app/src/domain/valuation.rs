//! Money figures: the one rounding rule and how values are shown (the value itself is the
//! engine's, [`super::engine`]).
//!
//! Rounding rule, used everywhere a value is shown or stored: round half away from zero to the
//! currency's minor unit (2 decimals for USD), once, on the final figure only.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds a money figure with the one documented rule.
pub fn round_money(value: Decimal, minor_units: u32) -> Decimal {
    value.round_dp_with_strategy(minor_units, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats a money figure with exactly two decimals, the way the result is shown.
pub fn format_money(value: Decimal) -> String {
    format!("{:.2}", round_money(value, 2))
}

/// Formats a unit value for reading: two decimals from 1 up, four significant digits below.
pub fn display_value(value: Decimal) -> String {
    if value.abs() >= Decimal::ONE {
        return format!("{:.2}", crate::domain::valuation::round_money(value, 2));
    }
    let mut places = 4;
    let mut probe = value.abs();
    while probe < Decimal::ONE && !probe.is_zero() && places < 12 {
        probe *= Decimal::TEN;
        places += 1;
    }
    crate::domain::valuation::round_money(value, places - 1)
        .normalize()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(
            round_money(Decimal::new(12345, 3), 2),
            Decimal::new(1235, 2)
        );
        assert_eq!(
            round_money(Decimal::new(12355, 3), 2),
            Decimal::new(1236, 2)
        );
        assert_eq!(
            round_money(Decimal::new(12344, 3), 2),
            Decimal::new(1234, 2)
        );
    }

    #[test]
    fn values_read_easily_at_any_size() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(display_value(d("1234.5678")), "1234.57");
        assert_eq!(display_value(d("2.005")), "2.01");
        assert_eq!(display_value(d("0.123456")), "0.1235");
        assert_eq!(display_value(d("0.000123456")), "0.0001235");
    }
}
