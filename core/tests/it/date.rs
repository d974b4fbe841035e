//! The fuzzy date at its public boundary: what text it accepts, what it prints back, where it
//! sits in time and in a chronology, and how it reads in English and French.

use chrono::{FixedOffset, NaiveDate, TimeZone};
use dossier_core::date::*;

/// Start of a UTC calendar day, computed by chrono rather than written as a magic number.
fn day(year: i32, month: u32, day: u32) -> i64 {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|moment| moment.and_utc().timestamp())
        .unwrap_or_else(|| panic!("test date {year}-{month}-{day} does not exist"))
}

/// A wall-clock moment at a UTC offset given in minutes, as Unix seconds.
fn moment(offset_minutes: i32, ymd: (i32, u32, u32), hms: (u32, u32, u32)) -> i64 {
    FixedOffset::east_opt(offset_minutes * 60)
        .and_then(|zone| zone.with_ymd_and_hms(ymd.0, ymd.1, ymd.2, hms.0, hms.1, hms.2).single())
        .map(|moment| moment.timestamp())
        .unwrap_or_else(|| panic!("test moment {ymd:?} {hms:?} at {offset_minutes} min is invalid"))
}

fn parse(input: &str) -> FuzzyDate {
    FuzzyDate::parse(input).unwrap_or_else(|error| panic!("{input:?} should parse: {error}"))
}

#[test]
fn parses_every_form_and_prints_it_back() {
    fn check(input: &str, canonical: &str, qualifier: Qualifier, precision: Precision) {
        let date = parse(input);
        assert_eq!(date.canonical(), canonical, "canonical of {input:?}");
        assert_eq!(date.to_string(), canonical, "Display of {input:?}");
        assert_eq!(date.qualifier(), qualifier, "qualifier of {input:?}");
        assert_eq!(date.precision(), precision, "precision of {input:?}");
        assert_eq!(parse(canonical), date, "{canonical:?} should read back to the value of {input:?}");
        assert_eq!(input.parse::<FuzzyDate>().as_ref(), Ok(&date), "FromStr of {input:?}");
    }
    use Precision as P;
    use Qualifier as Q;
    check("2023", "2023", Q::Exact, P::Year);
    check("0001", "0001", Q::Exact, P::Year);
    check("9999", "9999", Q::Exact, P::Year);
    check("  2023-03\n", "2023-03", Q::Exact, P::Month);
    check("2023-05-18", "2023-05-18", Q::Exact, P::Day);
    check("2024-02-29", "2024-02-29", Q::Exact, P::Day);
    check("2023-05-18T14:30+02:00", "2023-05-18T14:30+02:00", Q::Exact, P::Instant);
    check("2023-05-18T14:30:00+02:00", "2023-05-18T14:30+02:00", Q::Exact, P::Instant);
    check("2023-05-18T14:30:05+02:00", "2023-05-18T14:30:05+02:00", Q::Exact, P::Instant);
    check("2023-05-18T14:30:05.250-05:30", "2023-05-18T14:30:05.25-05:30", Q::Exact, P::Instant);
    check("2023-05-18T00:00:00.000000001Z", "2023-05-18T00:00:00.000000001Z", Q::Exact, P::Instant);
    check("2023-05-18T14:30Z", "2023-05-18T14:30Z", Q::Exact, P::Instant);
    check("2023-05-18T14:30+00:00", "2023-05-18T14:30Z", Q::Exact, P::Instant);
    check("2023-05-18T14:30-00:00", "2023-05-18T14:30Z", Q::Exact, P::Instant);
    check("2023-05-18T23:59+23:59", "2023-05-18T23:59+23:59", Q::Exact, P::Instant);
    check("~2023", "~2023", Q::About, P::Year);
    check("~2023-04", "~2023-04", Q::About, P::Month);
    check("~2023-04-09", "~2023-04-09", Q::About, P::Day);
    check("<2023", "<2023", Q::Before, P::Year);
    check("<2023-06-07", "<2023-06-07", Q::Before, P::Day);
    check("<2023-06-07T09:15+01:00", "<2023-06-07T09:15+01:00", Q::Before, P::Instant);
    check(">2023-02", ">2023-02", Q::After, P::Month);
    check(">2023-02-01T00:00Z", ">2023-02-01T00:00Z", Q::After, P::Instant);
    check("2023-01..2023-04", "2023-01..2023-04", Q::Between, P::Month);
    check("2023-03..2023-03", "2023-03..2023-03", Q::Between, P::Month);
    check("2023-03-01..2024", "2023-03-01..2024", Q::Between, P::Year);
    check("2023-05-18..2023-05", "2023-05-18..2023-05", Q::Between, P::Month);
    check(
        "2023-05-18T09:00+02:00..2023-05-18T08:00Z",
        "2023-05-18T09:00+02:00..2023-05-18T08:00Z",
        Q::Between,
        P::Instant,
    );
}

