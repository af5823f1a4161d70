//! Reading a linked add-in ELF (32-bit, big-endian, SuperH), with the
//! `object` crate: the one ELF reader of the toolkit, used by the packager
//! and by the emulator.
//!
//! The payload is built from the `PT_LOAD` segments with file content,
//! each placed at its physical (load) address relative to 0x00300000, the
//! add-in ROM window; gaps are zero-filled. `.data` is linked to RAM but
//! loaded from ROM, which is why the physical address is used, and `.bss`
//! has no file content. The calculator maps nothing else, so a segment with
//! file bytes anywhere else (RAM included) is an error.

use object::elf::{FileHeader32, EM_SH, PT_LOAD, SHT_SYMTAB, STT_FUNC, STT_NOTYPE, STT_OBJECT};
use object::read::elf::{FileHeader, ProgramHeader, SectionHeader, SectionTable, Sym};
use object::{Endianness, FileKind};

use crate::layout::{MAX_PAYLOAD_LEN, ROM_BASE};

/// Why an ELF file cannot become an add-in payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    /// The input does not start with the ELF magic.
    #[error("not an ELF file (missing \\x7fELF magic)")]
    NotElf,
    /// A 64-bit ELF file.
    #[error("not a 32-bit ELF (the Prizm's SH-4A is 32-bit)")]
    Not32Bit,
    /// A little-endian ELF file.
    #[error("not a big-endian ELF (the Prizm runs big-endian)")]
    NotBigEndian,
    /// Another architecture.
    #[error("e_machine is {machine}, not SuperH (42)")]
    NotSuperH {
        /// The `e_machine` found.
        machine: u16,
    },
    /// The headers cannot be read.
    #[error("malformed ELF: {0}")]
    Malformed(String),
    /// No program headers, so no segments to load.
    #[error("no program headers (link the add-in as an executable)")]
    NoProgramHeaders,
    /// A segment's file bytes lie past the end of the file.
    #[error("segment {index}: file bytes {offset:#x}..{end:#x} extend past the end of the file")]
    SegmentPastEnd {
        /// Program header index.
        index: usize,
        /// File offset of the bytes.
        offset: u64,
        /// End of the bytes.
        end: u64,
    },
    /// No `PT_LOAD` segment has file content.
    #[error("no PT_LOAD segment with file content")]
    NothingToLoad,
    /// A segment with file bytes lies outside the 2 MiB ROM window.
    #[error("segment {index} at {start:#010x}..{end:#010x} lies outside the ROM window {:#010x}..{:#010x}; the calculator maps only the payload there (check the linker script: .data needs a load address in ROM)", ROM_BASE, u64::from(ROM_BASE) + MAX_PAYLOAD_LEN as u64)]
    OutsideRom {
        /// Program header index.
        index: usize,
        /// Load address.
        start: u64,
        /// End of the file bytes.
        end: u64,
    },
    /// Two segments' file bytes overlap.
    #[error("segment {index} at {start:#010x}..{end:#010x} overlaps segment {other} at {other_start:#010x}..{other_end:#010x}")]
    Overlap {
        /// Program header index.
        index: usize,
        /// Load address.
        start: u64,
        /// End of the file bytes.
        end: u64,
        /// The segment it overlaps.
        other: usize,
        /// That segment's load address.
        other_start: u64,
        /// That segment's end.
        other_end: u64,
    },
}

/// True when `bytes` starts with the ELF magic.
pub fn is_elf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF")
}

/// One `PT_LOAD` segment with file content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    /// Index of the program header.
    pub index: usize,
    /// Load (physical) address: where the bytes sit in the payload.
    pub address: u32,
    /// Run-time (virtual) address.
    pub virtual_address: u32,
    /// Size in memory (the file bytes plus zero fill).
    pub memory_size: u32,
    /// The bytes taken from the file.
    pub data: &'a [u8],
}

