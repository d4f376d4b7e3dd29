//! The check page: one well-grouped GET form (goods, price and costs, Article 8, the reasons),
//! and below it, once submitted, the result: the verdict in plain words, the band picture with
//! the declared unit value marked, the calculation line by line, the evidence to keep ready and
//! the trader's rights. Once hydrated, the value in the invoice currency updates as one types.

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::{CheckForm, CheckOptions, CheckOutcome, FIELD_NAMES};
use crate::components::form::{
    CheckboxGroup, ErrorSummary, FieldErrors, RadioGroup, Select, TextField,
};
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::domain::amount::Amount;
use crate::domain::engine::{Basis, lines};
use crate::domain::evidence::Reason;
use crate::domain::incoterm::Incoterm;
use crate::domain::nomenclature::dotted;
use crate::domain::valuation::display_value;
use crate::domain::valuation::format_money;
use crate::features::bands::pages::BandChart;
use crate::i18n::{Lang, Msg, SLOT, fmt, split_slot, t, unit_name};
use crate::labels::{evidence_label, item_label, reason_label};

/// Check your answers: each answer with a link that goes back to its question. `change_to` is
/// the page holding the form (empty: this page).
#[component]
pub fn AnswersList(answers: CheckForm, #[prop(into)] change_to: String) -> impl IntoView {
    let lang = use_lang();
    let value_of = |name: &str| -> String {
        let raw = answers.get(name).trim();
        match name {
            "related" => t(
                lang,
                if raw == "yes" {
                    Msg::AnswerYes
                } else {
                    Msg::AnswerNo
                },
            )
            .into(),
            _ if super::AMOUNT_FIELDS.contains(&name) => {
                let amount = Amount::parse(raw).map(|a| a.value()).unwrap_or_default();
                format!("{} {}", answers.currency, format_money(amount))
            }
            _ if raw.is_empty() => "—".into(),
            _ => raw.to_string(),
        }
    };
    let reasons: Vec<&str> = answers
        .reasons()
        .into_iter()
        .map(|r| t(lang, reason_label(r)))
        .collect();
    let row = |name: &'static str, label: String, value: String| {
        let href = format!("{change_to}#{name}");
        let (change_before, change_after) = split_slot(&fmt::answer_change_named(lang, SLOT));
        view! {
            <div class="summary-list__row summary-list__row--actions">
                <dt>{label.clone()}</dt>
                <dd>{value}</dd>
                <dd class="summary-list__actions">
                    <a href=href>{change_before}<span class="visually-hidden">{label}</span>{change_after}</a>
                </dd>
            </div>
        }
    };
    view! {
        <h3 class="heading-m">{t(lang, Msg::AnswersHeading)}</h3>
        <dl class="summary-list" id="answers">
            {FIELD_NAMES
                .into_iter()
                .map(|name| row(name, t(lang, super::field(name).map_or(Msg::CheckRelatedLegend, |f| f.label)).to_string(), value_of(name)))
                .collect_view()}
            {row(
                "reasons",
                t(lang, Msg::CheckReasonsShort).to_string(),
                if reasons.is_empty() { t(lang, Msg::AnswerNone).to_string() } else { reasons.join(", ") },
            )}
        </dl>
    }
    .into_any()
}

/// The form as the address gives it (checkboxes come as repeated `reason` parameters).
pub fn form_from_query(query: &leptos_router::params::ParamsMap) -> CheckForm {
    let mut form = CheckForm::default();
    for name in FIELD_NAMES {
        if let Some(value) = query.get(name) {
            form.set(name, value);
        }
    }
    form.reasons = query.get_all("reason").unwrap_or_default().join(",");
    form
}

/// The value in the invoice currency from the answers so far, for the live line.
fn live_total(form: &CheckForm, basis: Basis) -> Option<String> {
    live_value(form, basis).map(|total| format!("{} {}", form.currency, format_money(total)))
}

/// The same per declared unit (still in the invoice currency: the rate and the band's unit are
/// applied by the check itself).
fn live_unit_value(form: &CheckForm, basis: Basis) -> Option<String> {
    let total = live_value(form, basis)?;
    let quantity = form.quantity()?;
    let unit = if form.unit.is_empty() {
        "—"
    } else {
        &form.unit
    };
    Some(format!(
        "{} {} / {unit}",
        form.currency,
        display_value(total.checked_div(quantity)?.round_dp(8))
    ))
}

