//! Tools: the password generator and the TOTP authenticator.
//!
//! The logic ([`password`], [`totp`], [`sealed`], [`random`]) is plain
//! Rust tested on the host; the screens are in [`screen`].

pub mod password;
pub mod random;
pub mod sealed;
pub mod totp;

use prizm::Calculator;

/// Shows that the screen is not built yet.
pub fn run(calculator: &mut Calculator) {
    prizm::ui::message_box(&mut calculator.display, "Utilities", "Not built yet.");
}
