//! Dates in words, as a French paralegal and an English journalist type them, and as Dossier writes
//! them: every example of issue 26, what reads two ways, and the rule that whatever Dossier writes as
//! a date, in either language, it reads back to the same value.

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone};
use dossier_core::date::*;

/// The canonical form `text` is read as, in `lang`.
fn read(text: &str, lang: Lang) -> String {
    FuzzyDate::parse_in(text, lang).unwrap_or_else(|e| panic!("{text:?} in {lang:?}: {e}")).canonical()
}

#[test]
fn every_example_reads_as_the_date_it_names() {
    let cases: &[(&str, &str)] = &[
        ("18 mai 2023", "2023-05-18"),
        ("le 18 mai 2023", "2023-05-18"),
        ("1er janvier 2024", "2024-01-01"),
        ("18 May 2023", "2023-05-18"),
        ("May 18, 2023", "2023-05-18"),
        ("mai 2023", "2023-05"),
        ("May 2023", "2023-05"),
        ("31/12/2023", "2023-12-31"),
        ("12/31/2023", "2023-12-31"),
        ("vers avril 2023", "~2023-04"),
        ("about April 2023", "~2023-04"),
        ("avant le 7 juin 2023", "<2023-06-07"),
        ("before 7 June 2023", "<2023-06-07"),
        ("après février 2023", ">2023-02"),
        ("entre janvier et avril 2023", "2023-01..2023-04"),
        ("between January and April 2023", "2023-01..2023-04"),
        ("début 2023", "2023-01..2023-04"),
        ("early 2023", "2023-01..2023-04"),
        ("mi-mars 2023", "2023-03-11..2023-03-20"),
        ("mid-March 2023", "2023-03-11..2023-03-20"),
        ("fin 2023", "2023-09..2023-12"),
        ("late 2023", "2023-09..2023-12"),
        ("T2 2023", "2023-04..2023-06"),
        ("Q2 2023", "2023-04..2023-06"),
    ];
    for (text, expected) in cases {
        for lang in [Lang::En, Lang::Fr] {
            assert_eq!(read(text, lang), *expected, "{text:?} in {lang:?}");
        }
        // A form, the CLI and a CSV file all read dates through the same parser.
        assert_eq!(FuzzyDate::parse(text).map(|d| d.canonical()).as_deref(), Ok(*expected), "{text:?}");
    }
}

#[test]
fn words_are_read_however_they_are_cased_accented_or_spaced() {
    for text in ["FÉVRIER 2023", "fevrier 2023", "Février\u{a0}2023", "  février   2023 ", "févr. 2023", "Feb 2023"]
    {
        assert_eq!(read(text, Lang::Fr), "2023-02", "{text:?}");
    }
    assert_eq!(read("fin février 2024", Lang::Fr), "2024-02-21..2024-02-29");
    assert_eq!(read("late February 2023", Lang::En), "2023-02-21..2023-02-28");
    assert_eq!(read("début d’avril 2023", Lang::Fr), "2023-04-01..2023-04-10");
    assert_eq!(read("the 18th of May 2023", Lang::En), "2023-05-18");
    assert_eq!(read("entre le 3 et le 9 mai 2023", Lang::Fr), "2023-05-03..2023-05-09");
    assert_eq!(read("between 3 April and 9 May 2023", Lang::En), "2023-04-03..2023-05-09");
    assert_eq!(read("between 2022 and March 2023", Lang::En), "2022..2023-03");
}

#[test]
fn a_numeric_date_that_reads_two_ways_follows_the_language_or_is_refused_with_both() {
    assert_eq!(read("05/06/2023", Lang::Fr), "2023-06-05", "French writes the day first");
    let refused = FuzzyDate::parse_in("05/06/2023", Lang::En).expect_err("English writes it both ways");
    let said = refused.to_string();
    assert!(said.contains("2023-06-05") && said.contains("2023-05-06"), "{said}");
    assert_eq!(refused.key().0, "date.ambiguous");
    // The same day and month either way is no ambiguity.
    assert_eq!(read("05/05/2023", Lang::En), "2023-05-05");
    // No order makes a day of this.
    let none = FuzzyDate::parse_in("31/31/2023", Lang::Fr).expect_err("no such day");
    assert_eq!(none.key().0, "date.no_such_day");
}