fn live_value(form: &CheckForm, basis: Basis) -> Option<Decimal> {
    let incoterm = Incoterm::parse(&form.incoterm)?;
    let amount = |name: &str| Amount::parse(form.get(name)).ok().map(|a| a.value());
    let invoice = crate::domain::engine::Invoice {
        incoterm,
        currency: form.currency.clone(),
        price: amount("price")?,
        pre_carriage: amount("pre_carriage")?,
        freight: amount("freight")?,
        insurance: amount("insurance")?,
        additions: crate::domain::engine::Additions {
            selling_commissions: amount("commissions")?,
            packing: amount("packing")?,
            assists: amount("assists")?,
            royalties: amount("royalties")?,
            proceeds: amount("proceeds")?,
        },
        post_import_costs: amount("post_import")?,
        quantity: Decimal::ONE,
        unit: String::new(),
        unit_factor: crate::domain::units::UnitFactor {
            dimension: crate::domain::units::Dimension::Count,
            factor: Decimal::ONE,
        },
        date: chrono::NaiveDate::default(),
    };
    Some(lines(&invoice, basis).iter().map(|l| l.amount).sum())
}

#[component]
pub fn CheckFormView(options: CheckOptions, form: CheckForm, errors: FieldErrors) -> impl IntoView {
    let lang = use_lang();
    let error = |id: &str| errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone());
    let basis = options.basis;
    let name_of = |es: &String, en: &String| match lang {
        Lang::Es => es.clone(),
        Lang::En => en.clone(),
    };
    let countries: Vec<(String, String)> = options
        .countries
        .iter()
        .map(|(code, es, en)| (code.clone(), name_of(es, en)))
        .collect();
    let mut currencies: Vec<(String, String)> = options
        .currencies
        .iter()
        .map(|(code, es, en)| (code.clone(), format!("{code} · {}", name_of(es, en))))
        .collect();
    if !currencies.iter().any(|(c, _)| *c == options.base_currency) {
        currencies.insert(
            0,
            (options.base_currency.clone(), options.base_currency.clone()),
        );
    }
    let units: Vec<(String, String)> = options
        .units
        .iter()
        .map(|(code, name)| (code.clone(), format!("{code} · {name}")))
        .collect();
    let incoterms: Vec<(String, String)> = Incoterm::ALL
        .iter()
        .map(|i| (i.code().to_string(), i.code().to_string()))
        .collect();
    let date = if form.date.is_empty() {
        options.today.to_string()
    } else {
        form.date.clone()
    };
    let currency = if form.currency.is_empty() {
        options.base_currency.clone()
    } else {
        form.currency.clone()
    };
    let reasons = form.reasons();
    let label = |id: &str| {
        t(
            lang,
            super::field(id).map_or(Msg::CheckRelatedLegend, |f| f.label),
        )
    };
    let amount = |id: &'static str, hint: Option<Msg>| {
        view! {
            <TextField
                id=id
                label=label(id)
                hint=t(lang, hint.unwrap_or(Msg::CheckAmountHint))
                error=error(id)
                value=form.get(id).to_string()
                input_mode="decimal"
            />
        }
    };
    // The live figures start from the answers as the form shows them.
    let live = CheckForm {
        date: date.clone(),
        currency: currency.clone(),
        ..form.clone()
    };
    let (total_before, total_after) = split_slot(&fmt::check_live_total(lang, SLOT));
    let (unit_before, unit_after) = split_slot(&fmt::check_live_unit_value(lang, SLOT));
    let questions = view! {
        <fieldset class="fieldset">
            <legend class="heading-m">{t(lang, Msg::CheckGoodsHeading)}</legend>
            <TextField id="hs" label=label("hs") hint=t(lang, Msg::CheckTariffHint) error=error("hs") value=form.hs.clone() input_mode="numeric" />
            <p class="body"><a href="/bands">{t(lang, Msg::CheckFindCode)}</a></p>
            <Select id="origin" label=label("origin") options=countries selected=form.origin.clone() error=error("origin") />
            <Select id="incoterm" label=label("incoterm") options=incoterms selected=form.incoterm.clone() error=error("incoterm") />
            <TextField id="date" label=label("date") hint=t(lang, Msg::DateHint) error=error("date") value=date input_type="date" />
            <TextField id="quantity" label=label("quantity") error=error("quantity") value=form.quantity.clone() input_mode="decimal" />
            <Select id="unit" label=label("unit") options=units selected=form.unit.clone() error=error("unit") />
        </fieldset>
        <fieldset class="fieldset">
            <legend class="heading-m">{t(lang, Msg::CheckPriceHeading)}</legend>
            <Select id="currency" label=label("currency") options=currencies selected=currency.clone() error=error("currency") />
            {amount("price", Some(Msg::CheckPriceHint))}
            {amount("pre_carriage", None)}
            {amount("freight", None)}
            {amount("insurance", None)}
        </fieldset>
        <fieldset class="fieldset">
            <legend class="heading-m">{t(lang, Msg::CheckAdditionsHeading)}</legend>
            {amount("commissions", None)}
            {amount("packing", None)}
            {amount("assists", None)}
            {amount("royalties", None)}
            {amount("proceeds", None)}
            {amount("post_import", Some(Msg::CheckDeductionsHint))}
        </fieldset>
        <RadioGroup
            id="related"
            legend=label("related")
            options=vec![("yes", t(lang, Msg::AnswerYes)), ("no", t(lang, Msg::AnswerNo))]
            selected=if form.related == "yes" { "yes" } else { "no" }
            inline=true
        />
        <CheckboxGroup
            id="reasons"
            name="reason"
            legend=t(lang, Msg::CheckReasonsLegend)
            options=Reason::ALL.into_iter().map(|r| (r.code(), t(lang, reason_label(r)))).collect()
            checked=Reason::ALL.into_iter().filter(|r| reasons.contains(r)).map(Reason::code).collect()
        />
    };
    view! {
        <ErrorSummary errors=Signal::stored(errors.clone()) />
        <LiveCheckForm
            answers=live
            basis
            total_before
            total_after
            unit_before
            unit_after
            submit=t(lang, Msg::CheckSubmit).to_string()
        >
            {questions}
        </LiveCheckForm>
    }
    .into_any()
}

