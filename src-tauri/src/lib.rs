//! The Dossier desktop app: a thin Tauri v2 shell over `dossier-core`. It opens the database at the
//! per-user data location (loading the demo cases into a new one), registers one command module per
//! domain, and the plugins the UI uses (file dialog, opener). No business rule lives here.

mod commands;
mod error;
mod paths;
mod reading;
mod state;
mod viewer;

pub use error::ApiError;

use tauri::{Emitter, Manager};

/// Runs the app. `main` calls it first, before any thread exists (it sets an environment variable).
pub fn run() {
    paint_without_compositing();
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
        .register_asynchronous_uri_scheme_protocol(viewer::SCHEME, viewer::handle)
        .setup(|app| {
            let path = state::database_path()?;
            app.manage(state::AppState::open(&path)?);
            app.manage(paths::Paths::from_env());
            app.manage(commands::transfer::Imports::default());
            // Copies of evidence handed to other programs by an earlier run go once they are old
            // (`evidence::sweep_viewer_copies`), off the main thread like all file work.
            tauri::async_runtime::spawn_blocking(dossier_core::record::evidence::sweep_viewer_copies);
            // Documents left waiting (added with the app closed, or before an upgrade) are read now.
            let reading = reading::Reading::default();
            reading.start(app.handle().clone());
            reading.wake();
            app.manage(reading);
            // Files dropped on the window are paths the user gave to be read: remembered first, then
            // announced to the page, which imports or attaches them. A drop never grants writing.
            let handle = app.handle().clone();
            if let Some(window) = app.get_webview_window("main") {
                window.on_window_event(move |event| {
                    if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                        handle.state::<paths::Paths>().grant(paths::Access::Read, paths.iter().cloned());
                        let _ = handle.emit("files-dropped", paths);
                    }
                });
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::case::list_cases,
            commands::case::get_case_overview,
            commands::case::create_case,
            commands::case::update_case,
            commands::party::list_parties,
            commands::party::get_party,
            commands::party::create_party,
            commands::party::update_party,
            commands::party::delete_party,
            commands::party::list_case_roles,
            commands::party::add_case_role,
            commands::party::remove_case_role,
            commands::agreement::list_agreements,
            commands::agreement::list_agreements_page,
            commands::agreement::get_agreement,
            commands::agreement::create_agreement,
            commands::agreement::update_agreement,
            commands::agreement::delete_agreement,
            commands::agreement::add_clause,
            commands::agreement::update_clause,
            commands::agreement::delete_clause,
            commands::letter::list_threads,
            commands::letter::list_threads_page,
            commands::letter::get_letter,
            commands::letter::create_letter,
            commands::letter::update_letter,
            commands::letter::delete_letter,
            commands::allegation::list_allegations,
            commands::allegation::list_allegations_page,
            commands::allegation::get_allegation,
            commands::allegation::create_allegation,
            commands::allegation::update_allegation,
            commands::allegation::delete_allegation,
            commands::allegation::set_allegation_status,
            commands::response::get_response,
            commands::response::create_response,
            commands::response::update_response,
            commands::response::delete_response,
            commands::event::list_events,
            commands::event::get_event,
            commands::event::create_event,
            commands::event::update_event,
            commands::event::delete_event,
            commands::evidence::list_evidence_page,
            commands::evidence::get_evidence,
            commands::evidence::add_evidence_file,
            commands::evidence::stop_evidence_reading,
            commands::evidence::create_evidence,
            commands::evidence::update_evidence,
            commands::evidence::delete_evidence,
            commands::evidence::link_evidence,
            commands::evidence::unlink_evidence,
            commands::evidence::list_record_evidence,
            commands::evidence::open_evidence,
            commands::evidence::get_evidence_text,
            commands::evidence::read_evidence_text,
            commands::timeline::get_timeline_page,
            commands::timeline::get_timeline_slice,
            commands::timeline::get_timeline_outline,
            commands::timeline::get_axis,
            commands::date::describe_date,
            commands::date::describe_dates,
            commands::date::render_markdown,
            commands::search::search_records,
            commands::transfer::export_case,
            commands::transfer::check_publishing,
            commands::transfer::import_file,
            commands::transfer::cancel_import,
            commands::lock::get_lock_status,
            commands::lock::unlock,
            commands::lock::lock,
            commands::lock::encrypt_database,
            commands::lock::list_plaintext_copies,
            commands::lock::change_passphrase,
            commands::proof::backup_database,
            commands::files::choose_file,
            commands::files::choose_save_path,
            commands::proof::get_last_backup,
            commands::proof::check_record,
            commands::proof::get_history,
            commands::privacy::set_private,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("dossier: {e}");
            std::process::exit(1);
        });
}

