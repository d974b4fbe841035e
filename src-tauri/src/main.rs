// Hides the console window on Windows release builds; a no-op elsewhere.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // What a package manager, a support request or the package test asks, without a display.
    if std::env::args().nth(1).as_deref() == Some("--version") {
        println!("Dossier {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    dossier_app::run();
}
