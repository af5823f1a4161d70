//! Unit tests for the tricky corners of the instruction set.

use super::execute::{shad, shld};
use super::*;

/// Flat big-endian memory at address 0.
struct Flat {
    bytes: Vec<u8>,
}

impl Flat {
    fn new(size: usize) -> Flat {
        Flat {
            bytes: vec![0; size],
        }
    }
    fn slice(&mut self, addr: u32, len: usize, write: bool) -> Result<&mut [u8], MemFault> {
        let start = addr as usize;
        match self.bytes.get_mut(start..start.saturating_add(len)) {
            Some(slice) => Ok(slice),
            None => Err(MemFault::Unmapped {
                addr,
                write,
                size: len as u8,
            }),
        }
    }
    fn put16(&mut self, addr: u32, value: u16) {
        self.write16(addr, value).unwrap();
    }
}

impl Bus for Flat {
    fn read8(&mut self, addr: u32) -> Result<u8, MemFault> {
        Ok(self.slice(addr, 1, false)?[0])
    }
    fn read16(&mut self, addr: u32) -> Result<u16, MemFault> {
        let s = self.slice(addr, 2, false)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }
    fn read32(&mut self, addr: u32) -> Result<u32, MemFault> {
        let s = self.slice(addr, 4, false)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn write8(&mut self, addr: u32, value: u8) -> Result<(), MemFault> {
        self.slice(addr, 1, true)?[0] = value;
        Ok(())
    }
    fn write16(&mut self, addr: u32, value: u16) -> Result<(), MemFault> {
        self.slice(addr, 2, true)?
            .copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
    fn write32(&mut self, addr: u32, value: u32) -> Result<(), MemFault> {
        self.slice(addr, 4, true)?
            .copy_from_slice(&value.to_be_bytes());
        Ok(())
    }
}

const CODE: u32 = 0x1000;
const DATA: u32 = 0x2000;
/// `trapa #0xFF` ends every test program.
const END: u16 = 0xC3FF;

/// Runs `code` (followed by the end marker) with registers prepared by
/// `setup`; returns the CPU, memory and how the run ended.
fn run_with(code: &[u16], setup: impl FnOnce(&mut Cpu, &mut Flat)) -> (Cpu, Flat, RunExit) {
    let mut bus = Flat::new(0x4000);
    for (i, &word) in code.iter().chain(std::iter::once(&END)).enumerate() {
        bus.put16(CODE + 2 * i as u32, word);
    }
    let mut cpu = Cpu::new(CODE, 0x3FF0);
    setup(&mut cpu, &mut bus);
    let exit = cpu.run(&mut bus, 100_000, &[]);
    (cpu, bus, exit)
}

fn run_ok(code: &[u16], setup: impl FnOnce(&mut Cpu, &mut Flat)) -> (Cpu, Flat) {
    let (cpu, bus, exit) = run_with(code, setup);
    match exit {
        RunExit::Trapa { imm: 0xFF, .. } => (cpu, bus),
        other => panic!("unexpected exit: {}\n{}", other, cpu.register_dump()),
    }
}

fn rr(base: u16, n: u16, m: u16) -> u16 {
    base | (n << 8) | (m << 4)
}

#[test]
fn div1_unsigned_32_by_16_matches_reference() {
    // The manual's recipe: shll16 r0; div0u; 16 × div1 r0,r1; rotcl r1;
    // extu.w r1,r1 gives the 16-bit quotient of r1 / r0.
    let mut code = vec![0x4028, 0x0019];
    code.extend(std::iter::repeat_n(rr(0x3004, 1, 0), 16));
    code.extend([0x4124, 0x611D]);
    let mut seed = 0x1234_5678_9ABC_DEF1u64;
    for _ in 0..500 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let divisor = ((seed >> 40) as u32 & 0xFFFF).max(1);
        let dividend = (seed as u32) % (divisor << 16);
        let (cpu, _) = run_ok(&code, |cpu, _| {
            cpu.r[0] = divisor;
            cpu.r[1] = dividend;
        });
        assert_eq!(cpu.r[1], dividend / divisor, "{dividend:#x} / {divisor:#x}");
    }
}

#[test]
fn div1_unsigned_64_by_32_matches_reference() {
    // r1:r2 / r0 -> r2: div0u; 32 × (rotcl r2; div1 r0,r1); rotcl r2.
    let mut code = vec![0x0019];
    for _ in 0..32 {
        code.extend([0x4224, rr(0x3004, 1, 0)]);
    }
    code.push(0x4224);
    let mut seed = 99u64;
    for _ in 0..300 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let divisor = ((seed >> 32) as u32).max(1);
        let high = (seed as u32) % divisor;
        let low = (seed >> 13) as u32;
        let dividend = (u64::from(high) << 32) | u64::from(low);
        let (cpu, _) = run_ok(&code, |cpu, _| {
            cpu.r[0] = divisor;
            cpu.r[1] = high;
            cpu.r[2] = low;
        });
        assert_eq!(u64::from(cpu.r[2]), dividend / u64::from(divisor));
    }
}

