//! Privileged records (issue 25, item 2): marked with a basis and a description, named in the case's
//! privilege log (CSV and Word) with their date, author, recipients and type, never published, kept
//! through a bundle, and each mark in the record's history.

use std::io::Read;

use dossier_core::date::Lang;
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::record::letter::LetterInput;
use dossier_core::record::privilege::{self, PrivilegeInput};
use dossier_core::store::Store;
use dossier_core::transfer::bundle::{self, Mode};
use dossier_core::transfer::export;
use dossier_core::view::history;
use dossier_core::vocabulary::PrivilegeBasis;
use dossier_core::ErrorCode;

use crate::common::*;

fn basis(basis: &str, description: &str) -> PrivilegeInput {
    PrivilegeInput { basis: basis.into(), description: description.into() }
}

/// A case with counsel's e-mail to the client (cc the general counsel), its attachment, and a
/// meeting: the e-mail and its attachment privileged, the meeting not.
struct Scene {
    email: String,
    attachment: String,
    meeting: String,
}

fn scene(s: &mut Store) -> Scene {
    case(s, "d");
    for name in ["Acme", "Dewey LLP", "General Counsel"] {
        org(s, name);
    }
    let email = letter_with(
        s,
        LetterInput {
            channel: "email".into(),
            cc: vec!["General Counsel".into()],
            ..letter_input("d", "Dewey LLP", &["Acme"], "Our view of the API terms", "2023-03-14")
        },
    );
    let memo = EvidenceInput {
        case: "d".into(),
        kind: "url".into(),
        title: "Memo on the API licence".into(),
        url: "https://intranet.example/memo".into(),
        ..Default::default()
    };
    let attachment = evidence::create(s, &memo).expect("attachment");
    let linked = LinkInput { evidence: attachment.id.clone(), record: email.id.clone(), ..Default::default() };
    evidence::link(s, &linked).expect("attached");
    let meeting = event(s, "d", "Board meeting on the API fees", "2023-05");
    privilege::set(s, &email.id, Some(&basis("legal_advice", "Advice on the API licence terms"))).expect("email");
    privilege::set(s, &attachment.id, Some(&basis("work product", "Counsel's memo"))).expect("memo");
    Scene { email: email.id, attachment: attachment.id, meeting: meeting.id }
}

#[test]
fn the_privilege_log_names_what_is_withheld_without_its_content() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sc = scene(s);
    let log = privilege::log(s.reader(), "d", Lang::En).expect("log");
    assert_eq!(log.len(), 2, "the meeting is not privileged: {log:?}");
    let email = log.iter().find(|l| l.id == sc.email).expect("the e-mail");
    assert_eq!(
        (email.date.as_str(), email.author.as_str(), email.recipients.as_str(), email.kind.as_str()),
        ("2023-03-14", "Dewey LLP", "Acme; General Counsel (cc)", "e-mail")
    );
    assert_eq!(
        (email.basis, email.description.as_str()),
        (PrivilegeBasis::LegalAdvice, "Advice on the API licence terms")
    );
    // The attachment is said to come from the e-mail's sender, to its recipients.
    let memo = log.iter().find(|l| l.id == sc.attachment).expect("the attachment");
    assert_eq!((memo.author.as_str(), memo.recipients.as_str()), ("Dewey LLP", "Acme; General Counsel (cc)"));
    assert_eq!(memo.basis, PrivilegeBasis::WorkProduct);

    let csv = String::from_utf8(
        export::privilege_log(s.reader(), "d", Lang::En, "2026-12-07").expect("log").csv().expect("csv"),
    )
    .expect("utf-8");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "ID,Date,Author,Recipients,Type,Basis,Description");
    assert!(lines[1].starts_with(&format!("{},14 March 2023 (2023-03-14),Dewey LLP,", sc.email)), "{csv}");
    assert!(!csv.contains("Board meeting") && !csv.contains("Our view of the API terms"), "no content: {csv}");

    // In French, as a Word document.
    let word = export::privilege_log(s.reader(), "d", Lang::Fr, "2026-12-07").expect("log").docx().expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(word)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("main part").read_to_string(&mut xml).expect("read");
    for words in
        ["Journal des pièces couvertes par le secret", "Fondement", "consultation juridique", "7 décembre 2026"]
    {
        assert!(xml.contains(words), "{words}");
    }
}

#[test]
fn a_privilege_is_checked_logged_in_history_and_cleared() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sc = scene(s);
    let other = privilege::set(s, &sc.meeting, Some(&basis("other", ""))).expect_err("other without words");
    assert!(other.to_string().contains("description"), "{other}");
    let unknown = privilege::set(s, &sc.meeting, Some(&basis("secret", ""))).expect_err("unknown basis");
    assert!(unknown.to_string().contains("secret"), "{unknown}");
    let party = dossier_core::record::party::list(s.reader()).expect("parties")[0].id.clone();
    let refused = privilege::set(s, &party, Some(&basis("litigation", ""))).expect_err("a party");
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert!(privilege::get(s.reader(), &sc.meeting).expect("read").is_none(), "nothing written");

    let last = history::history(s.reader(), &sc.email).expect("history").pop().expect("a change");
    assert_eq!(last.action, "mark privileged");
    assert!(last.differences.iter().any(|d| d.contains("legal_advice")), "{last:?}");
    let before = log_len(s);
    privilege::set(s, &sc.email, Some(&basis("legal_advice", "Advice on the API licence terms"))).expect("same");
    assert_eq!(log_len(s), before, "setting what is set writes nothing");
    privilege::set(s, &sc.email, None).expect("clear");
    assert!(privilege::get(s.reader(), &sc.email).expect("read").is_none());
    assert_eq!(
        history::history(s.reader(), &sc.email).expect("history").pop().expect("a change").action,
        "clear privilege"
    );
}

#[test]
fn a_privileged_record_is_never_published_and_travels_in_a_bundle() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let sc = scene(s);
    privilege::set(s, &sc.meeting, Some(&basis("litigation", "Preparation of the claim"))).expect("meeting");
    let published = export::timelinejs(s.reader(), "d", Lang::En).expect("timelinejs");
    assert!(!published.contains("Board meeting") && !published.contains("Our view of the API terms"), "{published}");

    let json = bundle::export_json(s.reader(), "d", bundle::Contents::ALL).expect("export");
    let mut other = fresh();
    bundle::import_json(&mut other.store, &json, None, Mode::Refuse).expect("import");
    let kept = privilege::get(other.store.reader(), &sc.meeting).expect("read").expect("still privileged");
    assert_eq!((kept.basis, kept.description.as_str()), (PrivilegeBasis::Litigation, "Preparation of the claim"));
    assert_eq!(privilege::log(other.store.reader(), "d", Lang::En).expect("log").len(), 3);

    // A bundle that calls a party privileged is refused, and writes nothing.
    let party = dossier_core::record::party::list(s.reader()).expect("parties")[0].id.clone();
    let listed = |id: &str| format!("\"record\": \"{id}\",\n      \"basis\"");
    let forged = json.replace(&listed(&sc.meeting), &listed(&party));
    assert!(forged != json, "the bundle lists the meeting as privileged");
    let mut third = fresh();
    let err = bundle::import_json(&mut third.store, &forged, None, Mode::Refuse).expect_err("a party");
    assert!(err.to_string().contains("privileged"), "{err}");
    assert!(dossier_core::record::case::list(third.store.reader()).expect("cases").is_empty());
}
