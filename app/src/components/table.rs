//! Table parts shared by the data tables.

use leptos::prelude::*;

/// The header row of a data table: (label, whether the column holds numbers, right-aligned).
#[component]
pub fn TableHead(columns: Vec<(String, bool)>) -> impl IntoView {
    view! {
        <thead>
            <tr>
                {columns
                    .into_iter()
                    .map(|(label, numeric)| {
                        view! { <th scope="col" class:numeric=numeric>{label}</th> }
                    })
                    .collect_view()}
            </tr>
        </thead>
    }
}
