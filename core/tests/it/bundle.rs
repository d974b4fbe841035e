//! The JSON bundle at the public boundary: a whole case exported losslessly and deterministically,
//! imported back with every id and timestamp, and refused whole (nothing written) when anything in it
//! is wrong.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::record::{allegation, case, event, evidence, letter, role};
use dossier_core::transfer::bundle::{self, BundleImport, Mode};
use dossier_core::view::search;
use dossier_core::{demo, Error, Store};
use serde_json::{json, Value};

const TWITTER: &str = "twitter-v-microsoft";
const GETTY: &str = "getty-v-stability-ai";
/// SHA-256 of assets/demo/twitter-microsoft-article-fr.txt, computed with `sha256sum`.
const ARTICLE_SHA256: &str = "196b5b06a2f29a6edcf5dbd5105ac2a25fdecd2737fd36c5ddbb1d7153171ca1";

/// A store holding both demo cases.
fn demo_store() -> Fixture {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("load the demo cases");
    fx
}

/// Exports `slug` with its files into a new folder under the fixture; returns (bundle JSON, files folder).
fn export_folder(fx: &Fixture, slug: &str) -> (String, PathBuf) {
    let dir = fx.dir.path().join(format!("export-{slug}"));
    let path = bundle::export_with_files(&fx.store, slug, &dir, bundle::Contents::ALL)
        .unwrap_or_else(|e| panic!("export {slug}: {e}"));
    assert_eq!(path, dir.join("bundle.json"));
    let json = std::fs::read_to_string(&path).expect("read bundle.json");
    (json, dir.join("files"))
}

fn import(store: &mut Store, json: &str, files: Option<&Path>, mode: Mode) -> BundleImport {
    bundle::import_json(store, json, files, mode).unwrap_or_else(|e| panic!("import: {e}"))
}

/// The bundle without its anchor line: the head of the exporting database, which every write anywhere
/// in it moves (what a bundle says of its records does not change with it).
fn records_of(json: &str) -> String {
    json.lines().filter(|l| !l.starts_with("  \"anchor\": ")).collect::<Vec<_>>().join("\n")
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).expect("the bundle is JSON")
}

fn to_text(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("serialize")
}

/// The module views of a case, as JSON: what a user sees of it, timestamps included. Status entries'
/// row numbers are left out: they are local to a database, and a bundle keeps their order instead.
fn views(store: &Store, slug: &str) -> Value {
    let conn = store.reader();
    let mut allegations = serde_json::to_value(allegation::list(conn, slug).expect("allegations")).expect("serialize");
    for a in allegations.as_array_mut().expect("a list") {
        for entry in a["history"].as_array_mut().expect("history") {
            entry.as_object_mut().expect("an entry").remove("id");
        }
    }
    json!({
        "case": case::get(conn, slug).expect("case"),
        "roles": role::roles(conn, slug).expect("roles"),
        "letters": letter::list(conn, slug).expect("letters"),
        "events": event::list(conn, slug).expect("events"),
        "allegations": allegations,
        "evidence": evidence::list(conn, slug).expect("evidence"),
    })
}

/// Guards the round-trip promise: export → import into an empty store → export gives the same bytes,
/// for both demo cases, and the imported case reads exactly as the original.
#[test]
fn round_trip_is_byte_identical() {
    let source = demo_store();
    for slug in [TWITTER, GETTY] {
        let (json, files) = export_folder(&source, slug);
        assert!(json.ends_with("}\n"), "{slug}: the bundle ends with a newline");
        let mut target = fresh();
        let report = import(&mut target.store, &json, Some(&files), Mode::Refuse);
        assert_eq!(report.case_slug, slug);
        assert!(report.created > 0, "{slug}: records were created");
        let again =
            bundle::export_json(target.store.reader(), slug, bundle::Contents::ALL).expect("export the imported case");
        assert!(records_of(&again) == records_of(&json), "{slug}: the re-exported bundle differs from the original");
        assert!(again != json, "{slug}: the anchor is the importing database's own");
        assert_eq!(views(&target.store, slug), views(&source.store, slug), "{slug}: the imported case reads the same");
        assert_eq!(log_len(&target.store), 1, "{slug}: an import is one change");
        target.store.verify_change_log().expect("the change log verifies");
        if slug == TWITTER {
            let blob = stored_file(&target.store, ARTICLE_SHA256);
            assert_eq!(
                std::fs::read(&blob).expect("the article is in the new store"),
                std::fs::read(stored_file(&source.store, ARTICLE_SHA256)).expect("the article in the old store"),
            );
            // The search index is filled in the same change.
            let hits = search::search(target.store.reader(), "redevance", Some(slug), 10).expect("search");
            assert!(!hits.is_empty(), "the imported case is searchable");
        }
    }
}

