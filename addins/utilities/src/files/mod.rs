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

/// Shows the JPEG at `path` in the JPEG viewer's picture screen
/// (`prizm-image-view`); F5/F6 there go to the other JPEGs of
/// `neighbours` (names in the folder's order). False when `path` is not a
/// valid path (it then opens in the text viewer).
pub fn open_picture(calculator: &mut Calculator, path: &str, neighbours: &[alloc::string::String]) -> bool {
    let Ok(picture) = prizm::fs::Path::new(path) else {
        return false;
    };
    let mut folder = Pictures { names: neighbours };
    let _ = prizm_image_view::screen::show(&mut calculator.display, &picture, None, &mut folder, None);
    true
}

/// The JPEGs of one folder, for the picture screen's previous/next.
struct Pictures<'a> {
    names: &'a [alloc::string::String],
}

impl prizm_image_view::screen::Host for Pictures<'_> {
    fn neighbour(&mut self, current: &prizm::fs::Path, step: prizm_image_view::screen::Step) -> Option<prizm::fs::Path> {
        let index = self.names.iter().position(|name| name.eq_ignore_ascii_case(current.file_name()))?;
        let next = match step {
            prizm_image_view::screen::Step::Next => index.checked_add(1)?,
            prizm_image_view::screen::Step::Previous => index.checked_sub(1)?,
        };
        let name = self.names.get(next)?;
        current.parent()?.join(name).ok()
    }
}
