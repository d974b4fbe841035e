//! The chronology of a case at the public boundary: every dated thing in honest order, the filters a
//! reader uses (kind, party, tag, date window), keyset paging, evidence counts, and the demo case as
//! a reader first meets it.

use crate::common::*;
use dossier_core::record::agreement::{self, AgreementInput};
use dossier_core::record::allegation::{self, StatusInput};
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::record::letter::LetterInput;
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::view::timeline::{self, Entry, Filter};
use dossier_core::vocabulary::{EntryKind, Vocabulary};
use dossier_core::{demo, Error, Store};

pub(crate) fn all(s: &Store, case: &str, filter: &Filter) -> Vec<Entry> {
    timeline::all(s.reader(), case, filter).unwrap_or_else(|e| panic!("timeline of {case}: {e}"))
}

fn dates(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.date.as_str()).collect()
}

fn kinds(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.kind.as_str()).collect()
}

pub(crate) fn titles(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.title.as_str()).collect()
}

/// A case whose events are titled by their dates, created out of order.
const FUZZY: &[&str] = &[
    "2023-05-18T14:30+02:00",
    "2023",
    "<2023-06-07",
    "2023-03",
    "~2023-04",
    "2023-01..2023-04",
    "2023-03-01",
    "2023-03-01T00:00Z",
];

pub(crate) fn fuzzy_case(s: &mut Store) {
    case(s, "fuzzy");
    for date in FUZZY {
        event(s, "fuzzy", date, date);
    }
}

/// Guards: entries follow their dates, and at the same sort key the finer precision comes first.
#[test]
fn entries_follow_the_chronology() {
    let mut fx = fresh();
    fuzzy_case(&mut fx.store);
    let entries = all(&fx.store, "fuzzy", &Filter::default());
    assert_eq!(dates(&entries), FUZZY_ORDER);
    let described: Vec<(&str, &str, &str)> =
        entries.iter().map(|e| (e.date.as_str(), e.precision.as_str(), e.qualifier.as_str())).collect();
    assert!(described.contains(&("~2023-04", "month", "about")), "{described:?}");
    assert!(described.contains(&("<2023-06-07", "day", "before")), "{described:?}");
    assert!(described.contains(&("2023-01..2023-04", "month", "between")), "{described:?}");
    assert!(described.contains(&("2023-05-18T14:30+02:00", "instant", "exact")), "{described:?}");
    let before = entries.iter().find(|e| e.date == "<2023-06-07").expect("before entry");
    assert_eq!(before.lo, None, "'before' has no lower bound");
    assert_eq!(before.date_en, "before 7 June 2023");
    assert_eq!(before.date_fr, "avant le 7 juin 2023");
}

/// Guards: items on the same day follow their explicit position, then their kind.
#[test]
fn position_orders_same_day_items() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    for (title, position) in [("third", 2), ("first", 0), ("second", 1)] {
        event_with(
            s,
            EventInput {
                case: "c".into(),
                title: title.into(),
                date: "2023-03-10".into(),
                position,
                ..Default::default()
            },
        );
    }
    letter_with(s, LetterInput { position: 1, ..letter_input("c", "Acme", &[], "letter at position 1", "2023-03-10") });
    event(s, "c", "the day before", "2023-03-09");
    let entries = all(s, "c", &Filter::default());
    assert_eq!(titles(&entries), ["the day before", "first", "second", "letter at position 1", "third"]);
}

/// The records of `scene`, with the dates that make their order unambiguous.
pub(crate) struct Scene {
    letter: String,
    event: String,
    evidence: String,
    pub(crate) allegation: String,
}