/// Guards determinism: two exports of the same record are identical, whatever happens elsewhere.
#[test]
fn export_is_deterministic() {
    let mut fx = demo_store();
    let first = bundle::export_json(fx.store.reader(), TWITTER, bundle::Contents::ALL).expect("export");
    case(&mut fx.store, "unrelated");
    let second = bundle::export_json(fx.store.reader(), TWITTER, bundle::Contents::ALL).expect("export again");
    assert!(records_of(&first) == records_of(&second), "an unrelated change altered the bundle's records");
    let by_id = bundle::export_json(
        fx.store.reader(),
        &case::get(fx.store.reader(), TWITTER).expect("case").id,
        bundle::Contents::ALL,
    )
    .expect("by id");
    assert!(second == by_id, "exporting by id and by slug give the same bundle");
}

/// Guards that the bundle holds what a user expects of Twitter v. Microsoft.
#[test]
fn export_holds_the_whole_case() {
    let fx = demo_store();
    let b = parse(&bundle::export_json(fx.store.reader(), TWITTER, bundle::Contents::ALL).expect("export"));
    let keys: Vec<&str> = b.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "format",
            "version",
            "anchor",
            "case",
            "parties",
            "agreements",
            "letters",
            "events",
            "allegations",
            "responses",
            "evidence",
            "links",
            "history"
        ],
        "top-level keys, in order, and no export timestamp"
    );
    assert_eq!(b["format"], "dossier-bundle");
    assert_eq!(b["version"], 1);
    assert_eq!(b["case"]["slug"], TWITTER);
    assert_eq!(b["case"]["tags"], json!(["ai training", "api", "data use", "fees"]));

    let party_id = |name: &str| -> String {
        b["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("party {name}"))["id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    // Reporters and sources named only in attributions are carried too.
    for name in [
        "Twitter",
        "Microsoft",
        "Elon Musk",
        "Twitter's legal representative",
        "New York Times",
        "Reuters",
        "Seed article (unnamed French outlet)",
    ] {
        party_id(name);
    }
    let counsel = b["case"]["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["role"] == "counsel")
        .expect("a counsel")
        .clone();
    assert_eq!(counsel["on_behalf_of"], party_id("Twitter"));
    let musk =
        b["parties"].as_array().expect("parties").iter().find(|p| p["name"] == "Elon Musk").expect("Musk").clone();
    assert_eq!(musk["affiliations"], json!([{ "organisation": party_id("Twitter"), "role": "runs the company" }]));

    let allegations = b["allegations"].as_array().expect("allegations");
    assert_eq!(allegations.len(), 4);
    for a in allegations {
        let history = a["history"].as_array().expect("history");
        assert_eq!(history[0]["status"], "alleged", "{}: the history opens with the raising", a["summary"]);
        assert!(a["created_at"].is_string() && a["updated_at"].is_string());
    }
    let reviewed = allegations.iter().filter(|a| a["history"].as_array().is_some_and(|h| h.len() == 2)).count();
    assert_eq!(reviewed, 3, "three allegations went under review");

    let evidence = b["evidence"].as_array().expect("evidence");
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0]["sha256"], ARTICLE_SHA256);
    assert_eq!(evidence[0]["kind"], "file");
    assert_eq!(evidence[0]["original_name"], "twitter-microsoft-article-fr.txt");
    assert_eq!(evidence[0]["media_type"], "text/plain");

    let letters = b["letters"].as_array().expect("letters");
    let original = letters.iter().find(|l| l["channel"] == "letter").expect("Twitter's letter");
    let statement = letters.iter().find(|l| l["channel"] == "press_statement").expect("Microsoft's statement");
    assert_eq!(statement["in_reply_to"], original["id"], "the statement answers the letter");
    assert_eq!(original["to"], json!([party_id("Microsoft")]));
    assert_eq!(original["sender_person"], party_id("Twitter's legal representative"));

    let responses = b["responses"].as_array().expect("responses");
    assert_eq!(responses[0]["stance"], "will_review");
    assert_eq!(responses[0]["allegations"].as_array().map(Vec::len), Some(3));
    assert_eq!(responses[0]["letter"], statement["id"]);

    let links = b["links"].as_array().expect("links");
    assert!(links.iter().all(|l| l["evidence"] == evidence[0]["id"]));
    assert!(links.iter().any(|l| l["pinpoint"] == "¶ 5"));
}

