//! Team spaces over the in-memory relay: members who join see the same record, writes cross in the
//! server's order, offline edits merge or become conflicts a person settles, and a server that alters,
//! drops or rolls back its log is caught. (The same engine over a real PostgreSQL is tested in the
//! `team` crate and the CLI's tests.)

use std::collections::BTreeMap;

use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::store::sync::envelope::Place;
use dossier_core::store::sync::memory::{MemoryRelay, MemoryServer};
use dossier_core::store::sync::{envelope, image, local, Keep, Kind, Sealed};
use dossier_core::store::Store;
use dossier_core::Error;

use crate::common::*;

/// One member: a database of their own and a connection to the space's server.
pub struct Member {
    pub fx: Fixture,
    pub relay: MemoryRelay,
}

impl Member {
    pub fn store(&mut self) -> &mut Store {
        &mut self.fx.store
    }

    pub fn sync(&mut self) -> dossier_core::Result<dossier_core::store::sync::Synced> {
        self.fx.store.sync(&mut self.relay)
    }

    pub fn offline(&mut self, offline: bool) {
        self.relay.online = !offline;
    }
}

/// Every record of the replica as its sync image, by id: what must be equal on every member.
pub fn state(store: &Store) -> BTreeMap<String, String> {
    image::every(store.reader()).expect("every record's image")
}

/// A space started by Carla (admin) on a database holding the case `falcon` and two parties.
pub fn started(server: &MemoryServer, space: uuid::Uuid) -> Member {
    let mut fx = fresh();
    case(&mut fx.store, "falcon");
    org(&mut fx.store, "Twitter");
    org(&mut fx.store, "Microsoft");
    fx.store.team_keygen("Carla").expect("keygen");
    let mut relay = server.connect(space);
    fx.store.team_init(&mut relay, space, "Falcon", "memory").expect("init");
    let mut carla = Member { fx, relay };
    carla.sync().expect("first push");
    carla
}

/// A new member `person` with `role`, added by `admin` and joined.
pub fn joined(server: &MemoryServer, space: uuid::Uuid, admin: &mut Member, person: &str, role: &str) -> Member {
    let mut fx = fresh();
    let request = fx.store.team_keygen(person).expect("keygen");
    admin.fx.store.team_add(&mut admin.relay, &request, role, None).expect("add");
    let mut relay = server.connect(space);
    fx.store.team_join(&mut relay, space, "memory").expect("join");
    Member { fx, relay }
}

fn two() -> (MemoryServer, Member, Member) {
    let server = MemoryServer::new();
    let space = uuid::Uuid::now_v7();
    let mut carla = started(&server, space);
    let bob = joined(&server, space, &mut carla, "Bob", "editor");
    (server, carla, bob)
}

fn retitle(store: &mut Store, title: &str) {
    let c = case::get(store.reader(), "falcon").expect("case");
    let input = CaseInput {
        slug: c.slug,
        title: title.into(),
        status: c.status.as_str().into(),
        summary: c.summary,
        tags: c.tags,
    };
    case::update(store, "falcon", &input).expect("retitle");
}

fn summarize(store: &mut Store, summary: &str) {
    let c = case::get(store.reader(), "falcon").expect("case");
    let input = CaseInput {
        slug: c.slug,
        title: c.title,
        status: c.status.as_str().into(),
        summary: summary.into(),
        tags: c.tags,
    };
    case::update(store, "falcon", &input).expect("summary");
}

fn title(store: &Store) -> String {
    case::get(store.reader(), "falcon").expect("case").title
}