#[test]
fn div1_single_steps_follow_q_m_t_rules() {
    // Q=0, M=0: subtract. 0x80000000 << 1 = 0 (+T=0), 0 - 1 borrows.
    let (cpu, _) = run_ok(&[0x0019, rr(0x3004, 1, 2)], |cpu, _| {
        cpu.r[1] = 0x8000_0000;
        cpu.r[2] = 1;
    });
    assert_eq!(cpu.r[1], 0xFFFF_FFFF);
    // Q = shifted-out(1) ^ borrow(1) ^ M(0) = 0; T = (Q == M) = 1.
    assert_eq!(cpu.sr & (sr::Q | sr::M | sr::T), sr::T);

    // div0s with r1 negative, r2 positive: Q=1, M=0, T=1; then div1 adds.
    let (cpu, _) = run_ok(&[rr(0x2007, 1, 2), rr(0x3004, 1, 2)], |cpu, _| {
        cpu.r[1] = 0xFFFF_FFF0;
        cpu.r[2] = 5;
    });
    // (0xFFFFFFF0 << 1) | 1 = 0xFFFFFFE1; + 5 = 0xFFFFFFE6, no carry.
    assert_eq!(cpu.r[1], 0xFFFF_FFE6);
    // Q = 1 ^ 0 ^ 0 = 1, T = (Q == M) = 0.
    assert_eq!(cpu.sr & (sr::Q | sr::M | sr::T), sr::Q);
}

/// MAC test input: S bit, initial MACH:MACL, the two operands.
struct MacCase {
    s: bool,
    mach: u32,
    macl: u32,
    a: u32,
    b: u32,
}

fn mac_setup(cpu: &mut Cpu, bus: &mut Flat, case: &MacCase, long: bool) {
    let MacCase {
        s,
        mach,
        macl,
        a,
        b,
    } = *case;
    cpu.mach = mach;
    cpu.macl = macl;
    if s {
        cpu.sr |= sr::S;
    }
    if long {
        bus.write32(DATA, a).unwrap();
        bus.write32(DATA + 4, b).unwrap();
    } else {
        bus.write16(DATA, a as u16).unwrap();
        bus.write16(DATA + 2, b as u16).unwrap();
    }
    cpu.r[1] = DATA;
    cpu.r[2] = DATA + if long { 4 } else { 2 };
}

fn mac_w(s: bool, mach: u32, macl: u32, a: u16, b: u16) -> (u32, u32) {
    // mac.w @r2+,@r1+
    let case = MacCase {
        s,
        mach,
        macl,
        a: a.into(),
        b: b.into(),
    };
    let (cpu, _) = run_ok(&[0x412F], |cpu, bus| mac_setup(cpu, bus, &case, false));
    assert_eq!((cpu.r[1], cpu.r[2]), (DATA + 2, DATA + 4));
    (cpu.mach, cpu.macl)
}

fn mac_l(s: bool, mach: u32, macl: u32, a: u32, b: u32) -> (u32, u32) {
    // mac.l @r2+,@r1+
    let case = MacCase {
        s,
        mach,
        macl,
        a,
        b,
    };
    let (cpu, _) = run_ok(&[0x012F], |cpu, bus| mac_setup(cpu, bus, &case, true));
    assert_eq!((cpu.r[1], cpu.r[2]), (DATA + 4, DATA + 8));
    (cpu.mach, cpu.macl)
}

#[test]
fn mac_w_accumulates_64_bits_without_s() {
    assert_eq!(mac_w(false, 0, 0xFFFF_FFFF, 2, 3), (1, 5));
    assert_eq!(mac_w(false, 0, 0, 0xFFFF, 3), (0xFFFF_FFFF, 0xFFFF_FFFD));
    assert_eq!(mac_w(false, 0, 0x7FFF_FFFF, 1, 1), (0, 0x8000_0000));
}

