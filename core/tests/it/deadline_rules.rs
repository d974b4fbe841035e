//! A letter's deadline counted by rule: computed from the letter's date or its receipt, recomputed
//! when either changes, kept through a bundle, reminded in the ICS export, and listed with every
//! case's coming deadlines.

use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::store::Store;
use dossier_core::transfer::bundle::{self, Mode};
use dossier_core::transfer::export;
use dossier_core::ErrorCode;

use crate::common::*;

fn ruled(case: &str, subject: &str, date: &str, rule: &str, calendar: &str) -> LetterInput {
    LetterInput {
        deadline_rule: rule.into(),
        calendar: calendar.into(),
        ..letter_input(case, "Twitter", &["Microsoft"], subject, date)
    }
}

fn parties(s: &mut Store) {
    org(s, "Twitter");
    org(s, "Microsoft");
}

#[test]
fn a_rule_counts_the_deadline_and_counts_it_again_when_the_trigger_moves() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "d");
    parties(s);
    // 15 days from 16 April 2024 end on 1 May, a holiday in France: the next working day.
    let l = letter::create(s, &ruled("d", "Demand for audit", "2024-04-16", "15d", "fr")).expect("create");
    assert_eq!(l.deadline.as_deref(), Some("2024-05-02"));
    assert_eq!((l.deadline_rule.as_deref(), l.calendar.as_deref()), (Some("15d"), Some("fr")));

    // Received two days later: counted from receipt.
    let l = letter::update(s, &l.id, &LetterInput { received: "2024-04-18".into(), ..l.to_input() }).expect("receipt");
    assert_eq!(l.deadline.as_deref(), Some("2024-05-03"));
    assert_eq!(l.received.as_deref(), Some("2024-04-18"));

    // Ten business days in England & Wales over the Early May bank holiday (6 May 2024).
    let l = letter::update(
        s,
        &l.id,
        &LetterInput { deadline_rule: "10bd".into(), calendar: "ew".into(), received: String::new(), ..l.to_input() },
    )
    .expect("business days");
    assert_eq!(l.deadline.as_deref(), Some("2024-04-30"));
    let l = letter::update(s, &l.id, &LetterInput { date: "2024-04-23".into(), ..l.to_input() }).expect("new date");
    assert_eq!(l.deadline.as_deref(), Some("2024-05-08"), "Monday 6 May is not counted");

    // The rule removed, the deadline typed again.
    let l = letter::update(
        s,
        &l.id,
        &LetterInput { deadline_rule: String::new(), deadline: "2024-06-01".into(), ..l.to_input() },
    )
    .expect("typed");
    assert_eq!((l.deadline.as_deref(), l.deadline_rule.as_deref()), (Some("2024-06-01"), None));
}

#[test]
fn a_fuzzy_trigger_gives_a_range_and_an_open_one_is_refused() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "d");
    parties(s);
    let l = letter::create(s, &ruled("d", "Sometime in May", "2024-05", "15d", "fr")).expect("month");
    assert_eq!(l.deadline.as_deref(), Some("2024-05-16..2024-06-17"));

    let before = letter::create(s, &ruled("d", "Open", "<2024-06-07", "15d", "fr")).expect_err("open trigger");
    assert!(before.to_string().contains("open-ended"), "{before}");
    assert_eq!(before.code(), ErrorCode::InvalidInput);
}

#[test]
fn a_bad_rule_is_refused_naming_its_field() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "d");
    parties(s);
    let cases = [
        (ruled("d", "x", "2024-04-16", "15 days", "fr"), "deadline_rule", "is not one Dossier counts"),
        (ruled("d", "x", "2024-04-16", "15d", ""), "calendar", "required"),
        (ruled("d", "x", "2024-04-16", "15d", "de"), "calendar", "not one of: fr, ew, us"),
        (
            LetterInput { deadline: "2024-09-01".into(), ..ruled("d", "x", "2024-04-16", "15d", "fr") },
            "deadline",
            "counted by its rule",
        ),
        (
            LetterInput { received: "2024-04-01".into(), ..ruled("d", "x", "2024-04-16", "15d", "fr") },
            "received",
            "before the letter's date",
        ),
    ];
    for (input, field, words) in cases {
        let err = letter::create(s, &input).expect_err(field);
        let text = err.to_string();
        assert!(text.contains(field) && text.contains(words), "{field}: {text}");
    }
    assert!(letter::list(s.reader(), "d").expect("list").is_empty(), "nothing written");
}