#[test]
fn team_member_who_joins_sees_the_same_record_and_writes_cross() {
    let (_server, mut carla, mut bob) = two();
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store), "the joiner's replica is the admin's");
    assert_eq!(case::list(bob.fx.store.reader()).expect("cases").len(), 1);

    let e = event(bob.store(), "falcon", "Press statement", "2023-04-20");
    let sent = bob.sync().expect("bob sends");
    assert_eq!(sent.pushed, 1);
    let got = carla.sync().expect("carla takes in");
    assert_eq!(got.pulled, 1);
    assert_eq!(event::get(carla.fx.store.reader(), &e.id).expect("event reached carla").title, "Press statement");
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
    let heads = |m: &Member| local::space(m.fx.store.reader()).expect("space").map(|s| (s.head_seq, s.head_hash));
    assert_eq!(heads(&bob), heads(&carla), "both replicas hold the same head");

    // Carla's history of the event names Bob, who wrote it, not the system user.
    let history = dossier_core::view::history::history(carla.fx.store.reader(), &e.id).expect("history");
    assert!(history.iter().any(|h| h.actor.as_deref().is_some_and(|a| a.contains("Bob · device"))), "{history:?}");

    for m in [&carla, &bob] {
        let report = checked(&m.fx.db_path());
        assert!(report.problems.is_empty(), "check finds nothing wrong: {:?}", messages(&report));
    }
}

#[test]
fn team_offline_edits_of_different_fields_merge() {
    let (_server, mut carla, mut bob) = two();
    bob.offline(true);
    retitle(carla.store(), "Falcon v. Microsoft");
    summarize(bob.store(), "API data use and an unpaid fee");
    carla.sync().expect("carla sends first");
    assert!(matches!(bob.sync(), Err(Error::Offline(_))), "offline says so");
    bob.offline(false);
    let merged = bob.sync().expect("bob rebases and sends");
    assert_eq!(merged.conflicts, 0);
    carla.sync().expect("carla takes in");
    for m in [&carla, &bob] {
        let c = case::get(m.fx.store.reader(), "falcon").expect("case");
        assert_eq!((c.title.as_str(), c.summary.as_str()), ("Falcon v. Microsoft", "API data use and an unpaid fee"));
    }
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
}

/// Two offline edits of one field: whoever pushes second gets the conflict, and the space keeps the
/// first; keeping mine then is an ordinary write that reaches the other.
fn same_field(first_is_carla: bool) {
    let (_server, mut carla, mut bob) = two();
    retitle(carla.store(), "Carla's title");
    retitle(bob.store(), "Bob's title");
    let (first, second) = if first_is_carla { (&mut carla, &mut bob) } else { (&mut bob, &mut carla) };
    first.sync().expect("first push");
    let report = second.sync().expect("second rebases");
    assert_eq!(report.conflicts, 1);
    let winner = title(&first.fx.store);
    assert_eq!(title(&second.fx.store), winner, "the space keeps the first version");
    let conflicts = local::conflicts(second.fx.store.reader()).expect("conflicts");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].fields, vec!["case_file.title".to_string()]);
    assert!(conflicts[0].mine.as_deref().is_some_and(|m| m.contains("'s title")));
    let mine = title(&first.fx.store)
        .replace(if first_is_carla { "Carla" } else { "Bob" }, if first_is_carla { "Bob" } else { "Carla" });
    let id = conflicts[0].record_id.clone();
    second.fx.store.team_resolve(&id, Keep::Mine).expect("keep mine");
    assert!(local::conflicts(second.fx.store.reader()).expect("conflicts").is_empty());
    second.sync().expect("resolution sent");
    first.sync().expect("resolution taken in");
    assert_eq!(title(&first.fx.store), mine);
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
}

#[test]
fn team_same_field_edited_offline_is_a_conflict_carla_first() {
    same_field(true);
}

#[test]
fn team_same_field_edited_offline_is_a_conflict_bob_first() {
    same_field(false);
}

