//! The keys of a team space, on the device: who a device is, how it signs, how the space key reaches
//! it, and how two people check each other's keys out of band.
//!
//! - **A device** has an Ed25519 key that signs every entry it writes (its public key is its id in the
//!   log) and an X25519 key that space keys are wrapped to. Both secrets stay in the member's own
//!   database; only [`DevicePublic`] leaves it.
//! - **A space key** of each epoch is 32 random bytes, wrapped to each active device as a libsodium
//!   sealed box. The server keeps the wraps but cannot swap one for a key of its own: an admin device
//!   signs each wrap ([`wrap_statement`]) and members check that signature against the log.
//! - **A join request** is the one line a new member sends an admin; the six [`words`](DevicePublic::words)
//!   both read out (phone, in person) prove the line arrived unchanged, since the line itself travels
//!   by a channel anyone may alter.
//!
//! Every secret lives in a buffer zeroed on drop.

use std::fmt;

use base64::Engine as _;
use chacha20poly1305::aead::OsRng;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::store::crypt::{hex, random_key};

/// A device of a member: its Ed25519 signing key and its X25519 secret key.
pub struct Device {
    /// Zeroed on drop by ed25519-dalek itself.
    signing: SigningKey,
    seal: Zeroizing<[u8; 32]>,
    /// The X25519 public key, computed once: crypto_box's own secret key type zeroes its scalar on
    /// drop but not the bytes it was made from, so one is made only when a wrap is opened.
    seal_public: [u8; 32],
}

impl Device {
    /// A new device, its keys from the operating system's random source.
    pub fn generate() -> Device {
        Device::from_parts(&random_key(), random_key())
    }

    /// The device whose [`secret`](Device::secret) is `bytes`: 64 bytes, the Ed25519 seed then the
    /// X25519 secret.
    pub fn from_secret(bytes: &[u8]) -> Result<Device> {
        if bytes.len() != 64 {
            return Err(Error::rule(
                "device key",
                "device_key_length",
                Some(bytes.len().to_string()),
                format!("is {} bytes long, not 64: it is not a device key", bytes.len()),
            ));
        }
        let mut seed = Zeroizing::new([0u8; 32]);
        let mut seal = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&bytes[..32]);
        seal.copy_from_slice(&bytes[32..]);
        Ok(Device::from_parts(&seed, seal))
    }

    fn from_parts(seed: &[u8; 32], seal: Zeroizing<[u8; 32]>) -> Device {
        let seal_public = crypto_box::SecretKey::from_bytes(*seal).public_key().to_bytes();
        Device { signing: SigningKey::from_bytes(seed), seal, seal_public }
    }

    /// The 64 secret bytes to keep the device in the member's database: the Ed25519 seed then the
    /// X25519 secret.
    pub fn secret(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(64));
        out.extend_from_slice(self.signing.as_bytes());
        out.extend_from_slice(self.seal.as_slice());
        out
    }

    /// What others need of this device: the keys that check its signatures and that wraps are made to.
    pub fn public(&self) -> DevicePublic {
        DevicePublic { sign: self.id(), seal: self.seal_public }
    }

    /// The device's id: its Ed25519 public key.
    pub fn id(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// Ed25519 signature (64 bytes) of `message`.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.signing.sign(message).to_bytes().to_vec()
    }

    /// The X25519 secret, for opening wraps.
    fn seal_secret(&self) -> crypto_box::SecretKey {
        crypto_box::SecretKey::from_bytes(*self.seal)
    }
}

/// Only the id: the secret keys never reach a log or an error message.
impl fmt::Debug for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Device").field("id", &hex(&self.id())).finish_non_exhaustive()
    }
}

/// A device's public keys: `sign` checks its signatures (and is its id), `seal` receives space keys.
/// Serialized as lowercase hex strings, as they travel in join requests and in the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DevicePublic {
    /// The Ed25519 public key: the device's id.
    #[serde(with = "hex_key")]
    pub sign: [u8; 32],
    /// The X25519 public key space keys are wrapped to.
    #[serde(with = "hex_key")]
    pub seal: [u8; 32],
}

