//! Loading add-ins through the g3a library, by the packager's rules.
//!
//! The calculator runs a g3a file's payload mapped at 0x00300000 and
//! nothing else, so:
//!
//! * a g3a file loads only when [`g3a::verify`] finds it valid (the checks
//!   `g3a verify` prints), and what is mapped is the payload [`g3a::parse`]
//!   reads;
//! * an ELF file (the linker's output, for its symbols and debug info)
//!   loads only when the packager would package it, and what is mapped is
//!   exactly the payload the packager would write ([`g3a::elf::Elf::payload`]).
//!
//! A file the packager or the calculator would refuse is refused here with a
//! [`LoadError`]; nothing panics on malformed input.

use std::collections::BTreeMap;
use std::fmt;

use g3a::elf::{Elf, ElfError, SymbolKind};
use g3a::layout::{MAX_PAYLOAD_LEN, ROM_BASE};

use crate::debug_info::DebugInfo;

/// Why an add-in could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The file could not be read.
    Io(String),
    /// Neither a g3a nor an ELF file.
    UnknownFormat,
    /// A g3a file that breaks the format's rules (the calculator or its
    /// tools would refuse it): the failing checks of [`g3a::verify`].
    InvalidG3a(Vec<g3a::Check>),
    /// A g3a file the library cannot read.
    G3a(g3a::Error),
    /// An ELF file the packager would not package.
    Elf(ElfError),
    /// Raw code larger than the 2 MiB the OS maps.
    TooLarge(usize),
    /// Raw code of length zero.
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
            LoadError::InvalidG3a(failed) => {
                // The first few failures; a truncated file fails a dozen.
                const SHOWN: usize = 3;
                write!(f, "invalid g3a file (the calculator would not run it): ")?;
                for (i, check) in failed.iter().take(SHOWN).enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    f.write_str(check.name)?;
                    if let Some(offset) = check.offset {
                        write!(f, " at {offset:#06X}")?;
                    }
                    write!(f, ": expected {}, found {}", check.expected, check.found)?;
                    if let Some(detail) = &check.detail {
                        write!(f, " ({detail})")?;
                    }
                }
                if failed.len() > SHOWN {
                    write!(
                        f,
                        "; {} more (`g3a verify FILE` lists every check)",
                        failed.len() - SHOWN
                    )?;
                }
                Ok(())
            }
            LoadError::G3a(e) => write!(f, "malformed g3a file: {e}"),
            LoadError::Elf(e) => write!(f, "unsuitable ELF file: {e}"),
            LoadError::TooLarge(n) => write!(
                f,
                "the add-in image is {n} bytes, more than the {MAX_PAYLOAD_LEN} bytes the OS maps at 0x{ROM_BASE:08X}"
            ),
            LoadError::Empty => write!(f, "the add-in image is empty"),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::G3a(e) => Some(e),
            LoadError::Elf(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ElfError> for LoadError {
    fn from(e: ElfError) -> LoadError {
        LoadError::Elf(e)
    }
}

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
    /// Adds a symbol; `is_function` names are preferred in reports, other
    /// names are used for addresses in the add-in image.
    pub fn insert(&mut self, name: &str, address: u32, is_function: bool) {
        self.by_name.insert(name.to_string(), address);
        let in_image = (ROM_BASE..ROM_BASE + MAX_PAYLOAD_LEN as u32).contains(&address);
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
        let (start, name) = self.function_at(address)?;
        let offset = address - start;
        Some(if offset == 0 {
            name
        } else {
            format!("{name}+0x{offset:x}")
        })
    }

    /// The function containing `address` (its start and demangled name),
    /// if a symbol lies at most 1 MiB below it.
    pub fn function_at(&self, address: u32) -> Option<(u32, String)> {
        let start = self.function_start(address)?;
        Some((start, demangle(self.by_address.get(&start)?.first()?)))
    }

    /// The start of [`Symbols::function_at`]'s function, without its name.
    pub fn function_start(&self, address: u32) -> Option<u32> {
        let (&start, _) = self.by_address.range(..=address).next_back()?;
        (address - start <= 0x10_0000).then_some(start)
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
    /// Bytes to map read-only at 0x00300000: the g3a payload.
    pub rom: Vec<u8>,
    /// Symbols (ELF only).
    pub symbols: Symbols,
    /// Source lines for crash reports (ELF with DWARF line tables only).
    pub debug_info: Option<DebugInfo>,
    /// Where the image came from.
    pub kind: ImageKind,
    /// The internal name (g3a header, `@NAME`), if any.
    pub internal_name: Option<String>,
    /// The add-in file as it lies in storage memory (name, bytes): for a
    /// g3a, the file itself under the name its header records (the
    /// emulator's `open` uses the file's own name instead); none for an ELF.
    pub file: Option<(String, Vec<u8>)>,
}

impl AddinImage {
    /// Loads a g3a or ELF file by looking at its first bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<AddinImage, LoadError> {
        if bytes.starts_with(&g3a::layout::MAGIC) {
            AddinImage::from_g3a(bytes)
        } else if g3a::elf::is_elf(bytes) {
            AddinImage::from_elf(bytes)
        } else {
            Err(LoadError::UnknownFormat)
        }
    }

    /// Raw code to map at 0x00300000 (for tests of the CPU and the OS).
    pub fn from_raw(code: &[u8]) -> Result<AddinImage, LoadError> {
        if code.is_empty() {
            return Err(LoadError::Empty);
        }
        if code.len() > MAX_PAYLOAD_LEN {
            return Err(LoadError::TooLarge(code.len()));
        }
        Ok(AddinImage {
            rom: code.to_vec(),
            symbols: Symbols::default(),
            debug_info: None,
            kind: ImageKind::Raw,
            internal_name: None,
            file: None,
        })
    }

    /// A g3a file: loaded only when [`g3a::verify`] passes; maps the payload
    /// [`g3a::parse`] reads.
    pub fn from_g3a(bytes: &[u8]) -> Result<AddinImage, LoadError> {
        let report = g3a::verify(bytes);
        if !report.is_valid() {
            return Err(LoadError::InvalidG3a(report.errors().cloned().collect()));
        }
        let addin = g3a::parse(bytes).map_err(LoadError::G3a)?;
        Ok(AddinImage {
            rom: addin.payload,
            symbols: Symbols::default(),
            debug_info: None,
            kind: ImageKind::G3a,
            internal_name: (!addin.internal_name.is_empty()).then_some(addin.internal_name),
            file: header_file_name(&addin.filename).map(|name| (name, bytes.to_vec())),
        })
    }

    /// An ELF file: maps the payload the packager would put in the g3a,
    /// keeps the symbols and the DWARF line tables.
    pub fn from_elf(bytes: &[u8]) -> Result<AddinImage, LoadError> {
        let elf = Elf::parse(bytes)?;
        let rom = elf.payload()?;
        let mut symbols = Symbols::default();
        for symbol in elf.symbols() {
            symbols.insert(
                &symbol.name,
                symbol.address,
                symbol.kind == SymbolKind::Function,
            );
        }
        Ok(AddinImage {
            rom,
            symbols,
            debug_info: DebugInfo::from_elf(&elf),
            kind: ImageKind::Elf,
            internal_name: None,
            file: None,
        })
    }
}

