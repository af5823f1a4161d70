//! The library's error type.

use thiserror::Error;

/// Everything that can go wrong reading, building or writing a g3a file.
///
/// Messages are one line and name the offending value, so a command-line tool
/// can print them as they are.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// The input is shorter than a header plus the checksum trailer.
    #[error("file is truncated: {len} bytes, but a g3a file has at least 28676 (0x7004)")]
    Truncated {
        /// Length of the input.
        len: usize,
    },
    /// The first 8 bytes are not the g3a magic.
    #[error("not a g3a file: wrong magic {} (expected AA AC BD AF 90 88 9A 8D)", hex(.found))]
    BadMagic {
        /// The first 8 bytes found.
        found: Vec<u8>,
    },
    /// The file-type byte at 0x08 is not the add-in type.
    #[error("not a g3a add-in: type byte at 0x08 is {found:#04X} (expected 0xD3; 0xF3 is a g1a)")]
    NotAnAddin {
        /// The byte found.
        found: u8,
    },
    /// The file size recorded at 0x5C disagrees with the input length.
    #[error("file size mismatch: the header records {recorded} bytes but the file has {actual} (truncated or padded?)")]
    SizeMismatch {
        /// Size recorded in the header.
        recorded: u32,
        /// Actual length.
        actual: usize,
    },
    /// The payload does not fit the add-in ROM window.
    #[error("payload is {len} bytes, more than the {max}-byte (2 MiB) add-in ROM window")]
    PayloadTooLarge {
        /// Payload length.
        len: usize,
        /// Largest allowed length.
        max: usize,
    },
    /// A text field cannot be stored.
    #[error("{field}: {reason}")]
    Field {
        /// Which field.
        field: String,
        /// Why it cannot be stored.
        reason: String,
    },
    /// A raw header patch is out of bounds or touches a computed field.
    #[error("header patch at {offset:#06X} ({len} bytes): {reason}")]
    HeaderPatch {
        /// Offset of the patch.
        offset: usize,
        /// Length of the patch.
        len: usize,
        /// Why it is refused.
        reason: &'static str,
    },
    /// An icon image has the wrong size.
    #[error("icon is {width}x{height} pixels; it must be 92x64 (use --resize to scale it)")]
    IconSize {
        /// Width found.
        width: u32,
        /// Height found.
        height: u32,
    },
    /// An icon image could not be decoded.
    #[error("bad PNG: {0}")]
    Png(String),
    /// An ELF input could not be turned into a payload.
    #[error("ELF: {0}")]
    Elf(#[from] crate::elf::ElfError),
    /// Metadata or manifest content is unusable.
    #[error("{0}")]
    Metadata(String),
}

/// Formats bytes as space-separated upper-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}
