//! Crash safety, proven: a writer process (events, evidence files, chronology and bundle imports) is killed with
//! SIGKILL at a random moment, again and again; after each kill the database is reopened and must
//! pass SQLite's `integrity_check` and Dossier's `check`, hold every write the writer had acknowledged
//! before the kill, hold each import whole or not at all, and have no temporary file left.
//!
//! `cargo test -p dossier-core --test crash` runs 200 cycles; `DOSSIER_CRASH_CYCLES=2000` runs more.
//! The writer is this same test binary, started again with `DOSSIER_CRASH_WRITER` naming the database.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier_core::care::check::check;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::transfer::{bundle, import};
use dossier_core::Store;

const WRITER: &str = "DOSSIER_CRASH_WRITER";
const SEED: &str = "DOSSIER_CRASH_SEED";
const ROWS_PER_IMPORT: usize = 200;
/// Records of each bundle the writer imports: more than ten change-log entries hold (100 each), so a kill
/// may fall between the entries of one import.
const EVENTS_PER_BUNDLE: usize = 1_100;

/// A small deterministic generator (xorshift64*): the same seed makes the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The writer: does nothing unless started by `crash_cycles`. Writes until killed, printing `ack …`
/// once each write has returned (committed), and `begin import M` before an import.
#[test]
fn writer() {
    let Ok(db) = std::env::var(WRITER) else { return };
    let seed: u64 = std::env::var(SEED).ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut rng = Rng(seed | 1);
    let mut store = Store::open(Path::new(&db)).expect("open");
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let marker = format!("m{seed}x{i}");
        match rng.below(20) {
            0 => {
                writeln!(out, "begin import {marker}").expect("stdout");
                out.flush().expect("flush");
                let mut csv = String::from("date,title\n");
                for row in 0..ROWS_PER_IMPORT {
                    csv.push_str(&format!("2023-{:02},{marker} row {row}\n", row % 12 + 1));
                }
                import::csv_chronology(&mut store, "crash", csv.as_bytes()).expect("import");
                writeln!(out, "ack import {marker}").expect("stdout");
            }
            1 => {
                writeln!(out, "begin bundle {marker}").expect("stdout");
                out.flush().expect("flush");
                bundle::import_json(&mut store, &bundle_of(&marker), None, bundle::Mode::Refuse).expect("bundle");
                writeln!(out, "ack bundle {marker}").expect("stdout");
            }
            2..=3 => {
                let size = 16 * 1024 + rng.below(240 * 1024) as usize;
                let bytes: Vec<u8> = (0..size).map(|_| rng.next() as u8).collect();
                let input = FileInput {
                    case: "crash".into(),
                    path: PathBuf::from(format!("{marker}.bin")),
                    ..Default::default()
                };
                let e = evidence::add_stream(&mut store, &input, bytes.as_slice()).expect("evidence");
                writeln!(out, "ack evidence {}", e.id).expect("stdout");
            }
            _ => {
                let input =
                    EventInput { case: "crash".into(), title: marker, date: "2024".into(), ..Default::default() };
                let e = event::create(&mut store, &input).expect("event");
                writeln!(out, "ack event {}", e.id).expect("stdout");
            }
        }
        out.flush().expect("flush");
    }
}

/// A bundle of a case of its own holding [`EVENTS_PER_BUNDLE`] events titled `<marker> bundle row N`.
fn bundle_of(marker: &str) -> String {
    let stamp = "2024-05-01T10:00:00Z";
    let events: Vec<serde_json::Value> = (0..EVENTS_PER_BUNDLE)
        .map(|n| {
            serde_json::json!({ "id": format!("{marker}-e{n}"), "title": format!("{marker} bundle row {n}"),
                "date": "2023-05", "created_at": stamp, "updated_at": stamp })
        })
        .collect();
    serde_json::json!({
        "format": "dossier-bundle", "version": 1,
        "case": { "id": format!("case-{marker}"), "slug": format!("b-{marker}"), "title": marker, "status": "open",
                  "created_at": stamp, "updated_at": stamp },
        "events": events,
    })
    .to_string()
}

/// What the writers acknowledged, and the imports they began.
#[derive(Default)]
struct Acks {
    events: Vec<String>,
    evidence: Vec<String>,
    imports: Vec<String>,
    begun: Vec<String>,
    bundles: Vec<String>,
    bundles_begun: Vec<String>,
}

impl Acks {
    fn read(&mut self, line: &str) {
        let mut words = line.split(' ');
        match (words.next(), words.next(), words.next()) {
            (Some("ack"), Some("event"), Some(id)) => self.events.push(id.into()),
            (Some("ack"), Some("evidence"), Some(id)) => self.evidence.push(id.into()),
            (Some("ack"), Some("import"), Some(m)) => self.imports.push(m.into()),
            (Some("begin"), Some("import"), Some(m)) => self.begun.push(m.into()),
            (Some("ack"), Some("bundle"), Some(m)) => self.bundles.push(m.into()),
            (Some("begin"), Some("bundle"), Some(m)) => self.bundles_begun.push(m.into()),
            _ => {}
        }
    }
}

