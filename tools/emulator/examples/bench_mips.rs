//! Emulation speed of the whole machine (CPU, memory map, syscalls):
//!
//! ```text
//! cargo run --release -p prizm-emu --example bench_mips [FILE.g3a|FILE.elf]
//! ```
//!
//! With a file, runs that add-in until it ends or waits for a key (at most
//! 2 × 10⁹ instructions); without, a built-in CPU-bound loop (loads, stores,
//! ALU, branches: 8 instructions per iteration). Prints emulated MIPS next to
//! the real calculator's 58 MHz.

use std::time::Instant;

use prizm_emu::{Condition, Emulator, RunErrorKind};

/// The built-in loop, hand-encoded SH-4A.
fn builtin_program(iterations: u32) -> Vec<u8> {
    let mut words: Vec<u16> = vec![
        0xD104, // mov.l @(lit0),r1      r1 = 0x08100000
        0xD305, // mov.l @(lit1),r3      r3 = iterations
        0xE000, // mov #0,r0
        0x2102, // mov.l r0,@r1
        // loop:
        0x6012, // mov.l @r1,r0
        0x7001, // add #1,r0
        0x2102, // mov.l r0,@r1
        0x340C, // add r0,r4
        0x4400, // shll r4
        0x250A, // xor r0,r5
        0x4310, // dt r3
        0x8BF7, // bf loop
        // Emu_Exit(0)
        0xE400, // mov #0,r4
        0xD202, // mov.l @(lit2),r2      r2 = 0x80020070
        0xD003, // mov.l @(lit3),r0      r0 = 0x7F01
        0x420B, // jsr @r2
        0x0009, // nop
        0x0009, // (padding)
    ];
    // The literal pool follows at 0x00300024 (4-aligned).
    let literals = [
        prizm_platform::memory::ADDIN_RAM_BASE,
        iterations,
        prizm_platform::memory::SYSCALL_ENTRY,
        u32::from(prizm_platform::syscall::Emu_Exit),
    ];
    // mov.l @(disp,PC): address = (PC & !3) + 4 + 4·disp; fix the displacements.
    let pool = 2 * words.len() as u32;
    for (index, literal) in [(0usize, 0usize), (1, 1), (13, 2), (14, 3)] {
        let pc = 2 * index as u32;
        let disp = (pool + 4 * literal as u32 - ((pc & !3) + 4)) / 4;
        words[index] = (words[index] & 0xFF00) | disp as u16;
    }
    let mut bytes: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
    for literal in literals {
        bytes.extend_from_slice(&literal.to_be_bytes());
    }
    bytes
}

fn main() {
    let file = std::env::args().nth(1);
    let builder = Emulator::builder().budget(2_000_000_000);
    let (name, emu) = match &file {
        Some(path) => (path.clone(), builder.open(path)),
        None => (
            "built-in loop (10 million iterations)".to_string(),
            builder.load_code(&builtin_program(10_000_000)),
        ),
    };
    let mut emu = match emu {
        Ok(emu) => emu,
        Err(e) => {
            eprintln!("bench_mips: {e}");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let result = emu.run_until(Condition::Exited);
    let host = start.elapsed().as_secs_f64();
    match result {
        Ok(()) => {}
        Err(e)
            if matches!(
                e.kind,
                RunErrorKind::WaitingForKey | RunErrorKind::BudgetExhausted
            ) => {}
        Err(e) => eprintln!("bench_mips: {e}"),
    }
    if let Some(prizm_emu::Outcome::Fault(report)) = emu.outcome() {
        eprintln!("bench_mips: the program crashed: {report}");
    }
    let instructions = emu.instructions();
    let mips = instructions as f64 / host / 1e6;
    println!("program:       {name}");
    println!(
        "instructions:  {instructions} ({} estimated cycles)",
        emu.cycles()
    );
    println!("host time:     {host:.3} s");
    println!("emulated:      {mips:.1} MIPS");
    println!(
        "real fx-CG:    58 MHz (≈ {:.3} s for these cycles); the emulator runs at {:.2}× real speed",
        emu.cycles() as f64 / 58e6,
        emu.cycles() as f64 / 58e6 / host
    );
}
