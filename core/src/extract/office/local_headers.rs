//! A part of a zip archive read from its local header, for an archive whose central directory is
//! damaged or gone (a download or a copy cut short, a mail gateway that mangled the attachment's
//! end). Every entry's data follows a local header of its own that names it, so a part is found by
//! its name and read without the directory, as LibreOffice's and Word's repair do.
//!
//! A part whose header leaves its sizes to a data descriptor after the data (what LibreOffice, Google
//! Docs and Dossier's own Word export write) is inflated until its deflate stream ends. The data is
//! inflated up to a limit, as through the directory, whatever its header says of its sizes; and its
//! checksum, from its header or its data descriptor, must match what was inflated, so a part cut
//! short or damaged is refused rather than read in part.

use flate2::{Crc, Decompress, FlushDecompress, Status};

/// What starts a local header, and what may start a data descriptor.
const LOCAL_HEADER: &[u8] = b"PK\x03\x04";
const DATA_DESCRIPTOR: &[u8] = b"PK\x07\x08";
/// Bytes of a local header before the entry's name.
const FIXED: usize = 30;
/// Bytes inflated at a time.
const CHUNK: usize = 64 << 10;

/// Why a part could not be read from its local header.
#[derive(Debug)]
pub(super) enum Damage {
    /// Not one local header: not a zip archive at all.
    NotZip,
    Missing,
    Cut,
    Corrupt(String),
    Encrypted,
    Method(u16),
}

impl Damage {
    /// What a person is told, given the part and why the archive could not be opened its usual way.
    pub fn why(&self, part: &str, directory: &zip::result::ZipError) -> String {
        match self {
            Damage::NotZip => format!("not a zip archive ({directory})"),
            Damage::Missing => format!("its zip archive is damaged ({directory}) and holds no {part}"),
            Damage::Cut => format!("its zip archive is cut short inside {part}"),
            Damage::Corrupt(why) => format!("{part} is damaged ({why})"),
            Damage::Encrypted => format!("{part} is encrypted"),
            Damage::Method(method) => format!("{part} is compressed in a way Dossier does not read (method {method})"),
        }
    }
}

/// The data of the first entry named `name` in `archive`, inflated: at most `max + 1` bytes, so a
/// part that inflates further is cut there, for the caller to refuse (its checksum is then not
/// checked).
pub(super) fn part(archive: &[u8], name: &str, max: usize) -> Result<Vec<u8>, Damage> {
    let mut headers = (0..archive.len()).filter(|&at| archive[at..].starts_with(LOCAL_HEADER)).peekable();
    if headers.peek().is_none() {
        return Err(Damage::NotZip);
    }
    let header = headers.find(|&at| named(&archive[at..], name)).ok_or(Damage::Missing)?;
    let field = |offset: usize, width: usize| {
        archive[header + offset..header + offset + width].iter().rev().fold(0u32, |n, &b| n << 8 | u32::from(b))
    };
    let (flags, method, crc, compressed) = (field(6, 2), field(8, 2) as u16, field(14, 4), field(18, 4) as usize);
    let start = header + FIXED + name.len() + field(28, 2) as usize;
    let data = archive.get(start..).ok_or(Damage::Cut)?;
    if flags & 1 != 0 {
        return Err(Damage::Encrypted);
    }
    let sizes_after = flags & 8 != 0;
    let (inflated, used) = match method {
        0 if sizes_after => return Err(Damage::Corrupt("its size is not in its header".into())),
        0 => {
            let stored = data.get(..compressed).ok_or(Damage::Cut)?;
            (stored[..compressed.min(max + 1)].to_vec(), compressed)
        }
        8 => inflate(data, max)?,
        _ => return Err(Damage::Method(method)),
    };
    if inflated.len() > max {
        return Ok(inflated);
    }
    let expected = if sizes_after { descriptor_crc(&data[used..])? } else { crc };
    let mut actual = Crc::new();
    actual.update(&inflated);
    if actual.sum() != expected {
        return Err(Damage::Corrupt("its checksum does not match its data".into()));
    }
    Ok(inflated)
}

/// Whether a local header starts `bytes` and names `name`.
fn named(bytes: &[u8], name: &str) -> bool {
    let Some(length) = bytes.get(26..28).map(|l| usize::from(u16::from_le_bytes([l[0], l[1]]))) else {
        return false;
    };
    length == name.len() && bytes.get(FIXED..FIXED + length) == Some(name.as_bytes())
}

/// The checksum in the data descriptor that starts `bytes` (its signature is optional).
fn descriptor_crc(bytes: &[u8]) -> Result<u32, Damage> {
    let crc = bytes.strip_prefix(DATA_DESCRIPTOR).unwrap_or(bytes);
    let crc: [u8; 4] = crc.get(..4).and_then(|c| c.try_into().ok()).ok_or(Damage::Cut)?;
    Ok(u32::from_le_bytes(crc))
}

/// The deflate stream that starts `data`, inflated to at most `max + 1` bytes, and how many bytes of
/// `data` it took. It is inflated a chunk at a time: memory only grows with what was inflated.
fn inflate(data: &[u8], max: usize) -> Result<(Vec<u8>, usize), Damage> {
    let mut inflater = Decompress::new(false);
    let mut chunk = vec![0u8; CHUNK];
    let mut out = Vec::new();
    loop {
        let (read, written) = (inflater.total_in() as usize, inflater.total_out());
        let status = inflater
            .decompress(&data[read..], &mut chunk, FlushDecompress::None)
            .map_err(|e| Damage::Corrupt(e.to_string()))?;
        let (used, new) = (inflater.total_in() as usize, (inflater.total_out() - written) as usize);
        out.extend_from_slice(&chunk[..new.min(max + 1 - out.len())]);
        if status == Status::StreamEnd || out.len() > max {
            return Ok((out, used));
        }
        if used == read && new == 0 {
            return Err(Damage::Cut);
        }
    }
}
