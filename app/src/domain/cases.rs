//! Customs cases as the doubt procedure of WTO Decision 6.1 runs them: the kinds, the internal
//! states and the five plain states traders see, the outcomes, and which step may happen in
//! which state ([`next_state`]). Pure, shared with the browser.
//!
//! A **trader query** is opened by the importer (or a broker acting for it) before filing:
//! draft, then submitted; an officer takes it (in progress) and may answer and close it, or
//! issue a **request for information** on it. A request opened by customs on an assessment or a
//! declaration starts awaiting the trader. While a request awaits the trader, the trader may ask
//! once for an extension, answer with an explanation and documents, or say there is nothing more
//! to add; either brings the case under review. Customs closes the case with its outcome in
//! writing: answered (a query without a request), doubt dispelled (the declared value stands) or
//! doubt confirmed (with grounds and the next valuation method; the trader may appeal). A closed
//! case may be reopened for a number of days; a trader may withdraw a query until it closes.

use serde::{Deserialize, Serialize};

macro_rules! coded {
    ($name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseKind {
    /// Opened by the trader: a question about a value before filing.
    Query,
    /// Opened by customs: a request for information under the doubt procedure.
    Request,
}
coded!(CaseKind {
    Query = "query",
    Request = "request"
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseState {
    Draft,
    Submitted,
    InProgress,
    AwaitingTrader,
    UnderReview,
    Closed,
    Withdrawn,
}
coded!(CaseState {
    Draft = "draft",
    Submitted = "submitted",
    InProgress = "in_progress",
    AwaitingTrader = "awaiting_trader",
    UnderReview = "under_review",
    Closed = "closed",
    Withdrawn = "withdrawn",
});

/// The plain states a trader sees (Borrador, Enviado, En revisión, Información solicitada,
/// Resuelto, Retirado).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TraderState {
    Draft,
    Sent,
    InReview,
    InformationRequested,
    Resolved,
    Withdrawn,
}

impl CaseState {
    pub fn for_trader(self) -> TraderState {
        match self {
            CaseState::Draft => TraderState::Draft,
            CaseState::Submitted => TraderState::Sent,
            CaseState::InProgress | CaseState::UnderReview => TraderState::InReview,
            CaseState::AwaitingTrader => TraderState::InformationRequested,
            CaseState::Closed => TraderState::Resolved,
            CaseState::Withdrawn => TraderState::Withdrawn,
        }
    }

    /// Still being worked: sent, not closed nor withdrawn.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseState::Submitted
                | CaseState::InProgress
                | CaseState::AwaitingTrader
                | CaseState::UnderReview
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// A query answered without a request for information.
    Answered,
    /// Doubt dispelled: the declared transaction value stands.
    Dispelled,
    /// Doubt confirmed: the next valuation method applies; the trader may appeal.
    Confirmed,
}
coded!(Outcome {
    Answered = "answered",
    Dispelled = "dispelled",
    Confirmed = "confirmed"
});

/// The valuation method that applies once the transaction value is set aside (Art. 2 to 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NextMethod {
    IdenticalGoods,
    SimilarGoods,
    Deductive,
    Computed,
    Fallback,
}
coded!(NextMethod {
    IdenticalGoods = "identical",
    SimilarGoods = "similar",
    Deductive = "deductive",
    Computed = "computed",
    Fallback = "fallback",
});

/// The timeline's kinds of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    Created,
    Sent,
    Assigned,
    Released,
    Message,
    RequestIssued,
    ExtensionAsked,
    ExtensionGranted,
    ExtensionRefused,
    AnswerReceived,
    NothingMore,
    Outcome,
    Reopened,
    Withdrawn,
}
coded!(EventKind {
    Created = "created",
    Sent = "sent",
    Assigned = "assigned",
    Released = "released",
    Message = "message",
    RequestIssued = "request_issued",
    ExtensionAsked = "extension_asked",
    ExtensionGranted = "extension_granted",
    ExtensionRefused = "extension_refused",
    AnswerReceived = "answer_received",
    NothingMore = "nothing_more",
    Outcome = "outcome",
    Reopened = "reopened",
    Withdrawn = "withdrawn",
});

/// Which side of a case a person works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    Trader,
    Customs,
}
coded!(Side {
    Trader = "trader",
    Customs = "customs"
});

