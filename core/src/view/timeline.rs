//! The chronology of a case: every dated thing in it (events, letters, allegations as raised, status
//! changes, responses, agreement dates, response deadlines, dated evidence), in honest order, filtered
//! and paged by keyset. It reads the `timeline_row` table, which the write path keeps current
//! (`store::derived`).
//!
//! Order: by sort key (where a fuzzy date sits), then precision and qualifier (finer first, "before X"
//! ahead of X), then the record's explicit position for same-day items, then kind, then id. The entry
//! carries its date as recorded and its bounds, so a reader can see how fuzzy it is.

use std::collections::HashMap;

use rusqlite::types::Value;
use serde::Serialize;

use crate::date::{FuzzyDate, Lang, Precision, Qualifier};
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution::{self, Attribution};
use crate::record::{case, party};
use crate::store::Reader;
use crate::view::calendar::{self, Group};
use crate::vocabulary::{AllegationStatus, EntryKind, RecordKind, Spelling, Vocabulary};

/// What to show. `party` keeps the entries that involve the party or cite it as a source. Dates are
/// fuzzy-date text: `--from 2023-03` starts at 1 March, `--to 2023-03` ends on 31 March; an entry is
/// kept when its date range overlaps the window.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Filter {
    /// Entry kinds (comma-separated lists accepted); "agreement" stands for both agreement dates.
    pub kinds: Vec<String>,
    pub party: Option<String>,
    pub tag: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words the entry's title must contain (case-insensitive).
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Entry {
    /// Unique per entry (a letter and its deadline are two entries of one record).
    pub id: String,
    pub kind: EntryKind,
    /// The record the entry opens.
    pub record_id: String,
    /// The kind of that record (a deadline opens its letter).
    pub record_kind: RecordKind,
    /// The date as recorded, e.g. "2023-03" or "~2023-04".
    pub date: String,
    pub date_en: String,
    pub date_fr: String,
    pub precision: String,
    pub qualifier: String,
    /// Whether the date is anything but an exact day or instant, so a front end can show it as a range.
    pub fuzzy: bool,
    /// Bounds in Unix seconds (UTC); `None` is unbounded. `hi` is exclusive.
    pub lo: Option<i64>,
    pub hi: Option<i64>,
    pub title: String,
    /// For status changes: the new status.
    pub status: Option<AllegationStatus>,
    pub parties: Vec<String>,
    pub attribution: Vec<Attribution>,
    /// How many pieces of evidence support the record (each counted once, whatever its pinpoints).
    pub evidence_count: i64,
    /// Whether the entry's record is private (kept out of what is published).
    pub private: bool,
    /// The month the entry is filed under (the month of its sort key).
    pub group: Group,
    /// Pass as `after` to get the entries that follow this one.
    pub cursor: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page {
    pub entries: Vec<Entry>,
    /// The cursor of the last entry when more may follow.
    pub next: Option<String>,
}

/// Largest page served.
pub const MAX_PAGE: usize = 1_000;

struct Cursor {
    sort: i64,
    rank: i64,
    position: i64,
    kind_rank: i64,
    entry_id: String,
}

impl Cursor {
    /// The timeline's order of two entries: sort key, rank, position, kind, id.
    fn order(&self) -> (i64, i64, i64, i64, &str) {
        (self.sort, self.rank, self.position, self.kind_rank, &self.entry_id)
    }

    fn encode(&self) -> String {
        format!("{}:{}:{}:{}:{}", self.sort, self.rank, self.position, self.kind_rank, self.entry_id)
    }

    fn decode(text: &str) -> Result<Cursor> {
        let bad = || {
            Error::rule(
                "cursor",
                "bad_cursor",
                input::shorten(text),
                format!("'{}' is not a timeline cursor", input::shorten(text)),
            )
        };
        let mut parts = text.splitn(5, ':');
        let mut int = || parts.next().and_then(|p| p.parse::<i64>().ok()).ok_or_else(bad);
        let (sort, rank, position, kind_rank) = (int()?, int()?, int()?, int()?);
        let entry_id = parts.next().filter(|s| !s.is_empty()).ok_or_else(bad)?.to_string();
        Ok(Cursor { sort, rank, position, kind_rank, entry_id })
    }
}

/// One page of a case's timeline, after the entry whose cursor is `after`.
pub fn page(db: &Reader, case: &str, filter: &Filter, after: Option<&str>, limit: usize) -> Result<Page> {
    let query = Query::new(db, case, filter)?;
    let start = match after {
        Some(text) => Start::After(Cursor::decode(text)?),
        None => Start::First,
    };
    query.page(db, start, limit)
}

/// The page of a case's timeline that starts `skip` entries into the entries dated from `from` (Unix
/// seconds, compared with the sort key): how a front end reads the entries at any position of a long
/// list, using the month counts of [`outline`] (`from` is a month's `lo`, `skip` the position within it).
pub fn slice(db: &Reader, case: &str, filter: &Filter, from: i64, skip: usize, limit: usize) -> Result<Page> {
    Query::new(db, case, filter)?.page(db, Start::At { sort: from, skip }, limit)
}

/// How many entries a filtered timeline holds, month by month: what a front end needs to draw a
/// scrollbar for the whole case, jump to a date, and draw the strip's density band.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Outline {
    pub total: i64,
    /// The months that hold at least one entry, in timeline order.
    pub months: Vec<MonthCount>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthCount {
    pub group: Group,
    pub count: i64,
    /// The month's first second and the first second of the next month (Unix seconds, UTC): every
    /// entry filed under the month has its sort key in `[lo, hi)`.
    pub lo: i64,
    pub hi: i64,
}

pub fn outline(db: &Reader, case: &str, filter: &Filter) -> Result<Outline> {
    let query = Query::new(db, case, filter)?;
    let sql = format!(
        "SELECT sort FROM timeline_row t WHERE {} ORDER BY sort, rank, position, kind_rank, entry_id",
        query.conditions.join(" AND ")
    );
    let mut months: Vec<MonthCount> = Vec::new();
    db.each(&sql, rusqlite::params_from_iter(query.values), |r| {
        let sort: i64 = r.get(0)?;
        match months.last_mut() {
            Some(month) if sort < month.hi => month.count += 1,
            _ => {
                let (lo, hi) = calendar::month_bounds(sort);
                months.push(MonthCount { group: calendar::group_of(sort), count: 1, lo, hi });
            }
        }
        Ok(())
    })?;
    Ok(Outline { total: months.iter().map(|m| m.count).sum(), months })
}

/// Where a page starts: at the first entry, after a cursor, or `skip` entries into those whose sort
/// key is at least `sort`.
enum Start {
    First,
    After(Cursor),
    At { sort: i64, skip: usize },
}

/// A filter turned into SQL conditions on `timeline_row t`: only the conditions the filter asks for, so
/// SQLite walks the order index from the page's start (a deep page) or from the window's start (a date
/// window) instead of from the case's first entry.
struct Query {
    conditions: Vec<&'static str>,
    values: Vec<Value>,
    from: Option<i64>,
    to: Option<i64>,
}

impl Query {
    fn new(db: &Reader, case: &str, filter: &Filter) -> Result<Query> {
        let case_id = case::resolve(db, case)?;
        let kinds = kinds_json(&filter.kinds)?;
        let party = match filter.party.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(key) => Some(party::resolve(db, key)?),
            None => None,
        };
        let from = match filter.from.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(input::date("from", d)?.lower().unwrap_or(i64::MIN)),
            None => None,
        };
        let to = match filter.to.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(input::date("to", d)?.upper().unwrap_or(i64::MAX)),
            None => None,
        };
        let tag = filter.tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let text = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty());

        let mut conditions: Vec<&'static str> = vec!["case_id = ?"];
        let mut values: Vec<Value> = vec![case_id.into()];
        if let Some(kinds) = kinds {
            conditions.push("kind IN (SELECT value FROM json_each(?))");
            values.push(kinds.into());
        }
        if let Some(party) = party {
            // One row per record and party: SQLite 3.51.3 counts an EXISTS that matches two rows (the
            // party involved and cited, when they were rows of their own) twice towards an OFFSET, and a
            // slice then started an entry early (`a_slice_reads_the_entries_at_any_position` caught it).
            conditions.push(
                "EXISTS (SELECT 1 FROM record_party_row rp WHERE rp.record_id = t.record_id AND rp.party_id = ?)",
            );
            values.push(party.into());
        }
        if let Some(tag) = tag {
            conditions.push(
                "EXISTS (SELECT 1 FROM record_tag g WHERE g.record_id = t.record_id AND g.tag = ? COLLATE UNICASE)",
            );
            values.push(tag.to_string().into());
        }
        if let Some(from) = from {
            conditions.push("(hi IS NULL OR hi > ?)");
            values.push(from.into());
        }
        if let Some(to) = to {
            conditions.push("(lo IS NULL OR lo < ?)");
            values.push(to.into());
        }
        if let Some(text) = text {
            conditions.push("instr(unicode_lower(title), unicode_lower(?)) > 0");
            values.push(text.to_string().into());
        }
        Ok(Query { conditions, values, from, to })
    }

    fn page(mut self, db: &Reader, start: Start, limit: usize) -> Result<Page> {
        let limit = limit.clamp(1, MAX_PAGE);
        let skip = match start {
            Start::First => 0,
            Start::After(c) => {
                self.conditions.push("(sort, rank, position, kind_rank, entry_id) > (?, ?, ?, ?, ?)");
                self.values.extend([
                    c.sort.into(),
                    c.rank.into(),
                    c.position.into(),
                    c.kind_rank.into(),
                    c.entry_id.into(),
                ]);
                0
            }
            Start::At { sort, skip } => {
                self.conditions.push("sort >= ?");
                self.values.push(sort.into());
                skip
            }
        };
        // The page's entries are found by their keys first (the order index), then read whole.
        let keys = if self.from.is_some() || self.to.is_some() {
            // A date window: an entry whose bounds are both known and at most WIDE apart lies near the
            // window by its sort key too, so it is found by a range of the order index; the few wider
            // ones (open-ended, or long ranges) are found through their own index, and the two are merged.
            let wanted = skip + limit + 1;
            let mut near = self.conditions.clone();
            let mut near_values = self.values.clone();
            if let Some(from) = self.from {
                near.push("sort > ?");
                near_values.push(from.saturating_sub(WIDE).into());
            }
            if let Some(to) = self.to {
                near.push("sort < ?");
                near_values.push(to.saturating_add(WIDE).into());
            }
            let mut keys = page_keys(db, &near, near_values, wanted, 0)?;
            let mut wide = self.conditions;
            wide.push(WIDE_ROWS);
            keys.extend(page_keys(db, &wide, self.values, wanted, 0)?);
            keys.sort_by(|a, b| a.order().cmp(&b.order()));
            keys.dedup_by(|a, b| a.entry_id == b.entry_id);
            keys.into_iter().skip(skip).take(limit + 1).collect()
        } else {
            page_keys(db, &self.conditions, self.values, limit + 1, skip)?
        };
        let more = keys.len() > limit;
        let entries = entries_of(db, &keys[..keys.len().min(limit)])?;
        let next = if more { entries.last().map(|e| e.cursor.clone()) } else { None };
        Ok(Page { entries, next })
    }
}

