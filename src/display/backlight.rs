//! The backlight level, 0 (dark) to [`MAX_BACKLIGHT_LEVEL`] (brightest).
//!
//! No syscall reads or sets it: the LCD controller keeps it in its
//! register 0x5A1 as level + 6, reached by choosing the register with
//! `Bdisp_DDRegisterSelect` and then reading or writing the controller's
//! data register at 0xB4000000 (docs/platform.md §3.9). The OS sets the
//! level again at power-off, at the backlight timeout and from its System
//! menu, so a level set here lasts until one of those.
//!
//! ```no_run
//! use prizm::display;
//!
//! let before = display::backlight_level();
//! display::set_backlight_level(before / 2);
//! ```

use prizm_platform::memory;

/// The brightest level.
pub const MAX_BACKLIGHT_LEVEL: u8 = 249;

/// What the backlight register holds beyond the level.
const REGISTER_OFFSET: u16 = 6;
/// The LCD controller's data register.
const LCD_DATA: usize = memory::LCD_DATA as usize;

/// The level a register value stands for: its low byte less 6, within
/// 0..=[`MAX_BACKLIGHT_LEVEL`].
pub const fn level_from_register(value: u16) -> u8 {
    let level = (value & 0xFF).saturating_sub(REGISTER_OFFSET);
    if level > MAX_BACKLIGHT_LEVEL as u16 {
        MAX_BACKLIGHT_LEVEL
    } else {
        level as u8
    }
}

/// The register value for `level` (levels above
/// [`MAX_BACKLIGHT_LEVEL`] become it).
pub const fn register_from_level(level: u8) -> u16 {
    let level = if level > MAX_BACKLIGHT_LEVEL { MAX_BACKLIGHT_LEVEL } else { level };
    level as u16 + REGISTER_OFFSET
}

/// The current backlight level.
pub fn backlight_level() -> u8 {
    select_backlight_register();
    // SAFETY: 0xB4000000 is the LCD controller's data register, present
    // on every Prizm; with register 0x5A1 selected a 16-bit read returns
    // its value and changes nothing.
    level_from_register(unsafe { crate::hw::read_u16(LCD_DATA) })
}

/// Sets the backlight level (above [`MAX_BACKLIGHT_LEVEL`]: the
/// brightest). The screen's contents are kept.
pub fn set_backlight_level(level: u8) {
    select_backlight_register();
    let value = register_from_level(level);
    #[cfg(target_os = "none")]
    {
        // SAFETY: 0xB4000000 is the LCD controller's data register, present
        // on every Prizm and 2-aligned; with register 0x5A1 selected a
        // 16-bit write sets the backlight and nothing else.
        unsafe { core::ptr::write_volatile(LCD_DATA as *mut u16, value) }
    }
    #[cfg(not(target_os = "none"))]
    panic!("the backlight (register value {value}) exists only on the calculator; it cannot be set in a host build")
}

fn select_backlight_register() {
    // SAFETY: plain integer argument, a register number the OS itself uses.
    unsafe { crate::syscall::Bdisp_DDRegisterSelect(i32::from(memory::LCD_BACKLIGHT_REGISTER)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn register_values_and_levels() {
            assert_eq!(level_from_register(249 + 6), 249);
            assert_eq!(level_from_register(6), 0);
            assert_eq!(level_from_register(106), 100);
            // Only the low byte counts; below the offset is dark, above
            // the range is the brightest.
            assert_eq!(level_from_register(0x0100 + 106), 100);
            assert_eq!(level_from_register(3), 0);
            assert_eq!(level_from_register(0xFF), 249);
            assert_eq!(register_from_level(0), 6);
            assert_eq!(register_from_level(100), 106);
            assert_eq!(register_from_level(249), 255);
            assert_eq!(register_from_level(255), 255);
            for level in 0..=MAX_BACKLIGHT_LEVEL {
                assert_eq!(level_from_register(register_from_level(level)), level);
            }
        }
    }
}
