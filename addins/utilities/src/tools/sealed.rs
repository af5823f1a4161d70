//! The authenticator's accounts, sealed under the user's PIN or
//! passphrase: PBKDF2-HMAC-SHA256 (prizm-lock's, the CGlock derivation)
//! makes a 256-bit key from the secret and a fresh random salt, and
//! ChaCha20-Poly1305 (RFC 8439, on RustCrypto's `chacha20` and
//! `poly1305`) encrypts and authenticates the accounts. A wrong secret or
//! any changed byte fails the tag check, so nothing is shown.
//!
//! Stored blob (one main-memory item):
//! `"UTK1"` | iterations (u32, big-endian) | salt (16) | nonce (12) |
//! ciphertext | tag (16). The header is the AEAD's associated data, so
//! the iteration count cannot be lowered unnoticed.
//!
//! Plaintext: for each account, name length (u8), name, flags (u8: bit 0
//! SHA-256, bit 1 eight digits), secret length (u8), secret.

use alloc::vec::Vec;

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use chacha20::ChaCha20;
use poly1305::universal_hash::{KeyInit, UniversalHash};
use poly1305::Poly1305;

use super::totp::{Account, Algorithm};

/// First bytes of a blob.
pub const MAGIC: &[u8; 4] = b"UTK1";
/// Salt bytes.
pub const SALT_LENGTH: usize = 16;
/// Nonce bytes (RFC 8439).
pub const NONCE_LENGTH: usize = 12;
/// Tag bytes.
pub const TAG_LENGTH: usize = 16;
/// Header bytes: magic, iterations, salt, nonce.
pub const HEADER_LENGTH: usize = 4 + 4 + SALT_LENGTH + NONCE_LENGTH;
/// Fewest PBKDF2 iterations accepted from a blob (a damaged or forged
/// count must not make guessing cheap).
pub const MIN_ITERATIONS: u32 = prizm_lock::crypto::MIN_ITERATIONS;
/// Most iterations accepted (beyond this a check would take minutes).
pub const MAX_ITERATIONS: u32 = prizm_lock::crypto::MAX_ITERATIONS;

/// Why a blob was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Too short, wrong magic or an iteration count out of range.
    NotAVault,
    /// The tag did not match: wrong secret, or the blob was changed.
    WrongSecretOrDamaged,
    /// Authentic but its contents do not parse (a bug, not an attack).
    BadContents,
}

impl OpenError {
    /// A message for the screen.
    pub fn message(self) -> &'static str {
        match self {
            OpenError::NotAVault => "The saved accounts are damaged.",
            OpenError::WrongSecretOrDamaged => "Wrong PIN (or damaged accounts).",
            OpenError::BadContents => "The saved accounts could not be read.",
        }
    }
}

/// Encrypts `plaintext` in place and returns the RFC 8439 tag over `aad`
/// and the ciphertext.
pub fn seal_in_place(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LENGTH],
    aad: &[u8],
    buffer: &mut [u8],
) -> [u8; TAG_LENGTH] {
    let mut cipher = ChaCha20::new(key.into(), nonce.into());
    let mut one_time_key = [0u8; 32];
    cipher.apply_keystream(&mut one_time_key);
    cipher.seek(64u32);
    cipher.apply_keystream(buffer);
    let tag = poly_tag(&one_time_key, aad, buffer);
    wipe(&mut one_time_key);
    tag
}

/// Checks the tag, then decrypts `buffer` in place; on a wrong tag the
/// buffer is left as it was (still encrypted).
pub fn open_in_place(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LENGTH],
    aad: &[u8],
    buffer: &mut [u8],
    tag: &[u8; TAG_LENGTH],
) -> Result<(), OpenError> {
    let mut cipher = ChaCha20::new(key.into(), nonce.into());
    let mut one_time_key = [0u8; 32];
    cipher.apply_keystream(&mut one_time_key);
    let expected = poly_tag(&one_time_key, aad, buffer);
    wipe(&mut one_time_key);
    if !prizm_lock::crypto::constant_time_eq(&expected, tag) {
        return Err(OpenError::WrongSecretOrDamaged);
    }
    cipher.seek(64u32);
    cipher.apply_keystream(buffer);
    Ok(())
}

fn poly_tag(one_time_key: &[u8; 32], aad: &[u8], ciphertext: &[u8]) -> [u8; TAG_LENGTH] {
    let mut mac = Poly1305::new(one_time_key.into());
    mac.update_padded(aad);
    mac.update_padded(ciphertext);
    let mut lengths = [0u8; 16];
    lengths[..8].copy_from_slice(&(aad.len() as u64).to_le_bytes());
    lengths[8..].copy_from_slice(&(ciphertext.len() as u64).to_le_bytes());
    mac.update_padded(&lengths);
    mac.finalize().into()
}