pub(crate) fn scene(s: &mut Store) -> Scene {
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    party(s, "Daily Planet", "media");
    agreement::create(
        s,
        &AgreementInput {
            case: "c".into(),
            title: "Supply agreement".into(),
            parties: vec!["Acme".into(), "Globex".into()],
            effective: "2021-06".into(),
            terminated: "2024".into(),
            ..Default::default()
        },
    )
    .expect("agreement");
    let e = event_with(
        s,
        EventInput {
            case: "c".into(),
            title: "Missed delivery".into(),
            date: "2023-02-01".into(),
            parties: vec!["Globex".into()],
            tags: vec!["supply".into()],
            attributions: vec![AttributionInput {
                reported_by: "Daily Planet".into(),
                certainty: "reported".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
    );
    let l = letter_with(
        s,
        LetterInput {
            deadline: "2023-04-10".into(),
            tags: vec!["Supply".into()],
            ..letter_input("c", "Acme", &["Globex"], "Late deliveries", "2023-03-10")
        },
    );
    let a = allegation(s, "c", "Acme", "Globex", &l.id, "Globex delivered late");
    allegation::set_status(
        s,
        &a.id,
        &StatusInput { status: "disputed".into(), date: "2023-04".into(), ..Default::default() },
    )
    .expect("status");
    response::create(
        s,
        &ResponseInput {
            allegations: vec![a.id.clone()],
            by: "Globex".into(),
            stance: "denies".into(),
            date: "2023-03-20".into(),
            ..Default::default()
        },
    )
    .expect("response");
    let ev = evidence::create(
        s,
        &EvidenceInput {
            case: "c".into(),
            kind: "url".into(),
            title: "Press article".into(),
            url: "https://example.com/a".into(),
            date: "2023-03-12".into(),
            ..Default::default()
        },
    )
    .expect("dated evidence");
    evidence::create(
        s,
        &EvidenceInput {
            case: "c".into(),
            kind: "publication".into(),
            title: "Undated book".into(),
            ..Default::default()
        },
    )
    .expect("undated evidence");
    Scene { letter: l.id, event: e.id, evidence: ev.id, allegation: a.id }
}

pub(crate) const SCENE: &[(&str, &str)] = &[
    ("agreement_effective", "2021-06"),
    ("event", "2023-02-01"),
    ("letter", "2023-03-10"),
    ("allegation", "2023-03-10"),
    ("evidence", "2023-03-12"),
    ("response", "2023-03-20"),
    ("status_change", "2023-04"),
    ("deadline", "2023-04-10"),
    ("agreement_terminated", "2024"),
];

/// Guards: every kind of dated thing appears once, in order; the first "alleged" status does not.
#[test]
fn every_kind_appears() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let entries = all(&fx.store, "c", &Filter::default());
    let seen: Vec<(&str, &str)> = entries.iter().map(|e| (e.kind.as_str(), e.date.as_str())).collect();
    assert_eq!(seen, SCENE);
    let mut every: Vec<&str> = kinds(&entries);
    every.sort();
    let mut known: Vec<&str> = EntryKind::ALL.iter().map(|k| k.as_str()).collect();
    known.sort();
    assert_eq!(every, known, "each kind of entry appears");

    let by_kind = |k: &str| entries.iter().find(|e| e.kind == k).unwrap_or_else(|| panic!("no {k} entry"));
    let status = by_kind("status_change");
    assert_eq!(
        (status.status.map(|s| s.as_str()), status.title.as_str(), status.record_id.as_str()),
        (Some("disputed"), "Globex delivered late", sc.allegation.as_str())
    );
    assert_eq!(by_kind("allegation").status, None);
    let deadline = by_kind("deadline");
    assert_eq!(
        (deadline.record_id.as_str(), deadline.title.as_str()),
        (sc.letter.as_str(), "Late deliveries"),
        "a deadline opens its letter"
    );
    assert_ne!(deadline.id, by_kind("letter").id, "a letter and its deadline are two entries");
    assert_eq!(by_kind("response").title, "denies", "a response without text is titled by its stance");
    assert_eq!(by_kind("evidence").record_id, sc.evidence);
    assert_eq!(by_kind("letter").parties, ["Acme", "Globex"]);
    assert_eq!(by_kind("agreement_effective").title, "Supply agreement");
    let ids: std::collections::HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), entries.len(), "entry ids are unique");
}

