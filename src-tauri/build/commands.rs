//! The app's commands, declared once: the `#[tauri::command]` functions of `src/commands/*.rs`. This
//! reads them (with `syn`) and writes every list that must name them: the handler list `lib.rs`
//! includes, the names given to `tauri_build` (one `allow-…` permission each), and
//! `ui/src/lib/commands.ts`, one typed function per command that sends its arguments under the names
//! Tauri reads (the Rust parameter's name in camelCase). A type the generator cannot name in
//! TypeScript stops the build, saying which command and parameter use it.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// One `#[tauri::command]` function.
pub struct Command {
    /// The file it is in (`case` for `src/commands/case.rs`).
    pub module: String,
    pub name: String,
    docs: Vec<String>,
    /// What the page sends, in order; the parameters Tauri fills itself (`State`, `AppHandle`, …) are left out.
    params: Vec<(String, syn::Type)>,
    /// What the command answers when it succeeds: `T` of `Result<T, ApiError>`, or the plain return type.
    returns: Option<syn::Type>,
}

/// A serializable struct defined beside the commands (not in the core), written to TypeScript as an
/// interface of the same name.
struct Shape {
    name: String,
    docs: Vec<String>,
    fields: Vec<(String, Vec<String>, syn::Type)>,
}

/// An event the shell sends the page: `pub const NAME: Event<Payload> = Event::new("name");`.
struct Event {
    /// The name the page listens to (`text-read`).
    name: String,
    docs: Vec<String>,
    payload: syn::Type,
}

/// Everything declared in `dir`: its commands, its events and its serializable structs, file by file
/// in name order.
pub struct Declared {
    pub commands: Vec<Command>,
    events: Vec<Event>,
    shapes: Vec<Shape>,
}

/// Parameter types Tauri injects rather than reads from the page's arguments.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "Webview", "WebviewWindow", "Request"];

pub fn read(dir: &Path) -> Result<Declared, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && p.file_stem().is_some_and(|s| s != "mod"))
        .collect();
    files.sort();
    let mut declared = Declared { commands: Vec::new(), events: Vec::new(), shapes: Vec::new() };
    for path in files {
        let module = path.file_stem().and_then(|s| s.to_str()).ok_or("a module name")?.to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for item in file.items {
            match item {
                syn::Item::Fn(f) if f.attrs.iter().any(is_command_attribute) => {
                    declared.commands.push(command(&module, &f)?);
                }
                syn::Item::Struct(s) if derives_serialize(&s.attrs) => declared.shapes.push(shape(&module, &s)?),
                syn::Item::Const(c) if generic_args(&c.ty, "Event").is_some() => {
                    declared.events.push(event(&module, &c)?)
                }
                _ => {}
            }
        }
    }
    Ok(declared)
}

fn is_command_attribute(attr: &syn::Attribute) -> bool {
    let segments: Vec<String> = attr.path().segments.iter().map(|s| s.ident.to_string()).collect();
    segments == ["tauri", "command"]
}

fn command(module: &str, f: &syn::ItemFn) -> Result<Command, String> {
    let name = f.sig.ident.to_string();
    let place = format!("src/commands/{module}.rs: command `{name}`");
    if !matches!(f.vis, syn::Visibility::Public(_)) {
        return Err(format!("{place} must be `pub` to be registered"));
    }
    if f.attrs.iter().any(|a| is_command_attribute(a) && !matches!(a.meta, syn::Meta::Path(_))) {
        return Err(format!("{place}: `#[tauri::command(…)]` options change the argument names; not supported"));
    }
    let mut params = Vec::new();
    for input in &f.sig.inputs {
        let syn::FnArg::Typed(typed) = input else { return Err(format!("{place} takes `self`")) };
        let syn::Pat::Ident(ident) = &*typed.pat else {
            return Err(format!("{place}: a parameter that is not a plain name"));
        };
        if !INJECTED.contains(&last_name(&typed.ty).as_str()) {
            params.push((ident.ident.to_string(), (*typed.ty).clone()));
        }
    }
    let returns = match &f.sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => match generic_args(ty, "Result").as_deref() {
            Some([ok, err]) if last_name(err) == "ApiError" => Some(ok.clone()),
            Some(_) => return Err(format!("{place} must return `Result<T, ApiError>`")),
            None => Some((**ty).clone()),
        },
    };
    Ok(Command { module: module.to_string(), name, docs: docs(&f.attrs), params, returns })
}

