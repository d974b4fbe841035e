#![no_main]
//! See `dossier_core::fuzzing::csv`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_core::fuzzing::csv(data));
