//! Opening a database: the schema version it is brought to, the pragmas every connection runs with,
//! the refusal of a database written by a newer Dossier, and the upgrade of an empty file and of a
//! version-1 file holding records.

use std::path::Path;

use crate::common::*;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::{allegation, letter};
use dossier_core::store::schema_version;
use dossier_core::view::search;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::vocabulary::{AllegationStatus, CaseStatus};
use dossier_core::{Error, Store};
use rusqlite::Connection;

fn pragma_i64(store: &Store, name: &str) -> i64 {
    let sql = format!("SELECT * FROM pragma_{name}");
    store.reader().one(&sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("PRAGMA {name}: {e}"))
}

fn user_version_of(path: &Path) -> i64 {
    let conn = Connection::open(path).expect("open with rusqlite");
    conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user_version")
}

/// Guards: a new database is brought to this build's schema version.
#[test]
fn fresh_open_sets_the_schema_version() {
    let fx = fresh();
    assert!(schema_version() >= 1);
    assert_eq!(pragma_i64(&fx.store, "user_version"), schema_version() as i64);
    assert_eq!(count(&fx.store, "SELECT count(*) FROM change_log"), 0, "opening is not a change");
    assert_eq!(fx.store.files_dir(), fx.dir.path().join("dossier.sqlite.files"), "evidence lives beside the database");
}

/// Guards: closing and reopening keeps every record and the change log, and does not migrate again.
#[test]
fn reopening_keeps_the_data() {
    let mut fx = fresh();
    case(&mut fx.store, "acme-v-globex");
    org(&mut fx.store, "Acme");
    let before = snapshot(&fx.store);
    let path = fx.db_path();
    let dir = fx.dir;
    drop(fx.store);

    let reopened = Store::open(&path).expect("reopen");
    assert_eq!(snapshot(&reopened), before);
    assert_eq!(case::get(reopened.reader(), "acme-v-globex").expect("case").title, "Case acme-v-globex");
    assert_eq!(reopened.verify_change_log().expect("change log"), 2);
    assert_eq!(pragma_i64(&reopened, "user_version"), schema_version() as i64);
    drop(reopened);
    drop(dir);
}

/// Guards: every connection the store opens enforces foreign keys, uses WAL and syncs every commit.
#[test]
fn connections_run_with_foreign_keys_wal_and_full_sync() {
    let fx = fresh();
    let on_file = &fx.store;
    assert_eq!(pragma_i64(on_file, "foreign_keys"), 1, "foreign_keys on a file");
    assert_eq!(pragma_i64(on_file, "synchronous"), 2, "synchronous = FULL on a file");
    let journal: String =
        on_file.reader().one("SELECT * FROM pragma_journal_mode", [], |r| r.get(0)).expect("journal_mode");
    assert_eq!(journal, "wal");

    let in_memory = Store::open_in_memory(&fx.dir.path().join("memory-files")).expect("in memory");
    assert_eq!(pragma_i64(&in_memory, "foreign_keys"), 1, "foreign_keys in memory");
    assert_eq!(pragma_i64(&in_memory, "synchronous"), 2, "synchronous = FULL in memory");
    assert_eq!(pragma_i64(&in_memory, "user_version"), schema_version() as i64);

    // Reopening an existing file sets them again: they are per connection, not stored in the file.
    let path = fx.db_path();
    drop(fx.store);
    let again = Store::open(&path).expect("reopen");
    assert_eq!((pragma_i64(&again, "foreign_keys"), pragma_i64(&again, "synchronous")), (1, 2));
}

/// Guards: a database from a newer Dossier is refused with a message that says to upgrade.
#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.sqlite");
    {
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch("CREATE TABLE future_thing (x INTEGER); PRAGMA user_version = 99;")
            .expect("stamp version 99");
    }
    let err = match Store::open(&path) {
        Err(e) => e,
        Ok(_) => panic!("a version-99 database must be refused"),
    };
    assert!(matches!(err, Error::SchemaTooNew { found: 99, supported } if supported == schema_version()), "{err:?}");
    assert_eq!(err.code(), ErrorCode::SchemaTooNew);
    says(&err, &["99", &schema_version().to_string(), "upgrade"]);
    assert_eq!(user_version_of(&path), 99, "the version is left as it was");
}

