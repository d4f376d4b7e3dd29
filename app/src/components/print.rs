//! The print button of a printable page (an assessment, a receipt).

use leptos::prelude::*;

/// A button that opens the browser's print dialogue. It needs JavaScript, so it appears only
/// once the page is interactive (the page says in a hint how to print without it). The page
/// renders `IslandScripts`.
#[component]
pub fn PrintButton(label: &'static str) -> impl IntoView {
    view! { <PrintIsland label=label.to_string() /> }
}

/// The interactive part: nothing in the server HTML, the button once hydrated.
#[island]
fn PrintIsland(label: String) -> impl IntoView {
    let interactive = RwSignal::new(false);
    Effect::new(move |_| {
        interactive.set(true);
        crate::components::islands::island_alive();
    });
    move || {
        let label = label.clone();
        interactive.get().then(|| {
            view! {
                <button type="button" class="button button--secondary" id="print" on:click=move |_| { let _ = window().print(); }>{label}</button>
            }
        })
    }
}
