//! A letter's deadline counted from an event of its case (a hearing), forward or back, and with the US
//! days for mail: recounted in the write that moves the event, kept through a bundle, and guarding
//! the event against a delete or an erasure that would leave the rule without its trigger.

use dossier_core::care::erase::{self, EraseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::store::Store;
use dossier_core::transfer::bundle::{self, Mode};
use dossier_core::view::history;
use dossier_core::ErrorCode;

use crate::common::*;

/// A letter of 16 April 2024 whose deadline is `rule` in `calendar`, counted from the event `event`.
fn from_event(case: &str, subject: &str, event: &str, rule: &str, calendar: &str, before: bool) -> LetterInput {
    LetterInput {
        deadline_rule: rule.into(),
        calendar: calendar.into(),
        deadline_event: event.into(),
        deadline_before: before,
        ..letter_input(case, "Twitter", &["Microsoft"], subject, "2024-04-16")
    }
}

fn parties(s: &mut Store) {
    org(s, "Twitter");
    org(s, "Microsoft");
}

/// A case with a hearing on Friday 14 June 2024 and a brief due ten business days before it.
fn brief_before_hearing(s: &mut Store) -> (event::Event, letter::Letter) {
    case(s, "d");
    parties(s);
    let hearing = event(s, "d", "Hearing", "2024-06-14");
    let l = letter::create(s, &from_event("d", "Brief due", &hearing.id, "10bd", "fr", true)).expect("create");
    (hearing, l)
}

fn moved(s: &mut Store, e: &event::Event, date: &str) -> dossier_core::Result<event::Event> {
    event::update(s, &e.id, &EventInput { date: date.into(), ..e.to_input() })
}

#[test]
fn a_rule_counted_back_from_a_hearing_follows_the_hearing_when_it_moves() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let (hearing, l) = brief_before_hearing(s);
    // Ten business days back from Friday 14 June 2024: Friday 31 May.
    assert_eq!(l.deadline.as_deref(), Some("2024-05-31"));
    assert_eq!((l.deadline_event.as_deref(), l.deadline_before), (Some(hearing.id.as_str()), true));
    assert_eq!(l.rule_en.as_deref(), Some("10 business days before the event 'Hearing', France"));
    assert_eq!(l.rule_fr.as_deref(), Some("10 jours ouvrés avant l’événement « Hearing », France"));

    // The hearing put back three weeks: the brief follows, in the event's own write.
    let hearing = moved(s, &hearing, "2024-07-05").expect("move the hearing");
    let l = letter::get(s.reader(), &l.id).expect("letter");
    assert_eq!(l.deadline.as_deref(), Some("2024-06-21"));
    let listed = &event::get(s.reader(), &hearing.id).expect("event").deadlines;
    assert_eq!((listed.len(), listed[0].deadline.as_deref()), (1, Some("2024-06-21")), "the event lists the brief");
    let last = history::history(s.reader(), &l.id).expect("history").pop().expect("a change");
    assert_eq!(last.action, "update event", "the letter changed in the event's write");
    assert!(last.differences.iter().any(|d| d.contains("2024-05-31") && d.contains("2024-06-21")), "{last:?}");

    // Only a month known: a range of deadlines.
    let hearing = moved(s, &hearing, "2024-09").expect("a month");
    assert_eq!(letter::get(s.reader(), &l.id).expect("letter").deadline.as_deref(), Some("2024-08-19..2024-09-16"));

    // A date no deadline can be counted from is refused, naming the letter; nothing changes.
    let err = moved(s, &hearing, "<2024-10-01").expect_err("open-ended");
    let text = err.to_string();
    assert!(text.contains("Brief due") && text.contains("open-ended"), "{text}");
    assert_eq!(event::get(s.reader(), &hearing.id).expect("event").date, "2024-09");
}

#[test]
fn an_event_a_deadline_counts_from_is_not_deleted_or_erased_from_under_it() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "d");
    case(s, "other");
    parties(s);
    let hearing = event(s, "d", "Hearing", "2024-06-14");
    let l = letter::create(s, &from_event("d", "Brief due", &hearing.id, "2w", "ew", true)).expect("create");
    assert_eq!(l.deadline.as_deref(), Some("2024-05-31"));

    let refused = event::delete(s, &hearing.id).expect_err("delete");
    assert_eq!(refused.code(), ErrorCode::Conflict);
    assert!(refused.to_string().contains("letter 'Brief due'"), "{refused}");
    let erase_input = EraseInput { id: hearing.id.clone(), reason: "clawback".into(), note: String::new() };
    let refused = erase::erase(s, &erase_input).expect_err("erase");
    assert!(refused.to_string().contains("letter 'Brief due'"), "{refused}");

    // A letter of another case cannot count from it.
    let elsewhere = letter::create(s, &from_event("other", "Elsewhere", &hearing.id, "2w", "ew", false))
        .expect_err("another case's event");
    assert!(elsewhere.to_string().contains("belongs to another case"), "{elsewhere}");

    // Once the letter counts from receipt again, the event can go.
    let l = letter::update(
        s,
        &l.id,
        &LetterInput { deadline_event: String::new(), deadline_before: false, ..l.to_input() },
    )
    .expect("count from receipt");
    assert_eq!(l.deadline.as_deref(), Some("2024-04-30"));
    event::delete(s, &hearing.id).expect("delete the event");
}

