//! The interpreter: fetch, execute, delay slots.
//!
//! # Cost model
//!
//! `Cpu::cycles` is an estimate, not a pipeline simulation. Each instruction
//! adds its cost from the decode table (`decode.rs`):
//! - 1 cycle for ordinary ALU, move, load/store and branch instructions;
//! - 2 for multiplies (`mul.l`, `dmul*.l`, `mac.*`), `movua.l`, `stc`/`ldc`
//!   of control registers, `rts`, `braf`/`bsrf`/`jmp`/`jsr`;
//! - 3 for read-modify-write `*.b @(r0,gbr)`, 4 for `tas.b`, `ldc … sr`,
//!   `rte`, 8 for `trapa`;
//! - plus 1 when a branch is taken (`bt`/`bf` taken, and every delayed
//!   branch, whose slot instruction also adds its own cost).
//!
//! On an SH-4A at 58 MHz that puts typical compiled code at roughly 1–1.5
//! cycles per instruction, which is what the real core's single-issue
//! behaviour looks like without cache misses.

use super::decode::{self, Entry, Kind, PRIVILEGED, SLOT_ILLEGAL};

/// The decode table as the interpreter loop uses it.
type Table = [Entry; 0x1_0000];
use super::{sr, Bus, Cpu, CpuFault, MemFault, RunExit};

/// What went wrong (or needs reporting) while executing one instruction.
/// Converted to a [`RunExit`] with the instruction's PC and opcode.
enum Exception {
    Memory(MemFault),
    Misaligned { addr: u32, size: u8, write: bool },
    Illegal,
    Trapa(u8),
    Sleep,
}

impl From<MemFault> for Exception {
    fn from(fault: MemFault) -> Self {
        Exception::Memory(fault)
    }
}

/// Where execution continues after an instruction.
enum Next {
    /// The following instruction.
    Sequential,
    /// A non-delayed taken branch (`bt`, `bf`).
    Jump(u32),
    /// A delayed branch: run the slot instruction, then continue at target.
    Delayed(u32),
}

type Exec<T> = Result<T, Exception>;

#[inline(always)]
fn fetch<B: Bus>(bus: &mut B, pc: u32) -> Exec<u16> {
    if pc & 1 != 0 {
        return Err(Exception::Misaligned {
            addr: pc,
            size: 2,
            write: false,
        });
    }
    Ok(bus.fetch16(pc)?)
}

#[inline(always)]
fn read8<B: Bus>(bus: &mut B, addr: u32) -> Exec<u8> {
    Ok(bus.read8(addr)?)
}

#[inline(always)]
fn read16<B: Bus>(bus: &mut B, addr: u32) -> Exec<u16> {
    if addr & 1 != 0 {
        return Err(Exception::Misaligned {
            addr,
            size: 2,
            write: false,
        });
    }
    Ok(bus.read16(addr)?)
}

#[inline(always)]
fn read32<B: Bus>(bus: &mut B, addr: u32) -> Exec<u32> {
    if addr & 3 != 0 {
        return Err(Exception::Misaligned {
            addr,
            size: 4,
            write: false,
        });
    }
    Ok(bus.read32(addr)?)
}

#[inline(always)]
fn write8<B: Bus>(bus: &mut B, addr: u32, value: u32) -> Exec<()> {
    Ok(bus.write8(addr, value as u8)?)
}

#[inline(always)]
fn write16<B: Bus>(bus: &mut B, addr: u32, value: u32) -> Exec<()> {
    if addr & 1 != 0 {
        return Err(Exception::Misaligned {
            addr,
            size: 2,
            write: true,
        });
    }
    Ok(bus.write16(addr, value as u16)?)
}

#[inline(always)]
fn write32<B: Bus>(bus: &mut B, addr: u32, value: u32) -> Exec<()> {
    if addr & 3 != 0 {
        return Err(Exception::Misaligned {
            addr,
            size: 4,
            write: true,
        });
    }
    Ok(bus.write32(addr, value)?)
}

#[inline(always)]
fn sext8(value: u8) -> u32 {
    value as i8 as i32 as u32
}