#[test]
fn team_edit_against_a_remote_delete_is_a_conflict_and_the_delete_stays() {
    let (_server, mut carla, mut bob) = two();
    let e = event(carla.store(), "falcon", "Meeting", "2023-03");
    carla.sync().expect("send");
    bob.sync().expect("take in");
    event::delete(carla.store(), &e.id).expect("delete");
    let input = EventInput {
        case: "falcon".into(),
        title: "Meeting in Redmond".into(),
        date: "2023-03".into(),
        ..Default::default()
    };
    event::update(bob.store(), &e.id, &input).expect("edit");
    carla.sync().expect("delete sent");
    let report = bob.sync().expect("bob rebases");
    assert_eq!(report.conflicts, 1);
    assert!(event::get(bob.fx.store.reader(), &e.id).is_err(), "the space's delete holds on bob's replica");
    let c = &local::conflicts(bob.fx.store.reader()).expect("conflicts")[0];
    assert_eq!(c.record_id, e.id);
    assert!(c.theirs.is_none() && c.mine.as_deref().is_some_and(|m| m.contains("Redmond")));
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
    bob.fx.store.team_resolve(&e.id, Keep::Theirs).expect("keep theirs");
    assert_eq!(bob.sync().expect("nothing to send").pushed, 0);
}

#[test]
fn team_write_naming_a_party_the_team_deleted_is_a_conflict() {
    let (_server, mut carla, mut bob) = two();
    let p = org(carla.store(), "Getty Images");
    carla.sync().expect("send");
    bob.sync().expect("take in");
    dossier_core::record::party::delete(carla.store(), &p.id).expect("delete party");
    let l = letter(bob.store(), "falcon", "Getty Images", &["Twitter"], "Notice", "2023-05-02");
    carla.sync().expect("delete sent");
    let report = bob.sync().expect("bob rebases");
    assert_eq!(report.conflicts, 1, "{report:?}");
    assert!(dossier_core::record::letter::get(bob.fx.store.reader(), &l.id).is_err());
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
    assert!(checked(&bob.fx.db_path()).problems.is_empty());
}

/// A third member joining after `tamper` reads the log from the start and names where it broke.
fn joining_after(tamper: impl FnOnce(&mut Vec<Sealed>), expect_seq: i64) {
    let server = MemoryServer::new();
    let space = uuid::Uuid::now_v7();
    let mut carla = started(&server, space);
    for i in 0..3 {
        event(carla.store(), "falcon", &format!("Event {i}"), "2023");
    }
    carla.sync().expect("send");
    server.tamper(tamper);
    let mut fx = fresh();
    let request = fx.store.team_keygen("Dana").expect("keygen");
    carla.fx.store.team_add(&mut carla.relay, &request, "reader", None).map(|_| ()).ok();
    let mut relay = server.connect(space);
    match fx.store.team_join(&mut relay, space, "memory") {
        Err(Error::SpaceTampered { seq, .. }) => assert_eq!(seq, expect_seq),
        other => panic!("a tampered log must be refused, got {other:?}"),
    }
}

#[test]
fn team_an_entry_body_changed_on_the_server_is_named() {
    joining_after(|log| log[2].body[0] ^= 1, 3);
}

#[test]
fn team_two_entries_swapped_on_the_server_are_named() {
    joining_after(|log| log.swap(2, 3), 3);
}

#[test]
fn team_an_entry_deleted_on_the_server_is_named() {
    joining_after(
        |log| {
            log.remove(2);
        },
        3,
    );
}

#[test]
fn team_a_server_restored_from_an_older_backup_is_caught_and_repaired() {
    let (server, mut carla, mut bob) = two();
    let before = server.len();
    event(carla.store(), "falcon", "Audit demanded", "2023-05");
    event(carla.store(), "falcon", "Fee unpaid", "2023-06");
    carla.sync().expect("send");
    let head = local::space(carla.fx.store.reader()).expect("space").expect("in a space").head_hash;
    server.tamper(|log| log.truncate(before));
    match carla.sync() {
        Err(Error::RolledBack { seen, found }) => assert_eq!((seen, found), (before as i64 + 2, before as i64)),
        other => panic!("a rolled-back server must be caught, got {other:?}"),
    }
    assert_eq!(carla.fx.store.team_repair(&mut carla.relay).expect("repair"), 2);
    carla.sync().expect("in step again");
    bob.sync().expect("bob takes in the repaired entries");
    let heads: Vec<String> = [&carla, &bob]
        .iter()
        .map(|m| local::space(m.fx.store.reader()).expect("space").expect("space").head_hash)
        .collect();
    assert_eq!(heads, vec![head.clone(), head], "the head is the one from before the restore");
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
}

