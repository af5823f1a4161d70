//! The settings bytes, kept in main memory as `@UTILS\Set` in the layout
//! of the original Utilities 2.1 (byte 0 the layout version, 15; bytes
//! 1–29 its settings, same numbers, same meanings), followed by bytes of
//! our own. The original reads only the first 30 bytes of a longer item,
//! so both add-ins read each other's settings; the original writes back
//! only 30, and ours then finds its own bytes at their defaults.

/// Main-memory folder of Utilities.
pub const FOLDER: &str = "@UTILS";
/// Item holding the settings.
pub const ITEM: &str = "Set";
/// Layout version of the original's bytes 0–29.
pub const VERSION: u8 = 15;
/// Bytes of the original's layout.
pub const ORIGINAL_SIZE: usize = 30;
/// Bytes we keep (the original's and ours).
pub const SIZE: usize = 64;

/// 0: 24-hour clock, 1: 12-hour.
pub const TIME_FORMAT: usize = 1;
/// Long date format, 0–9 (see `clock::format`).
pub const LONG_DATE_FORMAT: usize = 2;
/// 0: DD/MM/YYYY, 1: MM/DD/YYYY, 2: YYYY/MM/DD.
pub const DATE_FORMAT: usize = 3;
/// Home screen: 0 light, 1 dark.
pub const THEME: usize = 4;
/// Whether home shows the status bar.
pub const DISPLAY_STATUS_BAR: usize = 5;
/// Brightness forced at start-up, 250 for none.
pub const STARTUP_BRIGHTNESS: usize = 6;
/// Whether advanced options show.
pub const SHOW_ADVANCED: usize = 7;
/// Whether home shows F-key labels.
pub const DISPLAY_FKEYS: usize = 8;
/// Whether a password's last typed character stays hidden.
pub const PASSWORD_PRIVACY: usize = 9;
/// First-run marker in the original.
pub const FIRST_RUN: usize = 10;
/// Whether locking is offered.
pub const ENABLE_LOCK: usize = 12;
/// Power off after locking.
pub const LOCK_AUTO_OFF: usize = 13;
/// EXE on home locks.
pub const LOCK_ON_EXE: usize = 14;
/// Go to Run-Mat after unlocking.
pub const UNLOCK_RUNMAT: usize = 15;
/// Home clock style, 0–11 (see `clock::format::ClockStyle`).
pub const CLOCK_TYPE: usize = 16;
/// Whether clocks show seconds.
pub const CLOCK_SECONDS: usize = 17;
/// Calendar opens in 0: week view, 1: month view.
pub const DEFAULT_CALENDAR_VIEW: usize = 18;
/// 0: weeks start on Sunday, 1: Monday.
pub const WEEK_START_DAY: usize = 19;
/// Whether the month view shows busy bars.
pub const SHOW_BUSY_MAP: usize = 20;
/// Countdown end: 0 none, 1 flashing pop-up, 2 pop-up, 3 note on home.
pub const CHRONO_NOTIFICATION: usize = 21;
/// File manager sort order (part 2).
pub const FILE_MANAGER_SORT: usize = 22;
/// File manager search options (part 2).
pub const FILE_MANAGER_SEARCH: usize = 23;
/// Time zone: UTC offset in 15-minute steps, 0 = UTC−12:45, 51 = UTC.
pub const TIMEZONE: usize = 24;
/// Whether the lock screen shows the owner.
pub const LOCK_USERNAME: usize = 29;
/// First byte of ours; [`ORIGINAL_SIZE`]..[`SIZE`] are free for new
/// settings (part 2 takes them from the end down, part 1 from here up).
pub const FIRST_EXTENSION: usize = ORIGINAL_SIZE;
/// Home pane, 0–3 (see `home::panes::Pane`; 0: none).
pub const HOME_PANE: usize = FIRST_EXTENSION;
/// Daylight-saving reminders: 0 off, 1 EU rule, 2 US rule (see
/// `home::dst::Rule`).
pub const DST_RULE: usize = FIRST_EXTENSION + 1;
/// The [`TIMEZONE`] value meaning UTC.
pub const TIMEZONE_UTC_INDEX: u8 = 51;

/// All settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    bytes: [u8; SIZE],
}

