//! The CLI's end-to-end tests, as one binary (one link, one `common`): each module drives the built
//! `dossier` binary on a database in a temporary folder, as a user or a script runs it.

mod capture;
mod capture_tls;
mod cli;
mod common;
mod deadlines;
mod documents;
mod encryption;
mod erase;
mod keyring;
mod large_export;
mod outlook;
#[path = "../../../core/tests/outlook_files/mod.rs"]
mod outlook_files;
mod privilege;
mod production;
mod proof;
mod publish;
mod redaction;
mod scripts;
mod security;
mod team;
mod writers;
