//! Search input for the tariff: a code (digits, with or without dots and spaces) or words of the
//! description in Spanish or English, matched without regard to case or accents.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TariffQuery {
    /// Digits of a code, 2 to 10, matched as a prefix (6- and 8-digit input included).
    CodePrefix(String),
    /// Normalised words, all of which must appear.
    Words(Vec<String>),
}

/// Lower case, accents and other combining marks removed ("Café" and "cafe" match).
pub fn normalize(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `None` for an empty query or one that is only punctuation.
pub fn parse_query(input: &str) -> Option<TariffQuery> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-'))
        .collect();
    if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
        let digits: String = compact.chars().take(10).collect();
        return (digits.len() >= 2).then_some(TariffQuery::CodePrefix(digits));
    }
    let words: Vec<String> = normalize(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .take(8)
        .map(str::to_string)
        .collect();
    (!words.is_empty()).then_some(TariffQuery::Words(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_digits_with_or_without_dots() {
        assert_eq!(
            parse_query("0703.20"),
            Some(TariffQuery::CodePrefix("070320".into()))
        );
        assert_eq!(
            parse_query(" 0703 20 00 00 "),
            Some(TariffQuery::CodePrefix("0703200000".into()))
        );
        assert_eq!(parse_query("7"), None);
        assert_eq!(parse_query("  "), None);
    }

    #[test]
    fn words_ignore_case_and_accents() {
        assert_eq!(
            parse_query("Café TOSTADO, a"),
            Some(TariffQuery::Words(vec!["cafe".into(), "tostado".into()]))
        );
        assert_eq!(normalize("Piñas; ÉPOCA"), "pinas; epoca");
    }
}
