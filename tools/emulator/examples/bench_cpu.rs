//! CPU-bound interpreter benchmark: a hand-encoded SH-4A loop (loads,
//! stores, arithmetic, a conditional branch and a delayed loop branch) on a
//! flat RAM bus, reporting emulated MIPS next to the real fx-CG's clock.
//!
//! Run with `cargo run --release -p prizm-emu --example bench_cpu`
//! (optionally followed by the number of outer iterations).

use prizm_emu::cpu::{disassemble, Bus, Cpu, MemFault, RunExit};
use std::time::Instant;

/// Flat big-endian RAM at address 0.
struct Ram {
    bytes: Vec<u8>,
}

impl Ram {
    fn bytes<const N: usize>(&self, addr: u32, write: bool) -> Result<[u8; N], MemFault> {
        let start = addr as usize;
        self.bytes
            .get(start..start + N)
            .and_then(|s| s.try_into().ok())
            .ok_or(MemFault::Unmapped {
                addr,
                write,
                size: N as u8,
            })
    }

    fn slot<const N: usize>(&mut self, addr: u32) -> Result<&mut [u8], MemFault> {
        let start = addr as usize;
        self.bytes
            .get_mut(start..start + N)
            .ok_or(MemFault::Unmapped {
                addr,
                write: true,
                size: N as u8,
            })
    }
}

impl Bus for Ram {
    fn read8(&mut self, addr: u32) -> Result<u8, MemFault> {
        Ok(self.bytes::<1>(addr, false)?[0])
    }
    fn read16(&mut self, addr: u32) -> Result<u16, MemFault> {
        Ok(u16::from_be_bytes(self.bytes(addr, false)?))
    }
    fn read32(&mut self, addr: u32) -> Result<u32, MemFault> {
        Ok(u32::from_be_bytes(self.bytes(addr, false)?))
    }
    fn write8(&mut self, addr: u32, value: u8) -> Result<(), MemFault> {
        self.slot::<1>(addr)?[0] = value;
        Ok(())
    }
    fn write16(&mut self, addr: u32, value: u16) -> Result<(), MemFault> {
        self.slot::<2>(addr)?.copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
    fn write32(&mut self, addr: u32, value: u32) -> Result<(), MemFault> {
        self.slot::<4>(addr)?.copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
}

const CODE: u32 = 0x1000;
const BUFFER: u32 = 0x8000;

/// The benchmark program. Outer count in r8 (set by the caller).
const PROGRAM: &[u16] = &[
    // outer:
    0xD40B, // mov.l @(44,pc),r4     ; r4 = BUFFER (literal below)
    0xE540, // mov #64,r5
    0x4508, // shll2 r5              ; 256 inner iterations
    0x6643, // mov r4,r6
    // inner:
    0x6046, // mov.l @r4+,r0         ; load
    0x310C, // add r0,r1
    0x221A, // xor r1,r2
    0x4200, // shll r2
    0x330E, // addc r0,r3
    0x3216, // cmp/hi r1,r2
    0x8900, // bt +0                 ; when taken, skips the add
    0x7901, // add #1,r9
    0x2612, // mov.l r1,@r6          ; store
    0x4510, // dt r5
    0x8FF4, // bf/s inner
    0x7604, // add #4,r6             ; delay slot
    0x4810, // dt r8
    0x8BED, // bf outer
    0xC300, // trapa #0              ; done
    0x0009, 0x0009, 0x0009, 0x0009, 0x0009, // padding up to the literal at CODE + 48
    0x0000, 0x8000, // .long BUFFER
];

/// CPU time of this thread in seconds, from /proc (Linux only).
fn cpu_time() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}

fn main() {
    let outer: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(40_000);
    let mut ram = Ram {
        bytes: vec![0; 0x10000],
    };
    for (i, &word) in PROGRAM.iter().enumerate() {
        ram.write16(CODE + 2 * i as u32, word)
            .expect("program fits");
    }
    // The literal must be what `mov.l @(44,pc),r4` at CODE reads.
    assert_eq!(ram.read32((CODE & !3) + 4 + 44).ok(), Some(BUFFER));
    for i in 0..1024u32 {
        ram.write32(BUFFER + 4 * i, i.wrapping_mul(0x9E37_79B9))
            .expect("buffer fits");
    }
    let mut cpu = Cpu::new(CODE, 0xFFF0);
    cpu.r[8] = outer;

    let started = Instant::now();
    let cpu_started = cpu_time();
    // A stop at the OS syscall entry, as the machine layer sets one.
    let exit = cpu.run(&mut ram, u64::MAX, &[prizm_platform::memory::SYSCALL_ENTRY]);
    let wall_seconds = started.elapsed().as_secs_f64();
    // On a busy machine the wall clock includes time other processes ran;
    // the thread's own CPU time (Linux) is the fairer measure.
    let seconds = match (cpu_started, cpu_time()) {
        (Some(start), Some(end)) if end > start => end - start,
        _ => wall_seconds,
    };
    match exit {
        RunExit::Trapa { imm: 0, .. } => {}
        other => {
            eprintln!(
                "benchmark program stopped unexpectedly: {}\n{}",
                other,
                cpu.register_dump()
            );
            std::process::exit(1);
        }
    }
    let mips = cpu.instructions as f64 / seconds / 1e6;
    let real_seconds = cpu.cycles as f64 / 58e6;
    println!("program (inner loop):");
    for (i, &word) in PROGRAM[4..16].iter().enumerate() {
        let pc = CODE + 8 + 2 * i as u32;
        println!("  {pc:08X}: {word:04X}  {}", disassemble(word, pc));
    }
    println!(
        "{} instructions, {} estimated cycles, in {:.3} s CPU time ({:.3} s wall; checksum r1={:08X} r3={:08X} r9={})",
        cpu.instructions, cpu.cycles, seconds, wall_seconds, cpu.r[1], cpu.r[3], cpu.r[9]
    );
    println!("{mips:.0} MIPS emulated (real fx-CG: ~58 MHz)");
    println!(
        "{:.1}x the real calculator's speed (its estimated run time: {:.3} s)",
        real_seconds / seconds,
        real_seconds
    );
}
