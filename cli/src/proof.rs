//! `dossier check`, `history`, `backup` and `restore`: proving the record was not altered, showing what
//! each write changed, and copying the whole database out and back.

use std::path::Path;

use dossier_core::care::backup;
use dossier_core::care::check::{check as check_store, Seals};
use dossier_core::store::anchor::Anchor;
use dossier_core::store::log_key::{Kept, FILE};
use dossier_core::store::{is_encrypted, Passphrase};
use dossier_core::view::history;
use dossier_core::{Error, Result, Store};

use crate::output::Out;

/// The exit code of a `check` that found problems.
pub const CHECK_FAILED: i32 = 7;

/// Checks the record; prints what was checked, the head to keep, and each problem. Returns the exit
/// code: 0 when all is as Dossier wrote it, [`CHECK_FAILED`] otherwise.
pub fn check(out: &Out, store: &Store, anchor: Option<&str>) -> Result<i32> {
    let anchor: Option<Anchor> = anchor.map(str::parse).transpose()?;
    let given = anchor.is_some();
    let report = check_store(store, anchor)?;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut lines = vec![format!(
        "checked {}, {}, {}",
        plural(report.entries, "change-log entry").replace("entrys", "entries"),
        plural(report.records, "record"),
        plural(report.files, "evidence file")
    )];
    if report.entries > 0 {
        lines.push(seals(&report.seals));
    }
    if report.unfetched > 0 {
        lines.push(format!(
            "{} in the team space, not fetched here (`dossier evidence fetch --all`)",
            plural(report.unfetched, "evidence file")
        ));
    }
    match &report.anchor {
        Some(a) => lines.push(format!(
            "compared the change log with the anchor {a} ({})",
            if given { "given" } else { "kept beside the database and by this installation" }
        )),
        None => lines.push("no anchor to compare the change log with".into()),
    }
    for r in &report.repaired {
        lines.push(format!("repaired: {r}"));
    }
    for e in &report.erasures {
        let note = if e.note.is_empty() { String::new() } else { format!(": {}", e.note) };
        lines.push(format!(
            "erased: {} {} on {} by {} ({}{note}), change-log entry {}",
            e.kind.word(out.language()),
            e.id,
            e.when,
            e.actor.as_deref().unwrap_or("no one"),
            e.reason.word(out.language()),
            e.entry
        ));
    }
    for p in &report.problems {
        lines.push(format!("problem: {}", p.message));
    }
    if report.unlisted > 0 {
        lines.push(format!("problem: {} more not listed", report.unlisted));
    }
    let found = report.problems.len() + report.unlisted;
    lines.push(if found == 0 {
        format!(
            "all as Dossier wrote it; head {} (keep it elsewhere: `dossier check --anchor {}`)",
            report.head, report.head
        )
    } else {
        format!("{} found; head {}", plural(found, "problem"), report.head)
    });
    out.either(&report, &lines)?;
    if found > 0 {
        eprintln!("dossier: check found {} (listed above)", plural(found, "problem"));
    }
    Ok(if report.is_sound() { 0 } else { CHECK_FAILED })
}

/// What the entries' seals say, in a line: how many were verified, and with which key.
fn seals(seals: &Seals) -> String {
    let id = seals.key.as_deref().unwrap_or_default();
    let whose = match seals.kept {
        Some(Kept::Keyring) => Some(format!("this installation's key {id}, kept in the keyring")),
        Some(Kept::File) => Some(format!("this installation's key {id}, kept in its {FILE} file")),
        Some(Kept::Database) => Some(format!("the database's own key {id}")),
        None => None,
    };
    let mut said = match whose {
        Some(whose) => format!("seals: {} verified with {whose}", seals.verified),
        None => "seals: none verified, with no key at hand".into(),
    };
    for (n, what) in [
        (seals.elsewhere, "sealed by another installation, which cannot be verified here"),
        (seals.unread, "sealed with this installation's key, not verified (it could not be read)"),
        (seals.unsealed, "not sealed"),
    ] {
        if n > 0 {
            said.push_str(&format!("; {n} {what}"));
        }
    }
    said
}

/// Prints the history of one record.
pub fn history(out: &Out, store: &Store, id: &str) -> Result<()> {
    let changes = history::history(store.reader(), id)?;
    if changes.is_empty() {
        return Err(Error::not_found("history of a record", id));
    }
    let mut lines = Vec::new();
    for c in &changes {
        let by = c.actor.as_deref().map(|a| format!(" by {a}")).unwrap_or_default();
        let origin = match (&c.entry, &c.imported_from) {
            (Some(seq), _) => format!("entry {seq}"),
            (None, Some(from)) => format!("from the database {}…", &from[..from.len().min(12)]),
            (None, None) => String::new(),
        };
        lines.push(format!("{}  {}: {}{by} ({origin})", c.at, c.change, c.action));
        if let Some(e) = &c.erased {
            let note = if e.note.is_empty() { String::new() } else { format!(": {}", e.note) };
            lines.push(format!("    erased on {} ({}{note})", e.when, e.reason.word(out.language())));
        }
        for d in &c.differences {
            lines.push(format!("    {d}"));
        }
    }
    out.either(&changes, &lines)
}

/// Backs the database up to `path`.
pub fn backup(out: &Out, store: &mut Store, db: &Path, path: &Path) -> Result<()> {
    let report = backup::backup(store, path)?;
    if let Some(warning) = backup::note(store, &report) {
        eprintln!("dossier: warning: {warning}");
    }
    let how = if report.encrypted {
        "encrypted, it opens with the same passphrase"
    } else {
        "not encrypted, as the database is not"
    };
    out.either(
        &report,
        &[format!(
            "backed up {} and {} evidence file{} to {}; {how}; head {}",
            db.display(),
            report.files,
            if report.files == 1 { "" } else { "s" },
            path.display(),
            report.head
        )],
    )
}

/// Replaces the database at `db` with the backup at `source`, once confirmed (`--yes`, or `yes` typed
/// at a terminal).
pub fn restore(out: &Out, db: &Path, source: &Path, yes: bool, passphrase: Option<&Passphrase>) -> Result<()> {
    if !yes {
        crate::output::confirm_by_typing(
            &format!(
                "Replace {} with the backup {}? The current one is kept beside it.",
                db.display(),
                source.display()
            ),
            "yes",
            "restoring replaces the whole database: confirm with --yes",
            "not restored",
        )?;
    }
    let typed;
    let passphrase = match passphrase {
        Some(p) => Some(p),
        None if is_encrypted(source) || is_encrypted(db) => {
            typed = crate::lock::passphrase(None)?;
            typed.as_ref()
        }
        None => None,
    };
    let report = backup::restore(db, source, passphrase)?;
    let kept =
        report.previous.as_deref().map(|p| format!("; the database it replaced is kept as {p}")).unwrap_or_default();
    let sealed = match (report.encrypted_again, report.encrypted) {
        (true, _) => "; the backup was not encrypted: the restored database was encrypted under the same passphrase",
        (false, true) => "; it is encrypted and opens with the backup's passphrase",
        (false, false) => "; it is not encrypted",
    };
    let line = format!("restored {} from {}; head {}{kept}{sealed}", db.display(), report.from, report.head);
    out.either(&report, &[line])
}
