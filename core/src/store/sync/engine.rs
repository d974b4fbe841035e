//! Taking in the space's log and sending this device's writes: `Store::sync` pulls what the others
//! wrote (checking each entry's link, hash, signature, author and seal), applies it in the server's
//! order, rebases this device's waiting writes over it, and pushes them with a compare-and-swap on
//! the log's head, again until the head holds still.
//!
//! Applying is the second sanctioned write path beside `Store::write` (each applied entry is one
//! write of its own, logged here as `sync.apply` under its author's name). When writes of this device
//! wait, the pull is one transaction: their records are put back as the space has them (rewind), the
//! others' entries are applied, and each waiting write is merged again over the result (replay), a
//! change that cannot be merged becoming a conflict for a person. An entry that the space's state
//! refuses (a base that does not match, a constraint it breaks) is refused by every replica alike.

use std::collections::BTreeSet;

use serde::Serialize;

use super::envelope::Place;
use super::image;
use super::local::{self, Member};
use super::outbox::{self, Payload, Pending};
use super::{envelope, keys, rebase, Appended, Kind, Relay, Sealed};
use crate::error::{Error, Result};
use crate::store::conn::Writer;
use crate::store::crypt::hex;
use crate::store::images::Image;
use crate::store::Store;

/// How many entries one read asks the server for.
const READ_AT_ONCE: usize = 500;

/// How many times a push lost to another member's is tried again after a pull.
const PUSH_TRIES: usize = 5;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Synced {
    /// Entries of the others taken in, and how many of them the space's state refused.
    pub pulled: usize,
    pub refused: usize,
    /// This device's writes sent.
    pub pushed: usize,
    /// Changes of this device that met another's and wait for a person.
    pub conflicts: usize,
    /// The space's head after the sync.
    pub head_seq: i64,
    pub head_hash: String,
    /// Records changed here by the others' entries.
    pub changed: Vec<String>,
}

/// Genesis: what a space is and who made it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Genesis {
    pub v: u32,
    pub name: String,
    pub person: String,
    pub device: keys::DevicePublic,
    pub at: String,
}

/// A member added, removed or given another role.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MemberChange {
    pub v: u32,
    /// `add`, `remove` or `role`.
    pub op: String,
    pub person: String,
    pub device: keys::DevicePublic,
    pub role: String,
    pub at: String,
}

/// A new epoch of the space key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyChange {
    pub v: u32,
    pub epoch: i32,
    pub at: String,
}

/// One checked, opened entry of the others.
#[derive(Clone)]
struct Opened {
    sealed: Sealed,
    kind: Kind,
    payload: Vec<u8>,
}

impl Store {
    /// Pulls, rebases and pushes until this device has sent everything it could and holds the space's
    /// head. Refuses to send anything to a server whose log is shorter than what this device saw
    /// (`RolledBack`), or one whose log does not verify (`SpaceTampered`).
    pub fn sync(&mut self, relay: &mut dyn Relay) -> Result<Synced> {
        let mut report = Synced::default();
        for _ in 0..PUSH_TRIES {
            self.pull(relay, &mut report)?;
            if self.push(relay, &mut report)? {
                break;
            }
        }
        let space = local::space_or_refuse(&self.db)?;
        report.head_seq = space.head_seq;
        report.head_hash = space.head_hash;
        report.conflicts = local::conflicts(&self.db)?.len();
        Ok(report)
    }

