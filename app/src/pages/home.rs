//! The home page: what the service is, where the journeys start, and a quick estimate of the
//! customs value on the deployment's basis and in its base currency, through the check's engine.
//! It works as a plain GET form without JavaScript and updates as the user types once hydrated.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;

use crate::components::form::{ErrorSummary, FieldErrors, TextField, amount_error_message};
use crate::components::islands::IslandScripts;
use crate::context::use_lang;
use crate::domain::amount::Amount;
use crate::domain::engine::{Additions, Basis, Invoice, Item, lines};
use crate::domain::incoterm::Incoterm;
use crate::domain::units::{Dimension, UnitFactor};
use crate::domain::valuation::format_money;
use crate::features::check::valuation_basis;
use crate::i18n::{Msg, fmt, t};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Msg::HomeTitle) />
        <IslandScripts />
        <h1 class="heading-xl">{t(lang, Msg::HomeTitle)}</h1>
        <p class="body-lead">{t(lang, Msg::HomeIntro1)}</p>
        <p class="body">{t(lang, Msg::HomeIntro2)}</p>
        <h2 class="heading-l">{t(lang, Msg::JourneysHeading)}</h2>
        <ul class="journeys">
            <Journey title=Msg::JourneyCheck hint=Msg::JourneyCheckHint href=Some("/check") />
            <Journey title=Msg::JourneyBands hint=Msg::JourneyBandsHint href=Some("/bands") />
            <Journey title=Msg::JourneySignIn hint=Msg::JourneySignInHint href=Some("/sign-in") />
        </ul>
        <ValueEstimate />
    }
}

/// A journey card: a link where the journey exists, "coming soon" where a later release brings it.
#[component]
fn Journey(title: Msg, hint: Msg, href: Option<&'static str>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li class="journey">
            <h3 class="heading-s">
                {match href {
                    Some(href) => view! { <a href=href>{t(lang, title)}</a> }.into_any(),
                    None => t(lang, title).into_any(),
                }}
            </h3>
            <p class="body">{t(lang, hint)}</p>
            {href.is_none().then(|| view! { <p class="tag">{t(lang, Msg::ComingSoon)}</p> })}
        </li>
    }
}

/// The estimate's amounts: the form field, its label and the engine's item it becomes.
const FIELDS: [(&str, Msg, Item); 3] = [
    ("price", Msg::EstimatePrice, Item::Price),
    ("freight", Msg::EstimateFreight, Item::Freight),
    ("insurance", Msg::EstimateInsurance, Item::Insurance),
];

/// The line the estimate values: goods sold on FOB terms with `[price, freight, insurance]`
/// and nothing else, every amount in the base currency.
fn invoice([price, freight, insurance]: [Decimal; 3]) -> Invoice {
    let one = UnitFactor {
        dimension: Dimension::Count,
        factor: Decimal::ONE,
    };
    Invoice {
        incoterm: Incoterm::Fob,
        currency: String::new(),
        price,
        pre_carriage: Decimal::ZERO,
        freight,
        insurance,
        additions: Additions::default(),
        post_import_costs: Decimal::ZERO,
        quantity: Decimal::ONE,
        unit: String::new(),
        unit_factor: one,
        date: chrono::NaiveDate::default(),
    }
}

/// The amounts that are part of the value on `basis`, as the engine counts them.
fn counted(basis: Basis) -> Vec<(&'static str, Msg, Item)> {
    let rows = lines(&invoice([Decimal::ONE; 3]), basis);
    FIELDS
        .into_iter()
        .filter(|(_, _, item)| rows.iter().any(|row| row.item == *item))
        .collect()
}

/// The customs value the engine gives the line (in the base currency: no conversion).
fn estimate(amounts: [Decimal; 3], basis: Basis) -> Decimal {
    lines(&invoice(amounts), basis)
        .iter()
        .map(|row| row.amount)
        .sum()
}

/// What is added up on `basis`.
fn intro(basis: Basis) -> Msg {
    match basis {
        Basis::Cif => Msg::EstimateIntro,
        Basis::Fob => Msg::EstimateIntroFob,
    }
}

