//! CRC-32 (IEEE 802.3, the one zlib and PNG use): the checksum of version-1
//! records, still read so that a CGlock 1.0 lock keeps working.

/// The reflected polynomial 0x04C11DB7.
const POLYNOMIAL: u32 = 0xEDB8_8320;

/// One entry per byte value, built at compile time (1 KiB of flash).
const TABLE: [u32; 256] = build_table();

const fn build_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut index = 0;
    while index < 256 {
        let mut value = index as u32;
        let mut bit = 0;
        while bit < 8 {
            value = if value & 1 != 0 {
                (value >> 1) ^ POLYNOMIAL
            } else {
                value >> 1
            };
            bit += 1;
        }
        table[index] = value;
        index += 1;
    }
    table
}

/// The CRC-32 of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc = TABLE[((crc ^ byte as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::crc32;

    #[test]
    fn standard_check_value() {
        // The catalogue check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn empty_and_single_bytes() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"a"), 0xE8B7_BE43);
    }

    #[test]
    fn every_single_bit_flip_changes_the_value() {
        let data: [u8; 32] = core::array::from_fn(|i| (i * 37) as u8);
        let reference = crc32(&data);
        for byte in 0..data.len() {
            for bit in 0..8 {
                let mut damaged = data;
                damaged[byte] ^= 1 << bit;
                assert_ne!(crc32(&damaged), reference, "flip of byte {byte} bit {bit}");
            }
        }
    }
}