    /// Takes in every entry of the space's log after this device's head.
    pub fn pull(&mut self, relay: &mut dyn Relay, report: &mut Synced) -> Result<()> {
        let space = local::space_or_refuse(&self.db)?;
        let (server_seq, _) = relay.head()?;
        if server_seq < space.seen_seq {
            return Err(Error::RolledBack { seen: space.seen_seq, found: server_seq });
        }
        loop {
            let space = local::space_or_refuse(&self.db)?;
            let entries = relay.read(space.head_seq, READ_AT_ONCE)?;
            if entries.is_empty() {
                return Ok(());
            }
            let mut opened = Vec::new();
            let (mut seq, mut prev) = (space.head_seq, keys::hex32(&space.head_hash)?);
            for e in entries {
                if e.seq != seq + 1 || e.prev_hash != prev {
                    return Err(Error::SpaceTampered {
                        seq: seq + 1,
                        reason: format!(
                            "the server sent entry {} where entry {} continuing this device's head was due",
                            e.seq,
                            seq + 1
                        ),
                    });
                }
                (seq, prev) = (e.seq, e.hash);
                opened.push(self.open_entry(relay, &space, e)?);
                // Membership and keys change who may write what follows: take them in at once.
                if opened.last().is_some_and(|o| o.kind != Kind::Write) {
                    self.take_in(relay, std::mem::take(&mut opened), report)?;
                }
            }
            self.take_in(relay, opened, report)?;
        }
    }

    /// Checks one entry (hash, signature, author's right to write it at its place) and opens it.
    fn open_entry(&mut self, relay: &mut dyn Relay, space: &local::Space, e: Sealed) -> Result<Opened> {
        let id = local::space_id(space)?;
        envelope::verify(&id, &e)?;
        let kind = Kind::from_code(e.kind)
            .ok_or_else(|| Error::SpaceTampered { seq: e.seq, reason: format!("its kind {} is unknown", e.kind) })?;
        let author = hex(&e.author);
        if kind != Kind::Genesis {
            let member = local::member(&self.db, &author)?;
            let allowed = member.as_ref().is_some_and(|m| {
                m.until_seq.is_none_or(|u| e.seq <= u)
                    && match kind {
                        Kind::Write => m.role != "reader",
                        _ => m.role == "admin",
                    }
            });
            if !allowed {
                let who = member.map(|m| m.person).unwrap_or_else(|| format!("device {}", &author[..8]));
                return Err(Error::SpaceTampered {
                    seq: e.seq,
                    reason: format!("it is signed by {who}, who may not write it there"),
                });
            }
        } else if e.seq != 1 {
            return Err(Error::SpaceTampered { seq: e.seq, reason: "a second genesis".into() });
        }
        let key = match local::key(&self.db, e.epoch)? {
            Some(key) => key,
            None => {
                self.fetch_keys(relay, &id)?;
                local::key(&self.db, e.epoch)?.ok_or_else(|| {
                    Error::Revoked(format!("this device holds no key of epoch {} (entry {})", e.epoch, e.seq))
                })?
            }
        };
        let payload = envelope::open(&key, &id, &e)?;
        Ok(Opened { sealed: e, kind, payload })
    }

    /// Takes the space keys wrapped to this device from the server, each vouched for by an admin of
    /// the log (a key the server swapped is refused).
    pub(crate) fn fetch_keys(&mut self, relay: &mut dyn Relay, space: &uuid::Uuid) -> Result<()> {
        let device = local::device_or_refuse(&self.db)?;
        let wrapped = relay.keys_for(&device.id())?;
        let admins: Vec<Member> = local::members(&self.db)?.into_iter().filter(|m| m.role == "admin").collect();
        let mut found = Vec::new();
        for w in wrapped {
            if local::key(&self.db, w.epoch)?.is_some() {
                continue;
            }
            let statement = keys::wrap_statement(space, w.epoch, &w.device, &w.wrapped);
            let signer = hex(&w.signer);
            // Before the genesis is read, no admin is known: the first key is taken on trust (the genesis
            // it opens is then checked against its creator's signature, and its hash is what members
            // compare out of band, as words).
            let vouched = admins.is_empty() || admins.iter().any(|a| a.device == signer);
            if !vouched || !keys::verify(&w.signer, &statement, &w.signature) {
                return Err(Error::SpaceTampered {
                    seq: 0,
                    reason: format!(
                        "the space key of epoch {} wrapped to this device is not signed by an admin",
                        w.epoch
                    ),
                });
            }
            found.push((w.epoch, keys::SpaceKey::unwrap(&w.wrapped, &device, w.epoch)?, signer));
        }
        if found.is_empty() {
            return Ok(());
        }
        let detail = serde_json::json!({ "keys": found.iter().map(|(epoch, _, signer)| serde_json::json!({ "epoch": epoch, "signed_by": signer })).collect::<Vec<_>>() });
        self.write("team.keys", None, &detail, |w| {
            for (epoch, key, _) in &found {
                local::put_key(w, *epoch, key)?;
            }
            Ok(())
        })
    }

