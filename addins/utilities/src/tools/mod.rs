//! Tools: the password generator and the TOTP authenticator.
//!
//! The logic ([`password`], [`totp`], [`sealed`], [`random`]) is plain
//! Rust tested on the host; the screens are in [`screen`].

pub mod password;
pub mod random;
pub mod screen;
pub mod sealed;
pub mod totp;

pub use screen::run;
