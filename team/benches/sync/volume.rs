//! What a member's machine does in bulk: entries checked and opened, a space's log applied by a
//! joining member (beside raw SQLite writing as many rows), a generated case shared and joined, a
//! rebase, an evidence file sent and fetched.

use std::path::Path;
use std::time::{Duration, Instant};

use dossier_core::generate::generate;
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::store::sync::{envelope, local, Relay, Sealed};
use dossier_core::Store;
use dossier_team::Server;
use rusqlite::Connection;

use crate::space::{added, events, falcon, founder, joined, new_store, Member, Team};
use crate::{Line, Sizes};

/// (3 and 4) A space of `apply` write entries (an event each), pushed at once; its entries read back,
/// checked and opened (the best of three passes); then a member joins it: the entries it applied a
/// second. Raw SQLite inserts as many rows (each entry's record id and image) in one transaction.
pub fn apply_and_verify(sizes: &Sizes) -> Vec<Line> {
    let team = Team::new();
    let mut a = founder(&team, "Ana", falcon);
    events(&mut a.store, sizes.apply, "Applied event");
    let started = Instant::now();
    let pushed = a.sync().pushed;
    let push_took = started.elapsed();
    let space = a.space();

    let entries = read_all(&mut a.server);
    let key = local::key(a.store.reader(), 1).expect("key").expect("the space key");
    let mut payloads = Vec::new();
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        payloads = entries
            .iter()
            .map(|e| {
                envelope::verify(&space, e).expect("verify");
                envelope::open(&key, &space, e).expect("open")
            })
            .collect::<Vec<_>>();
        best = best.min(started.elapsed());
    }
    let verified = entries.len() as f64 / best.as_secs_f64();
    // Each half alone, to say which one costs.
    let alone = |step: &dyn Fn(&Sealed)| {
        let started = Instant::now();
        entries.iter().for_each(step);
        entries.len() as f64 / started.elapsed().as_secs_f64()
    };
    let verify_alone = alone(&|e| envelope::verify(&space, e).expect("verify"));
    let open_alone = alone(&|e| drop(envelope::open(&key, &space, e).expect("open")));
    let rows = image_rows(&payloads);
    let raw = raw_insert(&a.dir.path().join("raw.sqlite"), &rows);

    let (_dir, _, mut store, url) = added(&team, &mut a, "Dan");
    let mut server = Server::open(&url, space).expect("open");
    let started = Instant::now();
    let joined = store.team_join(&mut server, space, &url).expect("join");
    let took = started.elapsed();
    let applied = joined.pulled as f64 / took.as_secs_f64();
    let raw_rate = rows.len() as f64 / raw.as_secs_f64();
    let mut apply = Line::new(
        format!("apply: a member joins a space of {} write entries ({:.1} s)", joined.pulled, took.as_secs_f64()),
        format!("{applied:.0} entries/s"),
        "≥ 1,000 entries/s",
        Some(applied >= 1000.0),
    );
    apply.raw = format!("{raw_rate:.0} rows/s");
    apply.ratio = format!("{:.1}%", 100.0 * applied / raw_rate);
    let ten_thousand = pushed == 10_000;
    vec![
        Line::new(
            format!("push of {pushed} waiting writes at once ({pushed} entries)"),
            format!("{:.1} s", push_took.as_secs_f64()),
            if ten_thousand { "≤ 30 s (10,000 entries)" } else { "" },
            ten_thousand.then_some(push_took <= Duration::from_secs(30)),
        ),
        Line::new(
            format!(
                "verification: SHA-256 + Ed25519 + AEAD open, {} entries (hash and signature alone {verify_alone:.0}/s, opening alone {open_alone:.0}/s)",
                entries.len()
            ),
            format!("{verified:.0} entries/s"),
            "≥ 20,000 entries/s",
            Some(verified >= 20_000.0),
        ),
        apply,
    ]
}

