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
    let (select, values) = query.walk("sort", &[], Vec::new());
    let sql = format!("{select} ORDER BY sort, rank, position, kind_rank, entry_id");
    let mut months: Vec<MonthCount> = Vec::new();
    db.each(&sql, rusqlite::params_from_iter(values), |r| {
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

/// A filter turned into SQL: the case and the party, which choose the rows walked, and conditions on
/// each entry (`timeline_row t`). Only the conditions the filter asks for are written, so SQLite walks
/// an index in timeline order from the page's start (a deep page) instead of from the case's first
/// entry, and a party's own entries rather than every entry of the case.
struct Query {
    case_id: String,
    party: Option<String>,
    /// Conditions on an entry (kinds, tag, window, text); each `?` is the next of `values`.
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

        let mut conditions: Vec<&'static str> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(kinds) = kinds {
            conditions.push("kind IN (SELECT value FROM json_each(?))");
            values.push(kinds.into());
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
        Ok(Query { case_id, party, conditions, values, from, to })
    }

    fn page(self, db: &Reader, start: Start, limit: usize) -> Result<Page> {
        let limit = limit.clamp(1, MAX_PAGE);
        let mut order: Vec<&'static str> = Vec::new();
        let mut order_values: Vec<Value> = Vec::new();
        let skip = match start {
            Start::First => 0,
            Start::After(c) => {
                order.push("(sort, rank, position, kind_rank, entry_id) > (?, ?, ?, ?, ?)");
                order_values.extend([
                    c.sort.into(),
                    c.rank.into(),
                    c.position.into(),
                    c.kind_rank.into(),
                    c.entry_id.into(),
                ]);
                0
            }
            Start::At { sort, skip } => {
                order.push("sort >= ?");
                order_values.push(sort.into());
                skip
            }
        };
        // The page's entries are found by their keys first (an index in timeline order), then read whole.
        let (select, values) = if self.from.is_some() || self.to.is_some() {
            self.window(&order, order_values)
        } else {
            self.walk(KEYS, &order, order_values)
        };
        let sql =
            format!("{select} ORDER BY sort, rank, position, kind_rank, entry_id LIMIT {} OFFSET {skip}", limit + 1);
        let keys = db.all(&sql, rusqlite::params_from_iter(values), |r| {
            Ok(Cursor {
                entry_id: r.get(0)?,
                sort: r.get(1)?,
                rank: r.get(2)?,
                position: r.get(3)?,
                kind_rank: r.get(4)?,
            })
        })?;
        let more = keys.len() > limit;
        let entries = entries_of(db, &keys[..keys.len().min(limit)])?;
        let next = if more { entries.last().map(|e| e.cursor.clone()) } else { None };
        Ok(Page { entries, next })
    }

    /// `SELECT columns …` of the entries that meet the filter and `order` (conditions on the columns of
    /// the timeline's order, which every row walked has), without its `ORDER BY`, and its values. A
    /// party's entries are walked in `timeline_party_row`, the party's rows in timeline order, each
    /// tested against the other conditions in `timeline_row`; without a party, `timeline_row` is walked.
    fn walk(&self, columns: &str, order: &[&str], order_values: Vec<Value>) -> (String, Vec<Value>) {
        let Some(party) = &self.party else { return self.walk_entries(columns, order, order_values) };
        let mut values: Vec<Value> = vec![party.clone().into(), self.case_id.clone().into()];
        values.extend(order_values);
        let mut sql = format!("SELECT {columns} FROM timeline_party_row o WHERE party_id = ? AND case_id = ?");
        for condition in order {
            sql.push_str(" AND ");
            sql.push_str(condition);
        }
        if !self.conditions.is_empty() {
            sql.push_str(" AND EXISTS (SELECT 1 FROM timeline_row t WHERE t.entry_id = o.entry_id AND ");
            sql.push_str(&self.conditions.join(" AND "));
            sql.push(')');
            values.extend(self.values.iter().cloned());
        }
        (sql, values)
    }

    /// As [`Query::walk`], walking `timeline_row` whatever the filter: the party, if any, is tested on
    /// each entry (one lookup in `record_party_row`).
    fn walk_entries(&self, columns: &str, order: &[&str], order_values: Vec<Value>) -> (String, Vec<Value>) {
        let mut all: Vec<&str> = vec!["case_id = ?"];
        let mut values: Vec<Value> = vec![self.case_id.clone().into()];
        all.extend(order);
        values.extend(order_values);
        if let Some(party) = &self.party {
            // One row per record and party: SQLite 3.51.3 counts an EXISTS that matches two rows (the
            // party involved and cited, when they were rows of their own) twice towards an OFFSET, and a
            // slice then started an entry early (`a_slice_reads_the_entries_at_any_position` caught it).
            all.push("EXISTS (SELECT 1 FROM record_party_row rp WHERE rp.record_id = t.record_id AND rp.party_id = ?)");
            values.push(party.clone().into());
        }
        all.extend(self.conditions.iter().copied());
        values.extend(self.values.iter().cloned());
        (format!("SELECT {columns} FROM timeline_row t WHERE {}", all.join(" AND ")), values)
    }

    /// The entries overlapping a date window, as one `SELECT` of the six span classes' walks merged
    /// (`UNION ALL` in timeline order, which SQLite merges as it reads, each walk in its index's
    /// order). An entry whose bounds are at most `w` apart overlaps the window only if its sort key lies
    /// between `w` before the window's start and `w` after its end (it sorts within its bounds), so
    /// each class's walk starts that far before the window; the open-ended and the widest entries,
    /// which may lie anywhere, are walked from the case's first, and being few cost little.
    fn window(&self, order: &[&str], order_values: Vec<Value>) -> (String, Vec<Value>) {
        let mut arms = Vec::new();
        let mut values = Vec::new();
        for (class, widest) in SPANS.iter().enumerate() {
            let mut near: Vec<&str> = vec![SPAN_IS];
            let mut near_values: Vec<Value> = vec![(class as i64).into()];
            if let (Some(from), Some(widest)) = (self.from, widest) {
                near.push("sort > ?");
                near_values.push(from.saturating_sub(*widest).into());
            }
            if let (Some(to), Some(widest)) = (self.to, widest) {
                near.push("sort < ?");
                near_values.push(to.saturating_add(*widest).into());
            }
            near.extend(order);
            near_values.extend(order_values.iter().cloned());
            let (arm, arm_values) = self.walk_entries(KEYS, &near, near_values);
            arms.push(arm);
            values.extend(arm_values);
        }
        (arms.join(" UNION ALL "), values)
    }
}

/// The columns of a page's keys, in [`Cursor`]'s order.
const KEYS: &str = "entry_id, sort, rank, position, kind_rank";

const DAY: i64 = 86_400;

/// The widest span of each class of [`SPAN_IS`], between an entry's bounds (`None`: open-ended, or
/// wider than three years).
const SPANS: [Option<i64>; 6] =
    [Some(2 * DAY), Some(32 * DAY), Some(128 * DAY), Some(367 * DAY), Some(3 * 366 * DAY), None];

/// An entry's span class is `?`. The expression is the `timeline_row_span` index's, as text, which is
/// how SQLite knows the index applies; an open-ended entry (a NULL bound) falls to the last class.
const SPAN_IS: &str =
    "(CASE WHEN hi - lo <= 172800 THEN 0 WHEN hi - lo <= 2764800 THEN 1 WHEN hi - lo <= 11059200 THEN 2
          WHEN hi - lo <= 31708800 THEN 3 WHEN hi - lo <= 94867200 THEN 4 ELSE 5 END) = ?";

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

#[cfg(test)]
mod tests {
    use super::{SPANS, SPAN_IS};

    /// Guards: the span classes' widths are the thresholds of the index's expression, and the query's
    /// expression is the index's (SQLite uses an index on an expression only for the same expression).
    #[test]
    fn the_span_classes_are_the_indexs() {
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        let index = words(include_str!("../store/migrations/0013_timeline_reach.sql"));
        assert!(index.contains(&words(SPAN_IS.trim_end_matches(" = ?"))), "{SPAN_IS}");
        let thresholds: Vec<i64> = SPAN_IS
            .split("hi - lo <= ")
            .skip(1)
            .map(|s| s.split(' ').next().and_then(|n| n.parse().ok()).expect("a width"))
            .collect();
        assert_eq!(thresholds, SPANS.iter().flatten().copied().collect::<Vec<_>>());
    }
}
