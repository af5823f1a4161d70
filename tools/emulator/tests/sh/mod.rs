//! Shared helpers for the CPU integration tests: a seeded PRNG, a flat
//! big-endian memory bus and instruction encoders.

#![allow(dead_code)]

use prizm_emu::cpu::{Bus, MemFault};

/// SplitMix64: small, seedable, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        ((u64::from(self.u32()) * u64::from(n)) >> 32) as u32
    }
    pub fn range(&mut self, low: i32, high_inclusive: i32) -> i32 {
        low + self.below((high_inclusive - low + 1) as u32) as i32
    }
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u32) as usize]
    }
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.u32() as u8).collect()
    }
}

/// Flat memory covering `[base, base + len)`; everything else is unmapped.
pub struct FlatBus {
    pub base: u32,
    pub bytes: Vec<u8>,
}

impl FlatBus {
    pub fn new(base: u32, len: usize) -> FlatBus {
        FlatBus {
            base,
            bytes: vec![0; len],
        }
    }

    fn range(&mut self, addr: u32, len: usize, write: bool) -> Result<&mut [u8], MemFault> {
        let fault = MemFault::Unmapped {
            addr,
            write,
            size: len as u8,
        };
        let offset = addr.checked_sub(self.base).ok_or(fault)? as usize;
        self.bytes
            .get_mut(offset..offset.checked_add(len).ok_or(fault)?)
            .ok_or(fault)
    }

    pub fn load(&mut self, addr: u32, data: &[u8]) {
        let offset = (addr - self.base) as usize;
        self.bytes[offset..offset + data.len()].copy_from_slice(data);
    }

    pub fn slice(&self, addr: u32, len: usize) -> Option<&[u8]> {
        let offset = addr.checked_sub(self.base)? as usize;
        self.bytes.get(offset..offset.checked_add(len)?)
    }
}

impl Bus for FlatBus {
    fn read8(&mut self, addr: u32) -> Result<u8, MemFault> {
        Ok(self.range(addr, 1, false)?[0])
    }
    fn read16(&mut self, addr: u32) -> Result<u16, MemFault> {
        let b = self.range(addr, 2, false)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn read32(&mut self, addr: u32) -> Result<u32, MemFault> {
        let b = self.range(addr, 4, false)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn write8(&mut self, addr: u32, value: u8) -> Result<(), MemFault> {
        self.range(addr, 1, true)?[0] = value;
        Ok(())
    }
    fn write16(&mut self, addr: u32, value: u16) -> Result<(), MemFault> {
        self.range(addr, 2, true)?
            .copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
    fn write32(&mut self, addr: u32, value: u32) -> Result<(), MemFault> {
        self.range(addr, 4, true)?
            .copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
}

/// Instruction encoders (field placement only; see the SH-4A manual's
/// instruction formats).
pub mod enc {
    /// `base` with Rn in bits 8–11 and Rm in bits 4–7.
    pub const fn nm(base: u16, n: u8, m: u8) -> u16 {
        base | ((n as u16 & 15) << 8) | ((m as u16 & 15) << 4)
    }
    /// `base` with Rn in bits 8–11.
    pub const fn n(base: u16, n: u8) -> u16 {
        base | ((n as u16 & 15) << 8)
    }
    /// `base` with an 8-bit immediate and Rn.
    pub const fn ni(base: u16, n: u8, imm: i32) -> u16 {
        base | ((n as u16 & 15) << 8) | (imm as u16 & 0xFF)
    }
    /// `base` with an 8-bit immediate/displacement.
    pub const fn i8(base: u16, imm: i32) -> u16 {
        base | (imm as u16 & 0xFF)
    }
    /// `base` with Rn, Rm and a 4-bit displacement (already scaled down).
    pub const fn nmd(base: u16, n: u8, m: u8, d: u8) -> u16 {
        nm(base, n, m) | (d as u16 & 15)
    }

    pub const NOP: u16 = 0x0009;
    pub const CLRT: u16 = 0x0008;
    pub const SETT: u16 = 0x0018;
    pub const CLRS: u16 = 0x0048;
    pub const SETS: u16 = 0x0058;
    pub const CLRMAC: u16 = 0x0028;
    pub const DIV0U: u16 = 0x0019;
    pub const RTS: u16 = 0x000B;

    pub const fn mov(m: u8, n: u8) -> u16 {
        nm(0x6003, n, m)
    }
    pub const fn mov_imm(imm: i32, n: u8) -> u16 {
        ni(0xE000, n, imm)
    }
    pub const fn add_imm(imm: i32, n: u8) -> u16 {
        ni(0x7000, n, imm)
    }
    pub const fn movt(n: u8) -> u16 {
        self::n(0x0029, n)
    }
    /// mov.l @(disp,pc),Rn with the scaled displacement.
    pub const fn movl_pc(disp: u8, n: u8) -> u16 {
        ni(0xD000, n, disp as i32)
    }
    pub const fn mova(disp: u8) -> u16 {
        i8(0xC700, disp as i32)
    }
    pub const fn movl_load_inc(m: u8, n: u8) -> u16 {
        nm(0x6006, n, m)
    }
    pub const fn movl_store_dec(m: u8, n: u8) -> u16 {
        nm(0x2006, n, m)
    }
    pub const fn movl_load(m: u8, n: u8) -> u16 {
        nm(0x6002, n, m)
    }
    /// mov.l Rm,@(disp*4,Rn)
    pub const fn movl_store_disp(m: u8, disp: u8, n: u8) -> u16 {
        nmd(0x1000, n, m, disp)
    }
    pub const fn trapa(imm: u8) -> u16 {
        i8(0xC300, imm as i32)
    }
    pub const fn bra(disp: i32) -> u16 {
        0xA000 | (disp as u16 & 0x0FFF)
    }
}