#[test]
fn a_bundle_keeps_the_rule_and_the_calendar_reminds_before_an_open_deadline() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "d");
    parties(s);
    let first = letter::create(
        s,
        &LetterInput { received: "2024-04-17".into(), ..ruled("d", "Demand for audit", "2024-04-16", "15d", "fr") },
    )
    .expect("ruled");
    letter::create(
        s,
        &LetterInput {
            in_reply_to: first.id.clone(),
            ..letter_input("d", "Microsoft", &["Twitter"], "Reply", "2024-04-30")
        },
    )
    .expect("reply");
    let open = letter::create(s, &ruled("d", "Second demand", "2024-05-10", "1m", "us")).expect("open");

    let json = bundle::export_json(s.reader(), "d", bundle::Contents::ALL).expect("export");
    let mut other = fresh();
    bundle::import_json(&mut other.store, &json, None, Mode::Refuse).expect("import");
    let copy = letter::get(other.store.reader(), &open.id).expect("imported letter");
    assert_eq!(
        (copy.deadline.as_deref(), copy.deadline_rule.as_deref(), copy.calendar.as_deref()),
        (Some("2024-06-10"), Some("1m"), Some("us"))
    );
    let received = letter::get(other.store.reader(), &first.id).expect("first");
    assert_eq!(received.received.as_deref(), Some("2024-04-17"));

    let ics = export::ics(s.reader(), "d").expect("ics");
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("Counted: 1 month from receipt\\, US federal courts"), "{unfolded}");
    // Only the unanswered deadline has reminders: a week and a day before.
    assert_eq!(unfolded.matches("BEGIN:VALARM\r\n").count(), 2, "{unfolded}");
    assert!(unfolded.contains("TRIGGER:-P7D\r\n") && unfolded.contains("TRIGGER:-P1D\r\n"));
    assert!(unfolded.contains("DESCRIPTION:Reply due in 7 days: Second demand\r\n"));
}

#[test]
fn upcoming_lists_the_unanswered_deadlines_of_every_open_case_soonest_first() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "a");
    case(s, "b");
    case(s, "done");
    parties(s);
    let soon = letter::create(s, &ruled("a", "Soon", "2024-04-16", "15d", "fr")).expect("soon");
    let later = letter::create(s, &ruled("b", "Later", "2024-04-20", "1m", "fr")).expect("later");
    let late = letter::create(
        s,
        &LetterInput { deadline: "2024-04-01".into(), ..letter_input("b", "Twitter", &[], "Late", "2024-03-01") },
    )
    .expect("late");
    let answered = letter::create(s, &ruled("a", "Answered", "2024-04-16", "10d", "fr")).expect("answered");
    letter::create(
        s,
        &LetterInput {
            in_reply_to: answered.id.clone(),
            ..letter_input("a", "Microsoft", &[], "Answer", "2024-04-20")
        },
    )
    .expect("answer");
    letter::create(s, &ruled("done", "Closed case", "2024-04-16", "15d", "fr")).expect("closed case letter");
    let done = case::get(s.reader(), "done").expect("case");
    case::update(s, "done", &CaseInput { status: "closed".into(), ..done.to_input() }).expect("close");

    // Today is 25 April 2024; a week ahead reaches 2 May, not 20 May.
    let now = chrono::NaiveDate::from_ymd_opt(2024, 4, 25).expect("day").and_hms_opt(9, 0, 0).expect("t").and_utc();
    let coming = letter::upcoming(s.reader(), now.timestamp(), 7).expect("upcoming");
    let seen: Vec<(&str, &str, i64)> =
        coming.iter().map(|u| (u.case_slug.as_str(), u.deadline.letter_id.as_str(), u.days_left)).collect();
    assert_eq!(seen, vec![("b", late.id.as_str(), -24), ("a", soon.id.as_str(), 7)]);
    assert_eq!(coming[0].deadline.state, dossier_core::vocabulary::DeadlineState::Overdue);
    assert_eq!(coming[1].deadline.rule_fr.as_deref(), Some("15 jours à compter de la réception, France"));

    let month = letter::upcoming(s.reader(), now.timestamp(), 31).expect("a month ahead");
    assert!(month.iter().any(|u| u.deadline.letter_id == later.id), "20 May is within a month");

    // A deadline missed more than a quarter ago is history, not something to answer.
    let autumn = chrono::NaiveDate::from_ymd_opt(2024, 7, 15).expect("day").and_hms_opt(9, 0, 0).expect("t").and_utc();
    let coming = letter::upcoming(s.reader(), autumn.timestamp(), 7).expect("in July");
    assert!(coming.iter().all(|u| u.deadline.letter_id != late.id), "1 April is 105 days before 15 July");
}
