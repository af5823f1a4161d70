//! Offsets and sizes of the g3a file layout (docs/platform.md §1.2): the
//! platform facts crate's [`prizm_platform::g3a`], the one definition the
//! packager, the emulator and the calculator crate share.

pub use prizm_platform::g3a::*;
