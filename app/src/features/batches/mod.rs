//! Many lines at once: a signed-in trader uploads an invoice (CSV or XLSX, up to 10,000 lines);
//! every line runs through the same check as the form, and the batch is saved whole, in one
//! transaction, under the importer it is for: a results page, and the results as CSV. The
//! upload and the download are plain HTTP routes in the server (`http::batch`), as is the checks
//! API (`http::checks_api`), which sends its lines as JSON; the work is in `service`.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::engine::Level;
use crate::error::AppError;
use crate::features::check::CheckForm;
use crate::i18n::Msg;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub reference: String,
    pub file_name: String,
    pub created_at: String,
    pub created_by: String,
    pub line_count: i32,
    pub error_count: i32,
    /// Lines checked, by level (one batch's page only; empty in the list).
    pub levels: Vec<(Level, i64)>,
}

/// One line of the results table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchLineView {
    pub line: i32,
    pub hs: String,
    pub origin: String,
    pub currency: String,
    pub customs_value: Option<Decimal>,
    pub unit_value: Option<Decimal>,
    pub unit: String,
    pub level: Option<Level>,
    pub percentile: Option<Decimal>,
    /// (field, message) for a line that could not be checked.
    pub errors: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResults {
    pub summary: BatchSummary,
    pub lines: Vec<BatchLineView>,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
}

pub const PAGE_SIZE: i64 = 100;

pub const MAX_LINES: usize = 10_000;

/// Columns a file may have besides the check's fields: the reasons for a low value (codes
/// separated by semicolons).
pub const REASONS_COLUMN: &str = "reasons";

/// Why an uploaded file is refused whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Neither CSV text nor an XLSX workbook (a PDF, an image, an old .xls...).
    NotATable,
    /// Not UTF-8 text, or a damaged workbook; `line` where known.
    Unreadable {
        line: Option<usize>,
    },
    /// No header, or a header and no lines.
    Empty,
    MissingColumn(String),
    UnknownColumn(String),
    DuplicateColumn(String),
    TooManyLines(usize),
    /// Reading took longer than allowed (or waited too long for its turn).
    TooSlow,
}

impl FileError {
    /// The code and its detail, for the address the upload page is sent back to.
    pub fn code(&self) -> (&'static str, String) {
        match self {
            FileError::NotATable => ("not_a_table", String::new()),
            FileError::Unreadable { line } => (
                "unreadable",
                line.map(|l| l.to_string()).unwrap_or_default(),
            ),
            FileError::Empty => ("empty", String::new()),
            FileError::MissingColumn(c) => ("missing_column", c.clone()),
            FileError::UnknownColumn(c) => ("unknown_column", c.clone()),
            FileError::DuplicateColumn(c) => ("duplicate_column", c.clone()),
            FileError::TooManyLines(n) => ("too_many_lines", n.to_string()),
            FileError::TooSlow => ("too_slow", String::new()),
        }
    }
}

/// One line of the file: its number as a spreadsheet or editor shows it, the answers, and the
/// problems found before the check runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub line: usize,
    pub form: CheckForm,
    pub problems: Vec<(String, Msg)>,
}

/// The organisation the caller's batches are kept under, once allowed (as for assessments).
#[cfg(feature = "ssr")]
pub fn owner_of(
    session: Option<&crate::server::sessions::Session>,
) -> Result<(&crate::server::sessions::Session, uuid::Uuid), AppError> {
    use crate::policy::{Action, Decision, decide};
    let Some(session) = session else {
        return Err(AppError::Unauthenticated);
    };
    let owner = session.actor.principal();
    match decide(Some(&session.actor), Action::UseAssessments { owner }) {
        Decision::Allow => Ok((session, owner)),
        Decision::Deny => Err(AppError::Forbidden),
    }
}

#[server(prefix = "/api", endpoint = "batches", input = server_fn::codec::GetUrl)]
pub async fn list_batches() -> Result<Vec<BatchSummary>, AppError> {
    use crate::server::context::pool;
    let (_, owner) = crate::features::assessments::owner()?;
    Ok(repo::list(&pool()?, owner).await?)
}

#[server(prefix = "/api", endpoint = "batch", input = server_fn::codec::GetUrl)]
pub async fn get_batch(reference: String, page: i64) -> Result<BatchResults, AppError> {
    use crate::server::context::pool;
    let (_, owner) = crate::features::assessments::owner()?;
    let reference =
        crate::domain::readable_ref::parse(&reference).ok_or_else(AppError::not_found)?;
    let pool = pool()?;
    let Some((id, summary)) = repo::find(&pool, owner, &reference).await? else {
        return Err(AppError::not_found());
    };
    let pages = (i64::from(summary.line_count) + PAGE_SIZE - 1) / PAGE_SIZE;
    let page = page.clamp(1, pages.max(1));
    let lines = repo::lines(&pool, id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        .await?
        .into_iter()
        .map(|l| l.view())
        .collect();
    Ok(BatchResults {
        summary,
        lines,
        page,
        pages,
    })
}
