//! What this database knows of its team space, kept in its own tables (migration 0021): the space and
//! how far its log was read, this device and its keys, the members as the log says, the log's entries
//! as received, the shared state of each record, and the conflicts waiting for a person.

use serde::Serialize;

use super::keys::{Device, SpaceKey};
use super::Sealed;
use crate::error::{Error, Result};
use crate::store::conn::{Reader, Writer};
use crate::store::crypt::hex;
use crate::store::images::Image;

/// The space this database belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Space {
    pub id: String,
    pub name: String,
    /// The server's connection string, as given to `init` or `join` (a password in it is not kept).
    pub url: String,
    /// The hash of the space's first entry: what its members pin.
    pub genesis: String,
    /// The last entry of the space's log applied here.
    pub head_seq: i64,
    pub head_hash: String,
    /// The longest log any server showed this device.
    pub seen_seq: i64,
    pub seen_hash: String,
}

/// The space, if the database belongs to one.
pub fn space(db: &Reader) -> Result<Option<Space>> {
    db.optional("SELECT id, name, url, genesis, head_seq, head_hash, seen_seq, seen_hash FROM team_space", [], |r| {
        Ok(Space {
            id: r.get(0)?,
            name: r.get(1)?,
            url: r.get(2)?,
            genesis: r.get(3)?,
            head_seq: r.get(4)?,
            head_hash: r.get(5)?,
            seen_seq: r.get(6)?,
            seen_hash: r.get(7)?,
        })
    })
}

/// The space, or a clear refusal when the database belongs to none.
pub fn space_or_refuse(db: &Reader) -> Result<Space> {
    space(db)?.ok_or_else(|| {
        Error::Rejected(
            "this database belongs to no team space: `dossier team init` or `dossier team join` first".into(),
        )
    })
}

/// The space's id as a UUID.
pub fn space_id(space: &Space) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(&space.id)
        .map_err(|e| Error::internal(format!("the space id {} is not a UUID: {e}", space.id)))
}

/// The person using this device and the device's id (hex), once `team keygen`, `init` or `join` made it.
pub fn person(db: &Reader) -> Result<Option<(String, String)>> {
    db.optional("SELECT person, device FROM team_device", [], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// This device's keys.
pub fn device(db: &Reader) -> Result<Option<Device>> {
    let secret: Option<Vec<u8>> = db.optional("SELECT secret FROM team_device", [], |r| r.get(0))?;
    secret.map(|s| Device::from_secret(&s)).transpose()
}

/// This device's keys, or a refusal saying how to make them.
pub fn device_or_refuse(db: &Reader) -> Result<Device> {
    device(db)?.ok_or_else(|| Error::Rejected("this device has no team keys: run `dossier team keygen` first".into()))
}

/// Keeps this device's keys and its person's name (once: a device keeps its keys).
pub(crate) fn put_device(w: &Writer<'_>, person: &str, device: &Device) -> Result<()> {
    w.execute(
        "INSERT INTO team_device (one, person, device, secret, made_at) VALUES (1, ?1, ?2, ?3, ?4)",
        rusqlite::params![person, hex(&device.id()), device.secret().as_slice(), crate::store::registry::now()],
    )?;
    Ok(())
}

/// The space key of `epoch`, if this device holds it.
pub fn key(db: &Reader, epoch: i32) -> Result<Option<SpaceKey>> {
    let bytes: Option<Vec<u8>> = db.optional("SELECT key FROM team_key WHERE epoch = ?1", [epoch], |r| r.get(0))?;
    bytes.map(|b| SpaceKey::from_bytes(&b)).transpose()
}

/// The latest epoch this device holds a key of.
pub fn current_epoch(db: &Reader) -> Result<Option<i32>> {
    db.one("SELECT max(epoch) FROM team_key", [], |r| r.get::<_, Option<i32>>(0))
}

pub(crate) fn put_key(w: &Writer<'_>, epoch: i32, key: &SpaceKey) -> Result<()> {
    w.execute(
        "INSERT INTO team_key (epoch, key) VALUES (?1, ?2) ON CONFLICT(epoch) DO NOTHING",
        rusqlite::params![epoch, key.bytes().as_slice()],
    )?;
    Ok(())
}

/// A member as the space's log says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Member {
    /// The device's id (its Ed25519 public key, hex).
    pub device: String,
    pub person: String,
    /// The device's X25519 key (hex), to which space keys are wrapped.
    pub seal: String,
    pub role: String,
    /// The entry that added it, and the one that removed it.
    pub since_seq: i64,
    pub until_seq: Option<i64>,
}

pub fn members(db: &Reader) -> Result<Vec<Member>> {
    db.all(
        "SELECT device, person, seal, role, since_seq, until_seq FROM team_member ORDER BY since_seq, person",
        [],
        |r| {
            Ok(Member {
                device: r.get(0)?,
                person: r.get(1)?,
                seal: r.get(2)?,
                role: r.get(3)?,
                since_seq: r.get(4)?,
                until_seq: r.get(5)?,
            })
        },
    )
}

/// The member whose device is `device` (hex), removed or not.
pub fn member(db: &Reader, device: &str) -> Result<Option<Member>> {
    Ok(members(db)?.into_iter().find(|m| m.device == device))
}

pub(crate) fn put_member(w: &Writer<'_>, m: &Member) -> Result<()> {
    w.execute(
        "INSERT INTO team_member (device, person, seal, role, since_seq, until_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(device) DO UPDATE SET person = excluded.person, role = excluded.role, until_seq = excluded.until_seq",
        rusqlite::params![m.device, m.person, m.seal, m.role, m.since_seq, m.until_seq],
    )?;
    Ok(())
}

/// Keeps an entry of the space's log as received, and moves the head to it.
pub(crate) fn put_entry(w: &Writer<'_>, e: &Sealed, refused: Option<&str>) -> Result<()> {
    w.execute(
        "INSERT INTO team_entry (seq, entry_id, prev_hash, hash, author, epoch, kind, mac, nonce, body, sig, refused)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rusqlite::params![
            e.seq,
            e.entry_id.to_string(),
            hex(&e.prev_hash),
            hex(&e.hash),
            hex(&e.author),
            e.epoch,
            e.kind,
            e.mac.as_slice(),
            e.nonce,
            e.body,
            e.sig,
            refused
        ],
    )?;
    w.execute(
        "UPDATE team_space SET head_seq = ?1, head_hash = ?2,
                seen_seq = max(seen_seq, ?1), seen_hash = CASE WHEN ?1 >= seen_seq THEN ?2 ELSE seen_hash END",
        rusqlite::params![e.seq, hex(&e.hash)],
    )?;
    Ok(())
}

