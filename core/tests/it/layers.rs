//! Guards the core's layers (in the spirit of rust-analyzer's `tidy` tests): reads every source file,
//! finds the modules it names (`crate::…` and `super::…` paths, in code, not in comments), and fails
//! when a lower layer names a higher one, or when the modules name each other in a circle.
//!
//! The layers, bottom up, as ARCHITECTURE.md's code map gives them:
//! 0. `error`, `date`, `vocabulary`, `input`, `lookalike`, `markdown`: values and their rules;
//! 1. `store`: the database and the files;
//! 2. `care`: what is done to a database as a whole (backup, check, encryption), and `record`: one
//!    module per noun; both stand on the store, which names neither;
//! 3. `view`: read models;
//! 4. `transfer`, `demo`: files in and out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layer of a unit of the module graph; `None` for a module this test does not know (a new
/// top-level module must be placed in a layer here and in ARCHITECTURE.md).
fn layer(unit: &str) -> Option<u8> {
    let top = unit.split("::").next().unwrap_or(unit);
    Some(match top {
        "error" | "date" | "vocabulary" | "input" | "lookalike" | "markdown" | "extract" | "stem" | "grams"
        | "archive" | "pdfout" => 0,
        "store" => 1,
        "care" | "record" => 2,
        "view" => 3,
        "transfer" | "demo" | "fuzzing" | "generate" => 4,
        _ => return None,
    })
}

/// The unit a module path belongs to: the store is one unit (its insides are its own business), as is
/// each noun of `record`, each read model of `view` and each format family of `transfer`.
fn unit_of(path: &[String]) -> String {
    match path {
        [top, second, ..] if matches!(top.as_str(), "record" | "view" | "transfer") => format!("{top}::{second}"),
        [top, ..] => top.clone(),
        [] => String::new(),
    }
}

/// The module path of a source file: `src/record/letter.rs` is `record::letter`, `src/record/mod.rs`
/// is `record`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("a file under src");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    match last.strip_suffix(".rs") {
        Some("mod") | Some("lib") => {}
        Some(stem) => parts.push(stem.to_string()),
        None => parts.push(last),
    }
    parts
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line comments and doc comments; the core has no block
/// comments in code).
fn code(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Every module path named after `prefix::` in `code`, with `use` groups expanded:
/// `crate::{store::Reader, record::case}` gives `store::Reader` and `record::case`.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let needle = format!("{prefix}::");
    let mut from = 0;
    while let Some(at) = code[from..].find(&needle) {
        let start = from + at;
        from = start + needle.len();
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        walk(code, bytes, from, Vec::new(), &mut out);
    }
    out
}

/// Reads `a::b::{c, d::e}` from `i`, adding each full path to `out`.
fn walk(code: &str, bytes: &[u8], mut i: usize, mut path: Vec<String>, out: &mut Vec<Vec<String>>) {
    loop {
        if bytes.get(i) == Some(&b'{') {
            let mut depth = 0;
            let mut item_start = i + 1;
            for j in i..bytes.len() {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' | b',' if depth == 1 => {
                        let item = code[item_start..j].trim();
                        if !item.is_empty() {
                            let mut inner = Vec::new();
                            walk(item, item.as_bytes(), 0, path.clone(), &mut inner);
                            out.extend(inner);
                        }
                        item_start = j + 1;
                        if bytes[j] == b'}' {
                            return;
                        }
                    }
                    b'}' => depth -= 1,
                    _ => {}
                }
            }
            return;
        }
        let rest = &code[i..];
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if len == 0 {
            out.push(path);
            return;
        }
        path.push(rest[..len].to_string());
        i += len;
        if code[i..].starts_with("::") {
            i += 2;
        } else {
            out.push(path);
            return;
        }
    }
}

/// The unit-to-unit edges of the core, each with the file that makes it.
fn edges() -> BTreeMap<(String, String), PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut edges = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        if module.is_empty() {
            continue; // lib.rs only lists the modules
        }
        let text = code(&std::fs::read_to_string(&file).expect("read a source file"));
        let from = unit_of(&module);
        let parent = &module[..module.len().saturating_sub(1)];
        let mut named = paths_after(&text, "crate");
        for p in paths_after(&text, "super") {
            // `super::x` in `record/letter.rs` names `record::x`.
            let mut full = parent.to_vec();
            full.extend(p);
            named.push(full);
        }
        for path in named {
            let to = unit_of(&path);
            if !to.is_empty() && to != from {
                edges.entry((from.clone(), to)).or_insert_with(|| file.clone());
            }
        }
    }
    edges
}

