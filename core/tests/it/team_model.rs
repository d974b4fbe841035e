//! The model-based test of the merge (issue 23, item 8): three members of a space write, go offline,
//! come back, pull and sync in a random order; once all are online and have synced until nothing
//! moves, every replica must hold the same records, the same bundle of every case and the same head;
//! every write a member made must be in the space, replaced by a later one, or waiting for that member
//! as a conflict; and `dossier check` must find nothing wrong anywhere. A round does this twice (the
//! conflicts of the first left for the second to meet), then settles every conflict and checks again.
//!
//! Each round draws its steps from a seeded generator; a failure prints the seed and the steps, and
//! `DOSSIER_MODEL_SEED=<seed> DOSSIER_MODEL_ROUNDS=1` replays it. `DOSSIER_MODEL_ROUNDS` alone runs
//! more rounds than the default, for a long run on demand.

use std::collections::BTreeMap;

use dossier_core::record::allegation::{self, StatusInput};
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::letter;
use dossier_core::record::party::{self, PartyInput};
use dossier_core::store::images::{self, Image};
use dossier_core::store::sync::memory::MemoryServer;
use dossier_core::store::sync::outbox::Payload;
use dossier_core::store::sync::{envelope, image, local, Keep, Kind};
use dossier_core::store::Store;
use dossier_core::transfer::bundle::{self, Contents};
use dossier_core::{Error, ErrorCode};

use crate::common::*;
use crate::team::{joined, started, state, Member};

mod regressions;
mod verdict;
use verdict::{comparable, holds, image_of};

/// Rounds run by default: about 12 s in a debug build on two cores (1.5 s a round).
const ROUNDS: u64 = 8;

/// Steps of each half of a round, before everyone comes back online.
const STEPS: usize = 40;

/// The dates the generator picks from: fuzzy and exact, some inside others.
const DATES: &[&str] = &["2023", "2023-05", "2023-05-10", "2023-06-01", "2024-01-02"];

const STATUSES: &[&str] = &["under_review", "disputed", "admitted", "withdrawn", "upheld", "dismissed"];

/// Marks a write that deleted its record.
const DELETED: &str = "";

/// Marks a conflict settled by keeping mine: the whole record written as its writer had it.
const KEPT: &str = "*";

/// One value a member wrote: the value `value` put in `table.column` of `record` (rows of a set, such as
/// tags or status changes, hold it in one of their rows), or the record deleted (`column` = [`DELETED`]).
/// Every value written is new, so where it is found says which write it came from.
#[derive(Debug, Clone)]
struct Written {
    client: usize,
    step: usize,
    record: String,
    table: &'static str,
    column: &'static str,
    value: String,
    /// Whether where its value is found says where the write went: `false` for a date (two writes may
    /// set the same) and for a conflict settled by keeping mine (its values are earlier writes').
    checked: bool,
}

/// A space of three members and what they did.
struct Model {
    seed: u64,
    rng: fastrand::Rng,
    members: Vec<Member>,
    offline: Vec<bool>,
    writes: Vec<Written>,
    /// The writes (indices in `writes`) that a member saw when settling a conflict, in the record as
    /// their replica held it or in the conflict's version: whichever version they kept, they chose.
    settled: std::collections::BTreeSet<usize>,
    steps: Vec<String>,
    fresh: usize,
    /// Writes a member's own replica refused, and conflicts settled.
    refused: usize,
    resolved: usize,
}

impl Model {
    fn new(seed: u64) -> Model {
        let server = MemoryServer::new();
        let space = uuid::Uuid::now_v7();
        let mut carla = started(&server, space);
        let bob = joined(&server, space, &mut carla, "Bob", "editor");
        let dana = joined(&server, space, &mut carla, "Dana", "editor");
        let mut members = vec![carla, bob, dana];
        for m in &mut members {
            m.sync().expect("in step at the start");
        }
        Model {
            seed,
            rng: fastrand::Rng::with_seed(seed),
            members,
            offline: vec![false; 3],
            writes: Vec::new(),
            settled: Default::default(),
            steps: Vec::new(),
            fresh: 0,
            refused: 0,
            resolved: 0,
        }
    }

    /// A value never written before, naming who wrote it.
    fn value(&mut self, client: usize, what: &str) -> String {
        self.fresh += 1;
        format!("{what} m{client} n{}", self.fresh)
    }

