//! The user's settings and the settings screen's list of items.

use heapless::String;

/// Longest owner message, in characters.
pub const OWNER_MESSAGE_MAX: usize = 40;

/// The owner message: printable ASCII, at most [`OWNER_MESSAGE_MAX`].
pub type OwnerMessage = String<OWNER_MESSAGE_MAX>;

/// Longest idle time before locking, in minutes.
pub const IDLE_LOCK_MAX_MINUTES: u8 = 60;
/// Idle minutes before locking in a new lock.
pub const IDLE_LOCK_DEFAULT_MINUTES: u8 = 5;

/// Everything the user can choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// EXE on the home screen locks (as the original lock add-in did).
    pub lock_on_exe: bool,
    /// Power the calculator off right after locking.
    pub power_off_after_lock: bool,
    /// Show the last typed character of a secret for a moment.
    pub show_last_character: bool,
    /// Shown on the lock screen ("If found, call …").
    pub owner_message: OwnerMessage,
    /// Lock when the calculator is switched off from the unlocked screen.
    pub lock_on_power_off: bool,
    /// Lock after this many minutes without a key on the unlocked screen;
    /// 0 = never (at most [`IDLE_LOCK_MAX_MINUTES`]).
    pub idle_lock_minutes: u8,
}

impl Default for Settings {
    /// Off for the choices that change how locking feels; on for the two
    /// that keep an unattended calculator locked.
    fn default() -> Self {
        Settings {
            lock_on_exe: false,
            power_off_after_lock: false,
            show_last_character: false,
            owner_message: OwnerMessage::new(),
            lock_on_power_off: true,
            idle_lock_minutes: IDLE_LOCK_DEFAULT_MINUTES,
        }
    }
}

impl Settings {
    /// Seconds without a key after which the unlocked screen locks, or
    /// `None` when idle locking is off.
    pub fn idle_lock_seconds(&self) -> Option<u32> {
        (self.idle_lock_minutes > 0).then(|| u32::from(self.idle_lock_minutes) * 60)
    }
}

/// Why an owner message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerMessageError {
    /// Longer than [`OWNER_MESSAGE_MAX`].
    TooLong,
    /// Not printable ASCII.
    BadCharacter,
}

impl OwnerMessageError {
    /// A short sentence for the screen.
    pub fn message(self) -> &'static str {
        match self {
            OwnerMessageError::TooLong => "At most 40 characters.",
            OwnerMessageError::BadCharacter => "Only printable ASCII is allowed.",
        }
    }
}

/// Builds an owner message from typed bytes.
pub fn owner_message_from(bytes: &[u8]) -> Result<OwnerMessage, OwnerMessageError> {
    if bytes.len() > OWNER_MESSAGE_MAX {
        return Err(OwnerMessageError::TooLong);
    }
    let mut message = OwnerMessage::new();
    for &byte in bytes {
        if !(0x20..=0x7E).contains(&byte) {
            return Err(OwnerMessageError::BadCharacter);
        }
        // Cannot fail: the length was checked above.
        let _ = message.push(byte as char);
    }
    Ok(message)
}

/// One line of the settings screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingItem {
    /// Change the PIN or passphrase (asks for the current one).
    ChangeSecret,
    /// Toggle [`Settings::lock_on_exe`].
    LockOnExe,
    /// Toggle [`Settings::power_off_after_lock`].
    PowerOffAfterLock,
    /// Edit [`Settings::owner_message`].
    OwnerMessage,
    /// Toggle [`Settings::show_last_character`].
    ShowLastCharacter,
    /// Toggle [`Settings::lock_on_power_off`].
    LockOnPowerOff,
    /// Step [`Settings::idle_lock_minutes`] through [`IDLE_CHOICES`].
    IdleLock,
}

/// The idle times the settings screen steps through, in minutes, with
/// their labels (0 = never).
pub const IDLE_CHOICES: [(u8, &str); 8] = [
    (0, "Off"),
    (1, "1 min"),
    (2, "2 min"),
    (5, "5 min"),
    (10, "10 min"),
    (15, "15 min"),
    (30, "30 min"),
    (60, "60 min"),
];

impl SettingItem {
    /// The items in screen order; key 1 selects the first.
    pub const ALL: [SettingItem; 7] = [
        SettingItem::ChangeSecret,
        SettingItem::LockOnExe,
        SettingItem::PowerOffAfterLock,
        SettingItem::OwnerMessage,
        SettingItem::ShowLastCharacter,
        SettingItem::LockOnPowerOff,
        SettingItem::IdleLock,
    ];

