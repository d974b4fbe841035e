//! An `.msg` file (MS-OXMSG) written with `cfb`: the message's fixed-size properties in
//! `__properties_version1.0`, each other one in a `__substg1.0_<id><type>` stream, a storage per
//! recipient and per attachment, and the named-property storage every `.msg` has.

use std::io::{Cursor, Write};

use super::{Mail, Props, P};

fn stream(cf: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, path: &str, bytes: &[u8]) {
    let mut s = cf.create_stream(path).expect("stream");
    s.write_all(bytes).expect("write stream");
}

/// Writes `props` into the storage `dir`, whose property stream starts with `header`.
fn props(cf: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, dir: &str, header: Vec<u8>, props: &Props) {
    let mut fixed = header;
    for (id, value) in props {
        fixed.extend(value.kind().to_le_bytes());
        fixed.extend(id.to_le_bytes());
        fixed.extend(6u32.to_le_bytes());
        let bytes = value.bytes();
        match value {
            P::Text(_) | P::Bin(_) => {
                fixed.extend((bytes.len() as u32).to_le_bytes());
                fixed.extend(0u32.to_le_bytes());
                stream(cf, &format!("{dir}/__substg1.0_{id:04X}{:04X}", value.kind()), &bytes);
            }
            _ => {
                let mut eight = bytes.clone();
                eight.resize(8, 0);
                fixed.extend(eight);
            }
        }
    }
    stream(cf, &format!("{dir}/__properties_version1.0"), &fixed);
}

/// The `.msg` file of `mail`.
pub fn msg(mail: &Mail) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("compound file");
    message(&mut cf, "", mail, true);
    cf.create_storage("/__nameid_version1.0").expect("nameid");
    for kind in ["00020102", "00030102", "00040102"] {
        stream(&mut cf, &format!("/__nameid_version1.0/__substg1.0_{kind}"), &[]);
    }
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

/// Writes `mail` into the storage `dir`: the whole file's top (`top`), or an attached message's
/// storage, whose property stream has a shorter header.
fn message(cf: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, dir: &str, mail: &Mail, top: bool) {
    let recipients = mail.recipients();
    let attachments = mail.attachment_props();
    let parts = attachments.len() + mail.attached.len();
    let mut header = vec![0u8; 8];
    for n in [recipients.len(), parts, recipients.len(), parts] {
        header.extend((n as u32).to_le_bytes());
    }
    if top {
        header.extend([0u8; 8]);
    }
    props(cf, dir, header, &mail.props());
    for (i, r) in recipients.iter().enumerate() {
        let storage = format!("{dir}/__recip_version1.0_#{i:08X}");
        cf.create_storage(&storage).expect("recipient");
        let mut r = r.clone();
        r.push((0x3000, P::Int(i as i32)));
        props(cf, &storage, vec![0u8; 8], &r);
    }
    for (i, a) in attachments.iter().enumerate() {
        let storage = format!("{dir}/__attach_version1.0_#{i:08X}");
        cf.create_storage(&storage).expect("attachment");
        let mut a = a.clone();
        a.push((0x0E21, P::Int(i as i32)));
        props(cf, &storage, vec![0u8; 8], &a);
    }
    // An attached message: attachment method 5, the message in the storage of PR_ATTACH_DATA_OBJ.
    for (i, (name, inner)) in mail.attached.iter().enumerate() {
        let n = attachments.len() + i;
        let storage = format!("{dir}/__attach_version1.0_#{n:08X}");
        cf.create_storage(&storage).expect("attachment");
        let a = vec![(0x0E21, P::Int(n as i32)), (0x3001, P::Text(name.clone())), (0x3705, P::Int(5))];
        props(cf, &storage, vec![0u8; 8], &a);
        let object = format!("{storage}/__substg1.0_3701000D");
        cf.create_storage(&object).expect("attached message");
        message(cf, &object, inner, false);
    }
}
