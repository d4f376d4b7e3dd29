//! Saved assessments: a signed-in trader keeps a check under the importer it is for, with a
//! reference that reads aloud, finds it again in a filtered list, reopens it as it was on the
//! day, duplicates it into a new check, and prints it.

#[cfg(feature = "ssr")]
pub mod repo;

pub mod pages;

use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::engine::Level;
use crate::error::AppError;
use crate::features::check::{CheckForm, CheckOutcome};

/// One line of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub reference: String,
    pub label: String,
    pub created_at: String,
    pub created_by: String,
    pub tariff_code: String,
    pub origin: String,
    pub filing_date: NaiveDate,
    pub level: Level,
    pub customs_value: Decimal,
}

/// One assessment as saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAssessment {
    pub row: AssessmentRow,
    pub owner_name: String,
    pub answers: CheckForm,
    pub outcome: CheckOutcome,
}

/// The list's filters, as the address gives them (all optional, all text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentFilter {
    /// Reference or the trader's own label, in part.
    pub q: String,
    /// Tariff code prefix.
    pub hs: String,
    pub level: String,
    /// Saved on or after / on or before (YYYY-MM-DD).
    pub from: String,
    pub to: String,
}

pub const LIST_LIMIT: i64 = 200;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentList {
    pub rows: Vec<AssessmentRow>,
    /// Whose assessments these are (the importer acted for, or the caller's organisation).
    pub owner_name: String,
    /// More matched than the list shows.
    pub truncated: bool,
}

/// The organisation the caller's assessments are kept under, once allowed.
#[cfg(feature = "ssr")]
pub(crate) fn owner() -> Result<(crate::server::sessions::Session, uuid::Uuid), AppError> {
    use crate::policy::Action;
    use crate::server::caller::signed_in;
    let session = signed_in(Action::ManageOwnAccount)?;
    let owner = session.actor.principal();
    signed_in(Action::UseAssessments { owner })?;
    Ok((session, owner))
}

/// Saves a check: the answers are checked again here (the page's result is never trusted),
/// then kept with their outcome; the caller is sent to the saved assessment.
#[server(prefix = "/api", endpoint = "save-assessment")]
pub async fn save_assessment(
    #[server(default)] answers: CheckForm,
    #[server(default)] label: String,
) -> Result<String, AppError> {
    use crate::server::context::{pool, settings};
    use crate::server::validation::field_errors;
    let lang = crate::request::lang();
    let (session, owner) = owner()?;
    let label = label.trim().to_string();
    if label.chars().count() > 120 {
        return Err(field_errors(
            lang,
            vec![("label", crate::i18n::Msg::ErrorLabelLength)],
        ));
    }
    let pool = pool()?;
    let outcome = crate::features::check::service::run(
        &pool,
        &settings()?.bands,
        &crate::features::check::service::shared_cache()?,
        &answers,
        lang,
    )
    .await?;
    let reference = repo::new_reference();
    let facts = crate::server::caller::request_facts();
    // The assessment and its audit record are written together or not at all.
    let mut tx = pool.begin().await?;
    repo::insert(
        &mut *tx,
        &reference,
        &repo::NewAssessment {
            owner,
            saved_by_org: session.actor.org_id,
            created_by: session.actor.user_id,
            label: &label,
            answers: &answers,
            outcome: &outcome,
        },
    )
    .await?;
    crate::server::audit::record(
        &mut *tx,
        crate::server::audit::AuditEvent::new("assessment.save", &facts.client_addr)
            .actor(Some(session.actor.user_id))
            .acting_for(session.actor.acting_for)
            .subject(reference.clone()),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{reference}"));
    Ok(reference)
}

#[server(prefix = "/api", endpoint = "assessments", input = server_fn::codec::GetUrl)]
pub async fn list_assessments(filter: AssessmentFilter) -> Result<AssessmentList, AppError> {
    use crate::i18n::Msg;
    use crate::server::context::pool;
    use crate::server::validation::field_errors;
    let (session, owner) = owner()?;
    let lang = crate::request::lang();
    let mut problems = Vec::new();
    let date = |text: &str, field: &'static str, problems: &mut Vec<(&str, Msg)>| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = text.parse::<NaiveDate>().ok();
        if parsed.is_none() {
            problems.push((field, Msg::ErrorDateFormat));
        }
        parsed
    };
    let query = repo::ListQuery {
        text: filter.q.trim().to_string(),
        hs: filter.hs.chars().filter(char::is_ascii_digit).collect(),
        level: Level::parse(filter.level.trim()),
        from: date(&filter.from, "from", &mut problems),
        to: date(&filter.to, "to", &mut problems),
    };
    if !problems.is_empty() {
        return Err(field_errors(lang, problems));
    }
    let pool = pool()?;
    let (rows, truncated) = repo::list(&pool, owner, &query).await?;
    Ok(AssessmentList {
        rows,
        owner_name: session.acting_for_name.unwrap_or(session.organisation_name),
        truncated,
    })
}

/// One assessment, if the caller may see it; any other case is "not found", so a reference
/// of another organisation is not even confirmed to exist. Customs staff open an assessment by
/// its reference once its documents were submitted to them, and find nothing before.
#[server(prefix = "/api", endpoint = "assessment", input = server_fn::codec::GetUrl)]
pub async fn get_assessment(reference: String) -> Result<SavedAssessment, AppError> {
    use crate::policy::{Action, Decision, OrgKind, decide};
    let session = crate::server::caller::signed_in(Action::ManageOwnAccount)?;
    if session.actor.org_kind == OrgKind::Customs {
        let allowed = decide(
            Some(&session.actor),
            Action::ReadSubmitted {
                confidential: false,
                assigned: false,
            },
        ) == Decision::Allow;
        let reference = crate::domain::readable_ref::parse(&reference)
            .filter(|_| allowed)
            .ok_or_else(AppError::not_found)?;
        let pool = crate::server::context::pool()?;
        return repo::find_submitted(&pool, &reference)
            .await?
            .ok_or_else(AppError::not_found);
    }
    let (_, owner) = owner()?;
    let reference =
        crate::domain::readable_ref::parse(&reference).ok_or_else(AppError::not_found)?;
    let pool = crate::server::context::pool()?;
    repo::find(&pool, owner, &reference)
        .await?
        .ok_or_else(AppError::not_found)
}