impl Default for Settings {
    /// The original's defaults (its values that are not zero), ours zero.
    fn default() -> Settings {
        let mut bytes = [0u8; SIZE];
        bytes[0] = VERSION;
        bytes[DISPLAY_STATUS_BAR] = 1;
        bytes[STARTUP_BRIGHTNESS] = 250;
        bytes[DISPLAY_FKEYS] = 1;
        bytes[PASSWORD_PRIVACY] = 1;
        bytes[FIRST_RUN] = 1;
        bytes[ENABLE_LOCK] = 1;
        bytes[CLOCK_SECONDS] = 1;
        bytes[DEFAULT_CALENDAR_VIEW] = 1;
        bytes[SHOW_BUSY_MAP] = 1;
        bytes[CHRONO_NOTIFICATION] = 1;
        bytes[FILE_MANAGER_SORT] = 1;
        bytes[FILE_MANAGER_SEARCH] = 1;
        bytes[TIMEZONE] = TIMEZONE_UTC_INDEX;
        Settings { bytes }
    }
}

impl Settings {
    /// Settings from a stored item; defaults (and `false`) when it is
    /// missing, from another layout version, or too short, like the
    /// original (which resets at 16 bytes or fewer).
    pub fn from_stored(stored: Option<&[u8]>) -> (Settings, bool) {
        let mut settings = Settings::default();
        let Some(stored) = stored else {
            return (settings, false);
        };
        if stored.len() <= 16 || stored.len() < ORIGINAL_SIZE || stored[0] != VERSION {
            return (settings, false);
        }
        let length = stored.len().min(SIZE);
        settings.bytes[..length].copy_from_slice(&stored[..length]);
        (settings, true)
    }

    /// The bytes to store.
    pub fn to_stored(&self) -> [u8; SIZE] {
        let mut bytes = self.bytes;
        bytes[0] = VERSION;
        bytes
    }

    /// One setting's value.
    pub fn get(&self, index: usize) -> u8 {
        self.bytes.get(index).copied().unwrap_or(0)
    }

    /// Sets one setting (indices past the end are ignored).
    pub fn set(&mut self, index: usize, value: u8) {
        if index > 0 {
            if let Some(byte) = self.bytes.get_mut(index) {
                *byte = value;
            }
        }
    }

    /// The time zone's offset from UTC in minutes.
    pub fn utc_offset_minutes(&self) -> i32 {
        (i32::from(self.get(TIMEZONE)) - i32::from(TIMEZONE_UTC_INDEX)) * 15
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_originals_thirty_bytes() {
        // An item the original wrote: version 15, 12-hour clock, dark
        // theme, analog clock (style 5), Monday weeks, UTC+1.
        let mut original = [0u8; 30];
        original[0] = 15;
        original[TIME_FORMAT] = 1;
        original[THEME] = 1;
        original[CLOCK_TYPE] = 5;
        original[WEEK_START_DAY] = 1;
        original[TIMEZONE] = 55;
        let (settings, found) = Settings::from_stored(Some(&original));
        assert!(found);
        assert_eq!(settings.get(CLOCK_TYPE), 5);
        assert_eq!(settings.get(THEME), 1);
        assert_eq!(settings.utc_offset_minutes(), 60);
        assert_eq!(settings.get(FIRST_EXTENSION), 0);
        // What we store starts with the same 30 bytes.
        assert_eq!(&settings.to_stored()[..30], &original[..]);
    }

    #[test]
    fn other_versions_and_short_items_reset() {
        let mut old = [0u8; 30];
        old[0] = 14;
        old[THEME] = 1;
        assert_eq!(Settings::from_stored(Some(&old)), (Settings::default(), false));
        assert_eq!(Settings::from_stored(Some(&[15u8; 16])), (Settings::default(), false));
        assert_eq!(Settings::from_stored(None), (Settings::default(), false));
        let defaults = Settings::default();
        assert_eq!(defaults.utc_offset_minutes(), 0);
        assert_eq!(defaults.get(CLOCK_SECONDS), 1);
        assert_eq!(defaults.get(200), 0);
    }

    #[test]
    fn our_bytes_survive_a_round_trip() {
        let mut settings = Settings::default();
        settings.set(FIRST_EXTENSION + 3, 7);
        settings.set(0, 99);
        let (back, found) = Settings::from_stored(Some(&settings.to_stored()));
        assert!(found);
        assert_eq!(back, settings);
        assert_eq!(back.get(0), VERSION);
    }
}
