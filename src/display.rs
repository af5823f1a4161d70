//! The screen: 384×216 pixels of RGB565 in VRAM, shown by
//! [`put_display`]. (Grows into the full `embedded-graphics` target.)

use crate::syscall;

/// Screen width in pixels.
pub const WIDTH: usize = 384;
/// Screen height in pixels.
pub const HEIGHT: usize = 216;

/// The OS's eight text colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
#[allow(missing_docs)]
pub enum TextColor {
    Black = 0,
    Blue = 1,
    Green = 2,
    Cyan = 3,
    Red = 4,
    Purple = 5,
    Yellow = 6,
    White = 7,
}

/// Packs 8-bit red, green and blue into an RGB565 pixel.
pub const fn rgb(red: u8, green: u8, blue: u8) -> u16 {
    ((red as u16 >> 3) << 11) | ((green as u16 >> 2) << 5) | (blue as u16 >> 3)
}

/// The VRAM as a mutable slice of `WIDTH * HEIGHT` pixels, row-major.
pub fn vram() -> &'static mut [u16] {
    // SAFETY: GetVRAMAddress returns the OS's VRAM, WIDTH*HEIGHT RGB565
    // pixels, valid for the add-in's lifetime; the add-in is single-threaded
    // and the OS only touches VRAM inside syscalls.
    unsafe { core::slice::from_raw_parts_mut(syscall::GetVRAMAddress(), WIDTH * HEIGHT) }
}

/// Clears VRAM to white.
pub fn clear() {
    // SAFETY: no arguments.
    unsafe { syscall::Bdisp_AllClr_VRAM() }
}

/// Copies VRAM to the screen.
pub fn put_display() {
    // SAFETY: no arguments.
    unsafe { syscall::Bdisp_PutDisp_DD() }
}

/// Prints `text` in the large 18×24 font at character cell (`column`,
/// `row`), columns 1..=21, rows 1..=8 below the status bar. Longer text is
/// cut at 21 characters; the OS's two skipped bytes are handled here.
pub fn print_xy(column: i32, row: i32, text: &str, color: TextColor) {
    let mut buffer = [0u8; 2 + 64 + 1];
    buffer[0] = b' ';
    buffer[1] = b' ';
    let bytes = text.as_bytes();
    let length = bytes.len().min(64);
    buffer[2..2 + length].copy_from_slice(&bytes[..length]);
    // SAFETY: the buffer is NUL-terminated (its last byte stays 0) and the
    // OS reads it only during the call.
    unsafe { syscall::PrintXY(column, row, buffer.as_ptr(), 0, color as i32) }
}
