//! `dossier team` and `dossier sync`: a database shared by a team through a PostgreSQL server, end to
//! end sealed. The server's SQL for its administrator, a space started or joined, members added and
//! removed, conflicts listed and settled, a restored server repaired; the sync itself, once or as
//! long as the command runs (`--watch`), woken by the server's notifications and every minute.

use std::time::Duration;

use clap::{Args, Subcommand};
use dossier_core::store::sync::keys::JoinRequest;
use dossier_core::store::sync::{files, local, Keep, Synced};
use dossier_core::{Error, Result, Store};
use dossier_team::{Listener, Server};

use crate::output::Out;

#[derive(Subcommand)]
pub enum TeamCmd {
    /// Print the SQL a database administrator runs once on the team's PostgreSQL server (roles, tables,
    /// row-level security, the append trigger): `dossier team server-sql | psql -d dossier`.
    ServerSql {
        /// Also create this PostgreSQL login and make it a member (it still needs a password: ALTER ROLE).
        #[arg(long)]
        role: Option<String>,
    },
    /// Start a team space on the server URL with this database's record in it; prints the space's id last.
    Init {
        /// The server: any connection string libpq accepts (postgres://user@host/db?sslmode=verify-full,
        /// or "host=/run/postgresql user=carla dbname=dossier").
        url: String,
        /// The space's name.
        #[arg(long)]
        name: String,
        /// Your name, as the others see it (default: the system user).
        #[arg(long)]
        person: Option<String>,
    },
    /// Make this device's keys and print the join request to hand an admin, with six words to read to
    /// them so they can check it arrived unchanged.
    Keygen {
        /// Your name, as the others see it (default: the system user).
        #[arg(long)]
        person: Option<String>,
    },
    /// Add a member (admins): REQUEST is the join request they sent (its text, or a file holding it).
    /// Check the words it prints with them, by phone or in person, before they join.
    Add {
        /// The join request (`dossier-join:1:…`), or a file holding it (a saved `team keygen` output).
        request: String,
        /// What the member may do: admin (also manage members), editor (write), reader (read only).
        #[arg(long, value_parser = ["admin", "editor", "reader"])]
        role: String,
        /// The member's own PostgreSQL login, when each person has one (default: the one you use).
        #[arg(long)]
        pg_role: Option<String>,
    },
    /// Join the space ID on the server URL, once an admin added you; the database must be a new file.
    Join {
        /// The server, as your admin gave it: any connection string libpq accepts.
        url: String,
        /// The space's id, as `team init` printed it.
        #[arg(long)]
        space: String,
    },
    /// Where this database stands: the space, your role, writes waiting to be sent, conflicts, the head
    /// as six words to compare with a colleague.
    Status,
    /// The members, their roles and devices.
    Members,
    /// Your changes that met a colleague's and wait for you.
    Conflicts,
    /// Settle a conflict: keep the space's version (theirs) or yours (mine, sent with the next sync).
    Resolve {
        /// The record's id, as `team conflicts` lists it.
        record_id: String,
        /// mine: your version, written over the space's; theirs: the space's, as it is.
        #[arg(long, value_parser = ["mine", "theirs"])]
        keep: String,
    },
    /// Remove a member (admins), by name or the start of the device id; the space key is renewed.
    Remove {
        /// The member's name, or the start of their device id (`team members`).
        member: String,
    },
    /// Give a server restored from an older backup the entries it lost (their signatures still hold).
    Repair,
}

#[derive(Args)]
pub struct SyncArgs {
    /// Keep syncing as the others write (woken by the server, and every minute), until stopped.
    #[arg(long)]
    watch: bool,
}

/// The SQL of `team server-sql`, which needs no database.
pub fn server_sql(role: Option<&str>) -> Result<()> {
    print!("{}", dossier_team::server_sql(role));
    Ok(())
}

/// The server of the space this database belongs to.
pub fn relay(store: &Store) -> Result<Server> {
    let space = local::space_or_refuse(store.reader())?;
    Server::open(&space.url, local::space_id(&space)?)
}

fn person(given: Option<String>) -> String {
    given.or_else(|| std::env::var("USER").ok()).filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "member".into())
}