/// Every entry of the space, 500 a read as the engine reads them.
fn read_all(server: &mut Server) -> Vec<Sealed> {
    let mut out: Vec<Sealed> = Vec::new();
    loop {
        let after = out.last().map_or(0, |e| e.seq);
        let batch = server.read(after, 500).expect("read");
        if batch.is_empty() {
            return out;
        }
        out.extend(batch);
    }
}

/// The record id and sync image (JSON text) of every record the write entries among `payloads` hold.
fn image_rows(payloads: &[Vec<u8>]) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for p in payloads {
        let Ok(payload) = serde_json::from_slice::<serde_json::Value>(p) else { continue };
        let Some(records) = payload.get("records").and_then(|r| r.as_object()) else { continue };
        for (id, change) in records {
            rows.push((id.clone(), change.get("after").map(|a| a.to_string()).unwrap_or_default()));
        }
    }
    rows
}

/// Raw SQLite: `rows` inserted by a prepared statement in one transaction, WAL and synchronous=FULL as
/// Dossier's connection has them.
fn raw_insert(db: &Path, rows: &[(String, String)]) -> Duration {
    let mut conn = Connection::open(db).expect("open raw");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE record_image (id TEXT PRIMARY KEY, image TEXT NOT NULL);",
    )
    .expect("raw schema");
    let started = Instant::now();
    let tx = conn.transaction().expect("begin");
    {
        let mut insert = tx.prepare("INSERT INTO record_image (id, image) VALUES (?1, ?2)").expect("prepare");
        for (id, image) in rows {
            insert.execute([id, image]).expect("insert");
        }
    }
    tx.commit().expect("commit");
    started.elapsed()
}

/// (5) A case of `n` generated items shared (`team_init`) and pushed by its founder, then joined by a
/// second member in a process of its own, which says how long its join took and its peak memory.
pub fn first_sync(sizes: &Sizes) -> Vec<Line> {
    let team = Team::new();
    let (dir, _, mut store, _) = new_store("Ana");
    let started = Instant::now();
    let made = generate(&mut store, "big", sizes.n, 7).expect("generate");
    println!("   generated {} items in {:.1} s: {made:?}", sizes.n, started.elapsed().as_secs_f64());
    let records: i64 = store.reader().one("SELECT count(*) FROM record", [], |r| r.get(0)).expect("count");
    let (url, _) = team.login("ana");
    let space = uuid::Uuid::now_v7();
    let device = local::device(store.reader()).expect("device").expect("keys");
    let mut server = Server::create(&url, space, device.id()).expect("create the space");
    let started = Instant::now();
    store.team_init(&mut server, space, "Bench", &url).expect("init");
    let init = started.elapsed();
    let mut a = Member { store, server, url, dir };
    let started = Instant::now();
    let pushed = a.sync().pushed;
    let push = started.elapsed();

    let (_dir, path, store, url) = added(&team, &mut a, "Dan");
    drop(store);
    let started = Instant::now();
    let out = std::process::Command::new(std::env::current_exe().expect("the bench"))
        .args([JOIN_CHILD, path.to_str().expect("path"), &url, &space.to_string()])
        .output()
        .expect("run the join");
    let wall = started.elapsed();
    assert!(out.status.success(), "the join failed: {}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    let figures: Vec<f64> = said.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let [join_secs, before_kib, peak_kib, pulled] = figures[..] else { panic!("the join child said {said:?}") };
    let mib = |kib: f64| kib / 1024.0;
    vec![
        Line::new(
            format!("first sync, {} items ({records} records): founder shares them (`team_init`)", sizes.n),
            format!("{:.1} s", init.as_secs_f64()),
            "",
            None,
        ),
        Line::new(
            format!("first sync: founder pushes {pushed} entries"),
            format!("{:.1} s", push.as_secs_f64()),
            "",
            None,
        ),
        Line::new(
            format!("first sync: a member joins ({pulled} entries applied), in its own process"),
            format!("{join_secs:.1} s ({:.1} s wall)", wall.as_secs_f64()),
            "≤ 3 min",
            Some(wall <= Duration::from_secs(180)),
        ),
        Line::new(
            "first sync: the joining process's peak memory (before the join)",
            format!("{:.0} MiB ({:.0})", mib(peak_kib), mib(before_kib)),
            "flat",
            None,
        ),
    ]
}

/// The argument that makes this bench join a space and stop: `JOIN_CHILD DB URL SPACE`.
const JOIN_CHILD: &str = "--join-child";

/// Joins the space `SPACE` at `URL` with the database `DB` (its device already added), when the bench
/// was started so; prints the join's seconds, the peak memory (KiB) before and after, and the entries
/// applied.
pub fn join_child(args: &[String]) -> bool {
    let [flag, db, url, space] = args else { return false };
    if flag != JOIN_CHILD {
        return false;
    }
    let space = uuid::Uuid::parse_str(space).expect("space id");
    let mut store = Store::open(Path::new(db)).expect("open");
    store.set_actor("bench");
    let mut server = Server::open(url, space).expect("open the server");
    let before = peak_kib();
    let started = Instant::now();
    let joined = store.team_join(&mut server, space, url).expect("join");
    println!("{} {before} {} {}", started.elapsed().as_secs_f64(), peak_kib(), joined.pulled);
    true
}

/// This process's peak resident memory so far, in KiB (`VmHWM`).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).expect("VmHWM");
    peak.trim().trim_end_matches("kB").trim().parse().expect("VmHWM in kB")
}