/// What a symbol names, as far as reports care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// Code (`STT_FUNC`).
    Function,
    /// Data (`STT_OBJECT`).
    Object,
    /// Untyped, such as the linker script's `__bss_end`.
    Untyped,
}

/// One named symbol of `.symtab`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// The name as stored (mangled for Rust).
    pub name: String,
    /// Its value: the address.
    pub address: u32,
    /// Its type.
    pub kind: SymbolKind,
}

/// A parsed add-in ELF; see the module documentation.
#[derive(Debug, Clone)]
pub struct Elf<'a> {
    data: &'a [u8],
    endian: Endianness,
    entry: u32,
    segments: Vec<Segment<'a>>,
    sections: Option<SectionTable<'a, FileHeader32<Endianness>>>,
}

impl<'a> Elf<'a> {
    /// Reads the headers and the loadable segments. The section table
    /// (symbols, debug info) is optional: a missing or malformed one only
    /// means no symbols.
    pub fn parse(data: &'a [u8]) -> Result<Elf<'a>, ElfError> {
        if !is_elf(data) {
            return Err(ElfError::NotElf);
        }
        match FileKind::parse(data) {
            Ok(FileKind::Elf32) => {}
            Ok(FileKind::Elf64) => return Err(ElfError::Not32Bit),
            Ok(_) => return Err(ElfError::NotElf),
            Err(e) => return Err(ElfError::Malformed(e.to_string())),
        }
        let header = FileHeader32::<Endianness>::parse(data)
            .map_err(|e| ElfError::Malformed(e.to_string()))?;
        let endian = header
            .endian()
            .map_err(|e| ElfError::Malformed(e.to_string()))?;
        if endian != Endianness::Big {
            return Err(ElfError::NotBigEndian);
        }
        let machine = header.e_machine(endian);
        if machine != EM_SH {
            return Err(ElfError::NotSuperH { machine: machine.0 });
        }
        let program_headers = header
            .program_headers(endian, data)
            .map_err(|e| ElfError::Malformed(e.to_string()))?;
        if program_headers.is_empty() {
            return Err(ElfError::NoProgramHeaders);
        }
        let mut segments = Vec::new();
        for (index, ph) in program_headers.iter().enumerate() {
            if ph.p_type(endian) != PT_LOAD || ph.p_filesz(endian) == 0 {
                continue;
            }
            let (offset, size) = ph.file_range(endian);
            let data = ph
                .data(endian, data)
                .map_err(|()| ElfError::SegmentPastEnd {
                    index,
                    offset,
                    end: offset + size,
                })?;
            segments.push(Segment {
                index,
                address: ph.p_paddr(endian),
                virtual_address: ph.p_vaddr(endian),
                memory_size: ph.p_memsz(endian),
                data,
            });
        }
        if segments.is_empty() {
            return Err(ElfError::NothingToLoad);
        }
        Ok(Elf {
            data,
            endian,
            entry: header.e_entry(endian),
            segments,
            sections: header.sections(endian, data).ok(),
        })
    }

    /// The entry point recorded in the header. The calculator ignores it:
    /// it starts at the first payload byte, 0x00300000.
    pub fn entry(&self) -> u32 {
        self.entry
    }

    /// The `PT_LOAD` segments with file content, in program-header order.
    pub fn segments(&self) -> &[Segment<'a>] {
        &self.segments
    }

    /// The payload the calculator maps at 0x00300000; see the module
    /// documentation. A segment outside 0x00300000..0x00500000 or
    /// overlapping another is an error.
    pub fn payload(&self) -> Result<Vec<u8>, ElfError> {
        let window_end = u64::from(ROM_BASE) + MAX_PAYLOAD_LEN as u64;
        let mut placed: Vec<(u64, u64, usize)> = Vec::new();
        for segment in &self.segments {
            let start = u64::from(segment.address);
            let end = start + segment.data.len() as u64;
            if start < u64::from(ROM_BASE) || end > window_end {
                return Err(ElfError::OutsideRom {
                    index: segment.index,
                    start,
                    end,
                });
            }
            if let Some(&(other_start, other_end, other)) =
                placed.iter().find(|&&(s, e, _)| start < e && s < end)
            {
                return Err(ElfError::Overlap {
                    index: segment.index,
                    start,
                    end,
                    other,
                    other_start,
                    other_end,
                });
            }
            placed.push((start, end, segment.index));
        }
        let image_end = placed.iter().map(|&(_, end, _)| end).max().unwrap_or(0);
        let mut payload = vec![0u8; (image_end - u64::from(ROM_BASE)) as usize];
        for segment in &self.segments {
            let at = (segment.address - ROM_BASE) as usize;
            payload[at..at + segment.data.len()].copy_from_slice(segment.data);
        }
        Ok(payload)
    }

    /// The named function, object and untyped symbols of `.symtab`
    /// (section and file symbols left out); empty without a symbol table.
    pub fn symbols(&self) -> Vec<Symbol> {
        let Some(sections) = &self.sections else {
            return Vec::new();
        };
        let Ok(table) = sections.symbols(self.endian, self.data, SHT_SYMTAB) else {
            return Vec::new();
        };
        let strings = table.strings();
        let mut symbols = Vec::new();
        for sym in table.iter() {
            let kind = match sym.st_type() {
                STT_FUNC => SymbolKind::Function,
                STT_OBJECT => SymbolKind::Object,
                STT_NOTYPE => SymbolKind::Untyped,
                _ => continue,
            };
            let Ok(name) = sym.name(self.endian, strings) else {
                continue;
            };
            let Ok(name) = std::str::from_utf8(name) else {
                continue;
            };
            // `$`-names are assembler mapping symbols, not places.
            if name.is_empty() || name.starts_with('$') {
                continue;
            }
            symbols.push(Symbol {
                name: name.to_owned(),
                address: sym.st_value(self.endian),
                kind,
            });
        }
        symbols
    }

    /// The contents of the section called `name` (empty for a section
    /// without file bytes), for debug info such as `.debug_line`.
    /// Compressed sections are returned as stored.
    pub fn section(&self, name: &str) -> Option<&'a [u8]> {
        let sections = self.sections.as_ref()?;
        let (_, section) = sections.section_by_name(self.endian, name.as_bytes())?;
        section.data(self.endian, self.data).ok()
    }
}