fn space_id(text: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text.trim()).map_err(|_| {
        Error::invalid(
            "space",
            dossier_core::error::Invalid::rule("team_space", Some(text.into()), "is not a space id (a UUID)"),
        )
    })
}

pub fn run(store: &mut Store, out: &Out, cmd: TeamCmd) -> Result<()> {
    match cmd {
        TeamCmd::ServerSql { role } => server_sql(role.as_deref()),
        TeamCmd::Keygen { person: who } => {
            let request = store.team_keygen(&person(who))?;
            let text = request.to_text();
            let words = request.words();
            out.either(
                &serde_json::json!({ "person": request.person, "request": text, "words": words }),
                &[
                    text.clone(),
                    format!("words: {words}"),
                    "Send the line above to an admin of the space, then read them the six words.".into(),
                ],
            )
        }
        TeamCmd::Init { url, name, person: who } => {
            if local::device(store.reader())?.is_none() {
                store.team_keygen(&person(who))?;
            }
            let device = local::device_or_refuse(store.reader())?;
            let id = uuid::Uuid::now_v7();
            let mut server = Server::create(&url, id, device.id())?;
            store.team_init(&mut server, id, &name, &url)?;
            let synced = store.sync(&mut server)?;
            out.either(
                &serde_json::json!({ "space": id.to_string(), "name": name, "sent": synced.pushed }),
                &[format!("started the team space '{name}': {} writes sent", synced.pushed), id.to_string()],
            )
        }
        TeamCmd::Add { request, role, pg_role } => {
            let text = match std::fs::metadata(&request) {
                Ok(meta) if meta.is_file() && meta.len() <= 4096 => {
                    std::fs::read_to_string(&request).map_err(|e| Error::io(&request, e))?
                }
                _ => request,
            };
            // A saved `team keygen` output holds the request on one line among others.
            let line = text.lines().find(|l| l.trim_start().starts_with("dossier-join:")).unwrap_or(&text);
            let request = JoinRequest::parse(line)?;
            let mut server = relay(store)?;
            let member = store.team_add(&mut server, &request, &role, pg_role.as_deref())?;
            out.either(
                &member,
                &[
                    format!("added {} as {} (device {})", member.person, member.role, &member.device[..8]),
                    format!("words: {} — they must match the words {} read you", request.words(), member.person),
                ],
            )
        }
        TeamCmd::Join { url, space } => {
            let id = space_id(&space)?;
            let mut server = Server::open(&url, id)?;
            let synced = store.team_join(&mut server, id, &url)?;
            let status = store.team_status()?;
            out.either(
                &status,
                &[
                    format!("joined '{}': {} entries taken in", status.space.name, synced.pulled),
                    format!("head words: {} — compare them with a colleague's", status.head_words),
                ],
            )
        }
        TeamCmd::Status => {
            let status = store.team_status()?;
            let lines = vec![
                format!("space: {} ({})", status.space.name, status.space.id),
                format!(
                    "you: {} ({}), device {}",
                    status.person,
                    status.role,
                    &status.device[..status.device.len().min(8)]
                ),
                format!("head: entry {} — {}", status.space.head_seq, status.head_words),
                format!("waiting to be sent: {}", status.waiting),
                format!("conflicts: {}", status.conflicts),
                format!("files in the space not fetched here: {}", files::unfetched(store.reader())?.len()),
            ];
            out.either(&status, &lines)
        }
        TeamCmd::Members => {
            let members = local::members(store.reader())?;
            out.list(&members, |m| {
                let state = if m.until_seq.is_some() { "removed" } else { m.role.as_str() };
                format!("{}  {}  device {}", m.person, state, &m.device[..8])
            })
        }
        TeamCmd::Conflicts => {
            let conflicts = local::conflicts(store.reader())?;
            out.list(&conflicts, |c| format!("{}  {}  {}", c.record_id, c.kind, c.fields.join(", ")))
        }
        TeamCmd::Resolve { record_id, keep } => {
            let keep = if keep == "mine" { Keep::Mine } else { Keep::Theirs };
            store.team_resolve(record_id.trim(), keep)?;
            let line = match keep {
                Keep::Mine => format!("kept your version of {}: it is sent with the next sync", record_id.trim()),
                Keep::Theirs => format!("kept the space's version of {}", record_id.trim()),
            };
            out.either(&serde_json::json!({ "record_id": record_id.trim(), "kept": if keep == Keep::Mine { "mine" } else { "theirs" } }), &[line])
        }
        TeamCmd::Remove { member } => {
            let mut server = relay(store)?;
            let removed = store.team_remove(&mut server, member.trim())?;
            out.either(
                &removed,
                &[format!(
                    "removed {} (device {}); the space key was renewed. What they already synced stays with them.",
                    removed.person,
                    &removed.device[..8]
                )],
            )
        }
        TeamCmd::Repair => {
            let mut server = relay(store)?;
            let restored = store.team_repair(&mut server)?;
            let head = store.team_status()?.head_words;
            out.either(
                &serde_json::json!({ "restored": restored, "head_words": head }),
                &[format!("gave the server back {restored} entries; head words: {head}")],
            )
        }
    }
}

