//! Opening a piece of file evidence outside Dossier: the stored file's path, or a checked copy of a
//! kind that is safe to hand to the system's viewer (never for an encrypted database); and inside
//! Dossier: the content of a PDF or a picture for the app's own viewer ([`for_viewer`]).
//!
//! **Where copies go, and when they go away** (`copies`). A copy is the plain content of a record's
//! file outside the store, so it is kept private and not for good:
//!
//! - in one folder per user, made `0700`: `$XDG_RUNTIME_DIR/dossier-views` when the session has a
//!   runtime folder (the user's own, on a RAM disk, emptied at logout), else `dossier-views-<uid>` in
//!   the system's temporary folder; a folder of that name that is a link or another user's is refused
//!   rather than used, since whoever made it could read what is put in it;
//! - each copy in a folder of its own inside it (`copy-…`, `0700`, so two copies of one title never
//!   clash), the file itself `0600`;
//! - removed once older than [`copies::MAX_AGE`] (an hour since its folder last changed), by
//!   [`sweep_viewer_copies`], which the app runs when it starts and [`viewer_copy`] runs before each
//!   new copy. It cannot go at once: the program it was handed to needs the file while it is open
//!   (some read it again, or keep a lock file beside it). The folders earlier versions left in the
//!   temporary folder (`dossier-view-…`) are swept the same way.

use std::path::PathBuf;

use super::copies;
use super::{get, not_a_file, Evidence};
use crate::error::{Error, Result};
use crate::store::Store;

/// A piece of file evidence and the SHA-256 of its file, when that file may leave the store in plain
/// text: never for an encrypted database, whose files only Dossier reads, decrypting as it reads.
fn plain_file(store: &Store, id: &str) -> Result<(Evidence, String)> {
    let e = get(store.reader(), id)?;
    let Some(sha) = e.sha256.clone() else { return Err(not_a_file(&e)) };
    if store.is_encrypted() {
        return Err(Error::rule(
            "evidence",
            "encrypted_file",
            e.title.clone(),
            format!(
                "'{}' is kept encrypted and is not opened in another program; export the case with its files to get a plain copy",
                e.title
            ),
        ));
    }
    Ok((e, sha))
}

/// Where the stored file of a piece of file evidence is (the CLI's `evidence path`).
pub fn file_path(store: &Store, id: &str) -> Result<PathBuf> {
    let (_, sha) = plain_file(store, id)?;
    store.blobs().path(&sha)
}

