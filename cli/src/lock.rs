//! `dossier encrypt`, `decrypt` and `passphrase`, and where a passphrase comes from: `--passphrase-file`,
//! the `DOSSIER_PASSPHRASE` variable, or a prompt that does not echo when a terminal is attached. A
//! passphrase is never printed and never passed on the command line (where other users could read it).

use std::io::IsTerminal;
use std::path::Path;
use std::sync::OnceLock;

use dossier_core::care::backup;
use dossier_core::care::encryption::{change_passphrase, decrypt as decrypt_db, encrypt as encrypt_db};
use dossier_core::store::companions;
use dossier_core::store::{is_encrypted, KdfParams, Passphrase};
use dossier_core::{Error, Result};

use crate::output::Out;

pub const PASSPHRASE_ENV: &str = "DOSSIER_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "DOSSIER_NEW_PASSPHRASE";

/// The passphrase variables as the process started with them, taken out of its environment.
static TAKEN: OnceLock<[(&str, Option<String>); 2]> = OnceLock::new();

/// Takes the passphrase variables out of this process's environment and keeps their values for
/// [`read`]. Called first thing in `main`: `std::env::remove_var` is not thread-safe (it is `unsafe`
/// from edition 2024; this crate is 2021), so it must run before any thread starts (the signal
/// handler's, a progress bar's, a child program's pipes). Once taken, no program the CLI runs, and no
/// reader of `/proc/<pid>/environ`, finds the passphrase in its environment; the core's
/// `extract::command` removes them from children as well, for the desktop app.
pub fn take_from_environment() {
    TAKEN.get_or_init(|| {
        [PASSPHRASE_ENV, NEW_PASSPHRASE_ENV].map(|name| {
            let value = std::env::var(name).ok();
            std::env::remove_var(name);
            (name, value)
        })
    });
}

/// The value the variable `env` had when the CLI started.
fn taken(env: &str) -> Option<String> {
    TAKEN.get()?.iter().find(|(name, _)| *name == env)?.1.clone()
}

/// The passphrase from `file`, else from `env`, else typed at a prompt on a terminal; `None` when
/// there is none of those (a script without one).
fn read(file: Option<&Path>, env: &str, prompt: &str, confirm: bool) -> Result<Option<Passphrase>> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        return Passphrase::new(&text).map(Some);
    }
    if let Some(text) = taken(env) {
        return Passphrase::new(&text).map(Some);
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let typed = rpassword::prompt_password(prompt).map_err(|e| Error::io("terminal", e))?;
    if confirm {
        let again = rpassword::prompt_password("Again: ").map_err(|e| Error::io("terminal", e))?;
        if again != typed {
            return Err(Error::rule("passphrase", "passphrases_differ", None, "the two passphrases differ"));
        }
    }
    Passphrase::new(&typed).map(Some)
}

/// The passphrase of an encrypted database, if one was given.
pub fn passphrase(file: Option<&Path>) -> Result<Option<Passphrase>> {
    read(file, PASSPHRASE_ENV, "Passphrase: ", false)
}

fn required(found: Option<Passphrase>, what: &str) -> Result<Passphrase> {
    found.ok_or_else(|| {
        Error::rule(
            "passphrase",
            "required",
            None,
            format!("{what}: give it with --passphrase-file FILE or {PASSPHRASE_ENV}, or type it at a terminal"),
        )
    })
}

/// Why deleted plaintext is not gone, said once each time a database changes hands between the two.
const DELETED_NOTE: &str = "the plaintext files were deleted, which does not wipe them from the disk; full-disk \
                            encryption covers that";

pub fn encrypt(out: &Out, db: &Path, file: Option<&Path>) -> Result<()> {
    if is_encrypted(db) {
        return Err(Error::Conflict(format!("{} is already encrypted", db.display())));
    }
    for c in companions::plaintext(db)? {
        let what = match c.kind {
            companions::Kind::Unfinished => "an unfinished copy, to be removed",
            companions::Kind::Upgrade | companions::Kind::Restore => "a copy of the record, to be encrypted too",
        };
        eprintln!("dossier: note: {} is {what}", c.path);
    }
    let passphrase = required(read(file, PASSPHRASE_ENV, "New passphrase: ", true)?, "a passphrase to encrypt with")?;
    let report = encrypt_db(db, &passphrase, KdfParams::default())?;
    let mut said = vec![format!(
        "encrypted {} and {} evidence file{}; it opens only with the passphrase, which cannot be recovered",
        db.display(),
        report.files,
        if report.files == 1 { "" } else { "s" },
    )];
    for c in &report.companions {
        said.push(match (c.done, &c.error) {
            (Some(companions::Done::Encrypted), _) => format!("encrypted the copy {} (same passphrase)", c.path),
            (Some(companions::Done::Removed), _) => format!("removed the unfinished copy {}", c.path),
            (None, error) => format!(
                "could NOT encrypt {}: {}; it still holds the record in plaintext: delete it",
                c.path,
                error.as_deref().unwrap_or("unknown error")
            ),
        });
    }
    if let Some(last) = backup::last_backup(db)?.filter(|b| !b.encrypted) {
        said.push(format!("backups taken before, the last one {}, are not encrypted", last.path));
    }
    said.push(DELETED_NOTE.to_string());
    if !report.is_whole() {
        eprintln!("dossier: warning: some copies beside the database were left in plaintext (see above)");
    }
    out.either(&report, &said)
}

pub fn decrypt(out: &Out, db: &Path, file: Option<&Path>) -> Result<()> {
    let passphrase = required(passphrase(file)?, "the passphrase of the database")?;
    let files = decrypt_db(db, &passphrase)?;
    out.message(&format!(
        "decrypted {} and {files} evidence file{}: the record is now readable by anyone with the file",
        db.display(),
        if files == 1 { "" } else { "s" },
    ))
}

pub fn change(out: &Out, db: &Path, file: Option<&Path>, new_file: Option<&Path>) -> Result<()> {
    let old = required(passphrase(file)?, "the current passphrase")?;
    let new = required(read(new_file, NEW_PASSPHRASE_ENV, "New passphrase: ", true)?, "the new passphrase")?;
    change_passphrase(db, &old, &new, KdfParams::default())?;
    out.message(&format!("changed the passphrase of {}", db.display()))
}
