//! The Dossier desktop app: a thin Tauri v2 shell over `dossier-core`. It opens the database at the
//! per-user data location (loading the demo cases into a new one), registers the commands of one
//! module per domain (listed by build.rs from their declarations) and the plugins the shell uses (file
//! dialog, opener, notifications for deadline reminders). No business rule lives here.

mod commands;
mod error;
mod paths;
mod reading;
mod reminders;
mod state;
mod viewer;
mod webcapture;

pub use error::ApiError;

use tauri::Manager;

/// Runs the app. `main` calls it first, before any thread exists (it sets an environment variable).
pub fn run() {
    paint_without_compositing();
    tauri::Builder::default()
        // The window only ever shows the app: a link inside a record (say, in an imported e-mail)
        // must not navigate it to an outside page that could pose as Dossier. The capture window
        // shows web pages, and only them (`webcapture`).
        .plugin(
            tauri::plugin::Builder::<tauri::Wry>::new("navigation-guard")
                .on_navigation(|webview, url| match webview.label() {
                    webcapture::LABEL => webcapture::may_show(url),
                    _ => is_app_url(url),
                })
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .register_asynchronous_uri_scheme_protocol(viewer::SCHEME, viewer::handle)
        .setup(|app| {
            let path = state::database_path()?;
            app.manage(state::AppState::open(&path)?);
            app.manage(paths::Paths::from_env());
            app.manage(commands::transfer::Imports::default());
            app.manage(commands::transfer::Exports::default());
            app.manage(webcapture::Window::default());
            // Copies of evidence handed to other programs by an earlier run go once they are old
            // (`evidence::sweep_viewer_copies`), off the main thread like all file work.
            tauri::async_runtime::spawn_blocking(dossier_core::record::evidence::sweep_viewer_copies);
            // Documents left waiting (added with the app closed, or before an upgrade) are read now.
            let reading = reading::Reading::default();
            reading.start(app.handle().clone());
            reading.wake();
            app.manage(reading);
            reminders::start(app.handle().clone());
            // Files dropped on the window are paths the user gave to be read: remembered first, then
            // announced to the page, which imports or attaches them. A drop never grants writing.
            let handle = app.handle().clone();
            if let Some(window) = app.get_webview_window("main") {
                window.on_window_event(move |event| match event {
                    tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                        handle.state::<paths::Paths>().grant(paths::Access::Read, paths.iter().cloned());
                        commands::events::FILES_DROPPED.emit(&handle, paths.clone());
                    }
                    // The capture window goes with the main window: it never outlives the app's.
                    tauri::WindowEvent::Destroyed => webcapture::close_now(&handle),
                    _ => {}
                });
            }
            Ok(())
        })
        // Every #[tauri::command] of src/commands/, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
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

    /// The commands, as build.rs read them from src/commands/.
    const COMMANDS: &[&str] = include!(concat!(env!("OUT_DIR"), "/command_names.rs"));

    /// Every file of the UI's sources but its tests and the files named in `except`, concatenated.
    fn ui_sources(except: &[&str]) -> String {
        ui_files(except).into_iter().map(|(_, text)| text).collect()
    }

    /// The UI's sources (tests left out, and the files `except` names), each with its path under ui/src.
    fn ui_files(except: &[&str]) -> Vec<(String, String)> {
        let root = std::path::PathBuf::from(format!("{}/../ui/src", env!("CARGO_MANIFEST_DIR")));
        let mut out = Vec::new();
        let mut todo = vec![root.clone()];
        while let Some(dir) = todo.pop() {
            for entry in std::fs::read_dir(&dir).expect("ui/src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                } else if path.extension().is_some_and(|e| e == "ts" || e == "svelte")
                    && !path.to_string_lossy().contains("/test/")
                    && !except.iter().any(|e| path.ends_with(e))
                {
                    let name = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().into_owned();
                    out.push((name, std::fs::read_to_string(&path).expect("a source")));
                }
            }
        }
        out
    }

    /// Guards the window's configuration: the CSP is exactly the strict one, the prototype is frozen,
    /// no global Tauri object, no devtools, and the only permissions beside the app's own commands are
    /// plugin permissions the UI uses.
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
        let ui = ui_sources(&[]);
        for permission in capability["permissions"].as_array().expect("permissions") {
            let permission = permission.as_str().expect("a permission name");
            if !permission.starts_with("allow-") {
                let (_, used_by) = PLUGIN_PERMISSIONS
                    .iter()
                    .find(|(p, _)| *p == permission)
                    .unwrap_or_else(|| panic!("{permission} is granted but not one the UI is known to use"));
                assert!(ui.contains(used_by), "{permission} is granted but the UI never calls {used_by}");
            }
        }
    }

    /// Guards: the capability grants the plugin permissions the UI uses and then each command's own
    /// permission, in the order the commands are declared, and nothing else; and tauri_build's
    /// permission files (`permissions/autogenerated/`) are those of today's commands, none left over
    /// from a command that is gone. Rewritten with DOSSIER_UPDATE_BINDINGS=1.
    #[test]
    fn the_capability_grants_exactly_the_declared_commands() {
        let path = format!("{}/capabilities/main.json", env!("CARGO_MANIFEST_DIR"));
        let mut capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).expect("capabilities/main.json");
        let wanted: Vec<serde_json::Value> = PLUGIN_PERMISSIONS
            .iter()
            .map(|(p, _)| p.to_string())
            .chain(COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))))
            .map(serde_json::Value::String)
            .collect();
        capability["permissions"] = serde_json::Value::Array(wanted);
        let fresh = serde_json::to_string_pretty(&capability).expect("JSON") + "\n";
        if std::env::var_os("DOSSIER_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        assert!(
            read("capabilities/main.json") == fresh,
            "capabilities/main.json does not grant exactly the declared commands: run \
             DOSSIER_UPDATE_BINDINGS=1 cargo test -p dossier-app --lib"
        );

        let dir = format!("{}/permissions/autogenerated", env!("CARGO_MANIFEST_DIR"));
        let files: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".toml").map(String::from))
            .collect();
        let declared: BTreeSet<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
        let left_over: Vec<&String> = files.difference(&declared).collect();
        let missing: Vec<&String> = declared.difference(&files).collect();
        assert!(
            left_over.is_empty() && missing.is_empty(),
            "permissions/autogenerated/: delete the files of no command {left_over:?}; a build writes those lacking {missing:?}"
        );
    }

    /// Guards the capture window (`webcapture`), which shows a stranger's page: the one capability
    /// there is names the main window only, by label, and admits no remote origin, so no command or
    /// event answers any other window or any web page; and the capture window is not labelled "main".
    #[test]
    fn only_the_main_window_is_granted_anything() {
        let dir = format!("{}/capabilities", env!("CARGO_MANIFEST_DIR"));
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        assert_eq!(files, ["main.json"], "one capability, for the main window");
        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).expect("capabilities/main.json");
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        for key in ["webviews", "remote", "platforms"] {
            assert!(capability.get(key).is_none(), "the capability must not name {key}");
        }
        let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).expect("tauri.conf.json");
        assert_eq!(conf["app"]["security"]["capabilities"], serde_json::json!(["main"]));
        assert_ne!(super::webcapture::LABEL, "main");
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

    /// Guards: `ui/src/lib/commands.ts` is what build.rs writes from the commands today, so a command
    /// added, removed or given another parameter, or a parameter renamed, changes the UI's functions
    /// (and fails svelte-check where they are called) rather than failing in the running app.
    /// Rewritten with DOSSIER_UPDATE_BINDINGS=1.
    #[test]
    fn the_ui_functions_are_those_of_the_declared_commands() {
        let fresh = include_str!(concat!(env!("OUT_DIR"), "/commands.ts"));
        let path = format!("{}/../ui/src/lib/commands.ts", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("DOSSIER_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, fresh).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        assert!(
            std::fs::read_to_string(&path).unwrap_or_default() == fresh,
            "ui/src/lib/commands.ts is stale: run DOSSIER_UPDATE_BINDINGS=1 cargo test -p dossier-app --lib"
        );
    }

    /// Guards the aesthetics review's §3.5: every command's function (and every event's listener) is
    /// used by some screen (through `api`), so the page is granted no command it has no use for.
    #[test]
    fn every_command_is_called_by_the_ui() {
        // Not the functions' own file, nor `api.ts`, where a wrapper calls the function it wraps.
        let ui = ui_sources(&["lib/commands.ts", "lib/api.ts"]);
        let functions: Vec<&str> = include_str!(concat!(env!("OUT_DIR"), "/commands.ts"))
            .lines()
            .filter_map(|l| l.strip_prefix("export function "))
            .filter_map(|rest| rest.split('(').next())
            .collect();
        // An event's listener is `onName`; every other function is a command's.
        let is_listener = |f: &&str| f.strip_prefix("on").is_some_and(|rest| rest.starts_with(char::is_uppercase));
        assert_eq!(functions.iter().filter(|f| !is_listener(f)).count(), COMMANDS.len(), "one function per command");
        // Called (`api.f(…)`) or handed on to be called (`stop: api.f,`): `.f` as a whole name.
        let used = |f: &str| {
            let member = format!(".{f}");
            ui.match_indices(&member)
                .any(|(at, _)| !ui[at + member.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        };
        let unused: Vec<&str> = functions.into_iter().filter(|f| !used(f)).collect();
        assert!(unused.is_empty(), "commands no screen of ui/src calls (drop them, or call them): {unused:?}");
    }

    /// Guards: the page calls the shell and hears its events only through the generated functions,
    /// so no command or event name is spelt by hand anywhere else.
    #[test]
    fn the_page_invokes_and_listens_only_through_the_generated_functions() {
        for (file, text) in ui_files(&["lib/commands.ts"]) {
            for call in ["invoke(", "invoke<", "listen(", "listen<"] {
                assert!(!text.contains(call), "ui/src/{file} calls `{call}` itself: use the generated function");
            }
        }
    }
}
