//! The lock record: everything CGlock keeps, as one versioned,
//! checksummed binary item in main memory.
//!
//! Layout (version 1, 120 bytes, integers big-endian):
//!
//! | offset | size | field |
//! |---:|---:|---|
//! | 0 | 4 | magic `"CGLK"` |
//! | 4 | 1 | version (1) |
//! | 5 | 1 | flags: bit 0 passphrase (else PIN), bit 1 locked |
//! | 6 | 1 | settings: bit 0 lock on EXE, bit 1 power off after locking, bit 2 show last character |
//! | 7 | 1 | owner message length (0–40) |
//! | 8 | 40 | owner message, printable ASCII, zero-padded |
//! | 48 | 4 | PBKDF2 iteration count (500–200000) |
//! | 52 | 24 | salt: 16 random-ish bytes, then the 8-byte device ID |
//! | 76 | 32 | PBKDF2-HMAC-SHA256 of the secret |
//! | 108 | 4 | failed attempts since the last success |
//! | 112 | 4 | time of the last attempt that counted, seconds since 2000-01-01 00:00 (calculator time) |
//! | 116 | 4 | CRC-32 of bytes 0–115 |
//!
//! Unknown flag or settings bits, a bad padding byte or an out-of-range
//! count make the record invalid rather than being ignored: a version-1
//! reader accepts exactly what a version-1 writer produces.

use core::fmt;

use crate::crc32::crc32;
use crate::crypto::{Hash, Salt, HASH_LENGTH, MAX_ITERATIONS, MIN_ITERATIONS, SALT_LENGTH};
use crate::secret::SecretKind;
use crate::settings::{owner_message_from, Settings, OWNER_MESSAGE_MAX};

/// The first four bytes of every record.
pub const MAGIC: [u8; 4] = *b"CGLK";
/// The format this code writes and reads.
pub const VERSION: u8 = 1;
/// Size of a version-1 record.
pub const RECORD_LENGTH: usize = 120;

const OFFSET_VERSION: usize = 4;
const OFFSET_FLAGS: usize = 5;
const OFFSET_SETTINGS: usize = 6;
const OFFSET_OWNER_LENGTH: usize = 7;
const OFFSET_OWNER: usize = 8;
const OFFSET_ITERATIONS: usize = OFFSET_OWNER + OWNER_MESSAGE_MAX;
const OFFSET_SALT: usize = OFFSET_ITERATIONS + 4;
const OFFSET_HASH: usize = OFFSET_SALT + SALT_LENGTH;
const OFFSET_FAILURES: usize = OFFSET_HASH + HASH_LENGTH;
const OFFSET_LAST_FAILURE: usize = OFFSET_FAILURES + 4;
const OFFSET_CRC: usize = OFFSET_LAST_FAILURE + 4;
const _: () = assert!(OFFSET_CRC + 4 == RECORD_LENGTH);

const FLAG_PASSPHRASE: u8 = 1 << 0;
const FLAG_LOCKED: u8 = 1 << 1;
const SETTING_LOCK_ON_EXE: u8 = 1 << 0;
const SETTING_POWER_OFF: u8 = 1 << 1;
const SETTING_SHOW_LAST: u8 = 1 << 2;

/// Everything CGlock stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// PIN or passphrase.
    pub kind: SecretKind,
    /// The calculator was locked when this was written: start locked.
    pub locked: bool,
    /// The user's choices.
    pub settings: Settings,
    /// PBKDF2 iteration count, calibrated when the secret was set.
    pub iterations: u32,
    /// PBKDF2 salt.
    pub salt: Salt,
    /// PBKDF2 output for the secret.
    pub hash: Hash,
    /// Failed attempts since the last successful one.
    pub failures: u32,
    /// When the last counted attempt started, in seconds since 2000-01-01.
    pub last_failure: u32,
}