/// `dossier sync`: pull, rebase, push; with `--watch`, again whenever the server says something was
/// appended, and every minute (notifications are lost while disconnected), until stopped.
pub fn sync(store: &mut Store, out: &Out, args: SyncArgs) -> Result<()> {
    let mut server = relay(store)?;
    let synced = store.sync(&mut server)?;
    say(out, &synced)?;
    if !args.watch {
        return Ok(());
    }
    let space = local::space_or_refuse(store.reader())?;
    let mut listener = Listener::open(&space.url, local::space_id(&space)?)?;
    loop {
        let _woken = listener.wait(Duration::from_secs(60))?;
        let synced = store.sync(&mut server)?;
        if synced.pulled + synced.pushed > 0 {
            say(out, &synced)?;
        }
    }
}

fn say(out: &Out, synced: &Synced) -> Result<()> {
    let mut line = format!("sent {}, received {}; head: entry {}", synced.pushed, synced.pulled, synced.head_seq);
    if synced.refused > 0 {
        line.push_str(&format!("; {} entries refused by the space's rules", synced.refused));
    }
    if synced.conflicts > 0 {
        line.push_str(&format!("; {} conflicts wait for you (`dossier team conflicts`)", synced.conflicts));
    }
    out.either(synced, &[line])
}

/// `dossier evidence fetch`: the files of one piece of evidence, of a case, or all the space has
/// that this device lacks.
pub fn fetch(store: &mut Store, out: &Out, id: Option<String>, case: Option<String>, all: bool) -> Result<()> {
    let shas: Vec<String> = match (id, case, all) {
        (Some(id), _, _) => {
            store.reader().strings("SELECT sha256 FROM evidence_file WHERE evidence_id = ?1", [id.trim()])?
        }
        (None, Some(case), _) => {
            let case_id = dossier_core::record::case::resolve(store.reader(), &case)?;
            store.reader().strings("SELECT sha256 FROM evidence_file WHERE case_id = ?1", [case_id])?
        }
        (None, None, true) => Vec::new(),
        (None, None, false) => {
            return Err(Error::invalid(
                "fetch",
                dossier_core::error::Invalid::rule("fetch_what", None, "give an evidence id, --case SLUG or --all"),
            ))
        }
    };
    let wanted: Vec<String> = shas.into_iter().filter(|s| !store.blobs().contains(s)).collect();
    if wanted.is_empty() && !all {
        return out.either(&files::Fetched::default(), &["every file asked for is here already".into()]);
    }
    let mut server = relay(store)?;
    let fetched = store.team_fetch(&mut server, &wanted)?;
    let files = if fetched.files == 1 { "1 file".to_string() } else { format!("{} files", fetched.files) };
    let mut lines = vec![format!("fetched {files} ({} bytes), each checked against its SHA-256", fetched.bytes)];
    if !fetched.not_in_space.is_empty() {
        lines.push(format!(
            "{} files are not in the space yet: their sender has not synced since adding them",
            fetched.not_in_space.len()
        ));
    }
    out.either(&fetched, &lines)
}