/// (6) A member with `pending` writes waiting syncs after another pushed `remote`: the sync timed
/// (pull, rewind, apply, replay, push).
pub fn rebase(sizes: &Sizes) -> Line {
    let team = Team::new();
    let mut a = founder(&team, "Ana", falcon);
    let mut b = joined(&team, &mut a, "Ben");
    events(&mut b.store, sizes.pending, "Waiting event");
    events(&mut a.store, sizes.remote, "Remote event");
    a.sync();
    let started = Instant::now();
    let synced = b.sync();
    let took = started.elapsed();
    assert_eq!((synced.pulled, synced.pushed), (sizes.remote, sizes.pending), "{synced:?}");
    let full = sizes.pending >= 500 && sizes.remote >= 2000;
    Line::new(
        format!("rebase: {} waiting writes over {} remote", sizes.pending, sizes.remote),
        format!("{:.1} s", took.as_secs_f64()),
        if full { "≤ 10 s" } else { "" },
        full.then_some(took <= Duration::from_secs(10)),
    )
}

/// (7) An evidence file of `file_mib` MiB (random bytes: nothing to compress) added on A and sent by
/// its sync; then fetched by B: MB/s (10^6 bytes) each way.
pub fn files(sizes: &Sizes) -> Vec<Line> {
    let team = Team::new();
    let mut a = founder(&team, "Ana", falcon);
    let mut b = joined(&team, &mut a, "Ben");
    let path = a.dir.path().join("exhibit.bin");
    let mut bytes = vec![0u8; sizes.file_mib << 20];
    fastrand::Rng::with_seed(5).fill(&mut bytes);
    std::fs::write(&path, &bytes).expect("the file");
    drop(bytes);
    evidence::add_file(&mut a.store, &FileInput { case: "falcon".into(), path, ..Default::default() }).expect("add");
    let started = Instant::now();
    a.sync();
    let up = started.elapsed();
    b.sync();
    let started = Instant::now();
    let fetched = b.store.team_fetch(&mut b.server, &[]).expect("fetch");
    let down = started.elapsed();
    assert_eq!(fetched.bytes, (sizes.file_mib << 20) as u64);
    let rate = |d: Duration| (sizes.file_mib << 20) as f64 / 1e6 / d.as_secs_f64();
    let (up, down) = (rate(up), rate(down));
    vec![
        Line::new(
            format!("file of {} MiB sent (the sync that sends it)", sizes.file_mib),
            format!("{up:.0} MB/s"),
            "≥ 50 MB/s",
            Some(up >= 50.0),
        ),
        Line::new(
            format!("file of {} MiB fetched (`team_fetch`)", sizes.file_mib),
            format!("{down:.0} MB/s"),
            "≥ 50 MB/s",
            Some(down >= 50.0),
        ),
    ]
}
