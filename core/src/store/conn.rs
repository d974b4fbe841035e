//! The two handles on the database. A [`Reader`] can only read: it has no method that executes a
//! statement for its effect, and refuses any statement SQLite does not call read-only. A [`Writer`]
//! exists only inside [`super::Store::write`], so "every write goes through `Store::write`" is
//! checked by the compiler rather than stated in a comment.
//!
//! The read helpers also spare every caller the same few lines: `all` collects rows, `optional` turns
//! "no row" into `None`, `strings` lists one text column.

use rusqlite::{Connection, OptionalExtension, Params, Row};

use crate::error::{Error, Result};

/// The database, for reading. `Store::reader()` hands it out; a `Writer` derefs to it.
pub struct Reader {
    conn: Connection,
}

impl Reader {
    pub(super) fn new(conn: Connection) -> Reader {
        Reader { conn }
    }

    /// The connection itself, for the store's own set-up and transaction control.
    pub(super) fn connection(&self) -> &Connection {
        &self.conn
    }

    fn prepare(&self, sql: &str) -> Result<rusqlite::CachedStatement<'_>> {
        let stmt = self.conn.prepare_cached(sql)?;
        if !stmt.readonly() {
            return Err(Error::internal(format!("a read tried to change the database: {}", first_line(sql))));
        }
        Ok(stmt)
    }

    /// The one row `sql` selects, mapped by `map`; no row is an error.
    pub fn one<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        Ok(self.prepare(sql)?.query_row(params, map)?)
    }

    /// The row `sql` selects, if there is one.
    pub fn optional<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>> {
        Ok(self.prepare(sql)?.query_row(params, map).optional()?)
    }

    /// Every row `sql` selects, mapped by `map`.
    pub fn all<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.prepare(sql)?;
        let rows = stmt.query_map(params, map)?.collect::<Result<Vec<T>, _>>()?;
        Ok(rows)
    }

    /// Calls `f` on every row `sql` selects, one at a time (for tables too large to collect).
    pub fn each<P: Params>(&self, sql: &str, params: P, mut f: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(sql)?;
        let mut rows = stmt.query(params)?;
        while let Some(row) = rows.next()? {
            f(row)?;
        }
        Ok(())
    }

    /// The first column of every row `sql` selects, as text (ids, tags, aliases).
    pub fn strings<P: Params>(&self, sql: &str, params: P) -> Result<Vec<String>> {
        self.all(sql, params, |r| r.get(0))
    }

    /// Whether `sql` selects any row.
    pub fn exists<P: Params>(&self, sql: &str, params: P) -> Result<bool> {
        Ok(self.prepare(sql)?.exists(params)?)
    }
}

/// The database inside one write of [`super::Store::write`]: it reads (through `Deref`) and writes,
/// and lives no longer than the transaction.
pub struct Writer<'a> {
    db: &'a Reader,
    /// The key this write seals what it keeps with (log entries, document readings), if any.
    seal: Option<&'a super::seal::LogKey>,
}

impl<'a> Writer<'a> {
    pub(super) fn new(db: &'a Reader, seal: Option<&'a super::seal::LogKey>) -> Writer<'a> {
        Writer { db, seal }
    }

    /// The key this write seals with (see `seal`).
    pub(crate) fn seal_key(&self) -> Option<&'a super::seal::LogKey> {
        self.seal
    }

    /// Runs one statement for its effect; returns the number of rows it changed.
    pub(crate) fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        Ok(self.db.conn.prepare_cached(sql)?.execute(params)?)
    }

    /// Runs several statements without parameters (savepoints, pragmas).
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(self.db.conn.execute_batch(sql)?)
    }

    /// Refuses, inside a transaction whose references are checked only at its end (a rebase, the
    /// others' writes applied together), a step that left a reference to a record that is not there:
    /// what the step's own commit would refuse. SQLite counts the references a transaction leaves
    /// unresolved, which its commit checks, and a savepoint rolled back restores the count; only when
    /// it is not zero is the database searched to name the table (searching it for every entry
    /// applied scanned every table with references each time).
    pub(crate) fn refuse_broken_references(&self) -> Result<()> {
        let (mut unresolved, mut highest) = (0, 0);
        // SAFETY: the handle is that of the open connection this writer borrows, on this thread; the
        // call only copies a counter of it into the two integers it is given.
        let rc = unsafe {
            rusqlite::ffi::sqlite3_db_status(
                self.db.conn.handle(),
                rusqlite::ffi::SQLITE_DBSTATUS_DEFERRED_FKS,
                &mut unresolved,
                &mut highest,
                0,
            )
        };
        if rc == rusqlite::ffi::SQLITE_OK && unresolved == 0 {
            return Ok(());
        }
        let broken: Option<String> = self.optional("PRAGMA foreign_key_check", [], |r| r.get(0))?;
        match broken {
            Some(table) => Err(Error::Conflict(format!("a row of {table} would refer to a record that is not there"))),
            None => Ok(()),
        }
    }
}

impl std::ops::Deref for Writer<'_> {
    type Target = Reader;

    fn deref(&self) -> &Reader {
        self.db
    }
}

fn first_line(sql: &str) -> String {
    sql.split_whitespace().take(8).collect::<Vec<_>>().join(" ")
}