impl DevicePublic {
    /// Whether `signature` is this device's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        verify(&self.sign, message, signature)
    }

    /// Six words naming this device's keys (of SHA-256 of sign ‖ seal), for a check out of band: a
    /// change to either key changes them.
    pub fn words(&self) -> String {
        let mut both = [0u8; 64];
        both[..32].copy_from_slice(&self.sign);
        both[32..].copy_from_slice(&self.seal);
        words_of(&both)
    }
}

/// Whether `signature` is the Ed25519 signature of `message` by the device whose public key is `device`.
/// Strict verification: a key of small order or a malleable signature is refused, so no one can make a
/// second valid signature of an entry or a key that "signs" everything.
pub fn verify(device: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(device) else { return false };
    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else { return false };
    key.verify_strict(message, &signature).is_ok()
}

/// Six words naming `bytes` (of their SHA-256), e.g. a log head's hash, to compare out of band: the
/// first 66 bits of the hash, 11 bits a word, in the BIP-39 English list. Forging another input with
/// the same words takes about 2^66 hashes.
pub fn words_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let list = bip39::Language::English.word_list();
    let bits = digest[..9].iter().fold(0u128, |acc, b| acc << 8 | u128::from(*b));
    (0..6).map(|i| list[((bits >> (72 - 11 * (i + 1))) & 0x7ff) as usize]).collect::<Vec<_>>().join(" ")
}

/// The 32 bytes written as `text`: exactly 64 hexadecimal digits (either case).
pub fn hex32(text: &str) -> Result<[u8; 32]> {
    let digit = |c: u8| (c as char).to_digit(16);
    let bad = || {
        let shown: String = text.chars().take(80).collect();
        Error::rule(
            "key",
            "hex32",
            Some(shown.clone()),
            format!("'{shown}' is not 64 hexadecimal digits ({} characters)", text.chars().count()),
        )
    };
    let raw = text.as_bytes();
    if raw.len() != 64 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(raw.chunks_exact(2)) {
        let (Some(high), Some(low)) = (digit(pair[0]), digit(pair[1])) else { return Err(bad()) };
        *byte = (high * 16 + low) as u8;
    }
    Ok(out)
}

/// Serde for a 32-byte key as lowercase hex.
mod hex_key {
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(key: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(key))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        super::hex32(&text).map_err(serde::de::Error::custom)
    }
}

/// The space key of one epoch: 32 random bytes, zeroed on drop.
pub struct SpaceKey(Zeroizing<[u8; 32]>);

impl SpaceKey {
    /// A new key, from the operating system's random source.
    pub fn generate() -> SpaceKey {
        SpaceKey(random_key())
    }

    /// The key whose bytes are `bytes`: exactly 32.
    pub fn from_bytes(bytes: &[u8]) -> Result<SpaceKey> {
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::rule(
                "space key",
                "space_key_length",
                Some(bytes.len().to_string()),
                format!("is {} bytes long, not 32", bytes.len()),
            )
        })?;
        Ok(SpaceKey(Zeroizing::new(key)))
    }

    /// The key's bytes, to keep it in the member's own database.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key sealed (libsodium's `crypto_box_seal`) to the device's X25519 key: only that device
    /// opens it, and the wrap does not say who made it (the admin's signature of the
    /// [`wrap_statement`] does).
    pub fn wrap_to(&self, to: &DevicePublic) -> Vec<u8> {
        crypto_box::PublicKey::from_bytes(to.seal)
            .seal(&mut OsRng, self.0.as_slice())
            // XSalsa20-Poly1305 refuses only messages past 2^38 bytes; this one is 32.
            .expect("sealing 32 bytes cannot fail")
    }

    /// Opens a wrap made for `device`. A wrap that does not open, or holds anything but a key, was
    /// made for another device or altered on the way: refused, naming the `epoch` it was said to be.
    pub fn unwrap(wrapped: &[u8], device: &Device, epoch: i32) -> Result<SpaceKey> {
        let refused = || {
            Error::Rejected(format!(
                "the space key of epoch {epoch} does not open with this device's key: it was wrapped for another device or altered"
            ))
        };
        let plain = Zeroizing::new(device.seal_secret().unseal(wrapped).map_err(|_| refused())?);
        SpaceKey::from_bytes(&plain).map_err(|_| refused())
    }
}

/// Never the key itself.
impl fmt::Debug for SpaceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SpaceKey(..)")
    }
}

