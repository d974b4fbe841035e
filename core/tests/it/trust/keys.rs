//! L3, L4: the key file's parameters, and what a sealed file's length tells.

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::stream::EncryptorBE32;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use sha2::{Digest, Sha256};

use crate::common::*;
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::store::blobs::BlobState;
use dossier_core::store::files;
use dossier_core::Store;

/// The key file with `edit` applied to its JSON.
fn edit_key_file(db: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let file = files::key(db);
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    edit(&mut json);
    std::fs::write(&file, json.to_string()).expect("write");
}

/// Guards L3: a key file asking for 32 GiB of memory, four billion passes or a short salt is refused at
/// once, before any memory is taken (it aborted the process, or hung).
#[test]
fn l3_key_file_parameters_beyond_bounds_are_refused_at_once() {
    let (_dir, path) = encrypted_demo("pw");
    for (field, value, said) in [
        ("memory_kib", serde_json::json!(33_554_432u64), "33554432 KiB of memory"),
        ("iterations", serde_json::json!(4_000_000_000u64), "4000000000 passes"),
        ("salt", serde_json::json!("00ff"), "a salt of 2 bytes"),
    ] {
        let original = std::fs::read_to_string(files::key(&path)).expect("read");
        edit_key_file(&path, |k| k["kdf"][field] = value);
        let err = Store::open_with(&path, Some(&pass("pw"))).err().expect("refused");
        assert_eq!(err.code(), ErrorCode::Locked);
        says(&err, &[said, "not written by Dossier"]);
        std::fs::write(files::key(&path), original).expect("restore");
    }
    Store::open_with(&path, Some(&pass("pw"))).expect("the untouched key file still opens");
}

/// Guards L3: the derivation's record is bound to the wrapped key: any field changed within bounds
/// makes the passphrase fail, as a wrong one does.
#[test]
fn l3_the_derivation_record_is_authenticated() {
    let (_dir, path) = encrypted_demo("pw");
    edit_key_file(&path, |k| k["kdf"]["parallelism"] = serde_json::json!(2));
    let err = Store::open_with(&path, Some(&pass("pw"))).err().expect("refused");
    assert_eq!(err.to_string(), "wrong passphrase");
}

fn hexed(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// The database's data key, unwrapped from its key file as the key file's documented format says
/// (Argon2id, then XChaCha20-Poly1305 over the record); and the cipher and nonce of that wrap.
fn unwrapped(path: &Path) -> ([u8; 32], XChaCha20Poly1305, Vec<u8>) {
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(files::key(path)).expect("read")).expect("json");
    let salt_hex = file["kdf"]["salt"].as_str().expect("salt");
    let mut kek = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(1024, 1, 1, Some(32)).expect("params"))
        .hash_password_into(b"pw", &hexed(salt_hex), &mut kek)
        .expect("derive");
    let cipher = XChaCha20Poly1305::new((&kek).into());
    let nonce = hexed(file["wrapped_key"]["nonce"].as_str().expect("nonce"));
    let aad = format!("dossier-key/2|argon2id|1024|1|1|{salt_hex}");
    let ciphertext = hexed(file["wrapped_key"]["ciphertext"].as_str().expect("ciphertext"));
    let key = cipher
        .decrypt(nonce.as_slice().into(), Payload { msg: &ciphertext, aad: aad.as_bytes() })
        .expect("the version-2 wrap, as documented");
    (key.try_into().expect("32 bytes"), cipher, nonce)
}

/// Guards L3: a key file written by an earlier Dossier (version 1, whose wrap does not cover the
/// record) still opens, so no one is locked out by the upgrade.
#[test]
fn l3_a_version_1_key_file_still_opens() {
    let (_dir, path) = encrypted_demo("pw");
    let (key, cipher, nonce) = unwrapped(&path);
    let v1 = cipher.encrypt(nonce.as_slice().into(), Payload { msg: &key, aad: b"dossier-key/1" }).expect("wrap");
    edit_key_file(&path, |k| {
        k["version"] = serde_json::json!(1);
        k["wrapped_key"]["ciphertext"] = serde_json::json!(v1.iter().map(|b| format!("{b:02x}")).collect::<String>());
    });
    Store::open_with(&path, Some(&pass("pw"))).expect("a version-1 key file opens");
}

fn add(s: &mut Store, dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, bytes).expect("write");
    let e = evidence::add_file(s, &FileInput { case: "twitter-v-microsoft".into(), path: file, ..Default::default() })
        .expect("add");
    s.blobs().path(e.sha256.as_deref().expect("a file")).expect("stored path")
}

/// Guards L4: the seed article's exact size can no longer be read from its sealed file's length: files
/// a little shorter or longer are stored at the same length, and each reads back exactly.
#[test]
fn l4_a_sealed_files_length_does_not_give_its_size() {
    let (dir, path) = encrypted_demo("pw");
    let mut s = Store::open_with(&path, Some(&pass("pw"))).expect("unlock");
    let sizes = [3780usize, 3781, 3790, 3800];
    let mut stored = Vec::new();
    for n in sizes {
        let bytes: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
        let blob = add(&mut s, dir.path(), &format!("f{n}.bin"), &bytes);
        stored.push(std::fs::metadata(&blob).expect("stat").len());
        let sha = format!("{:x}", Sha256::digest(&bytes));
        // Intact: read through, decrypted, and its content hashes to the file's SHA-256.
        assert!(matches!(s.blobs().state(&sha), Ok(BlobState::Intact)), "{n} bytes read back");
    }
    assert!(stored.windows(2).all(|w| w[0] == w[1]), "one stored length for all: {stored:?}");
}

/// Guards L4: an evidence file sealed by an earlier Dossier (version 1, unpadded) still reads back.
#[test]
fn l4_an_unpadded_file_of_an_earlier_version_still_reads() {
    let (dir, path) = encrypted_demo("pw");
    let mut s = Store::open_with(&path, Some(&pass("pw"))).expect("unlock");
    let content = b"sealed before padding existed; ".repeat(5000);
    let blob = add(&mut s, dir.path(), "old.bin", &content);
    let sha = format!("{:x}", Sha256::digest(&content));
    // The same content sealed as version 1 did: the evidence key derived from the data key (HKDF,
    // "dossier/1/evidence-encryption"), STREAM in 64 KiB chunks, no padding.
    let (key, _, _) = unwrapped(&path);
    let mut evidence_key = [0u8; 32];
    hkdf::Hkdf::<Sha256>::new(None, &key).expand(b"dossier/1/evidence-encryption", &mut evidence_key).expect("hkdf");
    let prefix = [7u8; 19];
    let mut stream = EncryptorBE32::from_aead(XChaCha20Poly1305::new((&evidence_key).into()), (&prefix).into());
    let mut v1 = b"DSRBLOB1".to_vec();
    v1.extend_from_slice(&prefix);
    let chunks: Vec<&[u8]> = content.chunks(64 * 1024).collect();
    for chunk in &chunks[..chunks.len() - 1] {
        v1.extend(stream.encrypt_next(*chunk).expect("seal"));
    }
    v1.extend(stream.encrypt_last(chunks[chunks.len() - 1]).expect("seal last"));
    std::fs::write(&blob, &v1).expect("put the version-1 file in its place");
    assert!(matches!(s.blobs().state(&sha), Ok(BlobState::Intact)), "read back whole and as it was");
    assert!(dossier_core::care::check::check(&s, None).expect("check").is_sound());
}
