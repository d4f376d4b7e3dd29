//! Customs value on a CIF basis (WTO Valuation Agreement, Art. 8.2): the price of goods sold on
//! FOB terms plus international freight and insurance to the place of importation.
//!
//! Rounding rule, used everywhere a value is shown or stored: round half away from zero to the
//! currency's minor unit (2 decimals for USD), once, on the final figure only.

use super::amount::Amount;
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CifInputs {
    pub fob_price: Amount,
    pub freight: Amount,
    pub insurance: Amount,
}

/// Rounds a money figure with the one documented rule.
pub fn round_money(value: Decimal, minor_units: u32) -> Decimal {
    value.round_dp_with_strategy(minor_units, RoundingStrategy::MidpointAwayFromZero)
}

/// Sums the CIF value. Each input is at most 1e18, so the sum cannot overflow a `Decimal`.
pub fn cif_value(inputs: CifInputs) -> Decimal {
    let sum = inputs.fob_price.value() + inputs.freight.value() + inputs.insurance.value();
    round_money(sum, 2)
}

/// Formats a money figure with exactly two decimals, the way the result is shown.
pub fn format_money(value: Decimal) -> String {
    format!("{:.2}", round_money(value, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn uk_duty_calculator_case_goods_shipping_insurance() {
        let inputs = CifInputs {
            fob_price: amount("10"),
            freight: amount("10"),
            insurance: amount("10"),
        };
        assert_eq!(format_money(cif_value(inputs)), "30.00");
    }

    #[test]
    fn decimals_add_exactly() {
        let inputs = CifInputs {
            fob_price: amount("0.10"),
            freight: amount("0.20"),
            insurance: amount("0"),
        };
        assert_eq!(cif_value(inputs), Decimal::new(30, 2));
    }

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
    fn largest_inputs_do_not_overflow() {
        let max = amount("1000000000000000000");
        let inputs = CifInputs {
            fob_price: max,
            freight: max,
            insurance: max,
        };
        assert_eq!(format_money(cif_value(inputs)), "3000000000000000000.00");
    }
}
