//! `dossier team` and `dossier sync` as issue 23's contract gives them, on a real PostgreSQL started
//! by the test (`dossier_team::testing::Cluster`): a space started, a member invited and joined, a
//! conflict listed and settled, the exit codes of the team's errors, and `dossier sync` killed with
//! SIGKILL again and again while two members write.

use std::process::Stdio;
use std::time::Duration;

use dossier_team::testing::{Cluster, Db as PgDb};
use serde_json::Value;

use crate::common::Db;

/// A test's database on the binary's cluster, with the SQL a DBA runs applied.
struct Server {
    cluster: &'static Cluster,
    db: PgDb,
}

impl Server {
    fn new() -> Server {
        let cluster = Cluster::shared();
        Server { db: cluster.database(), cluster }
    }

    /// A login of its own for `name`, and its connection string.
    fn login(&self, name: &str) -> String {
        let login = self.cluster.login(&self.db, name);
        self.cluster.url(&self.db.name, &login)
    }
}

/// Carla's database holding the case `falcon`, in a space she started; the space's id.
fn started(server: &Server, carla: &Db) -> String {
    carla.ok(&["case", "add", "--title", "Twitter v. Microsoft", "--slug", "falcon"]);
    let url = server.login("carla");
    let out = carla.ok(&["team", "init", &url, "--name", "Falcon", "--person", "Carla"]);
    out.lines().last().expect("the space id is the last line").trim().to_string()
}

/// Bob asks, Carla adds him (checking the words), Bob joins.
fn joined(server: &Server, carla: &Db, bob: &Db, space: &str) {
    let asked = bob.json(&["team", "keygen", "--person", "Bob"]);
    let request = asked["request"].as_str().expect("request");
    let file = bob.file("request.txt", &bob.ok(&["team", "keygen"]));
    let url = server.login("bob");
    let added = carla.ok(&["team", "add", &file, "--role", "editor", "--pg-role", &format!("{}bob", server.db.prefix)]);
    let words = asked["words"].as_str().expect("words");
    assert!(added.contains(words), "the admin is shown the words the member reads out: {added}");
    assert!(request.starts_with("dossier-join:1:"));
    bob.ok(&["team", "join", &url, "--space", space]);
}

fn status(db: &Db) -> Value {
    db.json(&["team", "status"])
}

#[test]
fn team_commands_keep_their_contract() {
    let sql = Db::new().ok(&["team", "server-sql"]);
    assert!(sql.contains("space_entry") && sql.contains("ROW LEVEL SECURITY"), "server-sql prints the server's SQL");

    let server = Server::new();
    let (carla, bob) = (Db::new(), Db::new());
    let space = started(&server, &carla);
    assert!(uuid::Uuid::parse_str(&space).is_ok(), "init prints the space id last: {space}");
    joined(&server, &carla, &bob, &space);

    let members = carla.json(&["team", "members"]);
    let people: Vec<&str> = members.as_array().expect("list").iter().filter_map(|m| m["person"].as_str()).collect();
    assert_eq!(people, vec!["Carla", "Bob"]);
    assert_eq!(status(&bob)["role"], "editor");
    assert_eq!(bob.json(&["case", "list"]).as_array().expect("cases").len(), 1, "the joiner has the case");

    // One field changed by both, Carla first: Bob gets the conflict, and settles it.
    carla.ok(&["case", "edit", "falcon", "--title", "Carla's title"]);
    bob.ok(&["case", "edit", "falcon", "--title", "Bob's title"]);
    carla.ok(&["sync"]);
    let synced = bob.json(&["sync"]);
    assert_eq!(synced["conflicts"], 1);
    let conflicts = bob.json(&["team", "conflicts"]);
    let record = conflicts[0]["record_id"].as_str().expect("record").to_string();
    assert_eq!(conflicts[0]["fields"][0], "case_file.title");
    assert_eq!(status(&bob)["conflicts"], 1);
    bob.ok(&["team", "resolve", &record, "--keep", "mine"]);
    bob.ok(&["sync"]);
    carla.ok(&["sync"]);
    assert!(carla.ok(&["case", "show", "falcon"]).contains("Bob's title"));
    assert_eq!(status(&carla)["space"]["head_hash"], status(&bob)["space"]["head_hash"]);
    assert_eq!(status(&carla)["head_words"], status(&bob)["head_words"], "the words read out match");

    // A file Carla adds is in the space, not yet on Bob's device, until he fetches it.
    let pdf = carla.file("audit.txt", "Demand for an audit of the API data use");
    carla.ok(&["evidence", "add-file", "falcon", &pdf]);
    carla.ok(&["sync"]);
    bob.ok(&["sync"]);
    let check = bob.ok(&["check"]);
    assert!(check.contains("1 evidence file in the team space, not fetched here"), "{check}");
    assert!(bob.ok(&["evidence", "fetch", "--all"]).contains("fetched 1 file ("));
    assert!(!bob.ok(&["check"]).contains("not fetched here"));

    // Removed, Bob's client says so with its own exit code.
    carla.ok(&["team", "remove", "Bob"]);
    bob.ok(&["event", "add", "falcon", "--title", "After removal", "--date", "2024"]);
    let (code, message) = bob.err(&["sync"]);
    assert_eq!(code, 13, "revoked: {message}");
    assert_eq!(message.lines().count(), 1, "one line: {message}");
}