#[inline(always)]
fn sext16(value: u16) -> u32 {
    value as i16 as i32 as u32
}

/// 8-bit branch target: PC + 4 + disp × 2.
#[inline(always)]
fn branch8(pc: u32, opcode: u16) -> u32 {
    pc.wrapping_add(4)
        .wrapping_add(sext8(opcode as u8).wrapping_mul(2))
}

/// 12-bit branch target: PC + 4 + disp × 2.
#[inline(always)]
fn branch12(pc: u32, opcode: u16) -> u32 {
    let disp = (((opcode & 0x0FFF) << 4) as i16 >> 4) as i32 as u32;
    pc.wrapping_add(4).wrapping_add(disp.wrapping_mul(2))
}

/// MOVUA.L: a 32-bit load from any address (byte reads when unaligned).
fn read32_unaligned<B: Bus>(bus: &mut B, addr: u32) -> Exec<u32> {
    if addr & 3 == 0 {
        return read32(bus, addr);
    }
    let mut value = 0u32;
    for i in 0..4 {
        value = (value << 8) | u32::from(read8(bus, addr.wrapping_add(i))?);
    }
    Ok(value)
}

/// SHAD: left for a non-negative count, arithmetic right otherwise (a
/// count whose low five bits are zero shifts right by 32).
pub(crate) fn shad(value: u32, count: u32) -> u32 {
    if (count as i32) >= 0 {
        value << (count & 31)
    } else if count & 31 == 0 {
        if (value as i32) < 0 {
            u32::MAX
        } else {
            0
        }
    } else {
        ((value as i32) >> (32 - (count & 31))) as u32
    }
}

/// SHLD: as SHAD, but logical right shifts.
pub(crate) fn shld(value: u32, count: u32) -> u32 {
    if (count as i32) >= 0 {
        value << (count & 31)
    } else if count & 31 == 0 {
        0
    } else {
        value >> (32 - (count & 31))
    }
}

impl Cpu {
    #[inline(always)]
    fn t_bit(&self) -> u32 {
        self.sr & sr::T
    }

    #[inline(always)]
    fn put_t(&mut self, t: bool) {
        self.sr = (self.sr & !sr::T) | u32::from(t);
    }

    /// Executes one instruction (a branch together with its delay slot).
    ///
    /// `trapa` and `sleep` complete (PC moves past them) and return `Ok`;
    /// use `run(bus, 1, &[])` to observe them as [`RunExit`]s.
    pub fn step<B: Bus>(&mut self, bus: &mut B) -> Result<(), CpuFault> {
        match self.step_unit(bus, decode::table().entries()) {
            Err(RunExit::Fault(fault)) => Err(fault),
            _ => Ok(()),
        }
    }

    /// Runs until `budget` instructions retire (a branch and its slot may
    /// overshoot by one), PC reaches an address in `stops` at an instruction
    /// boundary (checked before every instruction, including the first), or
    /// a trap, sleep or fault stops the program.
    pub fn run<B: Bus>(&mut self, bus: &mut B, budget: u64, stops: &[u32]) -> RunExit {
        let table = decode::table().entries();
        // One compare per instruction while PC is outside the range the
        // stops span (for an empty list the range is empty too).
        let (low, high) = stops.iter().fold((u32::MAX, 0u32), |(low, high), &stop| {
            (low.min(stop), high.max(stop))
        });
        let span = high.wrapping_sub(low);
        let end = self.instructions.saturating_add(budget);
        loop {
            let pc = self.pc;
            if pc.wrapping_sub(low) <= span && stops.contains(&pc) {
                return RunExit::Stop(pc);
            }
            if self.instructions >= end {
                return RunExit::Budget;
            }
            if let Err(exit) = self.step_unit(bus, table) {
                return exit;
            }
        }
    }

