//! One team space on a PostgreSQL team server, as the core's engine uses it ([`Relay`]): a single
//! connection, one round trip or one transaction per call. The server's rules (its append trigger,
//! functions and row level security, `server.sql`) decide; this only asks and translates the answers.

use dossier_core::error::{Error, Invalid, Result};
use dossier_core::store::sync::{Appended, Relay, Sealed, WrappedKey};
use postgres::{Client, Row};
use uuid::Uuid;

use crate::connect::{connect, failure, sqlstate};
use crate::schema::SCHEMA_VERSION;

/// The SQLSTATE the append trigger raises when an entry does not continue the head.
const MOVED: &str = "DSMOV";

const ENTRY_COLUMNS: &str = "seq, prev_hash, hash, entry_id, author, epoch, kind, mac, nonce, body, sig";

/// A device the server lets read or append in the space (its `space_member` row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub device: [u8; 32],
    /// The PostgreSQL login the device connects as.
    pub pg_role: String,
    /// `admin`, `editor` or `reader`.
    pub role: String,
    pub active: bool,
}

/// A team space on a PostgreSQL team server.
pub struct Server {
    client: Client,
    space: Uuid,
}

impl Server {
    /// Connects to the server of `space` (see [`connect`] for `url`) and checks that it holds a
    /// Dossier schema this build knows.
    pub fn open(url: &str, space: Uuid) -> Result<Server> {
        let mut server = Server { client: connect(url)?, space };
        let row = server.client.query_one("SELECT max(version) FROM dossier_schema", &[]).map_err(|e| {
            if sqlstate(&e) == Some("42501") {
                Error::Rejected(
                    "this login is not a team member on this server: its DBA grants it dossier_member \
                     (`dossier team server-sql --role NAME`)"
                        .to_string(),
                )
            } else {
                failure(e)
            }
        })?;
        match row.get::<_, Option<i32>>(0) {
            Some(SCHEMA_VERSION) => Ok(server),
            found => Err(Error::Rejected(format!(
                "the team server's schema is version {}, this build knows {SCHEMA_VERSION}: {}",
                found.map_or("none".to_string(), |v| v.to_string()),
                if found > Some(SCHEMA_VERSION) { "upgrade Dossier" } else { "its DBA runs `dossier team server-sql`" }
            ))),
        }
    }

    /// Creates `space` on the server, its log empty, `device` its first admin device under the
    /// caller's login, and opens it.
    pub fn create(url: &str, space: Uuid, device: [u8; 32]) -> Result<Server> {
        let mut server = Server::open(url, space)?;
        server.client.execute("SELECT dossier_create_space($1, $2)", &[&space, &&device[..]]).map_err(failure)?;
        Ok(server)
    }

    /// The space this relays.
    pub fn space(&self) -> Uuid {
        self.space
    }

    /// The devices the server lets read or append in the space.
    pub fn members(&mut self) -> Result<Vec<Member>> {
        let space = self.space;
        let rows = self.query(
            "SELECT device, pg_role::text, role, active FROM space_member WHERE space_id = $1 ORDER BY device",
            &[&space],
        )?;
        if rows.is_empty() {
            self.check_standing()?;
        }
        rows.iter()
            .map(|row| {
                Ok(Member {
                    device: bytes32(row.get(0), 0, "device")?,
                    pg_role: row.get(1),
                    role: row.get(2),
                    active: row.get(3),
                })
            })
            .collect()
    }

    fn query(&mut self, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<Vec<Row>> {
        match self.client.query(sql, params) {
            Ok(rows) => Ok(rows),
            Err(e) => Err(self.refusal(e)),
        }
    }

    fn call(&mut self, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<()> {
        match self.client.execute(sql, params) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.refusal(e)),
        }
    }

    /// The core's error for a failure; a refusal by permissions or row level security is told apart
    /// as this login's removal from the space when that is why.
    fn refusal(&mut self, e: postgres::Error) -> Error {
        let denied = sqlstate(&e) == Some("42501");
        let error = failure(e);
        if denied {
            if let Err(standing) = self.check_standing() {
                return standing;
            }
        }
        error
    }

