// Declares the app's own commands (listed once, in commands.txt) so that each gets an `allow-…`
// permission, granted one by one in capabilities/main.json.
fn main() {
    println!("cargo:rerun-if-changed=commands.txt");
    let commands: Vec<&'static str> = Box::leak(include_str!("commands.txt").to_string().into_boxed_str())
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let commands: &'static [&'static str] = Box::leak(commands.into_boxed_slice());
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build");
}