/// Guards: the kind filter, with "agreement" meaning both agreement dates and unknown kinds refused.
#[test]
fn filter_by_kind() {
    let mut fx = fresh();
    scene(&mut fx.store);
    let check = |asked: &[&str], expect: &[&str]| {
        let filter = Filter { kinds: asked.iter().map(|k| k.to_string()).collect(), ..Default::default() };
        assert_eq!(kinds(&all(&fx.store, "c", &filter)), expect, "kinds {asked:?}");
    };
    check(&["event"], &["event"]);
    check(&["agreement"], &["agreement_effective", "agreement_terminated"]);
    check(&["agreement_terminated"], &["agreement_terminated"]);
    check(&["letter, deadline"], &["letter", "deadline"]);
    check(&["Status change"], &["status_change"]);
    check(&["response", "allegation"], &["allegation", "response"]);
    check(&["evidence"], &["evidence"]);
    check(&[], &SCENE.iter().map(|(k, _)| *k).collect::<Vec<_>>());

    let err = timeline::all(
        fx.store.reader(),
        "c",
        &Filter { kinds: vec!["event".into(), "memo".into()], ..Default::default() },
    )
    .expect_err("unknown kind");
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "kind"), "{err:?}");
    says(&err, &["'memo'"]);
}

/// Guards: the party filter keeps what involves the party or cites it as a source.
#[test]
fn filter_by_party() {
    let mut fx = fresh();
    scene(&mut fx.store);
    let check = |party: &str, expect: &[&str]| {
        let filter = Filter { party: Some(party.into()), ..Default::default() };
        assert_eq!(kinds(&all(&fx.store, "c", &filter)), expect, "party {party:?}");
    };
    check("Daily Planet", &["event"]);
    check(
        "globex",
        &[
            "agreement_effective",
            "event",
            "letter",
            "allegation",
            "response",
            "status_change",
            "deadline",
            "agreement_terminated",
        ],
    );
    check(
        "Acme",
        &["agreement_effective", "letter", "allegation", "status_change", "deadline", "agreement_terminated"],
    );
    check(" ", &SCENE.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    let err = timeline::all(fx.store.reader(), "c", &Filter { party: Some("Initech".into()), ..Default::default() })
        .expect_err("unknown party");
    assert!(matches!(err, Error::NotFound { kind: "party", .. }), "{err:?}");
    says(&err, &["Initech"]);
}

/// Guards: an entry's parties, and the party filter, follow the record's edits: a party taken off an
/// event, a source put on it, the event deleted.
#[test]
fn the_parties_of_an_entry_follow_its_edits() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let with = |s: &Store, party: &str| -> Vec<String> {
        let filter = Filter { party: Some(party.into()), ..Default::default() };
        all(s, "c", &filter).iter().filter(|e| e.record_id == sc.event).map(|e| e.parties.join(", ")).collect()
    };
    assert_eq!(with(&fx.store, "Globex"), ["Globex"], "the event involves Globex");
    assert_eq!(with(&fx.store, "Daily Planet"), ["Globex"], "and cites the Daily Planet");

    let mut input = event::get(fx.store.reader(), &sc.event).expect("event").to_input();
    input.parties = vec!["Acme".into()];
    input.attributions =
        vec![AttributionInput { asserted_by: "Globex".into(), certainty: "alleged".into(), ..Default::default() }];
    event::update(&mut fx.store, &sc.event, &input).expect("update");
    assert_eq!(with(&fx.store, "Acme"), ["Acme"], "Acme is now its party");
    assert_eq!(with(&fx.store, "Globex"), ["Acme"], "Globex is now its source, not its party");
    assert!(with(&fx.store, "Daily Planet").is_empty(), "the Daily Planet is no longer cited");

    event::delete(&mut fx.store, &sc.event).expect("delete");
    assert!(with(&fx.store, "Acme").is_empty() && with(&fx.store, "Globex").is_empty(), "a deleted event is gone");
}

/// Guards: the tag filter ignores case and covers every entry of a tagged record.
#[test]
fn filter_by_tag() {
    let mut fx = fresh();
    scene(&mut fx.store);
    let check = |tag: &str, expect: &[&str]| {
        let filter = Filter { tag: Some(tag.into()), ..Default::default() };
        assert_eq!(kinds(&all(&fx.store, "c", &filter)), expect, "tag {tag:?}");
    };
    check("supply", &["event", "letter", "deadline"]);
    check("SUPPLY", &["event", "letter", "deadline"]);
    check("fees", &[]);
}