/// Overwrites key material (plain stores: the toolchain cannot compile
/// volatile byte stores; `black_box` keeps the stores from being
/// dropped as dead).
fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    core::hint::black_box(bytes);
}

/// The 256-bit key for `secret` and `salt`.
pub fn derive_key(secret: &[u8], salt: &[u8; SALT_LENGTH], iterations: u32) -> [u8; 32] {
    let mut key = [0u8; 32];
    prizm_lock::sha256::pbkdf2_hmac_sha256(secret, salt, iterations, &mut key);
    key
}

/// Serializes accounts (names and secrets longer than a byte's count
/// cannot occur: both are bounded well below 256).
pub fn encode_accounts(accounts: &[Account]) -> Vec<u8> {
    let mut out = Vec::new();
    for account in accounts {
        out.push(account.name.len() as u8);
        out.extend_from_slice(account.name.as_bytes());
        let mut flags = 0u8;
        if account.algorithm == Algorithm::Sha256 {
            flags |= 1;
        }
        if account.digits == 8 {
            flags |= 2;
        }
        out.push(flags);
        out.push(account.secret.len() as u8);
        out.extend_from_slice(&account.secret);
    }
    out
}

/// Parses what [`encode_accounts`] wrote.
pub fn decode_accounts(mut bytes: &[u8]) -> Option<Vec<Account>> {
    let mut accounts = Vec::new();
    while let Some((&name_length, rest)) = bytes.split_first() {
        let name_bytes = rest.get(..name_length as usize)?;
        let rest = &rest[name_length as usize..];
        let (&flags, rest) = rest.split_first()?;
        let (&secret_length, rest) = rest.split_first()?;
        let secret = rest.get(..secret_length as usize)?;
        bytes = &rest[secret_length as usize..];
        let mut name = heapless::String::new();
        name.push_str(core::str::from_utf8(name_bytes).ok()?).ok()?;
        accounts.push(Account {
            name,
            secret: heapless::Vec::from_slice(secret).ok()?,
            algorithm: if flags & 1 != 0 { Algorithm::Sha256 } else { Algorithm::Sha1 },
            digits: if flags & 2 != 0 { 8 } else { 6 },
        });
    }
    Some(accounts)
}

/// Seals `accounts` under `secret` with a fresh `salt` and `nonce` (both
/// must be unpredictable and never reused; a new salt means a new key).
pub fn seal(
    accounts: &[Account],
    secret: &[u8],
    iterations: u32,
    salt: &[u8; SALT_LENGTH],
    nonce: &[u8; NONCE_LENGTH],
) -> Vec<u8> {
    let mut blob = Vec::new();
    blob.extend_from_slice(MAGIC);
    blob.extend_from_slice(&iterations.to_be_bytes());
    blob.extend_from_slice(salt);
    blob.extend_from_slice(nonce);
    let mut body = encode_accounts(accounts);
    let mut key = derive_key(secret, salt, iterations);
    let tag = seal_in_place(&key, nonce, &blob[..HEADER_LENGTH], &mut body);
    wipe(&mut key);
    blob.extend_from_slice(&body);
    blob.extend_from_slice(&tag);
    blob
}

