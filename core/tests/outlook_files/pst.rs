//! A small writer of Unicode `.pst` files (MS-PST), for the tests only: the header with its CRCs, one
//! block per node's data (heap-on-node property and table contexts, subnode blocks), and the node
//! and block B-trees (a leaf level and one intermediate level). It writes the message store, the
//! root folder, the top of the personal folders and the folders given, each with its hierarchy,
//! contents and associated-contents tables, and the messages with their recipient and attachment
//! tables and attachments. It leaves out what a reader does not need: allocation maps (the root says
//! they are not valid, as after a crash, so Outlook would rebuild them), the density list, the
//! named-property map and search folders. Every value is at most one block (8 KiB).

use super::{Mail, Props, P};

const PAGE: usize = 512;
/// Where the blocks start: after the header, the density list and the first allocation map's place.
const FIRST_BLOCK: u64 = 0x4600;
const MAX_BLOCK_DATA: usize = 8176;
/// The largest value kept in a heap; a larger one is a subnode.
const MAX_HEAP_VALUE: usize = 3580;

/// NID types (MS-PST 2.2.2.1).
const NID_NORMAL_FOLDER: u32 = 0x02;
const NID_NORMAL_MESSAGE: u32 = 0x04;
const NID_ATTACHMENT: u32 = 0x05;
const NID_HIERARCHY_TABLE: u32 = 0x0D;
const NID_CONTENTS_TABLE: u32 = 0x0E;
const NID_ASSOC_CONTENTS_TABLE: u32 = 0x0F;
const NID_LTP: u32 = 0x1F;
const NID_MESSAGE_STORE: u32 = 0x21;
const NID_ROOT_FOLDER: u32 = 0x122;
const NID_ATTACHMENT_TABLE: u32 = 0x671;
const NID_RECIPIENT_TABLE: u32 = 0x692;

/// The record key of the store, also the provider id of every entry id.
const RECORD_KEY: [u8; 16] = *b"dossier-test-pst";

fn nid(kind: u32, index: u32) -> u32 {
    (index << 5) | kind
}

/// The CRC of MS-PST (CRC-32's table, no final inversion).
pub fn crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &b in data {
        let mut c = (crc ^ u32::from(b)) & 0xFF;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        crc = c ^ (crc >> 8);
    }
    crc
}

fn sig(ib: u64, bid: u64) -> u16 {
    let v = (ib as u32) ^ (bid as u32);
    ((v >> 16) as u16) ^ (v as u16)
}

/// An entry id of the store: no flags, the store's record key, the node.
fn entry_id(node: u32) -> Vec<u8> {
    let mut e = vec![0u8; 4];
    e.extend(RECORD_KEY);
    e.extend(node.to_le_bytes());
    e
}

/// A heap-on-node being laid out (one block: every heap here fits in 8 KiB).
struct Heap {
    data: Vec<u8>,
    allocs: Vec<u16>,
}

impl Heap {
    fn new(client: u8) -> Heap {
        // HNHDR: ibHnpm (set at the end), bSig, bClientSig, hidUserRoot (set by `root`), fill levels.
        let mut data = vec![0, 0, 0xEC, client];
        data.extend([0u8; 8]);
        Heap { data, allocs: Vec::new() }
    }

    /// Allocates `bytes`; returns its HID.
    fn alloc(&mut self, bytes: &[u8]) -> u32 {
        self.allocs.push(self.data.len() as u16);
        self.data.extend(bytes);
        (self.allocs.len() as u32) << 5
    }

    fn root(&mut self, hid: u32) {
        self.data[4..8].copy_from_slice(&hid.to_le_bytes());
    }

    /// The heap's bytes, its page map at the end.
    fn bytes(mut self) -> Vec<u8> {
        if self.data.len() % 2 == 1 {
            self.data.push(0);
        }
        let end = self.data.len() as u16;
        let at = self.data.len() as u16;
        self.data[0..2].copy_from_slice(&at.to_le_bytes());
        self.data.extend((self.allocs.len() as u16).to_le_bytes());
        self.data.extend(0u16.to_le_bytes());
        for a in &self.allocs {
            self.data.extend(a.to_le_bytes());
        }
        self.data.extend(end.to_le_bytes());
        assert!(self.data.len() <= MAX_BLOCK_DATA, "a heap of more than one block");
        self.data
    }