    fn note(&mut self, text: String) {
        self.steps.push(text);
    }

    fn wrote(&mut self, client: usize, record: &str, table: &'static str, column: &'static str, value: &str) {
        let step = self.steps.len();
        self.writes.push(Written {
            client,
            step,
            record: record.into(),
            table,
            column,
            value: value.into(),
            checked: true,
        });
    }

    /// A write whose value is not checked (see [`Written::checked`]), but which replaces earlier ones.
    fn touched(&mut self, client: usize, record: &str, table: &'static str, column: &'static str) {
        self.wrote(client, record, table, column, "");
        if let Some(w) = self.writes.last_mut() {
            w.checked = false;
        }
    }

    fn store(&mut self, client: usize) -> &mut Store {
        self.members[client].store()
    }

    /// A record of `kind` on the member's replica, at random.
    fn pick(&mut self, client: usize, kind: &str) -> Option<String> {
        let ids = self.members[client]
            .fx
            .store
            .reader()
            .strings("SELECT id FROM record WHERE kind = ?1 ORDER BY id", [kind])
            .expect("ids");
        // Now and then a record whose change waits as a conflict: a member goes on working on it.
        if self.rng.u32(..4) == 0 {
            let waiting = local::conflicts(self.members[client].fx.store.reader()).expect("conflicts");
            if let Some(c) = waiting.iter().find(|c| ids.contains(&c.record_id)) {
                return Some(c.record_id.clone());
            }
        }
        // Half the time one of the two oldest: members meet on the same records, as a team does.
        let among = if self.rng.bool() { ids.len().min(2) } else { ids.len() };
        (!ids.is_empty()).then(|| ids[self.rng.usize(..among)].clone())
    }

    fn date(&mut self) -> String {
        DATES[self.rng.usize(..DATES.len())].to_string()
    }

    /// One step of one member, drawn at random.
    fn step(&mut self) {
        let c = self.rng.usize(..3);
        match self.rng.u32(..100) {
            0..=9 => {
                self.offline[c] = !self.offline[c];
                self.members[c].offline(self.offline[c]);
                self.note(format!("m{c} {}", if self.offline[c] { "offline" } else { "online" }));
            }
            10..=24 => self.sync(c),
            25..=29 => {
                self.note(format!("m{c} pull"));
                let Member { fx, relay } = &mut self.members[c];
                let pulled = fx.store.pull(relay, &mut Default::default());
                match pulled {
                    Ok(()) => {}
                    Err(Error::Offline(_)) if self.offline[c] => {}
                    Err(e) => self.fail(&format!("m{c}'s pull failed: {e}")),
                }
            }
            30..=33 => self.resolve(c),
            _ => self.write(c),
        }
    }

    fn sync(&mut self, c: usize) {
        self.note(format!("m{c} sync"));
        match self.members[c].sync() {
            Ok(_) => {}
            Err(Error::Offline(_)) if self.offline[c] => {}
            Err(e) => self.fail(&format!("m{c}'s sync failed: {e}")),
        }
    }

    /// Settles one of the member's conflicts, keeping either side.
    fn resolve(&mut self, c: usize) {
        let conflicts = local::conflicts(self.members[c].fx.store.reader()).expect("conflicts");
        if conflicts.is_empty() {
            return;
        }
        let record = conflicts[self.rng.usize(..conflicts.len())].record_id.clone();
        let keep = if self.rng.bool() { Keep::Mine } else { Keep::Theirs };
        self.settle_conflict(c, &record, keep);
    }

    /// Settles member `c`'s conflict on `record`; `false` when keeping mine is refused (it names a
    /// record the team deleted since), and the conflict stays.
    fn settle_conflict(&mut self, c: usize, record: &str, keep: Keep) -> bool {
        self.note(format!("m{c} resolve {record} keeping {keep:?}"));
        self.resolved += 1;
        let db = self.members[c].fx.store.reader();
        let here = images::current(db, record).expect("image").map(|i| image::of(&i));
        let conflict = local::conflicts(db).expect("conflicts").into_iter().find(|x| x.record_id == record);
        let mine = conflict.and_then(|x| x.mine).map(|text| image_of(&text));
        let seen: Vec<usize> = (0..self.writes.len())
            .filter(|i| {
                let w = &self.writes[*i];
                w.client == c && w.record == record && (holds(w, here.as_ref()) || holds(w, mine.as_ref()))
            })
            .collect();
        match self.store(c).team_resolve(record, keep) {
            Ok(()) => {
                self.settled.extend(seen);
                if keep == Keep::Mine {
                    self.touched(c, record, "record", KEPT);
                }
                true
            }
            Err(e) if keep == Keep::Mine => {
                self.note(format!("  refused: {e}"));
                false
            }
            Err(e) => self.fail(&format!("m{c} could not keep the space's version: {e}")),
        }
    }