/// Has WebKit paint the page itself instead of through its compositor, unless the user's environment
/// already says which (`WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps the compositor). The page is text,
/// lists and forms: no 3D, video or WebGL for a GPU to help with. Where no GPU driver serves WebKit (a
/// virtual machine, a remote desktop, a machine without one), it composites through Mesa's software
/// renderer, which costs far more than painting: on the 100,000-item case, a web process over 100 MiB
/// larger, more memory kept after scrolling and slower jumps (BENCHMARKS.md).
///
/// WebKit reads the variable when it starts, so the page is never composited. (The same policy set on
/// the window's settings once it exists comes after the page has started, and the web process keeps
/// its compositor's threads.)
fn paint_without_compositing() {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VARIABLE).is_none() {
        std::env::set_var(VARIABLE, "1");
    }
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

    /// What a CSP directive must allow exactly, and nothing more: the strict policy the page is built
    /// for (no inline or evaluated script or style, nothing fetched from elsewhere, no plugins,
    /// frames, form posts or base changes).
    const CSP: &[(&str, &str)] = &[
        ("default-src", "'self'"),
        ("script-src", "'self'"),
        ("style-src", "'self'"),
        ("img-src", "'self' data: evidence:"),
        ("font-src", "'self'"),
        ("connect-src", "ipc: http://ipc.localhost evidence:"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("form-action", "'none'"),
        ("frame-src", "'none'"),
    ];

    /// Permissions that are not one of the app's own commands, each with what in the UI uses it.
    const PLUGIN_PERMISSIONS: &[(&str, &str)] =
        &[("core:event:allow-listen", "@tauri-apps/api/event"), ("core:event:allow-unlisten", "@tauri-apps/api/event")];

    /// Every file of the UI's sources, concatenated.
    fn ui_sources() -> String {
        let mut out = String::new();
        let mut todo = vec![std::path::PathBuf::from(format!("{}/../ui/src", env!("CARGO_MANIFEST_DIR")))];
        while let Some(dir) = todo.pop() {
            for entry in std::fs::read_dir(&dir).expect("ui/src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                } else if path.extension().is_some_and(|e| e == "ts" || e == "svelte")
                    && !path.to_string_lossy().contains("/test/")
                {
                    out.push_str(&std::fs::read_to_string(&path).expect("a source"));
                }
            }
        }
        out
    }

    /// Guards the window's configuration: the CSP is exactly the strict one, the prototype is frozen,
    /// no global Tauri object, no devtools, and the capability grants the app's own commands (each
    /// one a command of `commands.txt`) plus only the plugin permissions the UI uses.
    #[test]
    fn the_csp_is_strict_and_the_capability_grants_only_what_is_used() {
        let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).expect("tauri.conf.json");
        let security = &conf["app"]["security"];
        let csp = security["csp"].as_object().expect("the CSP as directives");
        let wanted: BTreeSet<(String, String)> = CSP.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let found: BTreeSet<(String, String)> =
            csp.iter().map(|(k, v)| (k.clone(), v.as_str().expect("a directive").to_string())).collect();
        assert_eq!(found, wanted, "the CSP changed: every directive must stay as strict as listed here");
        for (_, value) in &found {
            for weak in ["unsafe-inline", "unsafe-eval", "*", "http:", "https:", "blob:"] {
                assert!(!value.split_whitespace().any(|v| v.contains(weak) && v != "http://ipc.localhost"), "{value}");
            }
        }
        assert_eq!(security["freezePrototype"], true);
        assert_eq!(conf["app"]["withGlobalTauri"], false);
        assert!(conf["app"]["windows"].as_array().expect("windows").iter().all(|w| w["devtools"] == false));

        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).expect("capabilities/main.json");
        let commands: BTreeSet<String> =
            read("commands.txt").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        let ui = ui_sources();
        for permission in capability["permissions"].as_array().expect("permissions") {
            let permission = permission.as_str().expect("a permission name");
            if let Some(command) = permission.strip_prefix("allow-") {
                assert!(
                    commands.contains(&command.replace('-', "_")),
                    "{permission} grants no command of commands.txt"
                );
            } else {
                let (_, used_by) = PLUGIN_PERMISSIONS
                    .iter()
                    .find(|(p, _)| *p == permission)
                    .unwrap_or_else(|| panic!("{permission} is granted but not one the UI is known to use"));
                assert!(ui.contains(used_by), "{permission} is granted but the UI never calls {used_by}");
            }
        }
        let granted: BTreeSet<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|c| c.replace('-', "_")))
            .collect();
        assert_eq!(granted, commands, "each command has its own permission, granted once");
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
