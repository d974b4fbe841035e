//! A fuzzy date in words, in English and French: "about April 2023", « vers avril 2023 ».

use chrono::{NaiveTime, Timelike};

use super::*;

pub(super) fn month_name(lang: Lang, month: u32) -> &'static str {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let names = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    };
    let index = usize::try_from(month).unwrap_or(0).wrapping_sub(1);
    names.get(index).copied().unwrap_or("?")
}

/// Day of the month as said aloud: French writes the first of the month "1er".
pub(super) fn day_of_month(lang: Lang, day: u32) -> String {
    match (lang, day) {
        (Lang::Fr, 1) => "1er".to_owned(),
        _ => day.to_string(),
    }
}

pub(super) fn day_month_year(lang: Lang, day: u32, month: u32, year: i32) -> String {
    format!("{} {} {year:04}", day_of_month(lang, day), month_name(lang, month))
}

pub(super) fn clock_text(lang: Lang, time: NaiveTime) -> String {
    let (second, _) = second_and_nanos(time);
    let (hour, minute) = (time.hour(), time.minute());
    match (lang, second) {
        (Lang::En, 0) => format!("{hour:02}:{minute:02}"),
        (Lang::En, _) => format!("{hour:02}:{minute:02}:{second:02}"),
        (Lang::Fr, 0) => format!("{hour} h {minute:02}"),
        (Lang::Fr, _) => format!("{hour} h {minute:02} min {second:02} s"),
    }
}

pub(super) fn qualified(word: &str, point: &Point, lang: Lang) -> String {
    format!("{word} {}{}", point.article(lang), point.human(lang))
}

/// "between January and April 2023": the shared year (and month) is said once, as people write it.
pub(super) fn between_text(first: &Point, last: &Point, lang: Lang) -> String {
    if first == last {
        return first.human(lang);
    }
    let (between, and) = match lang {
        Lang::En => ("between", "and"),
        Lang::Fr => ("entre", "et"),
    };
    match (first, last) {
        (Point::Month(first_year, first_month), Point::Month(last_year, last_month)) => {
            let (first_year, first_month) = normalise_month(i64::from(*first_year), i64::from(*first_month));
            let (last_year, last_month) = normalise_month(i64::from(*last_year), i64::from(*last_month));
            if first_year == last_year {
                return format!(
                    "{between} {} {and} {} {last_year:04}",
                    month_name(lang, first_month),
                    month_name(lang, last_month)
                );
            }
        }
        (Point::Day(first_day), Point::Day(last_day)) if first_day.year() == last_day.year() => {
            let article = first.article(lang);
            let first_text = day_of_month(lang, first_day.day());
            let last_text = day_of_month(lang, last_day.day());
            let last_month = month_name(lang, last_day.month());
            let year = format!("{:04}", last_day.year());
            return if first_day.month() == last_day.month() {
                format!("{between} {article}{first_text} {and} {article}{last_text} {last_month} {year}")
            } else {
                let first_month = month_name(lang, first_day.month());
                format!("{between} {article}{first_text} {first_month} {and} {article}{last_text} {last_month} {year}")
            };
        }
        _ => {}
    }
    format!("{between} {}{} {and} {}{}", first.article(lang), first.human(lang), last.article(lang), last.human(lang))
}
