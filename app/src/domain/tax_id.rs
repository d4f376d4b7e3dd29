//! Taxpayer identifiers of organisations. The scheme is a deployment setting; Peru's RUC is the
//! first one: 11 digits whose last is a check digit over the first ten with weights
//! 5,4,3,2,7,6,5,4,3,2, r = 11 - (sum mod 11), where 10 becomes 0 and 11 becomes 1.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaxIdScheme {
    /// Registro Único de Contribuyentes (Peru).
    Ruc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxIdError {
    /// Not the right number of digits, or not only digits.
    Format,
    /// The check digit does not match.
    CheckDigit,
}

/// A validated taxpayer identifier, kept in its canonical form (digits only).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxId {
    scheme: TaxIdScheme,
    value: String,
}

impl TaxId {
    /// Parses what a user typed; spaces, dots and dashes between digits are ignored.
    pub fn parse(scheme: TaxIdScheme, input: &str) -> Result<TaxId, TaxIdError> {
        let value: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        match scheme {
            TaxIdScheme::Ruc => {
                let digits: Vec<u32> = value
                    .chars()
                    .map(|c| c.to_digit(10))
                    .collect::<Option<_>>()
                    .ok_or(TaxIdError::Format)?;
                if digits.len() != 11 {
                    return Err(TaxIdError::Format);
                }
                if ruc_check_digit(&digits[..10]) != digits[10] {
                    return Err(TaxIdError::CheckDigit);
                }
            }
        }
        Ok(TaxId { scheme, value })
    }

    pub fn scheme(&self) -> TaxIdScheme {
        self.scheme
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

fn ruc_check_digit(first_ten: &[u32]) -> u32 {
    const WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = first_ten.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 1,
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_published_examples() {
        for ruc in ["20131312955", "20100047218", "2013-1312 955"] {
            assert!(TaxId::parse(TaxIdScheme::Ruc, ruc).is_ok(), "{ruc}");
        }
        assert_eq!(
            TaxId::parse(TaxIdScheme::Ruc, "20131312955")
                .unwrap()
                .as_str(),
            "20131312955"
        );
    }

    #[test]
    fn refuses_wrong_check_digits_and_formats() {
        assert_eq!(
            TaxId::parse(TaxIdScheme::Ruc, "20131312956"),
            Err(TaxIdError::CheckDigit)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::Ruc, "2013131295"),
            Err(TaxIdError::Format)
        );
        assert_eq!(
            TaxId::parse(TaxIdScheme::Ruc, "2013131295A"),
            Err(TaxIdError::Format)
        );
        assert_eq!(TaxId::parse(TaxIdScheme::Ruc, ""), Err(TaxIdError::Format));
    }

    #[test]
    fn remainders_ten_and_eleven_map_to_zero_and_one() {
        // Every 10-digit prefix gives exactly one valid check digit, which is a single digit.
        for prefix in [
            [1u32, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [2, 0, 6, 0, 0, 0, 0, 0, 0, 0],
            [0; 10],
        ] {
            let d = ruc_check_digit(&prefix);
            assert!(d <= 9);
            let ruc: String = prefix
                .iter()
                .chain(std::iter::once(&d))
                .map(|d| char::from_digit(*d, 10).unwrap())
                .collect();
            assert!(TaxId::parse(TaxIdScheme::Ruc, &ruc).is_ok());
        }
        // sum mod 11 == 1 gives r = 10 -> 0; sum mod 11 == 0 gives r = 11 -> 1.
        assert_eq!(ruc_check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 1);
        assert_eq!(ruc_check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 6]), 0);
    }
}
