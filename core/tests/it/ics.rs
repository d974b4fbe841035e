//! The ICS export's writing, at the public boundary: what RFC 5545 asks of every line, and what a
//! calendar reader (the `icalendar` crate's parser, which Dossier no longer writes with) reads back.

use crate::common::*;
use dossier_core::record::letter::LetterInput;
use dossier_core::transfer::export;

/// Guards the hand-written writer on the text that strains it: a title and a subject long enough to
/// fold many times, in letters of two, three and four UTF-8 bytes, holding every character TEXT
/// escapes. Each line is at most 75 octets and ends in CRLF, and a reader unfolds and unescapes them
/// into the text as recorded.
#[test]
fn long_and_escaped_text_folds_and_reads_back() {
    let mut fx = fresh();
    let title = "Société générale, « Bouygues » ; d\\autres — ".repeat(3);
    let subject = format!("Réponse € 𝄞; due, {}", "très longue ".repeat(12));
    dossier_core::record::case::create(
        &mut fx.store,
        &dossier_core::record::case::CaseInput {
            slug: "long".into(),
            title: title.trim().into(),
            ..Default::default()
        },
    )
    .expect("case");
    org(&mut fx.store, "A");
    letter_with(
        &mut fx.store,
        LetterInput { deadline: "2023-06-07".into(), ..letter_input("long", "A", &[], subject.trim(), "2023-05-01") },
    );
    let text = export::ics(fx.store.reader(), "long").expect("ics");
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains(['\r', '\n']), "CRLF only");
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    assert!(lines.iter().all(|l| l.len() <= 75), "{lines:#?}");
    assert!(lines.iter().filter(|l| l.starts_with(' ')).count() > 6, "folded: {lines:#?}");
    assert!(lines.iter().all(|l| !l.starts_with("  ")), "no fold just before a space");
    assert!(text.contains("\\;") && text.contains("\\,") && text.contains("\\\\"), "{text}");

    let unfolded = icalendar::parser::unfold(&text);
    let calendar: icalendar::Calendar =
        icalendar::parser::read_calendar(&unfolded).unwrap_or_else(|e| panic!("{e}\n{text}")).into();
    use icalendar::Component;
    let event = calendar.events().next().expect("one event");
    assert_eq!(event.get_summary(), Some(format!("Reply due: {}", subject.trim()).as_str()));
    let description = event.get_description().expect("description");
    assert!(description.ends_with(&format!("\nCase: {}", title.trim())), "{description}");
}
