//! The administrator's band pages: the list of versions with the compute form, and the review
//! of one version beside the bands in force, with publish and discard.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    ComputeBands, DiscardBands, PublishBands, REVIEW_PAGE, RunReview, band_run_review, band_runs,
};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::form::{errors_of, field_error};
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::domain::nomenclature::dotted;
use crate::domain::valuation::display_value;
use crate::error::AppError;
use crate::features::bands::{BandComparison, RunView};
use crate::i18n::{Lang, Msg, SLOT, fmt, split_slot, t, unit_name};
use crate::labels::status_text;

fn refused(lang: Lang, error: AppError) -> AnyView {
    match error {
        AppError::Unauthenticated => view! { <Redirect path="/sign-in" /> }.into_any(),
        other => view! { <p class="error-message">{other.user_message(lang)}</p> }.into_any(),
    }
}

#[component]
pub fn AdminBandsPage() -> impl IntoView {
    let lang = use_lang();
    let compute = ServerAction::<ComputeBands>::new();
    let errors = errors_of(compute.value(), lang);
    let runs = Resource::new_blocking(move || compute.version().get(), |_| band_runs());
    view! {
        <Title text=t(lang, Msg::AdminBandsTitle) />
        <h1 class="heading-xl">{t(lang, Msg::AdminBandsTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match runs.await {
                    Err(e) => refused(lang, e),
                    Ok(list) => view! {
                        <p class="body">{t(lang, Msg::AdminBandsIntro)}</p>
                        <h2 class="heading-m">{t(lang, Msg::RunsHeading)}</h2>
                        <RunTable runs=list />
                        <ComputeForm compute=compute errors=errors />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ComputeForm(
    compute: ServerAction<ComputeBands>,
    errors: Signal<crate::components::form::FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let level_options = [4, 6, 8, 10];
    view! {
        <h2 class="heading-m">{t(lang, Msg::ComputeHeading)}</h2>
        <ErrorSummary errors />
        <ActionForm action=compute>
            <TextField id="period_from" label=t(lang, Msg::PeriodFromLabel) hint=t(lang, Msg::DateHint) error=field_error(errors, "period_from") input_type="date" />
            <TextField id="period_to" label=t(lang, Msg::PeriodToLabel) hint=t(lang, Msg::DateHint) error=field_error(errors, "period_to") input_type="date" />
            <div class="form-group">
                <label class="label" for="code_level">{t(lang, Msg::CodeLevelLabel)}</label>
                <select class="input input--date" id="code_level" name="code_level">
                    {level_options
                        .into_iter()
                        .map(|l| view! { <option value=l.to_string() selected=l == 6>{l}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t(lang, Msg::ComputeButton)}</button>
        </ActionForm>
    }
}

#[component]
fn RunTable(runs: Vec<RunView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="table">
            <TableHead columns=vec![(t(lang, Msg::ColRun).into(), false), (t(lang, Msg::ColStatus).into(), false), (t(lang, Msg::FigPeriod).into(), false), (t(lang, Msg::ColBands).into(), true), (t(lang, Msg::ColRecords).into(), true), (t(lang, Msg::ColComputeTime).into(), true)] />
            <tbody>
                {runs.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("/admin/bands/{}", r.id)>{fmt::run_number(lang, r.id)}</a></td>
                        <td>{
                            // The state is a tag inside the sentence "<state> (in force from <date>)".
                            let tag = view! { <span class="status-tag">{status_text(lang, &r.status)}</span> };
                            let text = r.effective_from.map_or(SLOT.to_string(), |d| fmt::run_status_effective_from(lang, d, SLOT));
                            let (before, after) = split_slot(&text);
                            view! { {before} {tag} {after} }
                        }</td>
                        <td>{format!("{} – {}", r.period_from, r.period_to)}</td>
                        <td class="numeric">{r.bands_computed}</td>
                        <td class="numeric">{r.records_used}</td>
                        <td class="numeric">{format!("{} ms", r.compute_ms)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn RunReviewPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let publish = ServerAction::<PublishBands>::new();
    let discard = ServerAction::<DiscardBands>::new();
    let key = move || {
        (
            params.with(|p| p.get("id").unwrap_or_default()),
            query.with(|q| (q.get("code"), q.get("page"))),
            publish.version().get(),
        )
    };
    let review =
        Resource::new_blocking(key, |(id, (code, page), _)| band_run_review(id, code, page));
    let errors = Signal::derive(move || {
        let mut all = errors_of(publish.value(), lang).get();
        all.extend(errors_of(discard.value(), lang).get());
        all
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match review.await {
                    Err(e) => refused(lang, e),
                    Ok(review) => view! { <ReviewView review=review publish=publish discard=discard errors=errors /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewView(
    review: RunReview,
    publish: ServerAction<PublishBands>,
    discard: ServerAction<DiscardBands>,
    errors: Signal<crate::components::form::FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let run = review.run.clone();
    let title = fmt::review_title_run(lang, run.id);
    let is_draft = run.status == "draft";
    let next =
        (review.rows.len() as i64 == REVIEW_PAGE).then(|| format!("?page={}", review.page + 1));
    view! {
        <Title text=title.clone() />
        <p class="body"><a href="/admin/bands">{t(lang, Msg::AdminBandsTitle)}</a></p>
        <h1 class="heading-l">{title}</h1>
        <dl class="summary-list">
            <div class="summary-list__row"><dt>{t(lang, Msg::ColStatus)}</dt><dd>{match run.effective_from {
                Some(date) => fmt::run_status_effective_from(lang, date, status_text(lang, &run.status)),
                None => status_text(lang, &run.status).to_string(),
            }}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::FigPeriod)}</dt><dd>{format!("{} – {}", run.period_from, run.period_to)}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::CodeLevelLabel)}</dt><dd>{run.code_level}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::ColBands)}</dt><dd>{run.bands_computed}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::ColKeysTooFew)}</dt><dd>{run.keys_too_few}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::ColRecords)}</dt><dd>{run.records_used}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::ColComputeTime)}</dt><dd>{format!("{} ms", run.compute_ms)}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::ColCurrent)}</dt><dd>{review.in_force.as_ref().map(|r| fmt::run_in_force_from(lang, r.effective_from.map(|d| d.to_string()).unwrap_or_default(), r.id)).unwrap_or_else(|| "—".into())}</dd></div>
        </dl>
        <ErrorSummary errors />
        {is_draft.then(|| view! {
            <h2 class="heading-m">{t(lang, Msg::PublishHeading)}</h2>
            <ActionForm action=publish>
                <input type="hidden" name="run_id" value=run.id.to_string() />
                <TextField id="effective_from" label=t(lang, Msg::EffectiveLabel) hint=t(lang, Msg::DateHint) error=field_error(errors, "effective_from") input_type="date" value=review.today.to_string() />
                <button type="submit" class="button">{t(lang, Msg::PublishButton)}</button>
            </ActionForm>
            <ActionForm action=discard>
                <input type="hidden" name="run_id" value=run.id.to_string() />
                <button type="submit" class="button button--warning">{t(lang, Msg::DiscardButton)}</button>
            </ActionForm>
        })}
        <h2 class="heading-m">{t(lang, Msg::ReviewTitle)}</h2>
        <p class="body">{t(lang, Msg::ReviewIntro)}</p>
        <form method="get" class="inline-form">
            <div class="form-group">
                <label class="label" for="code">{t(lang, Msg::FilterCodeLabel)}</label>
                <input class="input input--date" id="code" name="code" inputmode="numeric" />
            </div>
            <button type="submit" class="button button--secondary">{t(lang, Msg::FilterButton)}</button>
        </form>
        <ComparisonTable rows=review.rows />
        {next.map(|href| view! { <p class="body"><a href=href>{t(lang, Msg::NextPage)}</a></p> })}
    }
}

fn range(
    p10: Option<rust_decimal::Decimal>,
    median: Option<rust_decimal::Decimal>,
    p90: Option<rust_decimal::Decimal>,
) -> String {
    match (p10, median, p90) {
        (Some(a), Some(m), Some(b)) => format!(
            "{} · {} · {}",
            display_value(a),
            display_value(m),
            display_value(b)
        ),
        _ => "—".into(),
    }
}

#[component]
fn ComparisonTable(rows: Vec<BandComparison>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="table">
            <TableHead columns=vec![(t(lang, Msg::ColCode).into(), false), (t(lang, Msg::ColOrigin).into(), false), (t(lang, Msg::ColUnit).into(), false), (t(lang, Msg::ColCurrentPercentiles).into(), true), (t(lang, Msg::ColDraftPercentiles).into(), true), (t(lang, Msg::ColChange).into(), true)] />
            <tbody>
                {rows.into_iter().map(|r| {
                    let change = match (r.new_median, r.old_median, r.median_change_pct) {
                        (Some(_), None, _) => t(lang, Msg::BandNew).to_string(),
                        (None, Some(_), _) => t(lang, Msg::BandWithdrawn).to_string(),
                        (_, _, Some(pct)) => format!("{}{pct} %", if pct > rust_decimal::Decimal::ZERO { "+" } else { "" }),
                        _ => "—".into(),
                    };
                    view! {
                        <tr>
                            <td class="code">{dotted(&r.tariff_code)}</td>
                            <td>{r.origin.clone()}</td>
                            <td>{unit_name(lang, &r.unit)}</td>
                            <td class="numeric">{range(r.old_p10, r.old_median, r.old_p90)}</td>
                            <td class="numeric">{range(r.new_p10, r.new_median, r.new_p90)}</td>
                            <td class="numeric">{change}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
