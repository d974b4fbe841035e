//! Dossier at litigation scale, every figure beside raw SQLite doing the same work in the same run.
//! Run with `cargo bench -p dossier-core --bench scale` (a case of 100,000 items, search over
//! 1,000,000 rows; about 10 minutes), or `-- 20000` for another size (search over ten times as many
//! rows). No timed asserts anywhere: it prints a table, with each goal and whether it is met.
//!
//! What it does, in order:
//! 1. generates a case of N items (`dossier gen`: one bulk write), and writes the same records raw
//!    (read from the case's JSON bundle);
//! 2. imports a JSON bundle of N/10 items, and writes the same records raw; then round-trips the case
//!    of N items through its own bundle, export then import into an empty database, each in a process
//!    of its own (time, peak memory), beside the same records written raw in step 1;
//! 3. imports a CSV chronology of N rows (new parties created), and writes the same rows raw; the
//!    memory of a CSV of N/10 rows beside it shows whether memory grows with the file;
//!    then imports an .mbox of N/5 messages (20,000 at the default size), and writes the same
//!    messages raw;
//! 4. reads timeline pages of 200 from the case, and the same rows by one bare query;
//! 5. compares the size of the case's database with the raw one's, per record;
//! 6. fills the search index to 10×N rows and searches a rare word, a common word and a phrase, beside
//!    the same FTS5 query by bare SQL, N/10 events in Japanese, Chinese and Russian written first: a
//!    word searched inside their unsegmented text, and a Russian word by another of its forms;
//! 7. opens that database (over 1 GB at the default size) and lists its cases;
//! 8. (before 5) exports the case of N items in every report format — Markdown, HTML, Word, PDF, CSV,
//!    the JSON bundle — with the time, the memory it took and the file's size; the PDF's goals are the
//!    issue's: a minute and 500 MiB at 20,000 items, five minutes at 100,000; Word's, 300 MiB.

mod imports;
mod measure;
mod raw;
mod sizes;
#[path = "../common/timing.rs"]
mod timing;

use std::path::{Path, PathBuf};