/// Guards: refusing a newer database leaves its file byte for byte as it was.
#[test]
fn newer_schema_file_is_not_modified() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.sqlite");
    {
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch(
            "CREATE TABLE future_thing (x INTEGER); INSERT INTO future_thing VALUES (1); PRAGMA user_version = 99;",
        )
        .expect("stamp version 99");
    }
    let before = std::fs::read(&path).expect("read");
    assert!(Store::open(&path).is_err(), "refused");
    assert!(
        std::fs::read(&path).expect("read") == before,
        "the refused database file changed (header bytes 18-19: {:?} → {:?})",
        &before[18..20],
        &std::fs::read(&path).expect("read")[18..20]
    );
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "future.sqlite")
        .collect();
    assert!(leftovers.is_empty(), "nothing created beside it: {leftovers:?}");
}

/// Guards: an empty file (version 0) is upgraded to the current schema and is then usable.
#[test]
fn empty_file_upgrades_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("empty.sqlite");
    std::fs::write(&path, b"").expect("empty file");
    assert_eq!(user_version_of(&path), 0);

    let mut store = Store::open(&path).expect("open an empty file");
    assert_eq!(pragma_i64(&store, "user_version"), schema_version() as i64);
    let tables = count(&store, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('record', 'case_file', 'party', 'change_log')");
    assert_eq!(tables, 4, "the schema is in place");
    case::create(&mut store, &CaseInput { title: "First case".into(), ..Default::default() })
        .expect("usable after the upgrade");
    assert_eq!(store.verify_change_log().expect("change log"), 1);
}

/// Guards: a database in a folder that does not exist yet is created with its folder.
#[test]
fn open_creates_missing_folders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a").join("b").join("dossier.sqlite");
    let store = Store::open(&path).expect("open in new folders");
    assert!(path.is_file());
    assert_eq!(pragma_i64(&store, "user_version"), schema_version() as i64);
}

/// Guards: an upgrade that fails part-way leaves none of the new schema behind (one transaction).
#[test]
fn failed_upgrade_leaves_no_partial_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("clash.sqlite");
    {
        // Version 0, with a table of its own whose name the schema needs further down the migration.
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch("CREATE TABLE change_log (note TEXT); INSERT INTO change_log VALUES ('mine');")
            .expect("table");
    }
    let err = match Store::open(&path) {
        Err(e) => e,
        Ok(_) => panic!("a clashing table must make the upgrade fail"),
    };
    assert_eq!(err.code(), ErrorCode::Database, "{err}");
    let conn = Connection::open(&path).expect("reopen with rusqlite");
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user_version");
    assert_eq!(version, 0, "the version is not advanced");
    let created: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name IN ('record', 'case_file', 'party')", [], |r| {
            r.get(0)
        })
        .expect("schema");
    assert_eq!(created, 0, "no table of the failed migration is left behind");
    let mine: String = conn.query_row("SELECT note FROM change_log", [], |r| r.get(0)).expect("own data");
    assert_eq!(mine, "mine");
}

