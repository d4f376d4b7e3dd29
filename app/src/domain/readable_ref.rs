//! References people can read aloud over the phone: `VAL-7K3M-9QXD-2HPT`. Twelve symbols from
//! an alphabet without look-alikes (no 0/O, 1/I/L, U) give about 59 random bits, too many to
//! guess; access is checked anyway. Typed back in any case, with or without dashes and spaces.

/// 30 symbols: digits 2-9 and the letters that cannot be mistaken for them or for each other.
pub const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const SYMBOLS: usize = 12;
const PREFIX: &str = "VAL";
/// Customs cases read the same way with their own prefix: `CAS-7K3M-9QXD-2HPT`.
const CASE_PREFIX: &str = "CAS";

/// A reference from 16 random bytes. 30^12 is far below 2^128, so reducing the number symbol
/// by symbol leaves no noticeable bias.
pub fn from_random(bytes: [u8; 16]) -> String {
    format(PREFIX, &symbols(bytes))
}

/// A case reference from 16 random bytes.
pub fn case_from_random(bytes: [u8; 16]) -> String {
    format(CASE_PREFIX, &symbols(bytes))
}

fn symbols(bytes: [u8; 16]) -> String {
    let mut n = u128::from_le_bytes(bytes);
    let mut symbols = String::with_capacity(SYMBOLS);
    for _ in 0..SYMBOLS {
        symbols.push(ALPHABET[(n % 30) as usize] as char);
        n /= 30;
    }
    symbols
}

fn format(prefix: &str, symbols: &str) -> String {
    format!(
        "{prefix}-{}-{}-{}",
        &symbols[0..4],
        &symbols[4..8],
        &symbols[8..12]
    )
}

/// The canonical form of a reference as typed, or `None` if it cannot be one.
pub fn parse(input: &str) -> Option<String> {
    parse_with(PREFIX, input)
}

/// The canonical form of a case reference as typed, or `None`.
pub fn parse_case(input: &str) -> Option<String> {
    parse_with(CASE_PREFIX, input)
}

fn parse_with(prefix: &str, input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let symbols = compact.strip_prefix(prefix).unwrap_or(&compact);
    let valid = symbols.len() == SYMBOLS && symbols.bytes().all(|b| ALPHABET.contains(&b));
    valid.then(|| format(prefix, symbols))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_have_the_readable_shape() {
        let r = from_random([7; 16]);
        assert_eq!(r.len(), 18);
        assert!(r.starts_with("VAL-"));
        assert_eq!(r.matches('-').count(), 3);
        assert!(
            r.chars()
                .filter(|c| *c != '-')
                .skip(3)
                .all(|c| ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(from_random([7; 16]), from_random([8; 16]));
    }

    #[test]
    fn typed_references_are_normalised() {
        assert_eq!(
            parse(" val 7k3m-9qxd 2hpt ").as_deref(),
            Some("VAL-7K3M-9QXD-2HPT")
        );
        assert_eq!(parse("7K3M9QXD2HPT").as_deref(), Some("VAL-7K3M-9QXD-2HPT"));
        assert_eq!(parse(&from_random([200; 16])), Some(from_random([200; 16])));
    }

    #[test]
    fn look_alikes_and_wrong_lengths_are_refused() {
        assert_eq!(parse("VAL-7K3M-9QXD-2HP0"), None);
        assert_eq!(parse("VAL-7K3M-9QXD-2HPI"), None);
        assert_eq!(parse("VAL-7K3M-9QXD-2HP"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("VAL-7K3M-9QXD-2HPT-2"), None);
    }

    #[test]
    fn case_references_have_their_own_prefix() {
        let r = case_from_random([7; 16]);
        assert!(r.starts_with("CAS-"));
        assert_eq!(parse_case(&r.to_lowercase()), Some(r.clone()));
        assert_eq!(parse_case(&from_random([7; 16])), None);
    }
}
