//! Source lines for crash reports: the DWARF line tables of an ELF add-in,
//! looked up with `addr2line`.
//!
//! The sections are copied out of the ELF when it is loaded; the tables are
//! only parsed when a report asks for a line, so loading stays cheap.

use std::fmt;
use std::sync::Arc;

use addr2line::gimli::{self, EndianSlice, SectionId};

/// The DWARF sections of an add-in.
#[derive(Clone)]
pub struct DebugInfo {
    sections: Arc<Vec<(SectionId, Vec<u8>)>>,
}

impl fmt::Debug for DebugInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.sections
                    .iter()
                    .map(|(id, data)| (id.name(), data.len())),
            )
            .finish()
    }
}

/// Every section `addr2line` may read.
const SECTIONS: [SectionId; 14] = [
    SectionId::DebugAbbrev,
    SectionId::DebugAddr,
    SectionId::DebugAranges,
    SectionId::DebugInfo,
    SectionId::DebugLine,
    SectionId::DebugLineStr,
    SectionId::DebugLoc,
    SectionId::DebugLocLists,
    SectionId::DebugRanges,
    SectionId::DebugRngLists,
    SectionId::DebugStr,
    SectionId::DebugStrOffsets,
    SectionId::DebugTypes,
    SectionId::DebugCuIndex,
];

/// Where in the source an address comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The source file, as the compiler recorded it.
    pub file: String,
    /// The line (1-based), when known.
    pub line: Option<u32>,
    /// The column (1-based), when known.
    pub column: Option<u32>,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

impl DebugInfo {
    /// The DWARF sections of `elf`; `None` without `.debug_info` and
    /// `.debug_line` (a release build without debug info).
    pub fn from_elf(elf: &g3a::elf::Elf<'_>) -> Option<DebugInfo> {
        let sections: Vec<(SectionId, Vec<u8>)> = SECTIONS
            .iter()
            .filter_map(|id| Some((*id, elf.section(id.name())?.to_vec())))
            .collect();
        let has = |wanted: SectionId| {
            sections
                .iter()
                .any(|(id, data)| *id == wanted && !data.is_empty())
        };
        (has(SectionId::DebugInfo) && has(SectionId::DebugLine)).then(|| DebugInfo {
            sections: Arc::new(sections),
        })
    }

    fn section(&self, wanted: SectionId) -> &[u8] {
        self.sections
            .iter()
            .find(|(id, _)| *id == wanted)
            .map_or(&[], |(_, data)| data.as_slice())
    }

    /// The source file and line of the code at `address`, if the line
    /// tables cover it. Malformed DWARF gives `None`, never a panic.
    pub fn location(&self, address: u32) -> Option<SourceLocation> {
        let dwarf = gimli::Dwarf::load(|id| {
            Ok::<_, gimli::Error>(EndianSlice::new(self.section(id), gimli::BigEndian))
        })
        .ok()?;
        let context = addr2line::Context::from_dwarf(dwarf).ok()?;
        let location = context.find_location(u64::from(address)).ok()??;
        Some(SourceLocation {
            file: location.file?.to_owned(),
            // DWARF writes 0 for "unknown".
            line: location.line.filter(|&line| line != 0),
            column: location.column.filter(|&column| column != 0),
        })
    }
}
