//! The cryptography of team spaces, without a server: entries sealed, signed and checked; space keys
//! wrapped to devices; join requests and the words read out to check them; evidence files in chunks.
//! Each test alters one thing the server could alter and expects it to be caught.

use dossier_core::store::sync::envelope::{self, Place, MAX_PAYLOAD};
use dossier_core::store::sync::keys::{self, hex32, words_of, wrap_statement};
use dossier_core::store::sync::keys::{Device, DevicePublic, JoinRequest, SpaceKey};
use dossier_core::store::sync::{chain_hash, Kind, Sealed};
use dossier_core::Error;
use uuid::Uuid;

/// One alteration of an entry, as a server could make it.
type Change = fn(&mut Sealed);

/// A sealed, signed entry `seq` of `space` by `device` holding `payload`.
fn entry(key: &SpaceKey, device: &Device, space: &Uuid, seq: i64, payload: &[u8]) -> Sealed {
    let place = Place { seq, prev_hash: [seq as u8; 32], entry_id: Uuid::now_v7(), epoch: 1, kind: Kind::Write };
    envelope::entry(key, device, space, place, payload)
}

/// The reason `result` gives for refusing entry `seq`, which it must.
fn tampered<T: std::fmt::Debug>(result: dossier_core::Result<T>, seq: i64) -> String {
    match result {
        Err(Error::SpaceTampered { seq: s, reason }) if s == seq => reason,
        other => panic!("expected entry {seq} refused as altered, got {other:?}"),
    }
}

/// A payload that deflates only a little, as a record's text with its ids and hashes would.
fn payload(len: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 3 == 0 {
                b'a' + (x % 26) as u8
            } else {
                b" ,:{}\"0123456789"[(x % 16) as usize]
            }
        })
        .collect()
}

#[test]
fn a_signed_entry_verifies_and_any_change_to_its_header_is_named() {
    let (key, device, space) = (SpaceKey::generate(), Device::generate(), Uuid::now_v7());
    let e = entry(&key, &device, &space, 5, b"{}");
    envelope::verify(&space, &e).expect("a signed entry verifies");
    assert_eq!(e.hash, chain_hash(&space, &e));

    let mut flipped = e.clone();
    flipped.hash[3] ^= 1;
    assert_eq!(tampered(envelope::verify(&space, &flipped), 5), "the entry's hash does not match its header");

    let changes: [(&str, Change); 7] = [
        ("seq", |e| e.seq += 1),
        ("prev_hash", |e| e.prev_hash[0] ^= 1),
        ("entry_id", |e| e.entry_id = Uuid::now_v7()),
        ("author", |e| e.author[31] ^= 1),
        ("epoch", |e| e.epoch += 1),
        ("kind", |e| e.kind = Kind::Member.code()),
        ("mac", |e| e.mac[0] ^= 0x80),
    ];
    for (field, change) in changes {
        let mut altered = e.clone();
        change(&mut altered);
        let reason = tampered(envelope::verify(&space, &altered), altered.seq);
        assert_eq!(reason, "the entry's hash does not match its header", "{field}");
        // The server recomputing the hash does not help: the signature is of the old one.
        altered.hash = chain_hash(&space, &altered);
        let reason = tampered(envelope::verify(&space, &altered), altered.seq);
        assert_eq!(reason, "the entry's signature is not its author's", "{field}");
    }
    assert_eq!(tampered(envelope::verify(&Uuid::now_v7(), &e), 5), "the entry's hash does not match its header");

    for at in [0, 31, 63] {
        let mut forged = e.clone();
        forged.sig[at] ^= 1;
        assert_eq!(tampered(envelope::verify(&space, &forged), 5), "the entry's signature is not its author's");
    }
    let mut short = e.clone();
    short.sig.pop();
    assert_eq!(tampered(envelope::verify(&space, &short), 5), "the entry's signature is not its author's");

    // Signed by another device under this device's name.
    let mut impostor = e.clone();
    envelope::sign(&Device::generate(), &space, &mut impostor);
    assert_eq!(tampered(envelope::verify(&space, &impostor), 5), "the entry's signature is not its author's");
}

