//! Loading add-ins: g3a files (header + payload) and ELF files (the
//! linker's output, with symbols).
//!
//! Both loaders only read: they never panic on malformed input and explain
//! what is wrong in a [`LoadError`].

use std::collections::BTreeMap;
use std::fmt;

use crate::memory::{ADDIN_RAM_SIZE, ADDIN_RAM_VIRT, ROM_BASE, ROM_MAX};

/// Size of the g3a header before the payload.
pub const G3A_HEADER_SIZE: usize = 0x7000;
/// The first 8 bytes of a g3a file (bit-inverted "USBPower").
pub const G3A_MAGIC: [u8; 8] = [0xAA, 0xAC, 0xBD, 0xAF, 0x90, 0x88, 0x9A, 0x8D];

/// Why an add-in could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The file could not be read.
    Io(String),
    /// Neither a g3a nor an ELF file.
    UnknownFormat,
    /// A malformed g3a file.
    G3a(String),
    /// A malformed or unsuitable ELF file.
    Elf(String),
    /// The image is larger than the 2 MiB the OS maps.
    TooLarge(usize),
    /// The image holds no code.
    Empty,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io(e) => write!(f, "cannot read the add-in: {e}"),
            LoadError::UnknownFormat => write!(
                f,
                "not an add-in: expected a g3a file (starting with the inverted \"USBPower\" magic) or an ELF file"
            ),
            LoadError::G3a(e) => write!(f, "malformed g3a file: {e}"),
            LoadError::Elf(e) => write!(f, "unsuitable ELF file: {e}"),
            LoadError::TooLarge(n) => write!(
                f,
                "the add-in image is {n} bytes, more than the {ROM_MAX} bytes the OS maps at 0x{ROM_BASE:08X}"
            ),
            LoadError::Empty => write!(f, "the add-in image is empty"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Which file format an image came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// A g3a file.
    G3a,
    /// An ELF file.
    Elf,
    /// Raw bytes given by the caller.
    Raw,
}

/// Symbols of an ELF file.
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    /// Every named symbol (address → name), for reports.
    by_address: BTreeMap<u32, Vec<String>>,
    /// Name → address.
    by_name: BTreeMap<String, u32>,
}

impl Symbols {
    /// Adds a symbol.
    /// Adds a symbol; `is_function` names are preferred in reports, other
    /// names are used for addresses in the add-in image.
    pub fn insert(&mut self, name: &str, address: u32, is_function: bool) {
        self.by_name.insert(name.to_string(), address);
        let in_image = (ROM_BASE..ROM_BASE + ROM_MAX as u32).contains(&address);
        if is_function {
            self.by_address
                .entry(address)
                .or_default()
                .insert(0, name.to_string());
        } else if in_image {
            self.by_address
                .entry(address)
                .or_default()
                .push(name.to_string());
        }
    }

    /// Address of a symbol.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// `name+0xoffset` for the function containing `address`, if known
    /// (Rust names demangled).
    pub fn describe(&self, address: u32) -> Option<String> {
        let (start, names) = self.by_address.range(..=address).next_back()?;
        let offset = address - start;
        if offset > 0x10_0000 {
            return None;
        }
        let name = demangle(names.first()?);
        Some(if offset == 0 {
            name
        } else {
            format!("{name}+0x{offset:x}")
        })
    }

    /// Whether no symbol is known.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// A readable symbol name: Rust's mangled names (which SH's C symbol
/// prefix turns into `__R…`/`__ZN…`) demangled, without the hash.
pub fn demangle(name: &str) -> String {
    let candidates = [name, name.strip_prefix('_').unwrap_or(name)];
    for candidate in candidates {
        if let Ok(demangled) = rustc_demangle::try_demangle(candidate) {
            return format!("{demangled:#}");
        }
    }
    name.to_string()
}

/// A loaded add-in, ready to map.
#[derive(Debug, Clone)]
pub struct AddinImage {
    /// Bytes to map read-only at 0x00300000.
    pub rom: Vec<u8>,
    /// Bytes to pre-load into RAM (ELF segments with a RAM load address).
    pub ram_segments: Vec<(u32, Vec<u8>)>,
    /// Symbols (ELF only).
    pub symbols: Symbols,
    /// Where the image came from.
    pub kind: ImageKind,
    /// The internal name (g3a header, `@NAME`), if any.
    pub internal_name: Option<String>,
}

impl AddinImage {
    /// Loads a g3a or ELF file by looking at its first bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<AddinImage, LoadError> {
        if bytes.starts_with(&G3A_MAGIC) {
            AddinImage::from_g3a(bytes)
        } else if bytes.starts_with(b"\x7FELF") {
            AddinImage::from_elf(bytes)
        } else {
            Err(LoadError::UnknownFormat)
        }
    }

