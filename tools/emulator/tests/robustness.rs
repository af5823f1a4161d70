//! Malformed g3a files, random code and syscalls with random arguments
//! never panic the emulator (bounded and deterministic; the cargo-fuzz
//! target `g3a_load` explores further).

mod common;

use common::{g3a, Asm};
use prizm_emu::syscalls::handler;
use prizm_emu::{AddinImage, Condition, Emulator};

/// xorshift64*: deterministic pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn run(emu: &mut Emulator) {
    // Any outcome is fine; panicking is not.
    let _ = emu.run_until(Condition::Exited);
    let _ = emu.text_on_screen();
    let _ = emu.screen_rgb();
}

#[test]
fn mutated_g3a_files() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let base = g3a(&[0xE4, 0x05, 0x00, 0x0B, 0x00, 0x09]);
    for _ in 0..300 {
        let mut file = base.clone();
        for _ in 0..rng.below(8) + 1 {
            let at = match rng.below(3) {
                0 => rng.below(0x40) as usize,
                1 => 0x2E + rng.below(4) as usize,
                _ => rng.below(file.len() as u64) as usize,
            };
            file[at] = rng.next() as u8;
        }
        if rng.below(4) == 0 {
            let cut = rng.below(file.len() as u64) as usize;
            file.truncate(cut);
        }
        // A mutated file fails its checksums, so half of them are sealed
        // again by the writer to run the mutated payload too.
        if rng.below(2) == 0 {
            if let Ok(bytes) = g3a::parse(&file).and_then(|addin| addin.to_bytes()) {
                file = bytes;
            }
        }
        if let Ok(image) = AddinImage::from_bytes(&file) {
            let mut emu = Emulator::builder()
                .budget(20_000)
                .load_image(&image)
                .unwrap();
            run(&mut emu);
        }
    }
}

#[test]
fn random_code() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    for _ in 0..400 {
        let len = 2 + 2 * rng.below(256) as usize;
        let code = rng.bytes(len);
        let mut emu = Emulator::builder().budget(50_000).load_code(&code).unwrap();
        run(&mut emu);
    }
}

#[test]
fn random_elf_files() {
    let mut rng = Rng(42);
    let good = common::elf(
        &[0xE4, 0x05, 0x00, 0x0B, 0x00, 0x09],
        &[("__bss_end", 0x0810_0100)],
    );
    for _ in 0..300 {
        let mut file = good.clone();
        for _ in 0..rng.below(6) + 1 {
            let at = rng.below(file.len() as u64) as usize;
            file[at] = rng.next() as u8;
        }
        if let Ok(image) = AddinImage::from_bytes(&file) {
            let mut emu = Emulator::builder()
                .budget(20_000)
                .load_image(&image)
                .unwrap();
            run(&mut emu);
        }
    }
}

/// Every implemented syscall, called with random arguments (pointers into
/// RAM, into nowhere, small numbers).
#[test]
fn syscalls_with_random_arguments() {
    let implemented: Vec<u32> = (0..0x8000).filter(|n| handler(*n).is_some()).collect();
    let mut rng = Rng(7);
    let interesting = [
        0u32,
        1,
        2,
        5,
        0xFFFF_FFFF,
        0x7FFF_FFFF,
        0x8000_0000,
        0xFFFF_FF00,
        0x0810_0000,
        0x0817_FFF0,
        0x881D_FF00,
        0xA800_0000,
        0x0030_0000,
        0x1234_5678,
    ];
    for round in 0..6 {
        for &number in &implemented {
            let mut asm = Asm::new();
            for reg in 4..8 {
                let value = if rng.below(2) == 0 {
                    interesting[rng.below(interesting.len() as u64) as usize]
                } else {
                    rng.next() as u32 % 0x1000
                };
                asm.li(reg, value);
            }
            asm.syscall(number).syscall(number);
            let mut emu = Emulator::builder()
                .budget(100_000)
                .load_code(&asm.finish())
                .unwrap();
            for _ in 0..round {
                emu.press(prizm_emu::Key::Exe);
            }
            run(&mut emu);
        }
    }
}
