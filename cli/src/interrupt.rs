//! Ctrl-C, a closed terminal or `kill`: the command stops, and says whether its change was saved, so
//! that whoever runs it again knows whether that would make a duplicate.
//!
//! The signals are received on a thread of their own. It asks a long import to stop (the import then
//! rolls back), waits for the write under way to commit or roll back — a write is never cut in half —
//! and, holding the store's write gate so no other write starts, says what was saved and exits.
//!
//! An export stops by itself instead ([`stops_itself`]): asked to stop, it removes the file it was
//! writing and fails with `cancelled`, which the command reports as any error, and the signals'
//! thread leaves the process alone, since ending it there would leave that file behind.

use std::sync::atomic::{AtomicBool, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

static REQUESTED: AtomicBool = AtomicBool::new(false);
/// Set while a command runs that stops by itself when asked ([`stops_itself`]).
static STOPS_ITSELF: AtomicBool = AtomicBool::new(false);
/// Set once the signals' thread is ending the process.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Whether the command was asked to stop: a long import checks it and stops, writing nothing.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Waits for ever once the signals' thread is ending the process: it is the one to say what happened.
pub fn wait_if_requested() {
    while ENDING.load(Ordering::SeqCst) {
        std::thread::park();
    }
}

/// While the guard is held, a signal only asks the command to stop ([`requested`]): the command
/// (an export) stops by itself, cleans up after itself and ends with its own error.
#[must_use]
pub fn stops_itself() -> StopsItself {
    STOPS_ITSELF.store(true, Ordering::SeqCst);
    StopsItself
}

pub struct StopsItself;

impl Drop for StopsItself {
    fn drop(&mut self) {
        STOPS_ITSELF.store(false, Ordering::SeqCst);
    }
}

/// Handles SIGINT, SIGTERM and SIGHUP from now on. Without it (the thread could not start), the
/// signals keep their default action, which a write's transaction survives as a crash does.
pub fn handle() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
    let _ = std::thread::Builder::new().name("signals".into()).spawn(move || {
        for signal in signals.forever() {
            if STOPS_ITSELF.load(Ordering::SeqCst) {
                REQUESTED.store(true, Ordering::SeqCst);
                continue;
            }
            // Ending first: the command, seeing it asked to stop, must not exit before this thread.
            ENDING.store(true, Ordering::SeqCst);
            REQUESTED.store(true, Ordering::SeqCst);
            let (_no_more_writes, saved) = dossier_core::store::settled();
            eprintln!("dossier: {}", said(saved));
            // The write gate is held: no write starts between this message and the exit.
            std::process::exit(128 + signal);
        }
    });
}

/// What the command says when stopped after `saved` writes committed.
fn said(saved: u64) -> &'static str {
    if saved == 0 {
        "stopped: nothing was written"
    } else {
        "stopped after the change was saved: it is in the record (see `dossier history` or the list) and need not be made again"
    }
}
