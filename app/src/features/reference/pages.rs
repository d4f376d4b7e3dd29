//! The valuation administrator's reference-data page: one upload form (a plain multipart POST
//! to `/admin/reference/import`, which answers with a redirect back here) and the last result.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{ImportReportView, UPLOAD_KINDS, import_report};
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::error::AppError;
use crate::i18n::{Lang, Msg, SLOT, fmt, split_slot, t};

/// The label and the expected columns of each kind of upload (the importers' own headers).
fn kind_text(lang: Lang, kind: &str) -> (&'static str, String) {
    use crate::domain::{nomenclature, records, reference};
    let (label, header): (Msg, &[&str]) = match kind {
        "hs" => (Msg::RefKindHs, &nomenclature::HEADER),
        "tariff-texts" => (Msg::RefKindTexts, &reference::TARIFF_TEXT_HEADER),
        "countries" => (Msg::RefKindCountries, &reference::COUNTRY_HEADER),
        "currencies" => (Msg::RefKindCurrencies, &reference::CURRENCY_HEADER),
        "units" => (Msg::RefKindUnits, &reference::UNIT_HEADER),
        "exchange-rates" => (Msg::RefKindRates, &reference::RATE_HEADER),
        _ => (Msg::RefKindRecords, &records::HEADER),
    };
    (t(lang, label), header.join(","))
}

#[component]
pub fn ReferenceDataPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let report = Resource::new_blocking(move || query.with(|q| q.get("report")), import_report);
    view! {
        <Title text=t(lang, Msg::RefTitle) />
        <h1 class="heading-xl">{t(lang, Msg::RefTitle)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match report.await {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                    Ok(found) => view! {
                        {found.map(|r| view! { <ReportView report=r /> })}
                        <UploadForm />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UploadForm() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="body">{t(lang, Msg::RefIntro)}</p>
        <form method="post" action="/admin/reference/import" enctype="multipart/form-data">
            <div class="form-group">
                <fieldset class="fieldset">
                    <legend class="label">{t(lang, Msg::RefKindLabel)}</legend>
                    <div class="radios">
                        {UPLOAD_KINDS
                            .iter()
                            .enumerate()
                            .map(|(i, kind)| {
                                let (label, columns) = kind_text(lang, kind);
                                let id = format!("kind-{kind}");
                                let hint = format!("{id}-hint");
                                let (columns_before, columns_after) = split_slot(&fmt::ref_columns_list(lang, SLOT));
                                view! {
                                    <div class="radio radio--hinted">
                                        <input type="radio" name="kind" id=id.clone() value=*kind checked=i == 0 aria-describedby=hint.clone() />
                                        <label for=id>{label}</label>
                                        <p class="hint radio__hint" id=hint>
                                            {columns_before}<code>{columns}</code>{columns_after}
                                        </p>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </div>
            <div class="form-group">
                <label class="label" for="file">{t(lang, Msg::RefFileLabel)}</label>
                <input class="input" type="file" id="file" name="file" accept=".csv,text/csv" required />
            </div>
            <div class="form-group">
                <div class="radio">
                    <input type="checkbox" id="skip_bad_lines" name="skip_bad_lines" value="true" />
                    <label for="skip_bad_lines">{t(lang, Msg::RefSkipLabel)}</label>
                </div>
            </div>
            <button type="submit" class="button">{t(lang, Msg::RefImportButton)}</button>
        </form>
    }
}

#[component]
fn ReportView(report: ImportReportView) -> impl IntoView {
    let lang = use_lang();
    let (label, _) = kind_text(lang, &report.kind);
    let title = if report.imported {
        t(lang, Msg::RefResultImported)
    } else {
        t(lang, Msg::RefResultRefused)
    };
    let class = if report.imported {
        "notice"
    } else {
        "error-summary"
    };
    let errors = report.errors.clone();
    view! {
        <div class=class role="status" tabindex="-1" id="import-result">
            <h2 class="heading-m">{title}</h2>
            <dl class="summary-list">
                <div class="summary-list__row"><dt>{t(lang, Msg::RefKindLabel)}</dt><dd>{label}</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::RefFile)}</dt><dd>{report.file_name.clone()}" ("{report.imported_at.clone()}")"</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::RefRowsLoaded)}</dt><dd>{report.rows_loaded}</dd></div>
                <div class="summary-list__row"><dt>{t(lang, Msg::RefErrorCount)}</dt><dd>{report.error_count}</dd></div>
            </dl>
            {(!report.imported).then(|| view! { <p class="body">{t(lang, Msg::RefRefusedHint)}</p> })}
        </div>
        {(!errors.is_empty()).then(|| view! {
            <p class="hint">{t(lang, Msg::RefErrorsShown)}</p>
            <table class="table">
                <TableHead columns=vec![(t(lang, Msg::RefLine).into(), true), (t(lang, Msg::RefProblem).into(), false)] />
                <tbody>
                    {errors.into_iter().map(|e| view! {
                        <tr><td class="numeric">{e.line}</td><td>{e.message}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