/// Builds the payload from an ELF image; see [`Elf::payload`].
pub fn payload_from_elf(elf: &[u8]) -> Result<Vec<u8>, ElfError> {
    Elf::parse(elf)?.payload()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ElfBuilder;

    const LOAD: u32 = 1;

    #[test]
    fn lays_out_segments_with_gaps() {
        let elf = ElfBuilder::new()
            .segment(LOAD, 0x0030_0000, &[1, 2, 3, 4], 4)
            .segment(LOAD, 0x0030_0010, &[9, 9], 2)
            .segment(LOAD, 0x0030_0100, &[], 0x100) // .bss-like: no file bytes
            .segment(6, 0x0000_0000, &[7; 8], 8) // not PT_LOAD
            .build();
        let payload = payload_from_elf(&elf).unwrap();
        assert_eq!(payload.len(), 0x12);
        assert_eq!(&payload[..4], &[1, 2, 3, 4]);
        assert_eq!(&payload[4..0x10], &[0; 12]);
        assert_eq!(&payload[0x10..], &[9, 9]);
    }

    #[test]
    fn rejects_bad_layouts() {
        let outside = ElfBuilder::new()
            .segment(LOAD, 0x0050_0000, &[1], 1)
            .build();
        let error = payload_from_elf(&outside).unwrap_err();
        assert!(matches!(error, ElfError::OutsideRom { index: 0, .. }));
        assert!(
            error.to_string().contains("outside the ROM window"),
            "{error}"
        );
        let in_ram = ElfBuilder::new()
            .segment(LOAD, 0x0030_0000, &[1, 2], 2)
            .segment(LOAD, 0x0810_0000, &[3, 4], 4)
            .build();
        assert!(matches!(
            payload_from_elf(&in_ram),
            Err(ElfError::OutsideRom {
                index: 1,
                start: 0x0810_0000,
                ..
            })
        ));
        let below = ElfBuilder::new()
            .segment(LOAD, 0x002F_FFFF, &[1, 2], 2)
            .build();
        assert!(payload_from_elf(&below).is_err());
        let overlap = ElfBuilder::new()
            .segment(LOAD, 0x0030_0000, &[1; 8], 8)
            .segment(LOAD, 0x0030_0004, &[2; 8], 8)
            .build();
        let message = payload_from_elf(&overlap).unwrap_err().to_string();
        assert!(message.contains("overlaps segment 0"), "{message}");
        let empty = ElfBuilder::new().segment(LOAD, 0x0030_0000, &[], 8).build();
        assert_eq!(payload_from_elf(&empty), Err(ElfError::NothingToLoad));
        let exactly_full = ElfBuilder::new()
            .segment(LOAD, 0x004F_FFFF, &[1], 1)
            .build();
        assert_eq!(
            payload_from_elf(&exactly_full).unwrap().len(),
            MAX_PAYLOAD_LEN
        );
    }

    #[test]
    fn rejects_malformed_headers() {
        let good = ElfBuilder::new()
            .segment(LOAD, 0x0030_0000, &[1], 1)
            .build();
        assert!(payload_from_elf(&good).is_ok());
        let expect = |at: usize, value: u8, wanted: fn(&ElfError) -> bool| {
            let mut bad = good.clone();
            bad[at] = value;
            let error = payload_from_elf(&bad).unwrap_err();
            assert!(wanted(&error), "byte {at} = {value}: {error}");
        };
        expect(4, 2, |e| *e == ElfError::Not32Bit);
        expect(5, 1, |e| *e == ElfError::NotBigEndian);
        expect(19, 3, |e| *e == ElfError::NotSuperH { machine: 3 });
        expect(45, 0, |e| *e == ElfError::NoProgramHeaders);
        expect(43, 8, |e| matches!(e, ElfError::Malformed(_)));
        expect(29, 0xFF, |e| matches!(e, ElfError::Malformed(_)));
        // Up to the segment's last byte (at 0x1000); the section table after
        // it is optional.
        for len in 0..=0x1000 {
            assert!(payload_from_elf(&good[..len]).is_err(), "cut at {len}");
        }
        assert_eq!(payload_from_elf(b"hello"), Err(ElfError::NotElf));
    }

    #[test]
    fn reads_symbols_entry_and_sections() {
        let file = ElfBuilder::new()
            .segment(LOAD, 0x0030_0000, &[0, 9, 0, 0xB], 4)
            .entry(0x0030_0002)
            .symbol("_main", 0x0030_0002)
            .symbol("__bss_end", 0x0810_1234)
            .section(".debug_line", b"line table")
            .build();
        let elf = Elf::parse(&file).unwrap();
        assert_eq!(elf.entry(), 0x0030_0002);
        let symbols = elf.symbols();
        assert_eq!(
            symbols,
            [
                Symbol {
                    name: "_main".into(),
                    address: 0x0030_0002,
                    kind: SymbolKind::Function
                },
                Symbol {
                    name: "__bss_end".into(),
                    address: 0x0810_1234,
                    kind: SymbolKind::Untyped
                },
            ]
        );
        assert_eq!(elf.section(".debug_line"), Some(&b"line table"[..]));
        assert_eq!(elf.section(".debug_info"), None);
        let segment = elf.segments()[0];
        assert_eq!(
            (segment.address, segment.memory_size, segment.data),
            (0x0030_0000, 4, &[0, 9, 0, 0xB][..])
        );
    }
}