/// Guards: a date window keeps every entry whose fuzzy range overlaps it, open ends included.
#[test]
fn filter_by_date_range() {
    let mut fx = fresh();
    fuzzy_case(&mut fx.store);
    let check = |from: &str, to: &str, expect: &[&str]| {
        let filter = Filter { from: Some(from.into()), to: Some(to.into()), ..Default::default() };
        assert_eq!(dates(&all(&fx.store, "fuzzy", &filter)), expect, "from {from:?} to {to:?}");
    };
    check(
        "2023-03",
        "2023-03",
        &["2023-01..2023-04", "2023", "2023-03-01T00:00Z", "2023-03-01", "2023-03", "~2023-04", "<2023-06-07"],
    );
    check("2023-05", "", &["2023", "~2023-04", "2023-05-18T14:30+02:00", "<2023-06-07"]);
    check("", "2023-02", &["2023-01..2023-04", "2023", "<2023-06-07"]);
    check("2023-05-18", "2023-05-18", &["2023", "~2023-04", "2023-05-18T14:30+02:00", "<2023-06-07"]);
    check("2023-05-18T12:31Z", "2023-05-18T13:00Z", &["2023", "~2023-04", "<2023-06-07"]);
    check("2024", "", &[]);
    // "before 7 June 2023" may be any time before, so it overlaps every earlier window.
    check("", "<2023", &["<2023-06-07"]);
    check("", "", &FUZZY_ORDER);

    let err =
        timeline::all(fx.store.reader(), "fuzzy", &Filter { from: Some("2023-02-30".into()), ..Default::default() })
            .expect_err("bad date");
    assert!(matches!(&err, Error::Date { field, .. } if field == "from"), "{err:?}");
    says(&err, &["2023-02-30"]);
}

const FUZZY_ORDER: [&str; 8] = [
    "2023-01..2023-04",
    "2023",
    "2023-03-01T00:00Z",
    "2023-03-01",
    "2023-03",
    "~2023-04",
    "2023-05-18T14:30+02:00",
    "<2023-06-07",
];

/// Reads a timeline page by page, `size` entries at a time, checking each page on the way.
/// Guards: a cursor that is not one the timeline gave out is an invalid-input error, not a panic or a guess.
#[test]
fn garbage_cursor_is_refused() {
    let mut fx = fresh();
    scene(&mut fx.store);
    for cursor in ["garbage", "", "1:2:3", "1:2:3:4", "1:2:3:4:", "a:b:c:d:e", "1.5:2:3:4:x"] {
        match timeline::page(fx.store.reader(), "c", &Filter::default(), Some(cursor), 2) {
            Err(err @ Error::Invalid { .. }) => {
                assert_eq!(err.code(), ErrorCode::InvalidInput);
                says(&err, &["cursor", &format!("'{cursor}'")]);
            }
            other => panic!("cursor {cursor:?}: expected an invalid-input error, got {other:?}"),
        }
    }
    let err = timeline::page(fx.store.reader(), "no-such-case", &Filter::default(), None, 2).expect_err("unknown case");
    assert!(matches!(err, Error::NotFound { kind: "case", .. }), "{err:?}");
}

/// Guards: each entry counts the evidence linked to the record it opens.
#[test]
fn evidence_count_per_entry() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    let book =
        evidence::list(s.reader(), "c").expect("list").into_iter().find(|e| e.title == "Undated book").expect("book");
    for (ev, record) in [(&sc.evidence, &sc.event), (&book.id, &sc.event), (&book.id, &sc.letter)] {
        evidence::link(s, &LinkInput { evidence: ev.clone(), record: record.clone(), ..Default::default() })
            .expect("link");
    }
    let counts: Vec<(String, i64)> =
        all(s, "c", &Filter::default()).into_iter().map(|e| (e.kind.to_string(), e.evidence_count)).collect();
    let expect = [
        ("agreement_effective", 0),
        ("event", 2),
        ("letter", 1),
        ("allegation", 0),
        ("evidence", 0),
        ("response", 0),
        ("status_change", 0),
        ("deadline", 1),
        ("agreement_terminated", 0),
    ];
    assert_eq!(counts, expect.map(|(k, n)| (k.to_string(), n)), "a deadline counts its letter's evidence");
}

// ---------------------------------------------------------------------------------------------
// The demo

