//! `/cases/{reference}`: the case page both sides share, composing the cases views and, for
//! customs staff, the casework panel.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::components::refresh::Refresh;
use crate::context::use_lang;
use crate::domain::cases::Side;
use crate::error::AppError;
use crate::features::cases::CaseView;
use crate::features::cases::load_case;
use crate::features::cases::pages::{
    CaseSummaryView, DeliveriesView, MessageFormView, OutcomeViewPanel, RequestsView, ThreadView,
    TimelineView, TraderActions,
};
use crate::features::casework::pages::CustomsPanel;
use crate::features::casework::{PanelInfo, panel_info};
use crate::i18n::{Msg, fmt, t};

#[component]
pub fn CasePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let refresh = Refresh::provide();
    let reference = Memo::new(move |_| params.with(|p| p.get("reference").unwrap_or_default()));
    let case = Resource::new_blocking(
        move || (reference.get(), refresh.get()),
        |(reference, _)| load_case(reference),
    );
    // Loaded beside the case, not inside it: a resource created under the case's Suspense would
    // render the panel twice after hydration. Traders get nothing here. A Transition keeps the page
    // in view while a step's refresh reloads it.
    let panel = Resource::new_blocking(
        move || (reference.get(), refresh.get()),
        |(reference, _)| panel_info(reference),
    );
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let (case, panel) = (case.await, panel.await);
                match case {
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(e) => view! {
                        <Title text=t(lang, Msg::NotFoundTitle) />
                        <h1 class="heading-xl">{t(lang, Msg::NotFoundTitle)}</h1>
                        <p class="error-message">{e.user_message(lang)}</p>
                    }
                    .into_any(),
                    Ok(case) => view! { <CaseBody case panel=panel.ok().flatten() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseBody(case: CaseView, panel: Option<PanelInfo>) -> impl IntoView {
    let lang = use_lang();
    let title = fmt::cases_case_title(lang, &case.summary.reference);
    let reference = case.summary.reference.clone();
    let panel = panel.filter(|_| case.side == Side::Customs);
    view! {
        <Title text=title.clone() />
        <h1 class="heading-xl">{title}</h1>
        <p class="body lead" id="case-subject">{case.summary.subject.clone()}</p>
        <CaseSummaryView case=case.clone() />
        {panel.map(|info| view! { <CustomsPanel case=case.clone() info /> })}
        <RequestsView requests=case.requests.clone() />
        <OutcomeViewPanel case=case.clone() />
        <ThreadView reference=reference.clone() messages=case.messages.clone() />
        <MessageFormView case=case.clone() />
        {(case.side == Side::Trader).then(|| view! { <TraderActions case=case.clone() /> })}
        <DeliveriesView case=case.clone() />
        <TimelineView reference events=case.events.clone() />
    }
}
