// Reads the app's commands from where they are declared, the `#[tauri::command]` functions of
// src/commands/ (build/commands.rs), and writes what must list them: the handler list lib.rs includes,
// the TypeScript functions the UI calls (compared with ui/src/lib/commands.ts by a test), and the names
// given to tauri_build, which declares one `allow-…` permission per command for capabilities/main.json.

#[path = "build/commands.rs"]
mod commands;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build/commands.rs");
    println!("cargo:rerun-if-changed=src/commands");
    println!("cargo:rerun-if-changed=../ui/src/lib/bindings.ts");
    if let Err(e) = generate() {
        println!("cargo::error={e}");
    }
}

fn generate() -> Result<(), String> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    let declared = commands::read(std::path::Path::new("src/commands"))?;
    let bindings = std::fs::read_to_string("../ui/src/lib/bindings.ts").map_err(|e| format!("bindings.ts: {e}"))?;
    let write = |name: &str, text: String| std::fs::write(out.join(name), text).map_err(|e| format!("{name}: {e}"));
    write("handlers.rs", commands::handlers(&declared))?;
    write("command_names.rs", commands::names(&declared))?;
    write("commands.ts", commands::typescript(&declared, &bindings)?)?;
    // tauri_build keeps the names for the whole build: leaked, as a build script ends right after.
    let names: Vec<&'static str> =
        declared.commands.into_iter().map(|c| &*Box::leak(c.name.into_boxed_str())).collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice()))),
    )
    .map_err(|e| format!("tauri build: {e}"))
}