/// A step someone asks to take on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The trader sends a draft query.
    Send,
    /// An officer takes the case (or a supervisor assigns it).
    Take,
    /// Customs issues a request for information.
    IssueRequest,
    /// The trader asks for the one extension of the open request.
    AskExtension,
    /// Customs decides the extension (the state does not change).
    DecideExtension,
    /// The trader answers the request, or says there is nothing more to add.
    Answer,
    /// Either side writes a message.
    Message { side: Side },
    /// Customs records the outcome.
    Close { outcome: Outcome },
    /// Customs reopens a closed case within the reopening period.
    Reopen { within_period: bool },
    /// The trader withdraws a query.
    Withdraw,
}

/// Why a step cannot be taken now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepRefused {
    /// Not in this state (or not for this kind of case).
    NotNow,
    /// The extension was already asked for once.
    ExtensionAlreadyAsked,
    /// "Answered" closes a query without a request; a request closes dispelled or confirmed.
    WrongOutcome,
    /// The reopening period is over.
    ReopenPeriodOver,
}

/// The facts of a case a step depends on besides its state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseFacts {
    /// A request for information was issued on the case (ever).
    pub has_request: bool,
    /// The open request's extension was asked for already.
    pub extension_asked: bool,
    /// The open request's extension awaits customs' decision.
    pub extension_pending: bool,
}

/// The state after `step`, or why it cannot be taken.
pub fn next_state(
    kind: CaseKind,
    state: CaseState,
    facts: CaseFacts,
    step: Step,
) -> Result<CaseState, StepRefused> {
    use CaseState as S;
    let not_now = Err(StepRefused::NotNow);
    match step {
        Step::Send => match (kind, state) {
            (CaseKind::Query, S::Draft) => Ok(S::Submitted),
            _ => not_now,
        },
        Step::Take => match state {
            S::Submitted => Ok(S::InProgress),
            S::InProgress | S::AwaitingTrader | S::UnderReview => Ok(state),
            _ => not_now,
        },
        Step::IssueRequest => match state {
            S::InProgress | S::UnderReview => Ok(S::AwaitingTrader),
            _ => not_now,
        },
        Step::AskExtension => match state {
            S::AwaitingTrader if facts.extension_asked => Err(StepRefused::ExtensionAlreadyAsked),
            S::AwaitingTrader => Ok(S::AwaitingTrader),
            _ => not_now,
        },
        Step::DecideExtension => match state {
            S::AwaitingTrader if facts.extension_pending => Ok(S::AwaitingTrader),
            _ => not_now,
        },
        Step::Answer => match state {
            S::AwaitingTrader => Ok(S::UnderReview),
            _ => not_now,
        },
        Step::Message { side } => match (side, state) {
            (Side::Trader, S::Submitted | S::InProgress | S::AwaitingTrader | S::UnderReview) => {
                Ok(state)
            }
            (Side::Customs, S::InProgress | S::AwaitingTrader | S::UnderReview) => Ok(state),
            _ => not_now,
        },
        Step::Close { outcome } => match state {
            S::InProgress | S::UnderReview => {
                let fits = match outcome {
                    Outcome::Answered => !facts.has_request,
                    Outcome::Dispelled | Outcome::Confirmed => facts.has_request,
                };
                if fits {
                    Ok(S::Closed)
                } else {
                    Err(StepRefused::WrongOutcome)
                }
            }
            _ => not_now,
        },
        Step::Reopen { within_period } => match state {
            S::Closed if within_period => Ok(S::InProgress),
            S::Closed => Err(StepRefused::ReopenPeriodOver),
            _ => not_now,
        },
        Step::Withdraw => match (kind, state) {
            (CaseKind::Query, S::Draft | S::Submitted | S::InProgress | S::UnderReview) => {
                Ok(S::Withdrawn)
            }
            _ => not_now,
        },
    }
}

