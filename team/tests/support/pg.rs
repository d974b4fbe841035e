//! One test's team server: a fresh database (server.sql applied) on the binary's shared cluster
//! (`dossier_team::testing::Cluster`), logins of its own, and entries chained with the core's
//! `chain_hash` (signatures and MACs are fake bytes: the server checks neither).

use dossier_core::store::sync::{chain_hash, Relay, Sealed, GENESIS_PREV};
use dossier_team::testing::{Cluster, Db};
use dossier_team::Server;
use postgres::Client;
use uuid::Uuid;

pub struct Team {
    pub cluster: &'static Cluster,
    pub db: Db,
}

impl Team {
    pub fn new() -> Team {
        let cluster = Cluster::shared();
        Team { db: cluster.database(), cluster }
    }

    /// Creates a login and returns its connection string (unix socket).
    pub fn login(&self, name: &str) -> String {
        let login = self.cluster.login(&self.db, name);
        self.cluster.url(&self.db.name, &login)
    }

    /// The PostgreSQL role name of login `name`.
    pub fn role(&self, name: &str) -> String {
        format!("{}{name}", self.db.prefix)
    }

    /// The superuser, playing a malicious server or looking behind row level security.
    pub fn superuser(&self) -> Client {
        self.cluster.superuser(&self.db.name).expect("superuser connection")
    }

    /// A login, a new space it creates with `device` as admin, and its url.
    pub fn space(&self, name: &str, device: [u8; 32]) -> (String, Uuid, Server) {
        let url = self.login(name);
        let space = Uuid::now_v7();
        let server = Server::create(&url, space, device).expect("create space");
        (url, space, server)
    }
}

/// A device key (its Ed25519 public key in real life).
pub fn device(n: u8) -> [u8; 32] {
    [n; 32]
}

fn random32() -> [u8; 32] {
    std::array::from_fn(|_| fastrand::u8(..))
}

/// An entry after (`seq - 1`, `prev`) by `author`, random where the server does not care.
pub fn entry(space: &Uuid, seq: i64, prev: [u8; 32], author: [u8; 32]) -> Sealed {
    let mut e = Sealed {
        seq,
        prev_hash: prev,
        hash: [0; 32],
        entry_id: Uuid::now_v7(),
        author,
        epoch: fastrand::i32(..),
        kind: fastrand::i16(..),
        mac: random32(),
        nonce: (0..24).map(|_| fastrand::u8(..)).collect(),
        body: (0..fastrand::usize(0..300)).map(|_| fastrand::u8(..)).collect(),
        sig: vec![7; 64],
    };
    e.hash = chain_hash(space, &e);
    e
}

/// `n` entries continuing `head`.
pub fn chain(space: &Uuid, head: (i64, [u8; 32]), n: usize, author: [u8; 32]) -> Vec<Sealed> {
    let mut out: Vec<Sealed> = Vec::with_capacity(n);
    let (mut seq, mut prev) = head;
    for _ in 0..n {
        let e = entry(space, seq + 1, prev, author);
        (seq, prev) = (e.seq, e.hash);
        out.push(e);
    }
    out
}

/// `n` entries continuing the server's head.
pub fn next(server: &mut Server, n: usize, author: [u8; 32]) -> Vec<Sealed> {
    let space = server.space();
    let head = server.head().expect("head");
    chain(&space, head, n, author)
}

/// The head of an empty log.
pub fn empty() -> (i64, [u8; 32]) {
    (0, GENESIS_PREV)
}
