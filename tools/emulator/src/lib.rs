//! An open Prizm (fx-CG 10/20/50) emulator: an SH-4A interpreter plus
//! high-level emulation of the calculator OS's syscalls.

pub mod cpu;
