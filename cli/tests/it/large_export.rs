//! A large case exported as a user exports one: a generated case of 2,000 items written as a Word
//! document that pandoc reads back whole (its headings, its first and last chronology entries), and
//! an export stopped by Ctrl-C, which leaves no file behind, neither the one named nor a temporary
//! one, and an earlier file of that name as it was.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Db;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::Store;

/// A database holding a generated case of 2,000 items, `big`.
fn big_case() -> Db {
    let db = Db::new();
    db.ok(&["gen", "--case", "big", "--items", "2000", "--seed", "7"]);
    db
}

/// The titles of the first and last entries of the case's chronology.
fn first_and_last(db: &Db) -> (String, String) {
    let store = Store::open(&db.path).expect("open");
    let entries = timeline::all(store.reader(), "big", &Filter::default()).expect("timeline");
    assert!(entries.len() > 1_000, "{} entries", entries.len());
    (entries[0].title.clone(), entries[entries.len() - 1].title.clone())
}

fn pandoc(docx: &Path, to: &str) -> String {
    let out = Command::new("pandoc")
        .args(["-f", "docx", "-t", to, "--wrap=none"])
        .arg(docx)
        .output()
        .expect("pandoc (installed by the set-up script)");
    assert!(out.status.success(), "pandoc read the document: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn a_case_of_2000_items_exports_to_word_and_reads_back_whole() {
    let db = big_case();
    let docx = db.dir().join("big.docx");
    db.ok(&["export", "big", "--format", "docx", "-o", docx.to_str().expect("path")]);
    let markdown = pandoc(&docx, "markdown");
    for heading in ["# Chronology", "# Allegations", "# Correspondence", "# Evidence index"] {
        assert!(markdown.lines().any(|l| l.starts_with(heading)), "the heading '{heading}'");
    }
    let text = pandoc(&docx, "plain");
    let (first, last) = first_and_last(&db);
    let chronology = text.rfind("Chronology").expect("the chronology's heading, after the contents");
    let first_at = text[chronology..].find(&first).unwrap_or_else(|| panic!("the first entry '{first}'"));
    let last_at = text[chronology..].rfind(&last).unwrap_or_else(|| panic!("the last entry '{last}'"));
    assert!(first_at < last_at, "the first entry before the last");
}

/// The temporary files in `dir`, where an export is staged before it takes its name.
fn staged_in(dir: &Path) -> Vec<String> {
    let names = std::fs::read_dir(dir).expect("list").map(|e| e.expect("entry").file_name());
    names.map(|n| n.to_string_lossy().into_owned()).filter(|n| n.starts_with(".incoming-")).collect()
}

/// Starts exporting the case to `target` as Word, sends it SIGINT as soon as the file it writes
/// exists (the Word document of 2,000 items then takes about a second more to write in a debug build,
/// and stops within a few rows of the signal), and returns its exit code and stderr.
fn interrupted(db: &Db, target: &Path) -> (Option<i32>, String) {
    let dir = target.parent().expect("a folder");
    let mut export = db.command(&["export", "big", "--format", "docx", "-o", target.to_str().expect("path")]);
    let child = export.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    let started = Instant::now();
    while staged_in(dir).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(60), "the export never began to write");
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = Command::new("kill").args(["-s", "INT", &child.id().to_string()]).status();
    assert!(sent.is_ok_and(|s| s.success()), "kill -s INT");
    let out = child.wait_with_output().expect("wait");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn an_export_stopped_by_ctrl_c_leaves_no_file_and_an_earlier_one_as_it_was() {
    let db = big_case();
    let dir = db.dir().join("out");
    std::fs::create_dir(&dir).expect("a folder");
    let target = dir.join("big.docx");

    let (code, stderr) = interrupted(&db, &target);
    assert_eq!(code, Some(9), "the exit code of a stopped command: {stderr}");
    assert!(stderr.contains("cancelled: nothing was written"), "{stderr}");
    assert!(!target.exists(), "no file where the export was going");
    assert!(staged_in(&dir).is_empty(), "no temporary file beside it");

    std::fs::write(&target, "the export of last week").expect("an earlier export");
    let (code, stderr) = interrupted(&db, &target);
    assert_eq!(code, Some(9), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "the export of last week", "left as it was");
    assert_eq!(std::fs::read_dir(&dir).expect("list").count(), 1, "nothing else in the folder");
}
