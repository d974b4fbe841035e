//! A long import or export seen from outside: how far it has got, and a way to stop it. The CLI draws
//! a progress bar from it; the desktop app sends it to the window as events, and its Cancel button
//! answers `false`. A stopped import is the `cancelled` error, raised inside the import's one
//! transaction, so nothing of it is written; a stopped export is the same error, and the file it was
//! writing is removed, so the file the user named is as it was (`transfer::destination`).

use crate::error::{Error, Result};

/// Told how far an import or an export is; answers whether it may go on.
pub trait Watch {
    /// `done` of `total` units: bytes of the file read for a CSV chronology, bytes of the file read
    /// twice over for a bundle (once to check it, once to write it), blocks and table rows written for a report (see `transfer::export_watched`). `false`
    /// stops the import or export, which then writes nothing.
    fn progress(&self, done: u64, total: u64) -> bool;
}

impl<F: Fn(u64, u64) -> bool> Watch for F {
    fn progress(&self, done: u64, total: u64) -> bool {
        self(done, total)
    }
}

/// An import or export nobody watches: it always goes on. A function, not a closure made anew, so
/// `&unwatched` lives as long as the program (a report kept in memory holds it).
pub fn unwatched(_: u64, _: u64) -> bool {
    true
}

/// Counts an import's or an export's progress and tells its watcher at most about 200 times in all, so a watcher
/// that draws or sends an event is not called once per row.
pub(crate) struct Ticker<'a> {
    watch: &'a dyn Watch,
    done: u64,
    total: u64,
    told: u64,
}

impl<'a> Ticker<'a> {
    pub(crate) fn new(watch: &'a dyn Watch, total: u64) -> Ticker<'a> {
        Ticker { watch, done: 0, total, told: 0 }
    }

    /// Tells the watch the work begins (0 of the total), which may stop it before anything is done.
    pub(crate) fn begin(&self) -> Result<()> {
        self.tell(0)
    }

    /// Moves on to the end, telling the watch unless it was told already.
    pub(crate) fn finish(&mut self) -> Result<()> {
        self.reach(self.total)
    }

    /// Goes on from `done` units, already told.
    pub(crate) fn resume_at(&mut self, done: u64) {
        self.done = done.min(self.total);
        self.told = self.done;
    }

    /// Moves on by `n` units.
    pub(crate) fn advance(&mut self, n: u64) -> Result<()> {
        self.reach(self.done.saturating_add(n))
    }

    /// Moves on to `done` units.
    pub(crate) fn reach(&mut self, done: u64) -> Result<()> {
        self.done = done.min(self.total);
        let step = self.total.div_ceil(200).max(1);
        // Told again only once it moved by a step, or reached the end (once).
        let moved = self.done.saturating_sub(self.told);
        if moved == 0 || (self.done < self.total && moved < step) {
            return Ok(());
        }
        self.told = self.done;
        self.tell(self.done)
    }

    fn tell(&self, done: u64) -> Result<()> {
        if self.watch.progress(done, self.total) {
            Ok(())
        } else {
            Err(Error::Cancelled)
        }
    }
}
