//! The scale bench's imports of whole files: the case of N items round-tripped through its own bundle
//! (each half in a process of its own, which says its peak memory), and a mailbox of N/5 messages,
//! each beside raw SQLite writing the same records.

use std::path::{Path, PathBuf};

use dossier_core::record::case::{self, CaseInput};
use dossier_core::transfer::{self, ExportRequest, ImportRequest};
use dossier_core::Store;

use crate::measure::{peak_kib, timed_with_memory, Goal, Line, Value};
use crate::raw;

/// An .mbox of `count` messages between 40 correspondents, in threads of four, imported into a new
/// case (each message a letter, its original kept as evidence, each new address a party), beside raw
/// SQLite writing the same messages as rows with their text.
pub fn mailbox(count: usize, dir: &Path) -> Vec<Line> {
    let mut mbox = String::new();
    let mut rows = Vec::with_capacity(count);
    for i in 0..count {
        let (from, to) = (i % 40, (i / 40 + 1 + i % 40) % 40);
        let (y, d) = (2015 + i % 8, 1 + (i / 96) % 28);
        let subject = format!("Licence audit, round {}", i / 4);
        let body = format!(
            "Dear colleague,\n\nFurther to our letter {i}, we ask again for the audit of the use of data under clause {}.\n\nRegards",
            i % 9
        );
        let reply = if i % 4 == 0 { String::new() } else { format!("In-Reply-To: <m{}@example.org>\n", i - 1) };
        mbox.push_str(&format!(
            "From p{from}@example.org Mon Jan  1 00:00:00 2024\nFrom: Person {from} <p{from}@example.org>\n\
             To: Person {to} <p{to}@example.org>\nSubject: {subject}\nDate: {d} Jan {y} 10:{:02}:00 +0000\n\
             Message-ID: <m{i}@example.org>\n{reply}\n{body}\n\n",
            i % 60
        ));
        rows.push((format!("m{i}"), format!("{y}-01-{d:02}"), subject, body, [format!("p{from}"), format!("p{to}")]));
    }
    let file = dir.join("mailbox.mbox");
    std::fs::write(&file, &mbox).expect("mbox");
    let mut s = Store::open(&dir.join("mbox.sqlite")).expect("open");
    case::create(&mut s, &CaseInput { title: "Mailbox".into(), slug: "mail".into(), ..Default::default() })
        .expect("case");
    let request = ImportRequest { path: file, case: "mail".into(), ..Default::default() };
    let (report, took, memory) = timed_with_memory(|| transfer::import(&mut s, &request).expect("import"));
    let (raw_took, raw_rows) = raw::messages(&dir.join("raw-mbox.sqlite"), &rows);
    vec![
        Line::new(
            format!("import an mbox ({count} messages, {:.1} MiB)", mbox.len() as f64 / (1 << 20) as f64),
            Value::RowsPerSecond(count as f64 / took.as_secs_f64()),
            Some(Value::RowsPerSecond(raw_rows as f64 / raw_took.as_secs_f64())),
            Goal::Share(0.5),
        ),
        Line::new(
            format!("memory rise while importing it ({} records)", report.count),
            Value::MiB(memory),
            None,
            Goal::None,
        ),
    ]
}

/// The case of `n` items in `db` exported as a bundle with its files, then imported into an empty
/// database, each in a process of its own ([`bundle_child`]) that says its peak resident memory; the
/// import's rate beside raw SQLite writing the same records (`raw_rate`, step 1).
pub fn round_trip(db: &Path, n: usize, raw_rate: f64, folder: &Path) -> Vec<Line> {
    std::fs::create_dir_all(folder).expect("round-trip folder");
    let bundle = folder.join("case.json");
    let target = folder.join("empty.sqlite");
    let run = |what: &str, db: &Path| {
        let started = std::time::Instant::now();
        let out = std::process::Command::new(std::env::current_exe().expect("the bench"))
            .args([BUNDLE_CHILD, what, db.to_str().expect("path"), bundle.to_str().expect("path")])
            .output()
            .expect("run the bundle child");
        assert!(out.status.success(), "the {what} failed: {}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut words = said.split_whitespace().map(|w| w.parse::<f64>().expect("a number"));
        let (peak_kib, count) = (words.next().expect("peak"), words.next().expect("count"));
        (started.elapsed(), peak_kib / 1024.0, count)
    };
    let (export_took, export_peak, _) = run("export", db);
    let mib = std::fs::metadata(&bundle).map(|m| m.len()).unwrap_or(0) as f64 / (1 << 20) as f64;
    let (import_took, import_peak, records) = run("import", &target);
    let whole = export_took + import_took;
    // 300 MB, the bound, in MiB (rounded down).
    let peak_goal = || Goal::AtMost(286.0);
    vec![
        Line::new(
            format!("the {n}-item case's bundle ({mib:.1} MiB): export"),
            Value::Ms(export_took),
            None,
            Goal::None,
        ),
        Line::new("peak memory exporting it", Value::MiB(export_peak), None, peak_goal()),
        Line::new(
            format!("import it into an empty database ({records} records)"),
            Value::RowsPerSecond(records / import_took.as_secs_f64()),
            Some(Value::RowsPerSecond(raw_rate)),
            Goal::Share(0.5),
        ),
        Line::new("peak memory importing it", Value::MiB(import_peak), None, peak_goal()),
        Line::new("export then import, in all", Value::Ms(whole), None, Goal::Time { ms: 120_000.0, ratio: None }),
    ]
}

/// The argument that makes this bench export or import one bundle and stop:
/// `BUNDLE_CHILD export|import DB PATH`.
const BUNDLE_CHILD: &str = "--bundle-child";

/// Exports case `big` of `db` as a bundle with its files to `path`, or imports the bundle at `path`
/// into `db`, when the bench was started so; prints this process's peak resident memory in KiB and
/// the records imported (0 for an export).
pub fn bundle_child(args: &[String]) -> bool {
    let [flag, what, db, path] = args else { return false };
    if flag != BUNDLE_CHILD {
        return false;
    }
    let mut store = Store::open(Path::new(db)).expect("open");
    let path = PathBuf::from(path);
    let count = if what == "export" {
        let request =
            ExportRequest { case: "big".into(), format: "json".into(), path, with_files: true, ..Default::default() };
        transfer::export(&store, &request).expect("export");
        0
    } else {
        transfer::import(&mut store, &ImportRequest { path, ..Default::default() }).expect("import").count
    };
    println!("{} {count}", peak_kib());
    true
}
