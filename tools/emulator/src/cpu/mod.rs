//! SH-4A integer CPU core: decoder, interpreter and disassembler.
//!
//! The CPU knows nothing about the calculator: it fetches and accesses
//! memory through a [`Bus`], and reports faults as values so the machine
//! layer can stop the run with a readable report.
//!
//! Layout: `decode.rs` lists every instruction once (pattern, mnemonic,
//! operand format, cost, flags) and builds the 65,536-entry decode table;
//! `execute.rs` is the interpreter (delay slots, faults, cost model);
//! `disasm.rs` prints from the same list.
//!
//! Testing:
//! - `cargo test -p prizm-emu --test differential` runs ~10,000 generated
//!   instruction sequences both here and under `qemu-sh4eb -cpu sh7785`
//!   and compares registers and memory (the QEMU 7.2 deviations it found
//!   are listed at the top of `tests/differential.rs`);
//! - `tests/cpu_random_code.rs` runs 5,000 random code blobs (no panics,
//!   faults name the right instruction); the open-ended version is the
//!   fuzz target: `cd tools/emulator && cargo +nightly fuzz run cpu`;
//! - unit tests in `tests.rs` pin the tricky semantics (div1, mac
//!   saturation, shad/shld, carries, LL/SC, delay slots);
//! - `cargo run --release -p prizm-emu --example bench_cpu` reports
//!   emulated MIPS.

/// Why a memory access failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemFault {
    /// No device or RAM at this address.
    Unmapped { addr: u32, write: bool, size: u8 },
    /// Write to read-only memory (the add-in image).
    ReadOnly { addr: u32, size: u8 },
    /// An access the bus refuses for another reason (for example the stack
    /// overflowing into static data); the machine layer words the report.
    Denied { addr: u32, write: bool, size: u8 },
}

/// The CPU's view of memory. All accesses are big-endian; the CPU checks
/// alignment itself before calling.
pub trait Bus {
    fn read8(&mut self, addr: u32) -> Result<u8, MemFault>;
    fn read16(&mut self, addr: u32) -> Result<u16, MemFault>;
    fn read32(&mut self, addr: u32) -> Result<u32, MemFault>;
    fn write8(&mut self, addr: u32, value: u8) -> Result<(), MemFault>;
    fn write16(&mut self, addr: u32, value: u16) -> Result<(), MemFault>;
    fn write32(&mut self, addr: u32, value: u32) -> Result<(), MemFault>;
    /// Instruction fetch (may be faster than `read16`).
    fn fetch16(&mut self, addr: u32) -> Result<u16, MemFault> {
        self.read16(addr)
    }
    /// The opcode at an even `addr` together with its decode-table entry,
    /// when the bus keeps code predecoded there (read-only code); `None`
    /// sends the CPU through [`Bus::fetch16`] and the decode table.
    #[inline(always)]
    fn fetch_decoded(&mut self, _addr: u32) -> Option<Decoded> {
        None
    }
}

/// An opcode and its decode-table entry, kept side by side so the
/// interpreter reads both from one cache line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    /// The instruction word.
    pub opcode: u16,
    /// What [`decode`] says about it.
    pub entry: Entry,
}

impl Decoded {
    /// Decodes `opcode`.
    pub fn new(opcode: u16) -> Decoded {
        Decoded {
            opcode,
            entry: decode::table().entries()[usize::from(opcode)],
        }
    }
}

mod decode;
mod disasm;
mod execute;
#[cfg(test)]
mod tests;

pub use decode::{decode, Entry, Format, Kind, Spec, PRIVILEGED, SLOT_ILLEGAL, SPECS};
pub use disasm::disassemble;

use std::fmt;

/// SR bits.
pub mod sr {
    /// T: condition / carry bit.
    pub const T: u32 = 1 << 0;
    /// S: saturation for MAC.
    pub const S: u32 = 1 << 1;
    /// Interrupt mask (4 bits).
    pub const IMASK: u32 = 0xF << 4;
    /// Q: division state.
    pub const Q: u32 = 1 << 8;
    /// M: division state.
    pub const M: u32 = 1 << 9;
    /// FD: FPU disable.
    pub const FD: u32 = 1 << 15;
    /// BL: exception/interrupt block.
    pub const BL: u32 = 1 << 28;
    /// RB: register bank select (effective only in privileged mode).
    pub const RB: u32 = 1 << 29;
    /// MD: privileged mode.
    pub const MD: u32 = 1 << 30;
    /// Bits that exist; writes to SR keep only these.
    pub const WRITABLE: u32 = MD | RB | BL | FD | M | Q | IMASK | S | T;
}