/// Guards: the demo loads on an empty store, and its first case reads as the article tells it.
#[test]
fn demo_timeline_reads_as_recorded() {
    let mut fx = fresh();
    let loaded = demo::load(&mut fx.store).expect("load the demo");
    assert_eq!(loaded, demo::slugs());
    assert!(loaded.contains(&"twitter-v-microsoft".to_string()), "{loaded:?}");
    fx.store.verify_change_log().expect("change log after the demo");

    let entries = all(&fx.store, "twitter-v-microsoft", &Filter::default());
    let first = entries.first().expect("entries");
    assert_eq!((first.kind.as_str(), first.date.as_str()), ("event", "2023-02"));
    assert!(first.title.contains("free API"), "the first entry is February's end of the free API: {:?}", first.title);
    assert_eq!(first.date_en, "February 2023");
    let recorded = dates(&entries);
    for date in ["2023-02", "2023-03", "2023-02..2023-04", "2023-03..2023-04", "~2023-04"] {
        assert!(recorded.contains(&date), "date {date:?} as recorded in {recorded:?}");
    }
    for e in &entries {
        assert!(e.evidence_count >= 1, "every demo entry cites the article: {} {:?} has none", e.kind, e.title);
    }
    assert_eq!(entries.iter().filter(|e| e.kind == "status_change").count(), 3, "three allegations go under review");
    assert!(!entries.iter().any(|e| e.date.len() == 10), "no date is more precise than the article: {recorded:?}");

    let getty = all(&fx.store, "getty-v-stability-ai", &Filter::default());
    assert!(!getty.is_empty(), "the second demo case has a timeline");
}

/// Guards: loading the demo again changes nothing.
#[test]
fn loading_the_demo_twice_changes_nothing() {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("first load");
    let before = snapshot(&fx.store);
    let files = files_under(fx.store.files_dir());
    assert_eq!(demo::load(&mut fx.store).expect("second load"), Vec::<String>::new(), "nothing loaded the second time");
    assert_eq!(demo::load_if_empty(&mut fx.store).expect("load if empty"), Vec::<String>::new());
    assert_eq!(snapshot(&fx.store), before, "same rows, same change log");
    assert_eq!(files_under(fx.store.files_dir()), files, "same stored files");
}

/// Guards: a date window finds an entry however far its sort key lies from the window (an open-ended
/// "after", a "before", a decade-long range), as a plain overlap test over every entry would, in the
/// same order, page by page.
#[test]
fn a_date_window_finds_wide_entries_far_from_it_in_order() {
    let mut fx = fresh();
    case(&mut fx.store, "wide");
    let dates = [
        ">2001",
        "<2040-01-01",
        "2000..2030",
        "2014-12",
        "2015-06-01",
        "~2016",
        "2017..2018",
        "2009",
        "2020-02-02",
        "2015",
        "~2013",
        ">2016-03",
        "<2015-02",
        "2012-01..2016-01",
        "2015-06-01T10:00Z",
        "1999",
    ];
    for (i, d) in dates.iter().enumerate() {
        event(&mut fx.store, "wide", &format!("e{i}"), d);
    }
    let every = all(&fx.store, "wide", &Filter::default());
    for (from, to) in [("2015", "2015"), ("2015-06", ""), ("", "2010"), ("2019", "2021"), ("2050", "")] {
        let filter = Filter { from: Some(from.into()), to: Some(to.into()), ..Default::default() };
        let lo = (!from.is_empty()).then(|| dossier_core::date::FuzzyDate::parse(from).unwrap().lower().unwrap());
        let hi = (!to.is_empty()).then(|| dossier_core::date::FuzzyDate::parse(to).unwrap().upper().unwrap());
        let expected: Vec<String> = every
            .iter()
            .filter(|e| {
                lo.is_none_or(|lo| e.hi.is_none_or(|h| h > lo)) && hi.is_none_or(|hi| e.lo.is_none_or(|l| l < hi))
            })
            .map(|e| e.title.clone())
            .collect();
        // Pages of 3, so the merge of the near and the wide entries is crossed by page boundaries.
        let mut got = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = timeline::page(fx.store.reader(), "wide", &filter, after.as_deref(), 3).unwrap();
            got.extend(page.entries.into_iter().map(|e| e.title));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(got, expected, "from {from:?} to {to:?}");
    }
}
