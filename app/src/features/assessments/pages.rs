//! The save box under a check's result, the list of saved assessments with its filters, and one
//! saved assessment (reopened as it was, duplicated into a new check, printed on A4).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{AssessmentFilter, SaveAssessment, get_assessment, list_assessments};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::form::{errors_of, field_error};
use crate::components::print::PrintButton;
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::domain::engine::Level;
use crate::domain::nomenclature::dotted;
use crate::domain::valuation::format_money;
use crate::error::AppError;
use crate::features::accounts::whoami;
use crate::features::check::pages::{AnswersList, CheckResult};
use crate::features::check::{CheckForm, FIELD_NAMES};
use crate::i18n::{Msg, SLOT, fmt, split_slot, t};
use crate::labels::level_label;
use crate::policy::OrgKind;

/// Under a result: a form that saves it (signed-in traders), or the way to sign in. Without
/// JavaScript the form posts and the server redirects to the saved assessment.
#[component]
pub fn SaveBox(answers: CheckForm) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveAssessment>::new();
    let errors = errors_of(save.value(), lang);
    let me = Resource::new_blocking(|| (), |_| whoami());
    view! {
        <Suspense>
                {move || {
                    let answers = answers.clone();
                    Suspend::new(async move {
                        match me.await {
                            Ok(Some(person)) if person.org_kind != OrgKind::Customs => view! {
                                <section class="save-box no-print" aria-labelledby="save-heading">
                                <h3 class="heading-m" id="save-heading">{t(lang, Msg::SaveHeading)}</h3>
                                <p class="body">{t(lang, Msg::SaveIntro)}</p>
                                <ErrorSummary errors />
                                <ActionForm action=save>
                                    {FIELD_NAMES
                                        .into_iter()
                                        .map(|name| view! { <input type="hidden" name=format!("answers[{name}]") value=answers.get(name).to_string() /> })
                                        .collect_view()}
                                    <input type="hidden" name="answers[reasons]" value=answers.reasons.clone() />
                                    <TextField id="label" label=t(lang, Msg::SaveLabelLabel) hint=t(lang, Msg::SaveLabelHint) error=field_error(errors, "label") />
                                    <button type="submit" class="button">{t(lang, Msg::SaveButton)}</button>
                                </ActionForm>
                                </section>
                            }
                            .into_any(),
                            Ok(Some(_)) => ().into_any(),
                            _ => view! {
                                <section class="save-box no-print" aria-labelledby="save-heading">
                                    <h3 class="heading-m" id="save-heading">{t(lang, Msg::SaveHeading)}</h3>
                                    <p class="body"><a href="/sign-in">{t(lang, Msg::SaveSignIn)}</a></p>
                                </section>
                            }
                            .into_any(),
                        }
                    })
                }}
        </Suspense>
    }
}

fn filter_from_query(query: &leptos_router::params::ParamsMap) -> AssessmentFilter {
    let get = |name: &str| query.get(name).unwrap_or_default();
    AssessmentFilter {
        q: get("q"),
        hs: get("hs"),
        level: get("level"),
        from: get("from"),
        to: get("to"),
    }
}