/// The SH-4A integer register file plus run statistics.
///
/// Registers are public so the machine layer can set up calls and read
/// results; change SR through [`Cpu::set_sr`] so register banks switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpu {
    /// R0–R15 as the program currently sees them (current bank for R0–R7).
    pub r: [u32; 16],
    /// The other bank of R0–R7 (the one not selected by SR.MD/RB).
    pub r_bank: [u32; 8],
    /// Program counter (address of the next instruction to execute).
    pub pc: u32,
    /// Procedure register (return address).
    pub pr: u32,
    /// Status register. Write it with [`Cpu::set_sr`].
    pub sr: u32,
    /// Global base register.
    pub gbr: u32,
    /// Vector base register.
    pub vbr: u32,
    /// Multiply-accumulate high word.
    pub mach: u32,
    /// Multiply-accumulate low word.
    pub macl: u32,
    /// Saved status register.
    pub ssr: u32,
    /// Saved program counter.
    pub spc: u32,
    /// Saved R15.
    pub sgr: u32,
    /// Debug base register.
    pub dbr: u32,
    /// FPU status/control (kept as a plain register: the fx-CG has no FPU).
    pub fpscr: u32,
    /// FPU communication register (plain register).
    pub fpul: u32,
    /// Retired instruction count.
    pub instructions: u64,
    /// Estimated SH-4A cycles (cost model in `execute.rs`).
    pub cycles: u64,
    /// LL/SC flag set by MOVLI.L and consumed by MOVCO.L.
    ldst: bool,
}

/// Why [`Cpu::run`] returned.
///
/// After `Trapa` and `Sleep`, `Cpu::pc` already points to the next
/// instruction, so calling `run` again resumes the program. After a `Fault`,
/// `Cpu::pc` is the address of the instruction (or of the branch whose delay
/// slot) that faulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunExit {
    /// The instruction budget is used up.
    Budget,
    /// PC reached an address in `stops` (checked before each instruction,
    /// including the first: a run started on a stop returns at once; use
    /// [`Cpu::step`] to move past it).
    Stop(u32),
    /// A `trapa #imm` at `pc` executed.
    Trapa {
        /// The 8-bit immediate.
        imm: u8,
        /// Address of the trapa instruction.
        pc: u32,
    },
    /// A `sleep` at `pc` executed.
    Sleep {
        /// Address of the sleep instruction.
        pc: u32,
    },
    /// The program did something the CPU refuses.
    Fault(CpuFault),
}

/// An instruction that could not execute. `pc`/`opcode` name the faulting
/// instruction itself (the delay-slot instruction when the fault is there).
/// For an instruction fetch failure, `opcode` is 0 and the access address
/// equals `pc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuFault {
    /// The bus refused an access.
    Memory {
        /// What the bus reported.
        fault: MemFault,
        /// Faulting instruction address.
        pc: u32,
        /// Faulting opcode.
        opcode: u16,
    },
    /// A word/long access to an address not aligned to its size (or an
    /// instruction fetch from an odd address).
    Misaligned {
        /// Accessed address.
        addr: u32,
        /// Access size in bytes.
        size: u8,
        /// Whether it was a write.
        write: bool,
        /// Faulting instruction address.
        pc: u32,
        /// Faulting opcode.
        opcode: u16,
    },
    /// Undefined opcode (including FPU instructions), or a privileged one in
    /// user mode.
    Illegal {
        /// Instruction address.
        pc: u32,
        /// Opcode.
        opcode: u16,
    },
    /// A branch, PC-relative or other slot-illegal instruction in a delay slot.
    SlotIllegal {
        /// Address of the delay-slot instruction.
        pc: u32,
        /// Its opcode.
        opcode: u16,
    },
}

impl CpuFault {
    /// Address of the faulting instruction.
    pub fn pc(&self) -> u32 {
        match *self {
            CpuFault::Memory { pc, .. }
            | CpuFault::Misaligned { pc, .. }
            | CpuFault::Illegal { pc, .. }
            | CpuFault::SlotIllegal { pc, .. } => pc,
        }
    }

    /// Opcode of the faulting instruction (0 for a failed fetch).
    pub fn opcode(&self) -> u16 {
        match *self {
            CpuFault::Memory { opcode, .. }
            | CpuFault::Misaligned { opcode, .. }
            | CpuFault::Illegal { opcode, .. }
            | CpuFault::SlotIllegal { opcode, .. } => opcode,
        }
    }

    /// Whether the fault happened while fetching the instruction itself.
    pub fn is_fetch(&self) -> bool {
        match *self {
            CpuFault::Memory { fault, pc, .. } => match fault {
                MemFault::Unmapped { addr, write, .. } | MemFault::Denied { addr, write, .. } => {
                    addr == pc && !write
                }
                MemFault::ReadOnly { .. } => false,
            },
            CpuFault::Misaligned {
                addr,
                size,
                write,
                pc,
                ..
            } => addr == pc && size == 2 && !write,
            _ => false,
        }
    }
}

