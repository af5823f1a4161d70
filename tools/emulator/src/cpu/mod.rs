//! SH-4A integer CPU core (interface contract; the interpreter fills it in).
//!
//! The CPU knows nothing about the calculator: it fetches and accesses
//! memory through a [`Bus`], and reports faults as values so the machine
//! layer can stop the run with a readable report.

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
