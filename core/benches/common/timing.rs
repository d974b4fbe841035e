//! Timing a read in the benches: the best of several runs, since single timings on this shared
//! machine vary by ±30% between runs.

use std::time::{Duration, Instant};

/// How many times each read is timed; the best is kept.
pub const RUNS: u32 = 20;

/// The best of `runs` timings of `f`.
pub fn best<T>(runs: u32, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}