fn access_name(write: bool) -> &'static str {
    if write {
        "write"
    } else {
        "read"
    }
}

impl fmt::Display for MemFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MemFault::Unmapped { addr, write, size } => {
                write!(
                    f,
                    "{}-byte {} of unmapped address 0x{addr:08X}",
                    size,
                    access_name(write)
                )
            }
            MemFault::ReadOnly { addr, size } => {
                write!(f, "{size}-byte write to read-only address 0x{addr:08X}")
            }
            MemFault::Denied { addr, write, size } => {
                write!(
                    f,
                    "{}-byte {} of 0x{addr:08X} denied",
                    size,
                    access_name(write)
                )
            }
        }
    }
}

impl fmt::Display for CpuFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pc = self.pc();
        let opcode = self.opcode();
        if self.is_fetch() {
            return match *self {
                CpuFault::Memory { fault, .. } => {
                    write!(f, "instruction fetch failed at PC 0x{pc:08X}: {fault}")
                }
                _ => write!(f, "instruction fetch from odd address: PC 0x{pc:08X}"),
            };
        }
        let what = match *self {
            CpuFault::Memory { fault, .. } => format!("memory fault: {fault}"),
            CpuFault::Misaligned {
                addr, size, write, ..
            } => format!(
                "misaligned {size}-byte {} at address 0x{addr:08X}",
                access_name(write)
            ),
            CpuFault::Illegal { .. } => "illegal instruction".to_string(),
            CpuFault::SlotIllegal { .. } => {
                "slot-illegal instruction (not allowed in a delay slot)".to_string()
            }
        };
        write!(
            f,
            "{what} at PC 0x{pc:08X}: opcode 0x{opcode:04X} `{}`",
            disassemble(opcode, pc)
        )
    }
}

impl std::error::Error for CpuFault {}

impl fmt::Display for RunExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            RunExit::Budget => write!(f, "instruction budget used up"),
            RunExit::Stop(pc) => write!(f, "stopped at 0x{pc:08X}"),
            RunExit::Trapa { imm, pc } => write!(
                f,
                "trapa #0x{imm:02X} at PC 0x{pc:08X}: opcode 0x{:04X} `{}`",
                0xC300 | u16::from(imm),
                disassemble(0xC300 | u16::from(imm), pc)
            ),
            RunExit::Sleep { pc } => write!(f, "sleep at PC 0x{pc:08X}: opcode 0x001B `sleep`"),
            RunExit::Fault(fault) => fault.fmt(f),
        }
    }
}

impl Cpu {
    /// A CPU about to execute at `pc` with stack pointer `sp`, in privileged
    /// mode as the fx-CG runs add-ins: SR.MD = 1, RB = 0, BL = 0, IMASK = 15.
    pub fn new(pc: u32, sp: u32) -> Cpu {
        let mut r = [0; 16];
        r[15] = sp;
        Cpu {
            r,
            r_bank: [0; 8],
            pc,
            pr: 0,
            sr: sr::MD | sr::IMASK,
            gbr: 0,
            vbr: 0,
            mach: 0,
            macl: 0,
            ssr: 0,
            spc: 0,
            sgr: 0,
            dbr: 0,
            // The SH-4 reset value.
            fpscr: 0x0004_0001,
            fpul: 0,
            instructions: 0,
            cycles: 0,
            ldst: false,
        }
    }

    /// The T bit.
    pub fn t(&self) -> bool {
        self.sr & sr::T != 0
    }

    /// Sets the T bit.
    pub fn set_t(&mut self, t: bool) {
        self.sr = (self.sr & !sr::T) | u32::from(t);
    }

    /// Whether the LL/SC flag (set by MOVLI.L) is set.
    pub fn ldst(&self) -> bool {
        self.ldst
    }

    /// Writes SR (only existing bits are kept) and switches register banks
    /// when the effective bank (MD and RB both set) changes.
    pub fn set_sr(&mut self, value: u32) {
        let value = value & sr::WRITABLE;
        let bank = |sr: u32| sr & (sr::MD | sr::RB) == (sr::MD | sr::RB);
        if bank(self.sr) != bank(value) {
            for i in 0..8 {
                std::mem::swap(&mut self.r[i], &mut self.r_bank[i]);
            }
        }
        self.sr = value;
    }