use dossier_core::date::FuzzyDate;
use dossier_core::generate::generate;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::transfer::{self, ExportRequest, ImportRequest};
use dossier_core::view::timeline::{self, Filter};
use dossier_core::view::{overview, search};
use dossier_core::Store;
use measure::{print, timed_with_memory, Goal, Line, Value};
use rusqlite::{Connection, OpenFlags};
use timing::{best, RUNS};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if export_child(&args) || imports::bundle_child(&args) {
        return;
    }
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    // `--sizes`: only the case, its raw twin and where their bytes go (steps 1 and 5).
    let sizes_only = std::env::args().any(|a| a == "--sizes");
    let search_rows = 10 * n;
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    println!("Dossier at scale: a case of {n} items; search over {search_rows} rows");

    // 1. The case of N items in one bulk write, and its bundle; the same records written raw.
    let case_db = dir.join("case.sqlite");
    let mut store = Store::open(&case_db).expect("open");
    let (made, took, _) = timed_with_memory(|| generate(&mut store, "big", n, 7).expect("generate"));
    println!("generated in {:.1} s: {made:?}", took.as_secs_f64());
    let json = export_bundle(&store, "big", &dir.join("bundle"));
    let (raw_took, raw_rows) = raw::bundle(&dir.join("raw-bundle.sqlite"), &json);
    let mut lines = vec![Line::new(
        format!("generate {n} items, `dossier gen` ({raw_rows} records)"),
        Value::RowsPerSecond(raw_rows as f64 / took.as_secs_f64()),
        Some(Value::RowsPerSecond(raw_rows as f64 / raw_took.as_secs_f64())),
        Goal::Share(0.25),
    )];
    let raw_bundle_rate = raw_rows as f64 / raw_took.as_secs_f64();
    drop(json);

    // 2. A bundle import of N/10 items, then the case of N items round-tripped through its bundle.
    if !sizes_only {
        let small = n / 10;
        let mut source = Store::open(&dir.join("small.sqlite")).expect("open");
        generate(&mut source, "small", small, 8).expect("generate");
        let json = export_bundle(&source, "small", &dir.join("small-bundle"));
        let mut target = Store::open(&dir.join("imported.sqlite")).expect("open");
        let path = dir.join("small-bundle").join("case.json");
        let (report, took, memory) = timed_with_memory(|| {
            transfer::import(&mut target, &ImportRequest { path, ..Default::default() }).expect("import")
        });
        let (raw_took, raw_rows) = raw::bundle(&dir.join("raw-small.sqlite"), &json);
        lines.push(Line::new(
            format!("import a JSON bundle ({small} items, {:.1} MiB)", json.len() as f64 / (1 << 20) as f64),
            Value::RowsPerSecond(report.count as f64 / took.as_secs_f64()),
            Some(Value::RowsPerSecond(raw_rows as f64 / raw_took.as_secs_f64())),
            Goal::Share(0.5),
        ));
        lines.push(Line::new("memory rise while importing it", Value::MiB(memory), None, Goal::None));
        lines.extend(imports::round_trip(&case_db, n, raw_bundle_rate, &dir.join("round-trip")));
    }

    // 3. A CSV chronology of N rows, and of N/10 for the memory.
    for rows in [n / 10, n].into_iter().filter(|_| !sizes_only) {
        let csv = chronology(rows);
        let file = dir.join(format!("chronology-{rows}.csv"));
        std::fs::write(&file, &csv).expect("csv");
        let mut s = Store::open(&dir.join(format!("csv-{rows}.sqlite"))).expect("open");
        case::create(&mut s, &CaseInput { title: "Spreadsheet".into(), slug: "sheet".into(), ..Default::default() })
            .expect("case");
        let request = ImportRequest { path: file, case: "sheet".into(), create_parties: true, ..Default::default() };
        let (report, took, memory) = timed_with_memory(|| transfer::import(&mut s, &request).expect("import"));
        if rows == n {
            let (raw_took, raw_rows) = raw::csv(&dir.join("raw-csv.sqlite"), csv.as_bytes());
            lines.push(Line::new(
                format!("import a CSV chronology ({rows} rows, {:.1} MiB)", csv.len() as f64 / (1 << 20) as f64),
                Value::RowsPerSecond(report.count as f64 / took.as_secs_f64()),
                Some(Value::RowsPerSecond(raw_rows as f64 / raw_took.as_secs_f64())),
                Goal::Share(0.5),
            ));
        }
        lines.push(Line::new(
            format!("memory rise while importing {rows} CSV rows"),
            Value::MiB(memory),
            None,
            Goal::None,
        ));
    }

    // 3b. A mailbox of N/5 messages (20,000 at the default size, the most an .mbox may hold).
    if !sizes_only {
        lines.extend(imports::mailbox((n / 5).clamp(10, 20_000), dir));
    }

    // 4. Timeline pages of the imported case, and the same rows by one bare query.
    let conn = raw_reader(&case_db);
    if !sizes_only {
        lines.extend(timeline_pages(&store, &conn));
        // 8. The case exported in every format.
        lines.extend(exports(&case_db, n, &dir.join("exports")));
    }

    // 5. Size per record: the case as written, against the same records written raw.
    drop(conn);
    drop(store);
    let items = raw_rows as u64;
    let (dossier_size, raw_size) = (size(&case_db), size(&dir.join("raw-bundle.sqlite")));
    lines.push(Line::new(
        "database size per record",
        Value::Bytes(dossier_size / items),
        Some(Value::Bytes(raw_size / items)),
        Goal::Ratio(1.5),
    ));
    for (whose, db, total) in
        [("the case's", &case_db, dossier_size), ("raw", &dir.join("raw-bundle.sqlite"), raw_size)]
    {
        let mut rows = sizes::objects(db);
        rows.extend(sizes::columns(db));
        let title = format!("Bytes of {whose} database by table and index, then by column ({items} records)");
        sizes::print(&title, &rows, total, items);
    }
    if sizes_only {
        print(&format!("Dossier at scale (N = {n}), up to the size"), &lines);
        return;
    }

    // 6. Search over 10×N rows, some of them Japanese, Chinese and Russian (written before the index is
    // filled by copies, which take the document numbers the write path would give).
    let mut store = Store::open(&case_db).expect("open");
    lines.push(other_scripts(&mut store, n / 10));
    drop(store);
    fill_search(&case_db, search_rows);
    let store = Store::open(&case_db).expect("open");
    let conn = raw_reader(&case_db);
    let hits: i64 = conn
        .query_row("SELECT count(*) FROM search_index WHERE search_index MATCH 'the'", [], |r| r.get(0))
        .expect("count");
    // Raw: the same query on the words (not their stems), as Dossier's first pass makes it.
    for (label, query, fts) in [
        ("search: a rare word, best 50 with snippets", "quokka", "{title body grams} : quokka"),
        (&*format!("search: a common word ({hits} hits), best 50"), "the", "{title body grams} : the"),
        ("search: a phrase, best 50", "\"termination notice\"", "{title body grams} : \"termination notice\""),
    ] {
        let dossier = best(5, || search::search(store.reader(), query, None, 50).expect("search"));
        let bare = best(5, || raw::read_all(&conn, BARE_SEARCH, &[&fts]));
        lines.push(Line::new(label, Value::Ms(dossier), Some(Value::Ms(bare)), Goal::Time { ms: 50.0, ratio: None }));
    }
    lines.extend(other_searches(&store, &conn));
    drop(conn);
    drop(store);

    // 7. Open the database and list its cases.
    let gib = size(&case_db) as f64 / (1u64 << 30) as f64;
    let open = best(5, || {
        let s = Store::open(&case_db).expect("open");
        overview::summaries(s.reader()).expect("cases").len()
    });
    let bare = best(5, || {
        let c = Connection::open(&case_db).expect("open");
        raw::read_all(&c, "SELECT id, slug, title, status FROM case_file ORDER BY title", &[])
    });
    lines.push(Line::new(
        format!("open the database ({gib:.2} GiB) and list its cases"),
        Value::Ms(open),
        Some(Value::Ms(bare)),
        Goal::Time { ms: 200.0, ratio: None },
    ));

    print(&format!("Dossier at scale (N = {n}), each figure beside raw SQLite's in this run"), &lines);
}

