//! Who may do what: grants, row level security, roles of devices, removal.

use dossier_core::error::Error;
use dossier_core::store::sync::{Appended, Relay, WrappedKey};
use dossier_team::Server;
use postgres::NoTls;

use crate::support::pg::{chain, device, empty, next, Team};

fn sqlstate(e: &postgres::Error) -> &str {
    e.as_db_error().map(|db| db.code().code()).unwrap_or("none")
}

#[test]
fn a_member_cannot_change_or_remove_what_the_log_holds() {
    let team = Team::new();
    let (url, space, mut server) = team.space("alice", device(1));
    server.append(&chain(&space, empty(), 2, device(1))).unwrap();
    let mut alice = postgres::Client::connect(&url, NoTls).unwrap();
    for sql in [
        "UPDATE space_entry SET body = '\\x00'",
        "DELETE FROM space_entry",
        "TRUNCATE space_entry",
        "UPDATE space SET head_seq = 0",
        "DELETE FROM space_member",
        "UPDATE space_member SET role = 'admin'",
        "DELETE FROM blob_chunk",
    ] {
        let err = alice.batch_execute(sql).unwrap_err();
        assert_eq!(sqlstate(&err), "42501", "{sql}: {err:?}");
    }
    assert_eq!(server.read(0, 10).unwrap().len(), 2);
}

#[test]
fn a_login_reads_only_the_spaces_it_is_a_member_of() {
    let team = Team::new();
    let (alice_url, a, mut alice) = team.space("alice", device(1));
    let (bob_url, b, mut bob) = team.space("bob", device(2));
    alice.append(&chain(&a, empty(), 2, device(1))).unwrap();
    bob.append(&chain(&b, empty(), 3, device(2))).unwrap();

    // Through the relay: the other's space is refused, not shown empty.
    let err = Server::open(&alice_url, b).unwrap().read(0, 10).unwrap_err();
    assert!(matches!(&err, Error::Rejected(why) if why.contains("no device")), "{err}");
    // Straight in SQL: row level security shows each login its own rows only.
    for (url, space, entries) in [(&alice_url, a, 2i64), (&bob_url, b, 3)] {
        let mut client = postgres::Client::connect(url, NoTls).unwrap();
        for table in ["space", "space_member", "space_entry"] {
            let column = if table == "space" { "id" } else { "space_id" };
            let others: i64 = client
                .query_one(&format!("SELECT count(*) FROM {table} WHERE {column} <> $1"), &[&space])
                .unwrap()
                .get(0);
            assert_eq!(others, 0, "{table}");
        }
        let own: i64 = client.query_one("SELECT count(*) FROM space_entry", &[]).unwrap().get(0);
        assert_eq!(own, entries);
    }
    // Nor can a login append to a space it is not in, even with a device of that space.
    let err =
        Server::open(&alice_url, b).unwrap().append(&chain(&b, (3, bob.head().unwrap().1), 1, device(2))).unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "{err}");
}

#[test]
fn a_reader_reads_and_cannot_append() {
    let team = Team::new();
    let (_, space, mut alice) = team.space("alice", device(1));
    let bob_url = team.login("bob");
    alice.set_member(&device(2), "reader", Some(&team.role("bob")), true).unwrap();
    alice.append(&chain(&space, empty(), 1, device(1))).unwrap();

    let mut bob = Server::open(&bob_url, space).unwrap();
    assert_eq!(bob.read(0, 10).unwrap().len(), 1);
    let entries = next(&mut bob, 1, device(2));
    let err = bob.append(&entries).unwrap_err();
    assert!(matches!(&err, Error::Rejected(why) if why.contains("reader")), "{err}");
    // Nor may a reader (or an editor) change who is in the space.
    let err = bob.set_member(&device(2), "admin", None, true).unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "{err}");
    // A device of bob's is not alice's to append with.
    let entries = next(&mut alice, 1, device(2));
    let err = alice.append(&entries).unwrap_err();
    assert!(matches!(&err, Error::Rejected(why) if why.contains("not a device")), "{err}");
    assert_eq!(alice.head().unwrap().0, 1);
}

#[test]
fn a_removed_device_is_told_it_was_revoked() {
    let team = Team::new();
    let (_, space, mut alice) = team.space("alice", device(1));
    let bob_url = team.login("bob");
    alice.set_member(&device(2), "editor", Some(&team.role("bob")), true).unwrap();
    let mut bob = Server::open(&bob_url, space).unwrap();
    assert_eq!(bob.append(&chain(&space, empty(), 1, device(2))).unwrap(), Appended::Done);

    alice.set_member(&device(2), "editor", Some(&team.role("bob")), false).unwrap();
    let err = bob.append(&next(&mut alice, 1, device(2))).unwrap_err();
    assert!(matches!(err, Error::Revoked(_)), "append: {err}");
    let err = bob.read(0, 10).unwrap_err();
    assert!(matches!(err, Error::Revoked(_)), "read: {err}");
    let err = bob.head().unwrap_err();
    assert!(matches!(err, Error::Revoked(_)), "head: {err}");
    let err = bob.put_chunk(&[5; 32], 0, 1, 1, b"x").unwrap_err();
    assert!(matches!(err, Error::Revoked(_)), "chunk: {err}");
    let members = alice.members().unwrap();
    assert_eq!(members.iter().filter(|m| m.active).count(), 1);
}

#[test]
fn only_an_admin_stores_wrapped_keys_and_each_device_reads_its_own() {
    let team = Team::new();
    let (_, space, mut alice) = team.space("alice", device(1));
    let bob_url = team.login("bob");
    alice.set_member(&device(2), "editor", Some(&team.role("bob")), true).unwrap();
    let key = |epoch, to: u8| WrappedKey {
        epoch,
        device: device(to),
        wrapped: vec![to; 48],
        signer: device(1),
        signature: vec![9; 64],
    };
    alice.put_keys(&[key(1, 1), key(1, 2), key(2, 2)]).unwrap();
    alice.put_keys(&[key(1, 2)]).unwrap();
    let mut bob = Server::open(&bob_url, space).unwrap();
    assert_eq!(bob.keys_for(&device(2)).unwrap(), vec![key(1, 2), key(2, 2)]);
    assert_eq!(bob.keys_for(&device(3)).unwrap(), vec![]);
    let err = bob.put_keys(&[key(3, 2)]).unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "an editor wrapping keys: {err}");
}

#[test]
fn a_login_outside_the_member_group_is_told_so() {
    let team = Team::new();
    let outsider = team.role("outsider");
    team.superuser().batch_execute(&format!("CREATE ROLE {outsider} LOGIN")).unwrap();
    let url = team.cluster.url(&team.db.name, &outsider);
    let err = Server::open(&url, uuid::Uuid::now_v7()).err().expect("refused");
    assert!(matches!(&err, Error::Rejected(why) if why.contains("dossier_member")), "{err}");
}