#[test]
fn parses_into_the_expected_structure() {
    fn check(input: &str, expect: FuzzyDate) {
        assert_eq!(parse(input), expect, "value of {input:?}");
    }
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("test date exists");
    let plus_two = FixedOffset::east_opt(2 * 3600).expect("valid offset");
    let instant = plus_two.with_ymd_and_hms(2023, 5, 18, 14, 30, 5).single().expect("valid moment");
    check("2023", FuzzyDate::Exact(Point::Year(2023)));
    check("2023-03", FuzzyDate::Exact(Point::Month(2023, 3)));
    check("2023-05-18", FuzzyDate::Exact(Point::Day(date(2023, 5, 18))));
    check("2023-05-18T14:30:05+02:00", FuzzyDate::Exact(Point::Instant(instant)));
    check("~2023-04", FuzzyDate::About(Point::Month(2023, 4)));
    check("<2023-06-07", FuzzyDate::Before(Point::Day(date(2023, 6, 7))));
    check(">2023", FuzzyDate::After(Point::Year(2023)));
    check("2022..2023-02", FuzzyDate::Between(Point::Year(2022), Point::Month(2023, 2)));
}

#[test]
fn same_moment_at_different_offsets_are_different_values() {
    // Guards Eq/Ord agreement: chrono's own equality ignores the offset.
    let paris = parse("2023-05-18T14:30+02:00");
    let utc = parse("2023-05-18T12:30Z");
    assert_eq!(paris.lower(), utc.lower());
    assert_ne!(paris, utc);
    assert_ne!(paris.cmp(&utc), std::cmp::Ordering::Equal);
    assert_eq!(paris.cmp(&utc), utc.cmp(&paris).reverse());
}

