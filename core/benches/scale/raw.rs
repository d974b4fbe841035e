//! Raw SQLite doing the same work, in the same run: the rows a Dossier import writes, written by a bare
//! loop of prepared inserts in one transaction; the rows a timeline page or a search shows, read by one
//! bare SQL query over Dossier's own tables.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};

/// A bare database: WAL and full sync, as Dossier's, with a table of rows and an FTS5 index of their
/// text (the same tokenizer as Dossier's).
fn bare(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE item (id TEXT PRIMARY KEY, kind TEXT NOT NULL, date TEXT, sort INTEGER, title TEXT NOT NULL,
                            body TEXT NOT NULL) STRICT;
         CREATE INDEX item_sort ON item (sort, id);
         CREATE TABLE item_party (item_id TEXT NOT NULL, party TEXT NOT NULL, PRIMARY KEY (item_id, party)) STRICT;
         CREATE VIRTUAL TABLE item_text USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');",
    )
    .expect("schema");
    conn
}

/// Writes one row (its parties, its text) through prepared statements.
struct Writer<'c> {
    item: rusqlite::CachedStatement<'c>,
    party: rusqlite::CachedStatement<'c>,
    text: rusqlite::CachedStatement<'c>,
}

impl<'c> Writer<'c> {
    fn new(tx: &'c rusqlite::Transaction<'c>) -> Writer<'c> {
        Writer {
            item: tx.prepare_cached("INSERT INTO item VALUES (?1, ?2, ?3, ?4, ?5, ?6)").expect("insert"),
            party: tx.prepare_cached("INSERT OR IGNORE INTO item_party VALUES (?1, ?2)").expect("insert"),
            text: tx.prepare_cached("INSERT INTO item_text (title, body) VALUES (?1, ?2)").expect("insert"),
        }
    }

    fn row(&mut self, id: &str, kind: &str, date: Option<&str>, title: &str, body: &str, parties: &[&str]) {
        let sort = date.and_then(|d| dossier_core::date::FuzzyDate::parse(d).ok()).map(|d| d.sort_key());
        self.item.execute(params![id, kind, date, sort, title, body]).expect("row");
        for p in parties {
            self.party.execute(params![id, p]).expect("party");
        }
        self.text.execute(params![title, body]).expect("text");
    }
}

/// The rows of a CSV chronology (date; title; parties; description) written raw: returns the time
/// and the rows written.
pub fn csv(path: &Path, file: &[u8]) -> (Duration, usize) {
    let mut conn = bare(path);
    let start = Instant::now();
    let tx = conn.transaction().expect("begin");
    let mut rows = 0;
    {
        let mut w = Writer::new(&tx);
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(file);
        for (i, record) in reader.records().enumerate() {
            let record = record.expect("a CSV row");
            let parties: Vec<&str> = record[2].split('|').map(str::trim).collect();
            w.row(&format!("e{i}"), "event", Some(&record[0]), &record[1], &record[3], &parties);
            rows += 1;
        }
    }
    tx.commit().expect("commit");
    (start.elapsed(), rows)
}

/// E-mail messages (id, date, subject, body, the sender and recipient) written raw, one row each with
/// its text indexed: returns the time and the rows written.
pub fn messages(path: &Path, messages: &[(String, String, String, String, [String; 2])]) -> (Duration, usize) {
    let mut conn = bare(path);
    let start = Instant::now();
    let tx = conn.transaction().expect("begin");
    {
        let mut w = Writer::new(&tx);
        for (id, date, subject, body, parties) in messages {
            w.row(id, "letter", Some(date), subject, body, &[&parties[0], &parties[1]]);
        }
    }
    tx.commit().expect("commit");
    (start.elapsed(), messages.len())
}

/// Every record of a JSON bundle written raw, one row each (its fields as JSON, its title and text
/// indexed): returns the time and the rows written.
pub fn bundle(path: &Path, json: &str) -> (Duration, usize) {
    let mut conn = bare(path);
    let start = Instant::now();
    let bundle: serde_json::Value = serde_json::from_str(json).expect("a bundle");
    let tx = conn.transaction().expect("begin");
    let mut rows = 0;
    {
        let mut w = Writer::new(&tx);
        let text = |v: &serde_json::Value, key: &str| v.get(key).and_then(|t| t.as_str()).unwrap_or("").to_string();
        let mut write = |kind: &str, v: &serde_json::Value, title_key: &str| {
            let date = v.get("date").and_then(|d| d.as_str());
            let parties: Vec<&str> = v
                .get("parties")
                .and_then(|p| p.as_array())
                .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
                .unwrap_or_default();
            w.row(&text(v, "id"), kind, date, &text(v, title_key), &v.to_string(), &parties);
            rows += 1;
        };
        for (kind, key, title) in [
            ("party", "parties", "name"),
            ("event", "events", "title"),
            ("letter", "letters", "subject"),
            ("allegation", "allegations", "summary"),
            ("response", "responses", "summary"),
            ("evidence", "evidence", "title"),
            ("agreement", "agreements", "title"),
        ] {
            for v in bundle.get(key).and_then(|a| a.as_array()).into_iter().flatten() {
                write(kind, v, title);
                if kind == "agreement" {
                    for c in v.get("clauses").and_then(|a| a.as_array()).into_iter().flatten() {
                        write("clause", c, "reference");
                    }
                }
            }
        }
    }
    tx.commit().expect("commit");
    (start.elapsed(), rows)
}

