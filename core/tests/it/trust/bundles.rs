//! L1, L8: what an e-mail and a bundle bring in and carry out.

use dossier_core::lookalike;
use dossier_core::record::event;
use dossier_core::record::letter::{self, Letter};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::transfer::export::ReportOptions;
use dossier_core::transfer::import::{self, ImportReport};
use dossier_core::transfer::{self, bundle};
use dossier_core::view::history;
use dossier_core::Store;

use crate::common::*;

/// The review's e-mail: "Microsoft" and an address that is not Microsoft's, with `name` as the
/// display name.
fn spoof(name: &str, address: &str) -> String {
    format!(
        "Message-ID: <{address}>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: \"{name}\" <{address}>\n\
         To: legal@twitter.example\nSubject: We admit everything again\nContent-Type: text/plain; charset=utf-8\n\n\
         We admit it.\n"
    )
}

/// Imports `mail` into the demo's Twitter v. Microsoft case: the report and the letter it made.
fn import_spoof(store: &mut Store, mail: &str) -> (ImportReport, Letter) {
    let report = import::eml(store, "twitter-v-microsoft", mail.as_bytes(), "zw.eml").expect("import");
    let letter = report.created.iter().find_map(|id| letter::get(store.reader(), id).ok()).expect("the letter");
    (report, letter)
}

fn demo() -> Fixture {
    let mut fx = fresh();
    dossier_core::demo::load(&mut fx.store).expect("demo");
    fx
}

/// L1: a zero-width space after "Microsoft" is removed, and the sender gets the "name taken" warning.
#[test]
fn l1_an_invisible_character_in_a_display_name_does_not_hide_the_warning() {
    let mut fx = demo();
    let (report, letter) = import_spoof(&mut fx.store, &spoof("Microsoft\u{200b}", "attacker2@evil.example"));
    assert_eq!(letter.sender.name, "Microsoft <attacker2@evil.example>", "not a second 'Microsoft'");
    assert_eq!(letter.addresses[0].name, "Microsoft", "the zero-width space is not kept");
    assert!(
        report.messages.iter().any(|m| m.contains("'Microsoft' is the name of a party, but not one with the address")),
        "{:?}",
        report.messages
    );
    for invisible in ['\u{00ad}', '\u{2060}', '\u{feff}', '\u{200e}', '\u{202e}'] {
        let address = format!("x{:x}@evil.example", invisible as u32);
        let (_, letter) = import_spoof(&mut fx.store, &spoof(&format!("Micro{invisible}soft"), &address));
        assert_eq!(letter.sender.name, format!("Microsoft <{address}>"), "U+{:04X}", invisible as u32);
    }
}

/// L1: a Cyrillic capital М for the Latin M is named with its address and reported as a look-alike.
#[test]
fn l1_a_cyrillic_look_alike_display_name_is_named_with_its_address() {
    let mut fx = demo();
    let (report, letter) = import_spoof(&mut fx.store, &spoof("\u{41c}icrosoft", "attacker3@evil.example"));
    assert_eq!(letter.sender.name, "\u{41c}icrosoft <attacker3@evil.example>");
    assert!(
        report.messages.iter().any(|m| m.contains(
            "looks like 'Microsoft', the name of a party, but not one with the address <attacker3@evil.example>"
        )),
        "{:?}",
        report.messages
    );
    // An alias counts as much as a name: the Greek capital Χ looks like the X of "X Corp.".
    let twitter = party::get(fx.store.reader(), "Twitter").expect("Twitter");
    let mut input = twitter.to_input();
    input.aliases.push("X Corp.".into());
    party::update(&mut fx.store, &twitter.id, &input).expect("alias");
    let (report, letter) = import_spoof(&mut fx.store, &spoof("\u{3a7} CORP.", "x@evil.example"));
    assert_eq!(letter.sender.name, "\u{3a7} CORP. <x@evil.example>");
    assert!(report.messages.iter().any(|m| m.contains("an alias of the party 'Twitter'")), "{:?}", report.messages);
    // A name that only resembles nothing is kept as it is.
    let (_, letter) = import_spoof(&mut fx.store, &spoof("Jane Whistle", "jane@example.org"));
    assert_eq!(letter.sender.name, "Jane Whistle");
}

/// L1: what looks alike and what does not, data-driven.
#[test]
fn l1_names_are_compared_as_they_look() {
    let check = |a: &str, b: &str, expect: bool| assert_eq!(lookalike::alike(a, b), expect, "{a:?} and {b:?}");
    check("Microsoft", "Microsoft\u{200b}", true);
    check("Microsoft", "Micro\u{ad}soft", true);
    check("Microsoft", "\u{41c}icrosoft", true); // Cyrillic capital М
    check("Microsoft", "MICR\u{41e}SOFT", true); // Cyrillic capital О, other case
    check("Microsoft", "\u{43c}ICROSOFT", true); // Cyrillic small м, whose capital looks like M
    check("Microsoft", "\u{ff2d}\u{ff49}\u{ff43}\u{ff52}\u{ff4f}\u{ff53}\u{ff4f}\u{ff46}\u{ff54}", true); // full width
    check("Microsoft", "rnicrosoft", true);
    check("Paypal", "PaypaI", true); // capital I for l
    check("Twitter", "Tw\u{456}tter", true); // Ukrainian і
    check("Microsoft", "Microsoft  ", true);
    check("Ian", "Lan", false);
    check("Microsoft", "Microsoft Ireland", false);
    check("Twitter", "Twitch", false);
    check("", "", false);
}

fn refused(store: &mut Store, input: PartyInput) -> dossier_core::Error {
    party::create(store, &input).expect_err("refused")
}

