//! A look at an archive's trees before Microsoft's reader walks them. That reader follows a B-tree
//! page's children, and a data tree's blocks, without checking that they go down: a page that
//! names itself as its child, or a block tree that names a block a million times, would take it
//! into a recursion that overflows the stack, or into gigabytes of memory, which no error can stop.
//! So the node and block B-trees are walked here first (each page once, each child one level
//! below its parent), then every internal block is checked (an XBLOCK's children are data blocks,
//! an XXBLOCK's are XBLOCKs, a subnode tree's are one level below, and no tree holds more bytes
//! than the file). This reads each page and internal block once, in bounded memory.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// The sizes of the kind of archive: Unicode (8-byte ids) or ANSI (4-byte ids).
struct Layout {
    id: usize,
    /// Where the node and the block B-tree's root references are in the header.
    nbt: usize,
    bbt: usize,
    /// Bytes of a B-tree page before `cEnt`.
    entries: usize,
}

const UNICODE: Layout = Layout { id: 8, nbt: 180 + 36, bbt: 180 + 52, entries: 488 };
const ANSI: Layout = Layout { id: 4, nbt: 164 + 20, bbt: 164 + 28, entries: 496 };

fn bad(why: impl Into<String>) -> io::Error {
    io::Error::other(why.into())
}

struct Walk<'a> {
    file: &'a mut File,
    size: u64,
    layout: &'a Layout,
}

impl Walk<'_> {
    fn bytes(&mut self, at: u64, n: usize) -> io::Result<Vec<u8>> {
        if at.checked_add(n as u64).is_none_or(|end| end > self.size) {
            return Err(bad(format!("a page or block at byte {at} lies past the end of the file")));
        }
        self.file.seek(SeekFrom::Start(at))?;
        let mut buf = vec![0; n];
        self.file.read_exact(&mut buf)?;
        Ok(buf)
    }

    fn id(&self, b: &[u8]) -> u64 {
        b[..self.layout.id].iter().rev().fold(0, |v, x| (v << 8) | u64::from(*x))
    }

    /// Walks the B-tree whose root page is at `root`; returns its leaf entries.
    fn btree(&mut self, root: u64, which: &str) -> io::Result<Vec<Vec<u8>>> {
        let mut seen = HashSet::new();
        let mut pages = vec![(root, None::<u8>)];
        let mut leaves = Vec::new();
        while let Some((at, expected)) = pages.pop() {
            if !seen.insert(at) || seen.len() as u64 > self.size / 512 {
                return Err(bad(format!("its {which} B-tree loops back on itself")));
            }
            let page = self.bytes(at, 512)?;
            let e = self.layout.entries;
            let (count, size, level) = (usize::from(page[e]), usize::from(page[e + 2]), page[e + 3]);
            if expected.is_some_and(|l| l != level) || level > 8 || size == 0 || count * size > e {
                return Err(bad(format!("its {which} B-tree is not well formed")));
            }
            for entry in page[..count * size].chunks_exact(size) {
                if level == 0 {
                    leaves.push(entry.to_vec());
                } else {
                    let child = self.id(&entry[2 * self.layout.id..]);
                    pages.push((child, Some(level - 1)));
                }
            }
        }
        Ok(leaves)
    }
}

/// Checks the archive's trees: see the module docs. `size` is the file's.
pub(super) fn check(file: &mut File, size: u64) -> io::Result<()> {
    let mut header = vec![0; 564];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut header).map_err(|_| bad("it is shorter than a PST header"))?;
    let layout = match u16::from_le_bytes([header[10], header[11]]) {
        14 | 15 => &ANSI,
        _ => &UNICODE,
    };
    let mut walk = Walk { file, size, layout };
    let id = layout.id;
    let root = |at: usize| walk.id(&header[at + id..]);
    let (nbt, bbt) = (root(layout.nbt), root(layout.bbt));
    walk.btree(nbt, "node")?;
    // Each block by its id (the lowest bit ignored, as readers do): where it is, its size.
    let mut blocks: HashMap<u64, (u64, u64)> = HashMap::new();
    for entry in walk.btree(bbt, "block")? {
        let cb = u64::from(u16::from_le_bytes([entry[2 * id], entry[2 * id + 1]]));
        blocks.insert(walk.id(&entry) & !1, (walk.id(&entry[id..]), cb));
    }
    let internal: Vec<(u64, (u64, u64))> =
        blocks.iter().filter(|(bid, _)| *bid & 2 != 0).map(|(b, v)| (*b, *v)).collect();
    for (_, (at, cb)) in internal {
        let block = walk.bytes(at, cb as usize)?;
        let header = |b: &[u8]| (b.first().copied(), b.get(1).copied());
        let children = |b: &[u8], step: usize| -> Vec<u64> {
            let count =
                usize::from(u16::from_le_bytes([b.get(2).copied().unwrap_or(0), b.get(3).copied().unwrap_or(0)]));
            // XBLOCK and XXBLOCK: btype, cLevel, cEnt, lcbTotal; SIBLOCK: btype, cLevel, cEnt (and padding
            // in a Unicode file).
            let start = if b[0] == 0x01 || id == 8 { 8 } else { 4 };
            b.get(start..)
                .unwrap_or_default()
                .chunks_exact(step)
                .take(count)
                .map(|e| walk.id(&e[step - id..]) & !1)
                .collect()
        };
        let not_well_formed = || bad("a block tree of the archive is not well formed");
        let mut total = 0u64;
        match header(&block) {
            (Some(0x01), Some(1)) => {
                for child in children(&block, id) {
                    let (_, cb) = blocks.get(&child).ok_or_else(not_well_formed)?;
                    if child & 2 != 0 {
                        return Err(not_well_formed());
                    }
                    total += cb;
                }
            }
            (Some(0x01), Some(2)) => {
                for child in children(&block, id) {
                    let (at, cb) = *blocks.get(&child).ok_or_else(not_well_formed)?;
                    let inner = walk.bytes(at, cb.min(8) as usize)?;
                    if child & 2 == 0 || header(&inner) != (Some(0x01), Some(1)) || inner.len() < 8 {
                        return Err(not_well_formed());
                    }
                    total += u64::from(u32::from_le_bytes([inner[4], inner[5], inner[6], inner[7]]));
                }
            }
            (Some(0x02), Some(0)) => {}
            (Some(0x02), Some(1)) => {
                for child in children(&block, 2 * id) {
                    let (at, cb) = *blocks.get(&child).ok_or_else(not_well_formed)?;
                    let inner = walk.bytes(at, cb.min(2) as usize)?;
                    if child & 2 == 0 || header(&inner) != (Some(0x02), Some(0)) {
                        return Err(not_well_formed());
                    }
                }
            }
            _ => return Err(not_well_formed()),
        }
        if total > size {
            return Err(bad("a block tree of the archive names more bytes than the file holds"));
        }
    }
    Ok(())
}