#[test]
fn what_is_not_a_date_is_refused_naming_it_in_bounded_time() {
    for text in
        ["mai", "18 mai", "le", "vers", "entre mai et", "Q5 2023", "mi-2023x", "31 février 2023", "fin 18 mai 2023"]
    {
        let refused = FuzzyDate::parse_in(text, Lang::Fr).expect_err(text);
        assert!(
            refused.to_string().contains(text.trim()) || refused.key().0 == "date.no_such_day",
            "{text}: {refused}"
        );
    }
    assert_eq!(FuzzyDate::parse("31 février 2023").map_err(|e| e.key().0), Err("date.no_such_day"));
    assert_eq!(FuzzyDate::parse("between May and January 2023").map_err(|e| e.key().0), Err("date.range_backwards"));
    assert_eq!(
        FuzzyDate::parse("vers le 18 mai 2023, 14 h 30 (UTC)").map_err(|e| e.key().0),
        Err("date.about_instant")
    );
    let long = "18 mai 2023 ".repeat(10_000);
    let refused = FuzzyDate::parse(&long).expect_err("a page of text is no date");
    assert!(refused.to_string().len() < 400, "the error quotes a short excerpt");
}

/// A fixed-seed source of dates of every kind and precision.
struct Draw(fastrand::Rng);

impl Draw {
    fn point(&mut self, precision: Precision) -> Point {
        let day = NaiveDate::from_ymd_opt(self.0.i32(1000..=9999), 1, 1).expect("a year")
            + Duration::days(self.0.i64(0..365));
        match precision {
            Precision::Year => Point::Year(day.year()),
            Precision::Month => Point::Month(day.year(), day.month()),
            Precision::Day => Point::Day(day),
            Precision::Instant => {
                let offset = FixedOffset::east_opt(self.0.i32(-14 * 4..=14 * 4) * 15 * 60).expect("an offset");
                let time = day.and_hms_opt(self.0.u32(0..24), self.0.u32(0..60), self.0.u32(0..60)).expect("a time");
                Point::Instant(offset.from_local_datetime(&time).single().expect("a moment"))
            }
        }
    }
}

#[test]
fn whatever_dossier_writes_in_words_reads_back_to_the_same_value() {
    let precisions = [Precision::Year, Precision::Month, Precision::Day, Precision::Instant];
    let mut draw = Draw(fastrand::Rng::with_seed(26));
    let mut checked = 0;
    for _ in 0..400 {
        for precision in precisions {
            let point = draw.point(precision);
            let mut dates = vec![
                FuzzyDate::Exact(point.clone()),
                FuzzyDate::Before(point.clone()),
                FuzzyDate::After(point.clone()),
            ];
            if precision != Precision::Instant {
                dates.push(FuzzyDate::About(point.clone()));
            }
            // A range from this point to a later one of every precision, in the same year and beyond.
            for other in precisions {
                let mut last = draw.point(other);
                if draw.0.bool() {
                    last = near(&point, other, &mut draw);
                }
                if last.start() > point.end() {
                    dates.push(FuzzyDate::Between(point.clone(), last));
                }
            }
            for date in dates {
                for lang in [Lang::En, Lang::Fr] {
                    let words = date.display(lang);
                    let back = FuzzyDate::parse_in(&words, lang)
                        .unwrap_or_else(|e| panic!("{date} written in {lang:?} as {words:?} reads as: {e}"));
                    assert_eq!(back, date, "{date} written in {lang:?} as {words:?} reads back as {back}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked} dates checked");
}

/// A point of `precision` later in the same year as `point`, so that ranges are also written with
/// their shared year said once ("between January and April 2023").
fn near(point: &Point, precision: Precision, draw: &mut Draw) -> Point {
    let year = match point {
        Point::Year(y) | Point::Month(y, _) => *y,
        Point::Day(d) => d.year(),
        Point::Instant(m) => m.naive_local().year(),
    };
    let mut later = draw.point(precision);
    for _ in 0..20 {
        let candidate = match &later {
            Point::Month(_, m) => Point::Month(year, *m),
            Point::Day(d) => Point::Day(d.with_year(year).unwrap_or(*d)),
            other => other.clone(),
        };
        if candidate.start() > point.end() {
            return candidate;
        }
        later = draw.point(precision);
    }
    later
}

/// Guards what a form stores: a numeric date read only through the typing language is flagged so the
/// form sends what it showed, and one read the same either way is not.
#[test]
fn a_form_knows_which_dates_only_its_language_reads() {
    use dossier_core::view::calendar::describe_in;
    let french = describe_in("05/06/2023", Lang::Fr).expect("day first in French");
    assert_eq!((french.date.as_str(), french.by_language), ("2023-06-05", true));
    let plain = describe_in("31/12/2023", Lang::Fr).expect("one reading");
    assert_eq!((plain.date.as_str(), plain.by_language), ("2023-12-31", false));
    let words = describe_in("18 mai 2023", Lang::Fr).expect("words");
    assert!(!words.by_language, "words read the same in any language");
    let refused = describe_in("05/06/2023", Lang::En).expect_err("both readings in English");
    assert!(refused.to_string().contains("2023-05-06") && refused.to_string().contains("2023-06-05"), "{refused}");
}
