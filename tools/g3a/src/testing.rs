//! Add-in files built in memory for tests (the `testing` feature): a g3a
//! around a payload and a big-endian SuperH ELF executable, so tests need
//! no toolchain. The g3a comes from the real writer ([`crate::G3a`]); the
//! ELF builder is the only hand-made ELF writer of the toolkit.

use crate::G3a;

/// A valid g3a (name `Test`, internal name `@TEST`) around `payload`,
/// written by [`G3a::to_bytes`].
///
/// # Panics
/// If `payload` exceeds 2 MiB (a test error).
pub fn g3a(payload: &[u8]) -> Vec<u8> {
    G3a::new("Test", payload.to_vec())
        .to_bytes()
        .expect("a test payload fits the g3a format")
}

/// Program header type of a loadable segment.
pub const PT_LOAD: u32 = 1;

const PAGE: usize = 0x1000;
const EHDR_LEN: usize = 52;
const PHDR_LEN: usize = 32;
const SHDR_LEN: usize = 40;
const SYM_LEN: usize = 16;

/// Builds an ELF32 big-endian `EM_SH` executable.
///
/// Each segment's bytes sit at a file offset congruent to its address
/// modulo the 4 KiB page, as Linux loaders (`qemu-sh4eb`) require, with
/// flags RWX. Symbols inside a segment's bytes are typed as functions, the
/// others (such as `__bss_end`) as untyped, as a linker types them.
///
/// ```
/// use g3a::testing::{ElfBuilder, PT_LOAD};
/// let file = ElfBuilder::new()
///     .segment(PT_LOAD, 0x0030_0000, &[0x00, 0x09], 2)
///     .symbol("_main", 0x0030_0000)
///     .build();
/// assert_eq!(g3a::elf::payload_from_elf(&file)?, [0x00, 0x09]);
/// # Ok::<(), g3a::elf::ElfError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ElfBuilder {
    entry: Option<u32>,
    segments: Vec<(u32, u32, Vec<u8>, u32)>,
    symbols: Vec<(String, u32)>,
    sections: Vec<(String, Vec<u8>)>,
}

impl ElfBuilder {
    /// An empty executable.
    pub fn new() -> ElfBuilder {
        ElfBuilder::default()
    }

    /// Adds a program header of type `kind` loading `data` at `address`
    /// (physical and virtual), `memory_size` bytes in memory.
    pub fn segment(mut self, kind: u32, address: u32, data: &[u8], memory_size: u32) -> Self {
        self.segments
            .push((kind, address, data.to_vec(), memory_size));
        self
    }

    /// Sets the entry point (default: the first segment's address).
    pub fn entry(mut self, address: u32) -> Self {
        self.entry = Some(address);
        self
    }

    /// Adds a global symbol to `.symtab`.
    pub fn symbol(mut self, name: &str, address: u32) -> Self {
        self.symbols.push((name.to_owned(), address));
        self
    }

    /// Adds a section with the given contents (for example DWARF).
    pub fn section(mut self, name: &str, contents: &[u8]) -> Self {
        self.sections.push((name.to_owned(), contents.to_vec()));
        self
    }

