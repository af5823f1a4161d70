//! Turning a linked ELF (32-bit, big-endian, SuperH) into the flat payload.
//!
//! Every `PT_LOAD` segment with file content is placed at its physical
//! (load) address relative to 0x00300000, the add-in ROM window; gaps are
//! zero-filled. `.data` is linked to RAM but loaded from ROM, which is why
//! the physical address is used, and `.bss` has no file content.

use crate::layout::{MAX_PAYLOAD_LEN, ROM_BASE};
use crate::Error;

const PT_LOAD: u32 = 1;
const EM_SH: u16 = 42;

/// True when `bytes` starts with the ELF magic.
pub fn is_elf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF")
}

fn fail<T>(message: impl Into<String>) -> Result<T, Error> {
    Err(Error::Elf(message.into()))
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// One loadable segment's place in the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Index of the program header.
    pub index: usize,
    /// Load (physical) address.
    pub address: u32,
    /// Bytes taken from the file.
    pub file_size: u32,
    /// Offset of those bytes in the ELF file.
    pub file_offset: u32,
}

/// The loadable segments of an ELF with file content, in program-header order.
pub fn load_segments(elf: &[u8]) -> Result<Vec<Segment>, Error> {
    if !is_elf(elf) {
        return fail("not an ELF file (missing \\x7fELF magic)");
    }
    if elf.len() < 52 {
        return fail(format!(
            "truncated ELF header ({} bytes, need 52)",
            elf.len()
        ));
    }
    if elf[4] != 1 {
        return fail("not a 32-bit ELF (the Prizm's SH-4A is 32-bit)");
    }
    if elf[5] != 2 {
        return fail("not a big-endian ELF (the Prizm runs big-endian)");
    }
    let header = |at| be16(elf, at).unwrap_or(0);
    let machine = header(18);
    if machine != EM_SH {
        return fail(format!("e_machine is {machine}, not SuperH ({EM_SH})"));
    }
    let phoff = be32(elf, 28).unwrap_or(0) as usize;
    let phentsize = usize::from(header(42));
    let phnum = usize::from(header(44));
    if phnum == 0 {
        return fail("no program headers (link the add-in as an executable)");
    }
    if phentsize < 32 {
        return fail(format!(
            "program header entries are {phentsize} bytes, need at least 32"
        ));
    }
    let table_end = phentsize
        .checked_mul(phnum)
        .and_then(|size| size.checked_add(phoff));
    if table_end.is_none_or(|end| end > elf.len()) {
        return fail("program header table extends past the end of the file");
    }

    let mut segments = Vec::new();
    for index in 0..phnum {
        let at = phoff + index * phentsize;
        let field = |offset: usize| be32(elf, at + offset).unwrap_or(0);
        let (kind, file_offset, address, file_size) = (field(0), field(4), field(12), field(16));
        if kind != PT_LOAD || file_size == 0 {
            continue;
        }
        if file_offset as usize + file_size as usize > elf.len() {
            return fail(format!(
                "segment {index}: file bytes {file_offset:#x}..{:#x} extend past the end of the file",
                u64::from(file_offset) + u64::from(file_size)
            ));
        }
        segments.push(Segment {
            index,
            address,
            file_size,
            file_offset,
        });
    }
    if segments.is_empty() {
        return fail("no PT_LOAD segment with file content");
    }
    Ok(segments)
}

/// Builds the payload from an ELF image; see the module documentation.
///
/// A segment outside 0x00300000..0x00500000 (the 2 MiB ROM window) or
/// overlapping another is an error.
pub fn payload_from_elf(elf: &[u8]) -> Result<Vec<u8>, Error> {
    let segments = load_segments(elf)?;
    let window_end = u64::from(ROM_BASE) + MAX_PAYLOAD_LEN as u64;
    let mut placed: Vec<(u64, u64, usize)> = Vec::new();
    for segment in &segments {
        let start = u64::from(segment.address);
        let end = start + u64::from(segment.file_size);
        if start < u64::from(ROM_BASE) || end > window_end {
            return fail(format!(
                "segment {} at {start:#010x}..{end:#010x} lies outside the ROM window {ROM_BASE:#010x}..{window_end:#010x} (check the linker script)",
                segment.index
            ));
        }
        if let Some(&(other_start, other_end, other)) =
            placed.iter().find(|&&(s, e, _)| start < e && s < end)
        {
            return fail(format!(
                "segment {} at {start:#010x}..{end:#010x} overlaps segment {other} at {other_start:#010x}..{other_end:#010x}",
                segment.index
            ));
        }
        placed.push((start, end, segment.index));
    }
    let image_end = placed
        .iter()
        .map(|&(_, end, _)| end)
        .max()
        .unwrap_or(u64::from(ROM_BASE));
    let mut payload = vec![0u8; (image_end - u64::from(ROM_BASE)) as usize];
    for segment in &segments {
        let at = (segment.address - ROM_BASE) as usize;
        let from = segment.file_offset as usize;
        let size = segment.file_size as usize;
        payload[at..at + size].copy_from_slice(&elf[from..from + size]);
    }
    Ok(payload)
}

