//! Bundles of any size: written and read as streams, a record at a time. What a user checks: the
//! file reads as it always did, a bundle reshuffled by another program still imports, a case too
//! large to import before comes back whole, and the database checks clean after each import.

use crate::common::*;
use dossier_core::generate::generate;
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::transfer::bundle::{self, Mode};
use dossier_core::transfer::{self, ExportRequest, ImportRequest};
use dossier_core::view::history;
use dossier_core::{demo, Store};
use serde_json::Value;

const TWITTER: &str = "twitter-v-microsoft";

/// The bundle without its anchor line, which names the head of the exporting database.
fn records_of(json: &str) -> String {
    json.lines().filter(|l| !l.starts_with("  \"anchor\": ")).collect::<Vec<_>>().join("\n")
}

/// `check` finds nothing wrong with the store's database.
fn checks_clean(fx: &Fixture) {
    let report = checked(&fx.db_path());
    assert!(report.problems.is_empty(), "check: {:?}", messages(&report));
}

/// Exports `slug` with its history as a bundle file (evidence files beside it); returns its path.
fn export_file(store: &Store, slug: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join(format!("{slug}.json"));
    let request = ExportRequest {
        case: slug.into(),
        format: "json".into(),
        path: path.clone(),
        with_files: true,
        options: transfer::export::ReportOptions { with_history: true, ..Default::default() },
        ..Default::default()
    };
    transfer::export(store, &request).expect("export");
    path
}

/// Written a record at a time, the bundle has the bytes a JSON pretty-printer gives for the whole:
/// two spaces a level, one field a line, a newline at the end.
#[test]
fn a_streamed_bundle_reads_as_the_whole_written_at_once() {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    for slug in [TWITTER, "getty-v-stability-ai"] {
        let json = bundle::export_json(fx.store.reader(), slug, bundle::Contents::ALL).expect("export");
        let whole: Value = serde_json::from_str(&json).expect("JSON");
        let again = serde_json::to_string_pretty(&whole).expect("pretty") + "\n";
        assert!(json == again, "{slug}: the streamed bundle differs from the whole one");
        assert!(whole["history"].as_array().is_some_and(|h| !h.is_empty()), "{slug}: it has its history");
        assert!(whole["parties"].as_array().is_some_and(|p| p.len() > 2), "{slug}: it has its parties");
    }
    // The lists left out when empty are left out.
    let json = bundle::export_json(fx.store.reader(), TWITTER, bundle::Contents::RECORDS).expect("export");
    let whole: Value = serde_json::from_str(&json).expect("JSON");
    assert!(whole.get("history").is_none(), "no history unless asked");
}

/// A bundle another program rewrote (fields sorted by name, letters in another order, a reply before
/// the letter it answers) imports, and reads as the original.
#[test]
fn a_bundle_with_its_fields_in_another_order_imports() {
    let mut source = fresh();
    demo::load(&mut source.store).expect("demo");
    let json = bundle::export_json(source.store.reader(), TWITTER, bundle::Contents::ALL).expect("export");
    let mut whole: Value = serde_json::from_str(&json).expect("JSON");
    let letters = whole["letters"].as_array_mut().expect("letters");
    letters.reverse();
    let first_reply = letters.iter().position(|l| !l["in_reply_to"].is_null()).expect("a reply");
    let answered = letters.iter().position(|l| Some(&l["id"]) == Some(&letters[first_reply]["in_reply_to"]));
    assert!(answered.is_some_and(|a| a > first_reply), "the reply now comes first");
    let mut fields: Vec<(String, Value)> = whole.as_object().expect("object").clone().into_iter().collect();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(fields[0].0, "agreements", "sorted: the records before the case and the format");
    let sorted: serde_json::Map<String, Value> = fields.into_iter().collect();
    let text = serde_json::to_string(&Value::Object(sorted)).expect("JSON");

    let mut fx = fresh();
    let report = bundle::import_json(&mut fx.store, &text, None, Mode::Refuse);
    // The article's file is not brought: the case's one file evidence is refused without it.
    let err = report.expect_err("the file evidence needs its file");
    assert!(err.to_string().contains("not in the store"), "{err}");
    let dir = tempfile::tempdir().expect("dir");
    let path = export_file(&source.store, TWITTER, dir.path());
    std::fs::write(&path, &text).expect("rewrite the bundle");
    let request = ImportRequest { path, ..Default::default() };
    let report = transfer::import(&mut fx.store, &request).expect("import");
    assert_eq!(report.case_slug, TWITTER);
    let again = bundle::export_json(fx.store.reader(), TWITTER, bundle::Contents::ALL).expect("export");
    assert!(records_of(&again) == records_of(&json), "the imported case reads as the original");
    checks_clean(&fx);
}