/// The columns a timeline page shows, read by bare SQL over Dossier's own tables: the rows with their
/// attributions, evidence count and whether each is private, then the names of their parties in one
/// more query.
pub const PAGE: &str = "
    SELECT t.entry_id, t.kind, t.record_id, t.date, t.title, t.status, t.lo, t.hi,
           (SELECT group_concat(a.how, '; ') FROM attribution a WHERE a.record_id = t.record_id),
           (SELECT count(DISTINCT evidence_id) FROM evidence_link l WHERE l.record_id = t.record_id),
           EXISTS (SELECT 1 FROM record_private v WHERE v.record_id = t.record_id)
      FROM timeline_row t
     WHERE t.case_id = ?1 AND {}
     ORDER BY sort, rank, position, kind_rank, entry_id LIMIT 200";

/// A timeline page by bare SQL whose rows are found first by their keys in timeline order (`keys`, a
/// `SELECT` of `entry_id, sort, rank, position, kind_rank`, through the index Dossier's own query
/// uses), then read with the columns of [`PAGE`].
pub fn keyed(keys: &str) -> String {
    format!(
        "WITH k AS ({keys} ORDER BY sort, rank, position, kind_rank, entry_id LIMIT 200)
         SELECT t.entry_id, t.kind, t.record_id, t.date, t.title, t.status, t.lo, t.hi,
                (SELECT group_concat(a.how, '; ') FROM attribution a WHERE a.record_id = t.record_id),
                (SELECT count(DISTINCT evidence_id) FROM evidence_link l WHERE l.record_id = t.record_id),
                EXISTS (SELECT 1 FROM record_private v WHERE v.record_id = t.record_id)
           FROM k JOIN timeline_row t ON t.entry_id = k.entry_id
          ORDER BY k.sort, k.rank, k.position, k.kind_rank, k.entry_id"
    )
}

/// The keys of one party's entries (`?2`) in case `?1`: its rows of `timeline_party_row`, in timeline
/// order.
pub const PARTY_KEYS: &str =
    "SELECT entry_id, sort, rank, position, kind_rank FROM timeline_party_row WHERE party_id = ?2 AND case_id = ?1";

/// The keys of the entries of case `?1` overlapping the window from `?2` to `?3`: for each class of
/// width between an entry's bounds (the expression of Dossier's `timeline_row_span` index, with the
/// widest of each), the entries sorted from that width before the window to that width after it,
/// merged in timeline order; the open-ended and the widest from anywhere.
pub fn window_keys() -> String {
    const SPAN: &str =
        "(CASE WHEN hi - lo <= 172800 THEN 0 WHEN hi - lo <= 2764800 THEN 1 WHEN hi - lo <= 11059200 THEN 2
          WHEN hi - lo <= 31708800 THEN 3 WHEN hi - lo <= 94867200 THEN 4 ELSE 5 END)";
    let widest = [Some(172_800), Some(2_764_800), Some(11_059_200), Some(31_708_800), Some(94_867_200), None];
    let arms: Vec<String> = widest
        .iter()
        .enumerate()
        .map(|(class, w)| {
            let near = w.map(|w| format!(" AND sort > ?2 - {w} AND sort < ?3 + {w}")).unwrap_or_default();
            format!(
                "SELECT entry_id, sort, rank, position, kind_rank FROM timeline_row
                  WHERE case_id = ?1 AND {SPAN} = {class}{near} AND (hi IS NULL OR hi > ?2) AND (lo IS NULL OR lo < ?3)"
            )
        })
        .collect();
    arms.join(" UNION ALL ")
}

const PARTIES: &str = "
    SELECT DISTINCT rp.record_id, p.name FROM record_party_row rp JOIN party p ON p.id = rp.party_id
     WHERE rp.record_id IN (SELECT value FROM json_each(?1)) AND rp.involved";

/// A timeline page by bare SQL (`sql` is [`PAGE`] with its condition, or [`keyed`]): its rows, then
/// their parties.
pub fn page(conn: &Connection, sql: &str, values: &[&dyn rusqlite::ToSql]) -> usize {
    let mut q = conn.prepare_cached(sql).expect("query");
    let mut ids = Vec::new();
    let mut rows = q.query(values).expect("rows");
    while let Some(row) = rows.next().expect("row") {
        for i in 0..row.as_ref().column_count() {
            std::hint::black_box(row.get_ref(i).expect("column"));
        }
        ids.push(row.get::<_, String>(2).expect("record id"));
    }
    let ids = serde_json::Value::from(ids).to_string();
    ids.len() + read_all(conn, PARTIES, &[&ids])
}

/// Reads every row of a query, as a user's page would be read.
pub fn read_all(conn: &Connection, sql: &str, values: &[&dyn rusqlite::ToSql]) -> usize {
    let mut q = conn.prepare_cached(sql).expect("query");
    let mut rows = q.query(values).expect("rows");
    let mut n = 0;
    while let Some(row) = rows.next().expect("row") {
        for i in 0..row.as_ref().column_count() {
            std::hint::black_box(row.get_ref(i).expect("column"));
        }
        n += 1;
    }
    n
}
