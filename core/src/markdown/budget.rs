//! A time budget for the parsers, independent of the depth guard: should a future input slip past
//! the guard, rendering it costs [`super::RENDER_BUDGET`] and the reader sees plain text, instead of
//! the app freezing for minutes with the store held.
//!
//! A long text is rendered on a worker thread the caller waits for until its time is up. A thread
//! cannot be stopped from outside, so a worker given up on runs on to its end: to keep a hostile
//! mailbox from starting one runaway worker per message, while [`MAX_STRAYS`] of them run every long
//! text skips the parsers and is shown plain. A short text renders on the caller's thread, as before:
//! html5ever's quadratic worst case on [`INLINE_BELOW`] bytes stays in milliseconds, and reports
//! render many short texts, which then pay for no thread.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// Texts shorter than this, in bytes, render on the caller's thread.
pub(crate) const INLINE_BELOW: usize = 16 * 1024;

/// How many given-up workers may still be running before long texts skip the parsers.
const MAX_STRAYS: usize = 1;

/// The workers given up on that are still running.
static STRAYS: AtomicUsize = AtomicUsize::new(0);

/// The worker's stack: as large as a main thread's, so a deep document that slipped past the guard
/// cannot overflow a stack the caller's own thread would not.
const STACK: usize = 8 << 20;

/// `work(input)`, or `None` when it said so or did not finish within `budget`.
pub(crate) fn within(input: &str, budget: Duration, work: fn(&str) -> Option<String>) -> Option<String> {
    if input.len() < INLINE_BELOW {
        return work(input);
    }
    let owned = input.to_owned();
    run(budget, &STRAYS, move || work(&owned))
}

/// Runs `work` on a worker thread and waits at most `budget` for it; `None` when it ran out, when it
/// said `None`, or when `strays` given-up workers are still running. A panic in `work` is the
/// caller's, as if it had run on its thread.
pub(crate) fn run<T: Send + 'static>(
    budget: Duration,
    strays: &'static AtomicUsize,
    work: impl FnOnce() -> Option<T> + Send + 'static,
) -> Option<T> {
    if strays.load(Ordering::Acquire) >= MAX_STRAYS {
        return None;
    }
    let (send, receive) = mpsc::sync_channel(1);
    // Whether the caller still waits: the worker that outlives it takes itself off `strays`.
    let abandoned = Arc::new(AtomicUsize::new(0));
    let flag = Arc::clone(&abandoned);
    let worker = move || {
        let outcome = panic::catch_unwind(AssertUnwindSafe(work));
        // Counted as a stray only once the caller gave up: then it is this worker's to take back.
        if flag.swap(DONE, Ordering::AcqRel) == GIVEN_UP {
            strays.fetch_sub(1, Ordering::AcqRel);
        } else {
            let _ = send.send(outcome);
        }
    };
    if let Err(e) = thread::Builder::new().name("dossier-render".into()).stack_size(STACK).spawn(worker) {
        // Without a thread there is no budget to keep; the depth guard still holds.
        eprintln!("warning: no thread to render within a time budget ({e}): the text is shown plain");
        return None;
    }
    match receive.recv_timeout(budget) {
        Ok(outcome) => outcome.unwrap_or_else(|payload| panic::resume_unwind(payload)),
        Err(RecvTimeoutError::Disconnected) => None,
        Err(RecvTimeoutError::Timeout) => {
            strays.fetch_add(1, Ordering::AcqRel);
            if abandoned.swap(GIVEN_UP, Ordering::AcqRel) == DONE {
                // It finished between the timeout and now: not a stray, and its answer is here.
                strays.fetch_sub(1, Ordering::AcqRel);
                return receive.try_recv().ok().and_then(|o| o.unwrap_or_else(|p| panic::resume_unwind(p)));
            }
            None
        }
    }
}

const GIVEN_UP: usize = 1;
const DONE: usize = 2;

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;

    /// A worker that outlives its budget gives way to the fallback, and while it runs on, the next
    /// long render does not start another one; once it ends, rendering resumes.
    #[test]
    fn a_render_past_its_budget_falls_back_and_starts_no_second_runaway() {
        static STRAYS: AtomicUsize = AtomicUsize::new(0);
        let release = Arc::new(AtomicBool::new(false));
        let (ended, end) = mpsc::channel();
        let hold = Arc::clone(&release);
        let stuck = run(Duration::from_millis(20), &STRAYS, move || {
            while !hold.load(Ordering::Acquire) {
                thread::yield_now();
            }
            let _ = ended.send(());
            Some("late")
        });
        assert_eq!(stuck, None);
        assert_eq!(run(Duration::from_secs(60), &STRAYS, || Some("quick")), None, "the runaway blocks the next");
        release.store(true, Ordering::Release);
        end.recv().expect("the runaway ends");
        while STRAYS.load(Ordering::Acquire) > 0 {
            thread::yield_now();
        }
        assert_eq!(run(Duration::from_secs(60), &STRAYS, || Some("quick")), Some("quick"));
    }

    /// A panic while rendering reaches the caller, so the fuzzers still see it.
    #[test]
    fn a_panic_in_the_worker_is_the_callers() {
        static STRAYS: AtomicUsize = AtomicUsize::new(0);
        let outcome =
            panic::catch_unwind(|| run(Duration::from_secs(60), &STRAYS, || -> Option<()> { panic!("boom") }));
        assert!(outcome.is_err());
    }
}
