//! Who may do what: the one place that answers, deny by default. Pure: callers load the facts
//! (the caller's organisation, role and the importer a broker acts for, already checked against
//! a mandate in force) and ask; every server function and route goes through [`decide`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    Importer,
    Broker,
    Customs,
}

impl OrgKind {
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Importer => "importer",
            OrgKind::Broker => "broker",
            OrgKind::Customs => "customs",
        }
    }

    pub fn parse(code: &str) -> Option<OrgKind> {
        [OrgKind::Importer, OrgKind::Broker, OrgKind::Customs]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    OrgAdmin,
    Trader,
    Compliance,
    CustomsOfficer,
    /// Assigns and moves cases, acts on any case, reads the reports.
    CustomsSupervisor,
    /// Reads every case and report, changes nothing.
    CustomsAuditor,
    ValuationAdmin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::OrgAdmin,
        Role::Trader,
        Role::Compliance,
        Role::CustomsOfficer,
        Role::CustomsSupervisor,
        Role::CustomsAuditor,
        Role::ValuationAdmin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::OrgAdmin => "org_admin",
            Role::Trader => "trader",
            Role::Compliance => "compliance",
            Role::CustomsOfficer => "customs_officer",
            Role::CustomsSupervisor => "customs_supervisor",
            Role::CustomsAuditor => "customs_auditor",
            Role::ValuationAdmin => "valuation_admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn is_customs(self) -> bool {
        matches!(
            self,
            Role::CustomsOfficer
                | Role::CustomsSupervisor
                | Role::CustomsAuditor
                | Role::ValuationAdmin
        )
    }

    /// Works customs cases: officers, supervisors and (read only) auditors.
    pub fn works_cases(self) -> bool {
        matches!(
            self,
            Role::CustomsOfficer | Role::CustomsSupervisor | Role::CustomsAuditor
        )
    }
}

/// The roles people of an organisation of `kind` may hold.
pub fn roles_for(kind: OrgKind) -> &'static [Role] {
    match kind {
        OrgKind::Importer => &[Role::Trader, Role::Compliance, Role::OrgAdmin],
        OrgKind::Broker => &[Role::Trader, Role::OrgAdmin],
        OrgKind::Customs => &[
            Role::CustomsOfficer,
            Role::CustomsSupervisor,
            Role::CustomsAuditor,
            Role::ValuationAdmin,
        ],
    }
}

/// The signed-in caller, as far as decisions need to know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub org_kind: OrgKind,
    pub role: Role,
    /// For broker staff: the importer chosen to act for, only while its mandate is in force.
    pub acting_for: Option<Uuid>,
    /// The caller's organisation has been verified by customs (see `features::verification`).
    /// An unverified trader organisation can check and save, but not act for others, submit
    /// documents or open cases.
    pub verified: bool,
}

impl Actor {
    /// The organisation whose data the caller works on: the importer a broker acts for, else
    /// the caller's own organisation.
    pub fn principal(&self) -> Uuid {
        self.acting_for.unwrap_or(self.org_id)
    }
}

