//! CGlock: a PIN or passphrase lock for the fx-CG 10/20/50.
//!
//! Locked, the calculator shows the clock, the owner's message and a lock
//! icon, MENU and the catalog are disabled and EXIT does nothing; only the
//! PIN (or passphrase) ends it, with growing waits after wrong tries. The
//! threat model, and what the lock cannot stop, are in `README.md`.
//!
//! All of CGlock lives in the `prizm-lock` crate (`crates/lock`): the
//! lock's core, and with its `prizm` feature the screens (state machine,
//! drawing, the calculator side), which other add-ins use to lock with the
//! same record. Their host tests: `cargo +stable test -p prizm-lock
//! --features prizm --target x86_64-unknown-linux-gnu`.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

pub use prizm_lock::screen::{app, clock, view};
pub use prizm_lock::{backoff, crypto, record, secret, settings, storage};

#[cfg(not(test))]
prizm::entry!(main);

/// The add-in's entry point.
#[cfg(not(test))]
fn main(mut calculator: prizm::Calculator) {
    prizm_lock::screen::run_cglock(&mut calculator);
}
