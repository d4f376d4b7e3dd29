//! Public band pages: search the tariff, a line's bands, one band with its picture and history.
//! All are plain GET pages: they work the same without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::chart::BandChart;
use super::{
    BandPageData, LinePageData, PublishedBand, TariffSearch, band_detail, description_of,
    display_value, line_bands, search_tariff,
};
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::error::AppError;
use crate::i18n::{Lang, Msg, t, unit_name};

/// `0703200000` as `0703.20.00.00`, the way tariff codes are printed.
pub fn dotted(code: &str) -> String {
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        if i >= 4 && i % 2 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[component]
fn RiskStatement() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="inset" role="note">
            <p class="body"><strong>{t(lang, Msg::RiskStatementLead)}</strong></p>
            <p class="body">{t(lang, Msg::RiskStatement)}</p>
        </div>
    }
}

#[component]
pub fn BandSearchPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let results = Resource::new_blocking(q, |q| async move {
        if q.trim().is_empty() {
            Ok(None)
        } else {
            search_tariff(q).await.map(Some)
        }
    });
    view! {
        <Title text=t(lang, Msg::BandsTitle) />
        <h1 class="heading-xl">{t(lang, Msg::BandsTitle)}</h1>
        <p class="body-lead">{t(lang, Msg::BandsIntro)}</p>
        <RiskStatement />
        <form method="get" action="/bands" class="search-form" role="search">
            <div class="form-group">
                <label class="label" for="q">{t(lang, Msg::BandsSearchLabel)}</label>
                <p class="hint" id="q-hint">{t(lang, Msg::BandsSearchHint)}</p>
                <input class="input" type="search" id="q" name="q" value=q aria-describedby="q-hint" autocomplete="off" />
            </div>
            <button type="submit" class="button">{t(lang, Msg::BandsSearchButton)}</button>
        </form>
        <Suspense>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(found)) => view! { <SearchResults found=found /> }.into_any(),
                    Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchResults(found: TariffSearch) -> impl IntoView {
    let lang = use_lang();
    if found.unreadable {
        return view! { <p class="body" role="status">{t(lang, Msg::BandsUnreadable)}</p> }
            .into_any();
    }
    if found.hits.is_empty() {
        return view! { <p class="body" role="status">{t(lang, Msg::BandsNoResults)}</p> }
            .into_any();
    }
    let count = found.hits.len();
    view! {
        <div role="status">
            <h2 class="heading-l">{format!("{} ({count})", t(lang, Msg::BandsResults))}</h2>
        </div>
        <table class="table">
            <TableHead columns=vec![(t(lang, Msg::ColCode).into(), false), (t(lang, Msg::ColDescription).into(), false), (t(lang, Msg::ColBandsInForce).into(), true)] />
            <tbody>
                {found
                    .hits
                    .into_iter()
                    .map(|hit| {
                        let description = description_of(&hit, lang).to_string();
                        view! {
                            <tr>
                                <td class="code"><a href=format!("/bands/{}", hit.code)>{dotted(&hit.code)}</a></td>
                                <td>{description}</td>
                                <td class="numeric">{hit.bands}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn not_found(lang: Lang) -> AnyView {
    view! {
        <Title text=t(lang, Msg::NotFoundTitle) />
        <h1 class="heading-xl">{t(lang, Msg::NotFoundTitle)}</h1>
        <p class="body"><a href="/bands">{t(lang, Msg::BandsBackToSearch)}</a></p>
    }
    .into_any()
}

#[component]
pub fn TariffLinePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let data = Resource::new_blocking(code, line_bands);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(found) if !found.lines.is_empty() || !found.bands.is_empty() => {
                        view! { <LineBandsView found=found /> }.into_any()
                    }
                    Ok(_) | Err(AppError::NotFound) => not_found(lang),
                    Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LineBandsView(found: LinePageData) -> impl IntoView {
    let lang = use_lang();
    let line = found.lines.last().cloned();
    let heading = line
        .as_ref()
        .map(|l| format!("{} {}", dotted(&l.code), l.description(lang)))
        .unwrap_or_default();
    let parents: Vec<_> = found
        .lines
        .iter()
        .take(found.lines.len().saturating_sub(1))
        .cloned()
        .collect();
    view! {
        <Title text=heading.clone() />
        <p class="body"><a href="/bands">{t(lang, Msg::BandsBackToSearch)}</a></p>
        <h1 class="heading-l">{heading}</h1>
        {line.as_ref().map(|l| view! {
            <p class="body"><a class="button button--secondary" id="check-this-code" href=format!("/check?hs={}", l.code)>{t(lang, Msg::CheckWithThisCode)}</a></p>
        })}
        {(!parents.is_empty()).then(|| view! {
            <ul class="tariff-path">
                {parents.into_iter().map(|p| view! {
                    <li><a href=format!("/bands/{}", p.code)>{dotted(&p.code)}</a>" "{p.description(lang).to_string()}</li>
                }).collect_view()}
            </ul>
        })}
        <RiskStatement />
        <h2 class="heading-m">{format!("{} {}", t(lang, Msg::BandsInForceOn), found.as_of)}</h2>
        {if found.bands.is_empty() {
            view! { <p class="body">{t(lang, Msg::LineNoBands)}</p> }.into_any()
        } else {
            view! { <BandTable bands=found.bands /> }.into_any()
        }}
    }
}

#[component]
fn BandTable(bands: Vec<PublishedBand>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="table">
            <TableHead columns=vec![(t(lang, Msg::ColCode).into(), false), (t(lang, Msg::ColOrigin).into(), false), (t(lang, Msg::ColUnit).into(), false), (t(lang, Msg::ColObservations).into(), true), (t(lang, Msg::ColUsualRange).into(), true), (t(lang, Msg::FigMedian).into(), true)] />
            <tbody>
                {bands
                    .into_iter()
                    .map(|b| {
                        let label = format!("{} {} {}", dotted(&b.tariff_code), t(lang, Msg::FromOrigin), b.origin_name(lang));
                        view! {
                            <tr>
                                <td class="code"><a href=b.href() aria-label=label>{dotted(&b.tariff_code)}</a></td>
                                <td>{b.origin_name(lang).to_string()}</td>
                                <td>{format!("{} {} {}", b.currency, t(lang, Msg::UnitPer), unit_name(lang, &b.unit))}</td>
                                <td class="numeric">{b.n - b.n_trimmed}</td>
                                <td class="numeric">{format!("{} – {}", display_value(b.p25), display_value(b.p75))}</td>
                                <td class="numeric">{display_value(b.median)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn BandPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.get();
        (
            p.get("code").unwrap_or_default(),
            p.get("origin").unwrap_or_default(),
            p.get("unit").unwrap_or_default(),
            query.with(|q| q.get("as_of")),
        )
    };
    let data = Resource::new_blocking(key, |(code, origin, unit, as_of)| {
        band_detail(code, origin, unit, as_of)
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(detail) if detail.band.is_some() || !detail.history.is_empty() => {
                        view! { <BandDetailView detail=detail /> }.into_any()
                    }
                    Ok(_) | Err(AppError::NotFound) => not_found(lang),
                    Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BandDetailView(detail: BandPageData) -> impl IntoView {
    let lang = use_lang();
    let reference = detail
        .band
        .clone()
        .or_else(|| detail.history.first().cloned());
    let Some(reference) = reference else {
        return not_found(lang);
    };
    let line = detail.lines.last();
    let heading = format!(
        "{} {} · {} {}",
        dotted(&reference.tariff_code),
        line.map(|l| l.description(lang)).unwrap_or_default(),
        t(lang, Msg::FromOrigin),
        reference.origin_name(lang)
    );
    let csv = format!(
        "/api/v1/bands.csv?hs={}&origin={}&unit={}&as_of={}",
        reference.tariff_code, reference.origin, reference.unit, detail.as_of
    );
    let json = csv.replace("bands.csv", "bands");
    let history = detail.history.clone();
    view! {
        <Title text=heading.clone() />
        <p class="body"><a href=format!("/bands/{}", reference.tariff_code)>{t(lang, Msg::BandsBackToLine)}</a></p>
        <h1 class="heading-l">{heading}</h1>
        <RiskStatement />
        {match detail.band {
            None => view! {
                <p class="body" role="status">{format!("{} {}", t(lang, Msg::NoBandOnDate), detail.as_of)}</p>
            }.into_any(),
            Some(band) => view! { <BandFigures band=band as_of=detail.as_of /> }.into_any(),
        }}
        <form method="get" class="inline-form">
            <div class="form-group">
                <label class="label" for="as_of">{t(lang, Msg::AsOfLabel)}</label>
                <input class="input input--date" type="date" id="as_of" name="as_of" value=detail.as_of.to_string() />
            </div>
            <button type="submit" class="button button--secondary">{t(lang, Msg::AsOfButton)}</button>
        </form>
        <p class="body">
            <a href=csv download="">{t(lang, Msg::DownloadCsv)}</a>
            " · "
            <a href=json>{t(lang, Msg::DownloadJson)}</a>
        </p>
        <h2 class="heading-m">{t(lang, Msg::HistoryHeading)}</h2>
        <table class="table">
            <TableHead columns=vec![(t(lang, Msg::FigEffective).into(), false), (t(lang, Msg::FigPeriod).into(), false), (t(lang, Msg::ColObservations).into(), true), ("P10".into(), true), (t(lang, Msg::FigMedian).into(), true), ("P90".into(), true)] />
            <tbody>
                {history
                    .into_iter()
                    .map(|h| view! {
                        <tr>
                            <td><a href=format!("?as_of={}", h.effective_from)>{h.effective_from.to_string()}</a></td>
                            <td>{format!("{} – {}", h.period_from, h.period_to)}</td>
                            <td class="numeric">{h.n - h.n_trimmed}</td>
                            <td class="numeric">{display_value(h.p10)}</td>
                            <td class="numeric">{display_value(h.median)}</td>
                            <td class="numeric">{display_value(h.p90)}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn BandFigures(band: PublishedBand, as_of: chrono::NaiveDate) -> impl IntoView {
    let lang = use_lang();
    let scale = format!(
        "{} {} {}",
        band.currency,
        t(lang, Msg::UnitPer),
        unit_name(lang, &band.unit)
    );
    let rows = [
        (t(lang, Msg::FigP10), display_value(band.p10)),
        (t(lang, Msg::FigP25), display_value(band.p25)),
        (t(lang, Msg::FigMedian), display_value(band.median)),
        (t(lang, Msg::FigP75), display_value(band.p75)),
        (t(lang, Msg::FigP90), display_value(band.p90)),
    ];
    view! {
        <BandChart band=band.clone() />
        <h2 class="heading-m">{t(lang, Msg::FiguresHeading)}</h2>
        <dl class="summary-list">
            {rows.into_iter().map(|(label, value)| view! {
                <div class="summary-list__row">
                    <dt>{label}</dt>
                    <dd>{format!("{value} {scale}")}</dd>
                </div>
            }).collect_view()}
            <div class="summary-list__row">
                <dt>{t(lang, Msg::FigObservations)}</dt>
                <dd>{(band.n - band.n_trimmed).to_string()}</dd>
            </div>
            <div class="summary-list__row">
                <dt>{t(lang, Msg::FigTrimmed)}</dt>
                <dd>{band.n_trimmed.to_string()}</dd>
            </div>
            <div class="summary-list__row">
                <dt>{t(lang, Msg::FigPeriod)}</dt>
                <dd>{format!("{} – {}", band.period_from, band.period_to)}</dd>
            </div>
            <div class="summary-list__row">
                <dt>{t(lang, Msg::FigAsOf)}</dt>
                <dd>{as_of.to_string()}</dd>
            </div>
            <div class="summary-list__row">
                <dt>{t(lang, Msg::FigEffective)}</dt>
                <dd>{format!("{} ({} {})", band.effective_from, t(lang, Msg::FigVersion), band.version)}</dd>
            </div>
        </dl>
    }
}
