//! The `dossier` command-line tool; everything it does lives in `dossier_core::cli`.

fn main() {
    std::process::exit(dossier_core::cli::main());
}