/// A case too large for one change-log entry is imported in one transaction, its records' images
/// spread over several entries, each record in one of them: its history shows one import.
#[test]
fn a_large_import_is_one_transaction_of_several_entries() {
    let mut source = fresh();
    generate(&mut source.store, "g", 1_200, 3).expect("generate");
    let dir = tempfile::tempdir().expect("dir");
    let path = export_file(&source.store, "g", dir.path());
    let mut fx = fresh();
    let before = log_len(&fx.store);
    let report = transfer::import(&mut fx.store, &ImportRequest { path, ..Default::default() }).expect("import");
    assert!(report.count > 1_200, "{} records", report.count);
    let entries = log_len(&fx.store) - before;
    let imports = count(&fx.store, "SELECT count(*) FROM change_log WHERE action = 'import bundle'");
    assert!(entries >= 2 && imports == entries, "{entries} entries, {imports} of the import");
    let (seq, _) = dossier_core::store::change_log::head(fx.store.reader()).expect("head");
    let entry = dossier_core::store::change_log::entry(fx.store.reader(), seq).expect("read").expect("the last entry");
    let last: Value = serde_json::from_str(&entry.detail).expect("detail");
    assert_eq!(last["created"].as_u64(), Some(report.count), "the last entry says what the import did");
    assert_eq!(last["part"].as_i64(), Some(entries), "and that it is the last of its parts");
    // A record written late in the bundle: its history is what the source had, then nothing else.
    // As the file carries it: the history without who wrote each entry.
    let as_filed = bundle::Contents { history: true, actors: false };
    let source_json = bundle::export_json(source.store.reader(), "g", as_filed).expect("export");
    let whole: Value = serde_json::from_str(&source_json).expect("JSON");
    let late = whole["evidence"].as_array().and_then(|e| e.last()).expect("evidence")["id"].as_str().expect("id");
    let here = history::steps(fx.store.reader(), late).expect("history");
    let there = history::steps(source.store.reader(), late).expect("history");
    assert_eq!(here.len(), there.len(), "one step per write where it was made, and the import adds none");
    let again = bundle::export_json(fx.store.reader(), "g", as_filed).expect("export");
    assert!(records_of(&again) == records_of(&source_json), "the imported case reads as the original");
    checks_clean(&fx);
}

/// A bundle of more than 50 MiB (imports refused such files before) comes back whole.
#[test]
fn a_bundle_over_50_mib_exported_by_dossier_imports_back() {
    let mut source = fresh();
    case(&mut source.store, "big");
    org(&mut source.store, "Acme");
    org(&mut source.store, "Globex");
    // Long letters, each nearly the longest body accepted, of words that vary.
    let words = ["audit", "licence", "données", "redevance", "clause", "notice", "payment", "breach"];
    for n in 0..60 {
        let body: String = (0..120_000).map(|i| words[(i * 7 + n) % words.len()]).collect::<Vec<_>>().join(" ");
        let mut input: LetterInput = letter_input("big", "Acme", &["Globex"], &format!("Letter {n}"), "2024-03");
        input.body = body;
        letter::create(&mut source.store, &input).expect("letter");
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("big.json");
    let request = ExportRequest { case: "big".into(), format: "json".into(), path: path.clone(), ..Default::default() };
    transfer::export(&source.store, &request).expect("export");
    let size = std::fs::metadata(&path).expect("bundle").len();
    assert!(size > 50 << 20, "{size} bytes");

    let mut fx = fresh();
    let report = transfer::import(&mut fx.store, &ImportRequest { path, ..Default::default() }).expect("import");
    assert_eq!(report.count, 60 + 1 + 2, "the letters, the case and the two parties: {report:?}");
    let letters = letter::list(fx.store.reader(), "big").expect("letters");
    assert_eq!(letters.len(), 60);
    let first = letter::get(fx.store.reader(), &letters[0].id).expect("letter");
    let original = letter::get(source.store.reader(), &letters[0].id).expect("letter");
    assert_eq!(first.body, original.body, "the long body came back whole");
    checks_clean(&fx);
}