/// L1: a name or alias typed for a party that looks like another's is refused, naming that party; an
/// invisible character in it is refused, naming its code point.
#[test]
fn l1_a_typed_look_alike_name_or_alias_is_refused() {
    let mut fx = demo();
    let person = |name: &str, aliases: &[&str]| PartyInput {
        name: name.into(),
        kind: "person".into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ..Default::default()
    };
    let err = refused(&mut fx.store, person("Microsoft\u{200b}", &[]));
    assert_eq!((err.code(), err.key()), (ErrorCode::InvalidInput, Some(("format_character", Some("U+200B".into())))));
    assert_eq!(err.to_string(), "name: 'Microsoft' holds the invisible format character U+200B");
    let err = refused(&mut fx.store, person("Someone", &["Jane\u{2060}"]));
    assert_eq!(err.key(), Some(("format_character", Some("U+2060".into()))));

    let ms = party::get(fx.store.reader(), "Microsoft").expect("Microsoft");
    let err = refused(&mut fx.store, person("\u{41c}icrosoft", &[]));
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        format!(
            "name: the name '\u{41c}icrosoft' looks like the name of the party 'Microsoft' ({}): choose a name that cannot be taken for it",
            ms.id
        )
    );
    let err = refused(&mut fx.store, person("Evil Corp", &["MICR\u{41e}SOFT"]));
    assert!(
        err.to_string().starts_with("alias: the alias 'MICR\u{41e}SOFT' looks like the name of the party 'Microsoft'"),
        "{err}"
    );

    // Editing a party checks the same, and a party never looks like itself.
    let jane = party::create(&mut fx.store, &person("Jane Whistle", &["jw@example.org"])).expect("Jane");
    let mut input = jane.to_input();
    input.description = "A source.".into();
    party::update(&mut fx.store, &jane.id, &input).expect("an edit keeping its own name");
    input.aliases.push("rnicrosoft".into());
    let err = party::update(&mut fx.store, &jane.id, &input).expect_err("a look-alike alias");
    assert!(err.to_string().contains("looks like the name of the party 'Microsoft'"), "{err}");
    let err = refused(&mut fx.store, person("Someone", &["jw@exarnple.org"]));
    assert!(err.to_string().contains("looks like the alias 'jw@example.org' of the party 'Jane Whistle'"), "{err}");
    party::create(&mut fx.store, &person("Ian Smith", &[])).expect("Ian");
    party::create(&mut fx.store, &person("Lan Smith", &[])).expect("Lan is not Ian");
}

/// The review's L8 case: an event whose first title named a source's home phone, then edited.
fn redacted() -> Fixture {
    let mut fx = fresh();
    fx.store.set_actor("cli");
    case(&mut fx.store, "redact");
    let ev = event(&mut fx.store, "redact", "Call with Jane Whistle (source), home phone 555-0199", "2023-01-01");
    let mut input = ev.to_input();
    input.title = "Call with a source".into();
    event::update(&mut fx.store, &ev.id, &input).expect("edit");
    fx
}

fn json_export(store: &Store, options: &ReportOptions) -> String {
    let bytes = transfer::export_bytes(store, "redact", "json", "en", options).expect("export");
    String::from_utf8(bytes).expect("UTF-8")
}

fn actors(json: &str) -> Vec<String> {
    let bundle: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let history = bundle["history"].as_array().cloned().unwrap_or_default();
    history.iter().filter_map(|h| h["actor"].as_str().map(String::from)).collect()
}

/// L8: a bundle exported as a person hands it over carries the records as they are, not their
/// earlier versions nor who wrote them.
#[test]
fn l8_a_bundle_carries_no_history_unless_asked() {
    let fx = redacted();
    let handed_over = json_export(&fx.store, &ReportOptions::default());
    assert_eq!(handed_over.matches("555-0199").count(), 0, "the removed phone number stays behind");
    assert!(handed_over.contains("Call with a source"));
    assert!(!handed_over.contains("\"history\""), "no history entries");
    assert!(actors(&handed_over).is_empty());

    let with_history = json_export(&fx.store, &ReportOptions { with_history: true, ..Default::default() });
    assert_eq!(with_history.matches("555-0199").count(), 1, "the earlier version, when asked for");
    let names = actors(&with_history);
    assert!(!names.is_empty() && names.iter().all(|a| a == "cli"), "the front end only: {names:?}");

    let with_actors =
        json_export(&fx.store, &ReportOptions { with_history: true, with_actors: true, ..Default::default() });
    assert!(actors(&with_actors).iter().all(|a| a.starts_with("cli (")), "{:?}", actors(&with_actors));
    // Actors without the history carry nothing: there is no entry to name them in.
    let actors_only = json_export(&fx.store, &ReportOptions { with_actors: true, ..Default::default() });
    assert_eq!(actors_only, handed_over);
}

/// L8: both kinds of bundle import into a fresh database; only the one with history brings the
/// earlier version along.
#[test]
fn l8_bundles_with_and_without_history_round_trip() {
    let fx = redacted();
    for (options, old_title_kept) in
        [(ReportOptions::default(), false), (ReportOptions { with_history: true, ..Default::default() }, true)]
    {
        let json = json_export(&fx.store, &options);
        let mut other = fresh();
        bundle::import_json(&mut other.store, &json, None, bundle::Mode::Refuse).expect("import");
        let events = event::list(other.store.reader(), "redact").expect("events");
        assert_eq!(events.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["Call with a source"]);
        let steps = history::steps(other.store.reader(), &events[0].id).expect("history");
        let seen = steps.iter().any(|s| s.image.as_ref().is_some_and(|i| i.to_json().to_string().contains("555-0199")));
        assert_eq!(seen, old_title_kept, "with history: {}", options.with_history);
    }
}