/// Opens a blob made by [`seal`] with `secret`.
pub fn open(blob: &[u8], secret: &[u8]) -> Result<Vec<Account>, OpenError> {
    if blob.len() < HEADER_LENGTH + TAG_LENGTH || &blob[..4] != MAGIC {
        return Err(OpenError::NotAVault);
    }
    let iterations = u32::from_be_bytes([blob[4], blob[5], blob[6], blob[7]]);
    if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
        return Err(OpenError::NotAVault);
    }
    let mut salt = [0u8; SALT_LENGTH];
    salt.copy_from_slice(&blob[8..8 + SALT_LENGTH]);
    let mut nonce = [0u8; NONCE_LENGTH];
    nonce.copy_from_slice(&blob[8 + SALT_LENGTH..HEADER_LENGTH]);
    let tag_start = blob.len() - TAG_LENGTH;
    let mut tag = [0u8; TAG_LENGTH];
    tag.copy_from_slice(&blob[tag_start..]);
    let mut body = blob[HEADER_LENGTH..tag_start].to_vec();
    let mut key = derive_key(secret, &salt, iterations);
    let opened = open_in_place(&key, &nonce, &blob[..HEADER_LENGTH], &mut body, &tag);
    wipe(&mut key);
    opened?;
    let accounts = decode_accounts(&body).ok_or(OpenError::BadContents);
    wipe(&mut body);
    accounts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::totp::decode_base32;

    fn account(name: &str, secret: &str, algorithm: Algorithm, digits: u8) -> Account {
        let mut stored = heapless::String::new();
        stored.push_str(name).unwrap();
        Account {
            name: stored,
            secret: decode_base32(secret).unwrap(),
            algorithm,
            digits,
        }
    }

    fn sample() -> Vec<Account> {
        vec![
            account("GitHub", "JBSWY3DPEHPK3PXP", Algorithm::Sha1, 6),
            account("Bank", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Algorithm::Sha256, 8),
            account("", "MZXW6YTBOI", Algorithm::Sha1, 8),
        ]
    }

    #[test]
    fn rfc_8439_aead_vector() {
        // Section 2.8.2.
        let key: [u8; 32] = core::array::from_fn(|i| 0x80 + i as u8);
        let nonce = [0x07, 0, 0, 0, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47];
        let aad = [0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7];
        let plaintext = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let mut buffer = plaintext.to_vec();
        let tag = seal_in_place(&key, &nonce, &aad, &mut buffer);
        assert_eq!(&buffer[..8], &[0xd3, 0x1a, 0x8d, 0x34, 0x64, 0x8e, 0x60, 0xdb]);
        assert_eq!(
            tag,
            [0x1a, 0xe1, 0x0b, 0x59, 0x4f, 0x09, 0xe2, 0x6a, 0x7e, 0x90, 0x2e, 0xcb, 0xd0, 0x60, 0x06, 0x91]
        );
        open_in_place(&key, &nonce, &aad, &mut buffer, &tag).unwrap();
        assert_eq!(buffer, plaintext);
    }

    #[test]
    fn same_as_the_complete_aead_crate() {
        use chacha20poly1305::aead::{Aead, KeyInit as _, Payload};
        let key = [0x42u8; 32];
        let nonce = [9u8; 12];
        for length in [0usize, 1, 15, 16, 17, 63, 64, 65, 300] {
            let plaintext: Vec<u8> = (0..length).map(|i| (i * 7) as u8).collect();
            let reference = chacha20poly1305::ChaCha20Poly1305::new(&key.into())
                .encrypt(&nonce.into(), Payload { msg: &plaintext, aad: b"header" })
                .unwrap();
            let mut buffer = plaintext.clone();
            let tag = seal_in_place(&key, &nonce, b"header", &mut buffer);
            assert_eq!(&reference[..length], buffer.as_slice(), "length {length}");
            assert_eq!(&reference[length..], &tag, "length {length}");
        }
    }

    #[test]
    fn round_trip() {
        let blob = seal(&sample(), b"1234", MIN_ITERATIONS, &[3; 16], &[4; 12]);
        assert_eq!(open(&blob, b"1234").unwrap(), sample());
        // Nothing of the secrets is visible in the blob.
        let secret = decode_base32("JBSWY3DPEHPK3PXP").unwrap();
        assert!(!blob.windows(secret.len()).any(|w| w == secret.as_slice()));
        assert!(!blob.windows(6).any(|w| w == b"GitHub"));
        let empty = seal(&[], b"1234", MIN_ITERATIONS, &[3; 16], &[4; 12]);
        assert_eq!(open(&empty, b"1234").unwrap(), vec![]);
    }

    #[test]
    fn wrong_pin_is_rejected() {
        let blob = seal(&sample(), b"1234", MIN_ITERATIONS, &[3; 16], &[4; 12]);
        assert_eq!(open(&blob, b"1235"), Err(OpenError::WrongSecretOrDamaged));
        assert_eq!(open(&blob, b""), Err(OpenError::WrongSecretOrDamaged));
        assert_eq!(open(&blob, b"12345"), Err(OpenError::WrongSecretOrDamaged));
    }

    #[test]
    fn any_changed_byte_is_rejected() {
        let blob = seal(&sample(), b"1234", MIN_ITERATIONS, &[3; 16], &[4; 12]);
        for index in 0..blob.len() {
            let mut changed = blob.clone();
            changed[index] ^= 0x01;
            assert!(open(&changed, b"1234").is_err(), "byte {index} changed unnoticed");
        }
        assert_eq!(open(&blob[..blob.len() - 1], b"1234"), Err(OpenError::WrongSecretOrDamaged));
        assert_eq!(open(&blob[..20], b"1234"), Err(OpenError::NotAVault));
    }

    #[test]
    fn a_lowered_iteration_count_is_refused() {
        let mut blob = seal(&sample(), b"1234", MIN_ITERATIONS, &[3; 16], &[4; 12]);
        blob[4..8].copy_from_slice(&1u32.to_be_bytes());
        assert_eq!(open(&blob, b"1234"), Err(OpenError::NotAVault));
    }

    #[test]
    fn fresh_salt_and_nonce_change_everything() {
        let first = seal(&sample(), b"1234", MIN_ITERATIONS, &[3; 16], &[4; 12]);
        let second = seal(&sample(), b"1234", MIN_ITERATIONS, &[5; 16], &[6; 12]);
        assert_ne!(first[HEADER_LENGTH..], second[HEADER_LENGTH..]);
    }
}
