//! The keyboard. (Grows into the full `Key` type.)

use crate::syscall;

/// `GetKey` code of EXIT.
pub const KEY_EXIT: i32 = 30002;
/// `GetKey` code of MENU (only seen when MENU is disabled).
pub const KEY_MENU: i32 = 30003;
/// `GetKey` code of EXE.
pub const KEY_EXE: i32 = 30004;

/// Waits for a key with the OS's `GetKey` and returns its code. MENU leaves
/// the add-in from inside this call (unless disabled).
pub fn get_key() -> i32 {
    let mut key = 0;
    // SAFETY: `key` is a valid i32 for GetKey to write.
    unsafe { syscall::GetKey(&mut key) };
    key
}

/// Waits until EXIT (or EXE) is pressed.
pub fn wait_for_exit() {
    loop {
        let key = get_key();
        if key == KEY_EXIT || key == KEY_EXE {
            return;
        }
    }
}
