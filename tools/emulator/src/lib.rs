//! An open Prizm (fx-CG 10/20/50) emulator: an SH-4A interpreter plus
//! high-level emulation of the calculator OS's syscalls, so add-ins run
//! headless in tests and in a window for people.
//!
//! * [`cpu`] — the SH-4A core (decoder, interpreter, disassembler).
//! * [`memory`] — the memory map the add-in sees (the CPU's bus).
//! * [`loader`] — g3a and ELF loading through the g3a library, by the
//!   packager's rules; [`debug_info`] — source lines for crash reports.
//! * [`syscalls`] — the OS, one module per concern.
//! * [`machine`] — CPU + memory + OS and the run loop.
//! * [`emulator`] — the library API for tests ([`Emulator`]).
//! * [`keyscript`] — the key-script language of the CLI.
//! * [`gdb`] — a GDB remote stub; [`testrunner`] — the on-target test
//!   protocol; [`golden`] — screens checked against committed PNGs;
//!   [`headless`] and `window` — the front ends; [`profile`] — counts
//!   per function.
//!
//! See [`emulator`] for an example.

pub mod clock;
pub mod cpu;
pub mod debug_info;
pub mod emulator;
pub mod font;
pub mod gdb;
pub mod golden;
pub mod graphics;
pub mod headless;
pub mod input;
pub mod keypad;
pub mod keys;
pub mod keyscript;
pub mod loader;
pub mod machine;
pub mod memory;
pub mod model;
pub mod outcome;
pub mod profile;
pub mod screen_text;
pub mod screenshot;
pub mod syscalls;
pub mod testrunner;
#[cfg(feature = "window")]
pub mod window;

pub use clock::DateTime;
pub use emulator::{
    Condition, Emulator, EmulatorBuilder, RunError, RunErrorKind, SetupError, TypeTextError,
};
pub use keys::{Key, KeyCode, KeyNames, Modifier};
pub use loader::{AddinImage, LoadError};
pub use model::Model;
pub use outcome::{FaultReport, Outcome};
pub use screenshot::ImageError;
