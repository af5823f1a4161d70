//! The lock record: everything a lock keeps, as one versioned binary item
//! with a checksum, stored twice in main memory (see [`crate::storage`]).
//!
//! Layout (version 2, 136 bytes, integers big-endian):
//!
//! | offset | size | field |
//! |---:|---:|---|
//! | 0 | 4 | magic `"CGLK"` |
//! | 4 | 1 | version (2) |
//! | 5 | 1 | flags: bit 0 passphrase (else PIN), bit 1 locked |
//! | 6 | 1 | settings: bit 0 lock on EXE, bit 1 power off after locking, bit 2 show last character, bit 3 lock on power-off |
//! | 7 | 1 | idle minutes before locking (0 = never, at most 60) |
//! | 8 | 4 | PBKDF2 iteration count (500–200000) |
//! | 12 | 4 | sequence number: one more at every save |
//! | 16 | 4 | failed attempts since the last success |
//! | 20 | 4 | time of the last attempt that counted, seconds since 2000-01-01 00:00 (calculator time) |
//! | 24 | 16 | salt, random part |
//! | 40 | 8 | device ID of the calculator that made the record (also the salt's second part) |
//! | 48 | 32 | PBKDF2-HMAC-SHA256 of the secret |
//! | 80 | 1 | owner message length (0–40) |
//! | 81 | 40 | owner message, printable ASCII, zero-padded |
//! | 121 | 7 | zero |
//! | 128 | 8 | check: the first 8 bytes of SHA-256 of bytes 0–127 |
//!
//! Unknown flag or settings bits, a non-zero padding byte or an
//! out-of-range count make the record invalid rather than being ignored:
//! a version-2 reader accepts exactly what a version-2 writer produces.
//! The check finds accidental damage; it is not a MAC (nothing secret
//! exists to key one before the PIN is typed), so it does not stop someone
//! who can edit main memory, which the threat model leaves out anyway.
//!
//! Version 1 (CGlock 1.0: 120 bytes, CRC-32, no sequence number) is still
//! read, so an existing lock keeps working; the next save writes version 2.

use core::fmt;

use crate::crc32::crc32;
use crate::crypto::{
    Hash, Salt, DEVICE_ID_LENGTH, HASH_LENGTH, MAX_ITERATIONS, MIN_ITERATIONS, SALT_LENGTH,
    SALT_RANDOM_LENGTH,
};
use crate::secret::SecretKind;
use crate::settings::{owner_message_from, Settings, IDLE_LOCK_MAX_MINUTES, OWNER_MESSAGE_MAX};
use crate::sha256;

/// The first four bytes of every record.
pub const MAGIC: [u8; 4] = *b"CGLK";
/// The format this code writes.
pub const VERSION: u8 = 2;
/// Size of a version-2 record.
pub const RECORD_LENGTH: usize = 136;
/// Size of a version-1 record (read only).
pub const VERSION_1_LENGTH: usize = 120;
/// A device ID.
pub type DeviceId = [u8; DEVICE_ID_LENGTH];

const OFFSET_VERSION: usize = 4;
const OFFSET_FLAGS: usize = 5;
const OFFSET_SETTINGS: usize = 6;
const OFFSET_IDLE: usize = 7;
const OFFSET_ITERATIONS: usize = 8;
const OFFSET_SEQUENCE: usize = 12;
const OFFSET_FAILURES: usize = 16;
const OFFSET_LAST_FAILURE: usize = 20;
const OFFSET_SALT: usize = 24;
const OFFSET_DEVICE_ID: usize = OFFSET_SALT + SALT_RANDOM_LENGTH;
const OFFSET_HASH: usize = OFFSET_SALT + SALT_LENGTH;
const OFFSET_OWNER_LENGTH: usize = OFFSET_HASH + HASH_LENGTH;
const OFFSET_OWNER: usize = OFFSET_OWNER_LENGTH + 1;
const OFFSET_PADDING: usize = OFFSET_OWNER + OWNER_MESSAGE_MAX;
const OFFSET_CHECK: usize = 128;
const CHECK_LENGTH: usize = 8;
const _: () = assert!(OFFSET_DEVICE_ID == 40 && OFFSET_HASH == 48 && OFFSET_PADDING == 121);
const _: () = assert!(OFFSET_CHECK + CHECK_LENGTH == RECORD_LENGTH);

