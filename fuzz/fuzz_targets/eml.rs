#![no_main]
//! See `dossier_core::fuzzing::eml`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_core::fuzzing::eml(data));
