//! The account page: the person's details, links for their role, and the sections of the
//! features an account holds (API tokens, members, sessions, password).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::context::use_lang;
use crate::features::accounts::pages::{ChangePasswordForm, SessionsList};
use crate::features::accounts::whoami;
use crate::features::api_tokens::pages::ApiTokensSection;
use crate::features::members::pages::MembersSection;
use crate::features::verification::pages::VerificationSection;
use crate::i18n::{Msg, t};
use crate::labels::role_name;
use crate::policy::{OrgKind, Role};

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let account = Resource::new_blocking(|| (), |_| whoami());
    let query = use_query_map();
    let password_changed = move || query.with(|q| q.get("password").as_deref() == Some("changed"));
    view! {
        <Title text=t(lang, Msg::AccountTitle) />
        <Suspense>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(me)) => {
                        let links = match (me.org_kind, me.role) {
                            (OrgKind::Importer, Role::OrgAdmin) => {
                                Some(view! { <li><a href="/mandates">{t(lang, Msg::MandatesTitle)}</a></li> }.into_any())
                            }
                            (OrgKind::Broker, _) => {
                                Some(view! { <li><a href="/act-for">{t(lang, Msg::ActForTitle)}</a></li> }.into_any())
                            }
                            _ => None,
                        };
                        view! {
                            <h1 class="heading-xl">{t(lang, Msg::AccountTitle)}</h1>
                            <Show when=password_changed>
                                <div class="notice" role="status">{t(lang, Msg::ChangePasswordDone)}</div>
                            </Show>
                            <dl class="summary-list">
                                <SummaryRow label=t(lang, Msg::FullName) value=me.full_name />
                                <SummaryRow label=t(lang, Msg::Email) value=me.email />
                                <SummaryRow label=t(lang, Msg::AccountOrganisation) value=me.organisation_name />
                                <SummaryRow label=t(lang, Msg::AccountRole) value=role_name(lang, me.role).to_string() />
                                {me.acting_for_name.map(|name| view! { <SummaryRow label=t(lang, Msg::ActingFor) value=name /> })}
                            </dl>
                            {links.map(|link| view! {
                                <h2 class="heading-m">{t(lang, Msg::AccountLinks)}</h2>
                                <ul class="link-list">{link}</ul>
                            })}
                            {matches!(me.org_kind, OrgKind::Importer | OrgKind::Broker).then(|| view! { <VerificationSection /> })}
                            {(matches!(me.org_kind, OrgKind::Importer | OrgKind::Broker) && me.role == Role::OrgAdmin).then(|| view! { <ApiTokensSection /> })}
                            {(me.role == Role::ValuationAdmin).then(|| view! {
                                <h2 class="heading-m">{t(lang, Msg::AdminLinks)}</h2>
                                <ul class="list">
                                    <li><a href="/admin/bands">{t(lang, Msg::AdminBandsTitle)}</a></li>
                                    <li><a href="/admin/reference">{t(lang, Msg::RefTitle)}</a></li>
                                    <li><a href="/customs/organisations">{t(lang, Msg::VerificationQueueLink)}</a></li>
                                </ul>
                            })}
                            {matches!(me.role, Role::OrgAdmin | Role::ValuationAdmin).then(|| view! { <MembersSection /> })}
                            <SessionsList />
                            <ChangePasswordForm />
                        }
                            .into_any()
                    }
                    _ => view! { <Redirect path="/sign-in" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SummaryRow(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="summary-list__row">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}
