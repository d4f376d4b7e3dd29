//! The batch upload page (the file's columns, the form, recent batches) and a batch's results.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{BatchResults, BatchSummary, REASONS_COLUMN, get_batch, list_batches};
use crate::components::form::ErrorSummary;
use crate::components::load::load_error;
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::domain::nomenclature::dotted;
use crate::domain::valuation::display_value;
use crate::domain::valuation::format_money;
use crate::error::AppError;
use crate::features::check::{OPTIONAL_FIELDS, REQUIRED_FIELDS};
use crate::i18n::{Lang, Msg, fmt, t};
use crate::labels::level_label;

/// The reason a file was sent back, from the address the upload route redirected to.
fn file_error(lang: Lang, code: &str, detail: &str) -> Option<String> {
    let detail: String = detail
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let plain = |msg| Some(t(lang, msg).to_string());
    match code {
        "not_a_table" => plain(Msg::BatchErrNotATable),
        "unreadable" if detail.is_empty() => plain(Msg::BatchErrUnreadableFile),
        "unreadable" => Some(fmt::batch_err_unreadable_at_line(lang, detail)),
        "empty" => plain(Msg::BatchErrEmpty),
        "missing_column" => Some(fmt::batch_err_missing_column_named(lang, detail)),
        "unknown_column" => Some(fmt::batch_err_unknown_column_named(lang, detail)),
        "duplicate_column" => Some(fmt::batch_err_duplicate_column_named(lang, detail)),
        "too_many_lines" => Some(fmt::batch_err_too_many_lines_count(lang, detail)),
        "no_file" => plain(Msg::BatchErrNoFile),
        "too_large" => plain(Msg::BatchErrTooLarge),
        "too_slow" => plain(Msg::BatchErrTooSlow),
        _ => None,
    }
}

