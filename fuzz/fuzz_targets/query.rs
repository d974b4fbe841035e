#![no_main]
//! See `dossier_core::fuzzing::query`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_core::fuzzing::query(data));