const FLAG_PASSPHRASE: u8 = 1 << 0;
const FLAG_LOCKED: u8 = 1 << 1;
const SETTING_LOCK_ON_EXE: u8 = 1 << 0;
const SETTING_POWER_OFF: u8 = 1 << 1;
const SETTING_SHOW_LAST: u8 = 1 << 2;
const SETTING_LOCK_ON_POWER_OFF: u8 = 1 << 3;
const VERSION_1_SETTINGS: u8 = SETTING_LOCK_ON_EXE | SETTING_POWER_OFF | SETTING_SHOW_LAST;
const VERSION_2_SETTINGS: u8 = VERSION_1_SETTINGS | SETTING_LOCK_ON_POWER_OFF;

/// Everything a lock stores (the sequence number is the storage's).
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
    /// PBKDF2 salt: the random part, then the device ID.
    pub salt: Salt,
    /// PBKDF2 output for the secret.
    pub hash: Hash,
    /// Failed attempts since the last successful one.
    pub failures: u32,
    /// When the last counted attempt started, in seconds since 2000-01-01.
    pub last_failure: u32,
}

/// A record read back, with the number its save gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The record.
    pub record: Record,
    /// Its sequence number (0 for a version-1 record, which has none).
    pub sequence: u32,
    /// Read from the version-1 format.
    pub version_1: bool,
}