#[test]
fn bounds_and_sort_keys() {
    fn check(input: &str, lower: Option<i64>, upper: Option<i64>, sort_key: i64) {
        let date = parse(input);
        assert_eq!(date.lower(), lower, "lower bound of {input:?}");
        assert_eq!(date.upper(), upper, "upper bound of {input:?}");
        assert_eq!(date.sort_key(), sort_key, "sort key of {input:?}");
    }
    let t1430 = moment(120, (2023, 5, 18), (14, 30, 0));
    let t1430_05 = moment(120, (2023, 5, 18), (14, 30, 5));
    check("2023", Some(day(2023, 1, 1)), Some(day(2024, 1, 1)), day(2023, 1, 1));
    check("2023-02", Some(day(2023, 2, 1)), Some(day(2023, 3, 1)), day(2023, 2, 1));
    check("2024-02", Some(day(2024, 2, 1)), Some(day(2024, 3, 1)), day(2024, 2, 1));
    check("2023-12", Some(day(2023, 12, 1)), Some(day(2024, 1, 1)), day(2023, 12, 1));
    check("2023-05-18", Some(day(2023, 5, 18)), Some(day(2023, 5, 19)), day(2023, 5, 18));
    check("2023-12-31", Some(day(2023, 12, 31)), Some(day(2024, 1, 1)), day(2023, 12, 31));
    check("2023-05-18T14:30+02:00", Some(t1430), Some(t1430 + 1), t1430);
    check("2023-05-18T14:30:05+02:00", Some(t1430_05), Some(t1430_05 + 1), t1430_05);
    // A fraction of a second still lies within its whole second.
    check("2023-05-18T14:30:05.9+02:00", Some(t1430_05), Some(t1430_05 + 1), t1430_05);
    // The offset is honoured: 00:30 in Paris is still the previous UTC day.
    let early = moment(60, (2023, 2, 1), (0, 30, 0));
    assert_eq!(early, day(2023, 1, 31) + 23 * 3600 + 30 * 60);
    check("2023-02-01T00:30+01:00", Some(early), Some(early + 1), early);
    check("~2023-04", Some(day(2023, 3, 1)), Some(day(2023, 6, 1)), day(2023, 4, 1));
    check("~2023-01", Some(day(2022, 12, 1)), Some(day(2023, 3, 1)), day(2023, 1, 1));
    check("~2023", Some(day(2022, 1, 1)), Some(day(2025, 1, 1)), day(2023, 1, 1));
    check("~2023-03-01", Some(day(2023, 2, 28)), Some(day(2023, 3, 3)), day(2023, 3, 1));
    check("<2023-06-07", None, Some(day(2023, 6, 7)), day(2023, 6, 7));
    check("<2023", None, Some(day(2023, 1, 1)), day(2023, 1, 1));
    check("<2023-05-18T14:30+02:00", None, Some(t1430), t1430);
    check(">2023-02", Some(day(2023, 3, 1)), None, day(2023, 3, 1));
    check(">2023-12-31", Some(day(2024, 1, 1)), None, day(2024, 1, 1));
    check(">2023-05-18T14:30+02:00", Some(t1430 + 1), None, t1430 + 1);
    check("2023-01..2023-04", Some(day(2023, 1, 1)), Some(day(2023, 5, 1)), day(2023, 1, 1));
    check("2022-12..2023-02", Some(day(2022, 12, 1)), Some(day(2023, 3, 1)), day(2022, 12, 1));
    check("2023-03..2023-03", Some(day(2023, 3, 1)), Some(day(2023, 4, 1)), day(2023, 3, 1));
    check("2023-03-01..2023-03-15", Some(day(2023, 3, 1)), Some(day(2023, 3, 16)), day(2023, 3, 1));
    check("2023-05-18T14:30+02:00..2023-05-18", Some(t1430), Some(day(2023, 5, 19)), t1430);
    check("0001", Some(day(1, 1, 1)), Some(day(2, 1, 1)), day(1, 1, 1));
    check("9999-12", Some(day(9999, 12, 1)), Some(day(9999, 12, 1) + 31 * 86_400), day(9999, 12, 1));
}

#[test]
fn sorts_into_chronological_order() {
    let expected = [
        "~2022",
        "2022-12..2023-02",
        // Before sorts ahead of everything at its key, whatever its precision: it ends there.
        "<2023",
        "2023-01-01",
        "2023-01",
        "2023",
        "2023..2024",
        // After December starts at the same key but has no end, so it comes last there.
        ">2022-12",
        // 00:30 in Paris is still 31 January in UTC.
        "2023-02-01T00:30+01:00",
        "<2023-02",
        "2023-02-01",
        "2023-02",
        "2023-02-01T09:00+01:00",
        "2023-03-01T00:00Z",
        "2023-03-01",
        "~2023-03",
        "2023-04-01",
        ">2023-03",
    ];
    let dates: Vec<FuzzyDate> = expected.iter().map(|text| parse(text)).collect();
    // A fixed shuffle keeps the test deterministic.
    let mut shuffled: Vec<FuzzyDate> = [7, 15, 2, 11, 0, 17, 4, 9, 13, 1, 16, 6, 10, 3, 14, 8, 12, 5]
        .iter()
        .map(|&index| dates[index].clone())
        .collect();
    assert_eq!(shuffled.len(), dates.len());
    shuffled.sort();
    let sorted: Vec<String> = shuffled.iter().map(FuzzyDate::canonical).collect();
    assert_eq!(sorted, expected);

    for (i, a) in dates.iter().enumerate() {
        for (j, b) in dates.iter().enumerate() {
            assert_eq!(a.cmp(b), i.cmp(&j), "{a} against {b}");
        }
    }
}