/// Builds minimal SH ELF files for tests (also used by the integration tests).
#[doc(hidden)]
pub mod testing {
    /// An ELF32 big-endian SH executable whose program headers are
    /// `(type, physical address, data, memory size)`.
    pub fn build_elf(segments: &[(u32, u32, &[u8], u32)]) -> Vec<u8> {
        let phoff = 52usize;
        let mut data_offset = phoff + 32 * segments.len();
        let mut elf = vec![0u8; data_offset];
        elf[..4].copy_from_slice(b"\x7fELF");
        elf[4] = 1; // 32-bit
        elf[5] = 2; // big-endian
        elf[6] = 1;
        elf[16..18].copy_from_slice(&2u16.to_be_bytes()); // ET_EXEC
        elf[18..20].copy_from_slice(&42u16.to_be_bytes()); // EM_SH
        elf[20..24].copy_from_slice(&1u32.to_be_bytes());
        elf[24..28].copy_from_slice(&0x0030_0000u32.to_be_bytes());
        elf[28..32].copy_from_slice(&(phoff as u32).to_be_bytes());
        elf[40..42].copy_from_slice(&52u16.to_be_bytes());
        elf[42..44].copy_from_slice(&32u16.to_be_bytes());
        elf[44..46].copy_from_slice(&(segments.len() as u16).to_be_bytes());
        for (i, &(kind, paddr, data, memsz)) in segments.iter().enumerate() {
            let at = phoff + 32 * i;
            let words = [
                kind,
                data_offset as u32,
                paddr,
                paddr,
                data.len() as u32,
                memsz,
                5,
                4,
            ];
            for (j, word) in words.iter().enumerate() {
                elf[at + 4 * j..at + 4 * j + 4].copy_from_slice(&word.to_be_bytes());
            }
            elf.extend_from_slice(data);
            data_offset += data.len();
        }
        elf
    }
}

#[cfg(test)]
mod tests {
    use super::testing::build_elf;
    use super::*;

    #[test]
    fn lays_out_segments_with_gaps() {
        let elf = build_elf(&[
            (PT_LOAD, 0x0030_0000, &[1, 2, 3, 4], 4),
            (PT_LOAD, 0x0030_0010, &[9, 9], 2),
            (PT_LOAD, 0x0030_0100, &[], 0x100), // .bss-like: no file bytes
            (6, 0x0000_0000, &[7; 8], 8),       // not PT_LOAD
        ]);
        let payload = payload_from_elf(&elf).unwrap();
        assert_eq!(payload.len(), 0x12);
        assert_eq!(&payload[..4], &[1, 2, 3, 4]);
        assert_eq!(&payload[4..0x10], &[0; 12]);
        assert_eq!(&payload[0x10..], &[9, 9]);
    }

    #[test]
    fn rejects_bad_layouts() {
        let outside = build_elf(&[(PT_LOAD, 0x0050_0000, &[1], 1)]);
        let message = payload_from_elf(&outside).unwrap_err().to_string();
        assert!(message.contains("outside the ROM window"), "{message}");
        let below = build_elf(&[(PT_LOAD, 0x002F_FFFF, &[1, 2], 2)]);
        assert!(payload_from_elf(&below).is_err());
        let overlap = build_elf(&[
            (PT_LOAD, 0x0030_0000, &[1; 8], 8),
            (PT_LOAD, 0x0030_0004, &[2; 8], 8),
        ]);
        let message = payload_from_elf(&overlap).unwrap_err().to_string();
        assert!(message.contains("overlaps segment 0"), "{message}");
        let empty = build_elf(&[(PT_LOAD, 0x0030_0000, &[], 8)]);
        assert!(payload_from_elf(&empty).is_err());
        let exactly_full = build_elf(&[(PT_LOAD, 0x004F_FFFF, &[1], 1)]);
        assert_eq!(
            payload_from_elf(&exactly_full).unwrap().len(),
            MAX_PAYLOAD_LEN
        );
    }

    #[test]
    fn rejects_malformed_headers() {
        let good = build_elf(&[(PT_LOAD, 0x0030_0000, &[1], 1)]);
        for (at, value) in [(4, 2u8), (5, 1), (19, 3), (45, 0), (43, 8), (31, 0xFF)] {
            let mut bad = good.clone();
            bad[at] = value;
            assert!(payload_from_elf(&bad).is_err(), "byte {at} = {value}");
        }
        for len in 0..good.len() {
            assert!(payload_from_elf(&good[..len]).is_err());
        }
        assert!(payload_from_elf(b"hello").is_err());
    }
}
