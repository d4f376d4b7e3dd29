//! The verification section of a trader organisation's account page (state, evidence upload)
//! and customs' queue at `/customs/organisations`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    OwnVerification, QueueEntry, RejectOrganisation, VerificationState, VerifyOrganisation,
    my_verification, verification_queue,
};
use crate::components::form::{ErrorSummary, errors_of};
use crate::components::load::load_error;
use crate::components::upload::{FileField, accepted_formats, refused_in_query, size_text};
use crate::context::use_lang;
use crate::i18n::{Lang, Msg, fmt, t};
use crate::policy::OrgKind;

fn state_label(lang: Lang, state: VerificationState) -> &'static str {
    t(
        lang,
        match state {
            VerificationState::Unverified => Msg::VerificationStateUnverified,
            VerificationState::Pending => Msg::VerificationStatePending,
            VerificationState::Verified => Msg::VerificationStateVerified,
            VerificationState::Rejected => Msg::VerificationStateRejected,
        },
    )
}

/// Shown on the account page of a trader organisation that customs has not verified.
#[component]
pub fn VerificationSection() -> impl IntoView {
    let own = Resource::new_blocking(|| (), |_| my_verification());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match own.await {
                    Ok(Some(own)) if own.state != VerificationState::Verified => {
                        view! { <OwnVerificationView own /> }.into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OwnVerificationView(own: OwnVerification) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let (added, errors) = query.with_untracked(|q| {
        (
            q.get("evidence").is_some(),
            refused_in_query(
                lang,
                &own.limits,
                q.get_all("r").unwrap_or_default(),
                "file",
            ),
        )
    });
    let body = match own.state {
        VerificationState::Pending => Msg::VerificationPendingBody,
        VerificationState::Rejected => Msg::VerificationRejectedBody,
        _ => Msg::VerificationUnverifiedBody,
    };
    let hint = fmt::verification_evidence_hint(
        lang,
        accepted_formats(),
        size_text(lang, own.limits.max_file_bytes),
    );
    view! {
        <section aria-labelledby="verification-heading" id="verification">
            <h2 class="heading-m" id="verification-heading">
                {t(lang, Msg::VerificationHeading)} " "
                <strong class="tag">{state_label(lang, own.state)}</strong>
            </h2>
            {added.then(|| view! { <p class="notice" role="status">{t(lang, Msg::VerificationEvidenceAdded)}</p> })}
            <p class="body">{t(lang, body)}</p>
            {own.reason.clone().filter(|_| own.state == VerificationState::Rejected).map(|reason| view! {
                <blockquote class="body" id="verification-reason">{reason}</blockquote>
                <p class="body">{t(lang, Msg::VerificationRejectedAgain)}</p>
            })}
            {(!own.evidence.is_empty()).then(|| view! {
                <h3 class="heading-s">{t(lang, Msg::VerificationEvidenceSent)}</h3>
                <ul class="list" id="verification-evidence">
                    {own.evidence.iter().map(|e| view! {
                        <li>
                            <a href=format!("/organisation/evidence/{}", e.id)>{e.file_name.clone()}</a>
                            " (" {e.uploaded_at.clone()} ")"
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {if own.can_provide {
                let first = errors.first().map(|(_, m)| m.clone());
                let error = Signal::derive(move || first.clone());
                view! {
                    <ErrorSummary errors=Signal::stored(errors.clone()) />
                    <form method="post" enctype="multipart/form-data" action="/organisation/evidence" id="verification-upload">
                        <FileField id="file" label=t(lang, Msg::VerificationEvidenceLabel) hint error />
                        <button type="submit" class="button">{t(lang, Msg::VerificationUploadButton)}</button>
                    </form>
                }
                .into_any()
            } else {
                view! { <p class="body">{t(lang, Msg::VerificationAskAdmin)}</p> }.into_any()
            }}
        </section>
    }
}

/// `/customs/organisations`: the valuation administrators' queue.
#[component]
pub fn VerificationQueuePage() -> impl IntoView {
    let lang = use_lang();
    let verify = ServerAction::<VerifyOrganisation>::new();
    let reject = ServerAction::<RejectOrganisation>::new();
    let queue = Resource::new_blocking(
        move || (verify.version().get(), reject.version().get()),
        |_| verification_queue(),
    );
    let query = use_query_map();
    let decided = move || {
        query.with(|q| q.get("decided").is_some())
            || verify.value().get().is_some_and(|r| r.is_ok())
            || reject.value().get().is_some_and(|r| r.is_ok())
    };
    let verify_errors = errors_of(verify.value(), lang);
    let reject_errors = errors_of(reject.value(), lang);
    view! {
        <Title text=t(lang, Msg::VerificationQueueTitle) />
        <h1 class="heading-xl">{t(lang, Msg::VerificationQueueTitle)}</h1>
        <p class="body">{t(lang, Msg::VerificationQueueIntro)}</p>
        <Show when=decided>
            <p class="notice" role="status">{t(lang, Msg::VerificationDecided)}</p>
        </Show>
        <ErrorSummary errors=verify_errors />
        <ErrorSummary errors=reject_errors />
        <Suspense>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(e) => load_error(lang, e),
                    Ok(queue) => view! {
                        <h2 class="heading-l">{t(lang, Msg::VerificationPendingHeading)}</h2>
                        <QueueTable entries=queue.pending verify reject id="verification-pending" />
                        <h2 class="heading-l">{t(lang, Msg::VerificationWaitingHeading)}</h2>
                        <QueueTable entries=queue.waiting verify reject id="verification-waiting" />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueTable(
    entries: Vec<QueueEntry>,
    verify: ServerAction<VerifyOrganisation>,
    reject: ServerAction<RejectOrganisation>,
    id: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    if entries.is_empty() {
        return view! { <p class="body" id=id>{t(lang, Msg::VerificationNone)}</p> }.into_any();
    }
    view! {
        <table class="table" id=id>
            <thead>
                <tr>
                    <th scope="col">{t(lang, Msg::VerificationColOrganisation)}</th>
                    <th scope="col">{t(lang, Msg::VerificationColTaxId)}</th>
                    <th scope="col">{t(lang, Msg::VerificationColRegistered)}</th>
                    <th scope="col">{t(lang, Msg::VerificationColAdministrators)}</th>
                    <th scope="col">{t(lang, Msg::VerificationColEvidence)}</th>
                    <th scope="col">{t(lang, Msg::VerificationColState)}</th>
                </tr>
            </thead>
            <tbody>
                {entries.into_iter().map(|entry| view! { <QueueRow entry verify reject /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn QueueRow(
    entry: QueueEntry,
    verify: ServerAction<VerifyOrganisation>,
    reject: ServerAction<RejectOrganisation>,
) -> impl IntoView {
    let lang = use_lang();
    let kind = t(
        lang,
        match entry.kind {
            OrgKind::Broker => Msg::OrgKindBroker,
            _ => Msg::OrgKindImporter,
        },
    );
    let pending = entry.state == VerificationState::Pending;
    let reason_id = format!("reason-{}", entry.id);
    let verify_text = fmt::verification_verify_button(lang, &entry.name);
    let reason_text = fmt::verification_reason_label(lang, &entry.name);
    view! {
        <tr id=format!("organisation-{}", entry.id)>
            <td>{entry.name.clone()} <br /> <span class="hint">{kind}</span></td>
            <td class="code">{entry.tax_id.clone()}</td>
            <td>{entry.registered_on.clone()}</td>
            <td>{entry.administrators.join(", ")}</td>
            <td>
                {if entry.evidence.is_empty() {
                    t(lang, Msg::VerificationNoEvidence).into_any()
                } else {
                    view! {
                        <ul class="list">
                            {entry.evidence.iter().map(|e| view! {
                                <li><a href=format!("/organisation/evidence/{}", e.id)>{e.file_name.clone()}</a> " (" {e.uploaded_at.clone()} ")"</li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </td>
            <td>
                {state_label(lang, entry.state)}
                {entry.reason.clone().map(|r| view! { <p class="hint">{r}</p> })}
                {pending.then(|| view! {
                    <ActionForm action=verify>
                        <input type="hidden" name="id" value=entry.id.to_string() />
                        <button type="submit" class="button">{verify_text.clone()}</button>
                    </ActionForm>
                    <ActionForm action=reject>
                        <input type="hidden" name="id" value=entry.id.to_string() />
                        <div class="form-group">
                            <label class="label" for=reason_id.clone()>{reason_text.clone()}</label>
                            <textarea class="textarea" id=reason_id.clone() name="reason" rows="3" maxlength="2000"></textarea>
                        </div>
                        <button type="submit" class="button button--warning">{t(lang, Msg::VerificationRejectButton)}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
