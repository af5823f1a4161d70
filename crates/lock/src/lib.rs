//! A PIN or passphrase lock any Prizm add-in can use (CGlock is built on it).
//!
//! | module | what |
//! |---|---|
//! | [`sha256`] | SHA-256, HMAC-SHA256 and PBKDF2-HMAC-SHA256; the compression function is SH-4A assembly on the calculator |
//! | [`crypto`] | the stored verifier: salt, derivation, calibration of the iteration count, the entropy pool |
//! | [`secret`] | PINs and passphrases: their rules and a buffer that wipes itself |
//! | [`settings`] | the lock's user settings |
//! | [`record`] | the lock record's binary format |
//! | [`storage`] | the record in main memory: two copies overwritten in place, damage handling |
//! | [`backoff`] | the growing waits after wrong secrets |
//! | [`crc32`] | CRC-32, the checksum of version-1 records |
//! | `screen` | (feature `prizm`) CGlock's screens: the lock's state machine, its drawing and the calculator side, for CGlock and any add-in that locks with the same record |
//!
//! Everything here is plain Rust tested on the host
//! (`cargo +stable test -p prizm-lock --target x86_64-unknown-linux-gnu`);
//! the add-in supplies main memory through [`storage::ItemStore`].
#![cfg_attr(not(test), no_std)]
#![warn(missing_docs)]

#[cfg(any(test, feature = "test-support"))]
extern crate alloc;

pub mod backoff;
pub mod crc32;
pub mod crypto;
pub mod record;
pub mod secret;
pub mod settings;
pub mod sha256;
pub mod storage;

#[cfg(feature = "prizm")]
pub mod screen;
