//! The `dossier` command line: create, read, list, edit and delete every kind of record, add and link
//! evidence, print a case's timeline, and load the demo cases, without a window. It parses arguments
//! (clap), calls one core function per command and prints the result as text or JSON. Errors go to
//! stderr as one line and set a non-zero exit code that tells their category.

mod args;
mod output;

use clap::Parser;

use crate::error::{Error, Result};
use crate::store::Store;
use args::{Cli, Command};

/// Runs the CLI with the process arguments and returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("dossier: {}", one_line(&e.to_string()));
            exit_code(&e)
        }
    }
}

/// Exit codes: 2 invalid input (as clap's own usage errors), 3 not found, 4 conflict, 5 database
/// written by a newer version, 1 anything else.
pub fn exit_code(e: &Error) -> i32 {
    match e.code() {
        "invalid_input" => 2,
        "not_found" => 3,
        "conflict" => 4,
        "schema_too_new" => 5,
        _ => 1,
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run(cli: Cli) -> Result<()> {
    if let Command::Date { text } = &cli.command {
        return output::date(text, cli.json);
    }
    let (path, is_default) = match cli.db.clone() {
        Some(p) => (p, false),
        None => (
            Store::default_path()
                .ok_or_else(|| Error::invalid("database", "no per-user data directory; pass --db PATH"))?,
            true,
        ),
    };
    let fresh = !path.exists();
    let mut store = Store::open(&path)?;
    // The embedded default database starts with the demo cases, as the desktop app does.
    if is_default && fresh {
        crate::demo::load_if_empty(&mut store)?;
    }
    args::dispatch(&mut store, cli, &path)
}