    /// One write of the record by member `c`: a record of some kind made, changed or deleted.
    fn write(&mut self, c: usize) {
        let outcome = match self.rng.u32(..17) {
            0 => self.create_case(c),
            1 | 2 => self.edit_case(c),
            3 => self.delete(c, "case"),
            4 => self.create_party(c),
            5 => self.edit_party(c),
            6 => self.delete(c, "party"),
            7 => self.create_event(c),
            8 | 9 => self.edit_event(c),
            10 => self.delete(c, "event"),
            11 => self.create_letter(c),
            12 => self.edit_letter(c),
            13 => self.delete(c, "letter"),
            14 => self.create_allegation(c),
            15 => self.edit_allegation(c),
            _ => self.delete(c, "allegation"),
        };
        if let Err(e) = outcome {
            // The record as this member has it refuses the change: nothing was written.
            match e.code() {
                ErrorCode::InvalidInput | ErrorCode::NotFound | ErrorCode::Conflict => {
                    self.refused += 1;
                    self.note(format!("  refused: {e}"))
                }
                _ => self.fail(&format!("m{c}'s write failed: {e}")),
            }
        }
    }

    fn create_case(&mut self, c: usize) -> dossier_core::Result<()> {
        let title = self.value(c, "Case");
        // Now and then two members choose the same slug, which the space takes once.
        let slug =
            if self.rng.u32(..4) == 0 { format!("shared-{}", self.rng.u32(..3)) } else { case::slug_for(&title) };
        self.note(format!("m{c} create case {slug} '{title}'"));
        let input = CaseInput { slug, title: title.clone(), ..Default::default() };
        let made = case::create(self.store(c), &input)?;
        self.wrote(c, &made.id, "case_file", "title", &title);
        Ok(())
    }

    fn edit_case(&mut self, c: usize) -> dossier_core::Result<()> {
        let Some(id) = self.pick(c, "case") else { return Ok(()) };
        let mut input = case::get(self.store(c).reader(), &id)?.to_input();
        let (table, column, value) = match self.rng.u32(..3) {
            0 => {
                input.title = self.value(c, "Title");
                ("case_file", "title", input.title.clone())
            }
            1 => {
                input.summary = self.value(c, "Summary");
                ("case_file", "summary", input.summary.clone())
            }
            _ => {
                let tag = self.value(c, "tag").replace(' ', "-");
                input.tags.push(tag.clone());
                ("case_tag", "tag", tag)
            }
        };
        self.note(format!("m{c} edit case {id}: {table}.{column} = '{value}'"));
        case::update(self.store(c), &id, &input)?;
        self.wrote(c, &id, table, column, &value);
        Ok(())
    }

    fn delete(&mut self, c: usize, kind: &str) -> dossier_core::Result<()> {
        let Some(id) = self.pick(c, kind) else { return Ok(()) };
        self.note(format!("m{c} delete {kind} {id}"));
        let store = self.store(c);
        match kind {
            "case" => case::delete(store, &id)?,
            "party" => party::delete(store, &id)?,
            "event" => event::delete(store, &id)?,
            "letter" => letter::delete(store, &id)?,
            _ => allegation::delete(store, &id)?,
        }
        self.wrote(c, &id, "record", DELETED, DELETED);
        Ok(())
    }

    fn create_party(&mut self, c: usize) -> dossier_core::Result<()> {
        let name = self.value(c, "Party");
        self.note(format!("m{c} create party '{name}'"));
        let input = PartyInput { name: name.clone(), kind: "organisation".into(), ..Default::default() };
        let made = party::create(self.store(c), &input)?;
        self.wrote(c, &made.id, "party", "name", &name);
        Ok(())
    }