#[test]
fn mac_w_saturates_macl_with_s() {
    // No overflow: MACH untouched.
    assert_eq!(mac_w(true, 0x1234, 5, 0xFFFF, 10), (0x1234, 0xFFFF_FFFB));
    // Positive overflow: MACL = 0x7FFFFFFF, MACH = 1.
    assert_eq!(mac_w(true, 0, 0x7FFF_FFFF, 1, 1), (1, 0x7FFF_FFFF));
    assert_eq!(
        mac_w(true, 0, 0x7FFF_0000, 0x7FFF, 0x7FFF),
        (1, 0x7FFF_FFFF)
    );
    // Negative overflow: MACL = 0x80000000.
    assert_eq!(mac_w(true, 0, 0x8000_0000, 0xFFFF, 1), (1, 0x8000_0000));
}

#[test]
fn mac_l_accumulates_and_saturates_to_48_bits() {
    assert_eq!(
        mac_l(false, 0, 0, 0xFFFF_FFFF, 2),
        (0xFFFF_FFFF, 0xFFFF_FFFE)
    );
    assert_eq!(
        mac_l(false, 0x7FFF_FFFF, 0xFFFF_FFFF, 1, 1),
        (0x8000_0000, 0)
    );
    // In range with S: same as without.
    assert_eq!(mac_l(true, 0, 0, 0x1000_0000, 0x10), (1, 0));
    // Above 2^47 - 1: clamps.
    assert_eq!(
        mac_l(true, 0x7FFF, 0xFFFF_FFF0, 0x10, 0x10),
        (0x7FFF, 0xFFFF_FFFF)
    );
    assert_eq!(
        mac_l(true, 0, 0, 0x7FFF_FFFF, 0x7FFF_FFFF),
        (0x7FFF, 0xFFFF_FFFF)
    );
    // Below -2^47: clamps.
    assert_eq!(
        mac_l(true, 0xFFFF_8000, 0, 0xFFFF_FFFF, 1),
        (0xFFFF_8000, 0)
    );
    assert_eq!(
        mac_l(true, 0, 0, 0x8000_0000, 0x7FFF_FFFF),
        (0xFFFF_8000, 0)
    );
}

#[test]
fn mac_with_same_register_reads_consecutive_operands() {
    // mac.l @r1+,@r1+ reads two consecutive longs.
    let (cpu, _) = run_ok(&[0x011F], |cpu, bus| {
        bus.write32(DATA, 7).unwrap();
        bus.write32(DATA + 4, 6).unwrap();
        cpu.r[1] = DATA;
    });
    assert_eq!((cpu.macl, cpu.r[1]), (42, DATA + 8));
}

#[test]
fn shad_shld_edge_counts() {
    let v = 0x8000_00F1u32;
    assert_eq!(shad(v, 0), v);
    assert_eq!(shld(v, 0), v);
    assert_eq!(shad(v, 31), 0x8000_0000);
    assert_eq!(shld(1, 31), 0x8000_0000);
    assert_eq!(shad(v, 32), v, "count 32: low five bits are 0 -> no shift");
    assert_eq!(shad(v, (-1i32) as u32), 0xC000_0078);
    assert_eq!(shld(v, (-1i32) as u32), 0x4000_0078);
    assert_eq!(shad(v, (-31i32) as u32), 0xFFFF_FFFF);
    assert_eq!(shld(v, (-31i32) as u32), 1);
    assert_eq!(shad(v, (-32i32) as u32), 0xFFFF_FFFF);
    assert_eq!(shad(0x7FFF_FFFF, (-32i32) as u32), 0);
    assert_eq!(shld(v, (-32i32) as u32), 0);
    // Only the low five bits count: -33 behaves as -1.
    assert_eq!(shad(v, (-33i32) as u32), shad(v, (-1i32) as u32));
    // Through the instruction: shad r2,r1 / shld r2,r1.
    let (cpu, _) = run_ok(&[rr(0x400C, 1, 2), rr(0x400D, 3, 2)], |cpu, _| {
        cpu.r[1] = v;
        cpu.r[2] = (-4i32) as u32;
        cpu.r[3] = v;
    });
    assert_eq!((cpu.r[1], cpu.r[3]), (0xF800_000F, 0x0800_000F));
}