/// Why stored bytes are not a usable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordError {
    /// Shorter than the header or than a record of its version.
    Truncated {
        /// Bytes present.
        length: usize,
    },
    /// The first bytes are not `"CGLK"`.
    BadMagic,
    /// A version this code does not know.
    UnsupportedVersion(u8),
    /// Longer than a record of its version.
    TooLong {
        /// Bytes present.
        length: usize,
    },
    /// The check value does not match the contents.
    BadChecksum,
    /// The check matches but a field holds an impossible value.
    InvalidField(&'static str),
    /// Main memory failed to read the item (reported by the storage, never
    /// by [`Record::decode`]).
    Unreadable {
        /// The OS's error code.
        code: i32,
    },
    /// A valid record made on another calculator (reported by the storage,
    /// never by [`Record::decode`]).
    OtherDevice {
        /// The device ID the record names.
        device_id: DeviceId,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Truncated { length } => {
                write!(formatter, "it is cut short ({length} of {RECORD_LENGTH} bytes)")
            }
            RecordError::BadMagic => {
                write!(formatter, "it does not start with the CGlock signature")
            }
            RecordError::UnsupportedVersion(version) => {
                write!(
                    formatter,
                    "it has format version {version}; this CGlock reads versions 1 and {VERSION}"
                )
            }
            RecordError::TooLong { length } => write!(formatter, "it is too long ({length} bytes)"),
            RecordError::BadChecksum => write!(formatter, "its checksum does not match"),
            RecordError::InvalidField(field) => write!(formatter, "its {field} is invalid"),
            RecordError::Unreadable { code } => {
                write!(formatter, "main memory could not read it (error {code})")
            }
            RecordError::OtherDevice { .. } => {
                write!(formatter, "it was made on another calculator")
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

    /// The device ID of the calculator the record was made on.
    pub fn device_id(&self) -> DeviceId {
        let mut id = [0u8; DEVICE_ID_LENGTH];
        id.copy_from_slice(&self.salt[SALT_RANDOM_LENGTH..]);
        id
    }

    /// The record's bytes, numbered `sequence`.
    pub fn encode(&self, sequence: u32) -> [u8; RECORD_LENGTH] {
        let mut bytes = [0u8; RECORD_LENGTH];
        bytes[..4].copy_from_slice(&MAGIC);
        bytes[OFFSET_VERSION] = VERSION;
        bytes[OFFSET_FLAGS] = flags_byte(self);
        bytes[OFFSET_SETTINGS] = settings_byte(&self.settings);
        bytes[OFFSET_IDLE] = self.settings.idle_lock_minutes;
        put_u32(&mut bytes, OFFSET_ITERATIONS, self.iterations);
        put_u32(&mut bytes, OFFSET_SEQUENCE, sequence);
        put_u32(&mut bytes, OFFSET_FAILURES, self.failures);
        put_u32(&mut bytes, OFFSET_LAST_FAILURE, self.last_failure);
        bytes[OFFSET_SALT..OFFSET_SALT + SALT_LENGTH].copy_from_slice(&self.salt);
        bytes[OFFSET_HASH..OFFSET_HASH + HASH_LENGTH].copy_from_slice(&self.hash);
        let owner = self.settings.owner_message.as_bytes();
        bytes[OFFSET_OWNER_LENGTH] = owner.len() as u8;
        bytes[OFFSET_OWNER..OFFSET_OWNER + owner.len()].copy_from_slice(owner);
        let check = check_value(&bytes[..OFFSET_CHECK]);
        bytes[OFFSET_CHECK..].copy_from_slice(&check);
        bytes
    }

    /// Reads a record of either version, checking everything.
    pub fn decode(bytes: &[u8]) -> Result<Stored, RecordError> {
        if bytes.len() <= OFFSET_VERSION {
            return Err(RecordError::Truncated {
                length: bytes.len(),
            });
        }
        if bytes[..4] != MAGIC {
            return Err(RecordError::BadMagic);
        }
        match bytes[OFFSET_VERSION] {
            VERSION => decode_version_2(bytes),
            1 => decode_version_1(bytes).map(|record| Stored {
                record,
                sequence: 0,
                version_1: true,
            }),
            other => Err(RecordError::UnsupportedVersion(other)),
        }
    }
}

fn flags_byte(record: &Record) -> u8 {
    let mut flags = 0;
    if record.kind == SecretKind::Passphrase {
        flags |= FLAG_PASSPHRASE;
    }
    if record.locked {
        flags |= FLAG_LOCKED;
    }
    flags
}

fn settings_byte(settings: &Settings) -> u8 {
    let mut bits = 0;
    for (on, bit) in [
        (settings.lock_on_exe, SETTING_LOCK_ON_EXE),
        (settings.power_off_after_lock, SETTING_POWER_OFF),
        (settings.show_last_character, SETTING_SHOW_LAST),
        (settings.lock_on_power_off, SETTING_LOCK_ON_POWER_OFF),
    ] {
        if on {
            bits |= bit;
        }
    }
    bits
}

fn check_value(bytes: &[u8]) -> [u8; CHECK_LENGTH] {
    let digest = sha256::digest(bytes);
    let mut check = [0u8; CHECK_LENGTH];
    check.copy_from_slice(&digest[..CHECK_LENGTH]);
    check
}

fn length_matches(bytes: &[u8], expected: usize) -> Result<(), RecordError> {
    if bytes.len() < expected {
        return Err(RecordError::Truncated {
            length: bytes.len(),
        });
    }
    if bytes.len() > expected {
        return Err(RecordError::TooLong {
            length: bytes.len(),
        });
    }
    Ok(())
}

/// The fields both versions share, checked.
struct Common {
    kind: SecretKind,
    locked: bool,
    settings: Settings,
    iterations: u32,
}

fn common_fields(
    flags: u8,
    settings_bits: u8,
    allowed_settings: u8,
    owner_field: &[u8],
    owner_length: u8,
    iterations: u32,
) -> Result<Common, RecordError> {
    if flags & !(FLAG_PASSPHRASE | FLAG_LOCKED) != 0 {
        return Err(RecordError::InvalidField("flags byte"));
    }
    if settings_bits & !allowed_settings != 0 {
        return Err(RecordError::InvalidField("settings byte"));
    }
    let owner_length = owner_length as usize;
    if owner_length > OWNER_MESSAGE_MAX {
        return Err(RecordError::InvalidField("owner message length"));
    }
    if owner_field[owner_length..].iter().any(|&b| b != 0) {
        return Err(RecordError::InvalidField("owner message padding"));
    }
    let owner_message = owner_message_from(&owner_field[..owner_length])
        .map_err(|_| RecordError::InvalidField("owner message"))?;
    if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
        return Err(RecordError::InvalidField("iteration count"));
    }
    Ok(Common {
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
            lock_on_power_off: settings_bits & SETTING_LOCK_ON_POWER_OFF != 0,
            idle_lock_minutes: 0,
        },
        iterations,
    })
}

