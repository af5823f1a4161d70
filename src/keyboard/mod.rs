//! The keyboard: waiting for keys with the OS ([`get_key`]), waiting for
//! physical keys with a timeout and MENU as a key ([`wait_key_for`]) and
//! typing on them with SHIFT/ALPHA tracked by the add-in ([`Typing`]),
//! polling without blocking ([`poll_key`], [`held_key`]), reading the key
//! matrix directly ([`is_down`]), the OS's SHIFT/ALPHA state, and locking
//! MENU and the catalog.
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

mod typing;

pub use prizm_platform::keys::{Key, Modifier, PrgmKey};
pub use typing::{alpha_letter, digit, digit_key, plain_character, Typed, Typing, TypingMode};

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

/// How long [`wait_key_for`] waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timeout {
    /// Returns at once: a key if one is waiting.
    NoWait,
    /// At most this many seconds (the OS takes 0–3600; more is cut to
    /// 3600). The calculator sleeps meanwhile.
    Seconds(u16),
    /// Until a key is pressed.
    Never,
}

/// What MENU does during [`wait_key_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuKey {
    /// MENU opens the main menu, as everywhere in the OS (unless
    /// [`disable_menu`] was called).
    OpensMainMenu,
    /// MENU comes back as [`PrgmKey::Menu`], like any other key (a lock
    /// screen, a game that uses every key).
    IsAKey,
}

/// Waits for a physical key (`GetKeyWait_OS`): the key itself, without
/// SHIFT/ALPHA translation (see [`Typing`] for that), or `None` when
/// `timeout` passed first (or the OS reported a position that is no key). Unlike [`get_key`] it does not copy VRAM to the
/// screen and does not power off on its own.
///
/// ```no_run
/// use prizm::keyboard::{self, MenuKey, PrgmKey, Timeout};
/// // Redraw a clock every second; MENU is just another key here.
/// loop {
///     match keyboard::wait_key_for(Timeout::Seconds(1), MenuKey::IsAKey) {
///         None => { /* a second passed: redraw */ }
///         Some(PrgmKey::Exit) => break,
///         Some(key) => prizm::debug_println!("{key:?}"),
///     }
/// }
/// ```
pub fn wait_key_for(timeout: Timeout, menu: MenuKey) -> Option<PrgmKey> {
    // GetKeyWait_OS wait types (platform facts §3.3.1).
    const BLOCK: i32 = 0;
    const NO_WAIT: i32 = 1;
    const TIMEOUT: i32 = 2;
    let (wait_type, seconds) = match timeout {
        Timeout::NoWait => (NO_WAIT, 0),
        Timeout::Seconds(seconds) => (TIMEOUT, i32::from(seconds.min(3600))),
        Timeout::Never => (BLOCK, 0),
    };
    let menu_is_a_key = i32::from(menu == MenuKey::IsAKey);
    let (mut column, mut row) = (0i32, 0i32);
    let mut injected = 0u16;
    // SAFETY: the three out-pointers are valid locals for the call; the
    // other arguments are plain integers in the documented ranges.
    let result = unsafe {
        syscall::GetKeyWait_OS(
            &mut column,
            &mut row,
            wait_type,
            seconds,
            menu_is_a_key,
            &mut injected,
        )
    };
    // 1 = a key; 0 = nothing waiting, 2 = the timeout.
    if result == 1 {
        PrgmKey::from_matrix(column, row)
    } else {
        None
    }
}

/// Queues a press of the physical `key` for the next [`wait_key_for`] (or
/// [`poll_key`]) as if it had been pressed (`Keyboard_PutKeycode` with the
/// key's matrix position): for demos, tests and scripted input.
pub fn queue_physical_key(key: PrgmKey) {
    let (column, row) = key.matrix();
    // SAFETY: plain integers; the OS queues the position for the key wait.
    unsafe { syscall::Keyboard_PutKeycode(column, row, 0) };
}

/// Queues `key` for the next [`get_key`] as if it had been pressed
/// (`Keyboard_PutKeycode`): for demos, tests and scripted input.
pub fn queue_key(key: Key) {
    // SAFETY: plain integers; the OS queues the code for GetKey.
    unsafe { syscall::Keyboard_PutKeycode(-1, -1, key.code()) };
}

/// Hands a press that [`poll_key`] took back to the next [`get_key`], as
/// `GetKey` would have taken it: SHIFT and ALPHA change the modifier; any
/// other key is queued as what `GetKey` returns for it in the current
/// modifier, which a one-key SHIFT or ALPHA then leaves. For work done
/// between key waits that stops at the first press (a read-ahead). MENU
/// comes back as [`Key::Menu`]: a queued code does not open the main menu.
pub fn give_back(key: PrgmKey) {
    let modifier = modifier();
    if !matches!(key, PrgmKey::Shift | PrgmKey::Alpha) {
        queue_key(key.get_key(modifier));
    }
    let after = modifier.after(key);
    if after != modifier {
        set_modifier(after);
    }
}

/// Returns a key press if one is waiting, without blocking
/// (`GetKeyWait_OS`, non-blocking mode). The key is physical (no
/// SHIFT/ALPHA translation) and MENU is reported like any other key.
pub fn poll_key() -> Option<PrgmKey> {
    wait_key_for(Timeout::NoWait, MenuKey::OpensMainMenu)
}

/// Waits at most `seconds` (0–3600) for a key press; MENU opens the main
/// menu (see [`wait_key_for`] for the other choices).
pub fn wait_key_timeout(seconds: u16) -> Option<PrgmKey> {
    wait_key_for(Timeout::Seconds(seconds), MenuKey::OpensMainMenu)
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
