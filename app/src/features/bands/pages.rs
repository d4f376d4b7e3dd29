//! Public band pages: search the tariff, a line's bands, one band with its picture and history.
//! All are plain GET pages: they work the same without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    BandPageData, LinePageData, PublishedBand, TariffSearch, band_detail, description_of,
    line_bands, search_tariff,
};
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::domain::nomenclature::dotted;
use crate::domain::valuation::display_value;
use crate::error::AppError;
use crate::i18n::{Lang, Msg, fmt, t, unit_name};
use rust_decimal::Decimal;

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
    let count = found.hits.len() as i64;
    view! {
        <div role="status">
            <h2 class="heading-l">{fmt::bands_results_count(lang, count)}</h2>
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
        <h2 class="heading-m">{fmt::bands_in_force_on_date(lang, found.as_of)}</h2>
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
                        let label = fmt::band_code_from_origin(lang, dotted(&b.tariff_code), b.origin_name(lang));
                        view! {
                            <tr>
                                <td class="code"><a href=b.href() aria-label=label>{dotted(&b.tariff_code)}</a></td>
                                <td>{b.origin_name(lang).to_string()}</td>
                                <td>{fmt::value_per_unit(lang, &b.currency, unit_name(lang, &b.unit))}</td>
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
    let heading = fmt::band_line_from_origin(
        lang,
        dotted(&reference.tariff_code),
        line.map(|l| l.description(lang)).unwrap_or_default(),
        reference.origin_name(lang),
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
                <p class="body" role="status">{fmt::no_band_on_date_at(lang, detail.as_of)}</p>
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
    let scale = fmt::value_per_unit(lang, &band.currency, unit_name(lang, &band.unit));
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
                    <dd>{fmt::amount_in_unit(lang, value, &scale)}</dd>
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
                <dd>{fmt::fig_date_version(lang, band.effective_from, band.version)}</dd>
            </div>
        </dl>
    }
}

// The band picture: P10–P90 range, P25–P75 box, median line, on a labelled scale, with an
// optional marker for a declared unit value. Plain SVG drawn on the server, readable without
// JavaScript; the figures it shows are also in a table beside it. Geometry uses `f64`, which
// only positions shapes: every figure printed comes from the decimals.

const WIDTH: f64 = 640.0;
const LEFT: f64 = 24.0;
const RIGHT: f64 = 616.0;

fn to_f64(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or(0.0)
}

/// A step of 1, 2 or 5 times a power of ten giving about four intervals over `span`.
fn nice_step(span: f64) -> f64 {
    let raw = span / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

#[component]
pub fn BandChart(band: PublishedBand, #[prop(optional)] mark: Option<Decimal>) -> impl IntoView {
    let lang = use_lang();
    let [p10, p25, median, p75, p90] =
        [band.p10, band.p25, band.median, band.p75, band.p90].map(to_f64);
    let mut low = p10;
    let mut high = p90;
    if let Some(mark) = mark.map(to_f64) {
        low = low.min(mark);
        high = high.max(mark);
    }
    let pad = ((high - low) * 0.08).max(high.abs() * 0.05).max(1e-9);
    let (low, high) = ((low - pad).max(0.0), high + pad);
    let x = move |v: f64| LEFT + (v - low) / (high - low) * (RIGHT - LEFT);
    let step = nice_step(high - low);
    let first = (low / step).ceil() as i64;
    let last = (high / step).floor() as i64;
    let ticks: Vec<(f64, String)> = (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            let label = Decimal::try_from(v)
                .map(|d| display_value(d.round_dp(8).normalize()))
                .unwrap_or_default();
            (x(v), label)
        })
        .collect();
    let scale = fmt::value_per_unit(lang, &band.currency, unit_name(lang, &band.unit));
    let title_id = format!("chart-title-{}", band.version);
    let desc_id = format!("chart-desc-{}", band.version);
    let description = fmt::chart_summary(
        lang,
        display_value(band.median),
        display_value(band.p10),
        display_value(band.p25),
        display_value(band.p75),
        display_value(band.p90),
        &scale,
    );
    let marker = mark.map(|m| {
        let mx = x(to_f64(m));
        view! {
            <g class="band-chart__mark">
                <line x1=mx x2=mx y1="14" y2="92" />
                <text x=mx y="10" text-anchor="middle">{display_value(m)}</text>
            </g>
        }
    });
    view! {
        <figure class="band-chart">
            <svg
                viewBox=format!("0 0 {WIDTH} 150")
                role="img"
                aria-labelledby=format!("{title_id} {desc_id}")
                class="band-chart__svg"
                data-testid="band-chart"
            >
                <title id=title_id.clone()>{t(lang, Msg::ChartTitle)}</title>
                <desc id=desc_id.clone()>{description}</desc>
                <line class="band-chart__range" x1=x(p10) x2=x(p90) y1="52" y2="52" />
                <line class="band-chart__cap" x1=x(p10) x2=x(p10) y1="40" y2="64" />
                <line class="band-chart__cap" x1=x(p90) x2=x(p90) y1="40" y2="64" />
                <rect class="band-chart__box" x=x(p25) y="30" width=(x(p75) - x(p25)).max(1.0) height="44" />
                <line class="band-chart__median" x1=x(median) x2=x(median) y1="26" y2="78" />
                <text class="band-chart__label" x=x(p10) y="88" text-anchor="middle">"P10"</text>
                <text class="band-chart__label" x=x(median) y="22" text-anchor="middle">
                    {t(lang, Msg::FigMedian)}
                </text>
                <text class="band-chart__label" x=x(p90) y="88" text-anchor="middle">"P90"</text>
                <line class="band-chart__axis" x1=LEFT x2=RIGHT y1="104" y2="104" />
                {ticks
                    .into_iter()
                    .map(|(tx, label)| {
                        view! {
                            <line class="band-chart__tick" x1=tx x2=tx y1="104" y2="110" />
                            <text class="band-chart__tick-label" x=tx y="124" text-anchor="middle">{label}</text>
                        }
                    })
                    .collect_view()}
                <text class="band-chart__scale" x=WIDTH / 2.0 y="144" text-anchor="middle">{scale.clone()}</text>
                {marker}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::nice_step;

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(nice_step(10.0), 5.0);
        assert_eq!(nice_step(3.0), 1.0);
        assert!((nice_step(0.07) - 0.02).abs() < 1e-12);
        assert_eq!(nice_step(1800.0), 500.0);
    }
}
