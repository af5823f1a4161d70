//! TOTP codes (RFC 6238 over RFC 4226's HOTP) and the Base32 secrets
//! that sites hand out (RFC 4648).

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The hash under the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA1, what nearly every site uses.
    Sha1,
    /// HMAC-SHA256.
    Sha256,
}

/// Seconds a code lasts (RFC 6238's default, the only one sites use).
pub const PERIOD: u64 = 30;

/// Longest secret kept, in bytes (RFC 4226 asks for at least 16; sites
/// give 10 to 64).
pub const MAX_SECRET: usize = 64;

/// One account of the authenticator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The name shown (at most [`MAX_NAME`] bytes).
    pub name: heapless::String<MAX_NAME>,
    /// The decoded secret.
    pub secret: heapless::Vec<u8, MAX_SECRET>,
    /// HMAC hash.
    pub algorithm: Algorithm,
    /// 6 or 8.
    pub digits: u8,
}

/// Longest account name.
pub const MAX_NAME: usize = 24;

/// The HOTP value of `counter` (RFC 4226 section 5.3), `digits` long
/// (6 to 8; other values are clamped into that range).
pub fn hotp(secret: &[u8], counter: u64, algorithm: Algorithm, digits: u8) -> u32 {
    let message = counter.to_be_bytes();
    let mut mac = [0u8; 32];
    let length = match algorithm {
        Algorithm::Sha1 => {
            // HMAC accepts keys of any length: new_from_slice cannot fail.
            let Ok(mut hmac) = Hmac::<Sha1>::new_from_slice(secret) else {
                return 0;
            };
            hmac.update(&message);
            mac[..20].copy_from_slice(&hmac.finalize().into_bytes());
            20
        }
        Algorithm::Sha256 => {
            mac = prizm_lock::sha256::hmac(secret, &message);
            32
        }
    };
    let offset = (mac[length - 1] & 0x0F) as usize;
    let binary = u32::from_be_bytes([mac[offset], mac[offset + 1], mac[offset + 2], mac[offset + 3]])
        & 0x7FFF_FFFF;
    binary % 10u32.pow(u32::from(digits.clamp(6, 8)))
}

/// The TOTP value at `unix_seconds` (UTC) with a 30-second period.
pub fn totp(secret: &[u8], unix_seconds: u64, algorithm: Algorithm, digits: u8) -> u32 {
    hotp(secret, unix_seconds / PERIOD, algorithm, digits)
}

/// Seconds left before the code at `unix_seconds` changes (1 to 30).
pub fn seconds_left(unix_seconds: u64) -> u64 {
    PERIOD - unix_seconds % PERIOD
}

/// Why a Base32 secret was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretError {
    /// A character outside A–Z and 2–7.
    BadCharacter(char),
    /// Nothing but spaces and padding.
    Empty,
    /// More than [`MAX_SECRET`] bytes.
    TooLong,
}

impl SecretError {
    /// A message for the screen.
    pub fn message(self) -> &'static str {
        match self {
            SecretError::BadCharacter(_) => "Secrets use only A-Z and 2-7.",
            SecretError::Empty => "Type the secret first.",
            SecretError::TooLong => "Secret too long (at most 102 characters).",
        }
    }
}

/// Decodes a Base32 secret (RFC 4648 alphabet), ignoring case, spaces,
/// hyphens and trailing `=` padding, as sites print it.
pub fn decode_base32(text: &str) -> Result<heapless::Vec<u8, MAX_SECRET>, SecretError> {
    let mut out = heapless::Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    let mut any = false;
    for character in text.chars() {
        let value = match character {
            ' ' | '-' | '=' => continue,
            'A'..='Z' => character as u32 - 'A' as u32,
            'a'..='z' => character as u32 - 'a' as u32,
            '2'..='7' => character as u32 - '2' as u32 + 26,
            other => return Err(SecretError::BadCharacter(other)),
        };
        any = true;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8)
                .map_err(|_| SecretError::TooLong)?;
            buffer &= (1 << bits) - 1;
        }
    }
    if !any || out.is_empty() {
        return Err(SecretError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_SHA1: &[u8] = b"12345678901234567890";
    const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";

    /// RFC 6238 appendix B: time, SHA-1 code, SHA-256 code (8 digits).
    const VECTORS: [(u64, u32, u32); 6] = [
        (59, 94287082, 46119246),
        (1111111109, 7081804, 68084774),
        (1111111111, 14050471, 67062674),
        (1234567890, 89005924, 91819424),
        (2000000000, 69279037, 90698825),
        (20000000000, 65353130, 77737706),
    ];

    #[test]
    fn rfc_6238_vectors_8_digits() {
        for (time, sha1, sha256) in VECTORS {
            assert_eq!(totp(SEED_SHA1, time, Algorithm::Sha1, 8), sha1, "SHA-1 at {time}");
            assert_eq!(totp(SEED_SHA256, time, Algorithm::Sha256, 8), sha256, "SHA-256 at {time}");
        }
    }

    #[test]
    fn six_digits_are_the_last_six() {
        for (time, sha1, sha256) in VECTORS {
            assert_eq!(totp(SEED_SHA1, time, Algorithm::Sha1, 6), sha1 % 1_000_000);
            assert_eq!(totp(SEED_SHA256, time, Algorithm::Sha256, 6), sha256 % 1_000_000);
        }
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        // Appendix D: counters 0..9, 6 digits.
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(hotp(SEED_SHA1, counter as u64, Algorithm::Sha1, 6), code);
        }
    }

    #[test]
    fn codes_change_at_period_boundaries() {
        assert_eq!(seconds_left(59), 1);
        assert_eq!(seconds_left(60), 30);
        assert_eq!(totp(SEED_SHA1, 30, Algorithm::Sha1, 6), totp(SEED_SHA1, 59, Algorithm::Sha1, 6));
        assert_ne!(totp(SEED_SHA1, 59, Algorithm::Sha1, 6), totp(SEED_SHA1, 60, Algorithm::Sha1, 6));
    }

    #[test]
    fn base32_decoding() {
        // RFC 4648 section 10.
        assert_eq!(decode_base32("MZXW6YTBOI======").unwrap().as_slice(), b"foobar");
        assert_eq!(decode_base32("my").unwrap().as_slice(), b"f");
        assert_eq!(decode_base32("mzxw 6ytb-oi").unwrap().as_slice(), b"foobar");
        // The RFC 6238 seed as sites would print it.
        assert_eq!(
            decode_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap().as_slice(),
            SEED_SHA1
        );
        assert_eq!(decode_base32("MZ1"), Err(SecretError::BadCharacter('1')));
        assert_eq!(decode_base32(" = "), Err(SecretError::Empty));
        assert_eq!(decode_base32(&"A".repeat(200)), Err(SecretError::TooLong));
    }
}
