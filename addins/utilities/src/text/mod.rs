//! The text viewer and editor: files of any size are paged from storage
//! ([`pager`]); editing loads the file into memory as far as it allows.

pub mod editor;
pub mod pager;

use prizm::Calculator;

/// Shows that the screen is not built yet.
pub fn run(calculator: &mut Calculator) {
    prizm::ui::message_box(&mut calculator.display, "Utilities", "Not built yet.");
}
