//! The check page: the check form and, once submitted, the result, the answers and the box
//! that saves them as an assessment (the check and assessments features side by side).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::FieldErrors;
use crate::components::islands::IslandScripts;
use crate::context::use_lang;
use crate::error::AppError;
use crate::features::assessments::pages::SaveBox;
use crate::features::check::pages::{AnswersList, CheckFormView, CheckResult, form_from_query};
use crate::features::check::{CheckOutcome, load_check_options, run_check};
use crate::i18n::{Msg, t};

#[component]
pub fn CheckPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let submitted = query.with_untracked(form_from_query);
    let options = Resource::new_blocking(|| (), |_| load_check_options());
    let outcome = Resource::new_blocking(
        move || query.with(form_from_query),
        |form| async move {
            if form.is_empty() {
                Ok(None)
            } else {
                run_check(form).await.map(Some)
            }
        },
    );
    view! {
        <Title text=t(lang, Msg::CheckTitle) />
        <IslandScripts />
        <h1 class="heading-xl">{t(lang, Msg::CheckTitle)}</h1>
        <p class="body-lead">{t(lang, Msg::CheckIntro)}</p>
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                Suspend::new(async move {
                    let options = match options.await {
                        Ok(options) => options,
                        Err(e) => return view! { <p class="error-message">{e.user_message(lang)}</p> }.into_any(),
                    };
                    let (errors, result): (FieldErrors, Option<CheckOutcome>) = match outcome.await {
                        Ok(result) => (Vec::new(), result),
                        Err(AppError::Fields(problems)) => (problems, None),
                        Err(e) => (vec![("main-content".into(), e.user_message(lang))], None),
                    };
                    let answers = submitted.clone();
                    view! {
                        {result.map(|r| view! {
                            <CheckResult outcome=r />
                            <AnswersList answers=answers.clone() change_to="" />
                            <SaveBox answers=answers />
                        })}
                        <CheckFormView options=options form=submitted errors=errors />
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}