    /// A multi-line register dump for fault reports.
    pub fn register_dump(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for row in 0..4 {
            for col in 0..4 {
                let i = row * 4 + col;
                let name = format!("r{i}");
                let _ = write!(out, "{name:>4}={:08X}", self.r[i]);
                out.push(if col == 3 { '\n' } else { ' ' });
            }
        }
        let flag = |bit: u32, name: &str| {
            if self.sr & bit != 0 {
                name.to_string()
            } else {
                "-".repeat(name.len())
            }
        };
        let _ = writeln!(
            out,
            "  pc={:08X}   pr={:08X}   sr={:08X} [{} {} {} {} {} {} {} imask={}]",
            self.pc,
            self.pr,
            self.sr,
            flag(sr::MD, "MD"),
            flag(sr::RB, "RB"),
            flag(sr::BL, "BL"),
            flag(sr::M, "M"),
            flag(sr::Q, "Q"),
            flag(sr::S, "S"),
            flag(sr::T, "T"),
            (self.sr & sr::IMASK) >> 4
        );
        let _ = writeln!(
            out,
            " gbr={:08X} mach={:08X} macl={:08X}  vbr={:08X}",
            self.gbr, self.mach, self.macl, self.vbr
        );
        let _ = writeln!(
            out,
            " ssr={:08X}  spc={:08X}  sgr={:08X}  dbr={:08X}",
            self.ssr, self.spc, self.sgr, self.dbr
        );
        let _ = write!(
            out,
            "bank r0-r7:{}  retired={} cycles={}",
            self.r_bank
                .iter()
                .map(|v| format!(" {v:08X}"))
                .collect::<String>(),
            self.instructions,
            self.cycles
        );
        out
    }

    /// A full report for a run that stopped: the exit's description, the
    /// disassembly around the faulting PC is left to the caller (it needs
    /// memory), then the register dump.
    pub fn report(&self, exit: &RunExit) -> String {
        format!("{exit}\n{}", self.register_dump())
    }
}

// ---------------------------------------------------------------------------
// Contract between the CPU core (this folder) and the machine layer
// (memory map, syscalls, front ends). Both sides code against exactly this.
//
// pub struct Cpu {
//     pub r: [u32; 16],        // current bank view of R0..R15
//     pub r_bank: [u32; 8],    // the other bank of R0..R7
//     pub pc: u32, pub pr: u32, pub sr: u32, pub gbr: u32, pub vbr: u32,
//     pub mach: u32, pub macl: u32, pub ssr: u32, pub spc: u32,
//     pub sgr: u32, pub dbr: u32, pub fpscr: u32, pub fpul: u32,
//     pub instructions: u64,   // retired instruction count
//     pub cycles: u64,         // estimated SH-4A cycles
//     ...private state (delay slot, LL/SC flag, decode cache)...
// }
// impl Cpu {
//     pub fn new(pc: u32, sp: u32) -> Cpu;          // SR = privileged, MD=1 RB=0 BL=0, IMASK=0xF
//     pub fn step<B: Bus>(&mut self, bus: &mut B) -> Result<(), CpuFault>;  // one instruction (a branch and its delay slot count as a unit)
//     /// Runs until `budget` instructions retire, or PC reaches (at an
//     /// instruction boundary, never inside a delay slot) an address in
//     /// `stops` (sorted), or a fault/trap.
//     pub fn run<B: Bus>(&mut self, bus: &mut B, budget: u64, stops: &[u32]) -> RunExit;
// }
// pub enum RunExit { Budget, Stop(u32 /*pc*/), Trapa { imm: u8, pc: u32 }, Sleep { pc: u32 }, Fault(CpuFault) }
// pub enum CpuFault {
//     Memory { fault: MemFault, pc: u32, opcode: u16 },
//     Misaligned { addr: u32, size: u8, write: bool, pc: u32, opcode: u16 },
//     Illegal { pc: u32, opcode: u16 },
//     SlotIllegal { pc: u32, opcode: u16 },
// }
// pub fn disassemble(opcode: u16, pc: u32) -> String;   // in cpu/disasm.rs, re-exported
// impl Cpu { pub fn register_dump(&self) -> String }      // multi-line, for fault reports
// Both CpuFault and RunExit implement Display with PC, opcode, disassembly.
// ---------------------------------------------------------------------------
//
// Implementation notes (additions only, the contract above is unchanged):
// - `Cpu::set_sr`, `Cpu::t`, `Cpu::set_t`, `Cpu::ldst`, `Cpu::report`,
//   `CpuFault::{pc, opcode, is_fetch}` and `decode`/`SPECS` are extras.
// - CpuFault's Display has PC, opcode and disassembly; the register dump
//   needs the Cpu, so `Cpu::report(&exit)` appends it.
// - After RunExit::Trapa/Sleep, `cpu.pc` is the next instruction; calling
//   run() again resumes. `run` checks stops before every instruction,
//   including the first.
// ---------------------------------------------------------------------------
