//! Valora's pages, components, server functions and the pure domain logic shared by the browser
//! (compiled to WebAssembly with the `hydrate` feature) and the server (`ssr` feature).
// The documents island nests deep view types; the optimised WebAssembly build needs the room.
#![recursion_limit = "256"]

pub mod components;
pub mod context;
pub mod domain;
pub mod error;
pub mod features;
pub mod i18n;
pub mod labels;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::context::use_lang;
use crate::features::accounts::pages::{
    ForgotPasswordPage, ForgotSentPage, RegisterDonePage, RegisterPage, ResetPasswordPage,
    SignInPage, VerifyEmailPage,
};
use crate::features::assessments::pages::AssessmentsPage;
use crate::features::band_runs::pages::{AdminBandsPage, RunReviewPage};
use crate::features::bands::pages::{BandPage, BandSearchPage, TariffLinePage};
use crate::features::batches::pages::{BatchPage, BatchUploadPage};
use crate::features::cases::pages::{CasesPage, NewCasePage, NoticePage};
use crate::features::casework::pages::{HolidaysPage, NewRequestPage, QueuePage, ReportsPage};
use crate::features::documents::pages::{ReceiptPage, SubmitDocumentsPage};
use crate::features::library::pages::LibraryPage;
use crate::features::mandates::pages::{ActForPage, MandatesPage};
use crate::features::reference::pages::ReferenceDataPage;
use crate::features::verification::pages::VerificationQueuePage;
use crate::i18n::{Msg, fmt, t};
use crate::pages::layout::{Footer, Header, SkipLink};
use crate::pages::{
    account::AccountPage, assessment::AssessmentRoute, case::CasePage, check::CheckPage,
    home::HomePage, not_found::NotFound,
};

/// The HTML document around the app, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    let lang = request::lang();
    if let Some(nonce) = request::csp_nonce() {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
    provide_context(lang);
    components::islands::PageScripts::provide(options);
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet's address (named by its content hash in a cargo-leptos build).
pub(crate) fn stylesheet_href() -> String {
    #[cfg(feature = "ssr")]
    return server::assets::hashes().stylesheet();
    #[cfg(not(feature = "ssr"))]
    "/pkg/valora.css".to_string()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = use_lang();
    view! {
        <Stylesheet id="valora" href=stylesheet_href() />
        <Title formatter=move |page: String| {
            if page.is_empty() {
                t(lang, Msg::ServiceName).to_string()
            } else {
                fmt::page_title(lang, page, t(lang, Msg::ServiceName))
            }
        } />
        <Router>
            <SkipLink />
            <Header />
            <div class="page-width">
                <main id="main-content" class="main" tabindex="-1">
                    // In-order streaming puts every resolved part (the header's account links) in
                    // place, so pages work without JavaScript (out-of-order streaming needs a script
                    // to move late parts); pages that may redirect or set a status wait for all
                    // their data first (Async), and so do pages that read the database, so that
                    // a failure's status (503 while the database is out of reach) is the answer's.
                    <Routes fallback=NotFound>
                        <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("register") view=RegisterPage ssr=SsrMode::InOrder />
                        <Route path=(StaticSegment("register"), StaticSegment("check-email")) view=RegisterDonePage ssr=SsrMode::InOrder />
                        <Route path=StaticSegment("verify-email") view=VerifyEmailPage ssr=SsrMode::InOrder />
                        <Route path=StaticSegment("sign-in") view=SignInPage ssr=SsrMode::InOrder />
                        <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("forgot-password") view=ForgotPasswordPage ssr=SsrMode::InOrder />
                        <Route path=(StaticSegment("forgot-password"), StaticSegment("sent")) view=ForgotSentPage ssr=SsrMode::InOrder />
                        <Route path=StaticSegment("reset-password") view=ResetPasswordPage ssr=SsrMode::InOrder />
                        <Route path=StaticSegment("mandates") view=MandatesPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("act-for") view=ActForPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("check") view=CheckPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("check"), StaticSegment("batch")) view=BatchUploadPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("check"), StaticSegment("batch"), ParamSegment("reference")) view=BatchPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("assessments") view=AssessmentsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("assessments"), ParamSegment("reference")) view=AssessmentRoute ssr=SsrMode::Async />
                        <Route path=(StaticSegment("assessments"), ParamSegment("reference"), StaticSegment("submit")) view=SubmitDocumentsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("assessments"), ParamSegment("reference"), StaticSegment("receipt")) view=ReceiptPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("library") view=LibraryPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("cases") view=CasesPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("cases"), StaticSegment("new")) view=NewCasePage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("cases"), ParamSegment("reference")) view=CasePage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("cases"), ParamSegment("reference"), StaticSegment("notices"), ParamSegment("event_id")) view=NoticePage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("customs"), StaticSegment("cases")) view=QueuePage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("customs"), StaticSegment("cases"), StaticSegment("new")) view=NewRequestPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("customs"), StaticSegment("reports")) view=ReportsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("customs"), StaticSegment("holidays")) view=HolidaysPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("customs"), StaticSegment("organisations")) view=VerificationQueuePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("bands") view=BandSearchPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("admin"), StaticSegment("bands")) view=AdminBandsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("admin"), StaticSegment("bands"), ParamSegment("id")) view=RunReviewPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("admin"), StaticSegment("reference")) view=ReferenceDataPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("bands"), ParamSegment("code")) view=TariffLinePage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("bands"), ParamSegment("code"), ParamSegment("origin"), ParamSegment("unit")) view=BandPage ssr=SsrMode::Async />
                    </Routes>
                </main>
            </div>
            <Footer />
        </Router>
    }
}

/// Entry point of the WebAssembly bundle, called by Leptos' island loader before it hydrates
/// each island of the page (the rest of the page stays server HTML).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    provide_context(context::document_lang());
    // Each island marks itself alive (`components::islands::island_alive`).
}
