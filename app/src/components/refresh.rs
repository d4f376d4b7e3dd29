//! A page's refresh counter: with JavaScript on, a form's redirect back to the same address does
//! not load the page again, so its forms bump this counter and the page's resources reload.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The counter a page keys its resources on; provided by the page, bumped by its forms.
#[derive(Clone, Copy)]
pub struct Refresh(RwSignal<u32>);

impl Refresh {
    /// Provides a fresh counter for the page being rendered.
    pub fn provide() -> Self {
        let refresh = Refresh(RwSignal::new(0));
        provide_context(refresh);
        refresh
    }

    /// The current count (tracked: a resource keyed on it reloads when it changes).
    pub fn get(&self) -> u32 {
        self.0.get()
    }
}

/// Bumps the page's counter each time `action` succeeds. A failed action leaves the page as it is,
/// so the form keeps what was typed and shows its field errors.
pub fn refresh_on_success<S>(action: ServerAction<S>)
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let Some(refresh) = use_context::<Refresh>() else {
        return;
    };
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            refresh.0.update(|n| *n += 1);
        }
    });
}
