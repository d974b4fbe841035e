//! The network: TLS as `sslmode` asks, a server that is not there, a connection cut mid-append.

use dossier_core::error::Error;
use dossier_core::store::sync::{Appended, Relay};
use dossier_team::testing::{Direction, Proxy, Upstream};
use dossier_team::{connect, Server};
use uuid::Uuid;

use crate::support::pg::{device, next, Team};

fn tcp_url(team: &Team, login: &str, tls: &str) -> String {
    format!("host=127.0.0.1 port={} dbname={} user={} {tls}", team.cluster.port(), team.db.name, team.role(login))
}

fn uses_tls(url: &str) -> bool {
    let mut client = connect(url).unwrap();
    client.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).unwrap().get(0)
}

fn refusal(url: &str) -> Error {
    match connect(url) {
        Ok(_) => panic!("connected to {url}"),
        Err(e) => e,
    }
}

#[test]
fn tls_is_used_as_sslmode_asks() {
    let team = Team::new();
    team.login("alice");
    let cert = team.cluster.certificate_file();
    assert!(uses_tls(&tcp_url(&team, "alice", "sslmode=require")));
    assert!(!uses_tls(&tcp_url(&team, "alice", "sslmode=disable")));
    assert!(uses_tls(&tcp_url(&team, "alice", &format!("sslmode=verify-full sslrootcert={}", cert.display()))));
    assert!(uses_tls(&tcp_url(&team, "alice", &format!("sslmode=verify-ca sslrootcert='{}'", cert.display()))));
    // The URL form, and the relay over it.
    let url = format!(
        "postgresql://{}@127.0.0.1:{}/{}?sslmode=require",
        team.role("alice"),
        team.cluster.port(),
        team.db.name
    );
    let mut server = Server::create(&url, Uuid::now_v7(), device(1)).unwrap();
    assert_eq!(server.head().unwrap().0, 0);

    // A certificate no trusted authority signed is refused when the mode verifies.
    let err = refusal(&tcp_url(&team, "alice", "sslmode=verify-full sslrootcert=system"));
    assert!(matches!(&err, Error::Offline(why) if why.contains("certificate")), "{err}");
}

#[test]
fn no_server_in_the_folder_is_offline_with_a_clear_message() {
    let empty = tempfile::tempdir().unwrap();
    let err = refusal(&format!("host={} dbname=x user=x", empty.path().display()));
    let message = err.to_string();
    assert!(matches!(err, Error::Offline(_)), "{message}");
    assert!(message.contains(&empty.path().display().to_string()), "{message}");
    assert!(message.contains("no server is listening"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

/// Cuts the connection after `n` bytes in `direction` during an append of three entries; the log
/// then holds all three or none. Returns how many it holds, and the bytes the append sent up and down.
fn cut_append(team: &Team, url: &str, space: Uuid, direction: Direction, n: u64, proxy: &Proxy) -> (usize, u64, u64) {
    let mut direct = Server::open(url, space).unwrap();
    proxy.heal();
    let via = format!(
        "host=127.0.0.1 port={} dbname={} user={} sslmode=disable",
        proxy.port(),
        team.db.name,
        team.role("alice")
    );
    let mut server = Server::open(&via, space).unwrap();
    let mut entries = next(&mut direct, 3, device(1));
    for e in &mut entries {
        e.body = vec![1; 2000];
    }
    let (up, down) = (proxy.bytes(Direction::Up), proxy.bytes(Direction::Down));
    proxy.cut_after(direction, n);
    let outcome = server.append(&entries);
    let (up, down) = (proxy.bytes(Direction::Up) - up, proxy.bytes(Direction::Down) - down);
    let ids: Vec<Uuid> = entries.iter().map(|e| e.entry_id).collect();
    let found = direct.find(&ids).unwrap().len();
    match outcome {
        Ok(Appended::Done) => assert_eq!(found, 3, "done, yet missing entries"),
        Ok(Appended::Moved) => panic!("moved"),
        Err(Error::Offline(_)) => {}
        Err(e) => panic!("a cut is offline, not {e}"),
    }
    assert!(found == 0 || found == 3, "{found} of 3 entries kept after a cut at {n} bytes {direction:?}");
    (found, up, down)
}

#[test]
fn a_connection_cut_mid_append_leaves_all_of_it_or_none() {
    let team = Team::new();
    let (url, space, _) = team.space("alice", device(1));
    let proxy = Proxy::start(Upstream::Unix(team.cluster.socket())).unwrap();
    // One uncut append measures the traffic of an append.
    let (found, up, down) = cut_append(&team, &url, space, Direction::Up, u64::MAX, &proxy);
    assert_eq!((found, proxy.cuts()), (3, 0));

    let mut kept = [0; 2];
    for (direction, total) in [(Direction::Up, up), (Direction::Down, down)] {
        for step in 1..=8 {
            let (found, ..) = cut_append(&team, &url, space, direction, total * step / 9, &proxy);
            kept[usize::from(found == 3)] += 1;
        }
    }
    // The last bytes down are the answer to COMMIT: cut there, the append happened unbeknown.
    let (found, ..) = cut_append(&team, &url, space, Direction::Down, down - 3, &proxy);
    assert_eq!(found, 3, "committed before the cut");
    assert!(kept[0] > 0, "some cuts left nothing");
    assert_eq!(proxy.cuts(), 17, "every cut happened mid-append");
}
