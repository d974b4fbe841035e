//! Deadlines counted by rule rather than typed: a period (days, business days, weeks, months) from a
//! trigger, forward or back, in the calendar of a court, with the rules that extend a period ending on
//! a day the courts are closed.
//!
//! - **Counting.** The day of the trigger is not counted; the period ends at the end of its last day
//!   (France, CPC art. 640–641; United States, FRCP 6(a)(1); England & Wales, CPR 2.8, "clear days").
//!   A period in months or weeks ends on the day of the same number (or weekday); a month without
//!   that day ends the period on its last day (CPC art. 641: 31 January + 1 month is 28 or 29
//!   February). Business days skip Saturdays, Sundays and the calendar's holidays.
//! - **Closed days.** A period that ends on a Saturday, a Sunday or a holiday runs to the next day
//!   that is none (CPC art. 642; FRCP 6(a)(1)(C); CPR 2.8(5)). Counted back (`before`), it ends on the
//!   last open day before instead, so that what is due is never late. In England & Wales a period of
//!   five days or less counts business days only (CPR 2.8(4)).
//! - **By mail** (United States only, FRCP 6(d)): three days are added once the period would
//!   otherwise end, and the result is extended again if it falls on a closed day.
//! - **A fuzzy trigger** (a month, "about April 2023") gives the range of deadlines from its first day
//!   to its last; an open trigger ("before 7 June") gives none.

use chrono::{Duration, Months, NaiveDate};

pub use super::holidays::{easter, Calendar};
use super::{FuzzyDate, Point};

/// How long a period is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Days,
    BusinessDays,
    Weeks,
    Months,
}

/// A period as written: `15d`, `10bd`, `2w`, `1m`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub count: u32,
    pub unit: Unit,
}

/// Longest period counted: ten years, in any unit.
const MAX_DAYS: u32 = 3_660;

impl Period {
    /// Reads `15d`, `10bd`, `2w` or `1m` (and the French `15j`, `10jo`, `2s`), or `None`.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim().to_ascii_lowercase();
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let count: u32 = text.get(..digits)?.parse().ok()?;
        let unit = match text.get(digits..)? {
            "d" | "j" => Unit::Days,
            "bd" | "jo" => Unit::BusinessDays,
            "w" | "s" => Unit::Weeks,
            "m" => Unit::Months,
            _ => return None,
        };
        let days = match unit {
            Unit::Days | Unit::BusinessDays => count,
            Unit::Weeks => count.checked_mul(7)?,
            Unit::Months => count.checked_mul(31)?,
        };
        (count > 0 && days <= MAX_DAYS).then_some(Period { count, unit })
    }
}

impl std::fmt::Display for Period {
    /// The period as [`Period::parse`] reads it back: `15d`, `10bd`, `2w`, `1m`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            Unit::Days => "d",
            Unit::BusinessDays => "bd",
            Unit::Weeks => "w",
            Unit::Months => "m",
        };
        write!(f, "{}{unit}", self.count)
    }
}

/// How a deadline is counted from its trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub period: Period,
    pub calendar: Calendar,
    /// Counted back from the trigger (a deadline before a hearing).
    pub before: bool,
    /// Served by mail: FRCP 6(d)'s three more days (United States only).
    pub mail: bool,
}

/// The deadline `rule` gives from a trigger on `from`.
pub fn from_day(from: NaiveDate, rule: &Rule) -> NaiveDate {
    let step = if rule.before { -1 } else { 1 };
    let business = rule.period.unit == Unit::BusinessDays
        || (rule.calendar == Calendar::Ew && rule.period.unit == Unit::Days && rule.period.count <= 5);
    let count = i64::from(rule.period.count);
    let end = if business {
        let mut day = from;
        let mut left = count;
        while left > 0 {
            day += Duration::days(step);
            if !rule.calendar.is_closed(day) {
                left -= 1;
            }
        }
        day
    } else {
        match rule.period.unit {
            Unit::Months => {
                let months = Months::new(rule.period.count);
                // chrono keeps the day of the month, or takes the month's last day (CPC art. 641).
                if rule.before { from.checked_sub_months(months) } else { from.checked_add_months(months) }
                    .unwrap_or(from)
            }
            Unit::Weeks => from + Duration::weeks(count * step),
            _ => from + Duration::days(count * step),
        }
    };
    let end = open_day(end, rule.calendar, step);
    if rule.mail && rule.calendar == Calendar::Us && !rule.before {
        return open_day(end + Duration::days(3), rule.calendar, 1);
    }
    end
}

/// `day`, or the first day from it (going by `step`) on which the courts are open.
fn open_day(day: NaiveDate, calendar: Calendar, step: i64) -> NaiveDate {
    let mut day = day;
    while calendar.is_closed(day) {
        day += Duration::days(step);
    }
    day
}

/// The deadline `rule` gives from the trigger `from`: a day, or, for a trigger known to a month or a
/// year, the range from the deadline of its first day to that of its last. `None` for an open trigger
/// ("before 7 June 2023"), which no deadline can be counted from.
pub fn from_date(from: &FuzzyDate, rule: &Rule) -> Option<FuzzyDate> {
    let (first, last) = match from {
        FuzzyDate::Exact(p) | FuzzyDate::About(p) => (first_day(p)?, last_day(p)?),
        FuzzyDate::Between(a, b) => (first_day(a)?, last_day(b)?),
        FuzzyDate::Before(_) | FuzzyDate::After(_) => return None,
    };
    let (early, late) = (from_day(first, rule), from_day(last, rule));
    Some(if early == late {
        FuzzyDate::Exact(Point::Day(early))
    } else {
        FuzzyDate::Between(Point::Day(early.min(late)), Point::Day(early.max(late)))
    })
}

fn first_day(p: &Point) -> Option<NaiveDate> {
    match p {
        Point::Year(y) => NaiveDate::from_ymd_opt(*y, 1, 1),
        Point::Month(y, m) => NaiveDate::from_ymd_opt(*y, *m, 1),
        Point::Day(d) => Some(*d),
        Point::Instant(t) => Some(t.naive_local().date()),
    }
}

fn last_day(p: &Point) -> Option<NaiveDate> {
    match p {
        Point::Year(y) => NaiveDate::from_ymd_opt(*y, 12, 31),
        Point::Month(..) => first_day(p)?.checked_add_months(Months::new(1)).map(|d| d - Duration::days(1)),
        Point::Day(d) => Some(*d),
        Point::Instant(t) => Some(t.naive_local().date()),
    }
}
