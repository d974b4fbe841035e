//! The checks of a settled space (see the parent module): the replicas alike, their records the space's
//! log applied in order, no write lost, and `check` clean.

use super::*;

impl Model {
    /// Every check of a settled space.
    pub(super) fn check(&self) {
        self.converged();
        let log = self.log();
        let folded = fold(&log);
        let first = state(&self.members[0].fx.store);
        if folded != first {
            let differ: Vec<&String> =
                first.keys().chain(folded.keys()).filter(|id| first.get(*id) != folded.get(*id)).collect();
            self.fail(&format!("the replicas are not the space's log applied in order; records {differ:?} differ"));
        }
        for (i, w) in self.writes.iter().enumerate() {
            if let Err(why) = self.accounted(i, w, &log, &first) {
                self.fail(&format!("a write was lost: {w:?}: {why}"));
            }
        }
        for (c, m) in self.members.iter().enumerate() {
            let report = checked(&m.fx.db_path());
            if !report.problems.is_empty() {
                self.fail(&format!("check finds problems on m{c}: {:?}", messages(&report)));
            }
        }
    }

    /// The same records, bundles and head on every replica.
    pub(super) fn converged(&self) {
        let states: Vec<_> = self.members.iter().map(|m| state(&m.fx.store)).collect();
        for (c, s) in states.iter().enumerate().skip(1) {
            if s != &states[0] {
                let differ: Vec<&String> =
                    s.keys().chain(states[0].keys()).filter(|id| s.get(*id) != states[0].get(*id)).collect();
                self.fail(&format!("m{c}'s records differ from m0's: {differ:?}"));
            }
        }
        let heads: Vec<_> = self
            .members
            .iter()
            .map(|m| {
                let s = local::space(m.fx.store.reader()).expect("space").expect("in the space");
                (s.head_seq, s.head_hash)
            })
            .collect();
        if heads.iter().any(|h| h != &heads[0]) {
            self.fail(&format!("the heads differ: {heads:?}"));
        }
        let cases =
            self.members[0].fx.store.reader().strings("SELECT id FROM case_file ORDER BY id", []).expect("cases");
        for id in cases {
            let bundles: Vec<String> = self
                .members
                .iter()
                .map(|m| comparable(&bundle::export_json(m.fx.store.reader(), &id, Contents::RECORDS).expect("bundle")))
                .collect();
            for (c, b) in bundles.iter().enumerate().skip(1) {
                if b != &bundles[0] {
                    let line = b.lines().zip(bundles[0].lines()).position(|(x, y)| x != y).unwrap_or(0);
                    self.fail(&format!(
                        "m{c}'s bundle of case {id} differs from m0's from line {line}:\n{}\n---\n{}",
                        window(b, line),
                        window(&bundles[0], line)
                    ));
                }
            }
        }
    }

    /// The space's log as m0 holds it: each write that the space took (refused ones left out), in the
    /// server's order, as the records it set (`None`: deleted).
    fn log(&self) -> Vec<(i64, BTreeMap<String, Option<Image>>)> {
        let db = self.members[0].fx.store.reader();
        let space = local::space(db).expect("space").expect("in the space");
        let id = local::space_id(&space).expect("space id");
        let refused: Vec<i64> =
            db.all("SELECT seq FROM team_entry WHERE refused IS NOT NULL", [], |r| r.get(0)).expect("refused entries");
        let mut out = Vec::new();
        for e in local::entries_after(db, 0, i64::MAX).expect("entries") {
            if Kind::from_code(e.kind) != Some(Kind::Write) || refused.contains(&e.seq) {
                continue;
            }
            let key = local::key(db, e.epoch).expect("key").expect("the epoch's key");
            let bytes = envelope::open(&key, &id, &e).expect("opened");
            let payload = Payload::from_bytes(&bytes, e.seq).expect("payload");
            let records = payload
                .records
                .into_iter()
                .map(|(id, change)| (id, change.after.as_ref().map(|v| Image::from_json(v).expect("image"))))
                .collect();
            out.push((e.seq, records));
        }
        out
    }

    /// Why the write `w` is not lost: it is in the space's state, or a later entry of the space's log
    /// replaced it, or it waits as a conflict of its writer, or its writer replaced or deleted it before
    /// it was sent, or settled its conflict by keeping the space's version.
    fn accounted(
        &self,
        index: usize,
        w: &Written,
        log: &[(i64, BTreeMap<String, Option<Image>>)],
        now: &BTreeMap<String, String>,
    ) -> Result<(), String> {
        if !w.checked {
            return Ok(());
        }
        let holds = |img: Option<&Image>| holds(w, img);
        if holds(now.get(&w.record).map(|text| image_of(text)).as_ref()) {
            return Ok(());
        }
        let sent = log.iter().rposition(|(_, records)| records.get(&w.record).is_some_and(|img| holds(img.as_ref())));
        if let Some(at) = sent {
            return match log[at + 1..].iter().find(|(_, records)| records.contains_key(&w.record)) {
                Some(_) => Ok(()),
                None => Err(format!("entry {} holds it, and no later entry changed the record", log[at].0)),
            };
        }
        let conflicts = local::conflicts(self.members[w.client].fx.store.reader()).expect("conflicts");
        let waiting =
            conflicts.iter().any(|c| c.record_id == w.record && holds(c.mine.as_deref().map(image_of).as_ref()));
        if waiting {
            return Ok(());
        }
        let own_later = self.writes.iter().any(|x| {
            x.client == w.client
                && x.record == w.record
                && x.step > w.step
                && (x.column == DELETED
                    // A record changed after its delete came back (the delete met a change of the team).
                    || w.column == DELETED
                    || (x.table == w.table && x.column == w.column && matches!(w.table, "case_file" | "party" | "event" | "letter" | "allegation")))
        });
        if own_later {
            return Ok(());
        }
        if self.settled.contains(&index) {
            return Ok(());
        }
        Err(format!(
            "no entry of the space holds it, nor any conflict of m{}; its conflicts: {:?}",
            w.client,
            conflicts.iter().map(|c| (&c.record_id, &c.fields)).collect::<Vec<_>>()
        ))
    }
}

/// A bundle without its `anchor`, the head of the exporting database's own change log, which each
/// replica writes for itself (the bundle carries no time of export).
pub(super) fn comparable(bundle: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(bundle).expect("a bundle is JSON");
    if let Some(top) = value.as_object_mut() {
        top.remove("anchor");
    }
    serde_json::to_string_pretty(&value).expect("JSON")
}

/// Whether the record as `img` has it (`None`: absent) holds the write `w`.
pub(super) fn holds(w: &Written, img: Option<&Image>) -> bool {
    match img {
        None => w.column == DELETED,
        Some(img) => {
            w.column != DELETED
                && img
                    .tables
                    .get(w.table)
                    .into_iter()
                    .flatten()
                    .any(|row| row.get(w.column).and_then(|v| v.as_str()) == Some(w.value.as_str()))
        }
    }
}

pub(super) fn image_of(text: &str) -> Image {
    Image::from_json(&serde_json::from_str(text).expect("image text")).expect("image")
}

/// The records the log's writes leave, applied in order.
fn fold(log: &[(i64, BTreeMap<String, Option<Image>>)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (_, records) in log {
        for (id, img) in records {
            match img {
                Some(img) => out.insert(id.clone(), img.text()),
                None => out.remove(id),
            };
        }
    }
    out
}

/// A few lines of `text` around line `at`.
fn window(text: &str, at: usize) -> String {
    text.lines().skip(at.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n")
}