#[test]
fn addc_subc_negc_carries() {
    // 64-bit add: r1:r2 += r3:r4 via clrt; addc r4,r2; addc r3,r1.
    let (cpu, _) = run_ok(&[0x0008, rr(0x300E, 2, 4), rr(0x300E, 1, 3)], |cpu, _| {
        cpu.r[1] = 0x0000_0001;
        cpu.r[2] = 0xFFFF_FFFF;
        cpu.r[3] = 0x0000_0002;
        cpu.r[4] = 0x0000_0001;
    });
    assert_eq!((cpu.r[1], cpu.r[2], cpu.t()), (4, 0, false));
    // addc with T=1 and all ones: carry out.
    let (cpu, _) = run_ok(&[0x0018, rr(0x300E, 1, 2)], |cpu, _| {
        cpu.r[1] = 0xFFFF_FFFF;
        cpu.r[2] = 0;
    });
    assert_eq!((cpu.r[1], cpu.t()), (0, true));
    // 64-bit subtract: r1:r2 -= r3:r4.
    let (cpu, _) = run_ok(&[0x0008, rr(0x300A, 2, 4), rr(0x300A, 1, 3)], |cpu, _| {
        cpu.r[1] = 5;
        cpu.r[2] = 0;
        cpu.r[3] = 1;
        cpu.r[4] = 1;
    });
    assert_eq!((cpu.r[1], cpu.r[2], cpu.t()), (3, 0xFFFF_FFFF, false));
    // subc borrow out with T=1 and equal operands.
    let (cpu, _) = run_ok(&[0x0018, rr(0x300A, 1, 2)], |cpu, _| {
        cpu.r[1] = 7;
        cpu.r[2] = 7;
    });
    assert_eq!((cpu.r[1], cpu.t()), (0xFFFF_FFFF, true));
    // 64-bit negate: clrt; negc r2,r2; negc r1,r1.
    let (cpu, _) = run_ok(&[0x0008, rr(0x600A, 2, 2), rr(0x600A, 1, 1)], |cpu, _| {
        cpu.r[1] = 0;
        cpu.r[2] = 1;
    });
    assert_eq!(
        (cpu.r[1], cpu.r[2], cpu.t()),
        (0xFFFF_FFFF, 0xFFFF_FFFF, true)
    );
    let (cpu, _) = run_ok(&[0x0008, rr(0x600A, 1, 2)], |cpu, _| cpu.r[2] = 0);
    assert_eq!((cpu.r[1], cpu.t()), (0, false));
    let (cpu, _) = run_ok(&[0x0018, rr(0x600A, 1, 2)], |cpu, _| cpu.r[2] = 0);
    assert_eq!((cpu.r[1], cpu.t()), (0xFFFF_FFFF, true));
    // addv / subv overflow.
    let (cpu, _) = run_ok(&[rr(0x300F, 1, 2)], |cpu, _| {
        cpu.r[1] = 0x7FFF_FFFF;
        cpu.r[2] = 1;
    });
    assert_eq!((cpu.r[1], cpu.t()), (0x8000_0000, true));
    let (cpu, _) = run_ok(&[rr(0x300B, 1, 2)], |cpu, _| {
        cpu.r[1] = 0x8000_0000;
        cpu.r[2] = 1;
    });
    assert_eq!((cpu.r[1], cpu.t()), (0x7FFF_FFFF, true));
}

#[test]
fn cmp_str_finds_any_equal_byte() {
    let check = |a: u32, b: u32| {
        run_ok(&[rr(0x200C, 1, 2)], |cpu, _| {
            cpu.r[1] = a;
            cpu.r[2] = b;
        })
        .0
        .t()
    };
    assert!(check(0x1122_3344, 0x5566_3377));
    assert!(check(0x1122_3344, 0x1100_0000));
    assert!(!check(0x1122_3344, 0x2211_4433));
    assert!(check(0, 0xFFFF_FF00));
}

#[test]
fn tas_b_sets_bit_7_and_t() {
    let (cpu, mut bus) = run_ok(&[0x411B], |cpu, _| cpu.r[1] = DATA);
    assert!(cpu.t());
    assert_eq!(bus.read8(DATA).unwrap(), 0x80);
    let (cpu, mut bus) = run_ok(&[0x411B], |cpu, bus| {
        bus.write8(DATA, 0x05).unwrap();
        cpu.r[1] = DATA;
    });
    assert!(!cpu.t());
    assert_eq!(bus.read8(DATA).unwrap(), 0x85);
}