/// Categories of trader queries; each has a published response time in working days (a
/// setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueryCategory {
    /// The value, its method and adjustments.
    Valuation,
    /// Which documents support a value.
    Evidence,
    /// How the procedure or the portal works.
    Procedure,
}
coded!(QueryCategory {
    Valuation = "valuation",
    Evidence = "evidence",
    Procedure = "procedure",
});

/// The category a request for information is tracked under (its response time applies once the
/// trader has answered).
pub const REQUEST_CATEGORY: QueryCategory = QueryCategory::Valuation;

/// Longest message, grounds or explanation, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// A message or grounds as typed: trimmed, not empty, at most [`MAX_TEXT_CHARS`] characters.
pub fn parse_text(input: &str) -> Result<String, TextRefused> {
    let text = input.trim();
    if text.is_empty() {
        return Err(TextRefused::Empty);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(TextRefused::TooLong);
    }
    Ok(text.replace("\r\n", "\n"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextRefused {
    Empty,
    TooLong,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(has_request: bool) -> CaseFacts {
        CaseFacts {
            has_request,
            ..CaseFacts::default()
        }
    }

    #[test]
    fn codes_read_back() {
        for s in CaseState::ALL {
            assert_eq!(CaseState::parse(s.code()), Some(*s));
        }
        for e in EventKind::ALL {
            assert_eq!(EventKind::parse(e.code()), Some(*e));
        }
        assert_eq!(CaseState::parse("open"), None);
    }

    #[test]
    fn traders_see_five_plain_states_and_withdrawn() {
        assert_eq!(CaseState::InProgress.for_trader(), TraderState::InReview);
        assert_eq!(CaseState::UnderReview.for_trader(), TraderState::InReview);
        assert_eq!(
            CaseState::AwaitingTrader.for_trader(),
            TraderState::InformationRequested
        );
        assert_eq!(CaseState::Closed.for_trader(), TraderState::Resolved);
    }

    #[test]
    fn the_query_loop_runs_from_draft_to_doubt_dispelled() {
        let k = CaseKind::Query;
        let mut f = facts(false);
        let s = next_state(k, CaseState::Draft, f, Step::Send).unwrap();
        let s = next_state(k, s, f, Step::Take).unwrap();
        assert_eq!(s, CaseState::InProgress);
        let s = next_state(k, s, f, Step::IssueRequest).unwrap();
        f.has_request = true;
        let s = next_state(k, s, f, Step::AskExtension).unwrap();
        f.extension_asked = true;
        f.extension_pending = true;
        let s = next_state(k, s, f, Step::DecideExtension).unwrap();
        f.extension_pending = false;
        assert_eq!(
            next_state(k, s, f, Step::AskExtension),
            Err(StepRefused::ExtensionAlreadyAsked)
        );
        assert_eq!(
            next_state(k, s, f, Step::DecideExtension),
            Err(StepRefused::NotNow)
        );
        let s = next_state(k, s, f, Step::Answer).unwrap();
        assert_eq!(s, CaseState::UnderReview);
        assert_eq!(
            next_state(
                k,
                s,
                f,
                Step::Close {
                    outcome: Outcome::Answered
                }
            ),
            Err(StepRefused::WrongOutcome)
        );
        let s = next_state(
            k,
            s,
            f,
            Step::Close {
                outcome: Outcome::Dispelled,
            },
        )
        .unwrap();
        assert_eq!(s, CaseState::Closed);
        assert_eq!(
            next_state(
                k,
                s,
                f,
                Step::Reopen {
                    within_period: false
                }
            ),
            Err(StepRefused::ReopenPeriodOver)
        );
        assert_eq!(
            next_state(
                k,
                s,
                f,
                Step::Reopen {
                    within_period: true
                }
            ),
            Ok(CaseState::InProgress)
        );
    }

    #[test]
    fn only_the_trader_withdraws_and_only_a_query_before_it_closes() {
        assert_eq!(
            next_state(
                CaseKind::Query,
                CaseState::InProgress,
                facts(false),
                Step::Withdraw
            ),
            Ok(CaseState::Withdrawn)
        );
        assert_eq!(
            next_state(
                CaseKind::Request,
                CaseState::AwaitingTrader,
                facts(true),
                Step::Withdraw
            ),
            Err(StepRefused::NotNow)
        );
        assert_eq!(
            next_state(
                CaseKind::Query,
                CaseState::Closed,
                facts(false),
                Step::Withdraw
            ),
            Err(StepRefused::NotNow)
        );
    }

    #[test]
    fn customs_does_not_write_on_a_draft_and_nobody_writes_on_a_closed_case() {
        let customs = Step::Message {
            side: Side::Customs,
        };
        let trader = Step::Message { side: Side::Trader };
        let f = facts(false);
        assert!(next_state(CaseKind::Query, CaseState::Draft, f, customs).is_err());
        assert!(next_state(CaseKind::Query, CaseState::Submitted, f, customs).is_err());
        assert!(next_state(CaseKind::Query, CaseState::Submitted, f, trader).is_ok());
        assert!(next_state(CaseKind::Query, CaseState::Closed, f, trader).is_err());
        assert!(next_state(CaseKind::Query, CaseState::Withdrawn, f, customs).is_err());
    }

    #[test]
    fn text_is_trimmed_and_limited() {
        assert_eq!(parse_text("  hola \r\n"), Ok("hola".into()));
        assert_eq!(parse_text(" \n "), Err(TextRefused::Empty));
        assert!(parse_text(&"é".repeat(MAX_TEXT_CHARS)).is_ok());
        assert_eq!(
            parse_text(&"é".repeat(MAX_TEXT_CHARS + 1)),
            Err(TextRefused::TooLong)
        );
    }

    fn any_step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::Send),
            Just(Step::Take),
            Just(Step::IssueRequest),
            Just(Step::AskExtension),
            Just(Step::DecideExtension),
            Just(Step::Answer),
            Just(Step::Message { side: Side::Trader }),
            Just(Step::Message {
                side: Side::Customs
            }),
            Just(Step::Close {
                outcome: Outcome::Answered
            }),
            Just(Step::Close {
                outcome: Outcome::Dispelled
            }),
            Just(Step::Close {
                outcome: Outcome::Confirmed
            }),
            any::<bool>().prop_map(|within_period| Step::Reopen { within_period }),
            Just(Step::Withdraw),
        ]
    }

    proptest! {
        #[test]
        fn no_step_leaves_withdrawn_and_only_customs_steps_leave_closed(
            steps in proptest::collection::vec(any_step(), 0..30), request in any::<bool>()
        ) {
            let kind = if request { CaseKind::Request } else { CaseKind::Query };
            let mut state = if request { CaseState::AwaitingTrader } else { CaseState::Draft };
            let mut f = facts(request);
            for step in steps {
                let before = state;
                if let Ok(after) = next_state(kind, state, f, step) {
                    prop_assert!(before != CaseState::Withdrawn);
                    if before == CaseState::Closed {
                        let reopened = matches!(step, Step::Reopen { within_period: true });
                        prop_assert!(reopened);
                    }
                    if after == CaseState::Closed {
                        let closing = matches!(step, Step::Close { .. });
                        prop_assert!(closing);
                    }
                    if after == CaseState::Draft {
                        prop_assert_eq!(before, CaseState::Draft);
                    }
                    state = after;
                    match step {
                        Step::IssueRequest => { f.has_request = true; f.extension_asked = false; }
                        Step::AskExtension => { f.extension_asked = true; f.extension_pending = true; }
                        Step::DecideExtension => f.extension_pending = false,
                        _ => {}
                    }
                }
            }
        }
    }
}