    /// Row level security answers a reader who may not read with no rows: this says why instead.
    fn check_standing(&mut self) -> Result<()> {
        let space = self.space;
        let row = self.client.query_one("SELECT dossier_standing($1)", &[&space]).map_err(failure)?;
        match row.get::<_, &str>(0) {
            "none" => Err(Error::Rejected(format!("no team space {space} on this server"))),
            "stranger" => Err(Error::Rejected(format!("this login has no device in team space {space}"))),
            "revoked" => {
                Err(Error::Revoked(format!("no device of this login is active in team space {space} any more")))
            }
            _ => Ok(()),
        }
    }
}

fn bytes32(bytes: Vec<u8>, seq: i64, what: &str) -> Result<[u8; 32]> {
    let len = bytes.len();
    bytes.try_into().map_err(|_| Error::SpaceTampered { seq, reason: format!("its {what} is {len} bytes, not 32") })
}

fn sealed(row: &Row) -> Result<Sealed> {
    let seq: i64 = row.get(0);
    Ok(Sealed {
        seq,
        prev_hash: bytes32(row.get(1), seq, "previous hash")?,
        hash: bytes32(row.get(2), seq, "hash")?,
        entry_id: row.get(3),
        author: bytes32(row.get(4), seq, "author")?,
        epoch: row.get(5),
        kind: row.get(6),
        mac: bytes32(row.get(7), seq, "mac")?,
        nonce: row.get(8),
        body: row.get(9),
        sig: row.get(10),
    })
}