fn decode_version_2(bytes: &[u8]) -> Result<Stored, RecordError> {
    length_matches(bytes, RECORD_LENGTH)?;
    if check_value(&bytes[..OFFSET_CHECK])[..] != bytes[OFFSET_CHECK..] {
        return Err(RecordError::BadChecksum);
    }
    let common = common_fields(
        bytes[OFFSET_FLAGS],
        bytes[OFFSET_SETTINGS],
        VERSION_2_SETTINGS,
        &bytes[OFFSET_OWNER..OFFSET_PADDING],
        bytes[OFFSET_OWNER_LENGTH],
        read_u32(bytes, OFFSET_ITERATIONS),
    )?;
    if bytes[OFFSET_PADDING..OFFSET_CHECK].iter().any(|&b| b != 0) {
        return Err(RecordError::InvalidField("padding"));
    }
    let idle = bytes[OFFSET_IDLE];
    if idle > IDLE_LOCK_MAX_MINUTES {
        return Err(RecordError::InvalidField("idle minutes"));
    }
    let mut settings = common.settings;
    settings.idle_lock_minutes = idle;
    let mut salt = [0u8; SALT_LENGTH];
    salt.copy_from_slice(&bytes[OFFSET_SALT..OFFSET_SALT + SALT_LENGTH]);
    let mut hash = [0u8; HASH_LENGTH];
    hash.copy_from_slice(&bytes[OFFSET_HASH..OFFSET_HASH + HASH_LENGTH]);
    Ok(Stored {
        record: Record {
            kind: common.kind,
            locked: common.locked,
            settings,
            iterations: common.iterations,
            salt,
            hash,
            failures: read_u32(bytes, OFFSET_FAILURES),
            last_failure: read_u32(bytes, OFFSET_LAST_FAILURE),
        },
        sequence: read_u32(bytes, OFFSET_SEQUENCE),
        version_1: false,
    })
}

/// Version 1 (CGlock 1.0): magic, version, flags, settings, owner length,
/// owner (40), iterations, salt (24), hash (32), failures, last failure,
/// CRC-32 of the 116 bytes before it. Its settings predate lock on
/// power-off and idle locking: those come back at their defaults (on).
fn decode_version_1(bytes: &[u8]) -> Result<Record, RecordError> {
    const OWNER: usize = 8;
    const ITERATIONS: usize = OWNER + OWNER_MESSAGE_MAX;
    const SALT: usize = ITERATIONS + 4;
    const HASH: usize = SALT + SALT_LENGTH;
    const FAILURES: usize = HASH + HASH_LENGTH;
    const LAST_FAILURE: usize = FAILURES + 4;
    const CRC: usize = LAST_FAILURE + 4;
    const _: () = assert!(CRC + 4 == VERSION_1_LENGTH);
    length_matches(bytes, VERSION_1_LENGTH)?;
    if crc32(&bytes[..CRC]) != read_u32(bytes, CRC) {
        return Err(RecordError::BadChecksum);
    }
    let common = common_fields(
        bytes[5],
        bytes[6],
        VERSION_1_SETTINGS,
        &bytes[OWNER..ITERATIONS],
        bytes[7],
        read_u32(bytes, ITERATIONS),
    )?;
    let mut salt = [0u8; SALT_LENGTH];
    salt.copy_from_slice(&bytes[SALT..HASH]);
    let mut hash = [0u8; HASH_LENGTH];
    hash.copy_from_slice(&bytes[HASH..FAILURES]);
    let defaults = Settings::default();
    let settings = Settings {
        lock_on_power_off: defaults.lock_on_power_off,
        idle_lock_minutes: defaults.idle_lock_minutes,
        ..common.settings
    };
    Ok(Record {
        kind: common.kind,
        locked: common.locked,
        settings,
        iterations: common.iterations,
        salt,
        hash,
        failures: read_u32(bytes, FAILURES),
        last_failure: read_u32(bytes, LAST_FAILURE),
    })
}

/// The version-1 bytes of `record` (its sequence number and the settings
/// version 1 lacks are left out): how a version-1 record on a full main
/// memory is still saved in place.
pub fn encode_version_1(record: &Record) -> [u8; VERSION_1_LENGTH] {
    let mut bytes = [0u8; VERSION_1_LENGTH];
    bytes[..4].copy_from_slice(&MAGIC);
    bytes[4] = 1;
    bytes[5] = flags_byte(record);
    bytes[6] = settings_byte(&record.settings) & VERSION_1_SETTINGS;
    let owner = record.settings.owner_message.as_bytes();
    bytes[7] = owner.len() as u8;
    bytes[8..8 + owner.len()].copy_from_slice(owner);
    put_u32(&mut bytes, 48, record.iterations);
    bytes[52..76].copy_from_slice(&record.salt);
    bytes[76..108].copy_from_slice(&record.hash);
    put_u32(&mut bytes, 108, record.failures);
    put_u32(&mut bytes, 112, record.last_failure);
    let crc = crc32(&bytes[..116]);
    put_u32(&mut bytes, 116, crc);
    bytes
}

