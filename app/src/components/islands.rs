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