    fn edit_party(&mut self, c: usize) -> dossier_core::Result<()> {
        let Some(id) = self.pick(c, "party") else { return Ok(()) };
        let mut input = party::get(self.store(c).reader(), &id)?.to_input();
        input.description = self.value(c, "Description");
        let value = input.description.clone();
        self.note(format!("m{c} edit party {id}: description = '{value}'"));
        party::update(self.store(c), &id, &input)?;
        self.wrote(c, &id, "party", "description", &value);
        Ok(())
    }

    fn create_event(&mut self, c: usize) -> dossier_core::Result<()> {
        let Some(case) = self.pick(c, "case") else { return Ok(()) };
        let title = self.value(c, "Event");
        let date = self.date();
        let parties: Vec<String> = self.pick(c, "party").into_iter().collect();
        self.note(format!("m{c} create event in {case} '{title}' on {date} with {parties:?}"));
        let input = EventInput { case, title: title.clone(), date, parties, ..Default::default() };
        let made = event::create(self.store(c), &input)?;
        self.wrote(c, &made.id, "event", "title", &title);
        Ok(())
    }

    fn edit_event(&mut self, c: usize) -> dossier_core::Result<()> {
        let Some(id) = self.pick(c, "event") else { return Ok(()) };
        let mut input = event::get(self.store(c).reader(), &id)?.to_input();
        let (table, column, value) = match self.rng.u32(..4) {
            0 => {
                input.title = self.value(c, "Title");
                ("event", "title", input.title.clone())
            }
            1 => {
                input.description = self.value(c, "Description");
                ("event", "description", input.description.clone())
            }
            2 => {
                input.date = self.date();
                ("event", "date", input.date.clone())
            }
            _ => {
                let tag = self.value(c, "tag").replace(' ', "-");
                input.tags.push(tag.clone());
                ("record_tag", "tag", tag)
            }
        };
        self.note(format!("m{c} edit event {id}: {table}.{column} = '{value}'"));
        event::update(self.store(c), &id, &input)?;
        if column == "date" {
            self.touched(c, &id, table, column);
        } else {
            self.wrote(c, &id, table, column, &value);
        }
        Ok(())
    }

    fn create_letter(&mut self, c: usize) -> dossier_core::Result<()> {
        let (Some(case), Some(from), Some(to)) = (self.pick(c, "case"), self.pick(c, "party"), self.pick(c, "party"))
        else {
            return Ok(());
        };
        let subject = self.value(c, "Letter");
        let date = self.date();
        self.note(format!("m{c} create letter in {case} '{subject}' from {from} to {to} on {date}"));
        let made = letter::create(self.store(c), &letter_input(&case, &from, &[&to], &subject, &date))?;
        self.wrote(c, &made.id, "letter", "subject", &subject);
        Ok(())
    }

    fn edit_letter(&mut self, c: usize) -> dossier_core::Result<()> {
        let Some(id) = self.pick(c, "letter") else { return Ok(()) };
        let mut input = letter::get(self.store(c).reader(), &id)?.to_input();
        let (column, value) = if self.rng.bool() {
            input.subject = self.value(c, "Subject");
            ("subject", input.subject.clone())
        } else {
            input.body = self.value(c, "Body");
            ("body", input.body.clone())
        };
        self.note(format!("m{c} edit letter {id}: {column} = '{value}'"));
        letter::update(self.store(c), &id, &input)?;
        self.wrote(c, &id, "letter", column, &value);
        Ok(())
    }

    fn create_allegation(&mut self, c: usize) -> dossier_core::Result<()> {
        let raised = if self.rng.bool() { self.pick(c, "letter") } else { self.pick(c, "event") };
        let (Some(raised), Some(by), Some(against)) = (raised, self.pick(c, "party"), self.pick(c, "party")) else {
            return Ok(());
        };
        let case: String = self.members[c]
            .fx
            .store
            .reader()
            .one(
                "SELECT case_id FROM letter WHERE id = ?1 UNION SELECT case_id FROM event WHERE id = ?1",
                [&raised],
                |r| r.get(0),
            )
            .expect("case of the raising");
        let summary = self.value(c, "Allegation");
        self.note(format!("m{c} create allegation '{summary}' raised in {raised} by {by} against {against}"));
        let made = allegation::create(self.store(c), &allegation_input(&case, &by, &against, &raised, &summary))?;
        self.wrote(c, &made.id, "allegation", "summary", &summary);
        Ok(())
    }

