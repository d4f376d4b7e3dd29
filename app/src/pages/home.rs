//! The home page: what the service is, where the journeys start, and a quick CIF estimate that
//! works as a plain GET form without JavaScript and updates as the user types once hydrated.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, FieldErrors, TextField, amount_error_message};
use crate::context::use_lang;
use crate::domain::amount::Amount;
use crate::domain::valuation::{CifInputs, cif_value, format_money};
use crate::i18n::{Msg, t};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Msg::HomeTitle) />
        <h1 class="heading-xl">{t(lang, Msg::HomeTitle)}</h1>
        <p class="body-lead">{t(lang, Msg::HomeIntro1)}</p>
        <p class="body">{t(lang, Msg::HomeIntro2)}</p>
        <h2 class="heading-l">{t(lang, Msg::JourneysHeading)}</h2>
        <ul class="journeys">
            <Journey title=Msg::JourneyCheck hint=Msg::JourneyCheckHint href=Some("/check") />
            <Journey title=Msg::JourneyBands hint=Msg::JourneyBandsHint href=Some("/bands") />
            <Journey title=Msg::JourneySignIn hint=Msg::JourneySignInHint href=Some("/sign-in") />
        </ul>
        <CifEstimate />
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

const FIELDS: [(&str, Msg); 3] = [
    ("price", Msg::EstimatePrice),
    ("freight", Msg::EstimateFreight),
    ("insurance", Msg::EstimateInsurance),
];

#[component]
fn CifEstimate() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let submitted = query.with_untracked(|q| FIELDS.iter().any(|(id, _)| q.get(id).is_some()));
    let inputs: [RwSignal<String>; 3] = FIELDS
        .map(|(id, _)| RwSignal::new(query.with_untracked(|q| q.get(id).unwrap_or_default())));

    // Errors are shown for what was submitted (the no-JS path); the live total simply waits for
    // valid figures.
    let errors: FieldErrors = if submitted {
        FIELDS
            .iter()
            .zip(inputs.iter())
            .filter_map(|((id, _), value)| {
                Amount::parse(&value.get_untracked())
                    .err()
                    .map(|e| (id.to_string(), amount_error_message(e).to_string()))
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

    let total = move || {
        let [price, freight, insurance] = inputs.map(|s| Amount::parse(&s.get()));
        match (price, freight, insurance) {
            (Ok(fob_price), Ok(freight), Ok(insurance)) => {
                format!(
                    "USD {}",
                    format_money(cif_value(CifInputs {
                        fob_price,
                        freight,
                        insurance
                    }))
                )
            }
            _ => "-".to_string(),
        }
    };

    view! {
        <section class="panel" aria-labelledby="estimate-heading">
            <h2 class="heading-l" id="estimate-heading">{t(lang, Msg::EstimateHeading)}</h2>
            <p class="body">{t(lang, Msg::EstimateIntro)}</p>
            <ErrorSummary errors=Signal::stored(errors.clone()) />
            <form method="get" action="/" novalidate>
                <p class="hint" id="estimate-hint">
                    {t(lang, Msg::EstimatePriceHint)} " " {t(lang, Msg::EstimateAmountHint)}
                </p>
                {FIELDS
                    .iter()
                    .zip(inputs)
                    .map(|((id, label), signal)| {
                        view! {
                            <TextField
                                id=id
                                label=t(lang, *label)
                                error=error_for(id)
                                value=signal
                                on_input=Callback::new(move |v| signal.set(v))
                                input_mode="decimal"
                                prefix="USD"
                            />
                        }
                    })
                    .collect_view()}
                <button type="submit" class="button">{t(lang, Msg::EstimateSubmit)}</button>
            </form>
            <div class="result" aria-live="polite">
                <span class="result__label">{t(lang, Msg::EstimateResult)}</span>
                " "
                <output class="result__value" id="estimate-total" for="price freight insurance">
                    {total}
                </output>
            </div>
            <p class="hint">{t(lang, Msg::EstimateLiveNote)}</p>
        </section>
    }
}