fn fresh_database(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join(format!("crash-{n}.sqlite"));
    let mut s = Store::open(&path).expect("create");
    case::create(&mut s, &CaseInput { title: "Crash".into(), slug: "crash".into(), ..Default::default() })
        .expect("case");
    path
}

/// Every file under `dir` whose name marks it as a staged (temporary) file.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if entry.file_name().to_string_lossy().starts_with(".incoming-") {
                out.push(path);
            }
        }
    }
    out
}

/// Makes the staged files a killed writer left look a few minutes old: the store removes only those
/// older than a minute, since a younger one may belong to a live process that has not locked it yet.
fn age_leftovers(dir: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(180);
    for path in leftovers(dir) {
        if let Ok(file) = std::fs::File::options().write(true).open(&path) {
            file.set_modified(past).expect("age a staged file");
        }
    }
}

/// Reopens the database after a kill and checks everything the module docs promise.
fn verify(path: &Path, dir: &Path, acks: &Acks, cycle: usize) {
    age_leftovers(dir);
    let store = Store::open(path).unwrap_or_else(|e| panic!("cycle {cycle}: reopen: {e}"));
    let integrity = store.reader().strings("PRAGMA integrity_check", []).expect("integrity_check");
    assert_eq!(integrity, ["ok"], "cycle {cycle}");
    let report = check(&store, None).expect("check");
    assert!(report.is_sound(), "cycle {cycle}: {:?}", report.problems);
    for id in &acks.events {
        event::get(store.reader(), id).unwrap_or_else(|e| panic!("cycle {cycle}: acknowledged event {id} lost: {e}"));
    }
    for id in &acks.evidence {
        let e = evidence::get(store.reader(), id)
            .unwrap_or_else(|e| panic!("cycle {cycle}: acknowledged evidence {id} lost: {e}"));
        assert!(store.blobs().contains(e.sha256.as_deref().expect("a file")), "cycle {cycle}: its file is there");
    }
    let count = |marker: &str, rows: &str| -> i64 {
        store
            .reader()
            .one("SELECT count(*) FROM event WHERE title LIKE ?1 || ?2 || ' %'", [marker, rows], |r| r.get(0))
            .expect("count")
    };
    for marker in &acks.bundles_begun {
        let n = count(marker, " bundle row");
        let whole = EVENTS_PER_BUNDLE as i64;
        if acks.bundles.contains(marker) {
            assert_eq!(n, whole, "cycle {cycle}: an acknowledged bundle import is whole");
        } else {
            assert!(n == 0 || n == whole, "cycle {cycle}: bundle {marker} half there ({n} rows)");
        }
    }
    for marker in &acks.begun {
        let n = count(marker, " row");
        if acks.imports.contains(marker) {
            assert_eq!(n, ROWS_PER_IMPORT as i64, "cycle {cycle}: an acknowledged import is whole");
        } else {
            assert!(n == 0 || n == ROWS_PER_IMPORT as i64, "cycle {cycle}: import {marker} half there ({n} rows)");
        }
    }
    assert_eq!(leftovers(dir), Vec::<PathBuf>::new(), "cycle {cycle}: temporary files left");
}

#[test]
fn crash_cycles() {
    if std::env::var(WRITER).is_ok() {
        return;
    }
    let cycles: usize = std::env::var("DOSSIER_CRASH_CYCLES").ok().and_then(|c| c.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let started = Instant::now();
    let (mut path, mut acks) = (fresh_database(dir.path(), 0), Acks::default());
    let (mut total_acks, mut killed_mid_import, mut bundles) = (0usize, 0usize, 0usize);
    for cycle in 0..cycles {
        // A new database now and then keeps each check's cost bounded.
        if cycle > 0 && cycle % 25 == 0 {
            total_acks += acks.events.len() + acks.evidence.len() + acks.imports.len() + acks.bundles.len();
            path = fresh_database(dir.path(), cycle);
            acks = Acks::default();
        }
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .args(["writer", "--exact", "--nocapture", "--test-threads=1"])
            .env(WRITER, &path)
            .env(SEED, (cycle as u64 + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        let stdout = child.stdout.take().expect("its stdout");
        let reader =
            std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<_>>());
        // One cycle in eight runs long enough for a bundle import to finish, or to be cut between the
        // change-log entries of one.
        let run = if cycle % 8 == 7 { 300 + rng.below(4_000) } else { 5 + rng.below(250) };
        std::thread::sleep(Duration::from_millis(run));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let lines = reader.join().expect("the reader");
        for line in &lines {
            acks.read(line);
        }
        if lines.last().is_some_and(|l| l.starts_with("begin import") || l.starts_with("begin bundle")) {
            killed_mid_import += 1;
        }
        bundles += lines.iter().filter(|l| l.starts_with("ack bundle")).count();
        verify(&path, dir.path(), &acks, cycle);
    }
    total_acks += acks.events.len() + acks.evidence.len() + acks.imports.len() + acks.bundles.len();
    println!(
        "crash cycles: {cycles} kills, {total_acks} acknowledged writes all kept ({bundles} bundle imports), {killed_mid_import} kills during an import, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