    /// A BTH of `records` (key and data already laid out, sorted by key); returns the HID of its header.
    fn tree(&mut self, key: u8, entry: u8, records: &[u8]) -> u32 {
        let root = if records.is_empty() { 0 } else { self.alloc(records) };
        let mut header = vec![0xB5, key, entry, 0];
        header.extend(root.to_le_bytes());
        self.alloc(&header)
    }
}

/// A node's data and the subnodes its large values went to.
struct Node {
    data: Vec<u8>,
    subnodes: Vec<(u32, Vec<u8>)>,
}

/// A property context of `props`: values over [`MAX_HEAP_VALUE`] go to subnodes.
fn property_context(props: &Props, next_subnode: &mut u32) -> Node {
    let mut heap = Heap::new(0xBC);
    let mut subnodes = Vec::new();
    let mut sorted = props.clone();
    sorted.sort_by_key(|(id, _)| *id);
    let mut records = Vec::new();
    for (id, value) in &sorted {
        let mut bytes = value.bytes();
        if let P::Text(_) = value {
            bytes.truncate(bytes.len() - 2);
        }
        let hnid = match value {
            P::Int(n) => *n as u32,
            P::Bool(b) => u32::from(*b),
            _ if bytes.len() > MAX_HEAP_VALUE => {
                *next_subnode += 1;
                let n = nid(NID_LTP, *next_subnode);
                subnodes.push((n, bytes));
                n
            }
            _ => heap.alloc(&bytes),
        };
        records.extend(id.to_le_bytes());
        records.extend(value.kind().to_le_bytes());
        records.extend(hnid.to_le_bytes());
    }
    let root = heap.tree(2, 6, &records);
    heap.root(root);
    Node { data: heap.bytes(), subnodes }
}

/// A table context with the row id and version columns, then `columns` (id, type, all 4-byte
/// values: integers or HNIDs of text), and a row per `(row id, values)`.
fn table_context(columns: &[(u16, u16)], rows: &[(u32, Vec<P>)]) -> Vec<u8> {
    let mut heap = Heap::new(0x7C);
    let mut all: Vec<(u16, u16)> = vec![(0x67F2, 0x0003), (0x67F3, 0x0003)];
    all.extend(columns);
    let count = all.len();
    let end4 = (4 * count) as u16;
    let row_size = end4 as usize + count.div_ceil(8);
    let mut matrix = Vec::new();
    let mut index = Vec::new();
    for (i, (id, values)) in rows.iter().enumerate() {
        let mut row = Vec::with_capacity(row_size);
        row.extend(id.to_le_bytes());
        row.extend(0u32.to_le_bytes());
        for v in values {
            let cell = match v {
                P::Int(n) => *n as u32,
                other => {
                    let mut bytes = other.bytes();
                    if let P::Text(_) = other {
                        bytes.truncate(bytes.len() - 2);
                    }
                    heap.alloc(&bytes)
                }
            };
            row.extend(cell.to_le_bytes());
        }
        let mut bitmap = vec![0u8; count.div_ceil(8)];
        for bit in 0..count {
            bitmap[bit / 8] |= 0x80 >> (bit % 8);
        }
        row.extend(bitmap);
        matrix.extend(row);
        index.extend(id.to_le_bytes());
        index.extend((i as u32).to_le_bytes());
    }
    let rows_hid = if matrix.is_empty() { 0 } else { heap.alloc(&matrix) };
    let mut sorted_index: Vec<[u8; 8]> = index.chunks(8).map(|c| c.try_into().expect("8 bytes")).collect();
    sorted_index.sort_by_key(|r| u32::from_le_bytes([r[0], r[1], r[2], r[3]]));
    let row_index = heap.tree(4, 4, &sorted_index.concat());
    let mut info = vec![0x7C, count as u8];
    for ib in [end4, end4, end4, row_size as u16] {
        info.extend(ib.to_le_bytes());
    }
    info.extend(row_index.to_le_bytes());
    info.extend(rows_hid.to_le_bytes());
    info.extend(0u32.to_le_bytes());
    let mut descriptors: Vec<(u32, u16, u8)> = all
        .iter()
        .enumerate()
        .map(|(i, (id, kind))| ((u32::from(*id) << 16) | u32::from(*kind), (4 * i) as u16, i as u8))
        .collect();
    descriptors.sort_by_key(|d| d.0);
    for (tag, ib, bit) in descriptors {
        info.extend(tag.to_le_bytes());
        info.extend(ib.to_le_bytes());
        info.extend([4, bit]);
    }
    let root = heap.alloc(&info);
    heap.root(root);
    heap.bytes()
}