/// Inserts every entry in one transaction; the trigger refuses the first that does not continue the
/// head, and the transaction is rolled back whole.
fn insert_all(client: &mut Client, space: Uuid, entries: &[Sealed]) -> std::result::Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    let insert = tx.prepare(&format!(
        "INSERT INTO space_entry (space_id, {ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))?;
    for e in entries {
        tx.execute(
            &insert,
            &[
                &space,
                &e.seq,
                &&e.prev_hash[..],
                &&e.hash[..],
                &e.entry_id,
                &&e.author[..],
                &e.epoch,
                &e.kind,
                &&e.mac[..],
                &e.nonce,
                &e.body,
                &e.sig,
            ],
        )?;
    }
    tx.commit()
}

fn too_large(what: &str, value: u64) -> Error {
    Error::invalid("file", Invalid::rule("too_large", Some(value.to_string()), format!("{what} is too large")))
}

impl Relay for Server {
    fn head(&mut self) -> Result<(i64, [u8; 32])> {
        let space = self.space;
        let rows = self.query("SELECT head_seq, head_hash FROM space WHERE id = $1", &[&space])?;
        let Some(row) = rows.first() else {
            self.check_standing()?;
            return Err(Error::Rejected(format!("team space {} is not readable", self.space)));
        };
        let seq = row.get(0);
        Ok((seq, bytes32(row.get(1), seq, "head hash")?))
    }

    fn read(&mut self, after: i64, limit: usize) -> Result<Vec<Sealed>> {
        let space = self.space;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.query(
            &format!("SELECT {ENTRY_COLUMNS} FROM space_entry WHERE space_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"),
            &[&space, &after, &limit],
        )?;
        if rows.is_empty() {
            self.check_standing()?;
        }
        rows.iter().map(sealed).collect()
    }

    fn append(&mut self, entries: &[Sealed]) -> Result<Appended> {
        if entries.is_empty() {
            return Ok(Appended::Done);
        }
        match insert_all(&mut self.client, self.space, entries) {
            Ok(()) => Ok(Appended::Done),
            Err(e) if sqlstate(&e) == Some(MOVED) => Ok(Appended::Moved),
            Err(e) => Err(self.refusal(e)),
        }
    }

    fn find(&mut self, ids: &[Uuid]) -> Result<Vec<(Uuid, i64)>> {
        let space = self.space;
        let rows = self.query(
            "SELECT entry_id, seq FROM space_entry WHERE space_id = $1 AND entry_id = ANY($2) ORDER BY seq",
            &[&space, &ids],
        )?;
        if rows.is_empty() {
            self.check_standing()?;
        }
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    fn put_keys(&mut self, keys: &[WrappedKey]) -> Result<()> {
        let space = self.space;
        let stored = (|| {
            let mut tx = self.client.transaction()?;
            let insert = tx.prepare(
                "INSERT INTO space_key (space_id, epoch, device, wrapped, signer, signature) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )?;
            for k in keys {
                tx.execute(&insert, &[&space, &k.epoch, &&k.device[..], &k.wrapped, &&k.signer[..], &k.signature])?;
            }
            tx.commit()
        })();
        stored.map_err(|e| self.refusal(e))
    }

    fn keys_for(&mut self, device: &[u8; 32]) -> Result<Vec<WrappedKey>> {
        let space = self.space;
        let rows = self.query(
            "SELECT epoch, device, wrapped, signer, signature FROM space_key \
             WHERE space_id = $1 AND device = $2 ORDER BY epoch",
            &[&space, &&device[..]],
        )?;
        if rows.is_empty() {
            self.check_standing()?;
        }
        rows.iter()
            .map(|row| {
                Ok(WrappedKey {
                    epoch: row.get(0),
                    device: bytes32(row.get(1), 0, "key's device")?,
                    wrapped: row.get(2),
                    signer: bytes32(row.get(3), 0, "key's signer")?,
                    signature: row.get(4),
                })
            })
            .collect()
    }

    fn set_member(&mut self, device: &[u8; 32], role: &str, pg_role: Option<&str>, active: bool) -> Result<()> {
        let space = self.space;
        self.call("SELECT dossier_set_member($1, $2, $3, $4, $5)", &[&space, &&device[..], &role, &pg_role, &active])
    }

    fn put_chunk(&mut self, name: &[u8; 32], n: u32, chunks: u32, size: u64, data: &[u8]) -> Result<()> {
        let space = self.space;
        let n = i32::try_from(n).map_err(|_| too_large("a chunk number", n.into()))?;
        let chunks = i32::try_from(chunks).map_err(|_| too_large("the number of chunks", chunks.into()))?;
        let size = i64::try_from(size).map_err(|_| too_large("the size", size))?;
        self.call("SELECT dossier_put_chunk($1, $2, $3, $4, $5, $6)", &[&space, &&name[..], &n, &chunks, &size, &data])
    }

    fn complete(&mut self, name: &[u8; 32]) -> Result<()> {
        let space = self.space;
        self.call("SELECT dossier_complete_blob($1, $2)", &[&space, &&name[..]])
    }

    fn chunks_of(&mut self, name: &[u8; 32]) -> Result<Option<(Vec<u32>, bool)>> {
        let space = self.space;
        let rows = self.query(
            "SELECT b.complete, ARRAY(SELECT c.n FROM blob_chunk c \
               WHERE c.space_id = b.space_id AND c.name = b.name ORDER BY c.n) \
             FROM blob b WHERE b.space_id = $1 AND b.name = $2",
            &[&space, &&name[..]],
        )?;
        let Some(row) = rows.first() else {
            self.check_standing()?;
            return Ok(None);
        };
        let numbers: Vec<i32> = row.get(1);
        let numbers = numbers.into_iter().filter_map(|n| u32::try_from(n).ok()).collect();
        Ok(Some((numbers, row.get(0))))
    }

    fn chunk(&mut self, name: &[u8; 32], n: u32) -> Result<Vec<u8>> {
        let space = self.space;
        let number = i32::try_from(n).map_err(|_| too_large("a chunk number", n.into()))?;
        let rows = self.query(
            "SELECT data FROM blob_chunk WHERE space_id = $1 AND name = $2 AND n = $3",
            &[&space, &&name[..], &number],
        )?;
        match rows.first() {
            Some(row) => Ok(row.get(0)),
            None => {
                self.check_standing()?;
                Err(Error::NotFound { kind: "file chunk", key: n.to_string() })
            }
        }
    }
}