/// The estimate, once the deployment's basis and base currency are known.
#[component]
fn ValueEstimate() -> impl IntoView {
    let lang = use_lang();
    let basis = Resource::new_blocking(|| (), |_| valuation_basis());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match basis.await {
                    Ok((basis, base_currency)) => view! {
                        <EstimateForm base_currency basis />
                    }
                    .into_any(),
                    Err(e) => view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EstimateForm(base_currency: String, basis: Basis) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let fields = counted(basis);
    let submitted = query.with_untracked(|q| fields.iter().any(|(id, _, _)| q.get(id).is_some()));
    let values: Vec<(String, String)> = fields
        .iter()
        .map(|(id, _, _)| {
            let value = query.with_untracked(|q| q.get(id).unwrap_or_default());
            (id.to_string(), value)
        })
        .collect();

    // Errors are shown for what was submitted (the no-JS path); the live total simply waits for
    // valid figures.
    let errors: FieldErrors = if submitted {
        values
            .iter()
            .filter_map(|(id, value)| {
                Amount::parse(value)
                    .err()
                    .map(|e| (id.clone(), amount_error_message(e).to_string()))
            })
            .collect()
    } else {
        Vec::new()
    };
    let error_for = |id: &str| {
        errors
            .iter()
            .find(|(field, _)| field == id)
            .map(|(_, message)| message.clone())
    };

    let inputs = fields
        .iter()
        .zip(values.clone())
        .map(|(&(id, label, _), (_, value))| {
            view! {
                <TextField
                    id=id
                    label=t(lang, label)
                    error=error_for(id)
                    value
                    input_mode="decimal"
                    prefix=base_currency.clone()
                />
            }
        })
        .collect_view();

    view! {
        <section class="panel" aria-labelledby="estimate-heading">
            <h2 class="heading-l" id="estimate-heading">{fmt::estimate_heading(lang, basis.code())}</h2>
            <p class="body">{t(lang, intro(basis))}</p>
            <ErrorSummary errors=Signal::stored(errors.clone()) />
            <LiveEstimate
                basis
                base_currency=base_currency.clone()
                values
                label=fmt::estimate_result(lang, basis.code())
            >
                <form method="get" action="/" novalidate>
                    <p class="hint" id="estimate-hint">
                        {fmt::estimate_price_hint(lang, &base_currency)} " "
                        {t(lang, Msg::EstimateAmountHint)}
                    </p>
                    {inputs}
                    <button type="submit" class="button">{t(lang, Msg::EstimateSubmit)}</button>
                </form>
            </LiveEstimate>
            <p class="hint">{t(lang, Msg::EstimateLiveNote)}</p>
        </section>
    }
}

/// The form (server HTML, `children`) and under it the estimate, recomputed as the user types
/// once the island is hydrated (the fields' `input` events bubble up to it). `values` are the
/// counted fields' ids and what they hold, in [`FIELDS`] order.
#[island]
fn LiveEstimate(
    basis: Basis,
    base_currency: String,
    values: Vec<(String, String)>,
    label: String,
    children: Children,
) -> impl IntoView {
    let output_for = values
        .iter()
        .map(|(id, _)| id.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let live = RwSignal::new(values);
    let total = move || {
        let mut amounts = [Decimal::ZERO; 3];
        for (id, value) in live.get() {
            let Ok(amount) = Amount::parse(&value) else {
                return "-".to_string();
            };
            if let Some(slot) = FIELDS.iter().position(|(field, _, _)| *field == id) {
                amounts[slot] = amount.value();
            }
        }
        format!("{base_currency} {}", format_money(estimate(amounts, basis)))
    };
    let record = move |ev: leptos::ev::Event| {
        let name = event_target::<leptos::web_sys::Element>(&ev).get_attribute("name");
        let value = event_target_value(&ev);
        live.update(|values| {
            if let Some(slot) = values.iter_mut().find(|(id, _)| Some(id) == name.as_ref()) {
                slot.1 = value;
            }
        });
    };
    // What was typed before the island came alive counts too.
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = root.get() {
            live.update(|values| {
                for (id, value) in values.iter_mut() {
                    if let Some(input) = root
                        .query_selector(&format!("input[name=\"{id}\"]"))
                        .ok()
                        .flatten()
                        .and_then(|e| {
                            wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlInputElement>(e)
                                .ok()
                        })
                    {
                        *value = input.value();
                    }
                }
            });
        }
        crate::components::islands::island_alive();
    });
    view! {
        <div on:input=record node_ref=root>
            {children()}
            <div class="result" aria-live="polite">
                <span class="result__label">{label}</span>
                " "
                <output class="result__value" id="estimate-total" for=output_for>
                    {total}
                </output>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An amount as the form reads it.
    fn d(text: &str) -> Decimal {
        Amount::parse(text).unwrap().value()
    }

    fn shown(amounts: [&str; 3], basis: Basis) -> String {
        format_money(estimate(amounts.map(d), basis))
    }

    #[test]
    fn uk_duty_calculator_case_goods_shipping_insurance() {
        assert_eq!(shown(["10", "10", "10"], Basis::Cif), "30.00");
    }

    #[test]
    fn decimals_add_exactly() {
        assert_eq!(
            estimate([d("0.10"), d("0.20"), d("0")], Basis::Cif),
            Decimal::new(30, 2)
        );
    }

    #[test]
    fn largest_inputs_do_not_overflow() {
        let max = "1000000000000000000";
        assert_eq!(shown([max, max, max], Basis::Cif), "3000000000000000000.00");
    }

    #[test]
    fn on_a_fob_basis_freight_and_insurance_are_neither_asked_nor_counted() {
        let ids = |basis| {
            counted(basis)
                .into_iter()
                .map(|(id, _, _)| id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(Basis::Cif), vec!["price", "freight", "insurance"]);
        assert_eq!(ids(Basis::Fob), vec!["price"]);
        assert_eq!(shown(["10", "10", "10"], Basis::Fob), "10.00");
    }
}
