//! The check page: one well-grouped GET form (goods, price and costs, Article 8, the reasons),
//! and below it, once submitted, the result: the verdict in plain words, the band picture with
//! the declared unit value marked, the calculation line by line, the evidence to keep ready and
//! the trader's rights. Once hydrated, the value in the invoice currency updates as one types.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;

use super::{CheckForm, CheckOptions, CheckOutcome, FIELD_NAMES, load_check_options, run_check};
use crate::components::form::{ErrorSummary, FieldErrors, TextField};
use crate::components::table::TableHead;
use crate::context::use_lang;
use crate::domain::amount::Amount;
use crate::domain::engine::{Basis, Item, lines};
use crate::domain::evidence::{Evidence, Reason};
use crate::domain::incoterm::Incoterm;
use crate::domain::valuation::format_money;
use crate::error::AppError;
use crate::features::bands::chart::BandChart;
use crate::features::bands::display_value;
use crate::features::bands::pages::dotted;
use crate::i18n::{Lang, Msg, t, unit_name};

fn item_label(item: Item) -> Msg {
    match item {
        Item::Price => Msg::ItemPrice,
        Item::PreCarriage => Msg::ItemPreCarriage,
        Item::Freight => Msg::ItemFreight,
        Item::Insurance => Msg::ItemInsurance,
        Item::SellingCommissions => Msg::ItemCommissions,
        Item::Packing => Msg::ItemPacking,
        Item::Assists => Msg::ItemAssists,
        Item::Royalties => Msg::ItemRoyalties,
        Item::Proceeds => Msg::ItemProceeds,
        Item::PostImportCosts => Msg::ItemPostImport,
    }
}

fn evidence_label(evidence: Evidence) -> Msg {
    match evidence {
        Evidence::Invoice => Msg::EvInvoice,
        Evidence::Contract => Msg::EvContract,
        Evidence::Payment => Msg::EvPayment,
        Evidence::Transport => Msg::EvTransport,
        Evidence::Insurance => Msg::EvInsuranceDoc,
        Evidence::PriceList => Msg::EvPriceList,
        Evidence::DiscountLetter => Msg::EvDiscount,
        Evidence::VolumeScales => Msg::EvQuantity,
        Evidence::QualitySheets => Msg::EvQuality,
        Evidence::CommercialLevelProof => Msg::EvLevel,
        Evidence::ClearanceProof => Msg::EvClearance,
        Evidence::TransferPricing => Msg::EvRelated,
        Evidence::RoyaltyAgreement => Msg::EvRoyalty,
    }
}

fn reason_label(reason: Reason) -> Msg {
    match reason {
        Reason::Discount => Msg::ReasonDiscount,
        Reason::Quantity => Msg::ReasonQuantity,
        Reason::Quality => Msg::ReasonQuality,
        Reason::CommercialLevel => Msg::ReasonLevel,
        Reason::Clearance => Msg::ReasonClearance,
    }
}

pub fn level_label(level: crate::domain::engine::Level) -> Msg {
    use crate::domain::engine::Level;
    match level {
        Level::WellBelow => Msg::LevelWellBelow,
        Level::Below => Msg::LevelBelow,
        Level::Usual => Msg::LevelUsual,
        Level::Above => Msg::LevelAbove,
        Level::WellAbove => Msg::LevelWellAbove,
        Level::NoBand => Msg::LevelNoBand,
    }
}

