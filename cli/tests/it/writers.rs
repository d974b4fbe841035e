//! Several writers on one database at once, as scripts and the app beside them are: every write that
//! committed is reported as done, every write is there once, `check` is clean and the anchor is at the
//! head. And a command that is stopped says whether its change was saved.
//!
//! The stress runs' size can be raised for a longer run on demand:
//! `DOSSIER_STRESS_WRITERS=8 DOSSIER_STRESS_WRITES=2000 cargo test --release -p dossier-cli --test it writers`.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

use crate::common::Db;
use dossier_core::care::check::check;
use dossier_core::record::event::{self, EventInput};
use dossier_core::store::anchor;
use dossier_core::Store;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A database holding one case, `stress`.
fn case_db() -> Db {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Stress"]);
    db
}

/// Runs `writes` `dossier event add` commands one after another, titled `{who}-{n}`; returns each
/// failure as the command's exit code and stderr (a warning on stderr counts as one too).
fn cli_writer(db: &Db, who: String, writes: usize) -> Vec<String> {
    let mut failures = Vec::new();
    for n in 0..writes {
        let title = format!("{who}-{n}");
        let out = db.run(&["event", "add", "stress", "--title", &title, "--date", "2023-04-01"]);
        if !out.status.success() || !out.stderr.is_empty() {
            failures.push(format!("{title}: exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr)));
        }
    }
    failures
}

/// How many events bear each title.
fn titles(db: &Db) -> HashMap<String, usize> {
    let store = Store::open(&db.path).expect("open");
    let mut count = HashMap::new();
    for title in store.reader().strings("SELECT title FROM event", []).expect("titles") {
        *count.entry(title).or_insert(0) += 1;
    }
    count
}

/// Every title in `expected` once and nothing else, `check` clean, the anchor at the head.
fn assert_whole(db: &Db, expected: &[String]) {
    let found = titles(db);
    let twice: Vec<_> = found.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "written more than once: {twice:?}");
    let missing: Vec<_> = expected.iter().filter(|t| !found.contains_key(*t)).collect();
    assert!(missing.is_empty(), "{} writes missing, e.g. {:?}", missing.len(), missing.first());
    assert_eq!(found.len(), expected.len(), "no write beyond those made");
    let store = Store::open(&db.path).expect("open");
    let report = check(&store, None).expect("check");
    assert!(report.is_sound(), "{:?}", report.problems);
    assert_eq!(anchor::load(&db.path).expect("anchor"), Some(report.head), "the anchor is at the head");
}

fn expected(writers: &[String], writes: usize) -> Vec<String> {
    writers.iter().flat_map(|w| (0..writes).map(move |n| format!("{w}-{n}"))).collect()
}

/// Guards "Two writers at once": four scripts adding events at once never see a write reported as
/// failed (it was `x.sqlite.anchor: No such file or directory` when one process swept another's
/// staged anchor), and every write is there once.
#[test]
fn four_cli_writers_at_once_all_succeed() {
    let db = case_db();
    let (processes, writes) = (setting("DOSSIER_STRESS_WRITERS", 4), setting("DOSSIER_STRESS_WRITES", 150));
    let writers: Vec<String> = (0..processes).map(|i| format!("cli{i}")).collect();
    let failures: Vec<String> = std::thread::scope(|s| {
        let running: Vec<_> = writers.iter().map(|w| s.spawn(|| cli_writer(&db, w.clone(), writes))).collect();
        running.into_iter().flat_map(|r| r.join().expect("writer thread")).collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} writes reported failed: {:?}",
        failures.len(),
        processes * writes,
        &failures[..failures.len().min(5)]
    );
    assert_whole(&db, &expected(&writers, writes));
}

/// The app's store (one connection kept open, as the desktop shell keeps it) writing while CLI
/// processes write beside it.
#[test]
fn the_apps_store_and_the_cli_write_side_by_side() {
    let db = case_db();
    let writes = setting("DOSSIER_STRESS_WRITES", 150);
    let writers: Vec<String> = vec!["app".into(), "cli0".into(), "cli1".into()];
    let (app_failures, cli_failures) = std::thread::scope(|s| {
        let app = s.spawn(|| {
            let mut store = Store::open(&db.path).expect("the app's store");
            store.set_actor("app");
            let mut failures = Vec::new();
            for n in 0..writes {
                let input = EventInput {
                    case: "stress".into(),
                    title: format!("app-{n}"),
                    date: "2023-04-01".into(),
                    ..Default::default()
                };
                if let Err(e) = event::create(&mut store, &input) {
                    failures.push(format!("app-{n}: {e}"));
                }
                failures.extend(store.take_warnings().into_iter().map(|w| format!("app-{n}: warning: {w}")));
            }
            failures
        });
        let clis: Vec<_> = writers[1..].iter().map(|w| s.spawn(|| cli_writer(&db, w.clone(), writes / 2))).collect();
        let cli: Vec<String> = clis.into_iter().flat_map(|r| r.join().expect("cli thread")).collect();
        (app.join().expect("app thread"), cli)
    });
    assert!(app_failures.is_empty(), "{app_failures:?}");
    assert!(cli_failures.is_empty(), "{cli_failures:?}");
    let mut all: Vec<String> = (0..writes).map(|n| format!("app-{n}")).collect();
    all.extend(expected(&writers[1..], writes / 2));
    assert_whole(&db, &all);
}

/// Starts `command`, waits until `ready` says so (polled every 20 ms, 60 s at most), sends it `signal`
/// with kill(1); returns its exit code and stderr.
fn stopped(mut command: std::process::Command, signal: &str, ready: impl Fn() -> bool) -> (Option<i32>, String) {
    let child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    let started = std::time::Instant::now();
    while !ready() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill").args(["-s", signal, &child.id().to_string()]).status();
    assert!(sent.is_ok_and(|s| s.success()), "kill -s {signal}");
    let out = child.wait_with_output().expect("wait");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Rows of `table` now, read as another program would (no lock waited for).
fn rows(db: &Db, table: &str) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(&db.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY);
    conn.and_then(|c| c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))).unwrap_or(0)
}