/// Three years in seconds: the widest span of a date whose bounds are both known, short of an explicit
/// range ("about 2023" spans 2022 to 2024). An entry wider than this, or open-ended, is "wide".
const WIDE: i64 = 3 * 366 * 86_400;

/// The condition the `timeline_row_wide` index is made for (the same text, so SQLite uses it).
const WIDE_ROWS: &str = "(lo IS NULL OR hi IS NULL OR hi - lo > 94867200)";

/// The keys of `limit` entries, in timeline order, that meet every condition (each `?` is the next of
/// `values`), after skipping `skip` of them.
fn page_keys(db: &Reader, conditions: &[&str], values: Vec<Value>, limit: usize, skip: usize) -> Result<Vec<Cursor>> {
    let sql = format!(
        "SELECT entry_id, sort, rank, position, kind_rank FROM timeline_row t
          WHERE {}
          ORDER BY sort, rank, position, kind_rank, entry_id
          LIMIT {limit} OFFSET {skip}",
        conditions.join(" AND "),
    );
    db.all(&sql, rusqlite::params_from_iter(values), |r| {
        Ok(Cursor { entry_id: r.get(0)?, sort: r.get(1)?, rank: r.get(2)?, position: r.get(3)?, kind_rank: r.get(4)? })
    })
}

