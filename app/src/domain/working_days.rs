//! Working days: the calendar deadlines of customs cases count in. Saturdays, Sundays and the
//! holidays an administrator keeps are not working days. Dates here are local dates of the
//! deployment's time zone (`VALORA_TIME_ZONE`); the server converts instants at the edge.
//!
//! The rules, as the case feature applies them:
//! - a filing (an answer, a request issued) counts on the day it is made if that is a working
//!   day, whatever the hour up to 23:59:59 local time; made on a day off, it counts on the next
//!   working day ([`Calendar::filing_day`]);
//! - a period of `n` working days ends on the `n`-th working day after the filing day
//!   ([`Calendar::add_working_days`]); the filing day itself is not counted;
//! - a filing is on time when its filing day is on or before the due date;
//! - the working days a case has been open count the working days after the day it was sent, up
//!   to today, minus the days it spent waiting for the trader ([`Clock`]).

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The days off besides weekends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        Calendar {
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The working day a filing made on local date `day` counts on: that day, or the next
    /// working day when it is a day off.
    pub fn filing_day(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        while !self.is_working_day(d) {
            d = next(d);
        }
        d
    }

    /// The `n`-th working day after `from` (`from` itself not counted; `n = 0` gives the filing
    /// day of `from`).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = self.filing_day(from);
        let mut left = n;
        while left > 0 {
            d = next(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut d = from;
        while d < to {
            d = next(d);
            if self.is_working_day(d) {
                count += 1;
            }
        }
        count
    }

    /// Whether a filing made on local date `filed` meets the due date `due`.
    pub fn on_time(&self, filed: NaiveDate, due: NaiveDate) -> bool {
        self.filing_day(filed) <= due
    }
}

fn next(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

/// The working-day clock of a case: it runs from the day the case was sent and pauses while the
/// case waits for the trader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The local date the case was sent on (`None`: a draft, the clock has not started).
    pub sent_on: Option<NaiveDate>,
    /// Working days of finished waits for the trader.
    pub paused_days: u32,
    /// The local date the current wait for the trader began on, if the case waits now.
    pub awaiting_since: Option<NaiveDate>,
    /// The local date the clock stopped (the case closed or was withdrawn).
    pub stopped_on: Option<NaiveDate>,
}

impl Clock {
    /// Working days with customs up to `today`.
    pub fn elapsed(&self, calendar: &Calendar, today: NaiveDate) -> u32 {
        let Some(sent) = self.sent_on else {
            return 0;
        };
        let end = self.stopped_on.unwrap_or(today);
        let total = calendar.working_days_between(sent, end);
        let waiting = self
            .awaiting_since
            .map(|since| calendar.working_days_between(since, end))
            .unwrap_or(0);
        total.saturating_sub(self.paused_days + waiting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn peru_december() -> Calendar {
        Calendar::new([d("2026-12-08"), d("2026-12-09"), d("2026-12-25")])
    }

    #[test]
    fn weekends_and_holidays_are_not_working_days() {
        let cal = peru_december();
        assert!(cal.is_working_day(d("2026-12-07")));
        assert!(!cal.is_working_day(d("2026-12-05")), "Saturday");
        assert!(!cal.is_working_day(d("2026-12-06")), "Sunday");
        assert!(!cal.is_working_day(d("2026-12-08")), "holiday");
    }

    #[test]
    fn a_period_skips_weekends_and_holidays() {
        let cal = peru_december();
        // Issued Friday 4 December: Mon 7, Thu 10, Fri 11, Mon 14, Tue 15 (8 and 9 are holidays).
        assert_eq!(cal.add_working_days(d("2026-12-04"), 5), d("2026-12-15"));
        // Issued on a Saturday: it counts as issued on Monday 7, so the five days end on the 16th.
        assert_eq!(cal.add_working_days(d("2026-12-05"), 5), d("2026-12-16"));
        assert_eq!(cal.add_working_days(d("2026-12-23"), 2), d("2026-12-28"));
    }

    #[test]
    fn a_filing_on_a_day_off_counts_on_the_next_working_day() {
        let cal = peru_december();
        assert_eq!(cal.filing_day(d("2026-12-12")), d("2026-12-14"));
        assert!(
            cal.on_time(d("2026-12-11"), d("2026-12-11")),
            "the due day itself"
        );
        assert!(
            !cal.on_time(d("2026-12-12"), d("2026-12-11")),
            "the Saturday after a Friday due date is late"
        );
        assert!(
            cal.on_time(d("2026-12-13"), d("2026-12-14")),
            "Sunday counts as Monday"
        );
    }

    #[test]
    fn the_clock_pauses_while_the_case_awaits_the_trader() {
        let cal = peru_december();
        let clock = Clock {
            sent_on: Some(d("2026-12-01")),
            paused_days: 0,
            awaiting_since: Some(d("2026-12-03")),
            stopped_on: None,
        };
        // 2 and 3 December with customs; from 3 December the trader holds the case.
        assert_eq!(clock.elapsed(&cal, d("2026-12-10")), 2);
        let resumed = Clock {
            paused_days: cal.working_days_between(d("2026-12-03"), d("2026-12-10")),
            awaiting_since: None,
            ..clock
        };
        // The 4th, 7th and 10th (the 8th and 9th are holidays).
        assert_eq!(resumed.paused_days, 3);
        // Back with customs on the 10th: the 11th and the 14th count again.
        assert_eq!(resumed.elapsed(&cal, d("2026-12-14")), 4);
        let draft = Clock {
            sent_on: None,
            ..clock
        };
        assert_eq!(draft.elapsed(&cal, d("2026-12-14")), 0);
    }

    proptest! {
        #[test]
        fn a_period_ends_on_a_working_day_exactly_n_working_days_later(
            offset in 0u64..800, n in 1u32..40, holidays in proptest::collection::vec(0u64..800, 0..30)
        ) {
            let base = d("2026-01-01");
            let cal = Calendar::new(holidays.iter().map(|h| base + Days::new(*h)));
            let from = base + Days::new(offset);
            let due = cal.add_working_days(from, n);
            prop_assert!(cal.is_working_day(due));
            prop_assert_eq!(cal.working_days_between(cal.filing_day(from), due), n);
            prop_assert!(cal.on_time(due, due));
        }

        #[test]
        fn the_clock_never_counts_more_than_the_calendar(
            sent in 0u64..300, wait_start in 0u64..300, today in 0u64..400
        ) {
            let base = d("2026-01-01");
            let cal = Calendar::default();
            let sent_on = base + Days::new(sent);
            let clock = Clock {
                sent_on: Some(sent_on),
                paused_days: 0,
                awaiting_since: Some(sent_on + Days::new(wait_start)),
                stopped_on: None,
            };
            let today = base + Days::new(today);
            prop_assert!(clock.elapsed(&cal, today) <= cal.working_days_between(sent_on, today));
        }
    }
}