/// The file name in a g3a header's file-name field (which may carry a
/// `\\fls0\` path), if it is a usable name.
fn header_file_name(field: &str) -> Option<String> {
    let name = field.rsplit(['\\', '/']).next()?.trim();
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use g3a::testing::{g3a as g3a_file, ElfBuilder, PT_LOAD};

    fn elf(code: &[u8], symbols: &[(&str, u32)]) -> Vec<u8> {
        let mut builder = ElfBuilder::new().segment(PT_LOAD, ROM_BASE, code, code.len() as u32);
        for (name, address) in symbols {
            builder = builder.symbol(name, *address);
        }
        builder.build()
    }

    #[test]
    fn loads_a_g3a_payload() {
        let image = AddinImage::from_bytes(&g3a_file(&[1, 2, 3, 4])).unwrap();
        assert_eq!(image.rom, vec![1, 2, 3, 4]);
        assert_eq!(image.kind, ImageKind::G3a);
        assert_eq!(image.internal_name.as_deref(), Some("@TEST"));
    }

    /// The fixture the emulator's tests run is a file the library reads.
    #[test]
    fn the_test_fixture_is_a_valid_g3a() {
        let file = g3a_file(&[0, 9, 0, 0xB]);
        assert!(g3a::verify(&file).is_valid());
        assert_eq!(g3a::parse(&file).unwrap().payload, [0, 9, 0, 0xB]);
    }

    /// Regression: with the payload size at 0x2E edited, the emulator used
    /// to map that many bytes while `g3a::parse` read the whole payload. The
    /// file breaks the format, so it is refused, naming the field.
    #[test]
    fn an_edited_payload_size_is_refused() {
        let mut file = g3a_file(&[1, 2, 3, 4, 5, 6, 7, 8]);
        file[0x2E..0x32].copy_from_slice(&4u32.to_be_bytes());
        assert_eq!(g3a::parse(&file).unwrap().payload.len(), 8);
        let error = AddinImage::from_bytes(&file).unwrap_err();
        let LoadError::InvalidG3a(failed) = &error else {
            panic!("{error}");
        };
        let names: Vec<&str> = failed.iter().map(|c| c.name).collect();
        assert!(names.contains(&"payload size"), "{names:?}");
        let message = error.to_string();
        assert!(
            message.contains("payload size at 0x002E: expected 0x00000008, found 0x00000004"),
            "{message}"
        );
    }

    #[test]
    fn rejects_malformed_g3a_files() {
        let good = g3a_file(&[1, 2, 3, 4]);
        let message = AddinImage::from_bytes(&good[..100])
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with(
                "invalid g3a file (the calculator would not run it): file length: expected at least 28676 bytes"
            ) && message.contains("(file is truncated)")
                && message.ends_with(" more (`g3a verify FILE` lists every check)"),
            "{message}"
        );
        let mut g1a = good.clone();
        g1a[8] = 0xF3;
        assert!(AddinImage::from_bytes(&g1a)
            .unwrap_err()
            .to_string()
            .contains("type byte at 0x0008"));
        let mut hidden = good.clone();
        hidden[0x24..0x26].copy_from_slice(&[2, 2]);
        assert!(matches!(
            AddinImage::from_bytes(&hidden),
            Err(LoadError::InvalidG3a(_))
        ));
        let mut damaged = good.clone();
        let last = damaged.len() - 5;
        damaged[last] ^= 1; // payload byte: the 32-bit checksum no longer matches
        assert!(AddinImage::from_bytes(&damaged)
            .unwrap_err()
            .to_string()
            .contains("32-bit checksum"));
        for cut in [0x7000, good.len() - 1] {
            assert!(
                AddinImage::from_bytes(&good[..cut]).is_err(),
                "cut at {cut}"
            );
        }
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
        assert!(image.debug_info.is_none());
        assert_eq!(demangle("__RNvCs1234_5hello4main"), "hello::main");
        assert_eq!(
            demangle("__ZN5hello4main17h0123456789abcdefE"),
            "hello::main"
        );
        assert_eq!(demangle("_start"), "_start");
    }

    /// The emulator maps exactly the payload the packager writes.
    #[test]
    fn an_elf_maps_the_packagers_payload() {
        let file = ElfBuilder::new()
            .segment(PT_LOAD, ROM_BASE, &[0xE4, 0x05, 0x00, 0x0B, 0x00, 0x09], 6)
            .segment(PT_LOAD, ROM_BASE + 0x20, b"data image", 10)
            .segment(PT_LOAD, 0x0810_0000, &[], 0x400) // .bss: no file bytes
            .build();
        let image = AddinImage::from_bytes(&file).unwrap();
        assert_eq!(image.rom, g3a::elf::payload_from_elf(&file).unwrap());
        assert_eq!(&image.rom[0x20..], b"data image");
    }

    /// Regression: an ELF with file bytes in RAM used to run here although
    /// the packager refuses it (the calculator maps only the payload).
    #[test]
    fn an_elf_segment_in_ram_is_refused_like_the_packager_does() {
        let file = ElfBuilder::new()
            .segment(PT_LOAD, ROM_BASE, &[0x00, 0x0B, 0x00, 0x09], 4)
            .segment(PT_LOAD, 0x0810_0000, &[1, 2, 3, 4], 4)
            .build();
        let packager = g3a::elf::payload_from_elf(&file).unwrap_err();
        let error = AddinImage::from_bytes(&file).unwrap_err();
        assert_eq!(error, LoadError::Elf(packager));
        assert!(
            error.to_string().contains("outside the ROM window"),
            "{error}"
        );
    }

    #[test]
    fn rejects_unsuitable_elf_files() {
        let file = ElfBuilder::new()
            .segment(PT_LOAD, 0x1000_0000, &[0, 9], 2)
            .build();
        assert!(matches!(
            AddinImage::from_bytes(&file),
            Err(LoadError::Elf(ElfError::OutsideRom { .. }))
        ));
        let mut little = elf(&[0, 9], &[]);
        little[5] = 1;
        assert!(AddinImage::from_bytes(&little)
            .unwrap_err()
            .to_string()
            .contains("big-endian"));
        let good = elf(&[0, 9], &[]);
        for cut in [10, 52, 60, 84, 85, 0x1001] {
            assert!(
                AddinImage::from_bytes(&good[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn raw_code_limits() {
        assert_eq!(AddinImage::from_raw(&[]).unwrap_err(), LoadError::Empty);
        assert_eq!(
            AddinImage::from_raw(&vec![0; MAX_PAYLOAD_LEN + 1]).unwrap_err(),
            LoadError::TooLarge(MAX_PAYLOAD_LEN + 1)
        );
        assert_eq!(AddinImage::from_raw(&[0, 9]).unwrap().kind, ImageKind::Raw);
    }
}
