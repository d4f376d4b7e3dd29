//! The browser bundle only where a page needs it. The portal renders in Leptos' islands mode:
//! pages are server HTML, and only the few interactive parts (`#[island]` components: the live
//! values, the upload progress, the print button) are hydrated. A page without an island loads
//! no JavaScript or WebAssembly at all; a route page that holds islands renders
//! [`IslandScripts`] once, outside any `Suspense` (Leptos' loader, with its preload hints).

use leptos::prelude::*;

/// What the loader needs, provided by the shell for the page being rendered.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct PageScripts(LeptosOptions);

#[cfg(feature = "ssr")]
impl PageScripts {
    /// Called by the shell before the page renders: islands mode (nothing hydrates unless an
    /// island asks).
    pub fn provide(options: LeptosOptions) {
        if let Some(shared) = Owner::current_shared_context() {
            shared.set_is_hydrating(false);
        }
        provide_context(PageScripts(options));
    }
}

/// Leptos' island loader: fetches the bundle when the browser is idle and hydrates the page's
/// islands. Once per page, by the route pages that hold islands (twice would hydrate twice).
#[component]
pub fn IslandScripts() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use_context::<PageScripts>()
            .map(|PageScripts(options)| view! { <HydrationScripts options islands=true /> })
    }
    #[cfg(not(feature = "ssr"))]
    {}
}

/// Called by each island once it is alive (from an effect, so after it hydrated): when every
/// island of the page is, marks the document `<html data-hydrated="true">`, which styles and the
/// browser tests rely on. (A lazy island hydrates after its chunk arrives, so the loader's own
/// end does not tell.)
pub fn island_alive() {
    #[cfg(feature = "hydrate")]
    {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(root) = document.document_element() else {
            return;
        };
        let alive = root
            .get_attribute("data-islands-alive")
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
            + 1;
        let _ = root.set_attribute("data-islands-alive", &alive.to_string());
        let islands = document
            .query_selector_all("leptos-island")
            .map_or(0, |list| list.length());
        if alive >= islands {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    }
}
