//! Minimal add-in files built in memory, for this crate's tests and
//! examples and for tools that want a file to load without a toolchain.

use crate::loader::{G3A_HEADER_SIZE, G3A_MAGIC};

/// A minimal g3a around `payload` (internal name `@TEST`); checksums and
/// icons are left zero, which the loader accepts.
pub fn g3a(payload: &[u8]) -> Vec<u8> {
    let mut file = vec![0u8; G3A_HEADER_SIZE];
    file[..8].copy_from_slice(&G3A_MAGIC);
    file[0x2E..0x32].copy_from_slice(&(payload.len() as u32).to_be_bytes());
    file[0x60..0x65].copy_from_slice(b"@TEST");
    file.extend_from_slice(payload);
    file.extend_from_slice(&[0, 0, 0, 0]);
    file
}

/// A minimal big-endian SH ELF: one PT_LOAD of `code` at `paddr` and a
/// symbol table. Symbols inside `code` are typed as functions, the others
/// (such as `__bss_end`) as plain symbols, as a linker would type them.
pub fn elf(paddr: u32, code: &[u8], symbols: &[(&str, u32)]) -> Vec<u8> {
    let mut strtab = vec![0u8];
    let mut symtab = vec![0u8; 16];
    for (name, value) in symbols {
        let name_at = strtab.len() as u32;
        strtab.extend_from_slice(name.as_bytes());
        strtab.push(0);
        let mut sym = vec![0u8; 16];
        sym[0..4].copy_from_slice(&name_at.to_be_bytes());
        sym[4..8].copy_from_slice(&value.to_be_bytes());
        sym[12] = 0x12; // global function
        symtab.extend_from_slice(&sym);
    }
    let phoff = 52usize;
    let code_off = phoff + 32;
    let symtab_off = code_off + code.len();
    let strtab_off = symtab_off + symtab.len();
    let shoff = strtab_off + strtab.len();
    let mut f = vec![0u8; 52];
    f[..4].copy_from_slice(b"\x7FELF");
    f[4] = 1;
    f[5] = 2;
    f[6] = 1;
    f[16..18].copy_from_slice(&2u16.to_be_bytes());
    f[18..20].copy_from_slice(&42u16.to_be_bytes());
    f[24..28].copy_from_slice(&paddr.to_be_bytes());
    f[28..32].copy_from_slice(&(phoff as u32).to_be_bytes());
    f[32..36].copy_from_slice(&(shoff as u32).to_be_bytes());
    f[40..42].copy_from_slice(&52u16.to_be_bytes());
    f[42..44].copy_from_slice(&32u16.to_be_bytes());
    f[44..46].copy_from_slice(&1u16.to_be_bytes());
    f[46..48].copy_from_slice(&40u16.to_be_bytes());
    f[48..50].copy_from_slice(&3u16.to_be_bytes());
    let mut ph = vec![0u8; 32];
    ph[0..4].copy_from_slice(&1u32.to_be_bytes());
    ph[4..8].copy_from_slice(&(code_off as u32).to_be_bytes());
    ph[8..12].copy_from_slice(&paddr.to_be_bytes());
    ph[12..16].copy_from_slice(&paddr.to_be_bytes());
    ph[16..20].copy_from_slice(&(code.len() as u32).to_be_bytes());
    ph[20..24].copy_from_slice(&(code.len() as u32).to_be_bytes());
    f.extend_from_slice(&ph);
    f.extend_from_slice(code);
    f.extend_from_slice(&symtab);
    f.extend_from_slice(&strtab);
    let section = |kind: u32, off: usize, size: usize, link: u32, entsize: u32| {
        let mut s = vec![0u8; 40];
        s[4..8].copy_from_slice(&kind.to_be_bytes());
        s[16..20].copy_from_slice(&(off as u32).to_be_bytes());
        s[20..24].copy_from_slice(&(size as u32).to_be_bytes());
        s[24..28].copy_from_slice(&link.to_be_bytes());
        s[36..40].copy_from_slice(&entsize.to_be_bytes());
        s
    };
    f.extend_from_slice(&section(0, 0, 0, 0, 0));
    f.extend_from_slice(&section(2, symtab_off, symtab.len(), 2, 16));
    f.extend_from_slice(&section(3, strtab_off, strtab.len(), 0, 0));
    f
}