/// The entries with these keys, whole and in the keys' order.
fn entries_of(db: &Reader, keys: &[Cursor]) -> Result<Vec<Entry>> {
    let ids = serde_json::Value::from(keys.iter().map(|k| k.entry_id.as_str()).collect::<Vec<_>>()).to_string();
    let mut rows: HashMap<String, Row> = HashMap::with_capacity(keys.len());
    db.each(
        "SELECT entry_id, kind, record_id, date, title, status,
                (SELECT count(DISTINCT evidence_id) FROM evidence_link l WHERE l.record_id = t.record_id),
                EXISTS (SELECT 1 FROM record_private p WHERE p.record_id = t.record_id)
           FROM timeline_row t WHERE entry_id IN (SELECT value FROM json_each(?1))",
        [ids],
        |r| {
            rows.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, (r.get(6)?, r.get(7)?)));
            Ok(())
        },
    )?;
    // Parties and attributions of the whole page in two queries, and each month's words once.
    let record_ids: Vec<&str> = rows.values().map(|row| row.1.as_str()).collect();
    // A record may have several entries in a page (an allegation and its status changes): each gets them.
    let attributions = attribution::get_many(db, &record_ids)?;
    let parties = parties_of(db, &record_ids)?;
    let mut groups: HashMap<i64, Group> = HashMap::new();
    let mut entries = Vec::with_capacity(keys.len());
    for key in keys {
        let (kind, record_id, date_text, title, status, (evidence_count, private)) = rows
            .remove(&key.entry_id)
            .ok_or_else(|| Error::internal(format!("timeline entry {} vanished between two reads", key.entry_id)))?;
        let date = FuzzyDate::parse(&date_text)
            .map_err(|e| Error::internal(format!("stored date '{date_text}' of {record_id} does not read: {e}")))?;
        entries.push(Entry {
            id: key.entry_id.clone(),
            parties: parties.get(&record_id).cloned().unwrap_or_default(),
            attribution: attributions.get(&record_id).cloned().unwrap_or_default(),
            kind,
            record_kind: kind.record_kind(),
            record_id,
            date_en: date.display(Lang::En),
            date_fr: date.display(Lang::Fr),
            precision: date.precision().as_str().to_string(),
            qualifier: date.qualifier().as_str().to_string(),
            fuzzy: !matches!(date.precision(), Precision::Day | Precision::Instant)
                || date.qualifier() != Qualifier::Exact,
            lo: date.lower(),
            hi: date.upper(),
            date: date_text,
            title,
            status,
            evidence_count,
            private,
            group: groups
                .entry(calendar::month_bounds(key.sort).0)
                .or_insert_with(|| calendar::group_of(key.sort))
                .clone(),
            cursor: key.encode(),
        });
    }
    Ok(entries)
}