    /// Applies checked entries in order: each of the others' writes in a transaction of its own, or,
    /// when writes of this device wait, all in one with a rewind and a replay of those.
    fn take_in(&mut self, relay: &mut dyn Relay, opened: Vec<Opened>, report: &mut Synced) -> Result<()> {
        if opened.is_empty() {
            return Ok(());
        }
        let pending = outbox::pending(&self.db)?;
        let mine = local::device(&self.db)?.map(|d| hex(&d.id()));
        let own: BTreeSet<uuid::Uuid> = pending.iter().map(|p| p.entry_id).collect();
        let rebase =
            opened.iter().any(|o| o.kind == Kind::Write && !own.contains(&o.sealed.entry_id)) && !pending.is_empty();
        if !rebase {
            // The writes of one read in one transaction, each in a savepoint and refused alone as its
            // own transaction would refuse it (`Writer::refuse_broken_references`): a commit and an
            // anchor per entry took half the apply's time. Should it fail, they are taken one
            // transaction each, as before, keeping what came before the failing entry. A membership or
            // key entry, which ends a read (`pull`), comes after them in a transaction of its own.
            let (mut writes, mine, before) = (opened, mine.as_deref(), report.clone());
            let last = if writes.last().is_some_and(|o| o.kind != Kind::Write) { writes.pop() } else { None };
            let each =
                |store: &mut Store| writes.iter().try_for_each(|o| store.take_one(relay, o.clone(), mine, report));
            if self.batch(each).is_err() {
                *report = before;
                for o in writes {
                    self.take_one(relay, o, mine, report)?;
                }
            }
            return last.map_or(Ok(()), |o| self.take_one(relay, o, mine, report));
        }
        // Writes of this device that reach the space only now (a sync killed after its push committed)
        // are the space's already: only the others are rewound, and replayed after.
        let arriving: BTreeSet<uuid::Uuid> = opened.iter().map(|o| o.sealed.entry_id).collect();
        let waiting: Vec<Pending> = pending.into_iter().filter(|p| !arriving.contains(&p.entry_id)).collect();
        self.batch(|store| {
            store.write(
                "sync.rebase",
                None,
                &serde_json::json!({ "step": "rewind", "writes": waiting.len() }),
                |w| rebase::rewind(w, &waiting),
            )?;
            for o in opened {
                store.take_one(relay, o, mine.as_deref(), report)?;
            }
            rebase::replay(store, report)
        })
    }

    /// Takes in one entry: membership, keys, or a write (this device's own coming back is only noted).
    fn take_one(&mut self, relay: &mut dyn Relay, o: Opened, mine: Option<&str>, report: &mut Synced) -> Result<()> {
        let seq = o.sealed.seq;
        match o.kind {
            Kind::Genesis | Kind::Member | Kind::Key => {
                let space = uuid_of(&self.db)?;
                self.write("sync.apply", None, &serde_json::json!({ "seq": seq, "kind": o.kind }), |w| {
                    take_membership(w, &o)?;
                    local::put_entry(w, &o.sealed, None)
                })?;
                if o.kind == Kind::Key {
                    // A removed device gets no key of the new epoch: it reads nothing after this.
                    let _ = self.fetch_keys(relay, &space);
                }
                Ok(())
            }
            Kind::Write => {
                let payload = Payload::from_bytes(&o.payload, seq)?;
                if payload.schema > crate::store::schema_version() as i64 {
                    return Err(Error::SchemaTooNew {
                        found: payload.schema,
                        supported: crate::store::schema_version(),
                    });
                }
                let own = mine == Some(hex(&o.sealed.author).as_str())
                    && self
                        .db
                        .exists("SELECT 1 FROM team_outbox WHERE entry_id = ?1", [o.sealed.entry_id.to_string()])?;
                if own {
                    return self.write("sync.apply", None, &serde_json::json!({ "seq": seq, "own": true }), |w| {
                        note_sent(w, &o.sealed, &payload)
                    });
                }
                self.apply_write(&o.sealed, &payload, report)
            }
        }
    }