/// What a caller asks to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// See one's own account page, sessions, change one's password.
    ManageOwnAccount,
    /// Grant or revoke broker mandates of an importer.
    ManageMandates { importer: Uuid },
    /// Choose to act for an importer (the caller's firm must hold a mandate in force).
    ActFor {
        importer: Uuid,
        mandate_in_force: bool,
    },
    /// See an organisation's people and invite someone with `role` (`None`: only look). Customs
    /// staff are invited this way by a valuation administrator.
    ManageMembers { org: Uuid, role: Option<Role> },
    /// Import reference data (nomenclature, countries, units, currencies, rates, records).
    ManageReferenceData,
    /// Compute, review, publish and discard band versions.
    ManageBands,
    /// See, create and revoke the API tokens of a trader organisation (importer or broker): its
    /// administrators.
    ManageApiTokens { org: Uuid },
    /// Save, list and reopen the value checks (single and batch) kept under `owner`. These are
    /// a trader's own workings before filing: customs staff do not see them.
    UseAssessments { owner: Uuid },
    /// Attach, list, download and remove the documents of `owner`'s saved assessments, and
    /// submit them to customs: the people who may use those assessments.
    UseDocuments { owner: Uuid },
    /// Customs staff open a submitted assessment and its documents. A confidential document is
    /// for the officer assigned to a case on it (`assigned`), supervisors and auditors only.
    ReadSubmitted { confidential: bool, assigned: bool },
    /// Read `owner`'s company evidence library and attach its documents: the importer's people,
    /// and a broker's people while they act for it under a mandate.
    ReadLibrary { owner: Uuid },
    /// Add documents and new versions to `owner`'s library: its compliance users and admins.
    ManageLibrary { owner: Uuid },
    /// Open a query to customs for `owner`, and see, write on, answer, ask an extension on or
    /// withdraw `owner`'s cases: the importer's people, and a broker's while acting for it.
    UseCases { owner: Uuid },
    /// See the work queue, every case and its timeline: officers, supervisors and auditors.
    ReadCases,
    /// Open a request for information (doubt procedure) on an assessment or a declaration, and
    /// take an unassigned case: officers and supervisors.
    OpenCases,
    /// Act on a case (write, request, decide an extension, record the outcome, reopen, release):
    /// the officer it is assigned to, or a supervisor.
    WorkCase { assigned_to_caller: bool },
    /// Assign or move cases between officers: supervisors.
    AssignCases,
    /// The supervisors' reports: supervisors and auditors.
    ReadCaseReports,
    /// Keep the holidays the working-day calendar skips: valuation administrators.
    ManageHolidays,
    /// See the organisations waiting for verification, their evidence, and verify or reject
    /// them: valuation administrators.
    VerifyOrganisations,
    /// Give evidence of who `org` is (its tax registration record) and see its verification:
    /// the administrators of a trader organisation.
    ProvideVerificationEvidence { org: Uuid },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