/// A chronology long enough that importing it takes a few seconds.
fn long_chronology(db: &Db, rows: usize) -> String {
    let mut csv = String::from("date,title,description\n");
    for n in 0..rows {
        csv.push_str(&format!("2023-01-01,Meeting number {n},What was said at meeting {n}\n"));
    }
    db.file("long.csv", &csv)
}

/// Guards "Two writers at once", 4: a long import stopped by SIGTERM rolls back and says nothing was
/// written.
#[test]
fn an_import_stopped_midway_says_nothing_was_written() {
    let db = case_db();
    let file = long_chronology(&db, 500_000);
    let before = db.writes();
    let started = std::time::Instant::now();
    let import = db.command(&["import", &file, "--case", "stress"]);
    let (code, stderr) = stopped(import, "TERM", || started.elapsed() > Duration::from_millis(1500));
    assert_eq!(code, Some(128 + 15), "{stderr}");
    assert!(stderr.contains("stopped: nothing was written"), "{stderr}");
    assert_eq!(db.writes(), before, "no entry in the change log");
    assert!(titles(&db).is_empty(), "no event");
}

/// Guards "Two writers at once", 4: a command stopped after its write committed (here while it reads
/// the text of the scanned PDF it added, by OCR) says the change was saved, and the evidence is there.
#[test]
fn a_command_stopped_after_its_write_says_it_was_saved() {
    let db = case_db();
    let scan = dossier_core::generate::documents::scanned_pdf("A page of scanned text, read by OCR.").expect("scan");
    let file = db.dir().join("scan.pdf");
    std::fs::write(&file, scan).expect("write the scan");
    let add = db.command(&["evidence", "add-file", "stress", file.to_str().expect("path")]);
    let (code, stderr) = stopped(add, "INT", || rows(&db, "evidence") == 1);
    assert_eq!(code, Some(128 + 2), "{stderr}");
    assert!(stderr.contains("stopped after the change was saved"), "{stderr}");
    assert_eq!(rows(&db, "evidence"), 1, "the evidence is there once");
}