#[test]
fn what_only_a_rule_from_an_event_has_is_refused_without_it() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "d");
    parties(s);
    let hearing = event(s, "d", "Hearing", "2024-06-14");
    let plain = letter_input("d", "Twitter", &["Microsoft"], "Plain", "2024-04-16");
    let cases = [
        (
            "deadline_event",
            "deadline counted by rule",
            LetterInput { deadline_event: hearing.id.clone(), ..plain.clone() },
        ),
        ("deadline_before", "deadline counted by rule", LetterInput { deadline_before: true, ..plain.clone() }),
        ("deadline_mail", "deadline counted by rule", LetterInput { deadline_mail: true, ..plain.clone() }),
        (
            "deadline_before",
            "name the event",
            LetterInput { deadline_before: true, ..from_event("d", "No event", "", "10d", "fr", false) },
        ),
        (
            "deadline_mail",
            "US federal calendar",
            LetterInput { deadline_mail: true, ..from_event("d", "Mail in France", "", "10d", "fr", false) },
        ),
        (
            "deadline_mail",
            "counted forward",
            LetterInput { deadline_mail: true, ..from_event("d", "Mail back", &hearing.id, "10d", "us", true) },
        ),
        ("no-such-event", "no event", from_event("d", "No such event", "no-such-event", "10d", "fr", false)),
    ];
    for (field, words, input) in cases {
        let err = letter::create(s, &input).expect_err(field);
        let text = err.to_string();
        assert!(text.contains(field) && text.contains(words), "{field}: {text}");
    }
    assert!(letter::list(s.reader(), "d").expect("list").is_empty(), "nothing written");

    // Served by mail in a US federal court: three more days (FRCP 6(d)).
    let mailed = LetterInput { deadline_mail: true, ..from_event("d", "By mail", &hearing.id, "15d", "us", false) };
    let l = letter::create(s, &mailed).expect("mail");
    // 15 days end on Saturday 29 June, so Monday 1 July; three more fall on 4 July, a holiday.
    assert_eq!(l.deadline.as_deref(), Some("2024-07-05"));
    assert_eq!(
        l.rule_en.as_deref(),
        Some("15 days from the event 'Hearing', US federal courts, plus 3 days for service by mail")
    );
}

#[test]
fn a_bundle_keeps_the_event_a_rule_counts_from_and_the_copy_still_follows_it() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let (hearing, l) = brief_before_hearing(s);

    let json = bundle::export_json(s.reader(), "d", bundle::Contents::ALL).expect("export");
    let mut other = fresh();
    bundle::import_json(&mut other.store, &json, None, Mode::Refuse).expect("import");
    let copy = letter::get(other.store.reader(), &l.id).expect("imported letter");
    assert_eq!(
        (copy.deadline.as_deref(), copy.deadline_event.as_deref(), copy.deadline_before),
        (Some("2024-05-31"), Some(hearing.id.as_str()), true)
    );
    let copied_hearing = event::get(other.store.reader(), &hearing.id).expect("imported event");
    moved(&mut other.store, &copied_hearing, "2024-07-05").expect("move the copy's hearing");
    let copy = letter::get(other.store.reader(), &l.id).expect("letter");
    assert_eq!(copy.deadline.as_deref(), Some("2024-06-21"));

    // A bundle whose letter names an event that is neither in it nor in the database is refused.
    let named = [format!("\"deadline_event\":\"{}\"", hearing.id), format!("\"deadline_event\": \"{}\"", hearing.id)];
    let named = named.iter().find(|n| json.contains(n.as_str())).expect("the bundle names the event");
    let dangling = json.replace(named.as_str(), "\"deadline_event\":\"no-such-event\"");
    let mut third = fresh();
    let err = bundle::import_json(&mut third.store, &dangling, None, Mode::Refuse).expect_err("dangling");
    assert!(err.to_string().contains("deadline_event"), "{err}");
}
