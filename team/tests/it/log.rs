//! The space log: append and read back, the trigger's compare-and-swap and its chain hash.

use dossier_core::error::Error;
use dossier_core::store::sync::{chain_hash, Appended, Relay};
use uuid::Uuid;

use crate::support::pg::{chain, device, empty, entry, next, Team};

#[test]
fn entries_appended_are_read_back_as_they_were() {
    let team = Team::new();
    let (_, space, mut server) = team.space("alice", device(1));
    assert_eq!(server.head().unwrap(), empty());
    let first = chain(&space, empty(), 2, device(1));
    assert_eq!(server.append(&first).unwrap(), Appended::Done);
    let second = next(&mut server, 3, device(1));
    assert_eq!(server.append(&second).unwrap(), Appended::Done);
    let all: Vec<_> = first.iter().chain(&second).cloned().collect();

    assert_eq!(server.read(0, 500).unwrap(), all);
    assert_eq!(server.read(2, 2).unwrap(), all[2..4].to_vec());
    assert_eq!(server.read(5, 10).unwrap(), vec![]);
    assert_eq!(server.head().unwrap(), (5, all[4].hash));
    let ids = [all[1].entry_id, Uuid::now_v7(), all[3].entry_id];
    assert_eq!(server.find(&ids).unwrap(), vec![(all[1].entry_id, 2), (all[3].entry_id, 4)]);

    // The space's genesis is the hash of entry 1, the root members pin.
    let genesis: Vec<u8> = team.superuser().query_one("SELECT genesis FROM space", &[]).unwrap().get(0);
    assert_eq!(genesis, all[0].hash);
}

#[test]
fn the_server_hashes_a_header_as_the_core_does() {
    let team = Team::new();
    let (_, space, mut server) = team.space("alice", device(1));
    // Through the trigger: it refuses any entry whose hash is not its own, so 60 accepted random
    // headers (epochs, kinds, macs, negative numbers included) agree with the core.
    for batch in 0..6 {
        let entries = next(&mut server, 10, device(1));
        assert_eq!(server.append(&entries).unwrap(), Appended::Done, "batch {batch}");
    }
    // And the hash function itself, on headers no member could append.
    let mut sql = team.superuser();
    for _ in 0..300 {
        let space = Uuid::from_bytes(std::array::from_fn(|_| fastrand::u8(..)));
        let mut e = entry(
            &space,
            fastrand::i64(..),
            std::array::from_fn(|_| fastrand::u8(..)),
            std::array::from_fn(|_| fastrand::u8(..)),
        );
        e.hash = chain_hash(&space, &e);
        let theirs: Vec<u8> = sql
            .query_one(
                "SELECT dossier_chain_hash($1, $2, $3, $4, $5, $6, $7, $8)",
                &[&space, &e.seq, &&e.prev_hash[..], &e.entry_id, &&e.author[..], &e.epoch, &e.kind, &&e.mac[..]],
            )
            .unwrap()
            .get(0);
        assert_eq!(theirs, e.hash, "{e:?}");
    }
    let head: Vec<u8> = sql.query_one("SELECT head_hash FROM space WHERE id = $1", &[&space]).unwrap().get(0);
    assert_eq!(head, server.read(59, 1).unwrap()[0].hash);
}

#[test]
fn an_append_that_does_not_continue_the_head_is_moved_and_leaves_nothing() {
    let team = Team::new();
    let (_, space, mut server) = team.space("alice", device(1));
    server.append(&chain(&space, empty(), 2, device(1))).unwrap();
    let head = server.head().unwrap();

    let stale = chain(&space, empty(), 1, device(1));
    assert_eq!(server.append(&stale).unwrap(), Appended::Moved, "seq 1 again");
    let mut wrong_prev = chain(&space, (head.0, [9; 32]), 1, device(1));
    assert_eq!(server.append(&wrong_prev).unwrap(), Appended::Moved, "prev_hash not the head's");
    wrong_prev = chain(&space, (head.0 + 1, head.1), 1, device(1));
    assert_eq!(server.append(&wrong_prev).unwrap(), Appended::Moved, "a seq skipped");

    // A batch of three whose second does not follow the first: none of it is kept.
    let mut batch = chain(&space, head, 3, device(1));
    batch[1] = entry(&space, batch[1].seq, [3; 32], device(1));
    assert_eq!(server.append(&batch).unwrap(), Appended::Moved);
    assert_eq!(server.head().unwrap(), head);
    let ids: Vec<Uuid> = batch.iter().map(|e| e.entry_id).collect();
    assert_eq!(server.find(&ids).unwrap(), vec![]);

    // The connection is still good for the retry.
    let retry = next(&mut server, 3, device(1));
    assert_eq!(server.append(&retry).unwrap(), Appended::Done);
    assert_eq!(server.head().unwrap().0, 5);
}

#[test]
fn a_hash_that_is_not_the_headers_chain_hash_is_refused() {
    let team = Team::new();
    let (_, _, mut server) = team.space("alice", device(1));
    let mut forged = next(&mut server, 1, device(1));
    forged[0].hash[0] ^= 1;
    let err = server.append(&forged).unwrap_err();
    assert!(matches!(&err, Error::Rejected(why) if why.contains("chain hash")), "{err}");
    assert_eq!(server.head().unwrap(), empty());
}

#[test]
fn the_same_entry_twice_is_refused() {
    let team = Team::new();
    let (_, space, mut server) = team.space("alice", device(1));
    let first = chain(&space, empty(), 1, device(1));
    server.append(&first).unwrap();
    // The same entry_id at the next seq (a re-push after a cut that did arrive).
    let mut again = next(&mut server, 1, device(1));
    again[0].entry_id = first[0].entry_id;
    again[0].hash = chain_hash(&space, &again[0]);
    let err = server.append(&again).unwrap_err();
    assert!(matches!(&err, Error::Rejected(why) if why.contains("already")), "{err}");
    assert_eq!(server.head().unwrap().0, 1);
}

#[test]
fn running_the_server_sql_again_is_harmless() {
    let team = Team::new();
    let (_, space, mut server) = team.space("alice", device(1));
    server.append(&chain(&space, empty(), 1, device(1))).unwrap();
    team.superuser().batch_execute(&dossier_team::server_sql(None)).unwrap();
    assert_eq!(server.head().unwrap().0, 1);
    let version: i32 = team.superuser().query_one("SELECT max(version) FROM dossier_schema", &[]).unwrap().get(0);
    assert_eq!(version, dossier_team::SCHEMA_VERSION);
}
