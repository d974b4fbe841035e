//! The bench's team: one database on the bench's own throw-away PostgreSQL cluster, members each with
//! a database file of their own, a login of their own and a connection to the server, as the
//! integration tests make them (`team/tests/it/replicas.rs`).

use std::path::PathBuf;
use std::time::Duration;

use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::store::sync::{keys::JoinRequest, local, Synced};
use dossier_core::Store;
use dossier_team::testing::{Cluster, Db};
use dossier_team::Server;
use tempfile::TempDir;

/// A database of the cluster for one measure, and its logins.
pub struct Team {
    pub cluster: &'static Cluster,
    pub db: Db,
}

impl Team {
    pub fn new() -> Team {
        let cluster = Cluster::shared();
        Team { db: cluster.database(), cluster }
    }

    /// A new login `name`: its connection string (unix socket) and its role's name.
    pub fn login(&self, name: &str) -> (String, String) {
        let role = self.cluster.login(&self.db, name);
        (self.cluster.url(&self.db.name, &role), role)
    }
}

/// One member: their database, their login's connection string and their connection.
pub struct Member {
    pub store: Store,
    pub server: Server,
    pub url: String,
    pub dir: TempDir,
}

impl Member {
    pub fn sync(&mut self) -> Synced {
        self.store.sync(&mut self.server).expect("sync")
    }

    pub fn space(&self) -> uuid::Uuid {
        self.server.space()
    }
}

/// A database file of its own for `person`, with their device's keys; and their join request.
pub fn new_store(person: &str) -> (TempDir, PathBuf, Store, JoinRequest) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dossier.sqlite");
    let mut store = Store::open(&path).expect("open");
    store.set_actor("bench");
    let request = store.team_keygen(person).expect("keygen");
    (dir, path, store, request)
}

/// `person` starts a space on a login of their own, holding what `prepare` wrote first (the case
/// `falcon` when it writes nothing else), and pushes it.
pub fn founder(team: &Team, person: &str, prepare: impl FnOnce(&mut Store)) -> Member {
    let (dir, _, mut store, _) = new_store(person);
    prepare(&mut store);
    let (url, _) = team.login(&person.to_lowercase());
    let space = uuid::Uuid::now_v7();
    let device = local::device(store.reader()).expect("device").expect("keys");
    let mut server = Server::create(&url, space, device.id()).expect("create the space");
    store.team_init(&mut server, space, "Bench", &url).expect("init");
    let mut m = Member { store, server, url, dir };
    m.sync();
    m
}

/// The case every measure writes its events into.
pub fn falcon(store: &mut Store) {
    case::create(
        store,
        &CaseInput { slug: "falcon".into(), title: "Twitter v. Microsoft".into(), ..Default::default() },
    )
    .expect("case");
}

/// `person` is added by `admin` as an editor under a login of their own; returns their database
/// (not joined yet), its path, and their connection string.
pub fn added(team: &Team, admin: &mut Member, person: &str) -> (TempDir, PathBuf, Store, String) {
    let (dir, path, store, request) = new_store(person);
    let (url, role) = team.login(&person.to_lowercase());
    admin.store.team_add(&mut admin.server, &request, "editor", Some(&role)).expect("add");
    (dir, path, store, url)
}

/// `person`, added by `admin`, joins the space.
pub fn joined(team: &Team, admin: &mut Member, person: &str) -> Member {
    let (dir, _, mut store, url) = added(team, admin, person);
    let mut server = Server::open(&url, admin.space()).expect("open");
    let space = server.space();
    store.team_join(&mut server, space, &url).expect("join");
    Member { store, server, url, dir }
}

/// `n` events of the case `falcon`, each a write of its own (an entry of its own in the space), in
/// transactions of a thousand writes so that making them takes seconds, not minutes.
pub fn events(store: &mut Store, n: usize, prefix: &str) {
    for start in (0..n).step_by(1000) {
        store
            .batch(|s| {
                for i in start..n.min(start + 1000) {
                    let input = EventInput {
                        case: "falcon".into(),
                        title: format!("{prefix} {i}: the licence fee is disputed"),
                        date: format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                        description: format!("{prefix} {i} says the fee under clause {}.{} is not due", i % 9, i % 7),
                        ..Default::default()
                    };
                    event::create(s, &input)?;
                }
                Ok(())
            })
            .expect("events");
    }
}

/// The `p`-th percentile (0–100) of `samples`, nearest rank.
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
