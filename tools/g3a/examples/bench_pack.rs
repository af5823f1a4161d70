//! Times packing a 2 MiB payload (the largest the ROM window allows).
//!
//! Run with `cargo run --release -p prizm-g3a --example bench_pack`.
//! Prints the median of several runs for each stage; the target for a full
//! pack is under 50 ms. Nothing is asserted: timings depend on the machine.

use std::time::{Duration, Instant};

use g3a::layout::MAX_PAYLOAD_LEN;
use g3a::testing::{ElfBuilder, PT_LOAD};
use g3a::G3a;

const RUNS: usize = 15;

fn median_of(mut run: impl FnMut()) -> (Duration, Duration, Duration) {
    run(); // warm-up
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[0], times[RUNS - 1])
}

fn report(label: &str, (median, min, max): (Duration, Duration, Duration)) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<44} median {:7.2} ms   (min {:.2}, max {:.2}, {RUNS} runs)",
        ms(median),
        ms(min),
        ms(max)
    );
}

fn main() {
    let payload: Vec<u8> = (0..MAX_PAYLOAD_LEN as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let elf = ElfBuilder::new()
        .segment(PT_LOAD, 0x0030_0000, &payload, payload.len() as u32)
        .build();
    println!("payload: {} bytes (2 MiB)", payload.len());

    report(
        "pack (new model + default icons + to_bytes)",
        median_of(|| {
            let mut addin = G3a::new("Benchmark", payload.clone());
            addin.date = "2026.1123.1200".into();
            std::hint::black_box(addin.to_bytes().expect("pack"));
        }),
    );

    report(
        "pack from ELF (segments + icons + to_bytes)",
        median_of(|| {
            let payload = g3a::elf::payload_from_elf(&elf).expect("elf");
            let addin = G3a::new("Benchmark", payload);
            std::hint::black_box(addin.to_bytes().expect("pack"));
        }),
    );

    let mut addin = G3a::new("Benchmark", payload.clone());
    addin.date = "2026.1123.1200".into();
    report(
        "to_bytes only (layout + both checksums)",
        median_of(|| {
            std::hint::black_box(addin.to_bytes().expect("pack"));
        }),
    );

    let bytes = addin.to_bytes().expect("pack");
    report(
        "parse",
        median_of(|| {
            std::hint::black_box(g3a::parse(&bytes).expect("parse"));
        }),
    );
    report(
        "verify",
        median_of(|| {
            std::hint::black_box(g3a::verify(&bytes));
        }),
    );
}