    /// Applies one of the others' writes, or records it as refused (alike on every replica).
    fn apply_write(&mut self, sealed: &Sealed, payload: &Payload, report: &mut Synced) -> Result<()> {
        let detail = serde_json::json!({ "seq": sealed.seq, "hash": hex(&sealed.hash), "action": payload.action, "by": payload.actor });
        let actor = std::mem::replace(&mut self.actor, payload.actor.clone());
        // Alone in its transaction, a write's broken references are found at its commit; inside a
        // rebase they must be looked for before its savepoint is released.
        let in_batch = self.in_batch;
        let store = crate::store::blobs::Blobs::new(self.blobs.dir().to_path_buf(), self.blobs.keys().cloned());
        let applied = self.write("sync.apply", payload.record_id.as_deref(), &detail, |w| {
            for (id, change) in &payload.records {
                let shared = local::shared(w, id)?;
                if shared != change.base {
                    return Err(Error::Conflict(format!(
                        "record {id} was not in the state the entry was written from"
                    )));
                }
                let after = change.after.as_ref().map(Image::from_json).transpose()?;
                image::put(w, id, after.as_ref())?;
                crate::store::imported::put(w, id, &change.history)?;
                local::put_shared(w, id, after.as_ref().map(image::hash).as_deref())?;
                if after.as_ref().is_some_and(|i| i.kind == crate::vocabulary::RecordKind::Evidence) {
                    super::files::note_unfetched(w, &store, id)?;
                }
            }
            if in_batch {
                w.refuse_broken_references()?;
            }
            local::put_entry(w, sealed, None)
        });
        self.actor = actor;
        report.pulled += 1;
        match applied {
            Ok(()) => {
                report.changed.extend(payload.records.keys().cloned());
                Ok(())
            }
            Err(e @ (Error::Conflict(_) | Error::Sqlite(_))) => {
                report.refused += 1;
                let reason = e.to_string();
                self.write("sync.apply", None, &serde_json::json!({ "seq": sealed.seq, "refused": reason }), |w| {
                    local::put_entry(w, sealed, Some(&reason))
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Sends the writes waiting, as entries continuing the head; `false` when another member's push
    /// came first (nothing was appended: pull and try again).
    fn push(&mut self, relay: &mut dyn Relay, report: &mut Synced) -> Result<bool> {
        let pending = outbox::pending(&self.db)?;
        if pending.is_empty() {
            return Ok(true);
        }
        let space = local::space_or_refuse(&self.db)?;
        let id = local::space_id(&space)?;
        let device = local::device_or_refuse(&self.db)?;
        let epoch =
            local::current_epoch(&self.db)?.ok_or_else(|| Error::Revoked("this device holds no space key".into()))?;
        let key = local::key(&self.db, epoch)?.ok_or_else(|| Error::internal("the current space key is missing"))?;
        // The files an entry names are in the space before the entry is.
        self.send_files(relay, &pending)?;
        let (mut seq, mut prev) = (space.head_seq, keys::hex32(&space.head_hash)?);
        let mut entries = Vec::new();
        for p in &pending {
            seq += 1;
            let place = Place { seq, prev_hash: prev, entry_id: p.entry_id, epoch, kind: Kind::Write };
            let e = envelope::entry(&key, &device, &id, place, &p.payload.sent().to_bytes());
            prev = e.hash;
            entries.push(e);
        }
        if relay.append(&entries)? == Appended::Moved {
            return Ok(false);
        }
        self.write("sync.apply", None, &serde_json::json!({ "sent": entries.len() }), |w| {
            for (e, p) in entries.iter().zip(&pending) {
                note_sent(w, e, &p.payload)?;
            }
            Ok(())
        })?;
        report.pushed += entries.len();
        Ok(true)
    }

    /// Appends one entry of membership or keys written by this device (an admin), pulling first so
    /// that it continues the head.
    pub(crate) fn append_own(&mut self, relay: &mut dyn Relay, kind: Kind, payload: &[u8]) -> Result<Sealed> {
        for _ in 0..PUSH_TRIES {
            let mut report = Synced::default();
            self.pull(relay, &mut report)?;
            let space = local::space_or_refuse(&self.db)?;
            let id = local::space_id(&space)?;
            let device = local::device_or_refuse(&self.db)?;
            let epoch = local::current_epoch(&self.db)?
                .ok_or_else(|| Error::Revoked("this device holds no space key".into()))?;
            let key =
                local::key(&self.db, epoch)?.ok_or_else(|| Error::internal("the current space key is missing"))?;
            let place = Place {
                seq: space.head_seq + 1,
                prev_hash: keys::hex32(&space.head_hash)?,
                entry_id: uuid::Uuid::now_v7(),
                epoch,
                kind,
            };
            let e = envelope::entry(&key, &device, &id, place, payload);
            if relay.append(std::slice::from_ref(&e))? == Appended::Done {
                let opened = Opened { sealed: e.clone(), kind, payload: payload.to_vec() };
                self.write("sync.apply", None, &serde_json::json!({ "seq": e.seq, "kind": kind }), |w| {
                    take_membership(w, &opened)?;
                    local::put_entry(w, &e, None)
                })?;
                return Ok(e);
            }
        }
        Err(Error::Busy)
    }
}

fn uuid_of(db: &crate::store::Reader) -> Result<uuid::Uuid> {
    local::space_id(&local::space_or_refuse(db)?)
}

/// Records an entry of this device as in the space: the log's head moves to it, its records' shared
/// state is what it wrote, and it leaves the outbox.
fn note_sent(w: &Writer<'_>, e: &Sealed, payload: &Payload) -> Result<()> {
    for (id, change) in &payload.records {
        let after = change.after.as_ref().map(Image::from_json).transpose()?;
        local::put_shared(w, id, after.as_ref().map(image::hash).as_deref())?;
    }
    local::put_entry(w, e, None)?;
    w.execute("DELETE FROM team_outbox WHERE entry_id = ?1", [e.entry_id.to_string()])?;
    Ok(())
}

/// Takes in the genesis, a member change or a new epoch.
fn take_membership(w: &Writer<'_>, o: &Opened) -> Result<()> {
    let seq = o.sealed.seq;
    let bad = |e: serde_json::Error| Error::SpaceTampered { seq, reason: format!("its payload cannot be read: {e}") };
    match o.kind {
        Kind::Genesis => {
            let g: Genesis = serde_json::from_slice(&o.payload).map_err(bad)?;
            if g.device.sign != o.sealed.author {
                return Err(Error::SpaceTampered { seq, reason: "the genesis is not signed by its creator".into() });
            }
            w.execute("UPDATE team_space SET name = ?1", [&g.name])?;
            local::put_member(
                w,
                &Member {
                    device: hex(&g.device.sign),
                    person: g.person,
                    seal: hex(&g.device.seal),
                    role: "admin".into(),
                    since_seq: seq,
                    until_seq: None,
                },
            )
        }
        Kind::Member => {
            let m: MemberChange = serde_json::from_slice(&o.payload).map_err(bad)?;
            let device = hex(&m.device.sign);
            let until = (m.op == "remove").then_some(seq);
            let since = local::member(w, &device)?.map_or(seq, |old| old.since_seq);
            local::put_member(
                w,
                &Member {
                    device,
                    person: m.person,
                    seal: hex(&m.device.seal),
                    role: m.role,
                    since_seq: since,
                    until_seq: until,
                },
            )
        }
        Kind::Key | Kind::Write => Ok(()),
    }
}