    fn edit_allegation(&mut self, c: usize) -> dossier_core::Result<()> {
        let Some(id) = self.pick(c, "allegation") else { return Ok(()) };
        if self.rng.bool() {
            let mut input = allegation::get(self.store(c).reader(), &id)?.to_input();
            input.summary = self.value(c, "Summary");
            let value = input.summary.clone();
            self.note(format!("m{c} edit allegation {id}: summary = '{value}'"));
            allegation::update(self.store(c), &id, &input)?;
            self.wrote(c, &id, "allegation", "summary", &value);
        } else {
            let status = STATUSES[self.rng.usize(..STATUSES.len())].to_string();
            let note = self.value(c, "Note");
            let date = self.date();
            self.note(format!("m{c} status of allegation {id}: {status} on {date}, note '{note}'"));
            let input = StatusInput { status, date, note: note.clone(), position: 0 };
            allegation::set_status(self.store(c), &id, &input)?;
            self.wrote(c, &id, "allegation_status", "note", &note);
        }
        Ok(())
    }

    /// Brings everyone online and syncs them in turn until a whole turn moves nothing.
    fn settle(&mut self) {
        for c in 0..3 {
            self.offline[c] = false;
            self.members[c].offline(false);
        }
        self.note("all online".into());
        for _ in 0..10 {
            let mut moved = false;
            for c in 0..3 {
                match self.members[c].sync() {
                    Ok(s) => moved |= s.pushed > 0 || s.pulled > 0,
                    Err(e) => self.fail(&format!("m{c}'s last sync failed: {e}")),
                }
            }
            if !moved {
                return;
            }
        }
        self.fail("the members never stopped sending each other entries");
    }

    fn fail(&self, why: &str) -> ! {
        panic!(
            "{why}\nseed {} (replay: DOSSIER_MODEL_SEED={} DOSSIER_MODEL_ROUNDS=1)\nsteps:\n  {}",
            self.seed,
            self.seed,
            self.steps.join("\n  ")
        );
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// What the rounds did, to see that they reach the paths they are meant to.
#[derive(Debug, Default)]
struct Tally {
    writes: usize,
    refused: usize,
    entries: i64,
    /// Conflicts waiting after each settled half of a round, and at the end of it.
    met: usize,
    conflicts: usize,
    resolved: usize,
}

/// One round: a space; twice `STEPS` random steps, then everyone back online and every check (the
/// conflicts of the first stay for the second to meet); then every conflict settled, and every check.
fn round(seed: u64, tally: &mut Tally) {
    let mut model = Model::new(seed);
    for _ in 0..2 {
        for _ in 0..STEPS {
            model.step();
        }
        model.settle();
        model.check();
        for m in &model.members {
            tally.met += local::conflicts(m.fx.store.reader()).expect("conflicts").len();
        }
    }
    for c in 0..3 {
        for conflict in local::conflicts(model.members[c].fx.store.reader()).expect("conflicts") {
            let keep = if model.rng.bool() { Keep::Mine } else { Keep::Theirs };
            // Mine may name a record the team deleted: theirs is then kept.
            if !model.settle_conflict(c, &conflict.record_id, keep) {
                model.settle_conflict(c, &conflict.record_id, Keep::Theirs);
            }
        }
    }
    model.settle();
    model.check();
    tally.writes += model.writes.len();
    tally.refused += model.refused;
    tally.resolved += model.resolved;
    for m in &model.members {
        tally.conflicts += local::conflicts(m.fx.store.reader()).expect("conflicts").len();
    }
    tally.entries += local::space(model.members[0].fx.store.reader()).expect("space").expect("space").head_seq;
}

#[test]
fn team_model_random_interleavings_converge_and_lose_no_write() {
    let rounds = env_u64("DOSSIER_MODEL_ROUNDS").unwrap_or(ROUNDS);
    let first = env_u64("DOSSIER_MODEL_SEED").unwrap_or_else(|| fastrand::u64(..));
    let started = std::time::Instant::now();
    let mut tally = Tally::default();
    for r in 0..rounds {
        round(first.wrapping_add(r), &mut tally);
    }
    eprintln!("team_model: {rounds} rounds from seed {first} in {:.1} s: {tally:?}", started.elapsed().as_secs_f64());
}
