//! The picture screen of the JPEG viewer, as a library any add-in can
//! use (the JPEG Viewer add-in, the file manager of Utilities): open a
//! JPEG from storage memory, fit it, zoom, pan, turn, go to the next or
//! previous picture, see its information.
//!
//! - [`view`], [`orientation`], [`messages`]: the pure parts (zoom steps,
//!   view rectangles, pans, fit, EXIF orientation, error texts), tested on
//!   the host.
//! - [`screen`]: the screen itself ([`screen::show`]) on the calculator:
//!   decodes straight into VRAM, row by row, only the part on screen; a
//!   pan moves what is on screen and decodes only the uncovered band,
//!   starting at the decoder's [`prizm_jpeg::Index`] checkpoint for its
//!   first row; AC/ON cancels a decode. [`screen::prefetch`] decodes a
//!   picture's fitted view off screen while a browser waits for a key, so
//!   that `show` opens it at once.
//!
//! ```no_run
//! use prizm::fs::Path;
//! use prizm_image_view::screen::{self, Closed, SinglePicture};
//!
//! // A file manager opening the JPEG the user chose (no neighbours).
//! fn open_picture(calculator: &mut prizm::Calculator, path: &Path) {
//!     match screen::show(&mut calculator.display, path, None, &mut SinglePicture, None) {
//!         Closed::Viewed { state, .. } => { /* keep `state` to reopen it as it was */ let _ = state; }
//!         Closed::Cancelled { .. } | Closed::Failed { .. } => {}
//!     }
//! }
//! ```
#![no_std]
#![warn(missing_docs)]

extern crate alloc;

pub mod messages;
pub mod orientation;
pub mod screen;
pub mod view;

pub use orientation::Transform;
pub use view::{View, Zoom};
