//! Write add-ins for Casio Prizm calculators (fx-CG 10/20/50) in Rust.
//!
//! The crate is the runtime every add-in links (start-up code, panic
//! screen), raw bindings to the OS's syscalls ([`syscall`]), a safe API over
//! them, a stack-preferring global allocator and a UI kit:
//!
//! | module | what |
//! |---|---|
//! | [`Calculator`] | the one owner of VRAM, handed to `main` by [`entry!`] |
//! | [`display`] | VRAM as an `embedded-graphics` target, the OS's fonts, the status bar |
//! | [`keyboard`] | [`keyboard::Key`], blocking and non-blocking input, physical keys with a timeout and MENU as a key, SHIFT/ALPHA typing, the key matrix, MENU lock |
//! | [`fs`] | files and folders in storage memory |
//! | [`mcs`] | items in main memory |
//! | [`time`] | ticks, the clock, date arithmetic, sleeping |
//! | [`system`] | model, OS version, battery, device ID, power |
//! | [`ui`] | title bars, menus, input lines, dialogs, progress bars, F-key labels, on VRAM or any `embedded-graphics` target |
//! | [`allocator`] | the global allocator and its statistics |
//! | [`debug`] | the emulator's debug channel |
//!
//! Everything also builds for the host, where pure logic is tested; there
//! the functions that need the calculator's OS panic when called.
//!
//! An add-in's `main` receives the [`Calculator`]: the one owner of the
//! hardware Rust can hold references into (VRAM, through its
//! [`display`](Calculator::display)). Syscalls that hand out no reference
//! (`print_xy`, `get_key`, files, …) are free functions.
//!
//! ```no_run
//! # mod addin {
//! // #![no_std] and #![no_main] at the top of main.rs
//! use embedded_graphics::{pixelcolor::Rgb565, prelude::*};
//! use prizm::display::{self, TextColor};
//!
//! prizm::entry!(main);
//!
//! fn main(mut calculator: prizm::Calculator) {
//!     calculator.display.vram().clear(Rgb565::WHITE).unwrap();
//!     display::print_xy(1, 1, "Hello, Prizm!", TextColor::Black);
//!     prizm::keyboard::wait_for_exit();
//! }
//! # }
//! # fn main() {}
//! ```
#![cfg_attr(any(not(test), target_os = "none"), no_std)]
#![cfg_attr(all(test, target_os = "none"), no_main)]
#![cfg_attr(all(test, target_os = "none"), feature(custom_test_frameworks))]
#![cfg_attr(all(test, target_os = "none"), test_runner(crate::testing::run_tests))]
#![cfg_attr(
    all(test, target_os = "none"),
    reexport_test_harness_main = "test_main"
)]
#![warn(missing_docs)]

extern crate alloc;

/// Marks a function as a test on both the host and the calculator target.
#[macro_export]
macro_rules! prizm_test {
    ($(#[$meta:meta])* fn $name:ident() $body:block) => {
        $(#[$meta])*
        #[cfg_attr(target_os = "none", test_case)]
        #[cfg_attr(not(target_os = "none"), test)]
        fn $name() $body
    };
}

/// Declares the add-in's entry point: `prizm::entry!(main);` with
/// `fn main(calculator: prizm::Calculator)`. In a host build (tests, docs)
/// it only checks that signature; the calculator build's version also
/// starts the add-in (see `runtime`).
///
/// ```compile_fail,E0308
/// prizm::entry!(main);
/// fn main() {} // error: `main` must take the `prizm::Calculator`
/// ```
#[cfg(not(target_os = "none"))]
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        const _: fn($crate::Calculator) = $main;
    };
}

pub mod allocator;
mod calculator;
pub mod debug;
pub mod display;
pub mod fs;
mod hw;
pub mod keyboard;
pub mod mcs;
pub mod syscall;
pub mod system;
pub mod time;
pub mod ui;

pub use calculator::Calculator;

#[cfg(target_os = "none")]
pub mod runtime;
#[cfg(target_os = "none")]
pub mod testing;

#[cfg(test)]
mod examples;
#[cfg(test)]
mod sh4_semantics_tests;