#[component]
pub fn BatchUploadPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let error = query.with_untracked(|q| {
        file_error(
            lang,
            &q.get("error").unwrap_or_default(),
            &q.get("detail").unwrap_or_default(),
        )
    });
    let batches = Resource::new_blocking(|| (), |_| list_batches());
    let errors = Signal::stored(
        error
            .clone()
            .map(|e| vec![("file".to_string(), e)])
            .unwrap_or_default(),
    );
    view! {
        <Title text=t(lang, Msg::BatchTitle) />
        <h1 class="heading-xl">{t(lang, Msg::BatchTitle)}</h1>
        <Suspense>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    match batches.await {
                        Err(e) => load_error(lang, e),
                        Ok(list) => view! {
                            <p class="body">{t(lang, Msg::BatchIntro)}</p>
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt>{t(lang, Msg::BatchColumnsRequired)}</dt><dd><code>{REQUIRED_FIELDS.join(", ")}</code></dd></div>
                                <div class="summary-list__row"><dt>{t(lang, Msg::BatchColumnsOptional)}</dt><dd><code>{format!("{}, {REASONS_COLUMN}", OPTIONAL_FIELDS.join(", "))}</code></dd></div>
                            </dl>
                            <p class="hint">{t(lang, Msg::BatchColumnsHint)}</p>
                            <ErrorSummary errors />
                            <form method="post" action="/check/batch/upload" enctype="multipart/form-data" id="upload">
                                <div class=if error.is_some() { "form-group form-group--error" } else { "form-group" }>
                                    <label class="label" for="file">{t(lang, Msg::BatchFileLabel)}</label>
                                    {error.clone().map(|e| view! { <p class="error-message" id="file-error">{fmt::batch_file_error_because(lang, e)}</p> })}
                                    <input class="file-upload" type="file" id="file" name="file" required
                                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                        aria-describedby=error.is_some().then_some("file-error")
                                        aria-invalid=error.is_some().then_some("true") />
                                </div>
                                <button type="submit" class="button">{t(lang, Msg::BatchSubmit)}</button>
                            </form>
                            <h2 class="heading-m">{t(lang, Msg::BatchRecent)}</h2>
                            <BatchList batches=list />
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn BatchList(batches: Vec<BatchSummary>) -> impl IntoView {
    let lang = use_lang();
    if batches.is_empty() {
        return view! { <p class="body">{t(lang, Msg::BatchNone)}</p> }.into_any();
    }
    let columns = crate::components::table::headings(
        lang,
        &[
            (Msg::ColReference, false),
            (Msg::ColFile, false),
            (Msg::BatchLines, true),
            (Msg::BatchLinesWithErrors, true),
            (Msg::ColSavedAt, false),
            (Msg::ColSavedBy, false),
        ],
    );
    view! {
        <table class="table" id="batches">
            <TableHead columns />
            <tbody>
                {batches
                    .into_iter()
                    .map(|b| view! {
                        <tr>
                            <td><a href=format!("/check/batch/{}", b.reference)>{b.reference.clone()}</a></td>
                            <td>{b.file_name}</td>
                            <td class="numeric">{b.line_count}</td>
                            <td class="numeric">{b.error_count}</td>
                            <td>{b.created_at}</td>
                            <td>{b.created_by}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn BatchPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let results = Resource::new_blocking(
        move || {
            let reference = params.with(|p| p.get("reference").unwrap_or_default());
            let page = query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1));
            (reference, page)
        },
        |(reference, page)| get_batch(reference, page),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match results.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(e) => view! {
                        <Title text=t(lang, Msg::BatchResultTitle) />
                        <h1 class="heading-xl">{t(lang, Msg::BatchResultTitle)}</h1>
                        <p class="error-message">{e.user_message(lang)}</p>
                    }
                    .into_any(),
                    Ok(results) => view! { <BatchResultsView results /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BatchResultsView(results: BatchResults) -> impl IntoView {
    let lang = use_lang();
    let s = results.summary;
    let title = fmt::batch_result_title_ref(lang, &s.reference);
    let base = format!("/check/batch/{}", s.reference);
    let page_link = |page: i64, label: Msg, rel: &'static str| {
        view! { <a href=format!("{base}?page={page}#results") rel=rel>{t(lang, label)}</a> }
    };
    let columns = crate::components::table::headings(
        lang,
        &[
            (Msg::ColLine, true),
            (Msg::ColTariffCode, false),
            (Msg::ColOrigin, false),
            (Msg::ColCustomsValue, true),
            (Msg::ColUnitValue, true),
            (Msg::ColLevel, false),
            (Msg::ColPercentile, true),
            (Msg::ColErrors, false),
        ],
    );
    view! {
        <Title text=title.clone() />
        <h1 class="heading-xl">{title}</h1>
        <dl class="summary-list" id="batch-summary">
            <div class="summary-list__row"><dt>{t(lang, Msg::ColFile)}</dt><dd>{s.file_name.clone()}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::BatchLines)}</dt><dd id="line-count">{s.line_count}</dd></div>
            <div class="summary-list__row"><dt>{t(lang, Msg::BatchLinesWithErrors)}</dt><dd id="error-count">{s.error_count}</dd></div>
            {s.levels.iter().map(|(level, n)| view! {
                <div class="summary-list__row"><dt>{t(lang, level_label(*level))}</dt><dd>{*n}</dd></div>
            }).collect_view()}
            <div class="summary-list__row"><dt>{t(lang, Msg::AssessmentSavedBy)}</dt><dd>{format!("{} · {} UTC", s.created_by, s.created_at)}</dd></div>
        </dl>
        <p class="body"><a class="button button--secondary" href=format!("{base}/results.csv") download id="download-csv" rel="external">{t(lang, Msg::BatchDownload)}</a></p>
        <table class="table" id="results">
            <TableHead columns />
            <tbody>
                {results.lines.into_iter().map(|l| {
                    let errors = l.errors.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; ");
                    view! {
                        <tr>
                            <td class="numeric">{l.line}</td>
                            <td>{dotted(&l.hs.chars().filter(char::is_ascii_digit).collect::<String>())}</td>
                            <td>{l.origin}</td>
                            <td class="numeric">{l.customs_value.map(|v| format!("{} {}", l.currency, format_money(v)))}</td>
                            <td class="numeric">{l.unit_value.map(|v| format!("{} / {}", display_value(v), l.unit))}</td>
                            <td>{l.level.map(|level| view! { <span class=format!("tag tag--{}", level.code())>{t(lang, level_label(level))}</span> })}</td>
                            <td class="numeric">{l.percentile.map(|p| p.to_string())}</td>
                            <td class="error-text">{errors}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(results.pages > 1).then(|| view! {
            <nav class="pagination" aria-label=t(lang, Msg::BatchPageOf)>
                {(results.page > 1).then(|| page_link(results.page - 1, Msg::BatchPrevious, "prev"))}
                <span>" " {fmt::batch_page_of_pages(lang, results.page, results.pages)} " "</span>
                {(results.page < results.pages).then(|| page_link(results.page + 1, Msg::BatchNext, "next"))}
            </nav>
        })}
    }
    .into_any()
}