#[test]
fn a_sealed_payload_opens_and_any_change_to_what_binds_it_is_refused() {
    let (key, device, space) = (SpaceKey::generate(), Device::generate(), Uuid::now_v7());
    let big = payload(1024 * 1024);
    let e = entry(&key, &device, &space, 9, &big);
    assert!(e.body.len() < big.len(), "the payload is deflated: {} of {}", e.body.len(), big.len());
    assert_eq!(e.nonce.len(), 24);
    assert_eq!(envelope::open(&key, &space, &e).expect("opens"), big);

    let small = entry(&key, &device, &space, 9, b"{\"v\":1}");
    assert_eq!(envelope::open(&key, &space, &small).expect("opens"), b"{\"v\":1}");
    let empty = entry(&key, &device, &space, 9, b"");
    assert_eq!(envelope::open(&key, &space, &empty).expect("opens"), b"");
    assert_ne!(small.nonce, empty.nonce, "each seal draws its nonce");

    let seal_fails = "the entry's seal does not open";
    let changes: [(&str, Change); 6] = [
        ("a bit of the body", |e| e.body[0] ^= 1),
        ("the body's tag", |e| *e.body.last_mut().unwrap() ^= 1),
        ("a bit of the nonce", |e| e.nonce[23] ^= 1),
        ("entry_id", |e| e.entry_id = Uuid::now_v7()),
        ("epoch", |e| e.epoch = 2),
        ("author", |e| e.author[0] ^= 1),
    ];
    for (what, change) in changes {
        let mut altered = small.clone();
        change(&mut altered);
        assert_eq!(tampered(envelope::open(&key, &space, &altered), 9), seal_fails, "{what}");
    }
    let mut cut = small.clone();
    cut.nonce.pop();
    assert!(tampered(envelope::open(&key, &space, &cut), 9).starts_with(seal_fails));
    assert_eq!(tampered(envelope::open(&SpaceKey::generate(), &space, &small), 9), seal_fails, "another key");
    assert_eq!(tampered(envelope::open(&key, &Uuid::now_v7(), &small), 9), seal_fails, "another space");

    let mut mac = small.clone();
    mac.mac[31] ^= 1;
    assert_eq!(tampered(envelope::open(&key, &space, &mac), 9), "the entry's MAC does not match");
    assert_eq!(MAX_PAYLOAD, 64 * 1024 * 1024);
}

#[test]
fn the_mac_is_keyed_and_of_the_payload() {
    let (device, space, id) = (Device::generate(), Uuid::now_v7(), Uuid::now_v7());
    let key = SpaceKey::generate();
    let (_, _, a) = envelope::seal(&key, &space, &id, 1, &device.id(), b"same words");
    let (_, _, b) = envelope::seal(&key, &space, &id, 1, &device.id(), b"same words");
    let (_, _, other_key) = envelope::seal(&SpaceKey::generate(), &space, &id, 1, &device.id(), b"same words");
    assert_eq!(a, b, "the MAC depends on the payload, not on the nonce");
    assert_ne!(a, other_key, "the MAC is keyed: the server cannot confirm a guess");
}

