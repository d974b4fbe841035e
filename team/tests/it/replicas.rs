//! Members' databases syncing through a real PostgreSQL: the failure cases of the design memo's §6,
//! each played on this machine — a connection cut mid-push and mid-file, a server restored from an
//! older `pg_dump`, a superuser who edits, swaps, deletes or forges entries or swaps a wrapped key.

use std::collections::BTreeMap;
use std::path::PathBuf;

use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::store::sync::envelope::Place;
use dossier_core::store::sync::{chain_hash, image, keys, local, Kind, Relay};
use dossier_core::store::Store;
use dossier_core::Error;
use dossier_team::testing::{Direction, Proxy, Upstream};
use dossier_team::Server;
use tempfile::TempDir;

use crate::support::pg::Team;

/// One member: a database file of their own, their login's connection string and a server.
struct Member {
    store: Store,
    url: String,
    server: Server,
    _dir: TempDir,
}

impl Member {
    fn sync(&mut self) -> dossier_core::Result<dossier_core::store::sync::Synced> {
        self.store.sync(&mut self.server)
    }

    fn reconnect(&mut self, url: &str) {
        let space = self.server.space();
        self.url = url.to_string();
        self.server = Server::open(url, space).expect("reconnect");
    }
}

fn new_store(person: &str) -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("dossier.sqlite")).expect("open");
    store.set_actor("test");
    store.team_keygen(person).expect("keygen");
    (dir, store)
}

/// Carla starts a space holding the case `falcon`, on her own login.
fn carla(team: &Team) -> Member {
    let (dir, mut store) = new_store("Carla");
    case::create(
        &mut store,
        &CaseInput { slug: "falcon".into(), title: "Twitter v. Microsoft".into(), ..Default::default() },
    )
    .expect("case");
    let url = team.login("carla");
    let space = uuid::Uuid::now_v7();
    let device = local::device(store.reader()).expect("device").expect("keys");
    let mut server = Server::create(&url, space, device.id()).expect("create");
    store.team_init(&mut server, space, "Falcon", &url).expect("init");
    let mut m = Member { store, url, server, _dir: dir };
    m.sync().expect("first push");
    m
}

/// `person` gets a login of their own, is added by `admin` with `role`, and joins.
fn joined(team: &Team, admin: &mut Member, person: &str, role: &str) -> Member {
    let (dir, mut store) = new_store(person);
    let request = store.team_keygen(person).expect("request");
    let url = team.login(&person.to_lowercase());
    admin.store.team_add(&mut admin.server, &request, role, Some(&team.role(&person.to_lowercase()))).expect("add");
    let mut server = Server::open(&url, admin.server.space()).expect("open");
    let space = server.space();
    store.team_join(&mut server, space, &url).expect("join");
    Member { store, url, server, _dir: dir }
}

fn state(store: &Store) -> BTreeMap<String, String> {
    image::every(store.reader()).expect("every record's image")
}

fn head(store: &Store) -> (i64, String) {
    let space = local::space(store.reader()).expect("space").expect("in a space");
    (space.head_seq, space.head_hash)
}

fn events(store: &mut Store, n: usize, prefix: &str) {
    for i in 0..n {
        let input = EventInput {
            case: "falcon".into(),
            title: format!("{prefix} {i}"),
            date: "2023-04".into(),
            ..Default::default()
        };
        event::create(store, &input).expect("event");
    }
}

/// A connection string to the test's database through `proxy`, as `url`'s login.
fn through(proxy: &Proxy, team: &Team, url: &str) -> String {
    let user = url.split_whitespace().find_map(|p| p.strip_prefix("user=")).expect("user");
    format!("host=127.0.0.1 port={} dbname={} user={user} sslmode=disable", proxy.port(), team.db.name)
}

#[test]
fn team_two_members_converge_over_postgres_with_logins_of_their_own() {
    let team = Team::new();
    let mut carla = carla(&team);
    let mut bob = joined(&team, &mut carla, "Bob", "editor");
    events(&mut bob.store, 3, "Bob's event");
    events(&mut carla.store, 2, "Carla's event");
    bob.sync().expect("bob");
    carla.sync().expect("carla rebases over bob's");
    bob.sync().expect("bob takes in");
    assert_eq!(state(&carla.store), state(&bob.store));
    assert_eq!(head(&carla.store), head(&bob.store));
    assert_eq!(event::list(bob.store.reader(), "falcon").expect("events").len(), 5);
    // The server holds no plaintext: no title is in any entry's body.
    let mut su = team.superuser();
    let bodies: Vec<Vec<u8>> =
        su.query("SELECT body FROM space_entry", &[]).expect("rows").iter().map(|r| r.get(0)).collect();
    assert!(bodies.len() >= 5);
    assert!(!bodies.iter().any(|b| b.windows(5).any(|w| w == b"event")), "the server sees only ciphertext");
}