    /// Raw code to map at 0x00300000.
    pub fn from_raw(code: &[u8]) -> Result<AddinImage, LoadError> {
        if code.is_empty() {
            return Err(LoadError::Empty);
        }
        if code.len() > ROM_MAX {
            return Err(LoadError::TooLarge(code.len()));
        }
        Ok(AddinImage {
            rom: code.to_vec(),
            ram_segments: Vec::new(),
            symbols: Symbols::default(),
            kind: ImageKind::Raw,
            internal_name: None,
        })
    }

    /// A g3a file: payload = `file[0x7000 .. 0x7000 + size_at_0x2E]`.
    pub fn from_g3a(bytes: &[u8]) -> Result<AddinImage, LoadError> {
        if !bytes.starts_with(&G3A_MAGIC) {
            return Err(LoadError::G3a(
                "missing the magic bytes AA AC BD AF 90 88 9A 8D at offset 0".into(),
            ));
        }
        if bytes.len() < G3A_HEADER_SIZE {
            return Err(LoadError::G3a(format!(
                "the file is {} bytes, shorter than the 0x7000-byte header",
                bytes.len()
            )));
        }
        let size = read_u32_be(bytes, 0x2E).unwrap_or(0) as usize;
        if size == 0 {
            return Err(LoadError::G3a(
                "the payload size at offset 0x2E is 0".into(),
            ));
        }
        if size > ROM_MAX {
            return Err(LoadError::TooLarge(size));
        }
        let end = G3A_HEADER_SIZE + size;
        if end > bytes.len() {
            return Err(LoadError::G3a(format!(
                "the payload size at offset 0x2E (0x{size:X}) runs past the end of the {}-byte file",
                bytes.len()
            )));
        }
        let name_bytes = &bytes[0x60..0x6B];
        let name: String = name_bytes
            .iter()
            .take_while(|b| **b != 0)
            .map(|b| {
                if b.is_ascii_graphic() || *b == b' ' {
                    *b as char
                } else {
                    '?'
                }
            })
            .collect();
        Ok(AddinImage {
            rom: bytes[G3A_HEADER_SIZE..end].to_vec(),
            ram_segments: Vec::new(),
            symbols: Symbols::default(),
            kind: ImageKind::G3a,
            internal_name: (!name.is_empty()).then_some(name),
        })
    }

