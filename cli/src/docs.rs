//! What the Debian package installs beside the binary, generated from the command line's own clap
//! definitions (`help::command()`) so it can never disagree with `--help`: the manual pages
//! `dossier(1)` and `dossier-SUBCOMMAND(1)` (one per subcommand family), and the completions of bash,
//! zsh and fish. `scripts/package` runs `dossier generate-docs DIR` with the release build it is about
//! to bundle; nothing generated is committed. That step is read before clap parses (see `requested`)
//! rather than declared as a hidden subcommand: clap_complete's bash and zsh scripts complete hidden
//! subcommands too, and users would be offered it.

use std::fs;
use std::path::{Path, PathBuf};

use clap_complete::Shell;
use dossier_core::{Error, Result};

/// The folder of `dossier generate-docs DIR`, when those are the arguments.
pub fn requested() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    let (Some(step), Some(dir), None) = (args.next(), args.next(), args.next()) else { return None };
    (step == "generate-docs").then(|| PathBuf::from(dir))
}

/// Generates into `dir`, lists what it wrote, and returns the exit code.
pub fn run(dir: &Path) -> i32 {
    match generate(dir) {
        Ok(written) => {
            for path in written {
                println!("{path}");
            }
            0
        }
        Err(e) => {
            eprintln!("dossier: {e}");
            1
        }
    }
}

/// The files written under `dir`, as the package lays them out under `/usr/share`:
/// `man/man1/*.1`, `bash-completion/completions/dossier`, `zsh/vendor-completions/_dossier`,
/// `fish/vendor_completions.d/dossier.fish`.
pub fn generate(dir: &Path) -> Result<Vec<String>> {
    let mut command = crate::help::command();
    command.build();
    let mut written = Vec::new();
    let man = dir.join("man/man1");
    fs::create_dir_all(&man).map_err(|e| Error::io(&man, e))?;
    for page in pages(&command) {
        let name = page.get_display_name().unwrap_or(page.get_name()).to_string();
        let path = man.join(format!("{name}.1"));
        let mut text = Vec::new();
        clap_mangen::Man::new(page).render(&mut text).map_err(|e| Error::io(&path, e))?;
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path.display().to_string());
    }
    for (shell, sub, file) in [
        (Shell::Bash, "bash-completion/completions", "dossier"),
        (Shell::Zsh, "zsh/vendor-completions", "_dossier"),
        (Shell::Fish, "fish/vendor_completions.d", "dossier.fish"),
    ] {
        let folder = dir.join(sub);
        fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let path = folder.join(file);
        let mut text = Vec::new();
        clap_complete::generate(shell, &mut command.clone(), "dossier", &mut text);
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// `dossier` itself, then one page per visible subcommand (`help` too, which `dossier(1)` lists).
/// Once built, a subcommand's display name is the page's name as `man` looks it up
/// (`dossier-export`) and its binary name the synopsis (`dossier export`); its own subcommands
/// (`dossier case add`) are listed on the family's page.
fn pages(command: &clap::Command) -> Vec<clap::Command> {
    let visible = command.get_subcommands().filter(|sub| !sub.is_hide_set()).cloned();
    std::iter::once(command.clone()).chain(visible).collect()
}
