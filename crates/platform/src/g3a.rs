//! The g3a file layout (platform facts §1.2): offsets, sizes and magic
//! values of the packaged add-in.
//!
//! All multi-byte values are big-endian. The first [`OBFUSCATED_LEN`] bytes are
//! stored bit-inverted; the constants below describe the bytes as they are on disk.

/// Size of the header that precedes the payload.
pub const HEADER_LEN: usize = 0x7000;
/// Length of the trailing copy of the 32-bit checksum.
pub const TRAILER_LEN: usize = 4;
/// Smallest possible file: a header, an empty payload and the trailer.
pub const MIN_FILE_LEN: usize = HEADER_LEN + TRAILER_LEN;
/// Where the payload is mapped at run time (file offset 0x7000 appears here).
pub const ROM_BASE: u32 = crate::memory::ADDIN_ROM_BASE;
/// Largest payload this toolkit accepts: the 2 MiB add-in ROM window.
pub const MAX_PAYLOAD_LEN: usize = crate::memory::ADDIN_ROM_SIZE as usize;
/// Length of the bit-inverted "standard header".
pub const OBFUSCATED_LEN: usize = 0x20;

/// `~"USBPower"`, the magic at offset 0.
pub const MAGIC: [u8; 8] = [0xAA, 0xAC, 0xBD, 0xAF, 0x90, 0x88, 0x9A, 0x8D];
/// Offset of the file-type byte.
pub const TYPE_OFFSET: usize = 0x08;
/// On-disk file-type byte of an add-in (`~0x2C`).
pub const TYPE_ADDIN: u8 = 0xD3;
/// Offset of the first fixed sequence.
pub const SEQ1_OFFSET: usize = 0x09;
/// The first fixed sequence as stored (`~00 01 00 01 00`).
pub const SEQ1: [u8; 5] = [0xFF, 0xFE, 0xFF, 0xFE, 0xFF];
/// Offset of control byte 1.
pub const CONTROL1_OFFSET: usize = 0x0E;
/// Offset of the fixed byte after control byte 1.
pub const SEQ2_OFFSET: usize = 0x0F;
/// The fixed byte at [`SEQ2_OFFSET`] as stored (`~0x01`).
pub const SEQ2: u8 = 0xFE;
/// Offset of the bit-inverted file size.
pub const INVERTED_SIZE_OFFSET: usize = 0x10;
/// Offset of control byte 2.
pub const CONTROL2_OFFSET: usize = 0x14;
/// Offset of the unknown byte written as 00 by both real tools.
pub const UNKNOWN_15_OFFSET: usize = 0x15;
/// Offset of the 16-bit checksum.
pub const CHECKSUM16_OFFSET: usize = 0x16;
/// Unknown bytes 0x18..0x20, written as 00 by both real tools.
pub const UNKNOWN_18_RANGE: core::ops::Range<usize> = 0x18..0x20;
/// Offset of the 32-bit checksum (copied into the last 4 bytes of the file).
pub const CHECKSUM32_OFFSET: usize = 0x20;
/// Offset of the fixed `01 01` pair (Utilities writes `02 02` to hide an add-in).
pub const SEQ3_OFFSET: usize = 0x24;
/// The fixed pair at [`SEQ3_OFFSET`].
pub const SEQ3: [u8; 2] = [0x01, 0x01];
/// Offset of the payload size (`file size - 0x7004`).
pub const PAYLOAD_SIZE_OFFSET: usize = 0x2E;
/// Offset of the basic name.
pub const NAME_OFFSET: usize = 0x40;
/// Offset of the plain file size.
pub const FILE_SIZE_OFFSET: usize = 0x5C;
/// Offset of the internal name (`@NAME`).
pub const INTERNAL_NAME_OFFSET: usize = 0x60;
/// Offset of the first of the eight localized names.
pub const LOCALIZED_NAMES_OFFSET: usize = 0x6B;
/// Size of one localized name slot.
pub const LOCALIZED_NAME_SLOT: usize = 24;
/// Offset of the eActivity-strip flag.
pub const EACTIVITY_OFFSET: usize = 0x12B;
/// Offset of the version string (`MM.mm.pppp`).
pub const VERSION_OFFSET: usize = 0x130;
/// Offset of the date string (`yyyy.MMdd.hhmm`).
pub const DATE_OFFSET: usize = 0x13C;
/// Offset of the stored file name.
pub const FILENAME_OFFSET: usize = 0xEBC;
/// Offset of the 16 bytes summed by the 16-bit checksum.
pub const CHECKSUM16_DATA_OFFSET: usize = 0x7100;
/// Number of bytes summed by the 16-bit checksum.
pub const CHECKSUM16_DATA_LEN: usize = 16;
/// Offset of the unselected icon.
pub const ICON_UNSELECTED_OFFSET: usize = 0x1000;
/// Offset of the selected icon.
pub const ICON_SELECTED_OFFSET: usize = 0x4000;
/// Icon width in pixels.
pub const ICON_WIDTH: usize = 92;
/// Icon height in pixels.
pub const ICON_HEIGHT: usize = 64;
/// Bytes of one RGB565 icon.
pub const ICON_LEN: usize = ICON_WIDTH * ICON_HEIGHT * 2;

