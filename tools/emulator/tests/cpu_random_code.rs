//! Random code must never panic the CPU, and every fault must name the
//! instruction that caused it. A bounded, deterministic companion to the
//! `cpu` fuzz target (`cd tools/emulator && cargo +nightly fuzz run cpu`).

mod sh;

use prizm_emu::cpu::{
    decode, sr, Bus, Cpu, CpuFault, Format, Kind, RunExit, Spec, PRIVILEGED, SLOT_ILLEGAL, SPECS,
};
use sh::{FlatBus, Rng};

const BASE: u32 = 0x8800_0000;
const CODE_LEN: usize = 0x400;
const MEMORY_LEN: usize = 0x2000;
const BLOBS: u64 = 5_000;
const BUDGET: u64 = 2_000;

/// A random opcode: some fully random, most drawn from the instruction
/// list with random operand fields (so that execution goes further).
fn opcode(rng: &mut Rng, register_only: &[&Spec]) -> u16 {
    if rng.chance(5) {
        return rng.u32() as u16;
    }
    let spec = if rng.chance(85) {
        *rng.pick(register_only)
    } else {
        rng.pick(SPECS)
    };
    let mut word = 0u16;
    for (i, c) in spec.pattern.bytes().enumerate() {
        let bit = 1u16 << (15 - i);
        let set = match c {
            b'1' => true,
            b'0' => false,
            _ => rng.chance(50),
        };
        if set {
            word |= bit;
        }
    }
    word
}

fn is_delayed_branch(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Bra
            | Kind::Bsr
            | Kind::Braf
            | Kind::Bsrf
            | Kind::Jmp
            | Kind::Jsr
            | Kind::Rts
            | Kind::Rte
            | Kind::BtS
            | Kind::BfS
    )
}

/// Checks that a fault names a real instruction next to where the CPU
/// stopped: the instruction at `cpu.pc`, or the delay slot after a branch
/// there.
fn check_fault(cpu: &Cpu, bus: &mut FlatBus, fault: &CpuFault, blob: u64) {
    let pc = fault.pc();
    let text = fault.to_string();
    assert!(
        text.contains(&format!("0x{pc:08X}")),
        "blob {blob}: report lacks the PC: {text}"
    );
    if pc != cpu.pc {
        assert_eq!(
            pc,
            cpu.pc.wrapping_add(2),
            "blob {blob}: fault PC {pc:#x} vs cpu.pc {:#x}: {text}",
            cpu.pc
        );
        let branch = bus.read16(cpu.pc).expect("the branch was fetched");
        assert!(
            is_delayed_branch(decode(branch).kind),
            "blob {blob}: fault at {pc:#x} after a non-branch {branch:04X}: {text}"
        );
    }
    if fault.is_fetch() {
        return;
    }
    let opcode = bus.read16(pc).expect("the instruction was fetched");
    assert_eq!(
        opcode,
        fault.opcode(),
        "blob {blob}: opcode in the report: {text}"
    );
    match fault {
        CpuFault::SlotIllegal { .. } => assert_ne!(
            pc, cpu.pc,
            "blob {blob}: slot-illegal outside a slot: {text}"
        ),
        CpuFault::Illegal { .. } => {
            let entry = decode(opcode);
            let user_privileged = cpu.sr & sr::MD == 0 && entry.flags() & PRIVILEGED != 0;
            assert!(
                entry.kind == Kind::Illegal || user_privileged,
                "blob {blob}: {text}"
            );
        }
        CpuFault::Misaligned { addr, size, .. } => {
            assert_ne!(
                addr % u32::from(*size),
                0,
                "blob {blob}: aligned access reported misaligned: {text}"
            )
        }
        CpuFault::Memory { .. } => {}
    }
}

#[test]
fn random_code_never_panics_and_faults_name_the_instruction() {
    // Register-only instructions keep a blob running; the rest (memory,
    // branches, system) end most runs with a fault sooner or later.
    let register_only: Vec<&Spec> = SPECS
        .iter()
        .filter(|spec| {
            spec.flags & (SLOT_ILLEGAL | PRIVILEGED) == 0
                && matches!(
                    spec.format,
                    Format::None
                        | Format::N
                        | Format::MN
                        | Format::SImmN
                        | Format::SImmR0
                        | Format::UImmR0
                )
        })
        .collect();
    let mut faults = 0u64;
    let mut retired = 0u64;
    for blob in 0..BLOBS {
        let mut rng = Rng::new(0xB10B_0000 + blob);
        let mut bus = FlatBus::new(BASE, MEMORY_LEN);
        for i in 0..CODE_LEN / 2 {
            let word = opcode(&mut rng, &register_only);
            bus.write16(BASE + 2 * i as u32, word).expect("code fits");
        }
        let data = rng.bytes(MEMORY_LEN - CODE_LEN);
        bus.load(BASE + CODE_LEN as u32, &data);
        let mut cpu = Cpu::new(BASE, BASE + MEMORY_LEN as u32 - 64);
        let data_pointer = |rng: &mut Rng| {
            BASE + CODE_LEN as u32 + (rng.below((MEMORY_LEN - CODE_LEN) as u32 - 256) & !3)
        };
        for r in 0..15 {
            // Mostly aligned pointers into the data area, some arbitrary.
            cpu.r[r] = if rng.chance(85) {
                data_pointer(&mut rng)
            } else {
                rng.u32()
            };
        }
        cpu.gbr = data_pointer(&mut rng);
        if rng.chance(30) {
            cpu.set_sr(sr::S * u32::from(rng.chance(50)));
        }
        let mut remaining = BUDGET;
        loop {
            let before = cpu.instructions;
            let exit = cpu.run(&mut bus, remaining, &[]);
            remaining = remaining.saturating_sub(cpu.instructions - before);
            match exit {
                RunExit::Budget => break,
                RunExit::Trapa { pc, .. } | RunExit::Sleep { pc } => {
                    assert_eq!(
                        cpu.pc,
                        pc.wrapping_add(2),
                        "blob {blob}: PC after trapa/sleep"
                    );
                    if remaining == 0 {
                        break;
                    }
                }
                RunExit::Fault(fault) => {
                    check_fault(&cpu, &mut bus, &fault, blob);
                    let _ = cpu.report(&exit);
                    faults += 1;
                    break;
                }
                RunExit::Stop(_) => unreachable!("no stops given"),
            }
        }
        retired += cpu.instructions;
    }
    eprintln!("{BLOBS} blobs: {retired} instructions retired, {faults} faults checked");
    assert!(faults > BLOBS / 2, "most random blobs should fault");
}