fn event(module: &str, c: &syn::ItemConst) -> Result<Event, String> {
    let place = format!("src/commands/{module}.rs: event `{}`", c.ident);
    let payload = match generic_args(&c.ty, "Event").as_deref() {
        Some([payload]) => payload.clone(),
        _ => return Err(format!("{place}: `Event` takes its payload's type")),
    };
    let name = match &*c.expr {
        syn::Expr::Call(call) => match call.args.first() {
            Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })) if call.args.len() == 1 => name.value(),
            _ => return Err(format!("{place} must be `Event::new(\"name\")`")),
        },
        _ => return Err(format!("{place} must be `Event::new(\"name\")`")),
    };
    Ok(Event { name, docs: docs(&c.attrs), payload })
}

fn derives_serialize(attrs: &[syn::Attribute]) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            found |= meta.path.segments.last().is_some_and(|s| s.ident == "Serialize");
            Ok(())
        });
    }
    found
}

fn shape(module: &str, s: &syn::ItemStruct) -> Result<Shape, String> {
    let place = format!("src/commands/{module}.rs: struct `{}`", s.ident);
    if s.attrs.iter().chain(s.fields.iter().flat_map(|f| &f.attrs)).any(|a| a.path().is_ident("serde")) {
        return Err(format!("{place}: `#[serde(…)]` changes its JSON; the generator writes only plain fields"));
    }
    let syn::Fields::Named(named) = &s.fields else { return Err(format!("{place} must have named fields")) };
    let fields = named
        .named
        .iter()
        .map(|f| (f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default(), docs(&f.attrs), f.ty.clone()))
        .collect();
    Ok(Shape { name: s.ident.to_string(), docs: docs(&s.attrs), fields })
}