#[test]
fn movco_without_movli_fails_and_after_movli_succeeds() {
    // movco.l r0,@r1 alone: T = 0, memory untouched.
    let (cpu, mut bus) = run_ok(&[0x0173], |cpu, _| {
        cpu.r[0] = 0xAABB_CCDD;
        cpu.r[1] = DATA;
        cpu.sr |= sr::T;
    });
    assert!(!cpu.t());
    assert_eq!(bus.read32(DATA).unwrap(), 0);
    // movli.l @r1,r0; add #1,r0; movco.l r0,@r1; movt r2; add #1,r0;
    // movco.l r0,@r1 (the flag is consumed: the second one fails).
    let (cpu, mut bus) = run_ok(
        &[0x0163, 0x7001, 0x0173, 0x0229, 0x7001, 0x0173],
        |cpu, bus| {
            bus.write32(DATA, 41).unwrap();
            cpu.r[1] = DATA;
        },
    );
    assert_eq!(bus.read32(DATA).unwrap(), 42);
    assert_eq!(cpu.r[2], 1, "first movco succeeds");
    assert!(!cpu.t(), "second movco must fail");
}

#[test]
fn movua_reads_unaligned() {
    let (cpu, _) = run_ok(&[0x41E9, 0x6303, 0x41A9], |cpu, bus| {
        for i in 0..8 {
            bus.write8(DATA + i, 0x10 + i as u8).unwrap();
        }
        cpu.r[1] = DATA + 1;
    });
    assert_eq!(cpu.r[3], 0x1112_1314);
    assert_eq!(cpu.r[0], 0x1516_1700);
    assert_eq!(cpu.r[1], DATA + 5);
}

#[test]
fn delay_slots_and_slot_illegal() {
    // bra +1 ; add #1,r1 (slot) ; add #1,r1 (skipped) ; target: add #16,r1
    let (cpu, _) = run_ok(&[0xA001, 0x7101, 0x7101, 0x7110], |_, _| {});
    assert_eq!(cpu.r[1], 0x11);
    // bsr: PR = address after the slot.
    let (cpu, _) = run_ok(&[0xB000, 0x0009, 0x0009], |_, _| {});
    assert_eq!(cpu.pr, CODE + 4);
    // A branch in a delay slot.
    let (cpu, _, exit) = run_with(&[0xA000, 0xA000, 0x0009], |_, _| {});
    assert_eq!(
        exit,
        RunExit::Fault(CpuFault::SlotIllegal {
            pc: CODE + 2,
            opcode: 0xA000
        })
    );
    assert_eq!(cpu.pc, CODE, "PC stays at the branch");
    // PC-relative load and mova in a delay slot.
    for slot in [0xD100u16, 0x9100, 0xC700, 0xC300, 0x400E, 0x0009 | 0xF000] {
        let (_, _, exit) = run_with(&[0x000B, slot], |_, _| {});
        assert_eq!(
            exit,
            RunExit::Fault(CpuFault::SlotIllegal {
                pc: CODE + 2,
                opcode: slot
            }),
            "{slot:04X}"
        );
    }
    // bt/s not taken still executes its slot, then continues after it.
    let (cpu, _) = run_ok(&[0x0008, 0x8D05, 0x7101, 0x7102], |_, _| {});
    assert_eq!(cpu.r[1], 3);
    // jsr / rts round trip: jsr @r2 ; nop ; (return here) add #1,r1 ; end.
    // Function at CODE+0x100: rts ; add #4,r1.
    let (cpu, _) = run_ok(&[0x420B, 0x0009, 0x7101], |cpu, bus| {
        cpu.r[2] = CODE + 0x100;
        bus.put16(CODE + 0x100, 0x000B);
        bus.put16(CODE + 0x102, 0x7104);
    });
    assert_eq!(cpu.r[1], 5);
    assert_eq!(cpu.pr, CODE + 4);
}