#[test]
fn displays_in_english_and_french() {
    fn check(input: &str, english: &str, french: &str) {
        let date = parse(input);
        assert_eq!(date.display(Lang::En), english, "English for {input:?}");
        assert_eq!(date.display(Lang::Fr), french, "French for {input:?}");
    }
    check("2023", "2023", "2023");
    check("2023-03", "March 2023", "mars 2023");
    check("2023-05-18", "18 May 2023", "18 mai 2023");
    check("2023-05-01", "1 May 2023", "1er mai 2023");
    check("2023-08-15", "15 August 2023", "15 août 2023");
    check("2023-05-18T14:30+02:00", "18 May 2023, 14:30 (UTC+02:00)", "18 mai 2023, 14 h 30 (UTC+02:00)");
    check("2023-05-18T09:05:07Z", "18 May 2023, 09:05:07 (UTC)", "18 mai 2023, 9 h 05 min 07 s (UTC)");
    check("2023-05-01T23:00-05:30", "1 May 2023, 23:00 (UTC-05:30)", "1er mai 2023, 23 h 00 (UTC-05:30)");
    check("~2023-04", "about April 2023", "vers avril 2023");
    check("~2023", "about 2023", "vers 2023");
    check("~2023-04-01", "about 1 April 2023", "vers le 1er avril 2023");
    check("<2023-06-07", "before 7 June 2023", "avant le 7 juin 2023");
    check("<2023-06", "before June 2023", "avant juin 2023");
    check("<2023", "before 2023", "avant 2023");
    check(
        "<2023-06-07T08:00+02:00",
        "before 7 June 2023, 08:00 (UTC+02:00)",
        "avant le 7 juin 2023, 8 h 00 (UTC+02:00)",
    );
    check(">2023-02", "after February 2023", "après février 2023");
    check(">2023-02-01", "after 1 February 2023", "après le 1er février 2023");
    check(">2023-12", "after December 2023", "après décembre 2023");
    check("2023-01..2023-04", "between January and April 2023", "entre janvier et avril 2023");
    check("2022-12..2023-02", "between December 2022 and February 2023", "entre décembre 2022 et février 2023");
    check("2021..2023", "between 2021 and 2023", "entre 2021 et 2023");
    check("2023-03-01..2023-03-15", "between 1 and 15 March 2023", "entre le 1er et le 15 mars 2023");
    check("2023-03-01..2023-04-15", "between 1 March and 15 April 2023", "entre le 1er mars et le 15 avril 2023");
    check(
        "2022-12-24..2023-01-01",
        "between 24 December 2022 and 1 January 2023",
        "entre le 24 décembre 2022 et le 1er janvier 2023",
    );
    check("2022..2023-03-01", "between 2022 and 1 March 2023", "entre 2022 et le 1er mars 2023");
    check("2023-03..2023-03", "March 2023", "mars 2023");
}

