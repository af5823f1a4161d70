//! The keyboard: waiting for keys with the OS ([`get_key`]), polling
//! without blocking ([`poll_key`], [`held_key`]), reading the key matrix
//! directly ([`is_down`]), the SHIFT/ALPHA state, and locking MENU and the
//! catalog.
//!
//! ```no_run
//! use prizm::keyboard::{self, Key};
//!
//! loop {
//!     match keyboard::get_key() {
//!         Key::Exit => break,
//!         key => {
//!             if let Some(c) = key.as_char() {
//!                 prizm::debug_println!("typed {c}");
//!             }
//!         }
//!     }
//! }
//! ```

pub use prizm_platform::keys::{Key, Modifier, PrgmKey};

/// Address of the keyboard scanner's key state words.
pub const KEY_SCAN_ADDRESS: usize = prizm_platform::memory::KEYSC_BASE as usize;

use crate::syscall;

/// `GetKey` code of EXIT.
pub const KEY_EXIT: i32 = Key::Exit.code();
/// `GetKey` code of MENU (only seen when MENU is disabled).
pub const KEY_MENU: i32 = Key::Menu.code();
/// `GetKey` code of EXE.
pub const KEY_EXE: i32 = Key::Exe.code();

/// Waits for a key with the OS's `GetKey` and returns its code. The OS
/// shows VRAM, handles SHIFT/ALPHA, the backlight, power-off (SHIFT AC)
/// and MENU (which leaves the add-in from inside this call unless
/// [`disable_menu`] was called).
pub fn get_key_code() -> i32 {
    let mut key = 0;
    // SAFETY: `key` is a valid i32 for GetKey to write.
    unsafe { syscall::GetKey(&mut key) };
    key
}

/// Waits for a key with the OS's `GetKey` (see [`get_key_code`]).
pub fn get_key() -> Key {
    Key::from_code(get_key_code())
}

/// Waits until EXIT (or EXE) is pressed.
pub fn wait_for_exit() {
    loop {
        let key = get_key();
        if key == Key::Exit || key == Key::Exe {
            return;
        }
    }
}

/// Waits until one of `keys` is pressed and returns it.
pub fn wait_for(keys: &[Key]) -> Key {
    loop {
        let key = get_key();
        if keys.contains(&key) {
            return key;
        }
    }
}

fn get_key_wait(wait_type: i32, timeout_seconds: i32) -> Option<PrgmKey> {
    let (mut column, mut row) = (0i32, 0i32);
    let mut injected = 0u16;
    // SAFETY: all three out-pointers are valid locals; menu = 0.
    let result = unsafe {
        syscall::GetKeyWait_OS(
            &mut column,
            &mut row,
            wait_type,
            timeout_seconds,
            0,
            &mut injected,
        )
    };
    if result == 1 {
        PrgmKey::from_matrix(column, row)
    } else {
        None
    }
}

/// Queues `key` for the next [`get_key`] as if it had been pressed
/// (`Keyboard_PutKeycode`): for demos, tests and scripted input.
pub fn queue_key(key: Key) {
    // SAFETY: plain integers; the OS queues the code for GetKey.
    unsafe { syscall::Keyboard_PutKeycode(-1, -1, key.code()) };
}

/// Returns a key press if one is waiting, without blocking
/// (`GetKeyWait_OS`, non-blocking mode). The key is physical (no
/// SHIFT/ALPHA translation) and MENU is reported like any other key.
pub fn poll_key() -> Option<PrgmKey> {
    get_key_wait(1, 0)
}

/// Waits at most `seconds` (0–3600) for a key press.
pub fn wait_key_timeout(seconds: u16) -> Option<PrgmKey> {
    get_key_wait(2, i32::from(seconds.min(3600)))
}

/// The key held down right now, if any (`PRGM_GetKey_OS`, non-blocking).
pub fn held_key() -> Option<PrgmKey> {
    let mut record = [0u8; 12];
    // SAFETY: the OS writes the 12-byte record.
    unsafe { syscall::PRGM_GetKey_OS(record.as_mut_ptr()) };
    PrgmKey::from_code(PrgmKey::code_from_record(&record))
}

/// True while `key` is held down, read straight from the keyboard
/// scanner's registers. Reading them can disturb a later `GetKey` on some
/// OS versions, and they are only accurate when read often (≥ 64 Hz).
pub fn is_down(key: PrgmKey) -> bool {
    let (word, bit) = key.scan_position();
    // SAFETY: the keyboard scanner's state words at 0xA44B0000
    // (docs/platform.md §3.5.5) are readable 16-bit registers; `word` is below 6.
    let state = unsafe { crate::hw::read_u16(KEY_SCAN_ADDRESS + 2 * word) };
    state & (1 << bit) != 0
}

/// Setup byte holding the SHIFT/ALPHA state.
const MODIFIER_SETTING: u32 = prizm_platform::keys::MODIFIER_SETUP_INDEX;

/// The current SHIFT/ALPHA state.
pub fn modifier() -> Modifier {
    // SAFETY: reads one setup byte.
    Modifier::from_setting(unsafe { syscall::GetSetupSetting(MODIFIER_SETTING) })
}

/// Sets the SHIFT/ALPHA state (for example alpha-lock before text input,
/// [`Modifier::None`] after it).
pub fn set_modifier(modifier: Modifier) {
    // SAFETY: writes one setup byte with a value the OS itself uses.
    unsafe { syscall::SetSetupSetting(MODIFIER_SETTING, modifier.setting()) }
}

/// Stops MENU from leaving the add-in: `GetKey` then returns
/// [`Key::Menu`]. Call [`enable_menu`] before the add-in returns.
pub fn disable_menu() {
    // SAFETY: no arguments.
    unsafe { syscall::DisableGetkeyToMainFunctionReturn() }
}

/// Lets MENU in `GetKey` open the main menu again.
pub fn enable_menu() {
    // SAFETY: no arguments.
    unsafe { syscall::EnableGetkeyToMainFunctionReturn() }
}

/// True when MENU leaves the add-in.
pub fn menu_enabled() -> bool {
    // SAFETY: no arguments.
    unsafe { syscall::GetGetkeyToMainFunctionReturnFlag() != 0 }
}

/// Keyboard flag bit that disables the catalog (SHIFT 4).
const CATALOG_DISABLED: i16 = 0x80;

/// Disables the catalog (SHIFT 4) for the rest of the add-in.
pub fn disable_catalog() {
    // SAFETY: reads and writes the OS's keyboard flags.
    unsafe { syscall::Bkey_SetAllFlags(syscall::Bkey_GetAllFlags() | CATALOG_DISABLED) }
}

/// Enables the catalog again.
pub fn enable_catalog() {
    // SAFETY: reads and writes the OS's keyboard flags.
    unsafe { syscall::Bkey_SetAllFlags(syscall::Bkey_GetAllFlags() & !CATALOG_DISABLED) }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn old_constants_match_the_enum() {
            assert_eq!(Key::Exit.code(), KEY_EXIT);
            assert_eq!(Key::Menu.code(), KEY_MENU);
            assert_eq!(Key::Exe.code(), KEY_EXE);
        }
    }
}