#[test]
fn faults_carry_pc_and_display_details() {
    // mov.l @r1,r2 with r1 odd.
    let (cpu, _, exit) = run_with(&[0x0009, 0x6212], |cpu, _| cpu.r[1] = DATA + 1);
    let fault = CpuFault::Misaligned {
        addr: DATA + 1,
        size: 4,
        write: false,
        pc: CODE + 2,
        opcode: 0x6212,
    };
    assert_eq!(exit, RunExit::Fault(fault));
    assert_eq!(cpu.pc, CODE + 2);
    let text = exit.to_string();
    assert!(
        text.contains("0x00001002") && text.contains("0x6212") && text.contains("mov.l @r1,r2"),
        "{text}"
    );
    let report = cpu.report(&exit);
    assert!(report.contains("r1=00002001"), "{report}");
    // Unmapped.
    let (_, _, exit) = run_with(&[0x2112], |cpu, _| cpu.r[1] = 0x9000_0000);
    assert!(matches!(
        exit,
        RunExit::Fault(CpuFault::Memory {
            pc: CODE,
            opcode: 0x2112,
            ..
        })
    ));
    // Illegal (FPU) opcode.
    let (_, _, exit) = run_with(&[0xF00C], |_, _| {});
    assert_eq!(
        exit,
        RunExit::Fault(CpuFault::Illegal {
            pc: CODE,
            opcode: 0xF00C
        })
    );
    // Jump to an odd address: fetch fault at the target.
    let (_, _, exit) = run_with(&[0x412B, 0x0009], |cpu, _| cpu.r[1] = CODE + 0x101);
    match exit {
        RunExit::Fault(fault) => {
            assert!(fault.is_fetch());
            assert_eq!(fault.pc(), CODE + 0x101);
            assert!(fault.to_string().contains("odd"));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn privileged_instructions_need_md_and_banks_switch() {
    // User mode: stc sr,r1 is illegal.
    let (_, _, exit) = run_with(&[0x0102], |cpu, _| cpu.set_sr(0));
    assert_eq!(
        exit,
        RunExit::Fault(CpuFault::Illegal {
            pc: CODE,
            opcode: 0x0102
        })
    );
    // Privileged: switch to bank 1 with ldc r2,sr; r0-r7 now the other bank.
    let (cpu, _) = run_ok(&[0x420E, 0xE105, 0x0312], |cpu, _| {
        cpu.r[1] = 0x1111;
        cpu.r[2] = sr::MD | sr::RB;
        cpu.gbr = 0x77;
    });
    assert_eq!(cpu.r[1], 5);
    assert_eq!(cpu.r[3], 0x77);
    assert_eq!(cpu.r_bank[1], 0x1111);
    assert_eq!(cpu.sr, sr::MD | sr::RB);
    // ldc/stc Rn_BANK address the other bank.
    let (cpu, _) = run_ok(&[0x41BE, 0x02B2], |cpu, _| cpu.r[1] = 0xABCD);
    assert_eq!((cpu.r_bank[3], cpu.r[2]), (0xABCD, 0xABCD));
}

#[test]
fn run_stops_traps_and_budget() {
    let code = [0x7101, 0x7101, 0x7101, 0xC342, 0x7101];
    let mut bus = Flat::new(0x4000);
    for (i, &w) in code.iter().enumerate() {
        bus.put16(CODE + 2 * i as u32, w);
    }
    let mut cpu = Cpu::new(CODE, 0x3FF0);
    assert_eq!(cpu.run(&mut bus, 100, &[CODE + 4]), RunExit::Stop(CODE + 4));
    assert_eq!(
        cpu.run(&mut bus, 100, &[CODE + 4]),
        RunExit::Stop(CODE + 4),
        "a stop at the start returns at once"
    );
    cpu.step(&mut bus).unwrap();
    assert_eq!(
        cpu.run(&mut bus, 100, &[CODE + 4]),
        RunExit::Trapa {
            imm: 0x42,
            pc: CODE + 6
        }
    );
    assert_eq!(cpu.pc, CODE + 8);
    assert_eq!(cpu.run(&mut bus, 1, &[]), RunExit::Budget);
    assert_eq!(cpu.r[1], 4);
    assert_eq!(cpu.instructions, 5);
    assert!(cpu.cycles >= 5);
}

#[test]
fn gbr_logic_and_pc_relative_loads() {
    // and.b #0x0F,@(r0,gbr); or.b #0x80,@(r0,gbr); tst.b #0x70,@(r0,gbr)
    let (cpu, mut bus) = run_ok(&[0xCD0F, 0xCF80, 0xCC70], |cpu, bus| {
        cpu.gbr = DATA;
        cpu.r[0] = 3;
        bus.write8(DATA + 3, 0x7A).unwrap();
    });
    assert_eq!(bus.read8(DATA + 3).unwrap(), 0x8A);
    assert!(cpu.t());
    // At CODE+2 (not 4-aligned): mov.l @(0,pc),r1 reads (pc & ~3) + 4.
    let (cpu, _) = run_ok(&[0x0009, 0xD101, 0xA002, 0x0009, 0x1234, 0x5678], |_, _| {});
    assert_eq!(cpu.r[1], 0x1234_5678);
    let (cpu, _) = run_ok(&[0x9101, 0xA001, 0x0009, 0x8001], |_, _| {});
    assert_eq!(cpu.r[1], 0xFFFF_8001);
}
