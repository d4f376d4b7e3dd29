//! Running a batch: every line through the check the form uses, sharing lookups.

use sqlx::PgPool;

use super::file::BatchLine;
use crate::error::AppError;
use crate::features::check::repo::{Lookups, run_with};
use crate::features::check::{CheckForm, CheckOutcome};
use crate::i18n::{Lang, t};
use crate::server::settings::BandSettings;

/// One line's answers and what the check made of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineResult {
    pub line: usize,
    pub form: CheckForm,
    /// The outcome, or (field, message) problems in the uploader's language.
    pub result: Result<CheckOutcome, Vec<(String, String)>>,
}

/// Checks every line. A line's own problems stay with it; a failure of the service itself
/// (the database gone) fails the whole batch, so nothing is kept half-checked.
pub async fn check_lines(
    pool: &PgPool,
    settings: &BandSettings,
    lines: Vec<BatchLine>,
    lang: Lang,
) -> Result<Vec<LineResult>, AppError> {
    let mut lookups = Lookups::default();
    let mut results = Vec::with_capacity(lines.len());
    for BatchLine {
        line,
        form,
        problems,
    } in lines
    {
        let result = if problems.is_empty() {
            match run_with(pool, settings, &mut lookups, &form, lang).await {
                Ok(outcome) => Ok(outcome),
                Err(AppError::Fields(problems)) => Err(problems),
                Err(other) => return Err(other),
            }
        } else {
            Err(problems
                .into_iter()
                .map(|(field, msg)| (field, t(lang, msg).to_string()))
                .collect())
        };
        results.push(LineResult { line, form, result });
    }
    Ok(results)
}