/// Guards Mode::Refuse: a case already in the database is refused and nothing is written.
#[test]
fn refuse_mode_refuses_a_case_that_exists() {
    let mut fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let err = refused(&mut fx.store, |s| bundle::import_json(s, &json, Some(&files), Mode::Refuse));
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert_eq!(err.to_string(), "case 'twitter-v-microsoft' already exists; import with merge to add what is missing");
}

/// Guards Mode::Merge: nothing is duplicated, and a record added to the bundle is the only thing created.
#[test]
fn merge_adds_only_what_is_missing() {
    let mut fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let before = snapshot(&fx.store);
    let report = import(&mut fx.store, &json, Some(&files), Mode::Merge);
    assert_eq!(report.created, 0);
    assert!(report.skipped > 0);
    assert_eq!(snapshot(&fx.store), before, "a merge with nothing new writes nothing, not even a change-log entry");

    let mut b = parse(&json);
    let twitter = b["parties"].as_array().expect("parties").iter().find(|p| p["name"] == "Twitter").expect("Twitter")
        ["id"]
        .clone();
    let new_id = "01900000-0000-7000-8000-00000000e001";
    b["events"].as_array_mut().expect("events").push(json!({
        "id": new_id,
        "title": "Twitter writes again",
        "date": "~2023-05",
        "parties": [twitter],
        "tags": ["fees"],
        "created_at": "2024-01-02T03:04:05Z",
        "updated_at": "2024-01-02T03:04:05Z"
    }));
    let log = log_len(&fx.store);
    let events = count(&fx.store, "SELECT count(*) FROM event");
    let report = import(&mut fx.store, &to_text(&b), Some(&files), Mode::Merge);
    assert_eq!(report.created, 1, "exactly the new event");
    assert_eq!(count(&fx.store, "SELECT count(*) FROM event"), events + 1);
    assert_eq!(log_len(&fx.store), log + 1, "one change-log entry for the import");
    let added = event::get(fx.store.reader(), new_id).expect("the new event");
    assert_eq!(added.date, "~2023-05");
    assert_eq!(added.tags, ["fees"]);
    assert_eq!(added.created_at, "2024-01-02T03:04:05Z", "timestamps come from the bundle");
    fx.store.verify_change_log().expect("the change log verifies");
}

/// Guards: a party the database already knows by name is reused, never duplicated under a second id.
#[test]
fn parties_known_by_name_are_reused() {
    let source = demo_store();
    let (json, files) = export_folder(&source, TWITTER);
    let mut fx = fresh();
    let microsoft = org(&mut fx.store, "Microsoft");
    import(&mut fx.store, &json, Some(&files), Mode::Refuse);
    assert_eq!(count(&fx.store, "SELECT count(*) FROM party WHERE name = 'Microsoft'"), 1);
    let roles = role::roles(fx.store.reader(), TWITTER).expect("roles");
    let respondent = roles.iter().find(|r| r.role == "respondent").expect("a respondent");
    assert_eq!(respondent.party_id, microsoft.id, "the case names the Microsoft already in the database");
}

/// Guards: a bundle of another version is refused, naming the version found and the one supported.
#[test]
fn unknown_version_is_refused() {
    let fx = demo_store();
    let mut b = parse(&bundle::export_json(fx.store.reader(), TWITTER, bundle::Contents::ALL).expect("export"));
    b["version"] = json!(99);
    b["a_field_of_version_99"] = json!(true);
    let mut target = fresh();
    let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), None, Mode::Refuse));
    says(&err, &["99", "version 1"]);
    assert_eq!(err.code(), ErrorCode::InvalidInput);

    b["version"] = json!(1);
    b["format"] = json!("something-else");
    let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), None, Mode::Refuse));
    says(&err, &["something-else", "dossier-bundle"]);
}

/// Guards: a truncated or malformed file is refused with the line and column where reading stopped.
#[test]
fn truncated_or_malformed_json_is_refused() {
    let fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let mut cut = json.len() / 2;
    while !json.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut target = fresh();
    let err = refused(&mut target.store, |s| bundle::import_json(s, &json[..cut], Some(&files), Mode::Refuse));
    says(&err, &["bundle", "line", "column"]);

    let mut b = parse(&json);
    b["case"]["colour"] = json!("red");
    let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), Some(&files), Mode::Refuse));
    says(&err, &["colour", "line"]);
}

