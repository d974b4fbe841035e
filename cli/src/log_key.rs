//! `dossier log-key`: where this installation's change-log key is kept (the user's keyring, or the file
//! `log.key` in the configuration folder) and its id, which every seal names; `--to-file` and
//! `--to-keyring` move it, the same key, so every seal stays valid. It works on no database: the key
//! is the installation's.

use dossier_core::store::log_key::{self, Kept, Whereabouts};
use dossier_core::Result;

use crate::output::Out;

#[derive(clap::Args)]
pub struct LogKeyArgs {
    /// Move the key out of the keyring into log.key in the configuration folder (mode 0600), which
    /// every session reads, over ssh too. The keyring must be unlocked to read it from.
    #[arg(long, conflicts_with = "to_keyring")]
    to_file: bool,
    /// Move the key into the keyring's default collection (Secret Service), log.key keeping only its
    /// id. Refused, the key left in the file, when no unlocked keyring answers.
    #[arg(long)]
    to_keyring: bool,
}

pub fn run(out: &Out, args: LogKeyArgs) -> Result<()> {
    let told = match (args.to_file, args.to_keyring) {
        (true, _) => log_key::move_to(Kept::File)?,
        (_, true) => log_key::move_to(Kept::Keyring)?,
        _ => log_key::whereabouts()?,
    };
    out.either(&told, &said(&told))
}

/// What to say of where the key is, in lines.
fn said(told: &Whereabouts) -> Vec<String> {
    let key = told.id.as_deref().map(|id| format!("this installation's change-log key {id}")).unwrap_or_default();
    let file = &told.file;
    let mut lines = vec![match (told.kept, told.moved) {
        (Some(Kept::Keyring), true) => format!("moved {key} into the keyring; {file} now only names it"),
        (Some(Kept::Keyring), false) => format!("{key} is kept in the keyring (Secret Service); {file} names it"),
        (Some(Kept::File), true) => format!("moved {key} into {file} (mode 0600)"),
        (Some(_), false) => format!("{key} is kept in {file} (mode 0600)"),
        (_, _) if told.problem.is_some() => format!("this installation's change-log key cannot be read ({file})"),
        (_, _) => format!(
            "this installation has no change-log key yet: the first write to a plaintext database makes one, in the \
             keyring when an unlocked one answers, else in {file}"
        ),
    }];
    lines.extend(told.problem.iter().map(|p| format!("problem: {p}")));
    lines.extend(told.note.iter().map(|n| format!("note: {n}")));
    lines
}