/// Most bytes of text this toolkit writes into each string field.
///
/// These are the limits both real tools' readers agree on: the basic name keeps
/// a NUL inside fxgxa's 16-byte field, the localized names and the internal
/// name keep one inside their slots, and the version and date are exactly as
/// long as their fixed formats. Anything a file holds beyond these limits is
/// preserved through the packager's header patches.
pub mod capacity {
    /// Basic name: 15 bytes + NUL in fxgxa's 16-byte field (mkg3a's is 28).
    pub const NAME: usize = 15;
    /// Localized name: 23 bytes + NUL in a 24-byte slot.
    pub const LOCALIZED_NAME: usize = 23;
    /// Internal name: 10 bytes + NUL in the 11-byte field.
    pub const INTERNAL_NAME: usize = 10;
    /// Version: `MM.mm.pppp`.
    pub const VERSION: usize = 10;
    /// Date: `yyyy.MMdd.hhmm`.
    pub const DATE: usize = 14;
    /// Stored file name: 323 bytes + NUL in the 324-byte field.
    pub const FILENAME: usize = 323;
}

/// Header byte ranges whose content the writer always computes; a
/// header patch may not touch them.
pub const COMPUTED_RANGES: [core::ops::Range<usize>; 5] = [
    0x00..0x15, // magic, type, sequences, control bytes, inverted size
    CHECKSUM16_OFFSET..CHECKSUM16_OFFSET + 2,
    CHECKSUM32_OFFSET..CHECKSUM32_OFFSET + 4,
    PAYLOAD_SIZE_OFFSET..PAYLOAD_SIZE_OFFSET + 4,
    FILE_SIZE_OFFSET..FILE_SIZE_OFFSET + 4,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_is_the_inverted_signature() {
        let plain: [u8; 8] = *b"USBPower";
        for (stored, plain) in MAGIC.iter().zip(plain) {
            assert_eq!(*stored, !plain);
        }
        assert_eq!(TYPE_ADDIN, !0x2C);
        assert_eq!(SEQ2, !0x01);
    }

    // The fields fit inside the header without overlapping (checked at
    // compile time).
    const _: () = {
        assert!(LOCALIZED_NAMES_OFFSET + 8 * LOCALIZED_NAME_SLOT <= EACTIVITY_OFFSET);
        assert!(INTERNAL_NAME_OFFSET + capacity::INTERNAL_NAME < LOCALIZED_NAMES_OFFSET);
        assert!(FILENAME_OFFSET + capacity::FILENAME < ICON_UNSELECTED_OFFSET);
        assert!(ICON_UNSELECTED_OFFSET + ICON_LEN <= ICON_SELECTED_OFFSET);
        assert!(ICON_SELECTED_OFFSET + ICON_LEN <= HEADER_LEN);
        assert!(CHECKSUM16_DATA_OFFSET > HEADER_LEN);
    };

    #[test]
    fn computed_ranges_lie_inside_the_header() {
        for range in COMPUTED_RANGES {
            assert!(range.start < range.end && range.end <= HEADER_LEN);
        }
    }

    /// Files made by the two real packaging tools (kept with the packager's
    /// tests).
    const FIXTURES: [&[u8]; 2] = [
        include_bytes!("../../../tools/g3a/tests/fixtures/sample-fxgxa-style.g3a"),
        include_bytes!("../../../tools/g3a/tests/fixtures/sample-mkg3a-style.g3a"),
    ];

    #[test]
    fn constants_match_files_from_the_real_tools() {
        use crate::bytes::read_u32;
        for file in FIXTURES {
            let len = file.len() as u32;
            assert!(file.len() >= MIN_FILE_LEN);
            assert_eq!(file[..8], MAGIC);
            assert_eq!(file[TYPE_OFFSET], TYPE_ADDIN);
            assert_eq!(file[SEQ1_OFFSET..SEQ1_OFFSET + 5], SEQ1);
            assert_eq!(file[SEQ2_OFFSET], SEQ2);
            assert_eq!(file[SEQ3_OFFSET..SEQ3_OFFSET + 2], SEQ3);
            assert_eq!(read_u32(file, INVERTED_SIZE_OFFSET), Some(!len));
            assert_eq!(read_u32(file, FILE_SIZE_OFFSET), Some(len));
            let payload = len - (HEADER_LEN + TRAILER_LEN) as u32;
            assert_eq!(read_u32(file, PAYLOAD_SIZE_OFFSET), Some(payload));
            let trailer = file.len() - TRAILER_LEN;
            assert_eq!(read_u32(file, CHECKSUM32_OFFSET), read_u32(file, trailer));
            assert_eq!(file[INTERNAL_NAME_OFFSET], b'@');
        }
    }
}