/// The entries of the space's log this device received after `seq`, as the server sent them.
pub fn entries_after(db: &Reader, seq: i64, limit: i64) -> Result<Vec<Sealed>> {
    db.all(
        "SELECT seq, entry_id, prev_hash, hash, author, epoch, kind, mac, nonce, body, sig FROM team_entry
          WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        rusqlite::params![seq, limit],
        |r| {
            let bytes32 = |i: usize| -> rusqlite::Result<[u8; 32]> {
                let text: String = r.get(i)?;
                super::keys::hex32(&text)
                    .map_err(|e| rusqlite::Error::InvalidColumnType(i, e.to_string(), rusqlite::types::Type::Text))
            };
            let mac: Vec<u8> = r.get(7)?;
            let id: String = r.get(1)?;
            Ok(Sealed {
                seq: r.get(0)?,
                entry_id: uuid::Uuid::parse_str(&id).unwrap_or_default(),
                prev_hash: bytes32(2)?,
                hash: bytes32(3)?,
                author: bytes32(4)?,
                epoch: r.get(5)?,
                kind: r.get(6)?,
                mac: mac.try_into().unwrap_or([0; 32]),
                nonce: r.get(8)?,
                body: r.get(9)?,
                sig: r.get(10)?,
            })
        },
    )
}

/// The record's state in the space (the hash of its sync image), `None` when the space has none.
pub fn shared(db: &Reader, record: &str) -> Result<Option<String>> {
    db.optional("SELECT hash FROM team_shared WHERE record_id = ?1", [record], |r| r.get(0))
}

pub(crate) fn put_shared(w: &Writer<'_>, record: &str, hash: Option<&str>) -> Result<()> {
    match hash {
        Some(hash) => w.execute(
            "INSERT INTO team_shared (record_id, hash) VALUES (?1, ?2) ON CONFLICT(record_id) DO UPDATE SET hash = excluded.hash",
            [record, hash],
        )?,
        None => w.execute("DELETE FROM team_shared WHERE record_id = ?1", [record])?,
    };
    Ok(())
}

/// A write of this device that could not be merged with the space's, waiting for a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    pub record_id: String,
    pub kind: String,
    /// The record as both sides had it, as I left it, and as the space has it now (sync images as
    /// JSON text; `None`: absent or deleted).
    pub base: Option<String>,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    /// The space's entry that holds their version.
    pub theirs_seq: i64,
    /// What clashed, one item each.
    pub fields: Vec<String>,
    pub at: String,
}

pub fn conflicts(db: &Reader) -> Result<Vec<Conflict>> {
    db.all(
        "SELECT record_id, kind, base, mine, theirs, theirs_seq, fields, at FROM team_conflict ORDER BY at, record_id",
        [],
        |r| {
            let fields: String = r.get(6)?;
            Ok(Conflict {
                record_id: r.get(0)?,
                kind: r.get(1)?,
                base: r.get(2)?,
                mine: r.get(3)?,
                theirs: r.get(4)?,
                theirs_seq: r.get(5)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                at: r.get(7)?,
            })
        },
    )
}

/// The version of mine kept by the conflict waiting on `record` (`Some(None)`: deleted), if one waits.
pub(crate) fn conflict_mine(db: &Reader, record: &str) -> Result<Option<Option<Image>>> {
    let mine: Option<Option<String>> =
        db.optional("SELECT mine FROM team_conflict WHERE record_id = ?1", [record], |r| r.get(0))?;
    let image = |text: String| {
        serde_json::from_str(&text).map_err(|e| Error::internal(e.to_string())).and_then(|v| Image::from_json(&v))
    };
    mine.map(|m| m.map(image).transpose()).transpose()
}

pub(crate) fn put_conflict(w: &Writer<'_>, c: &Conflict) -> Result<()> {
    w.execute(
        "INSERT INTO team_conflict (record_id, kind, base, mine, theirs, theirs_seq, fields, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(record_id) DO UPDATE SET theirs = excluded.theirs, theirs_seq = excluded.theirs_seq,
            mine = excluded.mine, fields = excluded.fields, at = excluded.at",
        rusqlite::params![
            c.record_id,
            c.kind,
            c.base,
            c.mine,
            c.theirs,
            c.theirs_seq,
            serde_json::to_string(&c.fields).unwrap_or_default(),
            c.at
        ],
    )?;
    Ok(())
}
