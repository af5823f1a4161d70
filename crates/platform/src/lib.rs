//! The Casio Prizm's platform facts, each defined once, for every part of
//! the toolkit: the calculator crate (`prizm`) and its build script, the
//! emulator and the g3a packager.
//!
//! - [`syscall`]: the syscall table (number, name, signature, doc line).
//! - [`keys`]: `GetKey` codes, PRGM codes, matrix codes, SHIFT/ALPHA.
//! - [`error`]: return codes of the file and main-memory syscalls.
//! - [`calendar`]: leap years, days since 1970, weekdays, BCD, RTC registers.
//! - [`g3a`]: the g3a file layout.
//! - [`memory`]: the memory map.
//! - [`bytes`]: big-endian reads and writes in byte buffers.
//!
//! `no_std`, no dependencies, no floating point: it builds for the
//! calculator and for the host alike.
#![no_std]
#![deny(missing_docs)]

pub mod bytes;
pub mod calendar;
pub mod error;
pub mod g3a;
pub mod keys;
pub mod memory;
pub mod syscall;