/// The file being written: blocks and the entries of the two B-trees.
#[derive(Default)]
struct File {
    blocks: Vec<u8>,
    next_bid: u64,
    /// (bid, ib, cb)
    bbt: Vec<(u64, u64, u16)>,
    /// (nid, bid data, bid sub, nid parent)
    nbt: Vec<(u32, u64, u64, u32)>,
    /// The B-trees' pages, written after the blocks.
    pages: Vec<u8>,
}

impl File {
    fn ib(&self) -> u64 {
        FIRST_BLOCK + self.blocks.len() as u64
    }

    /// Writes a block of `data`; `internal` for a subnode block. Returns its bid.
    fn block(&mut self, data: &[u8], internal: bool) -> u64 {
        assert!(!data.is_empty() && data.len() <= MAX_BLOCK_DATA);
        self.next_bid += 1;
        let bid = (self.next_bid << 2) | if internal { 2 } else { 0 };
        let ib = self.ib();
        let size = (data.len() + 16).div_ceil(64) * 64;
        let mut block = data.to_vec();
        block.resize(size - 16, 0);
        block.extend((data.len() as u16).to_le_bytes());
        block.extend(sig(ib, bid).to_le_bytes());
        block.extend(crc(data).to_le_bytes());
        block.extend(bid.to_le_bytes());
        self.blocks.extend(block);
        self.bbt.push((bid, ib, data.len() as u16));
        bid
    }

    /// Writes the blocks of a node (its data, its subnodes) and enters it in the node B-tree.
    fn node(&mut self, id: u32, parent: u32, node: Node, more: Vec<(u32, u64, u64)>) {
        let data = self.block(&node.data, false);
        let mut subs: Vec<(u32, u64, u64)> = more;
        for (n, bytes) in node.subnodes {
            subs.push((n, self.block(&bytes, false), 0));
        }
        let sub = if subs.is_empty() { 0 } else { self.subnode_block(subs) };
        self.nbt.push((id, data, sub, parent));
    }

    /// An SLBLOCK of `(nid, bid data, bid sub)`.
    fn subnode_block(&mut self, mut subs: Vec<(u32, u64, u64)>) -> u64 {
        subs.sort_by_key(|s| s.0);
        let mut sl = vec![0x02, 0x00];
        sl.extend((subs.len() as u16).to_le_bytes());
        sl.extend(0u32.to_le_bytes());
        for (n, data, sub) in subs {
            sl.extend(u64::from(n).to_le_bytes());
            sl.extend(data.to_le_bytes());
            sl.extend(sub.to_le_bytes());
        }
        self.block(&sl, true)
    }

    /// A folder: its property context and its three tables.
    fn folder(&mut self, id: u32, parent: u32, name: &str, children: &[(u32, &str)], messages: &[u32]) {
        let props: Props = vec![
            (0x3001, P::Text(name.into())),
            (0x3602, P::Int(messages.len() as i32)),
            (0x3603, P::Int(0)),
            (0x360A, P::Bool(!children.is_empty())),
        ];
        self.node(id, parent, property_context(&props, &mut 0), Vec::new());
        let index = id >> 5;
        let rows: Vec<(u32, Vec<P>)> = children.iter().map(|(n, name)| (*n, vec![P::Text(name.to_string())])).collect();
        let table = table_context(&[(0x3001, 0x001F)], &rows);
        self.node(nid(NID_HIERARCHY_TABLE, index), 0, Node { data: table, subnodes: Vec::new() }, Vec::new());
        let rows: Vec<(u32, Vec<P>)> = messages.iter().map(|n| (*n, Vec::new())).collect();
        let table = table_context(&[], &rows);
        self.node(nid(NID_CONTENTS_TABLE, index), 0, Node { data: table, subnodes: Vec::new() }, Vec::new());
        let table = table_context(&[], &[]);
        self.node(nid(NID_ASSOC_CONTENTS_TABLE, index), 0, Node { data: table, subnodes: Vec::new() }, Vec::new());
    }

