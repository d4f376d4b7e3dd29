//! Input checks shared by server functions: text fields, email addresses, and the field errors
//! that send a form back with messages in the caller's language.

use crate::error::AppError;
use crate::i18n::{Lang, Msg, t};

/// Normalises an email address (trimmed, lower case) and checks its shape.
pub fn parse_email(input: &str) -> Option<String> {
    let email = input.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(email)
}

/// Trimmed text that must be present and at most `max` characters long.
pub fn required_text(value: &str, max: usize) -> Result<String, Msg> {
    let value = value.trim();
    if value.is_empty() {
        Err(Msg::ErrorRequired)
    } else if value.chars().count() > max {
        Err(Msg::ErrorTooLong)
    } else {
        Ok(value.to_string())
    }
}

/// Field errors in `lang`, keyed by the form field they belong to.
pub fn field_errors(lang: Lang, problems: Vec<(&str, Msg)>) -> AppError {
    AppError::fields(
        problems
            .into_iter()
            .map(|(field, msg)| (field.to_string(), t(lang, msg).to_string()))
            .collect(),
    )
}