/// The bare query of a search: the best 50 rows with their snippets, ranked as Dossier ranks them.
const BARE_SEARCH: &str = "SELECT record_id, kind, title, snippet(search_index, 5, char(1), char(2), '…', 16),
                                  snippet(search_index, 4, char(1), char(2), '…', 16)
                             FROM search_index WHERE search_index MATCH ?1
                            ORDER BY bm25(search_index, 0.0, 0.0, 0.0, 0.0, 5.0, 1.0, 0.5, 1.0) LIMIT 50";

/// `events` events in Japanese and Chinese, and a few in Russian, written through the write path into
/// a case of their own.
fn other_scripts(store: &mut Store, events: usize) -> Line {
    const JA: &[&str] = &["株式会社", "訴訟", "契約", "違反", "損害賠償", "弁護士", "裁判所", "原告", "被告", "和解"];
    const ZH: &[&str] = &["公司", "诉讼", "合同", "违约", "赔偿", "律师", "法院", "原告", "被告", "许可费"];
    const PARTS: &[&str] = &["が", "を", "に", "は", "と", "の"];
    const VERBS: &[&str] = &["提起した", "否定した", "求めた", "認めた", "送付した"];
    case::create(store, &CaseInput { title: "株式会社 訴訟".into(), slug: "cjk".into(), ..Default::default() })
        .expect("case");
    let mut rng = fastrand::Rng::with_seed(11);
    let took = std::time::Instant::now();
    store
        .batch(|s| {
            for i in 0..events {
                let title = if i % 2 == 0 {
                    let mut pick = |words: &[&'static str]| words[rng.usize(..words.len())];
                    (0..3).map(|_| format!("{}{}{}", pick(JA), pick(PARTS), pick(VERBS))).collect::<Vec<_>>().join("。")
                } else {
                    (0..8).map(|_| ZH[rng.usize(..ZH.len())]).collect::<String>()
                };
                let title = if i % 50 == 0 {
                    "Газпром подал иски против компании".to_string()
                } else {
                    title
                };
                let input = dossier_core::record::event::EventInput {
                    case: "cjk".into(),
                    title,
                    date: "2024".into(),
                    ..Default::default()
                };
                dossier_core::record::event::create(s, &input)?;
            }
            Ok(())
        })
        .expect("events");
    let took = took.elapsed();
    Line::new(
        format!("write {events} events in Japanese, Chinese and Russian"),
        Value::RowsPerSecond(events as f64 / took.as_secs_f64()),
        None,
        Goal::None,
    )
}

/// A word searched inside Japanese text, and a Russian word by another of its forms, beside the bare
/// query on the pairs (or the stems).
fn other_searches(store: &Store, conn: &Connection) -> Vec<Line> {
    let count = |fts: &str| -> i64 {
        conn.query_row("SELECT count(*) FROM search_index WHERE search_index MATCH ?1", [fts], |r| r.get(0))
            .expect("count")
    };
    let mut lines = Vec::new();
    let tagged = format!("{{stems}} : \"ru{}иск\"", dossier_core::stem::TAG);
    for (label, query, fts) in [
        ("search: a Japanese word inside unsegmented text", "訴訟", "{grams} : \"訴訟\"".to_string()),
        ("search: a Russian word by another form (иск: иски)", "иск", tagged),
    ] {
        let label = format!("{label} ({} hits), best 50", count(&fts));
        let dossier = best(5, || search::search(store.reader(), query, None, 50).expect("search"));
        let bare = best(5, || raw::read_all(conn, BARE_SEARCH, &[&fts]));
        lines.push(Line::new(label, Value::Ms(dossier), Some(Value::Ms(bare)), Goal::Time { ms: 50.0, ratio: None }));
    }
    lines
}

/// A timeline page measured: its label, Dossier's filter and cursor, and the bare query with its
/// values (after the case id, `?1`).
type PageCase = (String, Filter, Option<String>, String, Vec<Box<dyn rusqlite::ToSql>>);

/// Timeline pages of 200 — unfiltered, deep, by party, by kind, by date window — and the same rows read
/// by one bare query (`raw::PAGE`; the party's and the window's through the indexes Dossier's own
/// query uses, `raw::keyed`).
fn timeline_pages(store: &Store, conn: &Connection) -> Vec<Line> {
    let db = store.reader();
    let case_id: String =
        conn.query_row("SELECT id FROM case_file WHERE slug = 'big'", [], |r| r.get(0)).expect("case");
    let party: String = conn
        .query_row("SELECT party_id FROM case_party WHERE case_id = ?1 ORDER BY party_id LIMIT 1", [&case_id], |r| {
            r.get(0)
        })
        .expect("party");
    let total: i64 = conn
        .query_row("SELECT count(*) FROM timeline_row WHERE case_id = ?1", [&case_id], |r| r.get(0))
        .expect("count");
    // The cursor half-way through, read by pages as the app would.
    let mut cursor: Option<String> = None;
    let mut read = 0;
    while read < total / 2 {
        let size = (total / 2 - read).min(1000) as usize;
        cursor = timeline::page(db, "big", &Filter::default(), cursor.as_deref(), size).expect("page").next;
        read += size as i64;
    }
    let cursor = cursor.unwrap_or_default();
    let parts: Vec<&str> = cursor.splitn(5, ':').collect();
    let key: Vec<i64> = parts[..4].iter().map(|p| p.parse().expect("cursor")).collect();
    let (lo, hi) =
        (FuzzyDate::parse("2015-03").unwrap().lower().unwrap(), FuzzyDate::parse("2015-06").unwrap().upper().unwrap());
    let window = Filter { from: Some("2015-03".into()), to: Some("2015-06".into()), ..Default::default() };
    let page = |condition: &str| raw::PAGE.replace("{}", condition);
    let cases: Vec<PageCase> = vec![
        (format!("timeline: first page of 200 ({total} entries)"), Filter::default(), None, page("1"), vec![]),
        (
            "timeline: page of 200 half-way (keyset)".into(),
            Filter::default(),
            Some(cursor.clone()),
            page("(sort, rank, position, kind_rank, entry_id) > (?2, ?3, ?4, ?5, ?6)"),
            vec![
                Box::new(key[0]),
                Box::new(key[1]),
                Box::new(key[2]),
                Box::new(key[3]),
                Box::new(parts[4].to_string()),
            ],
        ),
        (
            "timeline: first page, one party".into(),
            Filter { party: Some(party.clone()), ..Default::default() },
            None,
            raw::keyed(raw::PARTY_KEYS),
            vec![Box::new(party)],
        ),
        (
            "timeline: first page, letters only".into(),
            Filter { kinds: vec!["letter".into()], ..Default::default() },
            None,
            page("kind = 'letter'"),
            vec![],
        ),
        (
            "timeline: first page, March to June 2015".into(),
            window,
            None,
            raw::keyed(&raw::window_keys()),
            vec![Box::new(lo), Box::new(hi)],
        ),
    ];
    let mut lines = Vec::new();
    for (label, filter, after, sql, values) in cases {
        let dossier = best(RUNS, || timeline::page(db, "big", &filter, after.as_deref(), 200).expect("page"));
        let mut all: Vec<&dyn rusqlite::ToSql> = vec![&case_id];
        all.extend(values.iter().map(|v| v.as_ref()));
        let bare = best(RUNS, || raw::page(conn, &sql, &all));
        lines.push(Line::new(
            label,
            Value::Ms(dossier),
            Some(Value::Ms(bare)),
            Goal::Time { ms: 2.0, ratio: Some(1.5) },
        ));
    }
    lines
}

/// The case of `n` items in the database `db` exported in each format: time, peak memory, size. Each
/// export runs in a process of its own (this bench started again, see [`export_child`]), which says
/// its own peak resident memory (`VmHWM`: the kernel's `ru_maxrss` would count the bench's own memory
/// at the fork); no other program runs (the PDF is typeset in the process).
fn exports(db: &Path, n: usize, folder: &Path) -> Vec<Line> {
    std::fs::create_dir_all(folder).expect("exports folder");
    let mut lines = Vec::new();
    for format in ["md", "html", "docx", "pdf", "csv", "json"] {
        let path = folder.join(format!("case.{format}"));
        let started = std::time::Instant::now();
        let out = std::process::Command::new(std::env::current_exe().expect("the bench"))
            .args([EXPORT_CHILD, db.to_str().expect("path"), format, path.to_str().expect("path")])
            .output()
            .expect("run the export");
        let took = started.elapsed();
        assert!(out.status.success(), "the export failed: {}", String::from_utf8_lossy(&out.stderr));
        let peak_kib: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("the export's peak");
        let mib = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / (1 << 20) as f64;
        let time_goal = match (format, n) {
            ("pdf", n) if n <= 20_000 => Goal::Time { ms: 60_000.0, ratio: None },
            ("pdf", _) => Goal::Time { ms: 300_000.0, ratio: None },
            _ => Goal::None,
        };
        let memory_goal = match (format, n) {
            ("pdf", n) if n <= 20_000 => Goal::AtMost(500.0),
            ("docx", _) => Goal::AtMost(300.0),
            _ => Goal::None,
        };
        lines.push(Line::new(format!("export {format} ({n} items, {mib:.1} MiB)"), Value::Ms(took), None, time_goal));
        lines.push(Line::new(
            format!("peak memory exporting {format}"),
            Value::MiB(peak_kib / 1024.0),
            None,
            memory_goal,
        ));
        let _ = std::fs::remove_file(&path);
    }
    lines
}

/// The argument that makes this bench export one file and stop: `EXPORT_CHILD DB FORMAT PATH`.
const EXPORT_CHILD: &str = "--export-child";

/// Exports case `big` of the database `db` as `format` to `path`, when the bench was started so, and
/// prints this process's peak resident memory in KiB.
fn export_child(args: &[String]) -> bool {
    let [flag, db, format, path] = args else { return false };
    if flag != EXPORT_CHILD {
        return false;
    }
    let store = Store::open(Path::new(db)).expect("open");
    let request =
        ExportRequest { case: "big".into(), format: format.clone(), path: PathBuf::from(path), ..Default::default() };
    transfer::export(&store, &request).expect("export");
    println!("{}", measure::peak_kib());
    true
}

/// A chronology of `rows` events: dates of every precision, 30 parties (created by the import), a
/// title and a description in English or French.
fn chronology(rows: usize) -> String {
    let mut out = String::from("date;title;parties;description\n");
    for i in 0..rows {
        let (y, m, d) = (2009 + i % 16, 1 + (i / 16) % 12, 1 + (i / 192) % 28);
        let date = match i % 6 {
            0 => format!("{y}-{m:02}-{d:02}"),
            1 => format!("{y}-{m:02}"),
            2 => format!("~{y}-{m:02}"),
            3 => format!("{y}"),
            4 => format!("<{y}-{m:02}-{d:02}"),
            _ => format!("{y}-{m:02}..{}-{m:02}", y + 1),
        };
        let (a, b) = (i % 30, (i / 30) % 30);
        let text = if i % 2 == 0 {
            format!("Party {a:02} disputes the licence fee under clause {}.{} within thirty days", i % 9, i % 7)
        } else {
            format!("Partie {b:02} conteste la redevance de licence au titre de l’article {}.{}", i % 9, i % 7)
        };
        out.push_str(&format!("{date};Event {i}: {text};Party {a:02} | Party {b:02};{text}. {text}.\n"));
    }
    out
}

/// A read-only connection for raw SQLite's reads, with the page cache Dossier's connection has: the
/// same work, with the same memory (with SQLite's default 2 MiB, a page of the timeline no longer fits).
fn raw_reader(db: &Path) -> Connection {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open raw");
    conn.pragma_update(None, "cache_size", -dossier_core::store::PAGE_CACHE_KIB).expect("cache size");
    conn
}

/// Grows the search index to `rows` rows with copies of the case's own (bench only: a case of that
/// many records would take the write path hours to make), and puts a rare word in three of them.
fn fill_search(db: &Path, rows: usize) {
    let conn = Connection::open(db).expect("open raw");
    let have: i64 = conn.query_row("SELECT count(*) FROM search_index", [], |r| r.get(0)).expect("count");
    let copies = ((rows as i64 + have - 1) / have.max(1)).max(1);
    conn.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < {copies} - 1)
         INSERT INTO search_index (record_id, case_id, kind, page, title, body, stems, grams)
              SELECT s.record_id || '-' || n.k, s.case_id, s.kind, s.page, s.title, s.body, s.stems, s.grams
                FROM search_index s, n;
         INSERT INTO search_index (record_id, case_id, kind, page, title, body, stems, grams)
              SELECT record_id || '-q', case_id, kind, page, title, body || ' a quokka', stems || ' quokka', grams
                FROM search_index LIMIT 3;
         COMMIT;"
    ))
    .expect("fill the search index");
    let now: i64 = conn.query_row("SELECT count(*) FROM search_index", [], |r| r.get(0)).expect("count");
    println!("search index filled: {now} rows");
}

/// Exports case `slug` as a JSON bundle with its files into `folder` and returns its text.
fn export_bundle(store: &Store, slug: &str, folder: &Path) -> String {
    std::fs::create_dir_all(folder).expect("bundle folder");
    let path = folder.join("case.json");
    let request = ExportRequest {
        case: slug.into(),
        format: "json".into(),
        path: path.clone(),
        with_files: true,
        ..Default::default()
    };
    transfer::export(store, &request).expect("export");
    std::fs::read_to_string(&path).expect("bundle")
}

/// A database's size on disk after a checkpoint (file and WAL).
fn size(db: &Path) -> u64 {
    let conn = Connection::open(db).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    drop(conn);
    [PathBuf::from(db), db.with_extension("sqlite-wal")]
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum()
}