    /// The file.
    pub fn build(&self) -> Vec<u8> {
        let word = |file: &mut Vec<u8>, at: usize, value: u32| {
            file[at..at + 4].copy_from_slice(&value.to_be_bytes());
        };
        let half = |file: &mut Vec<u8>, at: usize, value: u16| {
            file[at..at + 2].copy_from_slice(&value.to_be_bytes());
        };
        let phoff = EHDR_LEN;
        let mut file = vec![0u8; phoff + PHDR_LEN * self.segments.len()];

        for (i, (kind, address, data, memory_size)) in self.segments.iter().enumerate() {
            let page_offset = *address as usize % PAGE;
            let mut offset = file.len();
            offset += (page_offset + PAGE - offset % PAGE) % PAGE;
            file.resize(offset, 0);
            file.extend_from_slice(data);
            let at = phoff + PHDR_LEN * i;
            let fields = [
                *kind,
                offset as u32,
                *address,
                *address,
                data.len() as u32,
                *memory_size,
                7, // PF_R | PF_W | PF_X
                PAGE as u32,
            ];
            for (j, value) in fields.into_iter().enumerate() {
                word(&mut file, at + 4 * j, value);
            }
        }

        // Sections: null, the extra ones, .symtab, .strtab, .shstrtab.
        let mut shstrtab = vec![0u8];
        let mut name_of = |name: &str| {
            let at = shstrtab.len() as u32;
            shstrtab.extend_from_slice(name.as_bytes());
            shstrtab.push(0);
            at
        };
        // (name, type, offset, size, link, info, entsize)
        let mut headers: Vec<[u32; 7]> = Vec::new();
        for (name, contents) in &self.sections {
            let name = name_of(name);
            headers.push([name, 1, file.len() as u32, contents.len() as u32, 0, 0, 0]);
            file.extend_from_slice(contents);
        }

        let mut strtab = vec![0u8];
        let mut symtab = vec![0u8; SYM_LEN];
        for (name, address) in &self.symbols {
            let name_at = strtab.len() as u32;
            strtab.extend_from_slice(name.as_bytes());
            strtab.push(0);
            let in_code = self.segments.iter().any(|(kind, start, data, _)| {
                *kind == PT_LOAD
                    && (*start..start.saturating_add(data.len() as u32)).contains(address)
            });
            let mut sym = [0u8; SYM_LEN];
            sym[0..4].copy_from_slice(&name_at.to_be_bytes());
            sym[4..8].copy_from_slice(&address.to_be_bytes());
            sym[12] = if in_code { 0x12 } else { 0x10 }; // global FUNC / NOTYPE
            sym[14..16].copy_from_slice(&0xFFF1u16.to_be_bytes()); // SHN_ABS
            symtab.extend_from_slice(&sym);
        }
        file.resize(file.len().next_multiple_of(4), 0);
        let symtab_index = headers.len() as u32 + 1;
        let symtab_name = name_of(".symtab");
        headers.push([
            symtab_name,
            2, // SHT_SYMTAB
            file.len() as u32,
            symtab.len() as u32,
            symtab_index + 1,
            1, // first global symbol
            SYM_LEN as u32,
        ]);
        file.extend_from_slice(&symtab);
        let strtab_name = name_of(".strtab");
        headers.push([
            strtab_name,
            3,
            file.len() as u32,
            strtab.len() as u32,
            0,
            0,
            0,
        ]);
        file.extend_from_slice(&strtab);
        let shstrtab_name = name_of(".shstrtab");
        let shstrtab_offset = file.len() as u32;
        headers.push([shstrtab_name, 3, shstrtab_offset, 0, 0, 0, 0]);
        let shstrtab_len = shstrtab.len() as u32;
        if let Some(last) = headers.last_mut() {
            last[3] = shstrtab_len;
        }
        file.extend_from_slice(&shstrtab);

        file.resize(file.len().next_multiple_of(4), 0);
        let shoff = file.len();
        file.resize(shoff + SHDR_LEN * (headers.len() + 1), 0);
        for (i, [name, kind, offset, size, link, info, entsize]) in headers.iter().enumerate() {
            let at = shoff + SHDR_LEN * (i + 1);
            for (field, value) in [
                (0, name),
                (4, kind),
                (16, offset),
                (20, size),
                (24, link),
                (28, info),
                (36, entsize),
            ] {
                word(&mut file, at + field, *value);
            }
            word(&mut file, at + 32, 1); // sh_addralign
        }

        file[..4].copy_from_slice(b"\x7fELF");
        file[4] = 1; // ELFCLASS32
        file[5] = 2; // ELFDATA2MSB
        file[6] = 1; // EV_CURRENT
        half(&mut file, 16, 2); // ET_EXEC
        half(&mut file, 18, 42); // EM_SH
        word(&mut file, 20, 1);
        let entry = self
            .entry
            .or_else(|| self.segments.first().map(|s| s.1))
            .unwrap_or(0x0030_0000);
        word(&mut file, 24, entry);
        word(&mut file, 28, phoff as u32);
        word(&mut file, 32, shoff as u32);
        half(&mut file, 40, EHDR_LEN as u16);
        half(&mut file, 42, PHDR_LEN as u16);
        half(&mut file, 44, self.segments.len() as u16);
        half(&mut file, 46, SHDR_LEN as u16);
        half(&mut file, 48, headers.len() as u16 + 1);
        half(&mut file, 50, headers.len() as u16); // .shstrtab is last
        file
    }
}