/// Each edge from a module to one of a higher layer, or to or from a module in no layer, in words.
fn wrong_edges(edges: &BTreeMap<(String, String), PathBuf>) -> Vec<String> {
    let mut wrong = Vec::new();
    for ((from, to), file) in edges {
        match (layer(from), layer(to)) {
            (Some(a), Some(b)) if b > a => wrong.push(format!("{} (layer {a}) names {to} (layer {b})", file.display())),
            (None, _) => wrong.push(format!("{from} is in no layer: place it in layers.rs and ARCHITECTURE.md")),
            (_, None) => wrong.push(format!("{to} (named by {}) is in no layer", file.display())),
            _ => {}
        }
    }
    wrong
}

/// Guards: no module names a module of a higher layer (the store knows no noun, no care of a whole
/// database, the nouns no view…).
#[test]
fn no_layer_names_a_higher_one() {
    let wrong = wrong_edges(&edges());
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

/// Guards the store's knot staying untied: `Store` (store/mod.rs) and every file below it open,
/// read and write without naming backup, check or the encryption conversions, which use the store.
#[test]
fn the_store_names_no_care_module() {
    assert_eq!(layer("care::backup"), Some(2));
    let edge = |from: &str, to: &str, file: &str| ((from.to_string(), to.to_string()), PathBuf::from(file));
    let store_names_care = BTreeMap::from([edge("store", "care", "src/store/mod.rs")]);
    assert_eq!(wrong_edges(&store_names_care), ["src/store/mod.rs (layer 1) names care (layer 2)"]);
    let care_names_store = BTreeMap::from([edge("care", "store", "src/care/backup.rs")]);
    assert!(wrong_edges(&care_names_store).is_empty());
    let named: Vec<PathBuf> =
        edges().into_iter().filter(|((from, to), _)| from == "store" && to == "care").map(|(_, f)| f).collect();
    assert!(named.is_empty(), "the store names care in {named:?}");
}

/// Guards: the modules of the core depend on each other without a circle.
#[test]
fn the_module_graph_has_no_cycle() {
    let edges = edges();
    let mut next: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().insert(to);
    }
    // Depth-first search for a path back to where it started.
    fn visit<'a>(
        unit: &'a str,
        next: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = stack.iter().position(|u| *u == unit) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(unit);
            return Some(cycle);
        }
        if !done.insert(unit) {
            return None;
        }
        stack.push(unit);
        for to in next.get(unit).into_iter().flatten() {
            if let Some(cycle) = visit(to, next, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for unit in next.keys() {
        if let Some(cycle) = visit(unit, &next, &mut Vec::new(), &mut done) {
            panic!("the modules name each other in a circle: {}", cycle.join(" → "));
        }
    }
}

/// Guards the guard: the path reader sees through `use` groups and relative paths.
#[test]
fn the_path_reader_expands_groups() {
    let code = "use crate::{store::{Reader, registry}, record::case};\nlet x = crate::view::timeline::page;";
    let found: Vec<String> = paths_after(code, "crate").iter().map(|p| p.join("::")).collect();
    assert_eq!(found, ["store::Reader", "store::registry", "record::case", "view::timeline::page"]);
    assert_eq!(unit_of(&["record".into(), "letter".into(), "get".into()]), "record::letter");
    assert_eq!(unit_of(&["store".into(), "registry".into()]), "store");
}

/// Guards "one write path per table": every table of the schema is inserted into by exactly one module
/// of the core (its noun, or the store for the registry, the change log and the derived tables).
#[test]
fn each_table_is_written_by_one_module() {
    let fx = crate::common::fresh();
    let tables = fx
        .store
        .reader()
        .strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", [])
        .expect("the tables");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let texts: Vec<(PathBuf, String)> =
        files.into_iter().map(|f| (f.clone(), code(&std::fs::read_to_string(&f).expect("a source file")))).collect();
    let mut wrong = Vec::new();
    for table in tables.iter().filter(|t| !t.starts_with("search_index_")) {
        let writers: Vec<String> = texts
            .iter()
            .filter(|(_, text)| {
                text.split("INSERT").skip(1).any(|after| {
                    let words: Vec<&str> = after.split_whitespace().take(4).collect();
                    let into = words.iter().position(|w| *w == "INTO");
                    into.and_then(|i| words.get(i + 1)).is_some_and(|name| {
                        name.split(|c: char| !(c.is_alphanumeric() || c == '_')).next() == Some(table.as_str())
                    })
                })
            })
            .map(|(f, _)| f.strip_prefix(&src).unwrap_or(f).display().to_string())
            .collect();
        if writers.len() != 1 {
            wrong.push(format!("{table}: inserted by {writers:?}"));
        }
    }
    assert!(wrong.is_empty(), "each table needs exactly one writing module:\n{}", wrong.join("\n"));
}
