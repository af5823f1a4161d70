//! Fuzz target `cpu`: arbitrary bytes as SH-4A code and data on a flat bus.
//! The CPU must never panic, and a fault must name an instruction next to
//! where it stopped.
//!
//! Run from `tools/emulator`: `cargo +nightly fuzz run cpu`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use prizm_emu::cpu::{Bus, Cpu, MemFault, RunExit};

const BASE: u32 = 0x8800_0000;
const SIZE: usize = 0x1000;

/// 4 KiB of flat big-endian memory at `BASE`.
struct Flat(Vec<u8>);

impl Flat {
    fn at(&mut self, addr: u32, len: usize, write: bool) -> Result<&mut [u8], MemFault> {
        let fault = MemFault::Unmapped {
            addr,
            write,
            size: len as u8,
        };
        let offset = addr.checked_sub(BASE).ok_or(fault)? as usize;
        self.0
            .get_mut(offset..offset.checked_add(len).ok_or(fault)?)
            .ok_or(fault)
    }
}

impl Bus for Flat {
    fn read8(&mut self, addr: u32) -> Result<u8, MemFault> {
        Ok(self.at(addr, 1, false)?[0])
    }
    fn read16(&mut self, addr: u32) -> Result<u16, MemFault> {
        let b = self.at(addr, 2, false)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn read32(&mut self, addr: u32) -> Result<u32, MemFault> {
        let b = self.at(addr, 4, false)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn write8(&mut self, addr: u32, value: u8) -> Result<(), MemFault> {
        self.at(addr, 1, true)?[0] = value;
        Ok(())
    }
    fn write16(&mut self, addr: u32, value: u16) -> Result<(), MemFault> {
        self.at(addr, 2, true)?
            .copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
    fn write32(&mut self, addr: u32, value: u32) -> Result<(), MemFault> {
        self.at(addr, 4, true)?
            .copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    // The first 64 bytes seed the registers, the rest is memory (code first).
    let (seed, image) = data.split_at(data.len().min(64));
    let mut memory = vec![0u8; SIZE];
    let copied = image.len().min(SIZE);
    memory[..copied].copy_from_slice(&image[..copied]);
    let mut bus = Flat(memory);
    let mut cpu = Cpu::new(BASE, BASE + SIZE as u32 - 16);
    for (i, chunk) in seed.chunks(4).enumerate().take(15) {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        let value = u32::from_be_bytes(word);
        // Low values become pointers into memory so accesses get somewhere.
        cpu.r[i] = if value < 0x1_0000 {
            BASE + value % SIZE as u32
        } else {
            value
        };
    }
    if seed.first().is_some_and(|b| b & 1 == 1) {
        cpu.set_sr(0); // user mode
    }
    let mut budget = 10_000u64;
    loop {
        let before = cpu.instructions;
        let exit = cpu.run(&mut bus, budget, &[BASE + 0x800]);
        budget = budget.saturating_sub(cpu.instructions - before);
        match exit {
            RunExit::Trapa { .. } | RunExit::Sleep { .. } if budget > 0 => continue,
            RunExit::Stop(_) if budget > 0 => {
                if cpu.step(&mut bus).is_err() {
                    break;
                }
            }
            RunExit::Fault(fault) => {
                let pc = fault.pc();
                assert!(
                    pc == cpu.pc || pc == cpu.pc.wrapping_add(2),
                    "fault PC {pc:#x}, cpu.pc {:#x}",
                    cpu.pc
                );
                let _ = cpu.report(&exit);
                break;
            }
            _ => break,
        }
    }
    let _ = cpu.register_dump();
});
