//! Bad input: one-line errors naming the value, nothing written.

use super::scene;
use crate::common::*;
use dossier_core::record::allegation::{self, AllegationInput};
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, LinkInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::{Result, Store};

/// Checks that `change` is refused with an error of category `code` whose message contains every
/// one of `parts`, and that it wrote nothing.
fn bad<T: std::fmt::Debug>(
    s: &mut Store,
    what: &str,
    code: ErrorCode,
    parts: &[&str],
    change: impl FnOnce(&mut Store) -> Result<T>,
) {
    let err = refused(s, change);
    assert_eq!(err.code(), code, "{what}: {err}");
    let text = err.to_string();
    for p in parts {
        assert!(text.contains(p), "{what}: error {text:?} should mention {p:?}");
    }
}

/// Guards: bad input is refused with an error that names the value at fault, and writes nothing.
#[test]
fn bad_input_is_refused_naming_the_value() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    let case_id = sc.case_id.as_str();
    let ev = |f: &dyn Fn(&mut EventInput)| {
        let mut input = EventInput {
            case: case_id.into(),
            title: "Meeting".into(),
            date: "2023-05-01".into(),
            ..Default::default()
        };
        f(&mut input);
        input
    };
    let lt = |f: &dyn Fn(&mut LetterInput)| {
        let mut input = letter_input(case_id, "Acme", &["Globex"], "Again", "2023-05-01");
        f(&mut input);
        input
    };
    let al = |f: &dyn Fn(&mut AllegationInput)| {
        let mut input = AllegationInput { date: "2023".into(), ..allegation_input(case_id, "Acme", "Globex", "", "S") };
        f(&mut input);
        input
    };
    const INVALID: ErrorCode = ErrorCode::InvalidInput;
    const NOT_FOUND: ErrorCode = ErrorCode::NotFound;

    bad(s, "case without title", INVALID, &["title", "required"], |s| {
        case::create(s, &CaseInput { title: "  ".into(), ..Default::default() })
    });
    bad(s, "party without name", INVALID, &["name", "required"], |s| {
        party::create(s, &PartyInput { name: String::new(), kind: "person".into(), ..Default::default() })
    });
    bad(s, "event without title", INVALID, &["title", "required"], |s| {
        event::create(s, &ev(&|i| i.title = " ".into()))
    });
    bad(s, "multi-line title", INVALID, &["title", "one line"], |s| {
        event::create(s, &ev(&|i| i.title = "a\nb".into()))
    });
    bad(s, "letter without subject", INVALID, &["subject", "required"], |s| {
        letter::create(s, &lt(&|i| i.subject = String::new()))
    });
    bad(s, "letter without sender", INVALID, &["sender", "required"], |s| {
        letter::create(s, &lt(&|i| i.sender = String::new()))
    });
    bad(s, "allegation without summary", INVALID, &["summary", "required"], |s| {
        allegation::create(s, &al(&|i| i.summary = String::new()))
    });
    bad(s, "impossible date", INVALID, &["date", "'2023-02-30'", "does not exist"], |s| {
        event::create(s, &ev(&|i| i.date = "2023-02-30".into()))
    });
    bad(s, "impossible deadline", INVALID, &["deadline", "'2023-13'"], |s| {
        letter::create(s, &lt(&|i| i.deadline = "2023-13".into()))
    });
    bad(s, "unknown case", NOT_FOUND, &["no case 'no-such-case'"], |s| {
        event::create(s, &ev(&|i| i.case = "no-such-case".into()))
    });
    bad(s, "unknown party", NOT_FOUND, &["no party 'Nobody Ltd'"], |s| {
        event::create(s, &ev(&|i| i.parties = vec!["Nobody Ltd".into()]))
    });
    bad(s, "unknown recipient", NOT_FOUND, &["no party 'Nobody Ltd'"], |s| {
        letter::create(s, &lt(&|i| i.cc = vec!["Nobody Ltd".into()]))
    });
    bad(s, "unknown accused", NOT_FOUND, &["no party 'Nobody Ltd'"], |s| {
        allegation::create(s, &al(&|i| i.against = "Nobody Ltd".into()))
    });
    bad(s, "unknown source", NOT_FOUND, &["no party 'Daily Bugle'"], |s| {
        let source =
            AttributionInput { reported_by: "Daily Bugle".into(), certainty: "reported".into(), ..Default::default() };
        event::create(s, &ev(&|i| i.attributions = vec![source.clone()]))
    });
    bad(s, "reply to a missing letter", NOT_FOUND, &["0190-missing-letter"], |s| {
        letter::create(s, &lt(&|i| i.in_reply_to = "0190-missing-letter".into()))
    });
    bad(s, "raised in a missing record", NOT_FOUND, &["0190-missing"], |s| {
        allegation::create(s, &al(&|i| i.raised_in = "0190-missing".into()))
    });
    bad(s, "citing a missing clause", NOT_FOUND, &["0190-no-clause"], |s| {
        allegation::create(s, &al(&|i| i.clauses = vec!["0190-no-clause".into()]))
    });
    bad(s, "invoking a missing agreement", NOT_FOUND, &["0190-no-agreement"], |s| {
        allegation::create(s, &al(&|i| i.agreement = "0190-no-agreement".into()))
    });
    bad(s, "answering a missing allegation", NOT_FOUND, &["0190-no-allegation"], |s| {
        let input = ResponseInput {
            allegations: vec!["0190-no-allegation".into()],
            by: "Globex".into(),
            stance: "denies".into(),
            date: "2023".into(),
            ..Default::default()
        };
        response::create(s, &input)
    });
    bad(s, "linking to a missing record", NOT_FOUND, &["0190-no-record"], |s| {
        evidence::link(
            s,
            &LinkInput { evidence: sc.evidence.clone(), record: "0190-no-record".into(), ..Default::default() },
        )
    });
    bad(s, "editing a missing event", NOT_FOUND, &["0190-no-event"], |s| {
        event::update(s, "0190-no-event", &ev(&|_| {}))
    });
    bad(s, "deleting a missing letter", NOT_FOUND, &["0190-no-letter"], |s| letter::delete(s, "0190-no-letter"));
}