/// The bytes an admin signs to vouch for a wrap (so the server cannot substitute a key): a domain
/// tag, then the space id, the epoch (big-endian), the device and the wrapped bytes, each preceded by
/// its length (8 bytes, big-endian) as in [`super::chain_hash`], so no two statements share bytes.
pub fn wrap_statement(space: &uuid::Uuid, epoch: i32, device: &[u8; 32], wrapped: &[u8]) -> Vec<u8> {
    let parts: [&[u8]; 5] = [b"dossier-space-wrap/1", space.as_bytes(), &epoch.to_be_bytes(), device, wrapped];
    let mut out = Vec::with_capacity(5 * 8 + 20 + 16 + 4 + 32 + wrapped.len());
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// What a new member hands an admin: a name and the device's public keys.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// The person's name as the team will see it.
    pub person: String,
    /// The keys of the device they join from.
    pub device: DevicePublic,
}

/// What starts a join request's line; the number is the version of what follows.
const JOIN_PREFIX: &str = "dossier-join:1:";
/// The longest line [`JoinRequest::parse`] reads: a real one is about 250 characters.
const JOIN_MAX: usize = 4096;
const PERSON_MAX: usize = 200;

impl JoinRequest {
    /// One line of text to paste in a message: `dossier-join:1:` then base64url (no padding) of its JSON.
    pub fn to_text(&self) -> String {
        // A struct of a string and two hex strings always serializes.
        let json = serde_json::to_vec(self).expect("a join request serializes");
        format!("{JOIN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
    }

    /// Reads the line [`to_text`](JoinRequest::to_text) wrote, with any whitespace around it. Anything
    /// else is refused with what is wrong: too long (checked before decoding anything), not a join
    /// request, another version, damaged in transit, a name that is empty, over 200 characters or holds
    /// control characters, or a signing key that is not a usable Ed25519 key.
    pub fn parse(text: &str) -> Result<JoinRequest> {
        let refuse = |key: &'static str, message: String| Error::rule("join request", key, None, message);
        if text.len() > JOIN_MAX {
            return Err(refuse(
                "join_request_too_long",
                format!("is {} bytes long, more than a join request's {JOIN_MAX}", text.len()),
            ));
        }
        let text = text.trim();
        let Some(encoded) = text.strip_prefix(JOIN_PREFIX) else {
            let message = match text.strip_prefix("dossier-join:") {
                Some(rest) => format!(
                    "is of version '{}', which this Dossier does not read: update Dossier",
                    rest.split(':').next().unwrap_or_default().chars().take(20).collect::<String>()
                ),
                None => format!("is not a Dossier join request: it should start with '{JOIN_PREFIX}'"),
            };
            return Err(refuse("join_request_prefix", message));
        };
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(encoded).map_err(|e| {
            refuse("join_request_base64", format!("was damaged on the way (it is not base64url: {e}): copy it again"))
        })?;
        let request: JoinRequest = serde_json::from_slice(&json).map_err(|e| {
            refuse(
                "join_request_json",
                format!("was damaged on the way (its content does not read: {e}): copy it again"),
            )
        })?;
        request.check()?;
        Ok(request)
    }

    /// The rules on what a request holds, once it is read.
    fn check(&self) -> Result<()> {
        let name =
            |message: &str| Error::rule("join request person", "person_name", Some(self.person.clone()), message);
        let count = self.person.chars().count();
        if self.person.trim().is_empty() {
            return Err(name("is empty: a join request names the person who joins"));
        }
        if count > PERSON_MAX {
            return Err(name(&format!("is {count} characters long, more than {PERSON_MAX}")));
        }
        if self.person.chars().any(char::is_control) {
            return Err(name("holds control characters (line breaks, tabs, escapes)"));
        }
        let usable = VerifyingKey::from_bytes(&self.device.sign).is_ok_and(|k| !k.is_weak());
        if !usable {
            return Err(Error::rule(
                "join request device",
                "device_key",
                Some(hex(&self.device.sign)),
                "has a signing key that is not a usable Ed25519 public key",
            ));
        }
        Ok(())
    }

    /// The six words of the device's keys (= `device.words()`), which the admin reads back to the new
    /// member before adding them.
    pub fn words(&self) -> String {
        self.device.words()
    }
}
