//! The band picture: P10–P90 range, P25–P75 box, median line, on a labelled scale, with an
//! optional marker for a declared unit value. Plain SVG drawn on the server, readable without
//! JavaScript; the figures it shows are also in a table beside it. Geometry uses `f64`, which
//! only positions shapes: every figure printed comes from the decimals.

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::{PublishedBand, display_value};
use crate::context::use_lang;
use crate::i18n::{Msg, t, unit_name};

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
    let scale = format!(
        "{} {} {}",
        band.currency,
        t(lang, Msg::UnitPer),
        unit_name(lang, &band.unit)
    );
    let title_id = format!("chart-title-{}", band.version);
    let desc_id = format!("chart-desc-{}", band.version);
    let description = format!(
        "{}: P10 {}, P25 {}, {} {}, P75 {}, P90 {} ({scale}).",
        t(lang, Msg::ChartTitle),
        display_value(band.p10),
        display_value(band.p25),
        t(lang, Msg::FigMedian),
        display_value(band.median),
        display_value(band.p75),
        display_value(band.p90),
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
