//! CGlock: a PIN or passphrase lock for the fx-CG 10/20/50.
//!
//! Locked, the calculator shows the clock, the owner's message and a lock
//! icon, MENU and the catalog are disabled and EXIT does nothing; only the
//! PIN (or passphrase) ends it, with growing waits after wrong tries. The
//! threat model, and what the lock cannot stop, are in `README.md`.
//!
//! The logic is plain Rust tested on the host (`cargo +stable test -p
//! cglock --target x86_64-unknown-linux-gnu`); the lock's core lives in
//! the `prizm-lock` crate (`crates/lock`); [`device`] is the thin part
//! that talks to the OS.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

pub mod app;
pub mod clock;
pub mod view;
// The lock itself (record, storage, derivation, secrets, waits) is the
// `prizm-lock` library crate, shared with other add-ins.
pub use prizm_lock::{backoff, crypto, record, secret, settings, storage};

#[cfg(not(test))]
mod device;

#[cfg(not(test))]
prizm::entry!(device::main);