    /// An ELF file (32-bit, big-endian, SuperH): each `PT_LOAD` segment's
    /// file bytes are placed at its physical (load) address.
    pub fn from_elf(bytes: &[u8]) -> Result<AddinImage, LoadError> {
        let err = |m: &str| LoadError::Elf(m.to_string());
        if !bytes.starts_with(b"\x7FELF") {
            return Err(err("missing the \\x7FELF magic"));
        }
        if bytes.len() < 52 {
            return Err(err("the file is shorter than an ELF header"));
        }
        if bytes[4] != 1 {
            return Err(err("not a 32-bit ELF file"));
        }
        if bytes[5] != 2 {
            return Err(err(
                "not a big-endian ELF file (the Prizm's SH-4A runs big-endian)",
            ));
        }
        let u16_at = |o: usize| read_u16_be(bytes, o).ok_or_else(|| err("truncated header"));
        let u32_at = |o: usize| read_u32_be(bytes, o).ok_or_else(|| err("truncated header"));
        let machine = u16_at(18)?;
        if machine != 42 {
            return Err(LoadError::Elf(format!(
                "machine type {machine} is not SuperH (42)"
            )));
        }
        let phoff = u32_at(28)? as usize;
        let shoff = u32_at(32)? as usize;
        let phentsize = u16_at(42)? as usize;
        let phnum = u16_at(44)? as usize;
        let shentsize = u16_at(46)? as usize;
        let shnum = u16_at(48)? as usize;
        if phnum > 0 && phentsize < 32 {
            return Err(err("program header entries are smaller than 32 bytes"));
        }

        let mut rom: Vec<u8> = Vec::new();
        let mut ram_segments = Vec::new();
        for i in 0..phnum {
            let at = phoff
                .checked_add(
                    i.checked_mul(phentsize)
                        .ok_or_else(|| err("bad program headers"))?,
                )
                .ok_or_else(|| err("bad program headers"))?;
            let field = |o: usize| {
                read_u32_be(bytes, at + o)
                    .ok_or_else(|| err("a program header runs past the end of the file"))
            };
            if field(0)? != 1 {
                continue; // not PT_LOAD
            }
            let offset = field(4)? as usize;
            let paddr = field(12)?;
            let filesz = field(16)? as usize;
            if filesz == 0 {
                continue;
            }
            let data = offset.checked_add(filesz).and_then(|end| bytes.get(offset..end)).ok_or_else(|| {
                LoadError::Elf(format!(
                    "segment {i}'s file bytes (offset 0x{offset:X}, 0x{filesz:X} bytes) run past the end of the file"
                ))
            })?;
            let end = u64::from(paddr) + filesz as u64;
            if paddr >= ROM_BASE && end <= u64::from(ROM_BASE) + ROM_MAX as u64 {
                let start = (paddr - ROM_BASE) as usize;
                if rom.len() < start + filesz {
                    rom.resize(start + filesz, 0);
                }
                rom[start..start + filesz].copy_from_slice(data);
            } else if paddr >= ADDIN_RAM_VIRT && end <= u64::from(ADDIN_RAM_VIRT + ADDIN_RAM_SIZE) {
                ram_segments.push((paddr, data.to_vec()));
            } else if paddr >= ROM_BASE && paddr < ROM_BASE + ROM_MAX as u32 {
                return Err(LoadError::TooLarge((end - u64::from(ROM_BASE)) as usize));
            } else {
                return Err(LoadError::Elf(format!(
                    "segment {i} loads at 0x{paddr:08X}, outside the add-in image (0x{ROM_BASE:08X}, 2 MiB) and add-in RAM (0x{ADDIN_RAM_VIRT:08X}, 512 KiB)"
                )));
            }
        }
        if rom.is_empty() {
            return Err(err(
                "no PT_LOAD segment with file bytes at 0x00300000: nothing to run",
            ));
        }

        let symbols = if shoff != 0 && shnum != 0 && shentsize >= 40 {
            read_symbols(bytes, shoff, shentsize, shnum).unwrap_or_default()
        } else {
            Symbols::default()
        };
        Ok(AddinImage {
            rom,
            ram_segments,
            symbols,
            kind: ImageKind::Elf,
            internal_name: None,
        })
    }
}

/// Reads `.symtab` (best effort: a malformed table yields `None`).
fn read_symbols(bytes: &[u8], shoff: usize, shentsize: usize, shnum: usize) -> Option<Symbols> {
    let mut symbols = Symbols::default();
    let section = |i: usize| -> Option<(u32, usize, usize, u32, usize)> {
        let at = shoff.checked_add(i.checked_mul(shentsize)?)?;
        let kind = read_u32_be(bytes, at + 4)?;
        let offset = read_u32_be(bytes, at + 16)? as usize;
        let size = read_u32_be(bytes, at + 20)? as usize;
        let link = read_u32_be(bytes, at + 24)?;
        let entsize = read_u32_be(bytes, at + 36)? as usize;
        Some((kind, offset, size, link, entsize))
    };
    for i in 0..shnum.min(4096) {
        let (kind, offset, size, link, entsize) = section(i)?;
        if kind != 2 {
            continue; // SHT_SYMTAB
        }
        let (_, str_offset, str_size, _, _) = section(link as usize)?;
        let strtab = bytes.get(str_offset..str_offset.checked_add(str_size)?)?;
        let entsize = if entsize >= 16 { entsize } else { 16 };
        let count = size / entsize;
        for j in 0..count.min(1_000_000) {
            let at = offset.checked_add(j.checked_mul(entsize)?)?;
            let name_at = read_u32_be(bytes, at)? as usize;
            let value = read_u32_be(bytes, at + 4)?;
            let info = *bytes.get(at + 12)?;
            let name_bytes = strtab.get(name_at..)?;
            let name_len = name_bytes
                .iter()
                .position(|b| *b == 0)
                .unwrap_or(name_bytes.len());
            let Ok(name) = std::str::from_utf8(&name_bytes[..name_len]) else {
                continue;
            };
            if name.is_empty() || name.starts_with('$') {
                continue;
            }
            let kind = info & 0xF;
            if kind > 2 {
                continue; // sections, files, TLS…
            }
            symbols.insert(name, value, kind == 2); // STT_FUNC
        }
    }
    Some(symbols)
}

