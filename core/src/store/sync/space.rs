//! A team space as its members manage it: this device's keys, a space made or joined, members added
//! and removed by an admin (each a signed entry of the log, the space key renewed on a removal), a
//! conflict resolved, a server restored from an older backup given back what it lost.

use serde::Serialize;

use super::engine::{Genesis, KeyChange, MemberChange, Synced};
use super::envelope::Place;
use super::keys::{self, Device, JoinRequest, SpaceKey};
use super::local::{self, Member, Space};
use super::{envelope, outbox, Appended, Kind, Relay, WrappedKey, GENESIS_PREV};
use crate::error::{Error, Invalid, Result};
use crate::store::crypt::hex;
use crate::store::images::Image;
use crate::store::{registry, Store};

/// The action of the write that puts a database's records into a space it starts: each record goes
/// as created, from nothing.
pub const SHARE: &str = "team.share";

/// Which side of a conflict to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
}

/// Where this database stands in its space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Status {
    pub space: Space,
    pub person: String,
    pub device: String,
    pub role: String,
    /// Writes of this device not yet in the space's log.
    pub waiting: i64,
    pub conflicts: i64,
    pub members: i64,
    /// The head's hash as six words, to compare with a colleague out of band.
    pub head_words: String,
}

impl Store {
    /// Makes this device's keys for `person`, once, and returns the request an admin adds it with.
    pub fn team_keygen(&mut self, person: &str) -> Result<JoinRequest> {
        let person = person.trim();
        if person.is_empty() || person.chars().count() > 200 || person.chars().any(char::is_control) {
            return Err(Error::invalid(
                "name",
                Invalid::rule(
                    "team_person",
                    Some(person.into()),
                    "must be a person's name of 1 to 200 characters, on one line",
                ),
            ));
        }
        let device = match local::device(&self.db)? {
            Some(device) => device,
            None => {
                let device = Device::generate();
                self.write(
                    "team.keygen",
                    None,
                    &serde_json::json!({ "person": person, "device": hex(&device.id()) }),
                    |w| local::put_device(w, person, &device),
                )?;
                device
            }
        };
        let (person, _) = local::person(&self.db)?.unwrap_or_default();
        self.set_actor("dossier");
        Ok(JoinRequest { person, device: device.public() })
    }

    /// Starts the space `space` (already made on the server with this device as its admin): its
    /// genesis entry and first key, then every record of the database waiting to be sent.
    pub fn team_init(&mut self, relay: &mut dyn Relay, space: uuid::Uuid, name: &str, url: &str) -> Result<Space> {
        if local::space(&self.db)?.is_some() {
            return Err(Error::Conflict("this database already belongs to a team space".into()));
        }
        let device = local::device_or_refuse(&self.db)?;
        let (person, _) = local::person(&self.db)?.unwrap_or_default();
        let key = SpaceKey::generate();
        let genesis = Genesis { v: 1, name: name.to_string(), person, device: device.public(), at: registry::now() };
        let payload = serde_json::to_vec(&genesis).map_err(|e| Error::internal(e.to_string()))?;
        let place =
            Place { seq: 1, prev_hash: GENESIS_PREV, entry_id: uuid::Uuid::now_v7(), epoch: 1, kind: Kind::Genesis };
        let e = envelope::entry(&key, &device, &space, place, &payload);
        if relay.append(std::slice::from_ref(&e))? != Appended::Done {
            return Err(Error::Conflict(format!("the space {space} on the server is not empty")));
        }
        relay.put_keys(&[wrap(&key, 1, &space, &device, &device.public())])?;
        self.write("team.join", None, &serde_json::json!({ "space": space.to_string(), "name": name }), |w| {
            w.execute(
                "INSERT INTO team_space (id, name, url, genesis, head_hash, seen_hash, joined_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                rusqlite::params![space.to_string(), name, url, hex(&e.hash), hex(&GENESIS_PREV), registry::now()],
            )?;
            local::put_key(w, 1, &key)?;
            local::put_member(
                w,
                &Member {
                    device: hex(&device.id()),
                    person: genesis.person.clone(),
                    seal: hex(&device.public().seal),
                    role: "admin".into(),
                    since_seq: 1,
                    until_seq: None,
                },
            )?;
            local::put_entry(w, &e, None)
        })?;
        self.team = true;
        self.share_all()?;
        local::space_or_refuse(&self.db)
    }

