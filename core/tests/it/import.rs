//! Imports at the public boundary: a chronology saved from a spreadsheet becomes events in timeline
//! order, e-mails become letters with their parties, threads and attachments, and anything refused
//! leaves every table as it was. The fixtures are in `tests/fixtures/` at the workspace root.

use crate::common::*;
use dossier_core::record::event::EventInput;
use dossier_core::record::party::{self, PartyInput};
use dossier_core::record::{event, evidence, letter, role};
use dossier_core::transfer::export;
use dossier_core::transfer::import::{self, ImportReport};
use dossier_core::view::timeline::{self, Filter};
use dossier_core::{demo, Error, Store};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read fixture {}: {e}", path.display()))
}

/// Digests of the fixture's attachments, computed outside Rust with `sha256sum` on the decoded files.
const MINUTES_SHA256: &str = "dffffaf2f2d94b7b0081daca972d04572898bb1061a18b237b46f882f369f2d6";
const USAGE_SHA256: &str = "c6e95cc7ec6060114ae2cc5527c55edc23630ef587636e7eb22e63dd12bd4c21";

/// A case "c" with Twitter (alias "X Corp.") and Microsoft (alias its legal department's address).
fn setup() -> Fixture {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    for (name, alias) in [("Twitter", "X Corp."), ("Microsoft", "legal@microsoft.example")] {
        party::create(
            &mut fx.store,
            &PartyInput {
                name: name.into(),
                kind: "organisation".into(),
                aliases: vec![alias.into()],
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("create {name}: {e}"));
    }
    fx
}

fn titles_in_timeline(store: &Store, case: &str) -> Vec<String> {
    timeline::all(store.reader(), case, &Filter::default()).expect("timeline").into_iter().map(|e| e.title).collect()
}

fn import_eml(store: &mut Store, name: &str) -> ImportReport {
    import::eml(store, "c", &fixture(name), name).unwrap_or_else(|e| panic!("import {name}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// CSV

/// Guards: a chronology saved by LibreOffice (`;`, BOM, French headers, cells with line breaks, fuzzy
/// dates, CRLF) becomes the right events, placed in timeline order.
#[test]
fn libreoffice_chronology_becomes_events_in_order() {
    let mut fx = setup();
    let report = import::csv_chronology(&mut fx.store, "c", &fixture("chronology-libreoffice.csv")).expect("import");
    assert_eq!(report.events, 6);
    assert_eq!(report.created.len(), 6);
    assert_eq!((report.letters, report.evidence), (0, 0));
    assert!(report.messages.iter().any(|m| m == "skipped 1 empty row"), "{:?}", report.messages);
    assert_eq!(
        titles_in_timeline(&fx.store, "c"),
        [
            "Période de négociation",
            "Fin de l'API gratuite",
            "Twitter annonce les prix de l'API ; niveau de base à 100 $",
            "La presse rapporte la lettre de Twitter",
            "Microsoft retire Twitter de sa plateforme publicitaire",
            "Réponse de Microsoft attendue",
        ]
    );
    let events = event::list(fx.store.reader(), "c").expect("events");
    let by_title = |t: &str| events.iter().find(|e| e.title == t).unwrap_or_else(|| panic!("event {t}"));
    let prices = by_title("Twitter annonce les prix de l'API ; niveau de base à 100 $");
    assert_eq!(prices.date, "2023-03");
    assert_eq!(prices.description, "« L'API de base coûterait 100 dollars par mois. »\nSource : article, ¶ 5");
    assert_eq!(prices.tags, ["api"]);
    let ads = by_title("Microsoft retire Twitter de sa plateforme publicitaire");
    assert_eq!(ads.date, "~2023-04");
    let names: Vec<&str> = ads.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Microsoft", "Twitter"], "a line break separates parties; an alias finds its party");
    let free = by_title("Fin de l'API gratuite");
    assert_eq!(free.tags, ["api", "tarifs"], "tags split at commas");
    let reply = by_title("Réponse de Microsoft attendue");
    assert_eq!(reply.date, "<2023-06-07");
    assert_eq!(reply.parties.len(), 2, "'|' separates parties");
    assert_eq!(by_title("Période de négociation").description, "Ligne 1\n\nLigne 3");
    assert_eq!(by_title("La presse rapporte la lettre de Twitter").position, -1);
    fx.store.verify_change_log().expect("change log");
}

/// Guards: one bad date refuses the whole file, naming the row as a spreadsheet numbers it, the
/// column and the value; nothing is written.
#[test]
fn bad_date_refuses_the_file() {
    let mut fx = setup();
    let before = log_len(&fx.store);
    let err = refused(&mut fx.store, |s| import::csv_chronology(s, "c", &fixture("chronology-bad-date.csv")));
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.to_string(), "csv: row 3, column 'date': date '2023-02-30' does not exist");
    assert_eq!(log_len(&fx.store), before);
    assert_eq!(count(&fx.store, "SELECT count(*) FROM event"), 0);
}

#[test]
fn csv_refusals_name_what_is_wrong() {
    let mut fx = setup();
    let cases: &[(&[u8], &[&str])] = &[
        (b"", &["csv: the file is empty"]),
        (b"\xEF\xBB\xBF\r\n", &["the file is empty"]),
        (b"date,title\r\n", &["header but no rows"]),
        (b"quand;quoi;qui\n2023;x;y\n", &["no party 'y'", "row 2, column 'qui'", "--create-parties"]),
        (
            b"Date,Description\n2023,x\n",
            &["no 'title' column", "titre", "the first line has 2 columns, 2 of them recognised (date, description)"],
        ),
        (b"title,notes\nx,y\n", &["no 'date' column", "quand", "recognised (title, description)"]),
        (b"date,title\n2023,\n", &["row 2, column 'title': is empty"]),
        (b"date,title\n,x\n", &["row 2, column 'date': is empty"]),
        (b"date,title,position\n2023,x,first\n", &["row 2, column 'position': 'first' is not a whole number"]),
        (b"date,title\n2023,x,extra\n", &["row 2 has a value in column 3"]),
        (b"date,title,date\n2023,x,2024\n", &["columns 'date' and 'date' both give the date"]),
        (b"date,title,kind\n2023,x,memo\n", &["row 2, column 'kind': 'memo' is not a timeline kind"]),
        (b"date,title\n2023-13,x\n", &["row 2, column 'date': month '2023-13' does not exist"]),
        (b"date,title\n2023,\"a\"\n2023,b\xff\n", &["row 3, column 2: is not UTF-8"]),
    ];
    for (text, parts) in cases {
        let err = refused(&mut fx.store, |s| import::csv_chronology(s, "c", text));
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{:?}: {err}", String::from_utf8_lossy(text));
        says(&err, parts);
    }
    let err = refused(&mut fx.store, |s| import::csv_chronology(s, "nope", b"date,title\n2023,x\n"));
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn a_chronology_naming_new_parties_creates_them_when_asked_and_says_which() {
    let mut fx = setup();
    let csv = "date;title;parties\n2011;Founding;\"Twitter; Newco Ltd\"\n2012-03;Merger talks;Newco Ltd | Other Corp\n";
    let refused_file = refused(&mut fx.store, |s| import::csv_chronology(s, "c", csv.as_bytes()));
    assert!(refused_file.to_string().contains("no party 'Newco Ltd'"), "{refused_file}");
    let parties_before = count(&fx.store, "SELECT count(*) FROM party");

    let report = import::csv_chronology_with(&mut fx.store, "c", csv.as_bytes(), true).expect("import");
    assert_eq!(report.events, 2);
    let said = report.messages.join(" | ");
    assert!(
        said.contains("created 2 parties (as organisations; change their kind if need be): Newco Ltd, Other Corp"),
        "{said}"
    );
    assert_eq!(count(&fx.store, "SELECT count(*) FROM party"), parties_before + 2, "each new name once");
    let newco = party::get(fx.store.reader(), "Newco Ltd").expect("created");
    assert_eq!(newco.kind.as_str(), "organisation");
    let events = event::list(fx.store.reader(), "c").unwrap();
    assert_eq!(events[0].parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Newco Ltd", "Twitter"]);
    let check = checked(&fx.db_path());
    assert!(check.problems.is_empty(), "check after the import: {:?}", messages(&check));

    // A bad row later in the file leaves no party behind either.
    let bad = "date;title;parties\n2013;Fine;Brand New Party\n2013-02-30;Bad date;Twitter\n";
    let before = log_len(&fx.store);
    let e = refused(&mut fx.store, |s| import::csv_chronology_with(s, "c", bad.as_bytes(), true));
    assert!(e.to_string().contains("row 3"), "{e}");
    assert_eq!(log_len(&fx.store), before);
    assert!(party::get(fx.store.reader(), "Brand New Party").is_err());
}

#[test]
fn csv_headers_in_english_with_commas() {
    let mut fx = setup();
    let text = "\u{feff}When,What,Who,Tags,Notes,Colour\n\"2023-05-18T14:30+02:00\",\"Call, then e-mail\",\"Twitter; Microsoft\",,\"Said \"\"no\"\"\",red\n";
    let report = import::csv_chronology(&mut fx.store, "c", text.as_bytes()).expect("import");
    assert!(report.messages.iter().any(|m| m == "ignored column: Colour"), "{:?}", report.messages);
    let e = event::get(fx.store.reader(), &report.created[0]).expect("event");
    assert_eq!(
        (e.title.as_str(), e.date.as_str(), e.description.as_str()),
        ("Call, then e-mail", "2023-05-18T14:30+02:00", "Said \"no\"")
    );
    assert_eq!(e.parties.len(), 2);
}

/// Guards: the CSV export reads back as a chronology: events return with their dates, titles (a
/// neutralised formula included) and parties; the other kinds are skipped and counted.
#[test]
fn exported_csv_imports_back() {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    event_with(
        &mut fx.store,
        EventInput {
            case: "twitter-v-microsoft".into(),
            title: "=1+1, \"quoted\"".into(),
            date: "2023-05".into(),
            ..Default::default()
        },
    );
    let bytes = export::csv(fx.store.reader(), "twitter-v-microsoft").expect("export");
    case(&mut fx.store, "copy");
    let report = import::csv_chronology(&mut fx.store, "copy", &bytes).expect("import");
    let original = event::list(fx.store.reader(), "twitter-v-microsoft").expect("events");
    let copy = event::list(fx.store.reader(), "copy").expect("events");
    assert_eq!(report.events, original.len());
    let view = |list: &[dossier_core::record::event::Event]| -> Vec<(String, String, Vec<String>)> {
        list.iter()
            .map(|e| (e.date.clone(), e.title.clone(), e.parties.iter().map(|p| p.name.clone()).collect()))
            .collect()
    };
    assert_eq!(view(&copy), view(&original));
    assert!(copy.iter().any(|e| e.title == "=1+1, \"quoted\""), "the formula guard is undone");
    let skipped = report
        .messages
        .iter()
        .find(|m| m.starts_with("skipped 10 rows that are not events"))
        .unwrap_or_else(|| panic!("{:?}", report.messages));
    assert!(
        skipped.contains("letter: 2") && skipped.contains("allegation: 4") && skipped.contains("status_change: 3"),
        "{skipped}"
    );
    assert!(
        report.messages.iter().any(|m| m.contains("date_text") && m.contains("record_id")),
        "{:?}",
        report.messages
    );
}

// ---------------------------------------------------------------------------------------------
// E-mail

/// Guards: an e-mail becomes a letter with its sender, recipients, date, subject and plain-text body,
/// and each attachment becomes hashed evidence linked to it.
#[test]
fn email_with_attachments_becomes_a_letter_with_evidence() {
    let mut fx = setup();
    let report = import_eml(&mut fx.store, "letter-with-attachments.eml");
    assert_eq!((report.letters, report.evidence, report.events), (1, 3, 0), "two attachments and the message itself");
    let letters = letter::list(fx.store.reader(), "c").expect("letters");
    assert_eq!(letters.len(), 1);
    let l = &letters[0];
    assert_eq!(l.channel, "email");
    assert_eq!(l.sender.name, "Jane Roe", "an unknown sender becomes a person");
    assert_eq!(l.to.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Microsoft"], "found by the address alias");
    assert_eq!(
        l.cc.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Twitter <press@twitter.example>"],
        "a display name alone does not pick the party Twitter"
    );
    assert_eq!(l.date, "2023-04-20T09:15+02:00");
    assert_eq!(l.subject, "Utilisation des données de Twitter");
    assert_eq!(l.message_id.as_deref(), Some("20230420091500.4711@mail.twitter.example"));
    assert!(l.body.starts_with("Dear Sir or Madam,\n\nWe write about Microsoft's use"), "{:?}", l.body);
    assert!(l.body.contains("(Utilisation des données)"), "quoted-printable decoded");
    assert!(!l.body.contains("HTML VERSION"), "the plain-text part is preferred");
    assert!(!l.body.contains('\r'));

    let jane = party::get(fx.store.reader(), "Jane Roe").expect("Jane Roe");
    assert_eq!(
        (jane.kind.as_str(), jane.aliases.as_slice()),
        ("person", &["jane.roe@twitter.example".to_string()][..])
    );
    assert!(role::roles(fx.store.reader(), "c")
        .expect("roles")
        .iter()
        .any(|r| r.party_id == jane.id && r.role == "other"));
    assert!(
        report.messages.iter().any(|m| m.contains("'Jane Roe' <jane.roe@twitter.example>")),
        "{:?}",
        report.messages
    );
    assert_eq!(report.created[0], jane.id);
    assert!(report.created.contains(&l.id));

    let files = evidence::list(fx.store.reader(), "c").expect("evidence");
    let find = |name: &str| {
        files.iter().find(|e| e.original_name.as_deref() == Some(name)).unwrap_or_else(|| panic!("evidence {name}"))
    };
    let minutes = find("minutes-2023-04-03.txt");
    assert_eq!(minutes.sha256.as_deref(), Some(MINUTES_SHA256));
    assert_eq!(minutes.size, Some(119));
    assert_eq!(minutes.media_type.as_deref(), Some("text/plain"));
    let usage = find("usage-report.csv");
    assert_eq!(usage.sha256.as_deref(), Some(USAGE_SHA256), "the path in the name is dropped");
    assert!(report
        .messages
        .iter()
        .any(|m| m == "attachment '../../private/usage-report.csv' kept as 'usage-report.csv'"));
    for e in [minutes, usage] {
        assert_eq!(e.links.len(), 1);
        assert_eq!(
            (e.links[0].record_id.as_str(), e.links[0].note.as_str(), e.links[0].pinpoint.as_str()),
            (l.id.as_str(), "attachment", "")
        );
        let blob = stored_file(&fx.store, e.sha256.as_deref().expect("digest"));
        assert!(blob.is_file(), "blob stored at {}", blob.display());
    }
    fx.store.verify_change_log().expect("change log");
}

/// Guards: a reply lands under the letter it answers, found by Message-ID.
#[test]
fn reply_lands_under_the_message_it_answers() {
    let mut fx = setup();
    import_eml(&mut fx.store, "thread-1.eml");
    let report = import_eml(&mut fx.store, "thread-2.eml");
    assert!(
        report.messages.iter().any(|m| m.contains("threaded as a reply to <first@twitter.example>")),
        "{:?}",
        report.messages
    );
    let threads = letter::threads(fx.store.reader(), "c").expect("threads");
    let shape: Vec<(u32, &str)> = threads.iter().map(|t| (t.depth, t.letter.subject.as_str())).collect();
    assert_eq!(shape, [(0, "API fees"), (1, "Re: API fees")]);
    assert_eq!(threads[1].letter.in_reply_to.as_deref(), Some(threads[0].letter.id.as_str()));
    assert_eq!(threads[1].letter.date, "2023-04-04T16:30-07:00");
    assert_eq!(threads[0].letter.date, "2023-04-03T10:00Z");
    assert_eq!(threads[1].letter.sender.name, "Microsoft", "the address alias names the sender");
    assert_eq!(
        threads[0].letter.sender.name, "Twitter <legal@twitter.example>",
        "an address no party has is a new party, whatever its display name"
    );
}

/// Guards: a reply imported before the message it answers is imported, and says so.
#[test]
fn reply_without_its_parent_says_so() {
    let mut fx = setup();
    let report = import_eml(&mut fx.store, "thread-2.eml");
    assert!(
        report.messages.iter().any(|m| m.contains("answers <first@twitter.example>, which is not in this case")),
        "{:?}",
        report.messages
    );
    assert_eq!(letter::list(fx.store.reader(), "c").expect("letters")[0].in_reply_to, None);
}

/// Guards: an HTML-only e-mail keeps its text and loses its scripts.
#[test]
fn html_only_email_body_has_no_script() {
    let mut fx = setup();
    let report = import_eml(&mut fx.store, "html-only.eml");
    assert!(report.messages.iter().any(|m| m.contains("HTML was converted to text")));
    let l = &letter::list(fx.store.reader(), "c").expect("letters")[0];
    assert!(l.body.contains("Microsoft will **review** Twitter's allegations."), "{:?}", l.body);
    assert!(l.body.contains("https://news.microsoft.example/statement"), "web links kept: {:?}", l.body);
    let lower = l.body.to_lowercase();
    for bad in ["<", "script", "alert", "evil", "onerror", "javascript", "color: red"] {
        assert!(!lower.contains(bad), "{bad:?} in body {:?}", l.body);
    }
    assert_eq!(l.subject, "Statement to Reuters");
    assert_eq!(l.to[0].name, "Reuters");
}

/// Guards: the same e-mail imported twice is a conflict naming its Message-ID, and writes nothing.
#[test]
fn reimporting_an_email_is_a_conflict() {
    let mut fx = setup();
    import_eml(&mut fx.store, "letter-with-attachments.eml");
    let bytes = fixture("letter-with-attachments.eml");
    let err = refused(&mut fx.store, |s| import::eml(s, "c", &bytes, "copy.eml"));
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    says(&err, &["<20230420091500.4711@mail.twitter.example>", "already in the case", "'copy.eml'"]);
    // The same message in another case is another record.
    case(&mut fx.store, "other");
    import::eml(&mut fx.store, "other", &bytes, "copy.eml").expect("import into another case");
}

/// Guards: something that is not an e-mail is refused, naming the file, and writes nothing.
#[test]
fn garbage_is_not_an_email() {
    let mut fx = setup();
    let err =
        refused(&mut fx.store, |s| import::eml(s, "c", &fixture("not-an-email.eml"), "/home/me/not-an-email.eml"));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "eml"), "{err:?}");
    says(&err, &["'not-an-email.eml' is not an e-mail message"]);
    for (bytes, name) in [
        (&b""[..], "empty.eml"),
        (&[0u8, 159, 146, 150, 255, 0, 1][..], "binary.eml"),
        (b"Subject: hi\r\n\r\nno sender\r\n", "nofrom.eml"),
    ] {
        let err = refused(&mut fx.store, |s| import::eml(s, "c", bytes, name));
        assert!(matches!(&err, Error::Invalid { field, .. } if field == "eml"), "{name}: {err:?}");
        says(&err, &[name]);
    }
}

#[test]
fn email_without_date_or_too_large_is_refused() {
    let mut fx = setup();
    let undated = b"From: Someone <someone@example.org>\r\nSubject: undated\r\n\r\nHello\r\n";
    let err = refused(&mut fx.store, |s| import::eml(s, "c", undated, "undated.eml"));
    says(&err, &["eml: 'undated.eml' has no readable Date header"]);
    let huge = vec![b'a'; import::MAX_FILE_BYTES + 1];
    let err = refused(&mut fx.store, |s| import::eml(s, "c", &huge, "huge.eml"));
    says(&err, &["'huge.eml' is 51 MiB", "over 50 MiB"]);
}

/// A file over an import's limit is refused before it is read, with the limit in MiB as the value the
/// app words ("larger than 50 MiB", not the KiB of a field too long).
#[test]
fn a_file_over_the_limit_is_refused_naming_the_limit_in_mib() {
    let mut fx = setup();
    let path = fx.dir.path().join("huge.csv");
    std::fs::File::create(&path).expect("file").set_len((50 << 20) + 1).expect("sparse size");
    let request = dossier_core::transfer::ImportRequest { path, case: "c".into(), ..Default::default() };
    let err = refused(&mut fx.store, |s| dossier_core::transfer::import(s, &request));
    assert_eq!(err.key(), Some(("file_too_large", Some("50".to_string()))), "{err}");
    says(&err, &["huge.csv", "50 MiB"]);
}

/// Guards: a message without Message-ID or subject still imports, with a warning about duplicates.
#[test]
fn email_without_message_id_or_subject() {
    let mut fx = setup();
    let raw = b"From: legal@microsoft.example\r\nTo: X Corp.  <x@x.example>\r\nDate: Fri, 21 Apr 2023 07:05:09 +0000\r\n\r\nNo subject here.\r\n";
    let report = import::eml(&mut fx.store, "c", raw, "bare.eml").expect("import");
    assert!(report.messages.iter().any(|m| m.contains("has no Message-ID")));
    let l = &letter::list(fx.store.reader(), "c").expect("letters")[0];
    assert_eq!(
        (l.subject.as_str(), l.date.as_str(), l.message_id.as_deref()),
        ("(no subject)", "2023-04-21T07:05:09Z", None)
    );
    assert_eq!(l.sender.name, "Microsoft");
    assert_eq!(l.to[0].name, "X Corp. <x@x.example>", "a display name that is an alias does not pick the party");
}
