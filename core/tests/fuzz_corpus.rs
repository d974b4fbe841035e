//! Replays the fuzz corpus (`fuzz/corpus/<target>/`, grown by cargo-fuzz runs and committed) through
//! the same target bodies, on stable: every input the fuzzers kept stays handled without a panic.

use std::path::Path;

use dossier_core::fuzzing;

fn replay(target: &str, body: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
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