/// Why stored bytes are not a usable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordError {
    /// Shorter than the header or than a version-1 record.
    Truncated {
        /// Bytes present.
        length: usize,
    },
    /// The first bytes are not `"CGLK"`.
    BadMagic,
    /// A version this code does not know.
    UnsupportedVersion(u8),
    /// Longer than a version-1 record.
    TooLong {
        /// Bytes present.
        length: usize,
    },
    /// The CRC-32 does not match the contents.
    BadChecksum,
    /// The checksum matches but a field holds an impossible value.
    InvalidField(&'static str),
    /// Main memory failed to read the item (reported by the device side,
    /// never by [`Record::decode`]).
    Unreadable {
        /// The OS's error code.
        code: i32,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Truncated { length } => {
                write!(
                    formatter,
                    "it is cut short ({length} of {RECORD_LENGTH} bytes)"
                )
            }
            RecordError::BadMagic => {
                write!(formatter, "it does not start with the CGlock signature")
            }
            RecordError::UnsupportedVersion(version) => {
                write!(
                    formatter,
                    "it has format version {version}; this CGlock reads version {VERSION}"
                )
            }
            RecordError::TooLong { length } => write!(formatter, "it is too long ({length} bytes)"),
            RecordError::BadChecksum => write!(formatter, "its checksum does not match"),
            RecordError::InvalidField(field) => write!(formatter, "its {field} is invalid"),
            RecordError::Unreadable { code } => {
                write!(formatter, "main memory could not read it (error {code})")
            }
        }
    }
}

impl Record {
    /// A fresh record for a newly set secret, with the failure count at 0.
    pub fn new(
        kind: SecretKind,
        settings: Settings,
        iterations: u32,
        salt: Salt,
        hash: Hash,
    ) -> Self {
        Record {
            kind,
            locked: false,
            settings,
            iterations,
            salt,
            hash,
            failures: 0,
            last_failure: 0,
        }
    }

    /// The record's bytes.
    pub fn encode(&self) -> [u8; RECORD_LENGTH] {
        let mut bytes = [0u8; RECORD_LENGTH];
        bytes[..4].copy_from_slice(&MAGIC);
        bytes[OFFSET_VERSION] = VERSION;
        let mut flags = 0;
        if self.kind == SecretKind::Passphrase {
            flags |= FLAG_PASSPHRASE;
        }
        if self.locked {
            flags |= FLAG_LOCKED;
        }
        bytes[OFFSET_FLAGS] = flags;
        let mut settings = 0;
        if self.settings.lock_on_exe {
            settings |= SETTING_LOCK_ON_EXE;
        }
        if self.settings.power_off_after_lock {
            settings |= SETTING_POWER_OFF;
        }
        if self.settings.show_last_character {
            settings |= SETTING_SHOW_LAST;
        }
        bytes[OFFSET_SETTINGS] = settings;
        let owner = self.settings.owner_message.as_bytes();
        bytes[OFFSET_OWNER_LENGTH] = owner.len() as u8;
        bytes[OFFSET_OWNER..OFFSET_OWNER + owner.len()].copy_from_slice(owner);
        bytes[OFFSET_ITERATIONS..OFFSET_ITERATIONS + 4]
            .copy_from_slice(&self.iterations.to_be_bytes());
        bytes[OFFSET_SALT..OFFSET_SALT + SALT_LENGTH].copy_from_slice(&self.salt);
        bytes[OFFSET_HASH..OFFSET_HASH + HASH_LENGTH].copy_from_slice(&self.hash);
        bytes[OFFSET_FAILURES..OFFSET_FAILURES + 4].copy_from_slice(&self.failures.to_be_bytes());
        bytes[OFFSET_LAST_FAILURE..OFFSET_LAST_FAILURE + 4]
            .copy_from_slice(&self.last_failure.to_be_bytes());
        let crc = crc32(&bytes[..OFFSET_CRC]);
        bytes[OFFSET_CRC..].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    /// Reads a record, checking everything.
    pub fn decode(bytes: &[u8]) -> Result<Record, RecordError> {
        if bytes.len() <= OFFSET_VERSION {
            return Err(RecordError::Truncated {
                length: bytes.len(),
            });
        }
        if bytes[..4] != MAGIC {
            return Err(RecordError::BadMagic);
        }
        if bytes[OFFSET_VERSION] != VERSION {
            return Err(RecordError::UnsupportedVersion(bytes[OFFSET_VERSION]));
        }
        if bytes.len() < RECORD_LENGTH {
            return Err(RecordError::Truncated {
                length: bytes.len(),
            });
        }
        if bytes.len() > RECORD_LENGTH {
            return Err(RecordError::TooLong {
                length: bytes.len(),
            });
        }
        if crc32(&bytes[..OFFSET_CRC]) != read_u32(bytes, OFFSET_CRC) {
            return Err(RecordError::BadChecksum);
        }

        let flags = bytes[OFFSET_FLAGS];
        if flags & !(FLAG_PASSPHRASE | FLAG_LOCKED) != 0 {
            return Err(RecordError::InvalidField("flags byte"));
        }
        let settings_bits = bytes[OFFSET_SETTINGS];
        if settings_bits & !(SETTING_LOCK_ON_EXE | SETTING_POWER_OFF | SETTING_SHOW_LAST) != 0 {
            return Err(RecordError::InvalidField("settings byte"));
        }
        let owner_length = bytes[OFFSET_OWNER_LENGTH] as usize;
        if owner_length > OWNER_MESSAGE_MAX {
            return Err(RecordError::InvalidField("owner message length"));
        }
        let owner_field = &bytes[OFFSET_OWNER..OFFSET_OWNER + OWNER_MESSAGE_MAX];
        if owner_field[owner_length..].iter().any(|&b| b != 0) {
            return Err(RecordError::InvalidField("owner message padding"));
        }
        let owner_message = owner_message_from(&owner_field[..owner_length])
            .map_err(|_| RecordError::InvalidField("owner message"))?;
        let iterations = read_u32(bytes, OFFSET_ITERATIONS);
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(RecordError::InvalidField("iteration count"));
        }
        let mut salt = [0u8; SALT_LENGTH];
        salt.copy_from_slice(&bytes[OFFSET_SALT..OFFSET_SALT + SALT_LENGTH]);
        let mut hash = [0u8; HASH_LENGTH];
        hash.copy_from_slice(&bytes[OFFSET_HASH..OFFSET_HASH + HASH_LENGTH]);

        Ok(Record {
            kind: if flags & FLAG_PASSPHRASE != 0 {
                SecretKind::Passphrase
            } else {
                SecretKind::Pin
            },
            locked: flags & FLAG_LOCKED != 0,
            settings: Settings {
                lock_on_exe: settings_bits & SETTING_LOCK_ON_EXE != 0,
                power_off_after_lock: settings_bits & SETTING_POWER_OFF != 0,
                show_last_character: settings_bits & SETTING_SHOW_LAST != 0,
                owner_message,
            },
            iterations,
            salt,
            hash,
            failures: read_u32(bytes, OFFSET_FAILURES),
            last_failure: read_u32(bytes, OFFSET_LAST_FAILURE),
        })
    }
}

