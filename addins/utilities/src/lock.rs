//! Lock: locks the calculator with CGlock's lock (the `prizm-lock`
//! crate's screens on CGlock's record: the same secret, the same growing
//! waits after wrong tries), and comes back here once it is unlocked.
//! Without a secret yet, CGlock's first-run setup comes first.

use prizm::Calculator;

/// Locks now; returns when the calculator is unlocked (or the first-run
/// setup was left with EXIT). The lock screen reports itself on the
/// debug channel as `lock: screen=…` lines.
pub fn run(calculator: &mut Calculator) {
    prizm_lock::screen::lock_now(calculator, "lock");
}

/// CGlock's settings (change the PIN or passphrase, the owner message,
/// the lock options) on the same record, after the secret; the first-run
/// setup when there is none yet.
pub fn settings(calculator: &mut Calculator) {
    prizm_lock::screen::settings_now(calculator, "lock");
}