#[component]
pub fn AssessmentsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let list = Resource::new_blocking(move || query.with(filter_from_query), list_assessments);
    view! {
        <Title text=t(lang, Msg::AssessmentsTitle) />
        <h1 class="heading-xl">{t(lang, Msg::AssessmentsTitle)}</h1>
        <p class="body"><a href="/check" class="button">{t(lang, Msg::NewCheck)}</a>" "<a href="/check/batch">{t(lang, Msg::NavBatch)}</a></p>
        <Suspense>
            {move || Suspend::new(async move {
                let filter = query.with_untracked(filter_from_query);
                match list.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(AppError::Fields(problems)) => view! {
                        <ErrorSummary errors=Signal::stored(problems.clone()) />
                        <FilterForm filter errors=problems />
                    }
                    .into_any(),
                    Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        let (before, after) = split_slot(&fmt::assessments_intro_for(lang, SLOT));
                        view! {
                        <p class="body">{before}<strong>{list.owner_name.clone()}</strong>{after}</p>
                        <FilterForm filter errors=Vec::new() />
                        <AssessmentTable rows=list.rows />
                        {list.truncated.then(|| view! { <p class="body">{t(lang, Msg::AssessmentsTruncated)}</p> })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(filter: AssessmentFilter, errors: Vec<(String, String)>) -> impl IntoView {
    let lang = use_lang();
    let error = |id: &str| errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone());
    view! {
        <form method="get" action="/assessments" class="filter-form no-print">
            <TextField id="q" label=t(lang, Msg::FilterText) value=filter.q.clone() />
            <TextField id="hs" label=t(lang, Msg::FilterHs) value=filter.hs.clone() input_mode="numeric" />
            <div class="form-group">
                <label class="label" for="level">{t(lang, Msg::FilterLevel)}</label>
                <select class="input select" id="level" name="level">
                    <option value="">{t(lang, Msg::FilterAnyLevel)}</option>
                    {Level::ALL
                        .into_iter()
                        .map(|l| view! { <option value=l.code() selected=filter.level == l.code()>{t(lang, level_label(l))}</option> })
                        .collect_view()}
                </select>
            </div>
            <TextField id="from" label=t(lang, Msg::FilterFrom) value=filter.from.clone() input_type="date" error=error("from") />
            <TextField id="to" label=t(lang, Msg::FilterTo) value=filter.to.clone() input_type="date" error=error("to") />
            <button type="submit" class="button button--secondary">{t(lang, Msg::FilterApply)}</button>
        </form>
    }
}

#[component]
fn AssessmentTable(rows: Vec<super::AssessmentRow>) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p class="body" id="assessments-none">{t(lang, Msg::AssessmentsNone)}</p> }
            .into_any();
    }
    let columns = crate::components::table::headings(
        lang,
        &[
            (Msg::ColReference, false),
            (Msg::ColOwnLabel, false),
            (Msg::ColTariffCode, false),
            (Msg::ColOrigin, false),
            (Msg::ColFilingDate, false),
            (Msg::ColLevel, false),
            (Msg::ColCustomsValue, true),
            (Msg::ColSavedAt, false),
            (Msg::ColSavedBy, false),
        ],
    );
    view! {
        <table class="table" id="assessments">
            <TableHead columns />
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| view! {
                        <tr>
                            <td><a href=format!("/assessments/{}", r.reference)>{r.reference.clone()}</a></td>
                            <td>{r.label}</td>
                            <td>{dotted(&r.tariff_code)}</td>
                            <td>{r.origin}</td>
                            <td>{r.filing_date.to_string()}</td>
                            <td><span class=format!("tag tag--{}", r.level.code())>{t(lang, level_label(r.level))}</span></td>
                            <td class="numeric">{format_money(r.customs_value)}</td>
                            <td>{r.created_at}</td>
                            <td>{r.created_by}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let assessment = Resource::new_blocking(
        move || params.with(|p| p.get("reference").unwrap_or_default()),
        get_assessment,
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match assessment.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(e) => view! {
                        <Title text=t(lang, Msg::AssessmentTitle) />
                        <h1 class="heading-xl">{t(lang, Msg::AssessmentTitle)}</h1>
                        <p class="error-message">{e.user_message(lang)}</p>
                    }
                    .into_any(),
                    Ok(a) => {
                        let title = fmt::assessment_title_ref(lang, &a.row.reference);
                        let duplicate = format!("/check?{}", a.answers.to_query());
                        view! {
                            <Title text=title.clone() />
                            <h1 class="heading-xl">{title}</h1>
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt>{t(lang, Msg::ColReference)}</dt><dd id="reference">{a.row.reference.clone()}</dd></div>
                                {(!a.row.label.is_empty()).then(|| view! {
                                    <div class="summary-list__row"><dt>{t(lang, Msg::ColOwnLabel)}</dt><dd>{a.row.label.clone()}</dd></div>
                                })}
                                <div class="summary-list__row"><dt>{t(lang, Msg::AssessmentSavedFor)}</dt><dd>{a.owner_name.clone()}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::AssessmentSavedBy)}</dt><dd>{a.row.created_by.clone()}</dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::AssessmentSavedOn)}</dt><dd>{format!("{} UTC", a.row.created_at)}</dd></div>
                            </dl>
                            <p class="body">{t(lang, Msg::AssessmentAsSaved)}</p>
                            <div class="button-group no-print">
                                <a href=duplicate.clone() class="button button--secondary" id="duplicate">{t(lang, Msg::AssessmentDuplicate)}</a>
                                <PrintButton label=t(lang, Msg::AssessmentPrint) />
                            </div>
                            <p class="hint no-print">{t(lang, Msg::AssessmentPrintHint)}</p>
                            <CheckResult outcome=a.outcome.clone() />
                            <AnswersList answers=a.answers.clone() change_to=duplicate />
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
