//! Replays the fuzz corpus (`fuzz/corpus/<target>/`, grown by cargo-fuzz runs and committed) through
//! the same target bodies, on stable: every input the fuzzers kept stays handled without a panic.
//! CI replays an even sample of each target's corpus (`SAMPLE` inputs, spread over the names, which
//! are content hashes) so the debug build stays quick; `DOSSIER_FUZZ_REPLAY=all` replays every input.

use std::path::Path;

use dossier_core::fuzzing;

/// How many inputs of each target CI replays.
const SAMPLE: usize = 150;

/// Whether a corpus file is named as libFuzzer names what it keeps (the SHA-1 of its content).
fn is_hash_name(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.len() == 40 && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn replay(target: &str, body: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    let total = inputs.len();
    let sample = match std::env::var("DOSSIER_FUZZ_REPLAY").as_deref() {
        Ok("all") => total,
        Ok(n) => n.parse().unwrap_or(SAMPLE),
        Err(_) => SAMPLE,
    };
    if total > sample {
        // Every n-th input, the hand-written seeds (named by what they test, not by hash) always.
        let step = total.div_ceil(sample);
        inputs =
            inputs.into_iter().enumerate().filter(|(i, p)| i % step == 0 || !is_hash_name(p)).map(|(_, p)| p).collect();
    }
    for input in &inputs {
        let data = std::fs::read(input).expect("a corpus file");
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{target}: {} makes it panic", input.display());
    }
    assert!(!inputs.is_empty(), "{target}: the corpus is empty");
    inputs.len()
}

#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    for (target, body) in [
        ("date", fuzzing::date as fn(&[u8])),
        ("markdown", fuzzing::markdown),
        ("query", fuzzing::query),
        ("bundle", fuzzing::bundle),
        ("csv", fuzzing::csv),
        ("eml", fuzzing::eml),
    ] {
        let n = replay(target, body);
        println!("{target}: {n} inputs");
    }
}
