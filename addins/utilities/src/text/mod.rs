//! The text viewer and editor: files of any size are paged from storage
//! ([`pager`]); editing loads the file into memory as far as it allows
//! ([`editor`]); the screens are in [`screen`].

pub mod editor;
pub mod pager;
pub mod screen;

use prizm::Calculator;

pub use screen::view;

/// The text module has no screen of its own: files open in it from the
/// file manager, which this opens.
pub fn run(calculator: &mut Calculator) {
    crate::files::run(calculator);
}