fn put_u32(bytes: &mut [u8], offset: usize, value: u32) {
    // The record buffer has a fixed length that holds every field.
    let _ = prizm_platform::bytes::write_u32(bytes, offset, value);
}

/// The big-endian field at `offset`; callers check the length first, so a
/// short buffer (0) cannot pass for a real value.
fn read_u32(bytes: &[u8], offset: usize) -> u32 {
    prizm_platform::bytes::read_u32(bytes, offset).unwrap_or(0)
}

#[cfg(any(test, feature = "test-support"))]
/// Building blocks for tests of code that uses records.
pub mod testing {
    use super::*;

    /// A record with every field set to something recognisable: a
    /// passphrase lock, locked, 7 failures, device ID 17..=24.
    pub fn sample() -> Record {
        Record {
            kind: SecretKind::Passphrase,
            locked: true,
            settings: Settings {
                lock_on_exe: true,
                power_off_after_lock: false,
                show_last_character: true,
                owner_message: owner_message_from(b"Property of A. Lovelace").unwrap_or_default(),
                lock_on_power_off: true,
                idle_lock_minutes: 12,
            },
            iterations: 4321,
            salt: core::array::from_fn(|i| i as u8 + 1),
            hash: core::array::from_fn(|i| 0xA0 ^ i as u8),
            failures: 7,
            last_failure: 0x1234_5678,
        }
    }

}

#[cfg(test)]
mod tests {
    use super::testing::sample;
    use super::*;

    /// Re-seals `bytes` with a correct check after a deliberate edit.
    fn reseal(bytes: &mut [u8; RECORD_LENGTH]) {
        let check = check_value(&bytes[..OFFSET_CHECK]);
        bytes[OFFSET_CHECK..].copy_from_slice(&check);
    }

    fn decoded(bytes: &[u8]) -> Result<Record, RecordError> {
        Record::decode(bytes).map(|stored| stored.record)
    }

    #[test]
    fn round_trip() {
        let record = sample();
        let bytes = record.encode(41);
        assert_eq!(bytes.len(), RECORD_LENGTH);
        assert_eq!(&bytes[..4], b"CGLK");
        assert_eq!(
            Record::decode(&bytes),
            Ok(Stored {
                record: record.clone(),
                sequence: 41,
                version_1: false
            })
        );
        assert_eq!(record.device_id(), [17, 18, 19, 20, 21, 22, 23, 24]);

        let plain = Record::new(
            SecretKind::Pin,
            Settings::default(),
            MIN_ITERATIONS,
            [0; 24],
            [0xFF; 32],
        );
        assert_eq!(decoded(&plain.encode(0)), Ok(plain));
    }

    #[test]
    fn layout_is_as_documented() {
        let bytes = sample().encode(0x0102_0304);
        assert_eq!(bytes[4], 2, "version");
        assert_eq!(bytes[5], 0b11, "passphrase + locked");
        assert_eq!(bytes[6], 0b1101, "lock on EXE + show last + lock on power-off");
        assert_eq!(bytes[7], 12, "idle minutes");
        assert_eq!(&bytes[8..12], &4321u32.to_be_bytes());
        assert_eq!(&bytes[12..16], &[1, 2, 3, 4], "sequence");
        assert_eq!(&bytes[16..20], &7u32.to_be_bytes());
        assert_eq!(&bytes[20..24], &[0x12, 0x34, 0x56, 0x78]);
        assert_eq!(bytes[24], 1, "salt");
        assert_eq!(&bytes[40..48], &[17, 18, 19, 20, 21, 22, 23, 24], "device ID");
        assert_eq!(bytes[48], 0xA0, "hash");
        assert_eq!(bytes[80], 23, "owner length");
        assert_eq!(&bytes[81..104], b"Property of A. Lovelace");
        assert!(bytes[104..128].iter().all(|&b| b == 0));
        assert_eq!(&bytes[128..136], &sha256::digest(&bytes[..128])[..8]);
    }

