//! The frame of every page: skip link, header with the service name and language switch, footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::context::use_lang;
use crate::features::accounts::pages::SignOutButton;
use crate::features::accounts::whoami;
use crate::features::feedback::FeedbackForm;
use crate::i18n::{Lang, Msg, t};

#[component]
pub fn SkipLink() -> impl IntoView {
    let lang = use_lang();
    view! { <a href="#main-content" class="skip-link">{t(lang, Msg::SkipToContent)}</a> }
}

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    view! {
        <header class="header" role="banner">
            <div class="page-width header__inner">
                <a href="/" class="header__service">
                    <span class="header__name">{t(lang, Msg::ServiceName)}</span>
                    <span class="header__tagline">{t(lang, Msg::ServiceTagline)}</span>
                </a>
                <div class="header__tools">
                    <AccountNav />
                    <LanguageSwitch />
                </div>
            </div>
        </header>
    }
}

/// Sign-in link for visitors; account link and sign-out button for signed-in people. Fetched
/// again on every navigation, so it follows sign-in and sign-out.
#[component]
fn AccountNav() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    // Blocking, so the server renders it in place and the header works without JavaScript.
    let me = Resource::new_blocking(move || location.pathname.get(), |_| whoami());
    // Awaited in the same place as `me`: a resource of its own further down the header would
    // stream out of order and break the hydration of the page below.
    let unread = Resource::new_blocking(
        move || location.pathname.get(),
        |_| crate::features::cases::unread_cases(),
    );
    view! {
        <nav class="account-nav" aria-label=t(lang, Msg::NavAccount)>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = me.await;
                    let unread = unread.await.unwrap_or(0);
                    match me {
                        Ok(Some(person)) => {
                            let trader = person.org_kind != crate::policy::OrgKind::Customs;
                            let role = person.role;
                            view! {
                                {trader.then(|| view! {
                                    <a href="/assessments" class="account-nav__link">{t(lang, Msg::NavAssessments)}</a>
                                    <a href="/library" class="account-nav__link">{t(lang, Msg::NavLibrary)}</a>
                                    <CasesNavLink href="/cases" label=t(lang, Msg::NavCases) unread />
                                })}
                                {(!trader && role.works_cases()).then(|| view! {
                                    <CasesNavLink href="/customs/cases" label=t(lang, Msg::NavCaseQueue) unread />
                                })}
                                {(!trader && matches!(role, crate::policy::Role::CustomsSupervisor | crate::policy::Role::CustomsAuditor)).then(|| view! {
                                    <a href="/customs/reports" class="account-nav__link">{t(lang, Msg::NavCaseReports)}</a>
                                })}
                                {(!trader && role == crate::policy::Role::ValuationAdmin).then(|| view! {
                                    <a href="/customs/holidays" class="account-nav__link">{t(lang, Msg::NavHolidays)}</a>
                                })}
                                <a href="/account" class="account-nav__link">{person.full_name}</a>
                                <SignOutButton />
                            }
                                .into_any()
                        }
                        _ => {
                            view! {
                                <a href="/sign-in" class="account-nav__link">{t(lang, Msg::NavSignIn)}</a>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </nav>
    }
}

/// A link to the caller's cases with the count of unread messages from the other side.
#[component]
fn CasesNavLink(href: &'static str, label: &'static str, unread: i64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a href=href class="account-nav__link" id="nav-cases">
            {label}
            {(unread > 0).then(|| view! {
                " "
                <span class="badge" id="unread-badge">{crate::i18n::fmt::nav_cases_unread(lang, unread)}</span>
            })}
        </a>
    }
}

/// Plain links (`?lang=xx`) so the switch works without JavaScript; `rel="external"` makes the
/// client router do a full load, so the server sets the cookie and renders the other language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    view! {
        <nav class="lang-switch" aria-label=t(lang, Msg::LanguageSwitchLabel)>
            <ul>
                {Lang::ALL
                    .into_iter()
                    .map(|option| {
                        let href = move || {
                            format!(
                                "{}{}",
                                location.pathname.get(),
                                query_with_lang(&location.search.get(), option.code())
                            )
                        };
                        if option == lang {
                            view! {
                                <li>
                                    <span aria-current="true" class="lang-switch__current">
                                        {option.endonym()}
                                    </span>
                                </li>
                            }
                                .into_any()
                        } else {
                            view! {
                                <li>
                                    <a href=href rel="external" hreflang=option.code() lang=option.code()>
                                        {option.endonym()}
                                    </a>
                                </li>
                            }
                                .into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The page's query with `lang` set to `code` (other parameters kept, so a result page
/// shows the same result in the other language).
fn query_with_lang(search: &str, code: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
        .collect();
    if kept.is_empty() {
        format!("?lang={code}")
    } else {
        format!("?{}&lang={code}", kept.join("&"))
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    view! {
        <footer class="footer" role="contentinfo">
            <div class="page-width">
                <FeedbackForm />
                <p class="footer__disclaimer">{t(lang, Msg::FooterDisclaimer)}</p>
                <p class="footer__meta">{t(lang, Msg::FooterAuthority)}</p>
            </div>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::query_with_lang;

    #[test]
    fn the_language_link_keeps_the_other_parameters() {
        assert_eq!(query_with_lang("", "en"), "?lang=en");
        assert_eq!(query_with_lang("?lang=es", "en"), "?lang=en");
        assert_eq!(
            query_with_lang("?hs=0703&lang=es&reason=a", "en"),
            "?hs=0703&reason=a&lang=en"
        );
    }
}