    /// A message: its property context, and in its subnodes its recipient table, its attachment
    /// table and each attachment's property context.
    fn message(&mut self, id: u32, folder: u32, mail: &Mail) {
        let mut next = 0x100;
        let node = property_context(&mail.props(), &mut next);
        let recipients: Vec<(u32, Vec<P>)> = mail
            .recipients()
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as u32, r.into_iter().map(|(_, v)| v).collect()))
            .collect();
        let columns = [(0x0C15, 0x0003), (0x3001, 0x001F), (0x3002, 0x001F), (0x3003, 0x001F), (0x39FE, 0x001F)];
        let mut subs = vec![(NID_RECIPIENT_TABLE, self.block(&table_context(&columns, &recipients), false), 0)];
        let mut rows = Vec::new();
        for (i, props) in mail.attachment_props().iter().enumerate() {
            let attachment = nid(NID_ATTACHMENT, 0x400 + i as u32);
            let pc = property_context(props, &mut next);
            let data = self.block(&pc.data, false);
            let inner: Vec<(u32, u64, u64)> =
                pc.subnodes.into_iter().map(|(n, b)| (n, self.block(&b, false), 0)).collect();
            let sub = if inner.is_empty() { 0 } else { self.subnode_block(inner) };
            subs.push((attachment, data, sub));
            rows.push((
                attachment,
                vec![P::Int(props.iter().find(|p| p.0 == 0x0E20).map_or(0, |p| match p.1 {
                    P::Int(n) => n,
                    _ => 0,
                }))],
            ));
        }
        subs.push((NID_ATTACHMENT_TABLE, self.block(&table_context(&[(0x0E20, 0x0003)], &rows), false), 0));
        self.node(id, folder, node, subs);
    }

    /// The pages of one B-tree of `entries` (each `size` bytes, keyed by its first 8), leaves then
    /// one intermediate level when needed; returns (root bid, root ib).
    fn btree(&mut self, kind: u8, size: usize, entries: &[(u64, Vec<u8>)]) -> (u64, u64) {
        let per_leaf = 488 / size;
        let mut leaves = Vec::new();
        for chunk in entries.chunks(per_leaf) {
            let body: Vec<u8> = chunk.iter().flat_map(|(_, e)| e.clone()).collect();
            leaves.push((chunk[0].0, self.page(kind, &body, chunk.len(), per_leaf, size, 0)));
        }
        if leaves.len() == 1 {
            return leaves[0].1;
        }
        assert!(leaves.len() <= 488 / 24, "a B-tree of more than two levels");
        let body: Vec<u8> = leaves
            .iter()
            .flat_map(|(key, (bid, ib))| [key.to_le_bytes(), bid.to_le_bytes(), ib.to_le_bytes()].concat())
            .collect();
        self.page(kind, &body, leaves.len(), 488 / 24, 24, 1)
    }

    /// A B-tree page of `count` entries of `size` bytes (at most `max`) at `level`.
    fn page(&mut self, kind: u8, body: &[u8], count: usize, max: usize, size: usize, level: u8) -> (u64, u64) {
        self.next_bid += 1;
        let bid = self.next_bid << 2;
        let ib = FIRST_BLOCK + (self.blocks.len() + self.pages.len()) as u64;
        let mut page = body.to_vec();
        page.resize(488, 0);
        page.extend([count as u8, max as u8, size as u8, level]);
        page.extend(0u32.to_le_bytes());
        let check = crc(&page);
        page.extend([kind, kind]);
        page.extend(sig(ib, bid).to_le_bytes());
        page.extend(check.to_le_bytes());
        page.extend(bid.to_le_bytes());
        assert_eq!(page.len(), PAGE);
        self.pages.extend(page);
        (bid, ib)
    }
}