#[test]
fn team_a_removed_member_can_neither_read_nor_write_and_forgeries_are_refused() {
    let (server, mut carla, mut bob) = two();
    let bob_device = local::device(bob.fx.store.reader()).expect("device").expect("bob has keys");
    carla.fx.store.team_remove(&mut carla.relay, "Bob").expect("remove bob");
    event(bob.store(), "falcon", "Written after removal", "2024");
    assert!(matches!(bob.sync(), Err(Error::Revoked(_))), "bob's client says he was removed");
    event(carla.store(), "falcon", "Secret after removal", "2024");
    carla.sync().expect("carla writes under the new key");

    // A server that still appends Bob's entry (signed by his key, sealed with the old epoch) fools
    // nobody: every member refuses it, naming its seq.
    let space = local::space_id(&local::space(carla.fx.store.reader()).expect("space").expect("space")).expect("id");
    let key = local::key(carla.fx.store.reader(), 1).expect("key").expect("epoch 1");
    let seq = server.len() as i64 + 1;
    server.tamper(|log| {
        let last = log.last().expect("entries").clone();
        let place = Place { seq, prev_hash: last.hash, entry_id: uuid::Uuid::now_v7(), epoch: 1, kind: Kind::Write };
        let e = envelope::entry(&key, &bob_device, &space, place, b"{}");
        log.push(e);
    });
    match carla.sync() {
        Err(Error::SpaceTampered { seq: at, reason }) => {
            assert_eq!(at, seq);
            assert!(reason.contains("Bob"), "{reason}");
        }
        other => panic!("a forged entry must be refused, got {other:?}"),
    }
}

#[test]
fn team_an_entry_from_a_newer_schema_stops_the_sync() {
    let (server, mut carla, bob) = two();
    let space = local::space_id(&local::space(bob.fx.store.reader()).expect("space").expect("space")).expect("id");
    let device = local::device(bob.fx.store.reader()).expect("device").expect("keys");
    let key = local::key(bob.fx.store.reader(), 1).expect("key").expect("epoch 1");
    let schema = dossier_core::store::schema_version() as i64 + 1;
    let payload = serde_json::json!({ "v": 1, "schema": schema, "at": "2026-12-07T00:00:00Z", "actor": "cli (Bob)",
        "action": "event.create", "record_id": null, "detail": "{}", "records": {} });
    let bytes = serde_json::to_vec(&payload).expect("json");
    server.tamper(|log| {
        let last = log.last().expect("entries").clone();
        let place = Place {
            seq: last.seq + 1,
            prev_hash: last.hash,
            entry_id: uuid::Uuid::now_v7(),
            epoch: 1,
            kind: Kind::Write,
        };
        let e = envelope::entry(&key, &device, &space, place, &bytes);
        log.push(e);
    });
    assert!(matches!(carla.sync(), Err(Error::SchemaTooNew { .. })));
}

