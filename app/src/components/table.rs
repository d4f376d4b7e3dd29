//! Table parts shared by the data tables.

use leptos::prelude::*;

/// Column headings from messages: (message, whether the column holds numbers).
pub fn headings(
    lang: crate::i18n::Lang,
    columns: &[(crate::i18n::Msg, bool)],
) -> Vec<(String, bool)> {
    columns
        .iter()
        .map(|(msg, numeric)| (crate::i18n::t(lang, *msg).to_string(), *numeric))
        .collect()
}

/// The header row of a data table: (label, whether the column holds numbers, right-aligned).
/// `actions`, when given, heads a last column of buttons, read by screen readers only.
#[component]
pub fn TableHead(
    columns: Vec<(String, bool)>,
    #[prop(optional_no_strip)] actions: Option<String>,
) -> impl IntoView {
    view! {
        <thead>
            <tr>
                {columns
                    .into_iter()
                    .map(|(label, numeric)| {
                        view! { <th scope="col" class:numeric=numeric>{label}</th> }
                    })
                    .collect_view()}
                {actions.map(|label| view! {
                    <th scope="col"><span class="visually-hidden">{label}</span></th>
                })}
            </tr>
        </thead>
    }
}