/// A `.pst` holding `folders` (each a name and its e-mails) under the top of the personal folders.
pub fn pst(folders: &[(&str, Vec<Mail>)]) -> Vec<u8> {
    let mut f = File::default();
    let top = nid(NID_NORMAL_FOLDER, 0x401);
    let store: Props = vec![
        (0x0FF9, P::Bin(RECORD_KEY.to_vec())),
        (0x3001, P::Text("Personal Folders".into())),
        (0x35E0, P::Bin(entry_id(top))),
        (0x35E3, P::Bin(entry_id(top))),
        (0x35E7, P::Bin(entry_id(NID_ROOT_FOLDER))),
    ];
    f.node(NID_MESSAGE_STORE, 0, property_context(&store, &mut 0), Vec::new());
    f.folder(NID_ROOT_FOLDER, NID_ROOT_FOLDER, "", &[(top, "Top of Personal Folders")], &[]);
    let ids: Vec<u32> = (0..folders.len() as u32).map(|i| nid(NID_NORMAL_FOLDER, 0x402 + i)).collect();
    let children: Vec<(u32, &str)> = ids.iter().zip(folders).map(|(n, (name, _))| (*n, *name)).collect();
    f.folder(top, NID_ROOT_FOLDER, "Top of Personal Folders", &children, &[]);
    let mut next_message = 0x10000;
    for (folder, (name, mails)) in ids.iter().zip(folders) {
        let mut messages = Vec::new();
        for mail in mails {
            next_message += 1;
            let id = nid(NID_NORMAL_MESSAGE, next_message);
            f.message(id, *folder, mail);
            messages.push(id);
        }
        f.folder(*folder, top, name, &[], &messages);
    }

    // The B-trees, after the blocks, keyed by node id and by block id.
    let mut nbt: Vec<(u64, Vec<u8>)> = f
        .nbt
        .iter()
        .map(|(n, data, sub, parent)| {
            let e = [u64::from(*n).to_le_bytes(), data.to_le_bytes(), sub.to_le_bytes()].concat();
            (u64::from(*n), [e, parent.to_le_bytes().to_vec(), vec![0; 4]].concat())
        })
        .collect();
    nbt.sort_by_key(|e| e.0);
    let mut bbt: Vec<(u64, Vec<u8>)> = f
        .bbt
        .iter()
        .map(|(bid, ib, cb)| {
            let e = [bid.to_le_bytes(), ib.to_le_bytes()].concat();
            (*bid, [e, cb.to_le_bytes().to_vec(), 2u16.to_le_bytes().to_vec(), vec![0; 4]].concat())
        })
        .collect();
    bbt.sort_by_key(|e| e.0);
    let nbt_root = f.btree(0x81, 32, &nbt);
    let bbt_root = f.btree(0x80, 24, &bbt);
    let eof = FIRST_BLOCK + (f.blocks.len() + f.pages.len()) as u64;
    let mut file = header(eof, nbt_root, bbt_root, f.next_bid + 1);
    file.resize(FIRST_BLOCK as usize, 0);
    file.extend(f.blocks);
    file.extend(f.pages);
    file
}

/// The 564-byte Unicode header and its CRCs.
fn header(eof: u64, nbt: (u64, u64), bbt: (u64, u64), next_bid: u64) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend(b"!BDN");
    h.extend([0u8; 4]);
    h.extend(b"SM");
    h.extend(23u16.to_le_bytes());
    h.extend(19u16.to_le_bytes());
    h.extend([1, 1]);
    h.extend([0u8; 8]);
    h.extend(0u64.to_le_bytes());
    h.extend((next_bid << 2).to_le_bytes());
    h.extend(1u32.to_le_bytes());
    for _ in 0..32 {
        h.extend(0x400u32.to_le_bytes());
    }
    h.extend(0u64.to_le_bytes());
    // ROOT: dwReserved, ibFileEof, ibAMapLast, cbAMapFree, cbPMapFree, BREFNBT, BREFBBT, fAMapValid (0:
    // not valid), bReserved, wReserved.
    h.extend(0u32.to_le_bytes());
    h.extend(eof.to_le_bytes());
    h.extend(0x4400u64.to_le_bytes());
    h.extend(0u64.to_le_bytes());
    h.extend(0u64.to_le_bytes());
    for (bid, ib) in [nbt, bbt] {
        h.extend(bid.to_le_bytes());
        h.extend(ib.to_le_bytes());
    }
    h.extend([0u8, 0, 0, 0]);
    h.extend(0u32.to_le_bytes());
    h.extend([0xFFu8; 128]);
    h.extend([0xFFu8; 128]);
    h.extend([0x80, 0x00]);
    h.extend(0u16.to_le_bytes());
    h.extend(((next_bid + 1) << 2).to_le_bytes());
    assert_eq!(h.len(), 524);
    let partial = crc(&h[8..8 + 471]);
    h[4..8].copy_from_slice(&partial.to_le_bytes());
    let full = crc(&h[8..524]);
    h.extend(full.to_le_bytes());
    h.extend([0u8; 36]);
    h
}