fn read_u32_be(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_u16_be(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use crate::test_files::{elf, g3a};

    #[test]
    fn loads_a_g3a_payload() {
        let image = AddinImage::from_bytes(&g3a(&[1, 2, 3, 4])).unwrap();
        assert_eq!(image.rom, vec![1, 2, 3, 4]);
        assert_eq!(image.kind, ImageKind::G3a);
        assert_eq!(image.internal_name.as_deref(), Some("@TEST"));
    }

    #[test]
    fn rejects_malformed_g3a_files() {
        let good = g3a(&[1, 2, 3, 4]);
        assert!(AddinImage::from_bytes(&good[..100])
            .unwrap_err()
            .to_string()
            .contains("shorter"));
        let mut huge = good.clone();
        huge[0x2E..0x32].copy_from_slice(&0x10_0000u32.to_be_bytes());
        assert!(AddinImage::from_bytes(&huge)
            .unwrap_err()
            .to_string()
            .contains("runs past the end"));
        let mut too_big = good.clone();
        too_big[0x2E..0x32].copy_from_slice(&0xFFFF_FFFFu32.to_be_bytes());
        assert!(matches!(
            AddinImage::from_bytes(&too_big),
            Err(LoadError::TooLarge(_))
        ));
        let mut zero = good.clone();
        zero[0x2E..0x32].copy_from_slice(&0u32.to_be_bytes());
        assert!(AddinImage::from_bytes(&zero).is_err());
        assert_eq!(
            AddinImage::from_bytes(b"hello").unwrap_err(),
            LoadError::UnknownFormat
        );
        assert_eq!(
            AddinImage::from_bytes(&[]).unwrap_err(),
            LoadError::UnknownFormat
        );
    }

    #[test]
    fn loads_an_elf_with_symbols() {
        let file = elf(
            ROM_BASE,
            &[0x00, 0x09, 0x00, 0x0B],
            &[("__bss_end", 0x0810_1234), ("_main", ROM_BASE + 2)],
        );
        let image = AddinImage::from_bytes(&file).unwrap();
        assert_eq!(image.rom, vec![0x00, 0x09, 0x00, 0x0B]);
        assert_eq!(image.symbols.get("__bss_end"), Some(0x0810_1234));
        assert_eq!(
            image.symbols.describe(ROM_BASE + 3).as_deref(),
            Some("_main+0x1")
        );
        assert_eq!(demangle("__RNvCs1234_5hello4main"), "hello::main");
        assert_eq!(
            demangle("__ZN5hello4main17h0123456789abcdefE"),
            "hello::main"
        );
        assert_eq!(demangle("_start"), "_start");
    }

    #[test]
    fn rejects_unsuitable_elf_files() {
        let file = elf(0x1000_0000, &[0, 9], &[]);
        assert!(AddinImage::from_bytes(&file)
            .unwrap_err()
            .to_string()
            .contains("outside the add-in image"));
        let mut little = elf(ROM_BASE, &[0, 9], &[]);
        little[5] = 1;
        assert!(AddinImage::from_bytes(&little)
            .unwrap_err()
            .to_string()
            .contains("big-endian"));
        let good = elf(ROM_BASE, &[0, 9], &[]);
        for cut in [10, 52, 60, 84, 85] {
            assert!(
                AddinImage::from_bytes(&good[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }
}