    /// The item's label.
    pub fn label(self) -> &'static str {
        match self {
            SettingItem::ChangeSecret => "Change PIN/passphrase",
            SettingItem::LockOnExe => "Lock on [EXE]",
            SettingItem::PowerOffAfterLock => "Power off after locking",
            SettingItem::OwnerMessage => "Owner message",
            SettingItem::ShowLastCharacter => "Show last character",
            SettingItem::LockOnPowerOff => "Lock on power-off",
            SettingItem::IdleLock => "Lock when idle",
        }
    }

    /// The value shown at the right ("On"/"Off", "5 min"), if the item
    /// has one.
    pub fn value(self, settings: &Settings) -> Option<&'static str> {
        let on_off = |flag: bool| Some(if flag { "On" } else { "Off" });
        match self {
            SettingItem::ChangeSecret | SettingItem::OwnerMessage => None,
            SettingItem::LockOnExe => on_off(settings.lock_on_exe),
            SettingItem::PowerOffAfterLock => on_off(settings.power_off_after_lock),
            SettingItem::ShowLastCharacter => on_off(settings.show_last_character),
            SettingItem::LockOnPowerOff => on_off(settings.lock_on_power_off),
            SettingItem::IdleLock => Some(
                IDLE_CHOICES
                    .iter()
                    .find(|(minutes, _)| *minutes == settings.idle_lock_minutes)
                    .map_or("On", |(_, label)| label),
            ),
        }
    }

    /// Flips an on/off item, or steps the idle time to the next choice
    /// (after the last, off); false for items that are neither.
    pub fn toggle(self, settings: &mut Settings) -> bool {
        let flag = match self {
            SettingItem::LockOnPowerOff => &mut settings.lock_on_power_off,
            SettingItem::IdleLock => {
                let next = IDLE_CHOICES
                    .iter()
                    .position(|(minutes, _)| *minutes > settings.idle_lock_minutes)
                    .map_or(0, |index| IDLE_CHOICES[index].0);
                settings.idle_lock_minutes = next;
                return true;
            }
            SettingItem::LockOnExe => &mut settings.lock_on_exe,
            SettingItem::PowerOffAfterLock => &mut settings.power_off_after_lock,
            SettingItem::ShowLastCharacter => &mut settings.show_last_character,
            SettingItem::ChangeSecret | SettingItem::OwnerMessage => return false,
        };
        *flag = !*flag;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_keep_an_unattended_calculator_locked() {
        let settings = Settings::default();
        assert!(!settings.lock_on_exe);
        assert!(!settings.power_off_after_lock);
        assert!(!settings.show_last_character);
        assert!(settings.owner_message.is_empty());
        assert!(settings.lock_on_power_off);
        assert_eq!(settings.idle_lock_minutes, IDLE_LOCK_DEFAULT_MINUTES);
        assert_eq!(settings.idle_lock_seconds(), Some(300));
        let never = Settings {
            idle_lock_minutes: 0,
            ..Settings::default()
        };
        assert_eq!(never.idle_lock_seconds(), None);
    }

    #[test]
    fn switches_toggle_and_report_their_value() {
        let mut settings = Settings::default();
        assert_eq!(SettingItem::LockOnExe.value(&settings), Some("Off"));
        assert!(SettingItem::LockOnExe.toggle(&mut settings));
        assert!(settings.lock_on_exe);
        assert_eq!(SettingItem::LockOnExe.value(&settings), Some("On"));
        assert!(SettingItem::PowerOffAfterLock.toggle(&mut settings));
        assert!(settings.power_off_after_lock);
        assert!(SettingItem::ShowLastCharacter.toggle(&mut settings));
        assert!(settings.show_last_character);
        let before = settings.clone();
        assert!(!SettingItem::ChangeSecret.toggle(&mut settings));
        assert!(!SettingItem::OwnerMessage.toggle(&mut settings));
        assert_eq!(settings, before);
        assert_eq!(SettingItem::OwnerMessage.value(&settings), None);
    }

    #[test]
    fn the_new_switches_and_the_idle_steps() {
        let mut settings = Settings::default();
        assert_eq!(SettingItem::LockOnPowerOff.value(&settings), Some("On"));
        assert!(SettingItem::LockOnPowerOff.toggle(&mut settings));
        assert!(!settings.lock_on_power_off);
        assert_eq!(SettingItem::IdleLock.value(&settings), Some("5 min"));
        let mut seen = Vec::new();
        for _ in 0..IDLE_CHOICES.len() {
            assert!(SettingItem::IdleLock.toggle(&mut settings));
            seen.push(settings.idle_lock_minutes);
        }
        assert_eq!(seen, [10, 15, 30, 60, 0, 1, 2, 5]);
        assert_eq!(SettingItem::IdleLock.value(&settings), Some("5 min"));
        settings.idle_lock_minutes = 7;
        assert_eq!(SettingItem::IdleLock.value(&settings), Some("On"));
        assert!(SettingItem::IdleLock.toggle(&mut settings));
        assert_eq!(settings.idle_lock_minutes, 10);
    }

    #[test]
    fn owner_message_rules() {
        assert_eq!(
            owner_message_from(b"Call 555-0100").unwrap().as_str(),
            "Call 555-0100"
        );
        assert_eq!(owner_message_from(b"").unwrap().as_str(), "");
        assert!(owner_message_from(&[b'x'; 40]).is_ok());
        assert_eq!(
            owner_message_from(&[b'x'; 41]),
            Err(OwnerMessageError::TooLong)
        );
        assert_eq!(
            owner_message_from(b"bell\x07"),
            Err(OwnerMessageError::BadCharacter)
        );
    }

    #[test]
    fn labels_fit_the_settings_screen() {
        for item in SettingItem::ALL {
            // 32 columns of the 10-pixel font, minus the number and value.
            assert!(item.label().len() <= 24, "{}", item.label());
        }
    }
}