/// The form with, under its questions (server HTML, `children`), the value in the invoice
/// currency and per declared unit, updated as the user types once the island is hydrated: the
/// form's `input` and `change` events bubble up to it.
#[island]
fn LiveCheckForm(
    answers: CheckForm,
    basis: Basis,
    total_before: Option<String>,
    total_after: Option<String>,
    unit_before: Option<String>,
    unit_after: Option<String>,
    submit: String,
    children: Children,
) -> impl IntoView {
    let live = RwSignal::new(answers);
    let record = move |ev: &leptos::ev::Event| {
        if let Some(name) = event_target::<leptos::web_sys::Element>(ev).get_attribute("name") {
            let value = event_target_value(ev);
            live.update(|f| f.set(&name, value));
        }
    };
    // What was typed or chosen before the island came alive counts too.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(data) = form
            .get()
            .and_then(|form| leptos::web_sys::FormData::new_with_form(&form).ok())
        {
            live.update(|f| {
                for name in super::FIELD_NAMES {
                    if let Some(value) = data.get(name).as_string() {
                        f.set(name, value);
                    }
                }
            });
        }
        crate::components::islands::island_alive();
    });
    view! {
        <form method="get" action="/check" class="check-form" novalidate node_ref=form on:input=move |ev| record(&ev) on:change=move |ev| record(&ev)>
            {children()}
            <p class="live-total" aria-live="polite">
                {total_before}
                <strong id="live-total">{move || live.with(|f| live_total(f, basis)).unwrap_or_else(|| "—".into())}</strong>
                {total_after}
                <br />
                {unit_before}
                <strong id="live-unit-value">{move || live.with(|f| live_unit_value(f, basis)).unwrap_or_else(|| "—".into())}</strong>
                {unit_after}
            </p>
            <button type="submit" class="button">{submit}</button>
        </form>
    }
}

