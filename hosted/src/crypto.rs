//! Secrets at rest: the credential encryption key, AES-256-GCM sealing, random tokens and ids,
//! and token hashing.
//!
//! Tokens (MCP server URLs, API tokens) are 256 bits from the thread-local CSPRNG (ChaCha seeded
//! from the OS), URL-safe base64 without padding, and only their SHA-256 reaches the database.
//! Credentials are sealed with AES-256-GCM under a fresh random 96-bit nonce per record, with the
//! record's id as associated data so a ciphertext copied onto another row does not decrypt.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Sealed blobs start with this byte so a future key rotation can tell formats apart.
const SEALED_V1: u8 = 1;
const NONCE_LEN: usize = 12;

/// The 32-byte credential encryption key (`MCP_SECRET_KEY`, 64 hex characters).
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// Why a `MCP_SECRET_KEY` value was rejected. Never includes the value itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Hex digits only, but not 64 of them; how many there are.
    #[error("must be 64 hexadecimal characters (32 bytes), got {0} characters")]
    Length(usize),
    /// The first character that is not a hex digit, and its position (0-based).
    #[error("must be hexadecimal (0-9, a-f); found {0:?} at position {1}")]
    NotHex(char, usize),
}

impl SecretKey {
    /// Parses 64 hex characters; surrounding whitespace is ignored.
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        if let Some((position, c)) = text
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_hexdigit())
        {
            return Err(KeyError::NotHex(c, position));
        }
        if text.len() != 64 {
            return Err(KeyError::Length(text.len()));
        }
        let mut key = [0u8; 32];
        for (byte, pair) in key.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
            *byte = (hex_value(pair[0]) << 4) | hex_value(pair[1]);
        }
        Ok(Self(key))
    }

    /// A fresh random key (for `--dev`).
    pub fn generate() -> Self {
        Self(random_bytes())
    }

    /// The key that seals `Link`-header cursors, derived from this one so that cursors survive
    /// restarts and are accepted by every replica that shares the key.
    pub fn cursor_key(&self) -> mcpgen_runtime::CursorKey {
        mcpgen_runtime::CursorKey::derive(&self.0)
    }

    /// Whether `other` is the same key, compared in constant time.
    pub fn same_as(&self, other: &SecretKey) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// The key as 64 lowercase hex characters, to print once in `--dev`.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

/// A sealed blob could not be opened: wrong key, wrong associated data, or corruption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot decrypt: wrong MCP_SECRET_KEY or corrupted record")]
pub struct DecryptError;

/// AES-GCM refused to encrypt (only possible for plaintexts over 64 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot encrypt the record")]
pub struct EncryptError;

/// AES-256-GCM with the hosted mode's blob format: `version || nonce || ciphertext+tag`.
#[derive(Clone)]
pub struct Cipher(Aes256Gcm);

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cipher(<redacted>)")
    }
}

impl Cipher {
    /// Seals and opens under `key`: every process on one database needs the same key.
    pub fn new(key: &SecretKey) -> Self {
        Self(Aes256Gcm::new(&Key::<Aes256Gcm>::from(key.0)))
    }

    /// Encrypts `plaintext` bound to `aad` under a fresh random nonce.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, EncryptError> {
        let nonce: [u8; NONCE_LEN] = random_bytes();
        let sealed = self
            .0
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| EncryptError)?;
        let mut blob = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        blob.push(SEALED_V1);
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(blob)
    }

    /// Decrypts a blob made by [`Cipher::seal`] with the same `aad`.
    pub fn open(&self, blob: &[u8], aad: &[u8]) -> Result<Vec<u8>, DecryptError> {
        let (&version, rest) = blob.split_first().ok_or(DecryptError)?;
        if version != SEALED_V1 || rest.len() < NONCE_LEN {
            return Err(DecryptError);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| DecryptError)?;
        self.0
            .decrypt(&Nonce::from(nonce), Payload { msg: sealed, aad })
            .map_err(|_| DecryptError)
    }
}

/// The SHA-256 of a token: what the database stores and lookups use.
pub type TokenHash = [u8; 32];

/// A new 256-bit token, URL-safe base64 without padding (43 characters).
pub fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

pub(crate) fn hash_token(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether `given` hashes to `expected`, compared in constant time. Comparing fixed-size
/// digests also hides the secret's length.
pub fn hash_matches(given: &str, expected: &TokenHash) -> bool {
    hash_token(given).ct_eq(expected).into()
}

/// A record id: `prefix`, then the creation time in milliseconds and 64 random bits, in hex.
/// Ids sort by creation time, which gives list pagination a stable, meaningful order.
pub fn new_id(prefix: &str, now: DateTime<Utc>) -> String {
    let millis = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    let random = u64::from_be_bytes(random_bytes());
    format!("{prefix}_{millis:012x}{random:016x}")
}

/// Whether `id` has the shape [`new_id`] gives with `prefix` (used to reject bad cursors).
pub fn is_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|hex| {
            hex.len() == 28 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::fill(&mut bytes[..]);
    bytes
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn key_parsing_rejects_bad_input() {
        assert_eq!(SecretKey::from_hex("ab").unwrap_err(), KeyError::Length(2));
        let bad = format!("{}zz", "0".repeat(62));
        assert_eq!(
            SecretKey::from_hex(&bad).unwrap_err(),
            KeyError::NotHex('z', 62)
        );
        let key = SecretKey::generate();
        assert_eq!(
            SecretKey::from_hex(&key.to_hex().to_uppercase()).unwrap().0,
            key.0
        );
    }

    #[test]
    fn sealing_round_trips_and_binds_aad() {
        let cipher = Cipher::new(&SecretKey::generate());
        let a = cipher.seal(b"secret", b"acct_1").unwrap();
        let b = cipher.seal(b"secret", b"acct_1").unwrap();
        assert_ne!(a, b, "nonces must differ per record");
        assert_eq!(cipher.open(&a, b"acct_1").unwrap(), b"secret");
        assert_eq!(cipher.open(&a, b"acct_2"), Err(DecryptError));
        assert_eq!(
            Cipher::new(&SecretKey::generate()).open(&a, b"acct_1"),
            Err(DecryptError)
        );
        assert_eq!(cipher.open(&[], b"acct_1"), Err(DecryptError));
    }

    #[test]
    fn tokens_are_256_bit_and_distinct() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert!(hash_matches(&a, &hash_token(&a)));
        assert!(!hash_matches(&b, &hash_token(&a)));
        assert!(!hash_matches(&a[..42], &hash_token(&a)));
    }

    #[test]
    fn ids_sort_by_time() {
        let early = new_id("acct", DateTime::from_timestamp_millis(1_000).unwrap());
        let late = new_id("acct", DateTime::from_timestamp_millis(2_000).unwrap());
        assert!(early < late);
        assert!(is_id(&early, "acct"));
        assert!(!is_id(&early, "mcp"));
        assert!(!is_id("acct_zz", "acct"));
    }
}
