//! Reading, writing and checking g3a files, the add-in format of the Casio
//! Prizm calculators (fx-CG 10, fx-CG 20, fx-CG 50).
//!
//! A g3a file is a 0x7000-byte header (names, version, date, two 92×64
//! RGB565 menu icons, checksums), the payload mapped at 0x00300000, and a
//! copy of the 32-bit checksum in the last 4 bytes.
//!
//! ```
//! let mut addin = g3a::G3a::new("Hello", vec![0x00, 0x09]); // payload: code
//! addin.date = "2026.1123.1200".into();
//! let bytes = addin.to_bytes()?;
//! assert!(g3a::verify(&bytes).is_valid());
//! assert_eq!(g3a::parse(&bytes)?, addin);
//! # Ok::<(), g3a::Error>(())
//! ```
//!
//! [`parse`] and [`verify`] never panic, whatever the input; anything a file
//! holds that the model does not name is kept as [`HeaderPatch`]es, so
//! parsing and re-serialising a valid file is byte-identical.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checksum;
pub mod default_icon;
pub mod elf;
mod error;
pub mod font;
pub mod icon;
pub mod layout;
pub mod metadata;
mod model;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;
mod verify;

pub use error::Error;
pub use icon::Icon;
pub use model::{parse, Checksum16, G3a, HeaderPatch, Language, Names};
pub use verify::{verify, Check, Report, Status};
