//! The valuation administrator's band work: compute a draft, review it against the bands in
//! force, publish it with an effective date or discard it. Every function asks the policy.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub mod pages;

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::features::bands::{BandComparison, RunView};

pub const REVIEW_PAGE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunReview {
    pub run: RunView,
    /// The version in force today, which publication would replace.
    pub in_force: Option<RunView>,
    pub rows: Vec<BandComparison>,
    pub page: i64,
    pub today: NaiveDate,
}

#[cfg(feature = "ssr")]
fn doer<'a>(
    session: &crate::server::sessions::Session,
    facts: &'a crate::server::caller::RequestFacts,
) -> service::Doer<'a> {
    service::Doer {
        user: Some(session.actor.user_id),
        client_addr: &facts.client_addr,
    }
}

#[server(prefix = "/api", endpoint = "band-runs", input = server_fn::codec::GetUrl)]
pub async fn band_runs() -> Result<Vec<RunView>, AppError> {
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    signed_in(crate::policy::Action::ManageBands)?;
    Ok(crate::features::bands::repo::runs(&pool()?).await?)
}

#[server(prefix = "/api", endpoint = "compute-bands")]
pub async fn compute_bands(
    period_from: String,
    period_to: String,
    code_level: String,
) -> Result<(), AppError> {
    use crate::i18n::Msg;
    use crate::server::caller::signed_in;
    use crate::server::context::{pool, settings};
    use crate::server::validation::field_errors;
    let session = signed_in(crate::policy::Action::ManageBands)?;
    let lang = crate::request::lang();
    let from = period_from.trim().parse::<NaiveDate>();
    let to = period_to.trim().parse::<NaiveDate>();
    let level = code_level
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|l| [4, 6, 8, 10].contains(l));
    let mut problems = Vec::new();
    if from.is_err() {
        problems.push(("period_from", Msg::ErrorDateFormat));
    }
    if to.is_err() {
        problems.push(("period_to", Msg::ErrorDateFormat));
    }
    if level.is_none() {
        problems.push(("code_level", Msg::ErrorCodeLevel));
    }
    let (Ok(from), Ok(to), Some(level)) = (from, to, level) else {
        return Err(field_errors(lang, problems));
    };
    if to < from {
        return Err(field_errors(
            lang,
            vec![("period_to", Msg::ErrorPeriodOrder)],
        ));
    }
    let settings = settings()?;
    let request = service::RunRequest {
        period_from: from,
        period_to: to,
        code_level: level,
        rule: settings.bands.rule,
        base_currency: settings.bands.base_currency.clone(),
    };
    let pool = pool()?;
    let facts = crate::server::caller::request_facts();
    let summary = service::compute_run(&pool, &request, doer(&session, &facts)).await?;
    leptos_axum::redirect(&format!("/admin/bands/{}", summary.run_id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "band-run-review", input = server_fn::codec::GetUrl)]
pub async fn band_run_review(
    id: String,
    code: Option<String>,
    page: Option<String>,
) -> Result<RunReview, AppError> {
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    signed_in(crate::policy::Action::ManageBands)?;
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let code = code
        .map(|c| c.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|c| !c.is_empty());
    let page = page.and_then(|p| p.parse::<i64>().ok()).unwrap_or(0).max(0);
    let pool = pool()?;
    let run = crate::features::bands::repo::run(&pool, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let today = chrono::Utc::now().date_naive();
    let in_force = match crate::features::bands::repo::run_in_force(&pool, today).await? {
        Some(in_force) => crate::features::bands::repo::run(&pool, in_force).await?,
        None => None,
    };
    let rows = crate::features::bands::repo::compare(
        &pool,
        id,
        today,
        code.as_deref(),
        REVIEW_PAGE,
        page * REVIEW_PAGE,
    )
    .await?;
    Ok(RunReview {
        run,
        in_force,
        rows,
        page,
        today,
    })
}

#[server(prefix = "/api", endpoint = "publish-bands")]
pub async fn publish_bands(run_id: String, effective_from: String) -> Result<(), AppError> {
    use crate::i18n::{Msg, fmt, t};
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    use crate::server::validation::field_errors;
    use service::PublishError;
    let session = signed_in(crate::policy::Action::ManageBands)?;
    let lang = crate::request::lang();
    let run_id: i64 = run_id.parse().map_err(|_| AppError::not_found())?;
    let Ok(effective) = effective_from.trim().parse::<NaiveDate>() else {
        return Err(field_errors(
            lang,
            vec![("effective_from", Msg::ErrorDateFormat)],
        ));
    };
    if effective < chrono::Utc::now().date_naive() {
        return Err(field_errors(
            lang,
            vec![("effective_from", Msg::ErrorEffectivePast)],
        ));
    }
    let pool = pool()?;
    let facts = crate::server::caller::request_facts();
    match service::publish_run(&pool, run_id, effective, doer(&session, &facts)).await? {
        Ok(()) => crate::server::context::reference_changed(),
        Err(PublishError::NotADraft) => return Err(AppError::invalid(t(lang, Msg::ErrorNotDraft))),
        Err(PublishError::NotAfter(latest)) => {
            return Err(AppError::fields(vec![(
                "effective_from".into(),
                fmt::error_effective_not_after_latest(lang, latest),
            )]));
        }
    }
    leptos_axum::redirect(&format!("/admin/bands/{run_id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "discard-bands")]
pub async fn discard_bands(run_id: String) -> Result<(), AppError> {
    use crate::i18n::{Msg, t};
    use crate::server::caller::signed_in;
    use crate::server::context::pool;
    let session = signed_in(crate::policy::Action::ManageBands)?;
    let lang = crate::request::lang();
    let run_id: i64 = run_id.parse().map_err(|_| AppError::not_found())?;
    let pool = pool()?;
    let facts = crate::server::caller::request_facts();
    if !service::discard_run(&pool, run_id, doer(&session, &facts)).await? {
        return Err(AppError::invalid(t(lang, Msg::ErrorNotDraft)));
    }
    leptos_axum::redirect("/admin/bands");
    Ok(())
}
