//! JPEG Viewer: a storage-memory browser (folders and `.jpg`/`.jpeg`
//! files, long names, sizes, three orders, the last folder remembered)
//! and the picture screen of `prizm-image-view`. On start it offers to
//! reopen the last picture where it was left (kept in main memory,
//! `@JPEGVW/State`).
//!
//! Browser keys: EXE opens, EXIT goes up a folder, F1/F2/F3 sort by
//! name/date/size. The picture screen's keys are in `prizm-image-view`.
//! On the debug channel it reports `viewer: browser <folder> <n> entries`
//! and `viewer: closed <how> <name>` for the end-to-end tests.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

extern crate alloc;

mod logic;

#[cfg(not(test))]
mod device;
