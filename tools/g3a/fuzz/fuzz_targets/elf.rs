//! Fuzz target: arbitrary bytes through the ELF reader (headers, segments,
//! payload, symbols, sections). Nothing may panic, and a payload, when there
//! is one, fits the 2 MiB ROM window.
//!
//! `cd tools/g3a && cargo +nightly fuzz run elf`

#![no_main]

use g3a::elf::Elf;
use g3a::layout::MAX_PAYLOAD_LEN;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(elf) = Elf::parse(data) else {
        return;
    };
    if let Ok(payload) = elf.payload() {
        assert!(payload.len() <= MAX_PAYLOAD_LEN);
    }
    let _ = elf.symbols();
    let _ = elf.section(".debug_line");
});