    /// Executes one instruction, or a branch and its delay slot.
    #[inline(always)]
    fn step_unit<B: Bus>(&mut self, bus: &mut B, table: &Table) -> Result<(), RunExit> {
        let pc = self.pc;
        let (opcode, entry) = match bus.fetch_decoded(pc) {
            Some(decoded) => (decoded.opcode, decoded.entry),
            None => match fetch(bus, pc) {
                Ok(opcode) => (opcode, table[usize::from(opcode)]),
                Err(exception) => return Err(self.exception(exception, pc, 0)),
            },
        };
        if entry.flags() & PRIVILEGED != 0 && self.sr & sr::MD == 0 {
            return Err(RunExit::Fault(CpuFault::Illegal { pc, opcode }));
        }
        let cost = u64::from(entry.cost());
        match self.execute(bus, entry.kind, opcode, pc) {
            Ok(Next::Sequential) => {
                self.pc = pc.wrapping_add(2);
                self.instructions += 1;
                self.cycles += cost;
                Ok(())
            }
            Ok(Next::Jump(target)) => {
                self.pc = target;
                self.instructions += 1;
                self.cycles += cost + 1;
                Ok(())
            }
            Ok(Next::Delayed(target)) => {
                self.instructions += 1;
                self.cycles += cost + 1;
                self.delay_slot(bus, table, pc, target)
            }
            Err(exception) => Err(self.exception(exception, pc, opcode)),
        }
    }

    /// Runs the instruction after a delayed branch at `branch_pc`, then
    /// moves to `target`. On a fault, PC stays at the branch.
    #[inline(always)]
    fn delay_slot<B: Bus>(
        &mut self,
        bus: &mut B,
        table: &Table,
        branch_pc: u32,
        target: u32,
    ) -> Result<(), RunExit> {
        let pc = branch_pc.wrapping_add(2);
        let (opcode, entry) = match bus.fetch_decoded(pc) {
            Some(decoded) => (decoded.opcode, decoded.entry),
            None => match fetch(bus, pc) {
                Ok(opcode) => (opcode, table[usize::from(opcode)]),
                Err(exception) => return Err(self.exception(exception, pc, 0)),
            },
        };
        let user = self.sr & sr::MD == 0;
        if entry.flags() & SLOT_ILLEGAL != 0 || (entry.flags() & PRIVILEGED != 0 && user) {
            return Err(RunExit::Fault(CpuFault::SlotIllegal { pc, opcode }));
        }
        match self.execute(bus, entry.kind, opcode, pc) {
            Ok(_) => {
                self.pc = target;
                self.instructions += 1;
                self.cycles += u64::from(entry.cost());
                Ok(())
            }
            Err(Exception::Illegal) => Err(RunExit::Fault(CpuFault::SlotIllegal { pc, opcode })),
            Err(exception) => Err(self.exception(exception, pc, opcode)),
        }
    }

    /// Turns an exception of the instruction at `pc` into a run exit.
    #[cold]
    fn exception(&mut self, exception: Exception, pc: u32, opcode: u16) -> RunExit {
        match exception {
            Exception::Memory(fault) => RunExit::Fault(CpuFault::Memory { fault, pc, opcode }),
            Exception::Misaligned { addr, size, write } => RunExit::Fault(CpuFault::Misaligned {
                addr,
                size,
                write,
                pc,
                opcode,
            }),
            Exception::Illegal => RunExit::Fault(CpuFault::Illegal { pc, opcode }),
            Exception::Trapa(imm) => {
                // An exception clears the LL/SC flag.
                self.ldst = false;
                self.pc = pc.wrapping_add(2);
                self.instructions += 1;
                self.cycles += 8;
                RunExit::Trapa { imm, pc }
            }
            Exception::Sleep => {
                self.pc = pc.wrapping_add(2);
                self.instructions += 1;
                self.cycles += 2;
                RunExit::Sleep { pc }
            }
        }
    }

