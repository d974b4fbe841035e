//! What `--help` says of the options whose form matters (dates, parties, tags, positions), written
//! once and shared by every subcommand that takes them; and the test that no option or argument of
//! any subcommand goes without help, so the manual pages generated from these definitions are whole.

/// The long help of every date option: each form `dossier date` understands.
pub const DATE: &str = "A date as precise as it is known, kept as fuzzy as it is:
  2023                  the year
  2023-03               the month (March 2023)
  2023-05-18            the day
  2023-05-18T14:30+02:00  an instant, with its zone
  ~2023-04              about then (about April 2023)
  <2023-06-07           before (before 7 June 2023)
  >2023-02              after (after February 2023)
  2023-01..2023-04      somewhere between
`dossier date TEXT` shows how a text is understood; `dossier date --help` lists the forms in English
and French.";

/// `dossier date --help`: every form of a date, and how Dossier says it in English and in French.
pub const DATES: &str = "Show how a date is understood, in English and French words, with the range it covers.

Dates are kept as fuzzy as they are known. Every date option (--date, --from, --to, --effective,
--terminated, --deadline) and every date in a CSV or a bundle takes these forms:

  typed                     means                 shown
  2023                      the year              2023
  2023-03                   the month             March 2023 / mars 2023
  2023-05-18                the day               18 May 2023 / 18 mai 2023
  2023-05-18T14:30+02:00    an instant, its zone  18 May 2023, 14:30 (UTC+02:00)
  ~2023-04                  about then            about April 2023 / vers avril 2023
  <2023-06-07               before                before 7 June 2023 / avant le 7 juin 2023
  >2023-02                  after                 after February 2023 / après février 2023
  2023-01..2023-04          somewhere between     between January and April 2023 /
                                                  entre janvier et avril 2023

Dates in words are read in both languages, as Dossier writes them and as people type them:
18 mai 2023, le 1er janvier 2024, May 18, 2023, mai 2023, vers avril 2023, before 7 June 2023,
après février 2023, entre le 3 et le 9 mai 2023, early / mid / late 2023 (début, mi-, fin: a third
of the year or of a month), mi-mars 2023, Q2 2023 / T2 2023. A numeric date such as 31/12/2023 or
12/31/2023 is read whichever way names a day; one that reads both ways (05/06/2023) is read day first
by `dossier --lang fr date`, and otherwise refused with both readings.

The timeline orders by where a date sits (about: at its date; before: at it, ahead of what is there;
after: at its end), then finer precision first, then each record's --position.

Examples:
  dossier date '~2023-04'
  dossier --lang fr date '<2023-06-07'
  dossier date 'vers avril 2023' --lang fr --json";

/// `dossier log-key --help`: where the key is kept, why, and how it moves.
pub const LOG_KEY: &str = "Where this installation's change-log key is kept, and its id; move it (no database needed).

Every change-log entry of a plaintext database is sealed with this installation's own key, kept outside
the database folder (an encrypted database's entries are sealed with a key its passphrase opens). The
key is made on the first write: in the user's keyring (the Secret Service's default collection: GNOME
Keyring, KWallet, KeePassXC) when one answers within 2 s and is already unlocked, else in the file
log.key in the configuration folder, mode 0600. When it is in the keyring, log.key holds only its id,
so the app and the CLI always seal with the same key. The keyring is never asked to unlock (no
prompt): where it is locked or cannot be reached (a login over ssh), writes are refused with the reason
and nothing is written; reading and `check` still work. Moving the key keeps it the same key, so every
seal stays valid.

Examples:
  dossier log-key                # where the key is, its id, and whether it can be read now
  dossier log-key --to-file      # keep it in log.key: for ssh, scripts and sessions without a keyring
  dossier log-key --to-keyring   # keep it in the keyring; log.key then only names it";

/// The long help of every option that names a party.
pub const PARTY: &str = "A party, by its id, its name or one of its aliases (names are matched ignoring case).
Repeat the option for several parties: --party Twitter --party \"Elon Musk\".";

/// The long help of every tag option.
pub const TAG: &str = "A tag, a free word or short phrase that groups records across kinds (fees, audit).
Repeat the option for several tags: --tag fees --tag audit.";

/// The command line, its long help composed: an option whose long help is one of the shared texts
/// above says first what it is for (its own line of help), then the shared text. Written once per
/// option, as a doc comment and a marker, and put together here.
pub fn command() -> clap::Command {
    compose(<crate::Cli as clap::CommandFactory>::command()).version(version())
}

/// `dossier --version`: the release, and the database schema this build reads and writes (what a
/// support request or an upgrade needs to know), e.g. `dossier 0.1.0 (database schema 11)`.
fn version() -> &'static str {
    let text = format!("{} (database schema {})", env!("CARGO_PKG_VERSION"), dossier_core::store::schema_version());
    // Built once per process, for clap, which keeps `&'static str`s without its `string` feature.
    Box::leak(text.into_boxed_str())
}

fn compose(mut command: clap::Command) -> clap::Command {
    let shared = [DATE, PARTY, TAG];
    let composed: Vec<(clap::Id, String)> = command
        .get_arguments()
        .filter_map(|arg| {
            let long = arg.get_long_help()?.to_string();
            let own = arg.get_help()?.to_string();
            shared.contains(&long.as_str()).then(|| (arg.get_id().clone(), format!("{own}\n\n{long}")))
        })
        .collect();
    for (id, text) in composed {
        command = command.mut_arg(id, |arg| arg.long_help(text));
    }
    let names: Vec<String> = command.get_subcommands().map(|sub| sub.get_name().to_string()).collect();
    for name in names {
        command = command.mut_subcommand(name, compose);
    }
    command
}

#[cfg(test)]
mod tests {

    /// Every option and positional argument of `command` and of its subcommands, at any depth, that
    /// has no help, as `subcommand path --option`.
    fn without_help(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                let name = match arg.get_long() {
                    Some(long) => format!("--{long}"),
                    None => arg.get_id().to_string().to_uppercase(),
                };
                missing.push(format!("{path} {name}").trim().to_string());
            }
        }
        for sub in command.get_subcommands() {
            without_help(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }

    /// Guards "Every CLI option says what it takes": no option or argument of any subcommand lands
    /// without a line of help.
    #[test]
    fn every_option_and_argument_has_help() {
        let mut missing = Vec::new();
        without_help(&super::command(), "dossier", &mut missing);
        assert!(missing.is_empty(), "{} without help:\n{}", missing.len(), missing.join("\n"));
    }

    /// Guards: `dossier letter add --help` reads like a small manual page: each option says what it
    /// takes, and the date option gives its forms.
    #[test]
    fn letter_add_help_reads_like_a_manual_page() {
        let mut cli = super::command();
        let letter = cli.find_subcommand_mut("letter").and_then(|l| l.find_subcommand_mut("add")).expect("letter add");
        let help = letter.render_long_help().to_string();
        for expected in
            ["--to", "addressed to", "--deadline", "When an answer is due", "~2023-04", "<2023-06-07", "alias"]
        {
            assert!(help.contains(expected), "{expected} missing from:\n{help}");
        }
    }
}
