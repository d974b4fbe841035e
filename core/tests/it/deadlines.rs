//! Deadlines counted by rule in each court calendar: weekends and holidays rolled forward, business
//! days, months with a shorter end, by mail, counted back, and from a fuzzy trigger.

use chrono::NaiveDate;
use dossier_core::date::deadline::{self, Calendar, Period, Rule, Unit};
use dossier_core::date::FuzzyDate;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
}

fn due(from: &str, period: &str, calendar: Calendar) -> String {
    let rule = Rule { period: Period::parse(period).expect("a period"), calendar, before: false, mail: false };
    deadline::from_day(day(from), &rule).to_string()
}

#[test]
fn a_period_ending_on_a_closed_day_runs_to_the_next_open_one() {
    // France: 15 days from 16 April 2024 end on Wednesday 1 May, a holiday (CPC art. 642).
    assert_eq!(due("2024-04-16", "15d", Calendar::Fr), "2024-05-02");
    // On a Saturday: to Monday.
    assert_eq!(due("2024-03-01", "15d", Calendar::Fr), "2024-03-18");
    // Whit Monday 2024 (20 May) is a holiday in France, not in the United States.
    assert_eq!(due("2024-05-06", "14d", Calendar::Fr), "2024-05-21");
    assert_eq!(due("2024-05-06", "14d", Calendar::Us), "2024-05-20");
    // England & Wales: Christmas Day and Boxing Day.
    assert_eq!(due("2024-12-11", "14d", Calendar::Ew), "2024-12-27");
    // United States: Juneteenth (Wednesday 19 June 2024).
    assert_eq!(due("2024-06-04", "15d", Calendar::Us), "2024-06-20");
    // Independence Day 2026 falls on a Saturday and is observed on Friday 3 July.
    assert_eq!(due("2026-06-18", "15d", Calendar::Us), "2026-07-06");
}

#[test]
fn business_days_skip_weekends_and_holidays() {
    // From Tuesday 30 April 2024: 1 May is a holiday, then Thursday, Friday, Monday.
    assert_eq!(due("2024-04-30", "3bd", Calendar::Fr), "2024-05-06");
    assert_eq!(due("2024-04-30", "3bd", Calendar::Us), "2024-05-03");
    // England & Wales count a period of five days or less in business days (CPR 2.8(4)).
    assert_eq!(due("2024-12-20", "5d", Calendar::Ew), "2024-12-31");
    assert_eq!(due("2024-12-20", "5d", Calendar::Fr), "2024-12-26");
}

#[test]
fn a_month_without_the_day_ends_on_its_last_day() {
    assert_eq!(due("2024-01-31", "1m", Calendar::Fr), "2024-02-29");
    // 28 February 2023 is a Tuesday.
    assert_eq!(due("2023-01-31", "1m", Calendar::Fr), "2023-02-28");
    // 2 weeks from Friday 3 May 2024: Friday 17 May.
    assert_eq!(due("2024-05-03", "2w", Calendar::Fr), "2024-05-17");
}

#[test]
fn by_mail_and_counted_back() {
    // FRCP 6(d): three more days once the period ends, then rolled again (Sunday 23 June → Monday).
    let rule = Rule { period: Period::parse("15d").expect("p"), calendar: Calendar::Us, before: false, mail: true };
    assert_eq!(deadline::from_day(day("2024-06-04"), &rule).to_string(), "2024-06-24");
    // Ten days before a hearing on Monday 13 May 2024 is Friday 3 May; eleven, Thursday 2 May; twelve
    // would be 1 May, a holiday in France, so the last open day before it.
    let back = |n: &str| {
        let rule = Rule { period: Period::parse(n).expect("p"), calendar: Calendar::Fr, before: true, mail: false };
        deadline::from_day(day("2024-05-13"), &rule).to_string()
    };
    assert_eq!(
        (back("10d"), back("11d"), back("12d")),
        ("2024-05-03".into(), "2024-05-02".into(), "2024-04-30".into())
    );
}

#[test]
fn a_fuzzy_trigger_gives_a_range_and_an_open_one_none() {
    let rule = Rule { period: Period::parse("15j").expect("p"), calendar: Calendar::Fr, before: false, mail: false };
    let from = FuzzyDate::parse("mai 2024").expect("a month");
    // From 1 May: 16 May; from 31 May: Saturday 15 June, so Monday 17 June.
    assert_eq!(deadline::from_date(&from, &rule).map(|d| d.canonical()).as_deref(), Some("2024-05-16..2024-06-17"));
    let open = FuzzyDate::parse("avant le 7 juin 2024").expect("open");
    assert_eq!(deadline::from_date(&open, &rule), None);
}

#[test]
fn periods_are_read_as_written_and_bounded() {
    assert_eq!(Period::parse("10bd"), Some(Period { count: 10, unit: Unit::BusinessDays }));
    assert_eq!(Period::parse(" 2W "), Some(Period { count: 2, unit: Unit::Weeks }));
    for bad in ["", "d", "0d", "15", "15x", "-3d", "99999999999999d", "200m"] {
        assert_eq!(Period::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn easter_and_its_holidays_are_where_the_calendars_put_them() {
    use dossier_core::date::deadline::easter;
    let easters = [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2038, "2038-04-25")];
    for (year, expected) in easters {
        assert_eq!(easter(year).to_string(), expected);
    }
    // Good Friday and Easter Monday 2025 are bank holidays in England & Wales; Good Friday is none in
    // France or the United States.
    assert!(Calendar::Ew.is_holiday(day("2025-04-18")) && Calendar::Ew.is_holiday(day("2025-04-21")));
    assert!(!Calendar::Fr.is_holiday(day("2025-04-18")) && Calendar::Fr.is_holiday(day("2025-04-21")));
    assert!(!Calendar::Us.is_holiday(day("2025-04-18")));
    // Thanksgiving 2024 is the fourth Thursday of November, the 28th.
    assert!(Calendar::Us.is_holiday(day("2024-11-28")));
}