    /// Executes one decoded instruction located at `pc`. Registers change
    /// only once every memory access of the instruction has succeeded.
    #[inline(always)]
    fn execute<B: Bus>(&mut self, bus: &mut B, kind: Kind, op: u16, pc: u32) -> Exec<Next> {
        use Kind::*;
        let n = usize::from((op >> 8) & 0xF);
        let m = usize::from((op >> 4) & 0xF);
        let bank = m & 7;
        let imm = u32::from(op & 0xFF);
        let simm = sext8(op as u8);
        let disp4 = u32::from(op & 0xF);
        let r = &mut self.r;
        match kind {
            Illegal => return Err(Exception::Illegal),

            // ---- data transfer ----
            Mov => r[n] = r[m],
            MovImm => r[n] = simm,
            MovwLoadPc => {
                let addr = pc.wrapping_add(4).wrapping_add(imm * 2);
                r[n] = sext16(read16(bus, addr)?);
            }
            MovlLoadPc => {
                let addr = (pc & !3).wrapping_add(4).wrapping_add(imm * 4);
                r[n] = read32(bus, addr)?;
            }
            Mova => r[0] = (pc & !3).wrapping_add(4).wrapping_add(imm * 4),
            MovbStore => write8(bus, r[n], r[m])?,
            MovwStore => write16(bus, r[n], r[m])?,
            MovlStore => write32(bus, r[n], r[m])?,
            MovbLoad => r[n] = sext8(read8(bus, r[m])?),
            MovwLoad => r[n] = sext16(read16(bus, r[m])?),
            MovlLoad => r[n] = read32(bus, r[m])?,
            MovbStoreDec => {
                let addr = r[n].wrapping_sub(1);
                write8(bus, addr, r[m])?;
                r[n] = addr;
            }
            MovwStoreDec => {
                let addr = r[n].wrapping_sub(2);
                write16(bus, addr, r[m])?;
                r[n] = addr;
            }
            MovlStoreDec => {
                let addr = r[n].wrapping_sub(4);
                write32(bus, addr, r[m])?;
                r[n] = addr;
            }
            // With n == m the loaded value wins (no increment).
            MovbLoadInc => {
                let value = sext8(read8(bus, r[m])?);
                r[m] = r[m].wrapping_add(1);
                r[n] = value;
            }
            MovwLoadInc => {
                let value = sext16(read16(bus, r[m])?);
                r[m] = r[m].wrapping_add(2);
                r[n] = value;
            }
            MovlLoadInc => {
                let value = read32(bus, r[m])?;
                r[m] = r[m].wrapping_add(4);
                r[n] = value;
            }
            MovbStoreIdx => write8(bus, r[0].wrapping_add(r[n]), r[m])?,
            MovwStoreIdx => write16(bus, r[0].wrapping_add(r[n]), r[m])?,
            MovlStoreIdx => write32(bus, r[0].wrapping_add(r[n]), r[m])?,
            MovbLoadIdx => r[n] = sext8(read8(bus, r[0].wrapping_add(r[m]))?),
            MovwLoadIdx => r[n] = sext16(read16(bus, r[0].wrapping_add(r[m]))?),
            MovlLoadIdx => r[n] = read32(bus, r[0].wrapping_add(r[m]))?,
            MovlStoreDisp => write32(bus, r[n].wrapping_add(disp4 * 4), r[m])?,
            MovlLoadDisp => r[n] = read32(bus, r[m].wrapping_add(disp4 * 4))?,
            MovbStoreDispR0 => write8(bus, r[m].wrapping_add(disp4), r[0])?,
            MovwStoreDispR0 => write16(bus, r[m].wrapping_add(disp4 * 2), r[0])?,
            MovbLoadDispR0 => r[0] = sext8(read8(bus, r[m].wrapping_add(disp4))?),
            MovwLoadDispR0 => r[0] = sext16(read16(bus, r[m].wrapping_add(disp4 * 2))?),
            MovbStoreGbr => write8(bus, self.gbr.wrapping_add(imm), r[0])?,
            MovwStoreGbr => write16(bus, self.gbr.wrapping_add(imm * 2), r[0])?,
            MovlStoreGbr => write32(bus, self.gbr.wrapping_add(imm * 4), r[0])?,
            MovbLoadGbr => r[0] = sext8(read8(bus, self.gbr.wrapping_add(imm))?),
            MovwLoadGbr => r[0] = sext16(read16(bus, self.gbr.wrapping_add(imm * 2))?),
            MovlLoadGbr => r[0] = read32(bus, self.gbr.wrapping_add(imm * 4))?,
            Movt => r[n] = self.sr & sr::T,
            SwapB => {
                let v = r[m];
                r[n] = (v & 0xFFFF_0000) | ((v & 0xFF) << 8) | ((v >> 8) & 0xFF);
            }
            SwapW => r[n] = r[m].rotate_left(16),
            Xtrct => r[n] = (r[n] >> 16) | (r[m] << 16),
            Movca => write32(bus, r[n], r[0])?,
            Movli => {
                r[0] = read32(bus, r[n])?;
                self.ldst = true;
            }
            Movco => {
                let stored = self.ldst;
                if stored {
                    write32(bus, r[n], r[0])?;
                }
                self.ldst = false;
                self.put_t(stored);
            }
            Movua => r[0] = read32_unaligned(bus, r[n])?,
            MovuaInc => {
                let value = read32_unaligned(bus, r[n])?;
                // As for other post-increment loads, the loaded value wins
                // when the address register is R0.
                r[n] = r[n].wrapping_add(4);
                r[0] = value;
            }

            // ---- arithmetic ----
            Add => r[n] = r[n].wrapping_add(r[m]),
            AddImm => r[n] = r[n].wrapping_add(simm),
            Addc => {
                let (sum, carry1) = r[n].overflowing_add(r[m]);
                let (sum, carry2) = sum.overflowing_add(self.sr & sr::T);
                r[n] = sum;
                self.put_t(carry1 | carry2);
            }
            Addv => {
                let (sum, overflow) = (r[n] as i32).overflowing_add(r[m] as i32);
                r[n] = sum as u32;
                self.put_t(overflow);
            }
            Sub => r[n] = r[n].wrapping_sub(r[m]),
            Subc => {
                let (diff, borrow1) = r[n].overflowing_sub(r[m]);
                let (diff, borrow2) = diff.overflowing_sub(self.sr & sr::T);
                r[n] = diff;
                self.put_t(borrow1 | borrow2);
            }
            Subv => {
                let (diff, overflow) = (r[n] as i32).overflowing_sub(r[m] as i32);
                r[n] = diff as u32;
                self.put_t(overflow);
            }
            Neg => r[n] = r[m].wrapping_neg(),
            Negc => {
                let t = self.sr & sr::T;
                let source = r[m];
                r[n] = 0u32.wrapping_sub(source).wrapping_sub(t);
                self.put_t(source != 0 || t != 0);
            }
            CmpEq => {
                let t = r[n] == r[m];
                self.put_t(t);
            }
            CmpHs => {
                let t = r[n] >= r[m];
                self.put_t(t);
            }
            CmpGe => {
                let t = r[n] as i32 >= r[m] as i32;
                self.put_t(t);
            }
            CmpHi => {
                let t = r[n] > r[m];
                self.put_t(t);
            }
            CmpGt => {
                let t = r[n] as i32 > r[m] as i32;
                self.put_t(t);
            }
            CmpPz => {
                let t = r[n] as i32 >= 0;
                self.put_t(t);
            }
            CmpPl => {
                let t = r[n] as i32 > 0;
                self.put_t(t);
            }
            CmpEqImm => {
                let t = r[0] == simm;
                self.put_t(t);
            }
            CmpStr => {
                let x = r[n] ^ r[m];
                let t = x & 0xFF00_0000 == 0
                    || x & 0x00FF_0000 == 0
                    || x & 0xFF00 == 0
                    || x & 0xFF == 0;
                self.put_t(t);
            }
            Div0s => {
                let q = r[n] >> 31;
                let mb = r[m] >> 31;
                self.sr = (self.sr & !(sr::Q | sr::M | sr::T)) | (q << 8) | (mb << 9) | (q ^ mb);
            }
            Div0u => self.sr &= !(sr::Q | sr::M | sr::T),
            Div1 => {
                // One step of non-restoring division: the operation is a
                // subtraction when Q == M, an addition otherwise; the new Q
                // combines the bit shifted out, the carry/borrow and M.
                let old_q = self.sr & sr::Q != 0;
                let m_bit = self.sr & sr::M != 0;
                let shifted_out = r[n] >> 31 != 0;
                let divisor = r[m];
                let shifted = (r[n] << 1) | (self.sr & sr::T);
                let (result, carry) = if old_q == m_bit {
                    shifted.overflowing_sub(divisor)
                } else {
                    shifted.overflowing_add(divisor)
                };
                r[n] = result;
                let q = shifted_out ^ carry ^ m_bit;
                self.sr =
                    (self.sr & !(sr::Q | sr::T)) | (u32::from(q) << 8) | u32::from(q == m_bit);
            }
            DmulsL => {
                let product = i64::from(r[n] as i32) * i64::from(r[m] as i32);
                self.mach = (product >> 32) as u32;
                self.macl = product as u32;
            }
            DmuluL => {
                let product = u64::from(r[n]) * u64::from(r[m]);
                self.mach = (product >> 32) as u32;
                self.macl = product as u32;
            }
            MulL => self.macl = r[n].wrapping_mul(r[m]),
            MulsW => self.macl = (i32::from(r[n] as i16) * i32::from(r[m] as i16)) as u32,
            MuluW => self.macl = (r[n] & 0xFFFF) * (r[m] & 0xFFFF),
            MacW => {
                let addr_n = r[n];
                let addr_m = if n == m { addr_n.wrapping_add(2) } else { r[m] };
                let value_n = read16(bus, addr_n)?;
                let value_m = read16(bus, addr_m)?;
                r[n] = r[n].wrapping_add(2);
                r[m] = r[m].wrapping_add(2);
                let product = i32::from(value_n as i16) * i32::from(value_m as i16);
                self.mac_w(product);
            }
            MacL => {
                let addr_n = r[n];
                let addr_m = if n == m { addr_n.wrapping_add(4) } else { r[m] };
                let value_n = read32(bus, addr_n)?;
                let value_m = read32(bus, addr_m)?;
                r[n] = r[n].wrapping_add(4);
                r[m] = r[m].wrapping_add(4);
                let product = i64::from(value_n as i32) * i64::from(value_m as i32);
                self.mac_l(product);
            }
            Dt => {
                r[n] = r[n].wrapping_sub(1);
                let t = r[n] == 0;
                self.put_t(t);
            }
            ExtsB => r[n] = sext8(r[m] as u8),
            ExtsW => r[n] = sext16(r[m] as u16),
            ExtuB => r[n] = r[m] & 0xFF,
            ExtuW => r[n] = r[m] & 0xFFFF,

            // ---- logic ----
            And => r[n] &= r[m],
            Or => r[n] |= r[m],
            Xor => r[n] ^= r[m],
            Not => r[n] = !r[m],
            Tst => {
                let t = r[n] & r[m] == 0;
                self.put_t(t);
            }
            AndImm => r[0] &= imm,
            OrImm => r[0] |= imm,
            XorImm => r[0] ^= imm,
            TstImm => {
                let t = r[0] & imm == 0;
                self.put_t(t);
            }
            AndB | OrB | XorB | TstB => {
                let addr = self.gbr.wrapping_add(r[0]);
                let value = u32::from(read8(bus, addr)?);
                match kind {
                    AndB => write8(bus, addr, value & imm)?,
                    OrB => write8(bus, addr, value | imm)?,
                    XorB => write8(bus, addr, value ^ imm)?,
                    _ => self.put_t(value & imm == 0),
                }
            }
            TasB => {
                let addr = r[n];
                let value = read8(bus, addr)?;
                write8(bus, addr, u32::from(value | 0x80))?;
                self.put_t(value == 0);
            }

            // ---- shifts and rotates ----
            Shll | Shal => {
                let t = r[n] >> 31 != 0;
                r[n] <<= 1;
                self.put_t(t);
            }
            Shlr => {
                let t = r[n] & 1 != 0;
                r[n] >>= 1;
                self.put_t(t);
            }
            Shar => {
                let t = r[n] & 1 != 0;
                r[n] = ((r[n] as i32) >> 1) as u32;
                self.put_t(t);
            }
            Rotl => {
                let t = r[n] >> 31 != 0;
                r[n] = r[n].rotate_left(1);
                self.put_t(t);
            }
            Rotr => {
                let t = r[n] & 1 != 0;
                r[n] = r[n].rotate_right(1);
                self.put_t(t);
            }
            Rotcl => {
                let old = self.sr & sr::T;
                let t = r[n] >> 31 != 0;
                r[n] = (r[n] << 1) | old;
                self.put_t(t);
            }
            Rotcr => {
                let old = self.sr & sr::T;
                let t = r[n] & 1 != 0;
                r[n] = (r[n] >> 1) | (old << 31);
                self.put_t(t);
            }
            Shll2 => r[n] <<= 2,
            Shll8 => r[n] <<= 8,
            Shll16 => r[n] <<= 16,
            Shlr2 => r[n] >>= 2,
            Shlr8 => r[n] >>= 8,
            Shlr16 => r[n] >>= 16,
            Shad => r[n] = shad(r[n], r[m]),
            Shld => r[n] = shld(r[n], r[m]),

            // ---- branches ----
            Bt => {
                if self.t_bit() != 0 {
                    return Ok(Next::Jump(branch8(pc, op)));
                }
            }
            Bf => {
                if self.t_bit() == 0 {
                    return Ok(Next::Jump(branch8(pc, op)));
                }
            }
            // A not-taken bt/s or bf/s still has a delay slot (the slot
            // rules apply); execution then continues after the slot.
            BtS => {
                let target = if self.t_bit() != 0 {
                    branch8(pc, op)
                } else {
                    pc.wrapping_add(4)
                };
                return Ok(Next::Delayed(target));
            }
            BfS => {
                let target = if self.t_bit() == 0 {
                    branch8(pc, op)
                } else {
                    pc.wrapping_add(4)
                };
                return Ok(Next::Delayed(target));
            }
            Bra => return Ok(Next::Delayed(branch12(pc, op))),
            Bsr => {
                self.pr = pc.wrapping_add(4);
                return Ok(Next::Delayed(branch12(pc, op)));
            }
            Braf => return Ok(Next::Delayed(pc.wrapping_add(4).wrapping_add(r[n]))),
            Bsrf => {
                let target = pc.wrapping_add(4).wrapping_add(r[n]);
                self.pr = pc.wrapping_add(4);
                return Ok(Next::Delayed(target));
            }
            Jmp => return Ok(Next::Delayed(r[n])),
            Jsr => {
                let target = r[n];
                self.pr = pc.wrapping_add(4);
                return Ok(Next::Delayed(target));
            }
            Rts => return Ok(Next::Delayed(self.pr)),
            Rte => {
                // SR is restored before the delay slot executes.
                let target = self.spc;
                let ssr = self.ssr;
                self.set_sr(ssr);
                return Ok(Next::Delayed(target));
            }

            // ---- system ----
            Clrt => self.sr &= !sr::T,
            Sett => self.sr |= sr::T,
            Clrs => self.sr &= !sr::S,
            Sets => self.sr |= sr::S,
            Clrmac => {
                self.mach = 0;
                self.macl = 0;
            }
            Nop | Synco | Ldtlb | Pref | Ocbi | Ocbp | Ocbwb | Prefi | Icbi => {}
            Sleep => return Err(Exception::Sleep),
            Trapa => return Err(Exception::Trapa(imm as u8)),

            StcSr => r[n] = self.sr,
            StcGbr => r[n] = self.gbr,
            StcVbr => r[n] = self.vbr,
            StcSsr => r[n] = self.ssr,
            StcSpc => r[n] = self.spc,
            StcSgr => r[n] = self.sgr,
            StcDbr => r[n] = self.dbr,
            StcBank => r[n] = self.r_bank[bank],
            StsMach => r[n] = self.mach,
            StsMacl => r[n] = self.macl,
            StsPr => r[n] = self.pr,
            StsFpul => r[n] = self.fpul,
            StsFpscr => r[n] = self.fpscr,

            LdcSr => {
                let value = r[n];
                self.set_sr(value);
            }
            LdcGbr => self.gbr = r[n],
            LdcVbr => self.vbr = r[n],
            LdcSsr => self.ssr = r[n],
            LdcSpc => self.spc = r[n],
            LdcSgr => self.sgr = r[n],
            LdcDbr => self.dbr = r[n],
            LdcBank => self.r_bank[bank] = r[n],
            LdsMach => self.mach = r[n],
            LdsMacl => self.macl = r[n],
            LdsPr => self.pr = r[n],
            LdsFpul => self.fpul = r[n],
            LdsFpscr => self.fpscr = r[n] & FPSCR_MASK,

            StclSr | StclGbr | StclVbr | StclSsr | StclSpc | StclSgr | StclDbr | StclBank
            | StslMach | StslMacl | StslPr | StslFpul | StslFpscr => {
                let value = match kind {
                    StclSr => self.sr,
                    StclGbr => self.gbr,
                    StclVbr => self.vbr,
                    StclSsr => self.ssr,
                    StclSpc => self.spc,
                    StclSgr => self.sgr,
                    StclDbr => self.dbr,
                    StclBank => self.r_bank[bank],
                    StslMach => self.mach,
                    StslMacl => self.macl,
                    StslPr => self.pr,
                    StslFpul => self.fpul,
                    _ => self.fpscr,
                };
                let addr = r[n].wrapping_sub(4);
                write32(bus, addr, value)?;
                r[n] = addr;
            }
            LdclSr | LdclGbr | LdclVbr | LdclSsr | LdclSpc | LdclSgr | LdclDbr | LdclBank
            | LdslMach | LdslMacl | LdslPr | LdslFpul | LdslFpscr => {
                let value = read32(bus, r[n])?;
                // Increment before a possible bank switch by the SR write.
                r[n] = r[n].wrapping_add(4);
                match kind {
                    LdclSr => self.set_sr(value),
                    LdclGbr => self.gbr = value,
                    LdclVbr => self.vbr = value,
                    LdclSsr => self.ssr = value,
                    LdclSpc => self.spc = value,
                    LdclSgr => self.sgr = value,
                    LdclDbr => self.dbr = value,
                    LdclBank => self.r_bank[bank] = value,
                    LdslMach => self.mach = value,
                    LdslMacl => self.macl = value,
                    LdslPr => self.pr = value,
                    LdslFpul => self.fpul = value,
                    _ => self.fpscr = value & FPSCR_MASK,
                }
            }
        }
        Ok(Next::Sequential)
    }

