//! `cargo prizm`: a user's own Prizm add-in crate, anywhere on disk, from
//! `new` to the calculator. The calculator target, its toolchain and the
//! tools come from the prizm toolkit checkout this tool was built from.
//!
//! | module | what |
//! |---|---|
//! | [`toolkit`] | the toolkit checkout, the SH-4A toolchain and its bootstrap |
//! | [`project`] | the user's crate as cargo sees it |
//! | [`template`] | the files `new` writes |
//! | [`pack`] | ELF to `.g3a` with the crate's `[package.metadata.prizm]` |
//! | [`install`] | finding the calculator's drive, copying, verifying |
//! | [`commands`] | the subcommands |

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod commands;
pub mod install;
pub mod pack;
pub mod project;
pub mod template;
pub mod toolkit;
