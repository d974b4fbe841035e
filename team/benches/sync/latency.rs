//! What a member waits for: a write pushed, a colleague's write showing up, an append under load.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use dossier_core::record::event::{self, EventInput};
use dossier_core::store::sync::envelope::Place;
use dossier_core::store::sync::keys::{Device, JoinRequest, SpaceKey};
use dossier_core::store::sync::{envelope, local, Appended, Kind, Relay};
use dossier_team::{Listener, Server};

use crate::space::{falcon, founder, joined, percentile, Team};
use crate::{p50_p95, Line, Sizes};

fn one_event(store: &mut dossier_core::Store, title: String) {
    let input = EventInput { case: "falcon".into(), title, date: "2024-05".into(), ..Default::default() };
    event::create(store, &input).expect("event");
}

/// (1) One write (an event), then the sync that sends it: the sync timed, `pushes` times.
pub fn push(sizes: &Sizes) -> Line {
    let team = Team::new();
    let mut a = founder(&team, "Ana", falcon);
    let mut took = Vec::with_capacity(sizes.pushes);
    for i in 0..sizes.pushes {
        one_event(&mut a.store, format!("Pushed event {i}"));
        let start = Instant::now();
        let synced = a.sync();
        took.push(start.elapsed());
        assert_eq!(synced.pushed, 1, "one write sent");
    }
    let p95 = percentile(&took, 95.0);
    Line::new(
        format!("push of one write (sync after an event), p50 / p95 of {}", sizes.pushes),
        p50_p95(&took),
        "≤ 50 ms",
        Some(p95 <= Duration::from_millis(50)),
    )
}

/// (2) A write committed on A, then A's sync; B waits on its listener and syncs when woken. The time
/// from A's commit to the end of the sync on B that applied it, `live` times, one at a time.
pub fn live(sizes: &Sizes) -> Line {
    let team = Team::new();
    let mut a = founder(&team, "Ana", falcon);
    let b = joined(&team, &mut a, "Ben");
    let space = a.space();
    let stop = Arc::new(AtomicBool::new(false));
    let (applied, arrivals) = mpsc::channel::<Instant>();
    let watcher = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut b = b;
            let mut listener = Listener::open(&b.url, space).expect("listen");
            while !stop.load(Ordering::Relaxed) {
                // Woken or not (a poll, as the app's minute), B syncs; only a sync that took in an
                // entry counts.
                let _ = listener.wait(Duration::from_millis(500)).expect("wait");
                if b.sync().pulled > 0 {
                    let _ = applied.send(Instant::now());
                }
            }
        })
    };
    // B listens before the first write.
    std::thread::sleep(Duration::from_millis(300));
    let mut took = Vec::with_capacity(sizes.live);
    for i in 0..sizes.live {
        one_event(&mut a.store, format!("Live event {i}"));
        let committed = Instant::now();
        a.sync();
        let seen = arrivals.recv_timeout(Duration::from_secs(30)).expect("B applied the write");
        took.push(seen.duration_since(committed));
        // B is back waiting on its listener before the next write.
        std::thread::sleep(Duration::from_millis(20 + fastrand::u64(..30)));
    }
    stop.store(true, Ordering::Relaxed);
    watcher.join().expect("watcher");
    let (p50, p95) = (percentile(&took, 50.0), percentile(&took, 95.0));
    Line::new(
        format!("live update: commit on A → applied on B, p50 / p95 of {}", sizes.live),
        p50_p95(&took),
        "p50 ≤ 300 ms, p95 ≤ 1 s",
        Some(p50 <= Duration::from_millis(300) && p95 <= Duration::from_secs(1)),
    )
}

/// One simulated member of the load run: a device, and its connection under a login of its own.
struct Simulated {
    device: Device,
    server: Server,
}

/// (8) `members` members, each on a thread with its own login, connection and device, appending
/// sealed, signed entries (the payload of a real write, sealed again under each one's own entry id)
/// at 10 appends a second in all, for `load`. Each append continues the head it just read; one that
/// lost the race (`Moved`) reads the head again and tries again.
pub fn load(sizes: &Sizes) -> Vec<Line> {
    let team = Team::new();
    let mut admin = founder(&team, "Ana", falcon);
    let space = admin.space();
    one_event(&mut admin.store, "A write like any other".into());
    admin.sync();
    let key = local::key(admin.store.reader(), 1).expect("key").expect("the space key");
    let (head, _) = admin.server.head().expect("head");
    let sample = admin.server.read(head - 1, 1).expect("read").pop().expect("the write's entry");
    let payload = envelope::open(&key, &space, &sample).expect("open");
    let mut simulated = Vec::with_capacity(sizes.members);
    for i in 0..sizes.members {
        let device = Device::generate();
        let person = format!("member{i:02}");
        let (url, role) = team.login(&person);
        let request = JoinRequest { person, device: device.public() };
        admin.store.team_add(&mut admin.server, &request, "editor", Some(&role)).expect("add");
        simulated.push(Simulated { device, server: Server::open(&url, space).expect("open") });
    }
    let interval = Duration::from_secs_f64(sizes.members as f64 / 10.0);
    let start = Instant::now() + Duration::from_millis(200);
    let end = start + sizes.load;
    let threads: Vec<_> = simulated
        .into_iter()
        .map(|mut m| {
            let key = SpaceKey::from_bytes(key.bytes().as_slice()).expect("key");
            let payload = payload.clone();
            let phase = interval.mul_f64(fastrand::f64());
            std::thread::spawn(move || {
                let mut out = Vec::new();
                let mut next = start + phase;
                while next < end {
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                    out.push(append_one(&mut m, &space, &key, &payload));
                    next += interval;
                }
                out
            })
        })
        .collect();
    let results: Vec<(Duration, Duration, usize)> =
        threads.into_iter().flat_map(|t| t.join().expect("member thread")).collect();
    let elapsed = sizes.load.as_secs_f64();
    let appends: Vec<Duration> = results.iter().map(|r| r.0).collect();
    let whole: Vec<Duration> = results.iter().map(|r| r.1).collect();
    let lost: usize = results.iter().map(|r| r.2).sum();
    let p95 = percentile(&appends, 95.0);
    vec![
        Line::new(
            format!(
                "load: {} members, {:.1} appends/s for {:.0} s ({} appends, {lost} lost a race): append p50 / p95",
                sizes.members,
                results.len() as f64 / elapsed,
                elapsed,
                results.len()
            ),
            p50_p95(&appends),
            "p95 ≤ 100 ms",
            Some(p95 <= Duration::from_millis(100)),
        ),
        Line::new("load: head read, seal, sign and append, retries included, p50 / p95", p50_p95(&whole), "", None),
    ]
}

/// One entry appended by `m`: how long the append that succeeded took, how long from reading the head
/// to it (retries included), and how many appends lost the race first.
fn append_one(m: &mut Simulated, space: &uuid::Uuid, key: &SpaceKey, payload: &[u8]) -> (Duration, Duration, usize) {
    let began = Instant::now();
    let mut lost = 0;
    loop {
        let (seq, prev) = m.server.head().expect("head");
        let place =
            Place { seq: seq + 1, prev_hash: prev, entry_id: uuid::Uuid::now_v7(), epoch: 1, kind: Kind::Write };
        let e = envelope::entry(key, &m.device, space, place, payload);
        let sent = Instant::now();
        match m.server.append(std::slice::from_ref(&e)).expect("append") {
            Appended::Done => return (sent.elapsed(), began.elapsed(), lost),
            Appended::Moved => lost += 1,
        }
    }
}
