//! The OS's 24-pixel status bar at the top of the screen: whether it is
//! shown, what it shows (battery, shift/alpha state, a text message) and
//! drawing it. `GetKey` redraws it by itself while it is enabled.
//!
//! ```no_run
//! use prizm::display::status_bar::{self, StatusFlags};
//! use prizm::display::TextColor;
//!
//! status_bar::show();
//! status_bar::set_flags(StatusFlags::BATTERY | StatusFlags::ALPHA_SHIFT | StatusFlags::TEXT);
//! status_bar::set_message("Hello", TextColor::Blue);
//! status_bar::draw();
//! ```

use core::ptr;

use super::TextColor;
use crate::syscall;

/// Height of the status bar in pixels.
pub const HEIGHT: usize = 24;

/// What the status bar shows (the OS's `SAF_*` bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatusFlags(pub i32);

impl StatusFlags {
    /// Nothing.
    pub const NONE: StatusFlags = StatusFlags(0);
    /// The battery gauge.
    pub const BATTERY: StatusFlags = StatusFlags(0x0001);
    /// The SHIFT / ALPHA indicator.
    pub const ALPHA_SHIFT: StatusFlags = StatusFlags(0x0002);
    /// The setup's input/output mode.
    pub const SETUP_INPUT_OUTPUT: StatusFlags = StatusFlags(0x0004);
    /// The setup's fraction result mode.
    pub const SETUP_FRAC_RESULT: StatusFlags = StatusFlags(0x0008);
    /// The setup's angle unit.
    pub const SETUP_ANGLE: StatusFlags = StatusFlags(0x0010);
    /// The setup's complex mode.
    pub const SETUP_COMPLEX_MODE: StatusFlags = StatusFlags(0x0020);
    /// The setup's display mode.
    pub const SETUP_DISPLAY: StatusFlags = StatusFlags(0x0040);
    /// The message set by [`set_message`].
    pub const TEXT: StatusFlags = StatusFlags(0x0100);
    /// A glyph.
    pub const GLYPH: StatusFlags = StatusFlags(0x0200);

    /// True if every bit of `other` is set in `self`.
    pub const fn contains(self, other: StatusFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for StatusFlags {
    type Output = StatusFlags;
    fn bitor(self, other: StatusFlags) -> StatusFlags {
        StatusFlags(self.0 | other.0)
    }
}

/// Shows the status bar (the OS draws it on the next `GetKey` or [`draw`]).
pub fn show() {
    // SAFETY: plain integer argument.
    unsafe { syscall::EnableStatusArea(0) }
}

/// Hides the status bar, leaving all 216 rows to the add-in.
pub fn hide() {
    // SAFETY: plain integer argument.
    unsafe { syscall::EnableStatusArea(3) }
}

/// Draws the status bar into VRAM now.
pub fn draw() {
    // SAFETY: no arguments.
    unsafe { syscall::DisplayStatusArea() }
}

/// Chooses what the status bar shows.
pub fn set_flags(flags: StatusFlags) {
    // SAFETY: mode 3 sets the flags; null colour pointers are what add-ins
    // pass when they do not change the colours.
    unsafe { syscall::DefineStatusAreaFlags(3, flags.0, ptr::null_mut(), ptr::null_mut()) };
}

/// Adds `flags` to what the status bar shows.
pub fn add_flags(flags: StatusFlags) {
    // SAFETY: mode 4 ORs the flags in; colours untouched.
    unsafe { syscall::DefineStatusAreaFlags(4, flags.0, ptr::null_mut(), ptr::null_mut()) };
}

/// Removes `flags` from what the status bar shows.
pub fn remove_flags(flags: StatusFlags) {
    // SAFETY: mode 5 clears the given flags; colours untouched.
    unsafe { syscall::DefineStatusAreaFlags(5, flags.0, ptr::null_mut(), ptr::null_mut()) };
}

/// Restores the OS's default contents (battery, shift/alpha, …).
pub fn reset_flags() {
    // SAFETY: mode 1 restores the defaults.
    unsafe { syscall::DefineStatusAreaFlags(1, 0, ptr::null_mut(), ptr::null_mut()) };
}

/// Sets the status bar's message (shown with [`StatusFlags::TEXT`]); cut
/// to 63 characters, non-ASCII shown as `?`.
pub fn set_message(text: &str, color: TextColor) {
    let mut buffer = [0u8; 64];
    super::text::encode(&mut buffer, text);
    // SAFETY: NUL-terminated; P2 = 1 and the colour index as add-ins pass
    // them (inferred from use, docs/platform.md §3.3).
    unsafe { syscall::DefineStatusMessage(buffer.as_ptr(), 1, color as u8, 0) };
}

/// Removes the status bar's message.
pub fn clear_message() {
    set_message("", TextColor::Black);
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn flags_combine() {
            let flags = StatusFlags::BATTERY | StatusFlags::TEXT;
            assert_eq!(flags.0, 0x0101);
            assert!(flags.contains(StatusFlags::TEXT));
            assert!(!flags.contains(StatusFlags::GLYPH));
        }
    }
}
