//! Schema upgrades: the shipped migrations, the whole copy of a database kept beside it before any of
//! them changes it, and the file rewritten after, so an upgrade that shrinks what is stored (version
//! 14 packs the change log) also shrinks the file.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use super::{copy, files, staged};
use crate::error::Result;

/// Shipped migrations, oldest first. Never edit one that has shipped: add a new file. Migration 0014
/// calls `dossier_pack`, which `Store::init` gives every connection (`packed::register`).
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_record.sql")),
    M::up(include_str!("migrations/0002_search.sql")),
    M::up(include_str!("migrations/0003_proof.sql")),
    M::up(include_str!("migrations/0004_private.sql")),
    M::up(include_str!("migrations/0005_timeline_wide.sql")),
    M::up(include_str!("migrations/0006_record_activity.sql")),
    M::up(include_str!("migrations/0007_document_text.sql")),
    M::up(include_str!("migrations/0008_record_party_row.sql")),
    M::up(include_str!("migrations/0009_text_reading.sql")),
    M::up(include_str!("migrations/0010_log_seal.sql")),
    M::up(include_str!("migrations/0011_any_script.sql")),
    M::up(include_str!("migrations/0012_erasure.sql")),
    M::up(include_str!("migrations/0013_timeline_reach.sql")),
    M::up(include_str!("migrations/0014_compact_storage.sql")),
    M::up(include_str!("migrations/0015_deadline_rule.sql")),
    M::up(include_str!("migrations/0016_web_capture.sql")),
    M::up(include_str!("migrations/0017_deadline_event.sql")),
    M::up(include_str!("migrations/0018_privilege.sql")),
    M::up(include_str!("migrations/0019_redaction.sql")),
    M::up(include_str!("migrations/0020_production.sql")),
    M::up(include_str!("migrations/0021_team.sql")),
];

/// The schema version this build writes.
pub fn schema_version() -> usize {
    MIGRATIONS.len()
}

/// A schema upgrade made when the database was opened, with where the copy from before it is kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Upgrade {
    pub from: i64,
    pub to: i64,
    /// The whole database as it was before the upgrade (`<db>.before-v<N>-<time>`).
    pub backup: String,
}

/// Brings the database on `conn` (at schema version `found`, 0 when new) to this build's version, all
/// pending migrations in one transaction. An existing database at `path` is first copied whole beside
/// itself (under SQLCipher's raw `key` when encrypted), and rewritten after (`VACUUM`), so that the
/// pages an upgrade freed leave the file when nothing else holds it open.
pub(super) fn to_latest(
    conn: &mut Connection,
    path: Option<&Path>,
    found: i64,
    key: Option<&str>,
) -> Result<Option<Upgrade>> {
    let upgrading = (1..schema_version() as i64).contains(&found);
    let mut upgrade = None;
    if let (Some(path), true) = (path, upgrading) {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept = files::before_upgrade(path, schema_version(), &stamp.to_string());
        copy::snapshot(conn, &kept, key)?;
        if let Ok(text) = std::fs::read(files::key(path)) {
            staged::write_whole(&files::key(&kept), &text)?;
        }
        upgrade = Some(Upgrade { from: found, to: schema_version() as i64, backup: kept.display().to_string() });
    }
    Migrations::from_slice(MIGRATIONS).to_latest(conn)?;
    if upgrading {
        // Only space: the upgrade has committed. When another process holds the database open the
        // rewrite cannot run now, and the pages it would have returned are reused by later writes.
        let _ = conn.execute_batch("VACUUM");
    }
    Ok(upgrade)
}