    /// MAC.W accumulation of a 16×16 product.
    ///
    /// S = 0: MACH:MACL += product (64 bits). S = 1: MACL += product with
    /// 32-bit signed saturation; MACH is untouched unless the addition
    /// overflows, in which case it is set to 1 (the SH-4's overflow mark).
    pub(crate) fn mac_w(&mut self, product: i32) {
        if self.sr & sr::S != 0 {
            match (self.macl as i32).checked_add(product) {
                Some(sum) => self.macl = sum as u32,
                None => {
                    self.macl = if product < 0 {
                        i32::MIN as u32
                    } else {
                        i32::MAX as u32
                    };
                    self.mach = 1;
                }
            }
        } else {
            let mac = ((u64::from(self.mach) << 32) | u64::from(self.macl)) as i64;
            let sum = mac.wrapping_add(i64::from(product));
            self.mach = (sum >> 32) as u32;
            self.macl = sum as u32;
        }
    }

    /// MAC.L accumulation of a 32×32 product.
    ///
    /// S = 0: MACH:MACL += product (64 bits, wrapping). S = 1: the 64-bit
    /// sum is saturated to the signed 48-bit range
    /// 0xFFFF8000_00000000 ..= 0x00007FFF_FFFFFFFF.
    pub(crate) fn mac_l(&mut self, product: i64) {
        let mac = ((u64::from(self.mach) << 32) | u64::from(self.macl)) as i64;
        let sum = if self.sr & sr::S != 0 {
            const MAX: i64 = (1 << 47) - 1;
            const MIN: i64 = -(1 << 47);
            match mac.checked_add(product) {
                Some(sum) => sum.clamp(MIN, MAX),
                None if mac < 0 => MIN,
                None => MAX,
            }
        } else {
            mac.wrapping_add(product)
        };
        self.mach = (sum >> 32) as u32;
        self.macl = sum as u32;
    }
}

/// FPSCR bits that exist on the SH-4 (writes keep only these).
const FPSCR_MASK: u32 = 0x003F_FFFF;
