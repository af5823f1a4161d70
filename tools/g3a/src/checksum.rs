//! Checksums and control bytes (docs/platform.md §1.3).
//!
//! Everything here works on on-disk bytes, so the bit-inverted first 0x20
//! bytes are summed as stored.

use crate::layout::{
    CHECKSUM16_DATA_LEN, CHECKSUM16_DATA_OFFSET, CHECKSUM32_OFFSET, HEADER_LEN, TRAILER_LEN,
};

/// Control bytes `(byte 0x0E, byte 0x14)` for a file of `file_size` bytes.
///
/// Both derive from the low byte of the inverted size stored at 0x13:
/// `0x0E = b13 - 0x41` and `0x14 = b13 - 0xB8`, wrapping.
pub fn control_bytes(file_size: u32) -> (u8, u8) {
    let low_inverted = !(file_size as u8);
    (
        low_inverted.wrapping_sub(0x41),
        low_inverted.wrapping_sub(0xB8),
    )
}

/// The four bytes stored at 0x10: the file size, bit-inverted, big-endian.
pub fn inverted_size(file_size: u32) -> [u8; 4] {
    (!file_size).to_be_bytes()
}

/// The 16-bit checksum as stored at 0x16: the inverted sum of the eight
/// big-endian words at 0x7100..0x7110.
///
/// Only payload bytes take part: bytes past the payload (the trailer of a
/// file whose payload is shorter than 0x110 bytes, or the end of the file)
/// count as 0. Excluding the trailer keeps the two checksums independent
/// of each other.
pub fn checksum16(file: &[u8]) -> u16 {
    let payload_end = file.len().saturating_sub(TRAILER_LEN).max(HEADER_LEN);
    let mut sum: u16 = 0;
    for word in 0..CHECKSUM16_DATA_LEN / 2 {
        let at = CHECKSUM16_DATA_OFFSET + 2 * word;
        let byte = |i: usize| {
            if i < payload_end {
                file.get(i).copied().unwrap_or(0)
            } else {
                0
            }
        };
        sum = sum.wrapping_add(u16::from_be_bytes([byte(at), byte(at + 1)]));
    }
    !sum
}

/// The 32-bit checksum stored at 0x20 and in the last 4 bytes: the sum of all
/// bytes except those two fields, wrapping at 2^32.
///
/// For input shorter than a header plus trailer the sum covers whatever bytes
/// exist outside the checksum field; it never panics.
pub fn checksum32(file: &[u8]) -> u32 {
    let end = file.len().saturating_sub(TRAILER_LEN);
    let head_end = CHECKSUM32_OFFSET.min(end);
    let tail_start = (CHECKSUM32_OFFSET + 4).min(end);
    sum_bytes(&file[..head_end]).wrapping_add(sum_bytes(&file[tail_start..end]))
}

fn sum_bytes(bytes: &[u8]) -> u32 {
    // Summing in u64 chunks keeps large payloads fast; each chunk sum fits easily.
    bytes
        .chunks(1 << 16)
        .map(|chunk| chunk.iter().map(|&b| u64::from(b)).sum::<u64>() as u32)
        .fold(0u32, u32::wrapping_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example_from_platform_doc() {
        // docs/platform.md §1.3: size 0x000B8AA8 → FF F4 75 57, 0x0E = 0x16, 0x14 = 0x9F.
        assert_eq!(inverted_size(0x000B_8AA8), [0xFF, 0xF4, 0x75, 0x57]);
        assert_eq!(control_bytes(0x000B_8AA8), (0x16, 0x9F));
    }

    #[test]
    fn control_bytes_match_the_plain_form() {
        // fxgxa's form: (size + 0x41) and (size + 0xB8), then inverted.
        for size in [0u32, 1, 0x7004, 0x8390, 0xFFFF_FFFF, 0x1234_56BE] {
            let (c1, c2) = control_bytes(size);
            assert_eq!(c1, !((size as u8).wrapping_add(0x41)));
            assert_eq!(c2, !((size as u8).wrapping_add(0xB8)));
        }
    }

    #[test]
    fn checksum16_known_answer() {
        let mut file = vec![0u8; 0x7200];
        file[0x7100..0x7110].copy_from_slice(&[
            0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x10, 0x00, 0x20, 0x00, 0xFF, 0xFF,
            0x00, 0x00,
        ]);
        // 1 + 2 + 3 + 4 + 0x1000 + 0x2000 + 0xFFFF = 0x13009 → 0x3009, inverted 0xCFF6.
        assert_eq!(checksum16(&file), 0xCFF6);
        // Outside the 16 bytes nothing counts.
        file[0x70FF] = 0xAA;
        file[0x7110] = 0xAA;
        assert_eq!(checksum16(&file), 0xCFF6);
    }

    #[test]
    fn checksum16_ignores_trailer_and_missing_bytes() {
        // Payload of 0x102 bytes: only 0x7100..0x7102 are payload.
        let mut file = vec![0u8; 0x7000 + 0x102 + 4];
        file[0x7100] = 0x12;
        file[0x7101] = 0x34;
        let len = file.len();
        file[len - 4..].copy_from_slice(&[0xFF; 4]);
        assert_eq!(checksum16(&file), !0x1234);
        assert_eq!(checksum16(&[]), 0xFFFF);
    }

    #[test]
    fn checksum32_skips_both_checksum_fields() {
        let mut file = vec![1u8; 0x7010];
        let plain = checksum32(&file);
        assert_eq!(plain, (0x7010 - 8) as u32);
        file[0x20..0x24].copy_from_slice(&[0xFF; 4]);
        let len = file.len();
        file[len - 4..].copy_from_slice(&[0xFF; 4]);
        assert_eq!(checksum32(&file), plain);
        file[0x1F] = 3;
        assert_eq!(checksum32(&file), plain + 2);
    }

    #[test]
    fn checksum32_wraps_and_handles_tiny_inputs() {
        assert_eq!(checksum32(&[]), 0);
        assert_eq!(checksum32(&[7; 3]), 0);
        assert_eq!(checksum32(&[7; 10]), 42);
        // 0x26 bytes: the trailer (0x22..0x26) swallows most of the field; 0..0x20 count.
        assert_eq!(checksum32(&[9; 0x26]), 9 * 0x20);
        let big = vec![0xFFu8; 20_000_000];
        let expected = ((0xFFu64 * (20_000_000 - 8)) % (1 << 32)) as u32;
        assert_eq!(checksum32(&big), expected);
    }
}