/// The lines of an item's `///` comment.
fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                    Some(s.value().strip_prefix(' ').map(str::to_string).unwrap_or_else(|| s.value()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The last name of a type's path, through references: `State` for `tauri::State<'_, AppState>`.
fn last_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Reference(r) => last_name(&r.elem),
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The type arguments of `ty` if its last name is `name`: `[T, E]` for `Result<T, E>`.
fn generic_args(ty: &syn::Type, name: &str) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    Some(type_args(&last.arguments))
}

fn type_args(arguments: &syn::PathArguments) -> Vec<syn::Type> {
    match arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `on_behalf_of` → `onBehalfOf`: how Tauri names a command's argument, and how the UI names its function.
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    for (i, part) in snake.split('_').filter(|p| !p.is_empty()).enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The handler list `lib.rs` includes: every command, by its path from the crate root.
pub fn handlers(declared: &Declared) -> String {
    let mut out =
        String::from("// Generated by build.rs from src/commands/. Do not edit.\ntauri::generate_handler![\n");
    for c in &declared.commands {
        let _ = writeln!(out, "    commands::{}::{},", c.module, c.name);
    }
    out.push(']');
    out
}

/// The command names as a Rust slice expression, for the shell's tests.
pub fn names(declared: &Declared) -> String {
    let mut out = String::from("&[\n");
    for c in &declared.commands {
        let _ = writeln!(out, "    {:?},", c.name);
    }
    out.push(']');
    out
}

/// Words TypeScript does not take as a parameter name; such a parameter gets another local name (the
/// key sent to Tauri stays the Rust name in camelCase).
const RESERVED: &[(&str, &str)] = &[("case", "caseKey"), ("new", "next"), ("private", "isPrivate")];
const OTHER_RESERVED: &[&str] = &[
    "await",
    "break",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "null",
    "package",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

fn local_name(key: &str) -> String {
    match RESERVED.iter().find(|(word, _)| *word == key) {
        Some((_, local)) => local.to_string(),
        None if OTHER_RESERVED.contains(&key) => format!("{key}Value"),
        None => key.to_string(),
    }
}

/// How Rust types are named in TypeScript: the core's types by their name in `bindings.ts`, the
/// structs beside the commands by their own.
struct Names {
    bindings: BTreeSet<String>,
    shapes: BTreeSet<String>,
}

impl Names {
    fn ts(&self, ty: &syn::Type, place: &str) -> Result<String, String> {
        match ty {
            syn::Type::Reference(r) => self.ts(&r.elem, place),
            syn::Type::Paren(p) => self.ts(&p.elem, place),
            syn::Type::Tuple(t) if t.elems.is_empty() => Ok("void".into()),
            syn::Type::Tuple(t) => {
                let parts: Result<Vec<String>, String> = t.elems.iter().map(|e| self.ts(e, place)).collect();
                Ok(format!("[{}]", parts?.join(", ")))
            }
            syn::Type::Path(p) if p.qself.is_none() => {
                let last = p.path.segments.last().ok_or_else(|| format!("{place}: an empty type path"))?;
                let name = last.ident.to_string();
                let args = type_args(&last.arguments);
                let one = |what: &str| -> Result<String, String> {
                    match args.as_slice() {
                        [inner] => self.ts(inner, place),
                        _ => Err(format!("{place}: `{what}` without its one type argument")),
                    }
                };
                Ok(match name.as_str() {
                    "String" | "str" | "char" | "PathBuf" | "Path" => "string".into(),
                    "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32" | "f64" => {
                        "number".into()
                    }
                    "bool" => "boolean".into(),
                    "Box" => one("Box")?,
                    "Option" => format!("{} | null", one("Option")?),
                    "Vec" => {
                        let inner = one("Vec")?;
                        if inner.contains(" | ") {
                            format!("({inner})[]")
                        } else {
                            format!("{inner}[]")
                        }
                    }
                    "Channel" => format!("Channel<{}>", one("Channel")?),
                    _ => {
                        let qualified = if self.shapes.contains(&name) {
                            name.clone()
                        } else if self.bindings.contains(&name) {
                            format!("B.{name}")
                        } else {
                            return Err(format!(
                                "{place}: the type `{name}` has no TypeScript name: export it with the core's \
                                 bindings (core/tests/it/bindings.rs), derive Serialize on it beside the commands, \
                                 or teach src-tauri/build/commands.rs to write it"
                            ));
                        };
                        if args.is_empty() {
                            qualified
                        } else {
                            let parts: Result<Vec<String>, String> = args.iter().map(|a| self.ts(a, place)).collect();
                            format!("{qualified}<{}>", parts?.join(", "))
                        }
                    }
                })
            }
            _ => {
                Err(format!("{place}: a kind of type the generator does not write (only paths, references and tuples)"))
            }
        }
    }
}

/// The names `bindings.ts` exports: `export type Name…`.
fn exported_names(bindings_ts: &str) -> BTreeSet<String> {
    bindings_ts
        .lines()
        .filter_map(|l| l.strip_prefix("export type "))
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
        .collect()
}

fn jsdoc(out: &mut String, indent: &str, docs: &[String]) {
    let docs: Vec<String> = docs.iter().map(|l| l.replace("*/", "*\\/")).collect();
    match docs.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(out, "{indent}/** {one} */");
        }
        many => {
            let _ = writeln!(out, "{indent}/**");
            for line in many {
                let _ = writeln!(out, "{indent} *{}{line}", if line.is_empty() { "" } else { " " });
            }
            let _ = writeln!(out, "{indent} */");
        }
    }
}

/// `ui/src/lib/commands.ts`: the structs beside the commands as interfaces, then one function per
/// command. A parameter of type `Option` is optional when every one after it is too (Tauri reads a
/// missing argument as `None`).
pub fn typescript(declared: &Declared, bindings_ts: &str) -> Result<String, String> {
    let names = Names {
        bindings: exported_names(bindings_ts),
        shapes: declared.shapes.iter().map(|s| s.name.clone()).collect(),
    };
    let mut body = String::new();
    for s in &declared.shapes {
        body.push('\n');
        jsdoc(&mut body, "", &s.docs);
        let _ = writeln!(body, "export interface {} {{", s.name);
        for (field, docs, ty) in &s.fields {
            jsdoc(&mut body, "  ", docs);
            let _ = writeln!(body, "  {field}: {};", names.ts(ty, &format!("struct `{}` field `{field}`", s.name))?);
        }
        body.push_str("}\n");
    }
    let mut module = "";
    for c in &declared.commands {
        if c.module != module {
            module = &c.module;
            let _ = write!(body, "\n// src-tauri/src/commands/{module}.rs\n");
        }
        body.push('\n');
        jsdoc(&mut body, "", &c.docs);
        let mut params = Vec::new();
        let mut args = Vec::new();
        let optional_from =
            c.params.iter().rposition(|(_, ty)| generic_args(ty, "Option").is_none()).map_or(0, |i| i + 1);
        for (i, (name, ty)) in c.params.iter().enumerate() {
            let place = format!("command `{}` parameter `{name}`", c.name);
            let key = camel(name);
            let local = local_name(&key);
            let mark = if i >= optional_from { "?" } else { "" };
            params.push(format!("{local}{mark}: {}", names.ts(ty, &place)?));
            args.push(if local == key { key } else { format!("{key}: {local}") });
        }
        let returns = match &c.returns {
            Some(ty) => names.ts(ty, &format!("command `{}` answer", c.name))?,
            None => "void".into(),
        };
        let args = if args.is_empty() { String::new() } else { format!(", {{ {} }}", args.join(", ")) };
        let _ = writeln!(body, "export function {}({}): Promise<{returns}> {{", camel(&c.name), params.join(", "));
        let _ = writeln!(body, "  return invoke<{returns}>('{}'{args});", c.name);
        body.push_str("}\n");
    }
    if !declared.events.is_empty() {
        body.push_str("\n// src-tauri/src/commands/events.rs\n");
    }
    for e in &declared.events {
        let payload = names.ts(&e.payload, &format!("event `{}` payload", e.name))?;
        // `text-read` is listened to with `onTextRead`.
        let pascal: String = e
            .name
            .split('-')
            .flat_map(|word| {
                let mut chars = word.chars();
                chars.next().into_iter().flat_map(char::to_uppercase).chain(chars)
            })
            .collect();
        body.push('\n');
        jsdoc(&mut body, "", &e.docs);
        let _ =
            writeln!(body, "export function on{pascal}(handler: (payload: {payload}) => void): Promise<UnlistenFn> {{");
        let _ = writeln!(body, "  return listen<{payload}>('{}', (event) => handler(event.payload));", e.name);
        body.push_str("}\n");
    }
    let mut out = String::from(
        "// Generated by src-tauri/build.rs from the #[tauri::command] functions of src-tauri/src/commands/.\n\
         // Do not edit: `cargo test -p dossier-app --lib` fails when it is stale, and rewrites it with\n\
         // DOSSIER_UPDATE_BINDINGS=1. Each function sends its arguments under the names Tauri reads (the Rust\n\
         // parameter's name in camelCase); the UI calls them through `api` (api.ts).\n",
    );
    out.push_str(if body.contains("Channel<") {
        "import { invoke, type Channel } from '@tauri-apps/api/core';\n"
    } else {
        "import { invoke } from '@tauri-apps/api/core';\n"
    });
    if !declared.events.is_empty() {
        out.push_str("import { listen, type UnlistenFn } from '@tauri-apps/api/event';\n");
    }
    out.push_str("import type * as B from './bindings';\n");
    out.push_str(&body);
    Ok(out)
}