/// Cuts the connection after `bytes` in `direction` while Carla pushes 20 writes; after healing, every
/// write is in the space exactly once and Bob has them all.
fn cut_mid_push(direction: Direction, bytes: u64) {
    let team = Team::new();
    let mut carla = carla(&team);
    let mut bob = joined(&team, &mut carla, "Bob", "editor");
    let proxy = Proxy::start(Upstream::Unix(team.cluster.socket())).expect("proxy");
    let direct = carla.url.clone();
    carla.reconnect(&through(&proxy, &team, &direct));
    events(&mut carla.store, 20, "Cut");
    proxy.cut_after(direction, bytes);
    let first = carla.sync();
    assert!(matches!(first, Err(Error::Offline(_)) | Ok(_)), "a cut is `offline`, never another error: {first:?}");
    proxy.heal();
    carla.reconnect(&through(&proxy, &team, &direct));
    carla.sync().expect("the next sync finishes the push");
    assert_eq!(dossier_core::store::sync::outbox::count(carla.store.reader()).expect("outbox"), 0);
    let mut su = team.superuser();
    let dupes: i64 =
        su.query_one("SELECT count(*) - count(DISTINCT entry_id) FROM space_entry", &[]).expect("count").get(0);
    assert_eq!(dupes, 0);
    bob.sync().expect("bob");
    assert_eq!(state(&carla.store), state(&bob.store));
    assert_eq!(head(&carla.store), head(&bob.store));
    assert_eq!(event::list(bob.store.reader(), "falcon").expect("events").len(), 20);
}

#[test]
fn team_connection_cut_while_sending_loses_and_doubles_nothing() {
    for bytes in [300, 3_000, 12_000] {
        cut_mid_push(Direction::Up, bytes);
    }
}

#[test]
fn team_connection_cut_while_the_server_answers_loses_and_doubles_nothing() {
    for bytes in [500, 4_000] {
        cut_mid_push(Direction::Down, bytes);
    }
}

#[test]
fn team_file_cut_at_sixty_percent_resumes_and_arrives_whole() {
    let team = Team::new();
    let mut carla = carla(&team);
    let mut bob = joined(&team, &mut carla, "Bob", "reader");
    let bytes: Vec<u8> = (0..(20u32 << 20)).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let path = carla._dir.path().join("disclosure.pdf");
    std::fs::write(&path, &bytes).expect("file");
    let ev = evidence::add_file(&mut carla.store, &FileInput { case: "falcon".into(), path, ..Default::default() })
        .expect("add");
    let sha = ev.sha256.expect("a file");

    let proxy = Proxy::start(Upstream::Unix(team.cluster.socket())).expect("proxy");
    let direct = carla.url.clone();
    carla.reconnect(&through(&proxy, &team, &direct));
    proxy.cut_after(Direction::Up, 12 << 20);
    assert!(matches!(carla.sync(), Err(Error::Offline(_))));
    let sent_before = proxy.bytes(Direction::Up);
    proxy.heal();
    carla.reconnect(&through(&proxy, &team, &direct));
    carla.sync().expect("resumed");
    let resent = proxy.bytes(Direction::Up) - sent_before;
    // Two whole chunks of 4 MiB were in before the cut: only the other three go again.
    assert!(resent < 13 << 20, "the chunks the server holds are not sent again ({resent} bytes sent after the cut)");

    bob.sync().expect("entry");
    let bob_proxy = Proxy::start(Upstream::Unix(team.cluster.socket())).expect("proxy");
    let bob_direct = bob.url.clone();
    bob.reconnect(&through(&bob_proxy, &team, &bob_direct));
    bob_proxy.cut_after(Direction::Down, 12 << 20);
    assert!(bob.store.team_fetch(&mut bob.server, &[]).is_err(), "a cut fetch fails");
    assert!(!bob.store.blobs().contains(&sha), "nothing half-fetched is kept");
    bob_proxy.heal();
    bob.reconnect(&through(&bob_proxy, &team, &bob_direct));
    let fetched = bob.store.team_fetch(&mut bob.server, &[]).expect("fetch");
    assert_eq!(fetched.bytes, bytes.len() as u64);
    let path = bob.store.blobs().path(&sha).expect("path");
    assert!(path.is_file());
    assert!(matches!(bob.store.blobs().state(&sha).expect("state"), dossier_core::store::blobs::BlobState::Intact));
}

