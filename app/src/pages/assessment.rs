//! A saved assessment's page: the assessment as saved (from `assessments`) with its supporting
//! documents under it (from `documents`, a feature above `assessments`, so only a route page
//! composes the two).

use leptos::prelude::*;

use crate::components::islands::IslandScripts;
use crate::features::assessments::pages::AssessmentPage;
use crate::features::documents::pages::DocumentsSection;

#[component]
pub fn AssessmentRoute() -> impl IntoView {
    view! {
        <IslandScripts />
        <AssessmentPage />
        <DocumentsSection />
    }
}