fn read_u32(bytes: &[u8], offset: usize) -> u32 {
    u32::from_be_bytes([
        bytes[offset],
        bytes[offset + 1],
        bytes[offset + 2],
        bytes[offset + 3],
    ])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::settings::owner_message_from;

    pub(crate) fn sample() -> Record {
        Record {
            kind: SecretKind::Passphrase,
            locked: true,
            settings: Settings {
                lock_on_exe: true,
                power_off_after_lock: false,
                show_last_character: true,
                owner_message: owner_message_from(b"Property of A. Lovelace").unwrap(),
            },
            iterations: 4321,
            salt: core::array::from_fn(|i| i as u8 + 1),
            hash: core::array::from_fn(|i| 0xA0 ^ i as u8),
            failures: 7,
            last_failure: 0x1234_5678,
        }
    }

    /// Re-seals `bytes` with a correct CRC after a deliberate edit.
    fn reseal(bytes: &mut [u8; RECORD_LENGTH]) {
        let crc = crc32(&bytes[..OFFSET_CRC]);
        bytes[OFFSET_CRC..].copy_from_slice(&crc.to_be_bytes());
    }

    #[test]
    fn round_trip() {
        let record = sample();
        let bytes = record.encode();
        assert_eq!(bytes.len(), RECORD_LENGTH);
        assert_eq!(&bytes[..4], b"CGLK");
        assert_eq!(Record::decode(&bytes), Ok(record));

        let plain = Record::new(
            SecretKind::Pin,
            Settings::default(),
            MIN_ITERATIONS,
            [0; 24],
            [0xFF; 32],
        );
        assert_eq!(Record::decode(&plain.encode()), Ok(plain));
    }

    #[test]
    fn layout_is_as_documented() {
        let bytes = sample().encode();
        assert_eq!(bytes[4], 1, "version");
        assert_eq!(bytes[5], 0b11, "passphrase + locked");
        assert_eq!(bytes[6], 0b101, "lock on EXE + show last");
        assert_eq!(bytes[7], 23, "owner length");
        assert_eq!(&bytes[8..31], b"Property of A. Lovelace");
        assert!(bytes[31..48].iter().all(|&b| b == 0));
        assert_eq!(&bytes[48..52], &4321u32.to_be_bytes());
        assert_eq!(bytes[52], 1);
        assert_eq!(bytes[75], 24);
        assert_eq!(bytes[76], 0xA0);
        assert_eq!(&bytes[108..112], &7u32.to_be_bytes());
        assert_eq!(&bytes[112..116], &[0x12, 0x34, 0x56, 0x78]);
        assert_eq!(&bytes[116..120], &crc32(&bytes[..116]).to_be_bytes());
    }

    #[test]
    fn truncation_is_detected_at_every_length() {
        let bytes = sample().encode();
        for length in 0..RECORD_LENGTH {
            assert_eq!(
                Record::decode(&bytes[..length]),
                Err(RecordError::Truncated { length }),
                "length {length}"
            );
        }
    }

    #[test]
    fn extra_bytes_are_detected() {
        let mut long = sample().encode().to_vec();
        long.push(0);
        assert_eq!(
            Record::decode(&long),
            Err(RecordError::TooLong {
                length: RECORD_LENGTH + 1
            })
        );
    }

    #[test]
    fn bad_magic_and_version_are_detected() {
        let mut bytes = sample().encode();
        bytes[0] = b'X';
        assert_eq!(Record::decode(&bytes), Err(RecordError::BadMagic));
        let mut bytes = sample().encode();
        bytes[4] = 2;
        assert_eq!(
            Record::decode(&bytes),
            Err(RecordError::UnsupportedVersion(2))
        );
        // Erased main memory reads as zeros or 0xFF: neither is a record.
        assert_eq!(
            Record::decode(&[0; RECORD_LENGTH]),
            Err(RecordError::BadMagic)
        );
        assert_eq!(
            Record::decode(&[0xFF; RECORD_LENGTH]),
            Err(RecordError::BadMagic)
        );
    }

    #[test]
    fn every_flipped_bit_is_detected() {
        let bytes = sample().encode();
        for byte in 0..RECORD_LENGTH {
            for bit in 0..8 {
                let mut damaged = bytes;
                damaged[byte] ^= 1 << bit;
                assert!(
                    Record::decode(&damaged).is_err(),
                    "flip of byte {byte} bit {bit} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn impossible_fields_are_refused_even_with_a_good_checksum() {
        let cases: [(usize, u8, &str); 6] = [
            (OFFSET_FLAGS, 0x04, "flags byte"),
            (OFFSET_SETTINGS, 0x08, "settings byte"),
            (OFFSET_OWNER_LENGTH, 41, "owner message length"),
            (OFFSET_OWNER + 30, b'!', "owner message padding"),
            (OFFSET_OWNER + 2, 0x01, "owner message"),
            (OFFSET_ITERATIONS + 3, 0x00, "iteration count"),
        ];
        for (offset, value, field) in cases {
            let mut bytes = sample().encode();
            if offset == OFFSET_ITERATIONS + 3 {
                bytes[OFFSET_ITERATIONS..OFFSET_ITERATIONS + 4]
                    .copy_from_slice(&0u32.to_be_bytes());
            } else if offset == OFFSET_FLAGS || offset == OFFSET_SETTINGS {
                bytes[offset] |= value;
            } else {
                bytes[offset] = value;
            }
            reseal(&mut bytes);
            assert_eq!(
                Record::decode(&bytes),
                Err(RecordError::InvalidField(field)),
                "{field}"
            );
        }
        let mut bytes = sample().encode();
        bytes[OFFSET_ITERATIONS..OFFSET_ITERATIONS + 4]
            .copy_from_slice(&(MAX_ITERATIONS + 1).to_be_bytes());
        reseal(&mut bytes);
        assert_eq!(
            Record::decode(&bytes),
            Err(RecordError::InvalidField("iteration count"))
        );
    }

    #[test]
    fn errors_explain_themselves() {
        let text = RecordError::Truncated { length: 7 }.to_string();
        assert!(text.contains("7 of 120"), "{text}");
        assert!(RecordError::UnsupportedVersion(9)
            .to_string()
            .contains("version 9"));
        assert!(RecordError::InvalidField("salt")
            .to_string()
            .contains("salt"));
    }
}
