//! Utilities: the clock on a home screen, chronometers, a calendar with
//! tasks, a file manager, a text editor, system and power tools, and the
//! CGlock lock, in one add-in.
//!
//! Pure logic (dates, file formats, recurrence, planning of file
//! operations) is plain Rust tested on the host (`cargo +stable test -p
//! utilities --target x86_64-unknown-linux-gnu`); the modules' `run`
//! functions are the thin parts that talk to the OS.
//!
//! Module map (each module's `run` is its screen, opened from home):
//! - part 1: [`home`], [`clock`], [`chrono`], [`calendar`], [`tasks`],
//!   [`settings`];
//! - part 2: [`files`], [`text`], [`system`], [`tools`], [`lock`].
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

extern crate alloc;

pub mod module;

// Part 1.
pub mod calendar;
pub mod chrono;
pub mod clock;
pub mod home;
pub mod settings;
pub mod tasks;
pub mod widgets;

// Part 2.
pub mod files;
pub mod lock;
pub mod system;
pub mod text;
pub mod tools;

#[cfg(not(test))]
prizm::entry!(home::main);