fn pg_bin(program: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("DOSSIER_PG_BIN") {
        return PathBuf::from(dir).join(program);
    }
    let out = std::process::Command::new("pg_config").arg("--bindir").output();
    if let Some(out) = out.ok().filter(|o| o.status.success()) {
        return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join(program);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL installed")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(program)))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop().expect("a PostgreSQL bin folder")
}

#[test]
fn team_server_restored_from_an_older_dump_is_caught_and_repaired() {
    let team = Team::new();
    let mut carla = carla(&team);
    let mut bob = joined(&team, &mut carla, "Bob", "editor");
    let dump = tempfile::NamedTempFile::new().expect("dump file");
    let socket = team.cluster.socket_dir().display().to_string();
    let port = team.cluster.port().to_string();
    let run = |program: &str, args: &[&str]| {
        let out = std::process::Command::new(pg_bin(program))
            .args(["-h", &socket, "-p", &port, "-U", "postgres"])
            .args(args)
            .output()
            .expect(program);
        assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run("pg_dump", &["-Fc", "-f", &dump.path().display().to_string(), &team.db.name]);
    events(&mut carla.store, 3, "After the dump");
    carla.sync().expect("carla");
    bob.sync().expect("bob");
    let before = head(&carla.store);

    // The server is restored from the dump: the last three entries are gone. (FORCE ends the
    // members' connections; they reconnect.)
    let mut admin = team.cluster.superuser("postgres").expect("superuser");
    admin.batch_execute(&format!("DROP DATABASE \"{}\" WITH (FORCE)", team.db.name)).expect("drop");
    admin.batch_execute(&format!("CREATE DATABASE \"{}\"", team.db.name)).expect("create");
    run("pg_restore", &["-d", &team.db.name, &dump.path().display().to_string()]);

    carla.reconnect(&carla.url.clone());
    match carla.sync() {
        Err(Error::RolledBack { seen, found }) => assert_eq!(seen - found, 3),
        other => panic!("a restored server must be caught, got {other:?}"),
    }
    bob.reconnect(&bob.url.clone());
    assert!(matches!(bob.sync(), Err(Error::RolledBack { .. })), "every member stops");
    assert_eq!(carla.store.team_repair(&mut carla.server).expect("repair"), 3);
    let (seq, hash) = carla.server.head().expect("head");
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!((seq, hex), before, "the head is back to its hash from before");
    bob.sync().expect("bob in step again");
    carla.sync().expect("carla in step again");
    assert_eq!(state(&carla.store), state(&bob.store));
}

/// Bob is a member who has not synced Carla's last three writes when the server's superuser does
/// `tamper`: Bob's next sync names the entry.
fn tampered(tamper: &str, expect_seq: impl Fn(i64) -> i64) {
    let team = Team::new();
    let mut carla = carla(&team);
    let mut bob = joined(&team, &mut carla, "Bob", "editor");
    let base = head(&carla.store).0;
    events(&mut carla.store, 1, "First");
    carla.sync().expect("sync");
    events(&mut carla.store, 1, "Second");
    carla.sync().expect("sync");
    events(&mut carla.store, 1, "Third");
    carla.sync().expect("sync");
    let sql = tamper.replace("{first}", &(base + 1).to_string()).replace("{second}", &(base + 2).to_string());
    let mut su = team.superuser();
    su.batch_execute(&sql).expect("tamper");
    match bob.sync() {
        Err(Error::SpaceTampered { seq, .. }) => assert_eq!(seq, expect_seq(base)),
        other => panic!("a tampered log must be caught, got {other:?}"),
    }
}

#[test]
fn team_superuser_editing_an_entry_body_is_caught() {
    tampered("UPDATE space_entry SET body = set_byte(body, 0, get_byte(body, 0) # 1) WHERE seq = {second}", |b| b + 2);
}

#[test]
fn team_superuser_swapping_two_entries_is_caught() {
    tampered(
        "UPDATE space_entry SET seq = -1 WHERE seq = {first};
         UPDATE space_entry SET seq = {first} WHERE seq = {second};
         UPDATE space_entry SET seq = {second} WHERE seq = -1;",
        |b| b + 1,
    );
}

#[test]
fn team_superuser_deleting_an_entry_in_the_middle_is_caught() {
    tampered("DELETE FROM space_entry WHERE seq = {first}", |b| b + 1);
}

#[test]
fn team_superuser_forging_an_entry_of_a_removed_member_is_caught() {
    let team = Team::new();
    let mut carla = carla(&team);
    let bob = joined(&team, &mut carla, "Bob", "editor");
    let bob_device = local::device(bob.store.reader()).expect("device").expect("keys");
    let old_key = local::key(bob.store.reader(), 1).expect("key").expect("epoch 1");
    carla.store.team_remove(&mut carla.server, "Bob").expect("remove");
    let space = carla.server.space();
    let (seq, prev) = carla.server.head().expect("head");
    let place = Place { seq: seq + 1, prev_hash: prev, entry_id: uuid::Uuid::now_v7(), epoch: 1, kind: Kind::Write };
    let e = dossier_core::store::sync::envelope::entry(&old_key, &bob_device, &space, place, b"{}");
    assert_eq!(e.hash, chain_hash(&space, &e));
    // The superuser goes around the append trigger, which would refuse a removed device.
    let mut su = team.superuser();
    su.batch_execute("SET session_replication_role = replica").expect("no triggers");
    su.execute(
        "INSERT INTO space_entry (space_id, seq, prev_hash, hash, entry_id, author, epoch, kind, mac, nonce, body, sig)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            &space,
            &e.seq,
            &e.prev_hash.as_slice(),
            &e.hash.as_slice(),
            &e.entry_id,
            &e.author.as_slice(),
            &e.epoch,
            &e.kind,
            &e.mac.as_slice(),
            &e.nonce,
            &e.body,
            &e.sig,
        ],
    )
    .expect("forge");
    su.execute("UPDATE space SET head_seq = $2, head_hash = $3 WHERE id = $1", &[&space, &e.seq, &e.hash.as_slice()])
        .expect("head");
    match carla.sync() {
        Err(Error::SpaceTampered { seq: at, reason }) => {
            assert_eq!(at, e.seq);
            assert!(reason.contains("Bob"), "{reason}");
        }
        other => panic!("a forged entry must be caught, got {other:?}"),
    }
}

#[test]
fn team_superuser_swapping_a_wrapped_key_is_caught() {
    let team = Team::new();
    let mut carla = carla(&team);
    let (_dir, mut dana) = new_store("Dana");
    let request = dana.team_keygen("Dana").expect("request");
    let url = team.login("dana");
    carla.store.team_add(&mut carla.server, &request, "reader", Some(&team.role("dana"))).expect("add");
    // The superuser wraps a key of its own to Dana's device.
    let forged = keys::SpaceKey::generate().wrap_to(&request.device);
    let mut su = team.superuser();
    su.execute("UPDATE space_key SET wrapped = $1 WHERE device = $2", &[&forged, &request.device.sign.as_slice()])
        .expect("swap");
    let space = carla.server.space();
    let mut server = Server::open(&url, space).expect("open");
    let joined = dana.team_join(&mut server, space, &url);
    assert!(matches!(joined, Err(Error::SpaceTampered { .. })), "a swapped key is refused: {joined:?}");
    assert!(local::space(dana.reader()).expect("space").is_none(), "nothing of the space stays");
}

#[test]
fn team_one_shared_login_is_enough_for_a_whole_team() {
    let team = Team::new();
    let mut carla = carla(&team);
    // Bob's device joins through Carla's own login: the server tells their devices apart, the log
    // tells who wrote.
    let (dir, mut store) = new_store("Bob");
    let request = store.team_keygen("Bob").expect("request");
    carla.store.team_add(&mut carla.server, &request, "editor", None).expect("add");
    let space = carla.server.space();
    let mut server = Server::open(&carla.url, space).expect("open");
    store.team_join(&mut server, space, &carla.url).expect("join");
    let mut bob = Member { store, url: carla.url.clone(), server, _dir: dir };
    events(&mut bob.store, 2, "Bob's");
    bob.sync().expect("bob");
    carla.sync().expect("carla");
    assert_eq!(state(&carla.store), state(&bob.store));
    let history = dossier_core::view::history::history(
        carla.store.reader(),
        &event::list(carla.store.reader(), "falcon").expect("events")[0].id,
    )
    .expect("history");
    assert!(history.iter().any(|h| h.actor.as_deref().is_some_and(|a| a.contains("Bob · device"))), "{history:?}");
}
