//! Fuzz target: any bytes as an add-in file (g3a, ELF or garbage), loaded
//! and, when they load, run briefly. Nothing may panic.
//!
//! `cargo +nightly fuzz run g3a_load` (from tools/emulator).

#![no_main]

use libfuzzer_sys::fuzz_target;
use prizm_emu::{AddinImage, Condition, Emulator};

fuzz_target!(|data: &[u8]| {
    // Loading alone, with the g3a loader forced as well.
    let _ = AddinImage::from_g3a(data);
    let Ok(image) = AddinImage::from_bytes(data) else {
        return;
    };
    let Ok(mut emu) = Emulator::builder().budget(20_000).load_image(&image) else {
        return;
    };
    let _ = emu.run_until(Condition::Exited);
    let _ = emu.text_on_screen();
});