/// Guards: a bad date anywhere refuses the whole bundle, naming the date.
#[test]
fn bad_date_is_refused() {
    let fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let mut target = fresh();
    for (section, field) in [("events", "date"), ("letters", "date"), ("allegations", "date")] {
        let mut b = parse(&json);
        b[section][0][field] = json!("2023-02-30");
        let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), Some(&files), Mode::Refuse));
        says(&err, &["2023-02-30", field]);
    }
    let mut b = parse(&json);
    b["allegations"][1]["history"][1]["date"] = json!("sometime");
    let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), Some(&files), Mode::Refuse));
    says(&err, &["sometime", "history"]);
    assert!(files_under(target.store.files_dir()).is_empty(), "no file was brought in for a refused bundle");
}

/// Guards: a reference to a record that is neither in the bundle nor in the database is refused.
#[test]
fn unknown_reference_is_refused() {
    let fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let mut target = fresh();
    let mut b = parse(&json);
    b["links"][0]["record"] = json!("no-such-record");
    let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), Some(&files), Mode::Refuse));
    says(&err, &["no-such-record", "neither in the bundle nor in the database"]);

    let mut b = parse(&json);
    b["letters"][0]["sender"] = json!("no-such-party");
    let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), Some(&files), Mode::Refuse));
    says(&err, &["no-such-party", "sender"]);

    // A reference of the wrong kind: a response "letter" naming an event.
    let mut b = parse(&json);
    let event_id = b["events"][0]["id"].clone();
    b["responses"][0]["letter"] = event_id.clone();
    let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), Some(&files), Mode::Refuse));
    says(&err, &[event_id.as_str().expect("id"), "is a event, not a letter"]);
}

/// Guards: values outside a closed vocabulary are refused, naming the value.
#[test]
fn unknown_vocabulary_is_refused() {
    let fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let mut target = fresh();
    for (path, value) in [
        (&["case", "status"][..], "pending"),
        (&["letters", "0", "channel"][..], "pigeon"),
        (&["allegations", "0", "history", "0", "status"][..], "maybe"),
        (&["responses", "0", "stance"][..], "shrugs"),
        (&["evidence", "0", "kind"][..], "rumour"),
        (&["parties", "0", "kind"][..], "alien"),
    ] {
        let mut b = parse(&json);
        let mut at = &mut b;
        for key in path {
            at = match key.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*key],
            };
        }
        *at = json!(value);
        let err = refused(&mut target.store, |s| bundle::import_json(s, &to_text(&b), Some(&files), Mode::Refuse));
        says(&err, &[value, "is not one of"]);
    }
}

/// Guards: an evidence file that does not match its SHA-256 is refused, and nothing lands in the store.
#[test]
fn tampered_evidence_file_is_refused() {
    let fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let mut bytes = std::fs::read(files.join(ARTICLE_SHA256)).expect("the article");
    bytes[10] ^= 1;
    std::fs::write(files.join(ARTICLE_SHA256), bytes).expect("tamper with the file, keeping its size");
    let mut target = fresh();
    let err = refused(&mut target.store, |s| bundle::import_json(s, &json, Some(&files), Mode::Refuse));
    says(&err, &[ARTICLE_SHA256, "does not match"]);
    assert!(
        files_under(target.store.files_dir()).is_empty(),
        "no file is left in the store: {:?}",
        files_under(target.store.files_dir())
    );
}

/// Guards: a file missing from the bundle folder, or no folder at all, is refused naming the file.
#[test]
fn missing_evidence_file_is_refused() {
    let fx = demo_store();
    let (json, files) = export_folder(&fx, TWITTER);
    let mut target = fresh();
    let err = refused(&mut target.store, |s| bundle::import_json(s, &json, None, Mode::Refuse));
    says(&err, &[ARTICLE_SHA256, "not in the store"]);
    std::fs::remove_file(files.join(ARTICLE_SHA256)).expect("remove the file");
    let err = refused(&mut target.store, |s| bundle::import_json(s, &json, Some(&files), Mode::Refuse));
    says(&err, &[ARTICLE_SHA256, "not in the bundle folder"]);
}