/// An entry as stored: kind, record, date text, title, status, (evidence count, private).
type Row = (EntryKind, String, String, String, Option<AllegationStatus>, (i64, bool));

/// The whole timeline of a case, read page by page.
pub fn all(db: &Reader, case: &str, filter: &Filter) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = page(db, case, filter, after.as_deref(), MAX_PAGE)?;
        out.extend(page.entries);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(out),
        }
    }
}

fn kinds_json(kinds: &[String]) -> Result<Option<String>> {
    let mut out: Vec<&str> = Vec::new();
    for k in kinds.iter().flat_map(|k| k.split(',')).map(str::trim).filter(|k| !k.is_empty()) {
        if k.eq_ignore_ascii_case("agreement") {
            out.extend([EntryKind::AgreementEffective.as_str(), EntryKind::AgreementTerminated.as_str()]);
            continue;
        }
        let kind: EntryKind = EntryKind::parse(k, Spelling::Lenient).ok_or_else(|| {
            Error::rule(
                "kind",
                "not_one_of",
                input::shorten(k),
                format!("'{}' is not a timeline kind ({})", input::shorten(k), EntryKind::names().join(", ")),
            )
        })?;
        out.push(kind.as_str());
    }
    Ok(if out.is_empty() { None } else { Some(serde_json::Value::from(out).to_string()) })
}

/// The names of the parties of each record (each name once, in name order), by record id. A record's
/// few names are ordered here rather than by the query, which then needs no temporary b-tree.
fn parties_of(db: &Reader, record_ids: &[&str]) -> Result<HashMap<String, Vec<String>>> {
    let ids = serde_json::Value::from(record_ids.to_vec()).to_string();
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    db.each(
        "SELECT rp.record_id, p.name FROM record_party_row rp JOIN party p ON p.id = rp.party_id
          WHERE rp.record_id IN (SELECT value FROM json_each(?1)) AND rp.involved",
        [ids],
        |r| {
            out.entry(r.get(0)?).or_default().push(r.get(1)?);
            Ok(())
        },
    )?;
    for names in out.values_mut() {
        names.sort_by_cached_key(|n| n.to_lowercase());
        names.dedup();
    }
    Ok(out)
}
