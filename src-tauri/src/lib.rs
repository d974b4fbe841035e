//! The Dossier desktop app: a thin Tauri v2 shell over `dossier-core`. It opens the database at the
//! per-user data location (loading the demo cases into a new one), registers one command module per
//! domain, and the plugins the UI uses (file dialog, opener). No business rule lives here.

mod commands;
mod error;
mod state;

pub use error::ApiError;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        // The window only ever shows the app: a link inside a record (say, in an imported e-mail)
        // must not navigate it to an outside page that could pose as Dossier.
        .plugin(
            tauri::plugin::Builder::<tauri::Wry>::new("navigation-guard")
                .on_navigation(|_, url| is_app_url(url))
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let path = state::database_path()?;
            app.manage(state::AppState::open(&path)?);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::case::list_cases,
            commands::case::get_case,
            commands::case::get_case_overview,
            commands::case::create_case,
            commands::case::update_case,
            commands::case::delete_case,
            commands::party::list_parties,
            commands::party::get_party,
            commands::party::create_party,
            commands::party::update_party,
            commands::party::delete_party,
            commands::party::list_case_roles,
            commands::party::add_case_role,
            commands::party::remove_case_role,
            commands::agreement::list_agreements,
            commands::agreement::get_agreement,
            commands::agreement::create_agreement,
            commands::agreement::update_agreement,
            commands::agreement::delete_agreement,
            commands::agreement::add_clause,
            commands::agreement::update_clause,
            commands::agreement::delete_clause,
            commands::letter::list_threads,
            commands::letter::get_letter,
            commands::letter::create_letter,
            commands::letter::update_letter,
            commands::letter::delete_letter,
            commands::allegation::list_allegations,
            commands::allegation::get_allegation,
            commands::allegation::create_allegation,
            commands::allegation::update_allegation,
            commands::allegation::delete_allegation,
            commands::allegation::set_allegation_status,
            commands::response::list_responses,
            commands::response::get_response,
            commands::response::create_response,
            commands::response::update_response,
            commands::response::delete_response,
            commands::event::list_events,
            commands::event::get_event,
            commands::event::create_event,
            commands::event::update_event,
            commands::event::delete_event,
            commands::evidence::list_evidence,
            commands::evidence::get_evidence,
            commands::evidence::add_evidence_file,
            commands::evidence::create_evidence,
            commands::evidence::update_evidence,
            commands::evidence::delete_evidence,
            commands::evidence::link_evidence,
            commands::evidence::unlink_evidence,
            commands::evidence::list_record_evidence,
            commands::evidence::open_evidence,
            commands::timeline::get_timeline_page,
            commands::timeline::get_axis,
            commands::date::describe_date,
            commands::date::render_markdown,
            commands::search::search_records,
            commands::transfer::export_case,
            commands::transfer::import_file,
            commands::lock::get_lock_status,
            commands::lock::unlock,
            commands::lock::lock,
            commands::lock::encrypt_database,
            commands::lock::change_passphrase,
            commands::proof::backup_database,
            commands::proof::get_last_backup,
            commands::proof::check_record,
            commands::proof::get_history,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("dossier: {e}");
            std::process::exit(1);
        });
}

/// The app's own pages: `tauri://localhost` on Linux and macOS, `http(s)://tauri.localhost` on Windows.
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        "about" => url.path() == "blank",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn read(relative: &str) -> String {
        let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The words that follow `marker` up to the first character that cannot be in a command name.
    fn names_after(text: &str, marker: &str) -> BTreeSet<String> {
        text.match_indices(marker)
            .map(|(at, _)| {
                let rest = &text[at + marker.len()..];
                rest[..rest.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(rest.len())].to_string()
            })
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// Guards the security review's finding 13: the window navigates only to the app's own origin,
    /// never to another host under the app's scheme (`//host` links resolve to `tauri://host/…`).
    #[test]
    fn only_the_apps_own_origin_is_navigable() {
        let ok = |u: &str| super::is_app_url(&tauri::Url::parse(u).expect("a URL"));
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/"));
        assert!(!ok("tauri://evil.example/share/x"));
        assert!(!ok("https://evil.example/"));
        assert!(!ok("file:///etc/passwd"));
    }

    /// Guards: the commands the UI calls (`ui/src/lib/api.ts`), the ones the app registers
    /// (`generate_handler!`) and the ones it grants a permission for (`commands.txt`) are the same list, so
    /// a command added in one place only fails here rather than as a refusal in the running app.
    #[test]
    fn the_command_list_agrees_in_its_three_places() {
        let permitted: BTreeSet<String> =
            read("commands.txt").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        let lib = read("src/lib.rs");
        let handler = &lib[lib.find("generate_handler![").expect("the handler list")..];
        let handler = &handler[..handler.find(']').expect("the end of the handler list")];
        let registered: BTreeSet<String> = handler
            .split(',')
            .filter_map(|path| path.trim().rsplit("::").next())
            .filter(|n| !n.is_empty() && !n.contains('['))
            .map(String::from)
            .collect();
        let called = names_after(&read("../ui/src/lib/api.ts"), ">('");
        assert_eq!(registered, permitted, "generate_handler! and commands.txt");
        assert_eq!(called, registered, "ui/src/lib/api.ts and generate_handler!");
    }
}