/// The question each field answers, as the form labels it.
fn field_label(name: &str) -> Msg {
    match name {
        "hs" => Msg::CheckTariffLabel,
        "origin" => Msg::CheckOriginLabel,
        "incoterm" => Msg::CheckIncotermLabel,
        "date" => Msg::CheckDateLabel,
        "quantity" => Msg::CheckQuantityLabel,
        "unit" => Msg::CheckUnitLabel,
        "currency" => Msg::CheckCurrencyLabel,
        "price" => Msg::CheckPriceLabel,
        "pre_carriage" => Msg::CheckPreCarriageLabel,
        "freight" => Msg::CheckFreightLabel,
        "insurance" => Msg::CheckInsuranceLabel,
        "commissions" => Msg::CheckCommissionsLabel,
        "packing" => Msg::CheckPackingLabel,
        "assists" => Msg::CheckAssistsLabel,
        "royalties" => Msg::CheckRoyaltiesLabel,
        "proceeds" => Msg::CheckProceedsLabel,
        "post_import" => Msg::CheckDeductionsLabel,
        _ => Msg::CheckRelatedLegend,
    }
}

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
        view! {
            <div class="summary-list__row summary-list__row--actions">
                <dt>{label.clone()}</dt>
                <dd>{value}</dd>
                <dd class="summary-list__actions">
                    <a href=href>{t(lang, Msg::AnswerChange)}<span class="visually-hidden">{format!(" {label}")}</span></a>
                </dd>
            </div>
        }
    };
    view! {
        <h3 class="heading-m">{t(lang, Msg::AnswersHeading)}</h3>
        <dl class="summary-list" id="answers">
            {FIELD_NAMES
                .into_iter()
                .map(|name| row(name, t(lang, field_label(name)).to_string(), value_of(name)))
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
fn form_from_query(query: &leptos_router::params::ParamsMap) -> CheckForm {
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
pub fn CheckPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let submitted = query.with_untracked(form_from_query);
    let options = Resource::new_blocking(|| (), |_| load_check_options());
    let outcome = Resource::new_blocking(
        move || query.with(form_from_query),
        |form| async move {
            if form.is_empty() {
                Ok(None)
            } else {
                run_check(form).await.map(Some)
            }
        },
    );
    view! {
        <Title text=t(lang, Msg::CheckTitle) />
        <h1 class="heading-xl">{t(lang, Msg::CheckTitle)}</h1>
        <p class="body-lead">{t(lang, Msg::CheckIntro)}</p>
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                Suspend::new(async move {
                    let options = match options.await {
                        Ok(options) => options,
                        Err(e) => return view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                    };
                    let (errors, result): (FieldErrors, Option<CheckOutcome>) = match outcome.await {
                        Ok(result) => (Vec::new(), result),
                        Err(AppError::Fields(problems)) => (problems, None),
                        Err(e) => (vec![("main-content".into(), e.user_message(lang))], None),
                    };
                    let answers = submitted.clone();
                    view! {
                        {result.map(|r| view! {
                            <CheckResult outcome=r />
                            <AnswersList answers=answers.clone() change_to="" />
                            <crate::features::assessments::pages::SaveBox answers=answers />
                        })}
                        <CheckFormView options=options form=submitted errors=errors />
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn Select(
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    selected: String,
    error: Option<String>,
    #[prop(optional, into)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let error_id = format!("{id}-error");
    let has_error = error.is_some();
    view! {
        <div class=if has_error { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id>{label}</label>
            {error.map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <select
                class="input select"
                id=id
                name=id
                aria-describedby=has_error.then(|| error_id.clone())
                aria-invalid=has_error.then_some("true")
                on:change=move |ev| {
                    if let Some(cb) = on_change {
                        cb.run(event_target_value(&ev));
                    }
                }
            >
                <option value="">{t(lang, Msg::ChooseOne)}</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn CheckFormView(options: CheckOptions, form: CheckForm, errors: FieldErrors) -> impl IntoView {
    let lang = use_lang();
    let error = |id: &str| errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone());
    let live = RwSignal::new(form.clone());
    let basis = options.basis;
    let set = move |name: &'static str| {
        Callback::new(move |value: String| live.update(|f| f.set(name, value)))
    };
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
    let amount = |id: &'static str, label: Msg, hint: Option<Msg>| {
        view! {
            <TextField
                id=id
                label=t(lang, label)
                hint=t(lang, hint.unwrap_or(Msg::CheckAmountHint))
                error=error(id)
                value=form.get(id).to_string()
                input_mode="decimal"
                on_input=set(id)
            />
        }
    };
    view! {
        <ErrorSummary errors=Signal::stored(errors.clone()) />
        <form method="get" action="/check" class="check-form" novalidate>
            <fieldset class="fieldset">
                <legend class="heading-m">{t(lang, Msg::CheckGoodsHeading)}</legend>
                <TextField id="hs" label=t(lang, Msg::CheckTariffLabel) hint=t(lang, Msg::CheckTariffHint) error=error("hs") value=form.hs.clone() input_mode="numeric" />
                <p class="body"><a href="/bands">{t(lang, Msg::CheckFindCode)}</a></p>
                <Select id="origin" label=t(lang, Msg::CheckOriginLabel) options=countries selected=form.origin.clone() error=error("origin") />
                <Select id="incoterm" label=t(lang, Msg::CheckIncotermLabel) options=incoterms selected=form.incoterm.clone() error=error("incoterm") on_change=set("incoterm") />
                <TextField id="date" label=t(lang, Msg::CheckDateLabel) hint=t(lang, Msg::DateHint) error=error("date") value=date input_type="date" />
                <TextField id="quantity" label=t(lang, Msg::CheckQuantityLabel) error=error("quantity") value=form.quantity.clone() input_mode="decimal" on_input=set("quantity") />
                <Select id="unit" label=t(lang, Msg::CheckUnitLabel) options=units selected=form.unit.clone() error=error("unit") on_change=set("unit") />
            </fieldset>
            <fieldset class="fieldset">
                <legend class="heading-m">{t(lang, Msg::CheckPriceHeading)}</legend>
                <Select id="currency" label=t(lang, Msg::CheckCurrencyLabel) options=currencies selected=currency error=error("currency") on_change=set("currency") />
                {amount("price", Msg::CheckPriceLabel, Some(Msg::CheckPriceHint))}
                {amount("pre_carriage", Msg::CheckPreCarriageLabel, None)}
                {amount("freight", Msg::CheckFreightLabel, None)}
                {amount("insurance", Msg::CheckInsuranceLabel, None)}
            </fieldset>
            <fieldset class="fieldset">
                <legend class="heading-m">{t(lang, Msg::CheckAdditionsHeading)}</legend>
                {amount("commissions", Msg::CheckCommissionsLabel, None)}
                {amount("packing", Msg::CheckPackingLabel, None)}
                {amount("assists", Msg::CheckAssistsLabel, None)}
                {amount("royalties", Msg::CheckRoyaltiesLabel, None)}
                {amount("proceeds", Msg::CheckProceedsLabel, None)}
                {amount("post_import", Msg::CheckDeductionsLabel, Some(Msg::CheckDeductionsHint))}
            </fieldset>
            <fieldset class="fieldset" id="related">
                <legend class="label">{t(lang, Msg::CheckRelatedLegend)}</legend>
                <div class="radios radios--inline">
                    <div class="radio">
                        <input type="radio" id="related-yes" name="related" value="yes" checked=form.related == "yes" />
                        <label for="related-yes">{t(lang, Msg::AnswerYes)}</label>
                    </div>
                    <div class="radio">
                        <input type="radio" id="related-no" name="related" value="no" checked=form.related != "yes" />
                        <label for="related-no">{t(lang, Msg::AnswerNo)}</label>
                    </div>
                </div>
            </fieldset>
            <fieldset class="fieldset" id="reasons">
                <legend class="label">{t(lang, Msg::CheckReasonsLegend)}</legend>
                <div class="radios">
                    {Reason::ALL
                        .into_iter()
                        .map(|r| {
                            let id = format!("reason-{}", r.code());
                            view! {
                                <div class="radio">
                                    <input type="checkbox" id=id.clone() name="reason" value=r.code() checked=reasons.contains(&r) />
                                    <label for=id>{t(lang, reason_label(r))}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            <p class="live-total" aria-live="polite">
                {t(lang, Msg::CheckLiveLabel)}": "
                <strong id="live-total">{move || live.with(|f| live_total(f, basis)).unwrap_or_else(|| "—".into())}</strong>
                <br />
                {t(lang, Msg::CheckLiveUnitLabel)}": "
                <strong id="live-unit-value">{move || live.with(|f| live_unit_value(f, basis)).unwrap_or_else(|| "—".into())}</strong>
            </p>
            <button type="submit" class="button">{t(lang, Msg::CheckSubmit)}</button>
        </form>
    }
    .into_any()
}

#[component]
pub fn CheckResult(outcome: CheckOutcome) -> impl IntoView {
    let lang = use_lang();
    let v = outcome.valuation.clone();
    let base = outcome.base_currency.clone();
    let per_unit = format!(
        "{base} {} {}",
        t(lang, Msg::UnitPer),
        unit_name(lang, &v.band_unit)
    );
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
                <p class="body-lead">{t(lang, super::verdict_msg(outcome.position.level))}</p>
            </div>
            <dl class="summary-list">
                <div class="summary-list__row">
                    <dt>{t(lang, Msg::ResultCustomsValue)}</dt>
                    <dd id="customs-value">{format!("{base} {}", format_money(v.customs_value))}</dd>
                </div>
                <div class="summary-list__row">
                    <dt>{t(lang, Msg::ResultUnitValue)}</dt>
                    <dd id="unit-value">{format!("{} {per_unit}", display_value(v.unit_value))}</dd>
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
                        <td>{format!("{} {}", t(lang, Msg::CalcRateOf), v.rate.date)}</td>
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
                        <td class="numeric">{format!("{} {}", v.band_quantity, unit_name(lang, &v.band_unit))}</td>
                    </tr>
                    <tr>
                        <td>{t(lang, Msg::ResultUnitValue)}</td>
                        <td>{t(lang, Msg::CalcUnitValue)}</td>
                        <td class="numeric">{format!("{} {per_unit}", display_value(v.unit_value))}</td>
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