#[component]
pub fn CheckResult(outcome: CheckOutcome) -> impl IntoView {
    let lang = use_lang();
    let v = outcome.valuation.clone();
    let base = outcome.base_currency.clone();
    let per_unit = fmt::value_per_unit(lang, &base, unit_name(lang, &v.band_unit));
    let sign = |amount: Decimal| {
        if amount < Decimal::ZERO {
            t(lang, Msg::CalcSubtract)
        } else {
            t(lang, Msg::CalcAdd)
        }
    };
    let currency = outcome.currency.clone();
    let rows = v.lines.clone();
    view! {
        <section class="check-result" aria-labelledby="result-heading" id="result">
            <h2 class="heading-l" id="result-heading">{t(lang, Msg::ResultHeading)}</h2>
            <div class="inset" id="verdict">
                <p class="body-lead">{t(lang, crate::labels::verdict_msg(outcome.position.level))}</p>
            </div>
            <dl class="summary-list">
                <div class="summary-list__row">
                    <dt>{t(lang, Msg::ResultCustomsValue)}</dt>
                    <dd id="customs-value">{format!("{base} {}", format_money(v.customs_value))}</dd>
                </div>
                <div class="summary-list__row">
                    <dt>{t(lang, Msg::ResultUnitValue)}</dt>
                    <dd id="unit-value">{fmt::amount_in_unit(lang, display_value(v.unit_value), &per_unit)}</dd>
                </div>
                {outcome.position.percentile.map(|p| view! {
                    <div class="summary-list__row">
                        <dt>{t(lang, Msg::ResultPercentile)}</dt>
                        <dd id="percentile">{p.to_string()}</dd>
                    </div>
                })}
                {outcome.band.clone().map(|b| view! {
                    <div class="summary-list__row">
                        <dt>{t(lang, Msg::ResultBandUsed)}</dt>
                        <dd><a href=b.href()>{format!("{} · {} · {}", dotted(&b.tariff_code), b.origin_name(lang), b.effective_from)}</a></dd>
                    </div>
                })}
            </dl>
            {outcome.band.clone().map(|b| view! { <BandChart band=b mark=v.unit_value /> })}
            <RiskNote />
            <h3 class="heading-m">{t(lang, Msg::CalcHeading)}</h3>
            <table class="table" id="calculation">
                <TableHead columns=vec![(t(lang, Msg::CalcData).into(), false), (t(lang, Msg::CalcOperation).into(), false), (t(lang, Msg::CalcValue).into(), true)] />
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td>{t(lang, item_label(row.item))}</td>
                            <td>{sign(row.amount)}</td>
                            <td class="numeric">{format!("{currency} {}", format_money(row.amount.abs()))}</td>
                        </tr>
                    }).collect_view()}
                    <tr>
                        <td>{t(lang, Msg::CalcTotal)}</td>
                        <td>"="</td>
                        <td class="numeric">{format!("{currency} {}", format_money(v.total_invoice_currency))}</td>
                    </tr>
                    <tr>
                        <td>{t(lang, Msg::CalcRate)}</td>
                        <td>{fmt::calc_rate_of_date(lang, v.rate.date)}</td>
                        <td class="numeric">{format!("{} {currency} = 1 {base}", v.rate.units_per_base)}</td>
                    </tr>
                    <tr>
                        <td>{t(lang, Msg::ResultCustomsValue)}</td>
                        <td>{t(lang, Msg::CalcConverted)}</td>
                        <td class="numeric">{format!("{base} {}", format_money(v.customs_value))}</td>
                    </tr>
                    <tr>
                        <td>{t(lang, Msg::CalcQuantity)}</td>
                        <td>{format!("{} {}", outcome.quantity.normalize(), outcome.unit)}</td>
                        <td class="numeric">{fmt::amount_in_unit(lang, v.band_quantity, unit_name(lang, &v.band_unit))}</td>
                    </tr>
                    <tr>
                        <td>{t(lang, Msg::ResultUnitValue)}</td>
                        <td>{t(lang, Msg::CalcUnitValue)}</td>
                        <td class="numeric">{fmt::amount_in_unit(lang, display_value(v.unit_value), &per_unit)}</td>
                    </tr>
                </tbody>
            </table>
            <h3 class="heading-m">{t(lang, Msg::EvidenceHeading)}</h3>
            <ul class="list list--bullet" id="evidence">
                {outcome.evidence.into_iter().map(|e| view! { <li>{t(lang, evidence_label(e))}</li> }).collect_view()}
            </ul>
            <h3 class="heading-m">{t(lang, Msg::RightsHeading)}</h3>
            <ul class="list list--bullet">
                <li>{t(lang, Msg::Rights1)}</li>
                <li>{t(lang, Msg::Rights2)}</li>
                <li>{t(lang, Msg::Rights3)}</li>
                <li>{t(lang, Msg::Rights4)}</li>
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn RiskNote() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="body"><strong>{t(lang, Msg::RiskStatementLead)}</strong>" "{t(lang, Msg::RiskStatement)}</p> }
}