#[test]
fn rejects_bad_input_naming_it() {
    fn check(input: &str, named: &str) {
        match FuzzyDate::parse(input) {
            Ok(date) => panic!("{input:?} should be refused, got {date:?}"),
            Err(error) => {
                let message = error.to_string();
                assert!(message.contains(named), "message for {input:?} should name {named:?}: {message}");
                assert!(!message.ends_with('.'), "message for {input:?} ends with a period: {message}");
            }
        }
    }
    assert_eq!(FuzzyDate::parse(""), Err(DateError::Empty));
    assert_eq!(FuzzyDate::parse("  \t"), Err(DateError::Empty));
    check("", "empty date");
    check("2023-02-30", "date '2023-02-30' does not exist");
    check("2023-02-29", "date '2023-02-29' does not exist");
    check("2023-04-31", "'2023-04-31'");
    check("2023-04-00", "'2023-04-00'");
    check("2023-13", "month '2023-13' does not exist");
    check("2023-00", "month '2023-00' does not exist");
    check("2023-13-01", "month '2023-13' does not exist");
    check("0000", "year '0000'");
    check("10000", "year '10000'");
    check("abc", "unrecognised date 'abc'");
    check("2023/05/01", "unrecognised date '2023/05/01'");
    check("2023-5-1", "'2023-5-1'");
    check("23", "'23'");
    check("-2023", "'-2023'");
    check("2023-05-18-01", "'2023-05-18-01'");
    check("2023T14:30Z", "'2023T14:30Z'");
    check("2023-05T14:30Z", "'2023-05T14:30Z'");
    check("2023-05-18T25:00+02:00", "time '25:00' in '2023-05-18T25:00+02:00' does not exist");
    check("2023-05-18T14:60+02:00", "'2023-05-18T14:60+02:00'");
    check("2023-05-18T14:30:60Z", "'2023-05-18T14:30:60Z'");
    check("2023-05-18T14:30", "time '2023-05-18T14:30' has no time zone");
    check("2023-05-18T14:30+25:00", "time zone '+25:00' in '2023-05-18T14:30+25:00'");
    check("2023-05-18T14:30+02:60", "'+02:60'");
    check("2023-05-18T14:30+0200", "'+0200'");
    check("2023-05-18T14h30+02:00", "'2023-05-18T14h30+02:00'");
    check("2023-05-18T14:30.5+02:00", "'2023-05-18T14:30.5+02:00'");
    check("2023-05-18T14:30:05.1234567890Z", "'2023-05-18T14:30:05.1234567890Z'");
    check("~", "'~'");
    check("<", "'<'");
    check(">", "'>'");
    check("~~2023", "'~~2023'");
    check("<>2023", "'<>2023'");
    check("~2023-05-18T14:30+02:00", "'~2023-05-18T14:30+02:00'");
    check("2023-05..2023-01", "date range '2023-05..2023-01' ends before it starts");
    check("2023-05-18..2023-05-01", "'2023-05-18..2023-05-01'");
    // An end that stops exactly where the start begins lies wholly before it.
    check("2023-05..2023-04", "date range '2023-05..2023-04' ends before it starts");
    check("2023-05-18..2023-05-17", "'2023-05-18..2023-05-17'");
    check("2023..2024..2025", "'2023..2024..2025'");
    check("2023..", "'2023..'");
    check("..2023", "'..2023'");
    check("..", "'..'");
    check("~2023..2024", "'~2023..2024'");
    check("2023..>2024", "'2023..>2024'");
    check("2023...2024", "'2023...2024'");
    check("2023-02-30..2024", "'2023-02-30'");
    check("2023 .. 2024", "'2023 .. 2024'");
    check("~ 2023", "'~ 2023'");
    check("2023-05-18 14:30Z", "'2023-05-18 14:30Z'");
    check("２０２３", "'２０２３'");
}

#[test]
fn very_long_input_is_refused_with_a_short_message() {
    for input in [
        "7".repeat(10_000),
        "x".repeat(10_000),
        "é".repeat(10_000),
        "2023-".repeat(2_000),
        "..".repeat(5_000),
        format!("2023-05-18T14:30{}", "+".repeat(10_000)),
        format!("~{}", "~".repeat(9_999)),
    ] {
        let message = match FuzzyDate::parse(&input) {
            Ok(date) => panic!("a 10 000-character input should be refused, got {date:?}"),
            Err(error) => error.to_string(),
        };
        let start: String = input.chars().take(20).collect();
        assert!(message.contains(&start), "message should quote the start of the input: {message}");
        assert!(message.chars().count() < 300, "message should be cut short: {message}");
    }
}

