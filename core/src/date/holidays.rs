//! The public holidays a deadline is counted around, by the calendar of a court: France (the eleven
//! jours fériés of the Code du travail, art. L3133-1, as in metropolitan France), England & Wales (the
//! bank holidays, with their substitute days and the one-off days proclaimed since 2011) and the
//! United States federal courts (the legal holidays of 5 U.S.C. § 6103, on the days they are observed).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The calendar a deadline is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calendar {
    /// France (Code de procédure civile, art. 640 to 642).
    Fr,
    /// England & Wales (Civil Procedure Rules, r. 2.8).
    Ew,
    /// The United States federal courts (Federal Rules of Civil Procedure, r. 6).
    Us,
}

impl Calendar {
    /// Reads `fr`, `ew` or `us`, ignoring case.
    pub fn parse(code: &str) -> Option<Calendar> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Calendar::Fr),
            "ew" => Some(Calendar::Ew),
            "us" => Some(Calendar::Us),
            _ => None,
        }
    }

    /// The code [`Calendar::parse`] reads.
    pub fn code(self) -> &'static str {
        match self {
            Calendar::Fr => "fr",
            Calendar::Ew => "ew",
            Calendar::Us => "us",
        }
    }

    /// Whether `day` is a Saturday, a Sunday or a public holiday of this calendar.
    pub fn is_closed(self, day: NaiveDate) -> bool {
        matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || self.is_holiday(day)
    }

    /// Whether `day` is a public holiday of this calendar (on the day it is observed).
    pub fn is_holiday(self, day: NaiveDate) -> bool {
        let year = day.year();
        match self {
            Calendar::Fr => france(year).contains(&day),
            Calendar::Ew => england_and_wales(year).contains(&day),
            // A holiday of the next year can be observed on 31 December (1 January on a Saturday).
            Calendar::Us => united_states(year).contains(&day) || united_states(year + 1).contains(&day),
        }
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian computus).
pub fn easter(year: i32) -> NaiveDate {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// The `n`th `weekday` of a month (from 1), or its last when `n` is 0.
fn nth(year: i32, month: u32, weekday: Weekday, n: u32) -> NaiveDate {
    if n == 0 {
        let next = if month == 12 { ymd(year + 1, 1, 1) } else { ymd(year, month + 1, 1) };
        let mut day = next - Duration::days(1);
        while day.weekday() != weekday {
            day -= Duration::days(1);
        }
        return day;
    }
    let mut day = ymd(year, month, 1);
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    day + Duration::weeks(i64::from(n) - 1)
}

fn france(year: i32) -> Vec<NaiveDate> {
    let easter = easter(year);
    let mut days: Vec<NaiveDate> =
        [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)].map(|(m, d)| ymd(year, m, d)).to_vec();
    // Easter Monday, Ascension Thursday and Whit Monday.
    days.extend([1, 39, 50].map(|n| easter + Duration::days(n)));
    days
}

/// The next weekday on or after `day` that is not in `taken`: a bank holiday on a weekend is
/// substituted by the next working day not already a holiday.
fn substitute(day: NaiveDate, taken: &[NaiveDate]) -> NaiveDate {
    let mut day = day;
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || taken.contains(&day) {
        day += Duration::days(1);
    }
    day
}

fn england_and_wales(year: i32) -> Vec<NaiveDate> {
    let easter = easter(year);
    let mut days = vec![
        substitute(ymd(year, 1, 1), &[]),
        easter - Duration::days(2),
        easter + Duration::days(1),
        nth(year, 8, Weekday::Mon, 0),
    ];
    // The early May and spring bank holidays, moved in some years by proclamation.
    days.push(match year {
        1995 => ymd(1995, 5, 8),
        2020 => ymd(2020, 5, 8),
        _ => nth(year, 5, Weekday::Mon, 1),
    });
    days.push(match year {
        2002 => ymd(2002, 6, 4),
        2012 => ymd(2012, 6, 4),
        2022 => ymd(2022, 6, 2),
        _ => nth(year, 5, Weekday::Mon, 0),
    });
    let christmas = substitute(ymd(year, 12, 25), &[]);
    days.push(christmas);
    days.push(substitute(ymd(year, 12, 26), &[christmas]));
    // One-off bank holidays proclaimed for a royal or national occasion.
    days.extend(
        [(2011, 4, 29), (2012, 6, 5), (2022, 6, 3), (2022, 9, 19), (2023, 5, 8)]
            .iter()
            .filter(|(y, _, _)| *y == year)
            .map(|(y, m, d)| ymd(*y, *m, *d)),
    );
    days
}

/// A federal holiday on a Saturday is observed the Friday before; on a Sunday, the Monday after.
fn observed(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Duration::days(1),
        Weekday::Sun => day + Duration::days(1),
        _ => day,
    }
}

fn united_states(year: i32) -> Vec<NaiveDate> {
    let mut days = vec![
        observed(ymd(year, 1, 1)),
        nth(year, 2, Weekday::Mon, 3),
        nth(year, 5, Weekday::Mon, 0),
        observed(ymd(year, 7, 4)),
        nth(year, 9, Weekday::Mon, 1),
        nth(year, 10, Weekday::Mon, 2),
        observed(ymd(year, 11, 11)),
        nth(year, 11, Weekday::Thu, 4),
        observed(ymd(year, 12, 25)),
    ];
    if year >= 1986 {
        days.push(nth(year, 1, Weekday::Mon, 3));
    }
    if year >= 2021 {
        days.push(observed(ymd(year, 6, 19)));
    }
    days
}