#[test]
fn team_errors_have_exit_codes_of_their_own() {
    let db = Db::new();
    let (code, message) = db.err(&["team", "status"]);
    assert_eq!(code, 11, "{message}");
    assert!(message.contains("team init") || message.contains("team join"), "it says what to do: {message}");
    let nowhere = db.dir().join("no-server");
    std::fs::create_dir_all(&nowhere).expect("folder");
    let (code, message) =
        db.err(&["team", "init", &format!("host={} user=x dbname=y", nowhere.display()), "--name", "X"]);
    assert_eq!(code, 10, "offline: {message}");
    assert_eq!(message.trim().lines().count(), 1);
    let (code, _) = db.err(&["team", "join", "host=/tmp user=x dbname=y", "--space", "not-a-uuid"]);
    assert_eq!(code, 2, "a malformed space id is a usage error");
}

/// Starts `dossier sync` on `db` and kills it with SIGKILL after `after`.
fn killed_sync(db: &Db, after: Duration) {
    let mut child = db.command(&["sync"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn sync");
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn team_sync_killed_again_and_again_loses_and_doubles_nothing() {
    let rounds: usize = std::env::var("DOSSIER_TEAM_KILLS").ok().and_then(|n| n.parse().ok()).unwrap_or(50);
    let server = Server::new();
    let (carla, bob) = (Db::new(), Db::new());
    let space = started(&server, &carla);
    joined(&server, &carla, &bob, &space);
    let mut rng = fastrand::Rng::with_seed(rounds as u64);
    let mut written = 0;
    for round in 0..rounds {
        let (writer, name) = if round % 2 == 0 { (&carla, "Carla") } else { (&bob, "Bob") };
        for _ in 0..3 {
            writer.ok(&["event", "add", "falcon", "--title", &format!("{name} {written}"), "--date", "2023-04"]);
            written += 1;
        }
        killed_sync(writer, Duration::from_millis(rng.u64(5..250)));
        killed_sync(if round % 2 == 0 { &bob } else { &carla }, Duration::from_millis(rng.u64(5..250)));
    }
    for _ in 0..2 {
        carla.ok(&["sync"]);
        bob.ok(&["sync"]);
    }
    for db in [&carla, &bob] {
        let events = db.json(&["event", "list", "falcon"]);
        assert_eq!(events.as_array().expect("events").len(), written, "every write arrived once");
        assert_eq!(status(db)["waiting"], 0);
        let check = db.run(&["check"]);
        assert!(check.status.success(), "check: {}", String::from_utf8_lossy(&check.stdout));
    }
    assert_eq!(status(&carla)["space"]["head_hash"], status(&bob)["space"]["head_hash"]);
}

#[test]
fn team_sync_watch_takes_in_a_colleague_s_write_without_being_asked() {
    let server = Server::new();
    let (carla, bob) = (Db::new(), Db::new());
    let space = started(&server, &carla);
    joined(&server, &carla, &bob, &space);
    let mut watching =
        bob.command(&["sync", "--watch"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("watch");
    std::thread::sleep(Duration::from_millis(500));
    carla.ok(&["event", "add", "falcon", "--title", "Lawyer's letter demanding an audit", "--date", "2023-04-19"]);
    let sent = std::time::Instant::now();
    carla.ok(&["sync"]);
    let mut arrived = None;
    while sent.elapsed() < Duration::from_secs(20) {
        if bob.ok(&["event", "list", "falcon"]).contains("demanding an audit") {
            arrived = Some(sent.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = watching.kill();
    let _ = watching.wait();
    // Within 20 s, a third of the minute between polls: the server's notification woke it.
    assert!(arrived.is_some(), "the watching sync took the write in");
}