/// The kinds of file handed to another program to view, each with the extension its copy gets and
/// how its first bytes must look. Anything else (HTML, SVG, XML, scripts, programs, unknown types)
/// is not opened: a viewer picked by the content could run it (an HTML page named `.pdf` opens in a
/// browser, scripts on). Text must not start like markup, which desktop viewers sniff as HTML.
const VIEWABLE: &[(&str, &str, Opening)] = &[
    ("application/pdf", "pdf", Opening::Magic(b"%PDF-")),
    ("image/png", "png", Opening::Magic(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", "jpg", Opening::Magic(b"\xff\xd8\xff")),
    ("image/gif", "gif", Opening::Magic(b"GIF8")),
    ("image/webp", "webp", Opening::Magic(b"RIFF")),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", Opening::Magic(b"PK\x03\x04")),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", Opening::Magic(b"PK\x03\x04")),
    ("application/vnd.oasis.opendocument.text", "odt", Opening::Magic(b"PK\x03\x04")),
    ("application/vnd.oasis.opendocument.spreadsheet", "ods", Opening::Magic(b"PK\x03\x04")),
    ("text/plain", "txt", Opening::Text),
    ("text/markdown", "md", Opening::Text),
    ("text/x-markdown", "md", Opening::Text),
    ("text/csv", "csv", Opening::Text),
];

/// How the first bytes of a viewable file must look.
enum Opening {
    Magic(&'static [u8]),
    /// UTF-8 text that does not start with `<` (after white space).
    Text,
}

impl Opening {
    fn matches(&self, head: &[u8]) -> bool {
        match self {
            Opening::Magic(magic) => head.starts_with(magic),
            Opening::Text => {
                let text = match std::str::from_utf8(head) {
                    Ok(t) => t,
                    // The head may end inside a character.
                    Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
                    Err(_) => return false,
                };
                !text.trim_start().starts_with('<') && !text.contains('\0')
            }
        }
    }
}

/// A copy of the stored file of a piece of file evidence, for opening in another program: written,
/// checked against its SHA-256, into a new folder of the user's private folder for copies (see the
/// module docs; older copies are swept first), named by the evidence's title with the extension of
/// its kind, so the viewer is chosen by a kind Dossier checked (see [`VIEWABLE`]) and never by
/// sniffing. The file of an encrypted database is never handed out: only Dossier reads it,
/// decrypting as it reads.
pub fn viewer_copy(store: &Store, id: &str) -> Result<PathBuf> {
    let (e, sha) = plain_file(store, id)?;
    let media_type = e.media_type.clone().unwrap_or_default();
    let not_viewable = |why: &str| {
        Error::rule(
            "evidence",
            "not_viewable",
            e.title.clone(),
            format!("'{}' is not opened in another program: {why}", e.title),
        )
    };
    let Some((_, ext, opening)) = VIEWABLE.iter().find(|(m, _, _)| *m == media_type) else {
        return Err(not_viewable(&format!(
            "{media_type} files could run code in the program that opens them; export the case with its files to get a copy"
        )));
    };
    let mut head = Vec::with_capacity(512);
    std::io::Read::read_to_end(&mut std::io::Read::take(store.blobs().open(&sha)?, 512), &mut head)
        .map_err(|err| Error::io(e.title.as_str(), err))?;
    if !opening.matches(&head) {
        return Err(not_viewable(&format!("its content is not the {media_type} its name says")));
    }
    sweep_viewer_copies();
    let dir = copies::new_folder(&copies::private_folder()?)?;
    let stem: String =
        e.title.chars().filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_')).take(80).collect();
    let stem = if stem.trim().is_empty() { "evidence".to_string() } else { stem.trim().to_string() };
    let target = dir.join(format!("{stem}.{ext}"));
    store.blobs().copy_out(&sha, &target, || Error::not_found("evidence file", sha.clone()))?;
    copies::make_private(&target)?;
    Ok(target)
}

/// Removes every copy made for other programs, whatever its age: after an erasure, one of them may be
/// of the erased file (a copy is named by no record).
pub fn sweep_all_viewer_copies() {
    copies::sweep(std::time::Duration::ZERO);
}

/// Removes the copies made for other programs that are older than [`copies::MAX_AGE`] (see the
/// module docs). Best effort: it never fails, and what it cannot remove now goes at the next sweep.
pub fn sweep_viewer_copies() {
    copies::sweep(copies::MAX_AGE);
}

/// The kinds the app's viewer shows from the file itself (a PDF, drawn by pdf.js; a picture), each
/// with how its first bytes must look. Every other file is shown by its extracted text.
const SHOWN: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    ("image/gif", b"GIF8"),
    ("image/webp", b"RIFF"),
];

/// Largest file the app's viewer is given (it is read into memory, decrypted when the store is).
pub const MAX_SHOWN: u64 = 256 << 20;

/// The media type and content of a piece of file evidence, for the app's viewer: a PDF or a picture,
/// whose first bytes match its type (a file named `.pdf` holding HTML is refused), of at most
/// [`MAX_SHOWN`] bytes. Works for an encrypted database too: the content is decrypted into memory,
/// never written anywhere.
pub fn for_viewer(store: &Store, id: &str) -> Result<(String, Vec<u8>)> {
    let e = get(store.reader(), id)?;
    let (Some(sha), Some(media_type)) = (e.sha256.clone(), e.media_type.clone()) else { return Err(not_a_file(&e)) };
    let refused = |why: String| {
        Error::rule("evidence", "not_viewable", e.title.clone(), format!("'{}' is not shown here: {why}", e.title))
    };
    let Some((_, magic)) = SHOWN.iter().find(|(m, _)| *m == media_type) else {
        return Err(refused(format!("{media_type} files are shown by their text")));
    };
    if e.size.unwrap_or(0) as u64 > MAX_SHOWN {
        return Err(refused(format!("it is larger than {} MiB", MAX_SHOWN >> 20)));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(store.blobs().open(&sha)?, MAX_SHOWN), &mut bytes)
        .map_err(|err| Error::io(e.title.as_str(), err))?;
    if !bytes.starts_with(magic) {
        return Err(refused(format!("its content is not the {media_type} its name says")));
    }
    Ok((media_type, bytes))
}
