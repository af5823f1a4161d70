//! Big-endian numbers in byte buffers: the calculator is big-endian, and so
//! are the g3a format, the OS's records and every file the toolkit writes
//! for it. One checked reader and writer instead of one per file format.

/// The big-endian `u16` at `at`, if `bytes` holds two bytes there.
pub fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let field = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([field[0], field[1]]))
}

/// The big-endian `u32` at `at`, if `bytes` holds four bytes there.
pub fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let field = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([field[0], field[1], field[2], field[3]]))
}

/// Writes `value` big-endian at `at`; `None` (writing nothing) if `bytes`
/// is too short.
pub fn write_u16(bytes: &mut [u8], at: usize, value: u16) -> Option<()> {
    bytes
        .get_mut(at..at.checked_add(2)?)?
        .copy_from_slice(&value.to_be_bytes());
    Some(())
}

/// Writes `value` big-endian at `at`; `None` (writing nothing) if `bytes`
/// is too short.
pub fn write_u32(bytes: &mut [u8], at: usize, value: u32) -> Option<()> {
    bytes
        .get_mut(at..at.checked_add(4)?)?
        .copy_from_slice(&value.to_be_bytes());
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_in_bounds_only() {
        let mut buffer = [0u8; 6];
        assert_eq!(write_u32(&mut buffer, 1, 0x1234_5678), Some(()));
        assert_eq!(buffer, [0, 0x12, 0x34, 0x56, 0x78, 0]);
        assert_eq!(read_u32(&buffer, 1), Some(0x1234_5678));
        assert_eq!(read_u16(&buffer, 4), Some(0x7800));
        assert_eq!(write_u16(&mut buffer, 4, 0xBEEF), Some(()));
        assert_eq!(read_u16(&buffer, 4), Some(0xBEEF));
        assert_eq!(read_u32(&buffer, 3), None);
        assert_eq!(read_u16(&buffer, 5), None);
        assert_eq!(read_u16(&buffer, usize::MAX), None);
        assert_eq!(write_u32(&mut buffer, 3, 1), None);
        assert_eq!(write_u16(&mut buffer, usize::MAX - 1, 1), None);
        assert_eq!(buffer, [0, 0x12, 0x34, 0x56, 0xBE, 0xEF]);
    }
}
