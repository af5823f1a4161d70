//! The file manager: browse storage memory, clipboard, search, file
//! information with SHA-1 and SHA-256, opening files.
//!
//! The logic is plain Rust over the [`tree::Tree`] trait, tested on the
//! host: paths ([`tree`]), the browser's state ([`browser`]), sort orders
//! ([`sort`]), clipboard and delete plans ([`plan`]), search
//! ([`search`]), hashes ([`hash`]). [`device`] is storage memory through
//! `prizm::fs`; [`screen`] draws and drives it all.

pub mod browser;
pub mod device;
pub mod hash;
pub mod journal;
pub mod plan;
pub mod screen;
pub mod search;
pub mod sort;
pub mod tree;

use prizm::Calculator;

pub use screen::run;

/// Shows the JPEG at `path`; false when there is no picture viewer, and
/// the file then opens in the text viewer.
///
/// HOOK(lead): the picture viewer (crates/image-view, `prizm-image-view`,
/// branch `viewer`) is wired here once it lands: call its viewer on
/// `path` and return true.
pub fn open_picture(calculator: &mut Calculator, path: &str) -> bool {
    let _ = (calculator, path);
    false
}