/// Guards: a version-1 database holding records (written by the Dossier of that time) opens in this
/// build with nothing lost: its records read back, the search index and the timeline are filled for
/// them, and its change log still verifies and goes on.
#[test]
fn a_version_1_database_with_records_upgrades_to_the_current_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v1.sqlite");
    {
        let conn = Connection::open(&path).expect("create a version-1 file");
        conn.execute_batch(include_str!("../../src/store/migrations/0001_record.sql")).expect("schema 1");
        // The rows come table by table in name order, as a dump lists them: references are checked
        // once all are in, when the store opens the file.
        conn.pragma_update(None, "foreign_keys", false).expect("load as a dump loads");
        conn.execute_batch(include_str!("../fixtures/db-v1.sql")).expect("the rows of a version-1 database");
        conn.pragma_update(None, "user_version", 1).expect("mark it version 1");
    }
    let mut store = Store::open(&path).expect("open and upgrade");
    assert_eq!(pragma_i64(&store, "user_version"), schema_version() as i64);
    // The version-1 file was backed up whole before the upgrade touched it.
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(&format!("v1.sqlite.before-v{}-", schema_version())))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let old = Connection::open(&kept[0]).expect("the backup opens");
    assert_eq!(old.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).expect("version"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM pragma_foreign_key_check"), 0, "every reference holds");
    // The 14 entries written by version 1, and one baseline entry holding the image of every record
    // (version 3 logs images; `check` and `history` start from these).
    assert_eq!(store.verify_change_log().expect("the old chain verifies"), 15, "no entry lost by the upgrade");
    let records = count(&store, "SELECT count(*) FROM record");
    let baseline = count(&store, "SELECT count(*) FROM change_log_record WHERE seq = 15");
    assert_eq!(baseline, records, "the baseline holds an image of every record");

    let db = store.reader();
    let c = case::get(db, "acme-v-widget").expect("the case");
    assert_eq!((c.title.as_str(), c.status), ("Acme v. Widget", CaseStatus::Open));
    let letters = letter::list(db, &c.id).expect("letters");
    assert_eq!(letters.len(), 2);
    let demand = letters.iter().find(|l| l.subject == "Demand for audit").expect("the demand");
    let reply = letters.iter().find(|l| l.subject == "Re: Demand for audit").expect("the reply");
    assert_eq!(demand.deadline.as_deref(), Some("2024-03-18"));
    assert_eq!(reply.in_reply_to.as_deref(), Some(demand.id.as_str()), "the reply keeps its thread");
    assert_eq!(reply.message_id, None, "a column added by version 2 is empty for old letters");
    let allegation = &allegation::list(db, &c.id).expect("allegations")[0];
    assert_eq!(allegation.status, AllegationStatus::Disputed);
    assert_eq!(allegation.responses.len(), 1);

    // Version 2's derived tables were filled from the old records.
    let kinds: Vec<String> = timeline::all(db, &c.id, &Filter::default())
        .expect("timeline")
        .iter()
        .map(|e| format!("{} {}", e.date, e.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            "2023 evidence",
            "2024-01..2024-02 event",
            // "About March" sits where March starts, ahead of the days of March.
            "~2024-03 letter",
            "~2024-03 response",
            "2024-03-04 letter",
            "2024-03-04 allegation",
            "2024-03-15 status_change",
            "2024-03-18 deadline",
        ]
    );
    // Version 8's parties of each record were filled from them too.
    let widget = timeline::all(db, &c.id, &Filter { party: Some("Widget Ltd".into()), ..Default::default() })
        .expect("timeline of one party");
    let event = widget.iter().find(|e| e.kind.as_str() == "event").expect("the event involving Widget Ltd");
    assert_eq!(event.parties, ["Acme Corp.", "Widget Ltd"]);
    let hits = search::search(db, "redevance", None, 10).expect("search");
    assert_eq!(hits.iter().map(|h| h.record_id.as_str()).collect::<Vec<_>>(), [demand.id.as_str()]);

    // And the record goes on: a new write extends the old chain.
    event::create(
        &mut store,
        &EventInput { case: c.id, title: "Audit starts".into(), date: "2024-04".into(), ..Default::default() },
    )
    .expect("a new event");
    assert_eq!(store.verify_change_log().expect("the chain goes on"), 16);
}

/// Guards: a version-10 database (its search index without the pairs of characters, its stems in
/// English and French only) is upgraded with its index filled again, so its Japanese and Russian
/// records are found as new ones are, and `check` finds nothing to say.
#[test]
fn a_version_10_database_gets_its_search_index_rebuilt() {
    let fx = with_events_in(&["株式会社が訴訟を提起した", "Газпром подал иски против компании"]);
    let path = fx.db_path();
    drop(fx.store);
    as_version_11(&path);
    {
        let conn = Connection::open(&path).expect("open with rusqlite");
        conn.execute_batch(
            "CREATE TABLE old_rows AS SELECT rowid AS id, record_id, case_id, kind, page, title, body FROM search_index;
             DROP TABLE search_index;
             CREATE VIRTUAL TABLE search_index USING fts5(record_id UNINDEXED, case_id UNINDEXED, kind UNINDEXED,
                 page UNINDEXED, title, body, stems, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
             INSERT INTO search_index (rowid, record_id, case_id, kind, page, title, body, stems)
                  SELECT id, record_id, case_id, kind, page, title, body, '' FROM old_rows;
             DROP TABLE old_rows;
             PRAGMA user_version = 10;",
        )
        .expect("the index as version 10 had it");
    }
    let mut store = Store::open(&path).expect("upgrade");
    let upgrade = store.take_upgrade().expect("an upgrade");
    assert_eq!((upgrade.from, upgrade.to), (10, schema_version() as i64));
    assert!(Path::new(&upgrade.backup).exists(), "the version-10 database is kept: {}", upgrade.backup);
    for (query, title) in [("訴訟", "株式会社が訴訟を提起した"), ("иск", "Газпром подал иски против компании")]
    {
        let hits = search::search(store.reader(), query, None, 10).expect("search");
        assert_eq!(hits.iter().map(|h| h.title.as_str()).collect::<Vec<_>>(), [title], "{query}");
    }
    drop(store);
    assert!(messages(&checked(&path)).is_empty(), "{:?}", messages(&checked(&path)));
}

fn with_events_in(titles: &[&str]) -> Fixture {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    for title in titles {
        event(&mut fx.store, "c", title, "2024");
    }
    fx
}