#[test]
fn hand_built_values_out_of_range_do_not_panic() {
    let thirteenth = FuzzyDate::Exact(Point::Month(2023, 13));
    let january = parse("2024-01");
    assert_eq!(thirteenth.lower(), january.lower());
    assert_eq!(thirteenth.upper(), january.upper());
    assert_eq!(thirteenth.display(Lang::En), "January 2024");
    assert_eq!(thirteenth.canonical(), "2023-13");
    assert!(FuzzyDate::parse(&thirteenth.canonical()).is_err());

    let month_zero = FuzzyDate::About(Point::Month(2023, 0));
    assert_eq!(month_zero.display(Lang::Fr), "vers décembre 2022");
    assert_eq!(month_zero.lower(), Some(day(2022, 11, 1)));

    let year_zero = FuzzyDate::Exact(Point::Year(0));
    assert_eq!(year_zero.upper(), Some(day(1, 1, 1)));
    for year in [i32::MIN, i32::MAX] {
        let date = FuzzyDate::About(Point::Year(year));
        assert!(date.lower() < date.upper(), "year {year}");
        let _ = (date.display(Lang::En), date.canonical(), date.sort_key());
    }
    let month = FuzzyDate::Between(Point::Month(i32::MAX, u32::MAX), Point::Month(i32::MIN, 0));
    let _ = (month.lower(), month.upper(), month.display(Lang::Fr), month.canonical());

    // About an instant cannot be parsed, but when built by hand it widens by its own span.
    let instant = parse("2023-05-18T14:30Z");
    let FuzzyDate::Exact(point) = instant.clone() else { panic!("expected an exact instant") };
    let about = FuzzyDate::About(point);
    assert_eq!(about.lower(), instant.lower().map(|second| second - 1));
    assert_eq!(about.upper(), instant.upper().map(|second| second + 1));
    assert_eq!(about.display(Lang::Fr), "vers le 18 mai 2023, 14 h 30 (UTC)");
}

#[test]
fn names_of_enums() {
    let precisions = [Precision::Instant, Precision::Day, Precision::Month, Precision::Year];
    let names: Vec<(&str, u8)> = precisions.iter().map(|p| (p.as_str(), p.rank())).collect();
    assert_eq!(names, [("instant", 0), ("day", 1), ("month", 2), ("year", 3)]);
    assert!(Precision::Instant < Precision::Day && Precision::Month < Precision::Year);

    let qualifiers = [Qualifier::Exact, Qualifier::About, Qualifier::Before, Qualifier::After, Qualifier::Between];
    let names: Vec<&str> = qualifiers.iter().map(|q| q.as_str()).collect();
    assert_eq!(names, ["exact", "about", "before", "after", "between"]);

    assert_eq!(Lang::parse("en"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
    assert_eq!(Lang::parse(" FR "), Some(Lang::Fr));
    assert_eq!(Lang::parse("de"), None);
    assert_eq!(Lang::parse(""), None);
    assert_eq!(Lang::En.as_str(), "en");
    assert_eq!(Lang::Fr.as_str(), "fr");
}

/// Guards: a page of dates is described in one call, in order, a text that is no date giving nothing
/// rather than failing the others; a call for too many is refused.
#[test]
fn many_dates_are_described_at_once() {
    use dossier_core::view::calendar::{describe_many, MAX_DESCRIBED};
    let texts: Vec<String> = ["2023-04", "not a date", "~2023-04"].iter().map(|s| s.to_string()).collect();
    let described = describe_many(&texts).expect("describe");
    let words: Vec<Option<(&str, &str)>> =
        described.iter().map(|d| d.as_ref().map(|d| (d.en.as_str(), d.fr.as_str()))).collect();
    assert_eq!(words, [Some(("April 2023", "avril 2023")), None, Some(("about April 2023", "vers avril 2023"))]);
    let too_many = vec!["2023".to_string(); MAX_DESCRIBED + 1];
    let e = describe_many(&too_many).expect_err("refused");
    assert!(e.to_string().contains("at most 2000"), "{e}");
}