#[test]
fn team_evidence_files_travel_sealed_and_are_fetched_on_demand() {
    let (_server, mut carla, mut bob) = two();
    // Two chunks and a bit: the last chunk is short, and the file is checked whole on arrival.
    let bytes: Vec<u8> = (0..(9u32 << 20)).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let path = carla.fx.dir.path().join("audit-letter.pdf");
    std::fs::write(&path, &bytes).expect("file");
    let input = dossier_core::record::evidence::FileInput { case: "falcon".into(), path, ..Default::default() };
    let ev = dossier_core::record::evidence::add_file(carla.store(), &input).expect("add");
    let sha = ev.sha256.clone().expect("a file");
    carla.sync().expect("file and entry sent");
    bob.sync().expect("entry taken in");

    assert!(!bob.fx.store.blobs().contains(&sha), "files are fetched on demand");
    let unfetched = dossier_core::store::sync::files::unfetched(bob.fx.store.reader()).expect("unfetched");
    assert_eq!(unfetched, vec![sha.clone()]);
    let report = checked(&bob.fx.db_path());
    assert!(report.problems.is_empty(), "a file in the space is not missing: {:?}", messages(&report));

    let fetched = bob.fx.store.team_fetch(&mut bob.relay, &[]).expect("fetch");
    assert_eq!((fetched.files, fetched.bytes), (1, bytes.len() as u64));
    let kept = std::fs::read(stored_file(&bob.fx.store, &sha)).expect("stored");
    assert_eq!(kept, bytes, "the file arrives byte for byte");
    assert!(dossier_core::store::sync::files::unfetched(bob.fx.store.reader()).expect("unfetched").is_empty());
    assert!(checked(&bob.fx.db_path()).problems.is_empty());
}

#[test]
fn team_a_case_imported_with_its_history_brings_it_to_every_member() {
    use dossier_core::transfer::{self, ExportRequest, ImportRequest};
    let (_server, mut carla, mut bob) = two();
    let mut source = fresh();
    dossier_core::demo::load(&mut source.store).expect("demo");
    let path = carla.fx.dir.path().join("twitter.json");
    let request = ExportRequest {
        case: "twitter-v-microsoft".into(),
        format: "json".into(),
        path: path.clone(),
        with_files: true,
        options: transfer::export::ReportOptions { with_history: true, ..Default::default() },
        ..Default::default()
    };
    transfer::export(&source.store, &request).expect("export");
    transfer::import(carla.store(), &ImportRequest { path, ..Default::default() }).expect("import");
    let letter =
        carla.fx.store.reader().strings("SELECT id FROM letter ORDER BY id LIMIT 1", []).expect("letters")[0].clone();
    let steps = |store: &Store| {
        dossier_core::view::history::history(store.reader(), &letter)
            .expect("history")
            .into_iter()
            .filter(|c| c.imported_from.is_some())
            .count()
    };
    let brought = steps(&carla.fx.store);
    assert!(brought > 0, "the bundle brought the letter's history");
    carla.sync().expect("send");
    bob.sync().expect("take in");
    assert_eq!(steps(&bob.fx.store), brought, "the history travels with the letter");
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
}

/// Regression (found by `dossier sync` killed with SIGKILL): a push that committed on the server but
/// whose answer never came back returns with the next pull, together with a colleague's entry. Its
/// records must not be put back as the space had them before it, which lost them on this replica.
#[test]
fn team_own_entries_coming_back_with_others_after_a_lost_answer_are_kept() {
    let (_server, mut carla, mut bob) = two();
    let mine = event(carla.store(), "falcon", "Carla's event", "2023-04");
    carla.relay.lose_answers = true;
    assert!(matches!(carla.sync(), Err(Error::Offline(_))), "the answer is lost");
    carla.relay.lose_answers = false;
    event(bob.store(), "falcon", "Bob's event", "2023-05");
    bob.sync().expect("bob pulls carla's entry and pushes after it");
    event(carla.store(), "falcon", "Carla's second event", "2023-06");
    carla.sync().expect("carla takes in her own entry and bob's, and rebases");
    bob.sync().expect("bob");
    assert!(event::get(carla.fx.store.reader(), &mine.id).is_ok(), "carla's own event stays on her replica");
    assert_eq!(event::list(carla.fx.store.reader(), "falcon").expect("events").len(), 3);
    assert_eq!(state(&bob.fx.store), state(&carla.fx.store));
}