    #[test]
    fn truncation_is_detected_at_every_length() {
        let bytes = sample().encode(1);
        for length in 0..RECORD_LENGTH {
            assert_eq!(
                decoded(&bytes[..length]),
                Err(RecordError::Truncated { length }),
                "length {length}"
            );
        }
    }

    #[test]
    fn extra_bytes_are_detected() {
        let mut long = sample().encode(1).to_vec();
        long.push(0);
        assert_eq!(
            decoded(&long),
            Err(RecordError::TooLong {
                length: RECORD_LENGTH + 1
            })
        );
    }

    #[test]
    fn bad_magic_and_version_are_detected() {
        let mut bytes = sample().encode(1);
        bytes[0] = b'X';
        assert_eq!(decoded(&bytes), Err(RecordError::BadMagic));
        let mut bytes = sample().encode(1);
        bytes[4] = 3;
        assert_eq!(decoded(&bytes), Err(RecordError::UnsupportedVersion(3)));
        // Erased main memory reads as zeros or 0xFF: neither is a record.
        assert_eq!(decoded(&[0; RECORD_LENGTH]), Err(RecordError::BadMagic));
        assert_eq!(decoded(&[0xFF; RECORD_LENGTH]), Err(RecordError::BadMagic));
    }

    #[test]
    fn every_flipped_bit_is_detected() {
        let bytes = sample().encode(9);
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
    fn impossible_fields_are_refused_even_with_a_good_check() {
        let cases: [(usize, u8, &str); 8] = [
            (OFFSET_FLAGS, 0x04, "flags byte"),
            (OFFSET_SETTINGS, 0x10, "settings byte"),
            (OFFSET_IDLE, 61, "idle minutes"),
            (OFFSET_OWNER_LENGTH, 41, "owner message length"),
            (OFFSET_OWNER + 30, b'!', "owner message padding"),
            (OFFSET_OWNER + 2, 0x01, "owner message"),
            (OFFSET_PADDING + 3, 0x01, "padding"),
            (OFFSET_ITERATIONS + 2, 0x00, "iteration count"),
        ];
        for (offset, value, field) in cases {
            let mut bytes = sample().encode(1);
            if field == "iteration count" {
                bytes[OFFSET_ITERATIONS..OFFSET_ITERATIONS + 4].copy_from_slice(&[0; 4]);
            } else if offset == OFFSET_FLAGS || offset == OFFSET_SETTINGS {
                bytes[offset] |= value;
            } else {
                bytes[offset] = value;
            }
            reseal(&mut bytes);
            assert_eq!(decoded(&bytes), Err(RecordError::InvalidField(field)), "{field}");
        }
        let mut bytes = sample().encode(1);
        put_u32(&mut bytes, OFFSET_ITERATIONS, MAX_ITERATIONS + 1);
        reseal(&mut bytes);
        assert_eq!(
            decoded(&bytes),
            Err(RecordError::InvalidField("iteration count"))
        );
    }

    #[test]
    fn version_1_records_are_still_read() {
        let mut record = sample();
        // Version 1 had neither setting: they read back at the defaults.
        record.settings.lock_on_power_off = true;
        record.settings.idle_lock_minutes = Settings::default().idle_lock_minutes;
        let bytes = encode_version_1(&record);
        assert_eq!(
            Record::decode(&bytes),
            Ok(Stored {
                record: record.clone(),
                sequence: 0,
                version_1: true
            })
        );
        for byte in 0..VERSION_1_LENGTH {
            let mut damaged = bytes;
            damaged[byte] ^= 0x20;
            assert!(Record::decode(&damaged).is_err(), "byte {byte}");
        }
        assert_eq!(
            decoded(&bytes[..100]),
            Err(RecordError::Truncated { length: 100 })
        );
    }

    #[test]
    fn errors_explain_themselves() {
        let text = RecordError::Truncated { length: 7 }.to_string();
        assert!(text.contains("7 of 136"), "{text}");
        assert!(RecordError::UnsupportedVersion(9)
            .to_string()
            .contains("version 9"));
        assert!(RecordError::InvalidField("salt").to_string().contains("salt"));
        assert!(RecordError::OtherDevice { device_id: [0; 8] }
            .to_string()
            .contains("another calculator"));
    }
}