/// Guards: without a files folder, file evidence whose file the store already holds is accepted.
#[test]
fn metadata_only_import_uses_files_already_in_the_store() {
    let source = demo_store();
    let (getty, getty_files) = export_folder(&source, GETTY);
    let twitter = bundle::export_json(source.store.reader(), TWITTER, bundle::Contents::ALL).expect("export");
    let mut target = fresh();
    // Both demo cases keep the same article: importing Getty with its files brings it in.
    import(&mut target.store, &getty, Some(&getty_files), Mode::Refuse);
    let report = import(&mut target.store, &twitter, None, Mode::Refuse);
    assert_eq!(report.case_slug, TWITTER);
    assert!(report.skipped >= 1, "the shared source party is reused");
    assert!(
        records_of(&bundle::export_json(target.store.reader(), TWITTER, bundle::Contents::ALL).expect("export"))
            == records_of(&twitter)
    );
}

/// Guards the folder layout: bundle.json with the evidence files beside it in files/<sha256>.
#[test]
fn folder_layout() {
    let source = demo_store();
    let dir = source.dir.path().join("handover");
    let path = bundle::export_with_files(&source.store, TWITTER, &dir, bundle::Contents::ALL).expect("export");
    assert_eq!(path, dir.join(bundle::BUNDLE_FILE));
    let names: Vec<PathBuf> =
        files_under(&dir).into_iter().map(|p| p.strip_prefix(&dir).expect("inside").to_path_buf()).collect();
    assert_eq!(
        names,
        [PathBuf::from("bundle.json"), Path::new("files").join(ARTICLE_SHA256)],
        "nothing else is left in the folder"
    );
    // Exporting again into the same folder replaces what is there with the same bytes.
    let first = std::fs::read(&path).expect("read");
    bundle::export_with_files(&source.store, TWITTER, &dir, bundle::Contents::ALL).expect("export again");
    assert_eq!(std::fs::read(&path).expect("read again"), first);
}

/// Guards: a record id the database holds in another case is a conflict, never a silent skip.
#[test]
fn id_of_another_case_is_a_conflict() {
    let fx = demo_store();
    let json = bundle::export_json(fx.store.reader(), TWITTER, bundle::Contents::ALL).expect("export");
    let getty = parse(&bundle::export_json(fx.store.reader(), GETTY, bundle::Contents::ALL).expect("export getty"));
    let mut b = parse(&json);
    b["case"]["id"] = json!("01900000-0000-7000-8000-0000000000c1");
    b["case"]["slug"] = json!("twitter-copy");
    b["events"][0]["id"] = getty["events"][0]["id"].clone();
    let mut store = fx.store;
    let err = refused(&mut store, |s| bundle::import_json(s, &to_text(&b), None, Mode::Merge));
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    says(&err, &[getty["events"][0]["id"].as_str().expect("id"), "another case"]);
}

/// Guards the optional fields other tools may leave out: a minimal bundle imports, and an allegation
/// without a history gets its raising, as creating one in Dossier would.
#[test]
fn minimal_hand_written_bundle_imports() {
    let stamp = "2024-05-01T10:00:00Z";
    let b = json!({
        "format": "dossier-bundle",
        "version": 1,
        "case": { "id": "c1", "slug": "acme-v-globex", "title": "Acme v. Globex", "status": "open",
                  "roles": [ { "party": "p1", "role": "claimant" } ], "created_at": stamp, "updated_at": stamp },
        "parties": [
            { "id": "p1", "name": "Acme", "kind": "organisation", "created_at": stamp, "updated_at": stamp },
            { "id": "p2", "name": "Globex", "kind": "organisation", "created_at": stamp, "updated_at": stamp }
        ],
        "letters": [ { "id": "l1", "channel": "email", "sender": "p1", "to": ["p2"], "subject": "Invoice", "date": "2024-04-02",
                       "deadline": "2024-04-30", "created_at": stamp, "updated_at": stamp } ],
        "allegations": [ { "id": "a1", "made_by": "p1", "against": "p2", "raised_in": "l1", "summary": "Unpaid invoice",
                           "date": "2024-04-02", "created_at": stamp, "updated_at": stamp } ]
    });
    let mut fx = fresh();
    let report = import(&mut fx.store, &to_text(&b), None, Mode::Refuse);
    assert_eq!(report.created, 6, "case, two parties, letter, allegation and the case role");
    let a = allegation::get(fx.store.reader(), "a1").expect("the allegation");
    assert_eq!(a.status, "alleged");
    assert_eq!(a.history.len(), 1);
    assert_eq!(a.raised_in.map(|r| r.kind.as_str()), Some("letter"));
    let exported =
        parse(&bundle::export_json(fx.store.reader(), "acme-v-globex", bundle::Contents::ALL).expect("export"));
    assert_eq!(exported["allegations"][0]["history"][0]["date"], "2024-04-02");
    assert_eq!(exported["letters"][0]["deadline"], "2024-04-30");
}
