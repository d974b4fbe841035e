//! What encryption costs on a case of 100,000 records: a bench binary (no timed asserts anywhere).
//! Run with `cargo bench -p dossier-core --bench encryption` (optionally `-- 20000` for another size).
//!
//! It builds the same case twice in one run, in a plaintext database and in an encrypted one, through
//! the core's own write path, then times what a user waits for: the first timeline page, a page deep in
//! the case (keyset), filters, and searches. Beside them, raw SQLite doing the nearest bare equivalent
//! (rows and an FTS5 index written by hand, no change log, no derived tables), plaintext and under
//! SQLCipher, so every figure has a ratio measured on the same machine in the same run.

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "common/timing.rs"]
mod timing;
use timing::{best, RUNS};

use dossier_core::care::encryption;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::store::{KdfParams, Passphrase};
use dossier_core::view::search;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::Store;
use rusqlite::Connection;

const WORDS: [&str; 10] =
    ["licence", "audit", "redevance", "données", "accord", "breach", "volume", "invoice", "settlement", "notice"];

/// The text and the fuzzy date of the `i`-th record.
fn record(i: usize) -> (String, String) {
    let year = 2000 + (i % 24);
    let month = 1 + (i / 24) % 12;
    let day = 1 + (i / 288) % 28;
    let date = match i % 5 {
        0 => format!("{year}"),
        1 => format!("~{year}-{month:02}"),
        2 => format!("{year}-{month:02}-{day:02}"),
        3 => format!("<{year}-{month:02}"),
        _ => format!("{year}-{month:02}..{}-{month:02}", year + 1),
    };
    let text =
        format!("{} {} record {i} about the {} clause", WORDS[i % 10], WORDS[(i / 10) % 10], WORDS[(i / 100) % 10]);
    (text, date)
}

/// One line of results: a measure, its figure in two settings, and the ratio of the second to the first.
struct Row {
    label: String,
    first: Duration,
    second: Duration,
}

fn print(title: &str, columns: [&str; 2], rows: &[Row]) {
    let width = rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(0);
    println!("\n{title}");
    println!("{:<width$} {:>12} {:>12} {:>7}", "", columns[0], columns[1], "ratio");
    for r in rows {
        println!(
            "{:<width$} {:>9.2} ms {:>9.2} ms {:>6.2}×",
            r.label,
            r.first.as_secs_f64() * 1e3,
            r.second.as_secs_f64() * 1e3,
            r.second.as_secs_f64() / r.first.as_secs_f64()
        );
    }
}

/// The passphrase of the bench's encrypted database, under cheap KDF settings: the unlock's Argon2id
/// (about 0.5 s by design) is not what is measured.
const BENCH_KDF: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

fn passphrase() -> Passphrase {
    Passphrase::new("bench").expect("passphrase")
}

/// Opens the store in `dir`, encrypted or not.
fn open(dir: &Path, encrypted: bool) -> Store {
    let path = dir.join("scale.sqlite");
    Store::open_with(&path, encrypted.then(passphrase).as_ref()).expect("open")
}

/// A fresh store in `dir`, encrypted or not.
fn create(dir: &Path, encrypted: bool) -> Store {
    if encrypted {
        let path = dir.join("scale.sqlite");
        drop(Store::open(&path).expect("create"));
        encryption::encrypt(&path, &passphrase(), BENCH_KDF).expect("encrypt");
    }
    open(dir, encrypted)
}

/// Builds the case of `n` records in a new store in `dir` and times each measure; returns the timings
/// in order and the size of the database on disk.
fn dossier(dir: &Path, encrypted: bool, n: usize) -> (Vec<(String, Duration)>, u64) {
    let store = &mut create(dir, encrypted);
    case::create(store, &CaseInput { title: "Scale".into(), slug: "scale".into(), ..Default::default() })
        .expect("case");
    let names: Vec<String> = (0..50).map(|i| format!("Party {i:02}")).collect();
    for name in &names {
        party::create(store, &PartyInput { name: name.clone(), kind: "organisation".into(), ..Default::default() })
            .expect("party");
    }
    let mut out = Vec::new();
    let start = Instant::now();
    store
        .batch(|s| {
            for i in 0..n {
                let (text, date) = record(i);
                if i % 4 == 0 {
                    let to = vec![names[(i + 1) % 50].clone()];
                    let input = LetterInput {
                        case: "scale".into(),
                        sender: names[i % 50].clone(),
                        to,
                        subject: text,
                        date,
                        ..Default::default()
                    };
                    letter::create(s, &input)?;
                } else {
                    let parties = vec![names[i % 50].clone()];
                    event::create(
                        s,
                        &EventInput { case: "scale".into(), title: text, date, parties, ..Default::default() },
                    )?;
                }
            }
            Ok(())
        })
        .expect("load");
    out.push((format!("write {n} records through the write path (one batch)"), start.elapsed()));
    let size = ["scale.sqlite", "scale.sqlite-wal"]
        .iter()
        .map(|f| std::fs::metadata(dir.join(f)).map(|m| m.len()).unwrap_or(0))
        .sum();

    let db = store.reader();
    let all = Filter::default();
    let page = |filter: &Filter, after: Option<&str>| timeline::page(db, "scale", filter, after, 200).expect("page");
    out.push(("timeline: first page of 200".into(), best(RUNS, || page(&all, None))));
    // Right after opening, SQLite's cache is empty: every page is read (and decrypted) from the file.
    out.push(("open the database (the KDF at test settings)".into(), best(RUNS, || open(dir, encrypted))));
    let reopened = || {
        let fresh = open(dir, encrypted);
        timeline::page(fresh.reader(), "scale", &all, None, 200).expect("page")
    };
    out.push(("timeline: first page of 200, just opened (cold cache)".into(), best(RUNS, reopened)));
    let mut cursor = page(&all, None).next;
    for _ in 0..(n / 2 / 1000) {
        cursor = timeline::page(db, "scale", &all, cursor.as_deref(), 1000).expect("page").next;
    }
    out.push(("timeline: page of 200 half-way through (keyset)".into(), best(RUNS, || page(&all, cursor.as_deref()))));
    let by_party = Filter { party: Some("Party 07".into()), ..Default::default() };
    out.push(("timeline: first page filtered by one party".into(), best(RUNS, || page(&by_party, None))));
    let by_kind = Filter {
        kinds: vec!["letter".into()],
        from: Some("2010".into()),
        to: Some("2012".into()),
        ..Default::default()
    };
    out.push(("timeline: letters of 2010-2012, first page".into(), best(RUNS, || page(&by_kind, None))));
    let find = |q: &str| {
        let hits = search::search(db, q, None, 100).expect("search");
        assert!(!hits.is_empty(), "'{q}' finds something");
        hits
    };
    out.push(("search: a word in 10% of records ('audit'), best 100".into(), best(RUNS, || find("audit"))));
    out.push(("search: prefix 'redev*', best 100".into(), best(RUNS, || find("redev*"))));
    out.push(("search: phrase \"record 42\"".into(), best(RUNS, || find("\"record 42\""))));
    out.push(("search: 'clause -audit' (nearly every record), best 100".into(), best(RUNS, || find("clause -audit"))));
    (out, size)
}