pub fn decide(actor: Option<&Actor>, action: Action) -> Decision {
    let Some(actor) = actor else {
        return Decision::Deny;
    };
    let allowed = match action {
        Action::ManageOwnAccount => true,
        Action::ManageMandates { importer } => {
            actor.org_kind == OrgKind::Importer
                && actor.role == Role::OrgAdmin
                && actor.org_id == importer
        }
        Action::ActFor {
            mandate_in_force, ..
        } => {
            actor.org_kind == OrgKind::Broker
                && matches!(actor.role, Role::Trader | Role::OrgAdmin)
                && actor.verified
                && mandate_in_force
        }
        Action::ManageMembers { org, role } => {
            let administers = match actor.org_kind {
                OrgKind::Importer | OrgKind::Broker => actor.role == Role::OrgAdmin,
                OrgKind::Customs => actor.role == Role::ValuationAdmin,
            };
            administers
                && actor.org_id == org
                && role.is_none_or(|r| roles_for(actor.org_kind).contains(&r))
        }
        Action::ManageApiTokens { org } => {
            actor.org_id == org
                && matches!(actor.org_kind, OrgKind::Importer | OrgKind::Broker)
                && actor.role == Role::OrgAdmin
        }
        // A broker works under the importer it acts for, or else under its own firm.
        Action::UseAssessments { owner } => {
            actor.org_kind != OrgKind::Customs && actor.principal() == owner
        }
        Action::UseDocuments { owner } => {
            actor.verified
                && decide(Some(actor), Action::UseAssessments { owner }) == Decision::Allow
        }
        Action::ReadSubmitted {
            confidential,
            assigned,
        } => {
            actor.org_kind == OrgKind::Customs
                && actor.role.is_customs()
                && (!confidential
                    || matches!(actor.role, Role::CustomsSupervisor | Role::CustomsAuditor)
                    || (assigned && actor.role == Role::CustomsOfficer))
        }
        Action::UseCases { owner } => {
            actor.verified
                && match actor.org_kind {
                    OrgKind::Importer => actor.org_id == owner,
                    OrgKind::Broker => actor.acting_for == Some(owner),
                    OrgKind::Customs => false,
                }
        }
        Action::ReadCases => actor.org_kind == OrgKind::Customs && actor.role.works_cases(),
        Action::OpenCases => {
            actor.org_kind == OrgKind::Customs
                && matches!(actor.role, Role::CustomsOfficer | Role::CustomsSupervisor)
        }
        Action::WorkCase { assigned_to_caller } => {
            actor.org_kind == OrgKind::Customs
                && (actor.role == Role::CustomsSupervisor
                    || (actor.role == Role::CustomsOfficer && assigned_to_caller))
        }
        Action::AssignCases => {
            actor.org_kind == OrgKind::Customs && actor.role == Role::CustomsSupervisor
        }
        Action::ReadCaseReports => {
            actor.org_kind == OrgKind::Customs
                && matches!(actor.role, Role::CustomsSupervisor | Role::CustomsAuditor)
        }
        Action::ManageHolidays | Action::VerifyOrganisations => {
            actor.org_kind == OrgKind::Customs && actor.role == Role::ValuationAdmin
        }
        Action::ProvideVerificationEvidence { org } => {
            actor.org_id == org
                && matches!(actor.org_kind, OrgKind::Importer | OrgKind::Broker)
                && actor.role == Role::OrgAdmin
        }
        Action::ReadLibrary { owner } => match actor.org_kind {
            OrgKind::Importer => actor.org_id == owner,
            OrgKind::Broker => actor.acting_for == Some(owner),
            OrgKind::Customs => false,
        },
        Action::ManageLibrary { owner } => {
            actor.org_kind == OrgKind::Importer
                && actor.org_id == owner
                && matches!(actor.role, Role::Compliance | Role::OrgAdmin)
        }
        Action::ManageReferenceData | Action::ManageBands => {
            actor.org_kind == OrgKind::Customs && actor.role == Role::ValuationAdmin
        }
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::Deny
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(kind: OrgKind, role: Role, org: u128, acting_for: Option<u128>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(999),
            org_id: Uuid::from_u128(org),
            org_kind: kind,
            role,
            acting_for: acting_for.map(Uuid::from_u128),
            verified: true,
        }
    }

    #[test]
    fn an_unverified_organisation_checks_and_saves_but_neither_files_nor_acts_for_others() {
        let owner = Uuid::from_u128(1);
        let importer = Actor {
            verified: false,
            ..actor(OrgKind::Importer, Role::OrgAdmin, 1, None)
        };
        let allowed = |action| decide(Some(&importer), action) == Decision::Allow;
        assert!(allowed(Action::UseAssessments { owner }));
        assert!(allowed(Action::ProvideVerificationEvidence { org: owner }));
        assert!(!allowed(Action::UseDocuments { owner }));
        assert!(!allowed(Action::UseCases { owner }));
        let broker = Actor {
            verified: false,
            ..actor(OrgKind::Broker, Role::OrgAdmin, 7, Some(1))
        };
        let act_for = Action::ActFor {
            importer: owner,
            mandate_in_force: true,
        };
        assert_eq!(decide(Some(&broker), act_for), Decision::Deny);
        let verified_broker = Actor {
            verified: true,
            ..broker
        };
        assert_eq!(decide(Some(&verified_broker), act_for), Decision::Allow);
    }

    #[test]
    fn only_valuation_administrators_verify_organisations() {
        for role in roles_for(OrgKind::Customs) {
            let staff = actor(OrgKind::Customs, *role, 1, None);
            assert_eq!(
                decide(Some(&staff), Action::VerifyOrganisations) == Decision::Allow,
                *role == Role::ValuationAdmin,
                "{role:?}"
            );
        }
        let admin = actor(OrgKind::Importer, Role::OrgAdmin, 1, None);
        assert_eq!(
            decide(Some(&admin), Action::VerifyOrganisations),
            Decision::Deny
        );
        let evidence = |org| Action::ProvideVerificationEvidence {
            org: Uuid::from_u128(org),
        };
        assert_eq!(decide(Some(&admin), evidence(1)), Decision::Allow);
        assert_eq!(decide(Some(&admin), evidence(2)), Decision::Deny);
        let trader = actor(OrgKind::Importer, Role::Trader, 1, None);
        assert_eq!(decide(Some(&trader), evidence(1)), Decision::Deny);
    }

    #[test]
    fn anonymous_callers_are_denied_everything() {
        for action in [
            Action::ManageOwnAccount,
            Action::ManageMandates {
                importer: Uuid::from_u128(1),
            },
            Action::UseCases {
                owner: Uuid::from_u128(1),
            },
            Action::ManageMembers {
                org: Uuid::from_u128(1),
                role: None,
            },
            Action::ManageReferenceData,
            Action::ManageBands,
            Action::ManageApiTokens {
                org: Uuid::from_u128(1),
            },
            Action::UseAssessments {
                owner: Uuid::from_u128(1),
            },
        ] {
            assert_eq!(decide(None, action), Decision::Deny, "{action:?}");
        }
    }

    #[test]
    fn assessments_belong_to_the_importer_or_the_broker_acting_for_it() {
        let action = Action::UseAssessments {
            owner: Uuid::from_u128(1),
        };
        for (caller, expected) in [
            (
                actor(OrgKind::Importer, Role::Trader, 1, None),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Importer, Role::Compliance, 2, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, Some(1)),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, Some(2)),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 1, None),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Customs, Role::CustomsOfficer, 1, None),
                Decision::Deny,
            ),
        ] {
            assert_eq!(decide(Some(&caller), action), expected, "{caller:?}");
        }
    }

    #[test]
    fn only_a_trader_organisations_administrators_manage_its_api_tokens() {
        let action = Action::ManageApiTokens {
            org: Uuid::from_u128(1),
        };
        for (caller, expected) in [
            (
                actor(OrgKind::Importer, Role::OrgAdmin, 1, None),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Broker, Role::OrgAdmin, 1, None),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Importer, Role::Compliance, 1, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 1, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Importer, Role::OrgAdmin, 2, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Customs, Role::ValuationAdmin, 1, None),
                Decision::Deny,
            ),
        ] {
            assert_eq!(decide(Some(&caller), action), expected, "{caller:?}");
        }
    }

    #[test]
    fn only_valuation_administrators_manage_reference_data_and_bands() {
        let callers = [
            (
                actor(OrgKind::Customs, Role::ValuationAdmin, 1, None),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Customs, Role::CustomsOfficer, 1, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Importer, Role::OrgAdmin, 2, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Importer, Role::Compliance, 2, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::OrgAdmin, 3, Some(2)),
                Decision::Deny,
            ),
        ];
        for (caller, expected) in callers {
            for action in [Action::ManageReferenceData, Action::ManageBands] {
                assert_eq!(
                    decide(Some(&caller), action),
                    expected,
                    "{caller:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_importers_own_administrator_manages_its_mandates() {
        let importer = Uuid::from_u128(1);
        let action = Action::ManageMandates { importer };
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Importer, Role::OrgAdmin, 1, None)),
                action
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Importer, Role::Trader, 1, None)),
                action
            ),
            Decision::Deny
        );
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Importer, Role::OrgAdmin, 2, None)),
                action
            ),
            Decision::Deny
        );
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Broker, Role::OrgAdmin, 1, None)),
                action
            ),
            Decision::Deny
        );
    }

    #[test]
    fn brokers_reach_an_importers_data_only_while_acting_for_it_and_customs_never_by_owner() {
        let owner = Uuid::from_u128(1);
        let action = Action::UseCases { owner };
        for role in roles_for(OrgKind::Customs) {
            let staff = actor(OrgKind::Customs, *role, 1, None);
            for action in [
                Action::UseCases { owner },
                Action::UseAssessments { owner },
                Action::UseDocuments { owner },
                Action::ReadLibrary { owner },
            ] {
                assert_eq!(
                    decide(Some(&staff), action),
                    Decision::Deny,
                    "{role:?} {action:?}"
                );
            }
        }
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Broker, Role::Trader, 7, Some(1))),
                action
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&actor(OrgKind::Broker, Role::Trader, 7, None)), action),
            Decision::Deny
        );
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Broker, Role::Trader, 7, Some(2))),
                action
            ),
            Decision::Deny
        );
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Importer, Role::Trader, 2, None)),
                action
            ),
            Decision::Deny
        );
        assert_eq!(
            decide(
                Some(&actor(OrgKind::Importer, Role::Compliance, 1, None)),
                action
            ),
            Decision::Allow
        );
    }

    #[test]
    fn acting_for_needs_a_mandate_in_force() {
        let broker = actor(OrgKind::Broker, Role::Trader, 7, None);
        let importer = Uuid::from_u128(1);
        assert_eq!(
            decide(
                Some(&broker),
                Action::ActFor {
                    importer,
                    mandate_in_force: true
                }
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                Some(&broker),
                Action::ActFor {
                    importer,
                    mandate_in_force: false
                }
            ),
            Decision::Deny
        );
        let importer_staff = actor(OrgKind::Importer, Role::Trader, 2, None);
        assert_eq!(
            decide(
                Some(&importer_staff),
                Action::ActFor {
                    importer,
                    mandate_in_force: true
                }
            ),
            Decision::Deny
        );
    }

    #[test]
    fn administrators_invite_only_the_roles_of_their_own_kind_of_organisation() {
        let org = Uuid::from_u128(1);
        let invite = |role| Action::ManageMembers {
            org,
            role: Some(role),
        };
        let importer_admin = actor(OrgKind::Importer, Role::OrgAdmin, 1, None);
        assert_eq!(
            decide(Some(&importer_admin), invite(Role::Compliance)),
            Decision::Allow
        );
        assert_eq!(
            decide(Some(&importer_admin), invite(Role::CustomsOfficer)),
            Decision::Deny
        );
        let other_admin = actor(OrgKind::Importer, Role::OrgAdmin, 2, None);
        assert_eq!(
            decide(Some(&other_admin), invite(Role::Trader)),
            Decision::Deny
        );
        let trader = actor(OrgKind::Importer, Role::Trader, 1, None);
        assert_eq!(
            decide(Some(&trader), Action::ManageMembers { org, role: None }),
            Decision::Deny
        );
        let valuation_admin = actor(OrgKind::Customs, Role::ValuationAdmin, 1, None);
        assert_eq!(
            decide(Some(&valuation_admin), invite(Role::CustomsOfficer)),
            Decision::Allow
        );
        let broker_admin = actor(OrgKind::Broker, Role::OrgAdmin, 1, None);
        assert_eq!(
            decide(Some(&broker_admin), invite(Role::Compliance)),
            Decision::Deny
        );
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(OrgKind::parse("broker"), Some(OrgKind::Broker));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn documents_follow_the_assessment_and_customs_read_only_what_was_submitted_and_is_not_confidential()
     {
        let owner = Uuid::from_u128(1);
        let use_docs = Action::UseDocuments { owner };
        let cases = [
            (
                actor(OrgKind::Importer, Role::Trader, 1, None),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Importer, Role::Compliance, 1, None),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Importer, Role::OrgAdmin, 2, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, Some(1)),
                Decision::Allow,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, None),
                Decision::Deny,
            ),
            (
                actor(OrgKind::Customs, Role::CustomsOfficer, 4, None),
                Decision::Deny,
            ),
        ];
        for (caller, expected) in cases {
            assert_eq!(decide(Some(&caller), use_docs), expected, "{caller:?}");
        }
        let officer = actor(OrgKind::Customs, Role::CustomsOfficer, 4, None);
        let admin = actor(OrgKind::Customs, Role::ValuationAdmin, 4, None);
        let supervisor = actor(OrgKind::Customs, Role::CustomsSupervisor, 4, None);
        let auditor = actor(OrgKind::Customs, Role::CustomsAuditor, 4, None);
        let trader = actor(OrgKind::Importer, Role::Trader, 1, None);
        for (caller, confidential, assigned, expected) in [
            (&officer, false, false, Decision::Allow),
            (&admin, false, false, Decision::Allow),
            (&officer, true, false, Decision::Deny),
            (&officer, true, true, Decision::Allow),
            (&admin, true, true, Decision::Deny),
            (&supervisor, true, false, Decision::Allow),
            (&auditor, true, false, Decision::Allow),
            (&trader, false, false, Decision::Deny),
            (&trader, true, true, Decision::Deny),
        ] {
            assert_eq!(
                decide(
                    Some(caller),
                    Action::ReadSubmitted {
                        confidential,
                        assigned
                    }
                ),
                expected,
                "{caller:?} confidential={confidential} assigned={assigned}"
            );
        }
        assert_eq!(
            decide(
                None,
                Action::ReadSubmitted {
                    confidential: false,
                    assigned: false,
                }
            ),
            Decision::Deny
        );
    }

    #[test]
    fn traders_use_their_importers_cases_and_customs_roles_split_reading_acting_and_assigning() {
        let owner = Uuid::from_u128(1);
        let assigned = Action::WorkCase {
            assigned_to_caller: true,
        };
        let unassigned = Action::WorkCase {
            assigned_to_caller: false,
        };
        // Columns: UseCases{owner}, ReadCases, OpenCases, WorkCase assigned, WorkCase not
        // assigned, AssignCases, ReadCaseReports, ManageHolidays.
        use Decision::{Allow as A, Deny as D};
        for (caller, expected) in [
            (
                actor(OrgKind::Importer, Role::Trader, 1, None),
                [A, D, D, D, D, D, D, D],
            ),
            (
                actor(OrgKind::Importer, Role::Compliance, 1, None),
                [A, D, D, D, D, D, D, D],
            ),
            (
                actor(OrgKind::Importer, Role::OrgAdmin, 1, None),
                [A, D, D, D, D, D, D, D],
            ),
            (
                actor(OrgKind::Importer, Role::OrgAdmin, 2, None),
                [D, D, D, D, D, D, D, D],
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, Some(1)),
                [A, D, D, D, D, D, D, D],
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, None),
                [D, D, D, D, D, D, D, D],
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 1, None),
                [D, D, D, D, D, D, D, D],
            ),
            (
                actor(OrgKind::Customs, Role::CustomsOfficer, 4, None),
                [D, A, A, A, D, D, D, D],
            ),
            (
                actor(OrgKind::Customs, Role::CustomsSupervisor, 4, None),
                [D, A, A, A, A, A, A, D],
            ),
            (
                actor(OrgKind::Customs, Role::CustomsAuditor, 4, None),
                [D, A, D, D, D, D, A, D],
            ),
            (
                actor(OrgKind::Customs, Role::ValuationAdmin, 4, None),
                [D, D, D, D, D, D, D, A],
            ),
        ] {
            let got = [
                Action::UseCases { owner },
                Action::ReadCases,
                Action::OpenCases,
                assigned,
                unassigned,
                Action::AssignCases,
                Action::ReadCaseReports,
                Action::ManageHolidays,
            ]
            .map(|action| decide(Some(&caller), action));
            assert_eq!(got, expected, "{caller:?}");
        }
        for action in [
            Action::UseCases { owner },
            Action::ReadCases,
            Action::OpenCases,
            assigned,
            Action::AssignCases,
            Action::ReadCaseReports,
            Action::ManageHolidays,
        ] {
            assert_eq!(decide(None, action), Decision::Deny, "{action:?}");
        }
    }

    #[test]
    fn the_library_is_read_by_the_importers_people_and_its_brokers_and_kept_by_compliance() {
        let owner = Uuid::from_u128(1);
        for (caller, read, manage) in [
            (
                actor(OrgKind::Importer, Role::Trader, 1, None),
                Decision::Allow,
                Decision::Deny,
            ),
            (
                actor(OrgKind::Importer, Role::Compliance, 1, None),
                Decision::Allow,
                Decision::Allow,
            ),
            (
                actor(OrgKind::Importer, Role::OrgAdmin, 1, None),
                Decision::Allow,
                Decision::Allow,
            ),
            (
                actor(OrgKind::Importer, Role::Compliance, 2, None),
                Decision::Deny,
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 3, Some(1)),
                Decision::Allow,
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::OrgAdmin, 3, None),
                Decision::Deny,
                Decision::Deny,
            ),
            (
                actor(OrgKind::Broker, Role::Trader, 1, None),
                Decision::Deny,
                Decision::Deny,
            ),
            (
                actor(OrgKind::Customs, Role::ValuationAdmin, 4, None),
                Decision::Deny,
                Decision::Deny,
            ),
        ] {
            assert_eq!(
                decide(Some(&caller), Action::ReadLibrary { owner }),
                read,
                "{caller:?}"
            );
            assert_eq!(
                decide(Some(&caller), Action::ManageLibrary { owner }),
                manage,
                "{caller:?}"
            );
        }
        assert_eq!(decide(None, Action::ReadLibrary { owner }), Decision::Deny);
        assert_eq!(
            decide(None, Action::ManageLibrary { owner }),
            Decision::Deny
        );
    }
}