    /// Puts every record of the database in the outbox, as created (see [`SHARE`]).
    fn share_all(&mut self) -> Result<()> {
        let ids = self.db.strings("SELECT id FROM record ORDER BY id", [])?;
        for chunk in ids.chunks(crate::store::RECORDS_PER_ENTRY) {
            self.write(SHARE, None, &serde_json::json!({ "records": chunk.len() }), |w| {
                for id in chunk {
                    w.execute("INSERT OR IGNORE INTO temp.touched VALUES (?1)", [id])?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Joins the space `space` on the server `relay` speaks to, once an admin added this device: takes
    /// its keys and its whole log. The database must hold no record yet.
    pub fn team_join(&mut self, relay: &mut dyn Relay, space: uuid::Uuid, url: &str) -> Result<Synced> {
        if local::space(&self.db)?.is_some() {
            return Err(Error::Conflict("this database already belongs to a team space".into()));
        }
        local::device_or_refuse(&self.db)?;
        let records: i64 = self.db.one("SELECT count(*) FROM record", [], |r| r.get(0))?;
        if records > 0 {
            return Err(Error::Conflict(format!(
                "this database holds {records} records: join a space with a new database file (`--db NEW.sqlite`)"
            )));
        }
        self.write("team.join", None, &serde_json::json!({ "space": space.to_string() }), |w| {
            w.execute(
                "INSERT INTO team_space (id, name, url, genesis, head_hash, seen_hash, joined_at) VALUES (?1, '', ?2, '', ?3, ?3, ?4)",
                rusqlite::params![space.to_string(), url, hex(&GENESIS_PREV), registry::now()],
            )?;
            Ok(())
        })?;
        self.team = true;
        let joined = self.fetch_keys(relay, &space).and_then(|()| self.sync(relay));
        let synced = match joined {
            Ok(synced) => synced,
            Err(e) => {
                // Nothing of the space stays: joining again starts afresh.
                self.write("team.join", None, &serde_json::json!({ "undone": e.to_string() }), |w| {
                    for table in ["team_entry", "team_member", "team_key", "team_shared", "team_space"] {
                        w.execute(&format!("DELETE FROM {table}"), [])?;
                    }
                    Ok(())
                })?;
                self.team = false;
                return Err(e);
            }
        };
        self.write("team.join", None, &serde_json::json!({ "joined": space.to_string() }), |w| {
            w.execute("UPDATE team_space SET genesis = (SELECT hash FROM team_entry WHERE seq = 1)", [])?;
            Ok(())
        })?;
        Ok(synced)
    }

    /// Adds the device of `request` as a member with `role` (by an admin): a signed entry, every space
    /// key wrapped to it, and the server told to let its PostgreSQL login (`pg_role`) in.
    pub fn team_add(
        &mut self,
        relay: &mut dyn Relay,
        request: &JoinRequest,
        role: &str,
        pg_role: Option<&str>,
    ) -> Result<Member> {
        check_role(role)?;
        self.refuse_unless_admin()?;
        let device = hex(&request.device.sign);
        if local::member(&self.db, &device)?.is_some_and(|m| m.until_seq.is_none()) {
            return Err(Error::Conflict(format!("{} is already a member of this space", request.person)));
        }
        let change = MemberChange {
            v: 1,
            op: "add".into(),
            person: request.person.clone(),
            device: request.device.clone(),
            role: role.into(),
            at: registry::now(),
        };
        self.append_own(relay, Kind::Member, &to_bytes(&change)?)?;
        let space = local::space_id(&local::space_or_refuse(&self.db)?)?;
        let me = local::device_or_refuse(&self.db)?;
        let mut wraps = Vec::new();
        for epoch in self.db.all("SELECT epoch FROM team_key ORDER BY epoch", [], |r| r.get::<_, i32>(0))? {
            if let Some(key) = local::key(&self.db, epoch)? {
                wraps.push(wrap(&key, epoch, &space, &me, &request.device));
            }
        }
        relay.put_keys(&wraps)?;
        relay.set_member(&request.device.sign, role, pg_role, true)?;
        local::member(&self.db, &device)?.ok_or_else(|| Error::internal("the member just added is missing"))
    }

    /// Removes a member (by name or by the start of its device id): a signed entry, a new space key
    /// for the others, and the server told to shut its login out. What it already read stays with it.
    pub fn team_remove(&mut self, relay: &mut dyn Relay, who: &str) -> Result<Member> {
        self.refuse_unless_admin()?;
        let active: Vec<Member> = local::members(&self.db)?.into_iter().filter(|m| m.until_seq.is_none()).collect();
        let found: Vec<&Member> =
            active.iter().filter(|m| m.person == who || (who.len() >= 4 && m.device.starts_with(who))).collect();
        let member = match found.as_slice() {
            [one] => (*one).clone(),
            [] => return Err(Error::not_found("member", who)),
            _ => {
                return Err(Error::invalid(
                    "member",
                    Invalid::rule(
                        "team_member",
                        Some(who.into()),
                        "names several members: give the start of a device id",
                    ),
                ))
            }
        };
        let me = local::device_or_refuse(&self.db)?;
        if member.device == hex(&me.id()) {
            return Err(Error::Conflict("an admin cannot remove their own device: another admin must".into()));
        }
        let public = keys::DevicePublic { sign: keys::hex32(&member.device)?, seal: keys::hex32(&member.seal)? };
        let change = MemberChange {
            v: 1,
            op: "remove".into(),
            person: member.person.clone(),
            device: public.clone(),
            role: member.role.clone(),
            at: registry::now(),
        };
        self.append_own(relay, Kind::Member, &to_bytes(&change)?)?;
        relay.set_member(&public.sign, &member.role, None, false)?;
        // A new epoch: the removed device holds none of its key, so it reads nothing written after.
        let space = local::space_id(&local::space_or_refuse(&self.db)?)?;
        let epoch = local::current_epoch(&self.db)?.unwrap_or(0) + 1;
        let key = SpaceKey::generate();
        let mut wraps = Vec::new();
        for m in local::members(&self.db)?.into_iter().filter(|m| m.until_seq.is_none()) {
            let to = keys::DevicePublic { sign: keys::hex32(&m.device)?, seal: keys::hex32(&m.seal)? };
            wraps.push(wrap(&key, epoch, &space, &me, &to));
        }
        relay.put_keys(&wraps)?;
        self.write("team.keys", None, &serde_json::json!({ "epoch": epoch }), |w| local::put_key(w, epoch, &key))?;
        self.append_own(relay, Kind::Key, &to_bytes(&KeyChange { v: 1, epoch, at: registry::now() })?)?;
        local::member(&self.db, &member.device)?.ok_or_else(|| Error::internal("the member just removed is missing"))
    }

    /// Settles the conflict on `record`: keeping the space's version changes nothing; keeping mine
    /// writes it over the space's, an ordinary write, sent with the next sync.
    pub fn team_resolve(&mut self, record: &str, keep: Keep) -> Result<()> {
        let conflict = local::conflicts(&self.db)?
            .into_iter()
            .find(|c| c.record_id == record)
            .ok_or_else(|| Error::not_found("conflict", record))?;
        let forget = |w: &crate::store::Writer<'_>| -> Result<()> {
            w.execute("DELETE FROM team_conflict WHERE record_id = ?1", [record])?;
            Ok(())
        };
        match keep {
            Keep::Theirs => self.write("team.resolve", Some(record), &serde_json::json!({ "keep": "theirs" }), forget),
            Keep::Mine => {
                let mine = conflict
                    .mine
                    .as_deref()
                    .map(|text| {
                        serde_json::from_str(text)
                            .map_err(|e| Error::internal(e.to_string()))
                            .and_then(|v| Image::from_json(&v))
                    })
                    .transpose()?;
                self.write("record.resolve", Some(record), &serde_json::json!({ "keep": "mine" }), |w| {
                    super::image::put(w, record, mine.as_ref())?;
                    forget(w)
                })
            }
        }
    }

    /// Gives a server restored from an older backup the entries it lost, as they were (their
    /// signatures still hold): its head becomes the one this device saw before. Returns how many.
    pub fn team_repair(&mut self, relay: &mut dyn Relay) -> Result<usize> {
        let space = local::space_or_refuse(&self.db)?;
        let (seq, hash) = relay.head()?;
        if seq >= space.seen_seq {
            return Ok(0);
        }
        let ours = local::entries_after(&self.db, seq - 1, 1)?;
        if seq > 0 && ours.first().map(|e| e.hash) != Some(hash) {
            return Err(Error::SpaceTampered {
                seq,
                reason: "the server's log is not a shorter copy of this device's".into(),
            });
        }
        let lost = local::entries_after(&self.db, seq, space.seen_seq - seq)?;
        if relay.append(&lost)? != Appended::Done {
            return Err(Error::Busy);
        }
        Ok(lost.len())
    }

    /// Where this database stands in its space.
    pub fn team_status(&self) -> Result<Status> {
        let space = local::space_or_refuse(&self.db)?;
        let (person, device) = local::person(&self.db)?.unwrap_or_default();
        let role = local::member(&self.db, &device)?
            .filter(|m| m.until_seq.is_none())
            .map(|m| m.role)
            .unwrap_or_else(|| "removed".into());
        let members = local::members(&self.db)?.iter().filter(|m| m.until_seq.is_none()).count() as i64;
        Ok(Status {
            head_words: keys::words_of(&keys::hex32(&space.head_hash)?),
            space,
            person,
            device,
            role,
            waiting: outbox::count(&self.db)?,
            conflicts: local::conflicts(&self.db)?.len() as i64,
            members,
        })
    }

    fn refuse_unless_admin(&self) -> Result<()> {
        let (_, device) = local::person(&self.db)?.unwrap_or_default();
        match local::member(&self.db, &device)? {
            Some(m) if m.role == "admin" && m.until_seq.is_none() => Ok(()),
            _ => Err(Error::Rejected("only an admin of the space can change its members".into())),
        }
    }
}

fn check_role(role: &str) -> Result<()> {
    if ["admin", "editor", "reader"].contains(&role) {
        Ok(())
    } else {
        Err(Error::invalid("role", Invalid::rule("team_role", Some(role.into()), "must be admin, editor or reader")))
    }
}

fn to_bytes(value: &impl Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::internal(e.to_string()))
}

/// `key` of `epoch` wrapped to `to`, vouched for by the admin device `by`.
fn wrap(key: &SpaceKey, epoch: i32, space: &uuid::Uuid, by: &Device, to: &keys::DevicePublic) -> WrappedKey {
    let wrapped = key.wrap_to(to);
    let signature = by.sign(&keys::wrap_statement(space, epoch, &to.sign, &wrapped));
    WrappedKey { epoch, device: to.sign, wrapped, signer: by.id(), signature }
}