/// The bare equivalent in raw SQLite: rows with a sort key and an FTS5 index written in one
/// transaction, the first page by sort key, and an FTS5 query. `key`: SQLCipher's, or none.
fn raw(dir: &Path, n: usize, key: Option<&str>) -> Vec<(String, Duration)> {
    let conn = Connection::open(dir.join("raw.sqlite")).expect("open");
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{key}\"; PRAGMA temp_store = MEMORY;")).expect("key");
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE item (id INTEGER PRIMARY KEY, sort TEXT NOT NULL, date TEXT NOT NULL, title TEXT NOT NULL);
         CREATE INDEX item_sort ON item (sort, id);
         CREATE VIRTUAL TABLE item_fts USING fts5 (title, tokenize = 'unicode61 remove_diacritics 2');",
    )
    .expect("schema");
    let start = Instant::now();
    let tx = conn.unchecked_transaction().expect("begin");
    {
        let mut row = tx.prepare("INSERT INTO item (id, sort, date, title) VALUES (?1, ?2, ?3, ?4)").expect("insert");
        let mut fts = tx.prepare("INSERT INTO item_fts (rowid, title) VALUES (?1, ?2)").expect("insert");
        for i in 0..n {
            let (text, date) = record(i);
            let sort = date.trim_start_matches(['~', '<', '>']).to_string();
            row.execute(rusqlite::params![i as i64, sort, date, text]).expect("row");
            fts.execute(rusqlite::params![i as i64, text]).expect("fts");
        }
    }
    tx.commit().expect("commit");
    let mut out = vec![(format!("raw: insert {n} rows + FTS5 (one transaction)"), start.elapsed())];
    let first = || {
        let mut q = conn.prepare_cached("SELECT id, date, title FROM item ORDER BY sort, id LIMIT 200").expect("q");
        q.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .expect("rows")
            .count()
    };
    out.push(("raw: first 200 rows by sort key".into(), best(RUNS, first)));
    let find = || {
        let mut q = conn
            .prepare_cached("SELECT rowid FROM item_fts WHERE item_fts MATCH 'audit' ORDER BY rank LIMIT 100")
            .expect("q");
        q.query_map([], |r| r.get::<_, i64>(0)).expect("rows").count()
    };
    out.push(("raw: FTS5 'audit', best 100 by rank".into(), best(RUNS, find)));
    out
}

/// The same measures in two settings, side by side.
fn rows(first: &[(String, Duration)], second: &[(String, Duration)]) -> Vec<Row> {
    first.iter().zip(second).map(|((label, a), (_, b))| Row { label: label.clone(), first: *a, second: *b }).collect()
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().expect("temp dir")).collect();
    let (plain, plain_size) = dossier(dirs[0].path(), false, n);
    let (encrypted, encrypted_size) = dossier(dirs[1].path(), true, n);
    let raw_plain = raw(dirs[2].path(), n, None);
    let key = "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'";
    let raw_encrypted = raw(dirs[3].path(), n, Some(key));

    // Dossier's measures against their bare equivalents: the write, the first page, the word search.
    let against = |dossier: &[(String, Duration)], raw: &[(String, Duration)]| -> Vec<Row> {
        [(0, 0), (1, 1), (7, 2)]
            .iter()
            .map(|&(d, r)| Row { label: dossier[d].0.clone(), first: raw[r].1, second: dossier[d].1 })
            .collect()
    };
    print(&format!("Dossier, a case of {n} records"), ["plaintext", "encrypted"], &rows(&plain, &encrypted));
    println!(
        "database size (file + WAL): {:.1} MiB plaintext, {:.1} MiB encrypted",
        plain_size as f64 / (1 << 20) as f64,
        encrypted_size as f64 / (1 << 20) as f64
    );
    print("Raw SQLite, the same rows", ["plaintext", "SQLCipher"], &rows(&raw_plain, &raw_encrypted));
    print("Dossier against raw SQLite, plaintext", ["raw", "Dossier"], &against(&plain, &raw_plain));
    print("Dossier against raw SQLite, both encrypted", ["raw", "Dossier"], &against(&encrypted, &raw_encrypted));
}
