//! Where a database's bytes go: every table and index by its pages (SQLite's `dbstat` table, which
//! the bundled SQLite is built with), and the stored length of the columns that hold the most text
//! (the change log's parts, the search index's columns), each per record.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

/// The bytes of each table and index of the database at `db`, largest first (pages × page size,
/// free pages under `(free pages)`).
pub fn objects(db: &Path) -> Vec<(String, u64)> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let mut out: Vec<(String, u64)> = conn
        .prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC, 1")
        .expect("dbstat (SQLITE_ENABLE_DBSTAT_VTAB)")
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
        .expect("dbstat")
        .collect::<Result<_, _>>()
        .expect("dbstat rows");
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0)).expect("freelist");
    let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page size");
    if free > 0 {
        out.push(("(free pages)".into(), (free * page) as u64));
    }
    out
}

/// The stored bytes of the columns that hold the most: the change log's detail, images, sums and
/// nonces, and the search index's title, body, stems and grams (as FTS5 keeps them, in its content
/// table). A column missing from `db` is left out.
pub fn columns(db: &Path) -> Vec<(String, u64)> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let mut out = Vec::new();
    let wanted = [
        ("change_log", &["detail", "images", "sums", "nonces"][..]),
        ("search_index", &["title", "body", "stems", "grams"][..]),
    ];
    for (table, names) in wanted {
        for name in names {
            let sql = format!("SELECT coalesce(sum(length(CAST({name} AS BLOB))), 0) FROM {table}");
            if let Ok(bytes) = conn.query_row(&sql, [], |r| r.get::<_, i64>(0)) {
                out.push((format!("{table}.{name}"), bytes as u64));
            }
        }
    }
    out
}

/// Prints the bytes of `rows` in total, per record (`records`) and as a share of `total`.
pub fn print(title: &str, rows: &[(String, u64)], total: u64, records: u64) {
    let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0).max(6);
    println!("\n{title}\n");
    println!("| {:<width$} | {:>14} | {:>10} | {:>6} |", "object", "bytes", "per record", "share");
    println!("|{}|{}|{}|{}|", "-".repeat(width + 2), "-".repeat(16), "-".repeat(12), "-".repeat(8));
    for (name, bytes) in rows {
        println!(
            "| {name:<width$} | {bytes:>14} | {:>10} | {:>5.1}% |",
            bytes / records.max(1),
            *bytes as f64 * 100.0 / total.max(1) as f64
        );
    }
}
