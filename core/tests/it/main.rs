//! The core's integration tests, as one binary (one link, one set of shared fixtures in `common`):
//! every module tests the core at its public boundary, on real temporary databases.

mod any_script;
mod bindings;
mod bundle;
mod bundle_stream;
mod capture;
mod check;
mod common;
mod compact;
mod csv_spreadsheets;

mod date;
mod date_words;
mod deadline_events;
mod deadline_rules;
mod deadlines;
mod documents;
mod encryption;
mod erase;
mod evidence;
mod export;
mod export_progress;
mod generate;
mod ics;
mod import;
mod import_progress;
mod layers;
mod linkable;
mod lists;
mod mailbox;
mod migrations;
mod order;
#[path = "../outlook_files/mod.rs"]
mod outlook_files;
mod outlook_msg;
mod outlook_pst;
mod pdf;
mod privilege;
mod publish;
mod records;
mod redacted_copies;
mod redaction;
mod regressions;
mod report_goldens;
mod report_options;
mod search;
mod security;
mod slugs;
mod timeline;
mod timeline_filters;
mod timeline_outline;
mod timeline_pages;
mod trust;
mod vocabulary;
mod word;
mod word_forms;
