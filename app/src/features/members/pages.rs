//! The people section of the account page: the organisation's members, inviting someone and
//! deactivating someone who left.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{DeactivateMember, InviteMember, list_members};
use crate::components::form::{ErrorSummary, RadioGroup, TextField};
use crate::components::form::{errors_of, field_error};
use crate::context::use_lang;
use crate::i18n::{Msg, fmt, t};
use crate::labels::role_name;

/// The people of the caller's organisation and the invitation form; shown to administrators
/// only (for anyone else the server refuses and this renders nothing).
#[component]
pub fn MembersSection() -> impl IntoView {
    let lang = use_lang();
    let invite = ServerAction::<InviteMember>::new();
    let deactivate = ServerAction::<DeactivateMember>::new();
    let errors = errors_of(invite.value(), lang);
    let deactivate_errors = errors_of(deactivate.value(), lang);
    let members = Resource::new_blocking(
        move || (invite.version().get(), deactivate.version().get()),
        |_| list_members(),
    );
    let query = use_query_map();
    let invited = move || query.with(|q| q.get("invited").is_some());
    let deactivated = move || {
        query.with(|q| q.get("deactivated").is_some())
            || deactivate.value().get().is_some_and(|r| r.is_ok())
    };
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let Ok((people, roles)) = members.await else { return ().into_any() };
                view! {
                    <h2 class="heading-m">{t(lang, Msg::MembersTitle)}</h2>
                    <Show when=invited>
                        <div class="notice" role="status">{t(lang, Msg::MembersInvitedNotice)}</div>
                    </Show>
                    <Show when=deactivated>
                        <div class="notice" role="status">{t(lang, Msg::MembersDeactivatedNotice)}</div>
                    </Show>
                    <ErrorSummary errors=deactivate_errors />
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{t(lang, Msg::FullName)}</th>
                                <th scope="col">{t(lang, Msg::Email)}</th>
                                <th scope="col">{t(lang, Msg::AccountRole)}</th>
                                <th scope="col"><span class="visually-hidden">{t(lang, Msg::MembersDeactivate)}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {people
                                .into_iter()
                                .map(|person| {
                                    let label = fmt::members_deactivate_named(lang, &person.full_name);
                                    view! {
                                        <tr>
                                            <td>{person.full_name}</td>
                                            <td>{person.email}</td>
                                            <td>
                                                {role_name(lang, person.role)}
                                                {person.pending.then(|| view! { " " <span class="tag">{t(lang, Msg::MembersPending)}</span> })}
                                                {person.deactivated.then(|| view! { " " <span class="tag">{t(lang, Msg::MembersDeactivatedTag)}</span> })}
                                            </td>
                                            <td>
                                                {(!person.deactivated && !person.you).then(|| view! {
                                                    <ActionForm action=deactivate>
                                                        <input type="hidden" name="id" value=person.id.to_string() />
                                                        <button type="submit" class="button button--warning" aria-label=label>{t(lang, Msg::MembersDeactivate)}</button>
                                                    </ActionForm>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <h3 class="heading-s">{t(lang, Msg::MembersInviteHeading)}</h3>
                    <p class="hint">{t(lang, Msg::MembersInviteHint)}</p>
                    <ErrorSummary errors />
                    <ActionForm action=invite>
                        <TextField id="full_name" label=t(lang, Msg::FullName) error=field_error(errors, "full_name") />
                        <TextField
                            id="email"
                            label=t(lang, Msg::Email)
                            error=field_error(errors, "email")
                            input_type="email"
                            input_mode="email"
                        />
                        <RadioGroup
                            id="role"
                            legend=t(lang, Msg::MemberRoleLegend)
                            options=roles.into_iter().map(|role| (role.code(), role_name(lang, role))).collect()
                            error=field_error(errors, "role")
                        />
                        <button type="submit" class="button">{t(lang, Msg::MembersInviteSubmit)}</button>
                    </ActionForm>
                }
                    .into_any()
            })}
        </Suspense>
    }
}
