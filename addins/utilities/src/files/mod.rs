//! The file manager: browse storage memory, clipboard, search, file
//! information with SHA-1 and SHA-256, opening files.
//!
//! The logic is plain Rust over the [`tree::Tree`] trait, tested on the
//! host: paths ([`tree`]), sort orders ([`sort`]), clipboard and delete
//! plans ([`plan`]), search ([`search`]), hashes ([`hash`]).

pub mod browser;
pub mod device;
pub mod hash;
pub mod plan;
pub mod search;
pub mod sort;
pub mod tree;

use prizm::Calculator;

/// Shows that the screen is not built yet.
pub fn run(calculator: &mut Calculator) {
    prizm::ui::message_box(&mut calculator.display, "Utilities", "Not built yet.");
}