#[test]
fn a_space_key_wrapped_to_a_device_opens_only_there() {
    let (alice, bob) = (Device::generate(), Device::generate());
    let key = SpaceKey::generate();
    let wrapped = key.wrap_to(&alice.public());
    assert_eq!(wrapped.len(), 32 + 16 + 32, "a libsodium sealed box of 32 bytes");
    assert_eq!(SpaceKey::unwrap(&wrapped, &alice, 3).expect("opens").bytes(), key.bytes());
    assert_ne!(key.wrap_to(&alice.public()), wrapped, "each wrap has its own ephemeral key");

    for (what, attempt) in [
        ("another device", SpaceKey::unwrap(&wrapped, &bob, 3)),
        ("a flipped bit", SpaceKey::unwrap(&flip(&wrapped, 40), &alice, 3)),
        ("cut", SpaceKey::unwrap(&wrapped[..40], &alice, 3)),
        ("empty", SpaceKey::unwrap(&[], &alice, 3)),
    ] {
        match attempt {
            Err(Error::Rejected(message)) => {
                assert!(message.contains("space key of epoch 3 does not open"), "{what}: {message}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    assert!(matches!(SpaceKey::from_bytes(&[0; 31]), Err(Error::Invalid { .. })));
    assert_eq!(SpaceKey::from_bytes(&[7; 32]).expect("32 bytes").bytes(), &[7; 32]);
}

/// A wrap made by libsodium itself (`crypto_box_seal` of 32 bytes 0x42 to the X25519 key whose
/// secret is 0x00..0x1f), so a member using another libsodium client can share a space.
#[test]
fn a_wrap_sealed_by_libsodium_opens() {
    let mut secret = [7u8; 64];
    for (i, byte) in secret[32..].iter_mut().enumerate() {
        *byte = i as u8;
    }
    let device = Device::from_secret(&secret).unwrap();
    assert_eq!(
        device.public().seal,
        hex32("8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f").unwrap()
    );
    let sealed = "a0c67d354d5c2f877d9992ab8bf747fe05f1e1f622e6947ca450415597435b5b\
                  708d96897835ccc32084a3cd6908c275d7ff80fd5131274c0e2691d10a0d5f31\
                  458a71ffd4ff31eaddad4b9b70e96e15";
    let bytes: Vec<u8> =
        (0..sealed.len() / 2).map(|i| u8::from_str_radix(&sealed[2 * i..2 * i + 2], 16).unwrap()).collect();
    assert_eq!(SpaceKey::unwrap(&bytes, &device, 1).unwrap().bytes(), &[0x42; 32]);
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 1;
    out
}

#[test]
fn a_wrap_statement_changes_with_each_of_its_fields() {
    let (space, device) = (Uuid::now_v7(), [4u8; 32]);
    let base = wrap_statement(&space, 2, &device, b"wrapped");
    assert_eq!(base, wrap_statement(&space, 2, &device, b"wrapped"));
    let variants = [
        wrap_statement(&Uuid::now_v7(), 2, &device, b"wrapped"),
        wrap_statement(&space, 3, &device, b"wrapped"),
        wrap_statement(&space, 2, &[5; 32], b"wrapped"),
        wrap_statement(&space, 2, &device, b"wrappee"),
        wrap_statement(&space, 2, &device, b"wrapped\0"),
    ];
    for (i, v) in variants.iter().enumerate() {
        assert_ne!(v, &base, "variant {i}");
    }
    assert!(base.starts_with(&[0, 0, 0, 0, 0, 0, 0, 20]) && base[8..28] == *b"dossier-space-wrap/1");

    let admin = Device::generate();
    let signature = admin.sign(&base);
    assert_eq!(signature.len(), 64);
    assert!(admin.public().verify(&base, &signature));
    assert!(keys::verify(&admin.id(), &base, &signature));
    assert!(!keys::verify(&admin.id(), &variants[3], &signature), "a substituted wrap is not vouched for");
    assert!(!keys::verify(&Device::generate().id(), &base, &signature));
    assert!(!keys::verify(&admin.id(), &base, &signature[..63]));
    assert!(!keys::verify(&[0; 32], &base, &signature), "a key of small order verifies nothing");
}

#[test]
fn a_device_comes_back_whole_from_its_secret() {
    let device = Device::generate();
    let secret = device.secret();
    assert_eq!(secret.len(), 64);
    let again = Device::from_secret(&secret).expect("its own secret");
    assert_eq!(again.public(), device.public());
    assert_eq!(again.id(), device.public().sign);
    let wrapped = SpaceKey::generate().wrap_to(&device.public());
    assert!(SpaceKey::unwrap(&wrapped, &again, 1).is_ok(), "the X25519 key comes back too");
    assert_ne!(Device::generate().public(), device.public());
    match Device::from_secret(&secret[..63]) {
        Err(Error::Invalid { reason, .. }) => assert_eq!(reason.key, "device_key_length"),
        other => panic!("{other:?}"),
    }
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let shown = format!("{device:?}");
    assert!(shown.contains(&hex(&device.id())), "{shown}");
    assert!(!shown.contains(&hex(&secret[..8])) && !shown.contains(&hex(&secret[32..40])), "{shown}");
    let key = SpaceKey::from_bytes(&[0x5a; 32]).unwrap();
    assert_eq!(format!("{key:?}"), "SpaceKey(..)");
}

#[test]
fn a_device_s_public_keys_serialize_as_hex() {
    let public = DevicePublic { sign: [0xab; 32], seal: [0x01; 32] };
    let json = serde_json::to_string(&public).unwrap();
    assert_eq!(json, format!("{{\"sign\":\"{}\",\"seal\":\"{}\"}}", "ab".repeat(32), "01".repeat(32)));
    assert_eq!(serde_json::from_str::<DevicePublic>(&json).unwrap(), public);
    assert!(serde_json::from_str::<DevicePublic>(&json.replace("ab", "zz")).is_err());

    assert_eq!(hex32(&"AB".repeat(32)).unwrap(), [0xab; 32]);
    for bad in ["", "ab", &"ab".repeat(33), &format!("{}g0", "ab".repeat(31)), &format!("{}é", "a".repeat(62))] {
        match hex32(bad) {
            Err(Error::Invalid { reason, .. }) => assert!(reason.message.contains("not 64 hexadecimal"), "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn six_words_name_a_device_and_a_hash() {
    let list = bip39::Language::English.word_list();
    let device = Device::generate().public();
    let words = device.words();
    assert_eq!(words.split(' ').count(), 6, "{words}");
    assert!(words.split(' ').all(|w| list.contains(&w)), "{words}");
    assert_eq!(device.words(), words, "deterministic");
    assert_ne!(Device::generate().public().words(), words);
    let mut other_seal = device.clone();
    other_seal.seal[0] ^= 1;
    assert_ne!(other_seal.words(), words, "the X25519 key is named too");
    let both = [device.sign, device.seal].concat();
    assert_eq!(words_of(&both), words);

    // Pinned: every member's Dossier must compute the same words, release after release (computed
    // independently from the BIP-39 list).
    assert_eq!(words_of(b""), "together mail awful cradle scrub apart");
    assert_eq!(words_of(b"dossier"), "similar gas window degree jazz convince");
    assert_ne!(words_of(b"dossier!"), words_of(b"dossier"));
}

fn request() -> JoinRequest {
    JoinRequest { person: "Ana Lopes".into(), device: Device::generate().public() }
}

#[test]
fn a_join_request_travels_as_one_line() {
    let request = request();
    let text = request.to_text();
    assert!(text.starts_with("dossier-join:1:"), "{text}");
    assert!(!text.contains(['\n', ' ', '=', '+', '/']), "one line of base64url: {text}");
    assert_eq!(JoinRequest::parse(&text).unwrap(), request);
    assert_eq!(JoinRequest::parse(&format!("\n  {text}\r\n")).unwrap(), request, "as pasted");
    assert_eq!(request.words(), request.device.words());

    let named = |person: String| JoinRequest { person, ..request.clone() };
    for person in ["A", "Ana María O'Brien-Łukasz 李", &"é".repeat(200)] {
        let ok = named(person.to_string());
        assert_eq!(JoinRequest::parse(&ok.to_text()).unwrap(), ok, "{person}");
    }
}

/// The key and field of the error refusing `text`, and its message.
fn refusal(text: &str) -> (String, &'static str, String) {
    match JoinRequest::parse(text) {
        Err(Error::Invalid { field, reason }) => (field, reason.key, reason.message),
        other => panic!("'{}' must be refused: {other:?}", text.chars().take(60).collect::<String>()),
    }
}

fn encoded(json: &str) -> String {
    use base64::Engine as _;
    format!("dossier-join:1:{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
}

#[test]
fn a_join_request_that_is_not_one_is_refused_with_what_is_wrong() {
    let good = request();
    let text = good.to_text();
    let json = serde_json::to_string(&good).unwrap();
    let named = |person: &str| JoinRequest { person: person.into(), ..good.clone() }.to_text();
    let cases: Vec<(String, &str, &str)> = vec![
        ("hello there".into(), "join_request_prefix", "is not a Dossier join request"),
        ("".into(), "join_request_prefix", "should start with 'dossier-join:1:'"),
        (text.replacen(":1:", ":2:", 1), "join_request_prefix", "version '2'"),
        (text.replace("dossier-join", "dossier-jion"), "join_request_prefix", "not a Dossier join request"),
        (format!("{text}!"), "join_request_base64", "not base64url"),
        (format!("{text}==="), "join_request_base64", "damaged on the way"),
        (encoded("not json"), "join_request_json", "does not read"),
        (encoded(&json.replace("}}", "},\"extra\":1}")), "join_request_json", "does not read"),
        (encoded(&json.replace("\"sign\":\"", "\"sign\":\"0")), "join_request_json", "does not read"),
        (encoded("{\"person\":\"Ana\"}"), "join_request_json", "missing field"),
        (format!("dossier-join:1:{}", "A".repeat(1 << 20)), "join_request_too_long", "1048591 bytes long"),
        (named(""), "person_name", "is empty"),
        (named("   "), "person_name", "is empty"),
        (named("Ana\nLopes"), "person_name", "control characters"),
        (named("Ana\u{1b}[31m"), "person_name", "control characters"),
        (named(&"x".repeat(201)), "person_name", "201 characters long, more than 200"),
    ];
    for (input, key, says) in cases {
        let (field, got, message) = refusal(&input);
        assert_eq!(got, key, "{input:.60}: {message}");
        assert!(message.contains(says), "{input:.60}: '{message}' should say '{says}'");
        assert!(field.starts_with("join request"), "{field}");
    }

    let weak = JoinRequest { device: DevicePublic { sign: [0; 32], ..good.device.clone() }, ..good.clone() };
    assert_eq!(refusal(&weak.to_text()).1, "device_key", "a signing key of small order is no one's");
}

#[test]
fn the_4_kib_bound_is_checked_before_decoding() {
    let just_over = format!("dossier-join:1:{}", "!".repeat(4097 - 15));
    assert_eq!(refusal(&just_over).1, "join_request_too_long");
    let just_under = format!("dossier-join:1:{}", "!".repeat(4096 - 15));
    assert_eq!(refusal(&just_under).1, "join_request_base64");
}

#[test]
fn evidence_chunks_open_only_in_their_place() {
    let (key, sha, other_sha) = (SpaceKey::generate(), "ab".repeat(32), "cd".repeat(32));
    let plain: Vec<Vec<u8>> = vec![payload(4096), payload(4096), b"the end".to_vec()];
    let sealed: Vec<Vec<u8>> =
        plain.iter().enumerate().map(|(n, p)| envelope::seal_chunk(&key, 7, &sha, n as u32, n == 2, p)).collect();
    for (n, chunk) in sealed.iter().enumerate() {
        assert_eq!(envelope::chunk_epoch(chunk).unwrap(), 7);
        assert_eq!(chunk.len(), 4 + 24 + plain[n].len() + 16);
        assert_eq!(envelope::open_chunk(&key, &sha, n as u32, n == 2, chunk).unwrap(), plain[n], "chunk {n}");
    }
    let empty = envelope::seal_chunk(&key, -1, &sha, 0, true, b"");
    assert_eq!(envelope::chunk_epoch(&empty).unwrap(), -1);
    assert_eq!(envelope::open_chunk(&key, &sha, 0, true, &empty).unwrap(), b"");

    let refused = |what: &str, result: dossier_core::Result<Vec<u8>>| match result {
        Err(Error::Rejected(message)) => assert!(message.contains("does not open"), "{what}: {message}"),
        other => panic!("{what}: {other:?}"),
    };
    refused("swapped n", envelope::open_chunk(&key, &sha, 0, false, &sealed[1]));
    refused("not marked last", envelope::open_chunk(&key, &sha, 2, false, &sealed[2]));
    refused("marked last: the file cut after it", envelope::open_chunk(&key, &sha, 1, true, &sealed[1]));
    refused("another file's", envelope::open_chunk(&key, &other_sha, 0, false, &sealed[0]));
    refused("another key", envelope::open_chunk(&SpaceKey::generate(), &sha, 0, false, &sealed[0]));
    refused("truncated", envelope::open_chunk(&key, &sha, 0, false, &sealed[0][..sealed[0].len() - 1]));
    refused("header only", envelope::open_chunk(&key, &sha, 0, false, &sealed[0][..28]));
    refused("a flipped bit", envelope::open_chunk(&key, &sha, 0, false, &flip(&sealed[0], 100)));
    refused("a flipped nonce", envelope::open_chunk(&key, &sha, 0, false, &flip(&sealed[0], 10)));

    let mut relabelled = sealed[0].clone();
    relabelled[..4].copy_from_slice(&8i32.to_be_bytes());
    assert_eq!(envelope::chunk_epoch(&relabelled).unwrap(), 8, "the header is read as it is");
    refused("another epoch's key", envelope::open_chunk(&SpaceKey::generate(), &sha, 0, false, &relabelled));

    for short in [&sealed[0][..27], &[][..]] {
        match envelope::chunk_epoch(short) {
            Err(Error::Rejected(message)) => assert!(message.contains("28-byte header"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(envelope::chunk_epoch(&sealed[0][..28]).unwrap(), 7);
}

#[test]
fn a_file_s_name_on_the_server_is_stable_and_keyed() {
    let (key, sha) = (SpaceKey::generate(), "0f".repeat(32));
    let name = envelope::blob_name(&key, &sha);
    assert_eq!(envelope::blob_name(&SpaceKey::from_bytes(key.bytes()).unwrap(), &sha), name);
    assert_ne!(envelope::blob_name(&SpaceKey::generate(), &sha), name);
    assert_ne!(envelope::blob_name(&key, &"f0".repeat(32)), name);
    assert_ne!(name.to_vec(), hex32(&sha).unwrap().to_vec(), "not the SHA-256 itself");
}
