//! Prints how many PBKDF2-HMAC-SHA256 iterations one host CPU core does
//! per second: this crate's portable Rust and RustCrypto's `pbkdf2`/`sha2`
//! (which use the CPU's SHA instructions when it has them). The faster
//! figure is what the README's cost of cracking a copied record is
//! computed from.
//!
//! `cargo +stable run --release -p prizm-lock --example pbkdf2_rate --target x86_64-unknown-linux-gnu`

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs `derive(iterations)` until a second has passed; iterations per second.
fn rate(mut derive: impl FnMut(u32)) -> f64 {
    const CHUNK: u32 = 20_000;
    let start = Instant::now();
    let mut done = 0u64;
    while start.elapsed() < Duration::from_secs(1) {
        derive(CHUNK);
        done += u64::from(CHUNK);
    }
    done as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let salt = [0x5Au8; 24];
    let ours = rate(|iterations| {
        let mut out = [0u8; 32];
        prizm_lock::sha256::pbkdf2_hmac_sha256(b"1234", &salt, iterations, &mut out);
        black_box(out);
    });
    let rustcrypto = rate(|iterations| {
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"1234", &salt, iterations, &mut out);
        black_box(out);
    });
    println!("PBKDF2-HMAC-SHA256 iterations per second on one core:");
    println!("  prizm-lock (portable Rust): {ours:>12.0}");
    println!("  RustCrypto pbkdf2 + sha2:   {rustcrypto:>12.0}");
}
