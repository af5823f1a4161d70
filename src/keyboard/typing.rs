//! Typing on physical keys: what SHIFT and ALPHA make of the next key
//! when keys are read with [`super::wait_key_for`] (which, unlike
//! `GetKey`, reports keys as they are, so the add-in tracks SHIFT and
//! ALPHA itself).
//!
//! The model is small and shows on screen: SHIFT applies to the next key
//! (SHIFT then AC/ON turns the calculator off, as in the OS); ALPHA cycles
//! digits → capitals → small letters and stays until pressed again; the
//! letters sit where the keypad prints them in red (X,θ,T = A … 0 = Z,
//! `.` = space).
//!
//! ```
//! use prizm::keyboard::{PrgmKey, Typed, Typing};
//! let mut typing = Typing::default();
//! assert_eq!(typing.translate(PrgmKey::Digit7, true), Typed::Character('7'));
//! assert_eq!(typing.translate(PrgmKey::Alpha, true), Typed::ModifierChanged);
//! assert_eq!(typing.translate(PrgmKey::Log, true), Typed::Character('B'));
//! assert_eq!(typing.translate(PrgmKey::Shift, true), Typed::ModifierChanged);
//! assert_eq!(typing.translate(PrgmKey::AcOn, true), Typed::PowerOff);
//! assert_eq!(typing.translate(PrgmKey::Exe, true), Typed::Control(PrgmKey::Exe));
//! ```

use super::PrgmKey;

/// The capital letter printed in red above `key` (typed in ALPHA mode),
/// or a space for `.`.
pub const fn alpha_letter(key: PrgmKey) -> Option<char> {
    use PrgmKey::*;
    Some(match key {
        XThetaT => 'A',
        Log => 'B',
        Ln => 'C',
        Sin => 'D',
        Cos => 'E',
        Tan => 'F',
        Fraction => 'G',
        FD => 'H',
        LeftParen => 'I',
        RightParen => 'J',
        Comma => 'K',
        Store => 'L',
        Digit7 => 'M',
        Digit8 => 'N',
        Digit9 => 'O',
        Digit4 => 'P',
        Digit5 => 'Q',
        Digit6 => 'R',
        Multiply => 'S',
        Divide => 'T',
        Digit1 => 'U',
        Digit2 => 'V',
        Digit3 => 'W',
        Plus => 'X',
        Minus => 'Y',
        Digit0 => 'Z',
        Dot => ' ',
        _ => return None,
    })
}

/// The character `key` types without SHIFT or ALPHA (digits and the
/// symbols printed on the keys).
pub const fn plain_character(key: PrgmKey) -> Option<char> {
    use PrgmKey::*;
    Some(match key {
        Digit0 => '0',
        Digit1 => '1',
        Digit2 => '2',
        Digit3 => '3',
        Digit4 => '4',
        Digit5 => '5',
        Digit6 => '6',
        Digit7 => '7',
        Digit8 => '8',
        Digit9 => '9',
        Dot => '.',
        Plus => '+',
        Minus | Negate => '-',
        Multiply => '*',
        Divide => '/',
        LeftParen => '(',
        RightParen => ')',
        Comma => ',',
        Power => '^',
        _ => return None,
    })
}

/// The digit 0–9 `key` types, if it is a digit key.
pub const fn digit(key: PrgmKey) -> Option<u8> {
    match plain_character(key) {
        Some(c) if c.is_ascii_digit() => Some(c as u8 - b'0'),
        _ => None,
    }
}

/// The digit key for `digit` (0–9).
pub const fn digit_key(digit: u8) -> Option<PrgmKey> {
    use PrgmKey::*;
    Some(match digit {
        0 => Digit0,
        1 => Digit1,
        2 => Digit2,
        3 => Digit3,
        4 => Digit4,
        5 => Digit5,
        6 => Digit6,
        7 => Digit7,
        8 => Digit8,
        9 => Digit9,
        _ => return None,
    })
}

/// What ALPHA has selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TypingMode {
    /// Digits and symbols.
    #[default]
    Digits,
    /// Capital letters.
    Capitals,
    /// Small letters.
    SmallLetters,
}

impl TypingMode {
    /// A one-character indicator to show beside a text field: `1`, `A`, `a`.
    pub const fn indicator(self) -> &'static str {
        match self {
            TypingMode::Digits => "1",
            TypingMode::Capitals => "A",
            TypingMode::SmallLetters => "a",
        }
    }

    /// The next mode ALPHA selects.
    pub const fn next(self) -> TypingMode {
        match self {
            TypingMode::Digits => TypingMode::Capitals,
            TypingMode::Capitals => TypingMode::SmallLetters,
            TypingMode::SmallLetters => TypingMode::Digits,
        }
    }
}

/// A physical key after SHIFT/ALPHA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Typed {
    /// A character to type.
    Character(char),
    /// SHIFT then AC/ON: turn the calculator off (as the OS does).
    PowerOff,
    /// A key that types nothing (EXE, EXIT, F1, arrows, DEL, AC, MENU, …).
    Control(PrgmKey),
    /// SHIFT or ALPHA changed the state; nothing else happens.
    ModifierChanged,
}

/// The SHIFT and ALPHA state of an add-in that reads physical keys (the
/// OS's own state, which `GetKey` uses, is [`super::Modifier`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Typing {
    /// SHIFT was pressed and applies to the next key.
    pub shift: bool,
    /// The mode ALPHA cycles through.
    pub mode: TypingMode,
}

impl Typing {
    /// Turns `key` into what it types. With `letters_allowed` false (a
    /// PIN field) ALPHA does nothing and the mode returns to digits.
    pub fn translate(&mut self, key: PrgmKey, letters_allowed: bool) -> Typed {
        if !letters_allowed {
            self.mode = TypingMode::Digits;
        }
        let shifted = core::mem::take(&mut self.shift);
        match key {
            PrgmKey::Shift => {
                // A second SHIFT cancels the first.
                self.shift = !shifted;
                return Typed::ModifierChanged;
            }
            PrgmKey::Alpha if letters_allowed => {
                self.mode = self.mode.next();
                return Typed::ModifierChanged;
            }
            PrgmKey::AcOn if shifted => return Typed::PowerOff,
            _ => {}
        }
        // SHIFT has no other function here: a shifted key acts as itself.
        let character = match self.mode {
            TypingMode::Digits => plain_character(key),
            TypingMode::Capitals => alpha_letter(key),
            TypingMode::SmallLetters => alpha_letter(key).map(|letter| letter.to_ascii_lowercase()),
        };
        match character {
            Some(character) => Typed::Character(character),
            None => Typed::Control(key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn every_letter_has_one_key() {
            let mut letters: heapless::Vec<char, 64> = PrgmKey::ALL
                .iter()
                .filter_map(|&key| alpha_letter(key))
                .collect();
            letters.sort_unstable();
            let mut expected: heapless::Vec<char, 64> = heapless::Vec::new();
            let _ = expected.push(' ');
            for c in 'A'..='Z' {
                let _ = expected.push(c);
            }
            assert_eq!(letters, expected);
        }
    }

    prizm_test! {
        fn digits_round_trip() {
            for value in 0..=9 {
                let key = digit_key(value).unwrap();
                assert_eq!(digit(key), Some(value));
            }
            assert_eq!(digit_key(10), None);
            assert_eq!(digit(PrgmKey::Dot), None);
        }
    }

    prizm_test! {
        fn pin_fields_type_digits_and_ignore_alpha() {
            let mut typing = Typing::default();
            assert_eq!(typing.translate(PrgmKey::Alpha, false), Typed::Control(PrgmKey::Alpha));
            assert_eq!(typing.translate(PrgmKey::Digit7, false), Typed::Character('7'));
            assert_eq!(typing.translate(PrgmKey::Exe, false), Typed::Control(PrgmKey::Exe));
        }
    }

    prizm_test! {
        fn alpha_cycles_capitals_small_letters_digits() {
            let mut typing = Typing::default();
            assert_eq!(typing.translate(PrgmKey::Alpha, true), Typed::ModifierChanged);
            assert_eq!(typing.mode.indicator(), "A");
            assert_eq!(typing.translate(PrgmKey::Log, true), Typed::Character('B'));
            assert_eq!(typing.translate(PrgmKey::Dot, true), Typed::Character(' '));
            assert_eq!(typing.translate(PrgmKey::Exe, true), Typed::Control(PrgmKey::Exe));
            typing.translate(PrgmKey::Alpha, true);
            assert_eq!(typing.translate(PrgmKey::Digit0, true), Typed::Character('z'));
            typing.translate(PrgmKey::Alpha, true);
            assert_eq!(typing.translate(PrgmKey::Digit0, true), Typed::Character('0'));
            // A PIN field resets the mode.
            typing.translate(PrgmKey::Alpha, true);
            assert_eq!(typing.translate(PrgmKey::Digit1, false), Typed::Character('1'));
            assert_eq!(typing.mode, TypingMode::Digits);
        }
    }

    prizm_test! {
        fn shift_is_one_shot_and_shift_ac_powers_off() {
            let mut typing = Typing::default();
            assert_eq!(typing.translate(PrgmKey::Shift, false), Typed::ModifierChanged);
            assert!(typing.shift);
            assert_eq!(typing.translate(PrgmKey::AcOn, false), Typed::PowerOff);
            assert!(!typing.shift);
            assert_eq!(typing.translate(PrgmKey::AcOn, false), Typed::Control(PrgmKey::AcOn));
            typing.translate(PrgmKey::Shift, false);
            typing.translate(PrgmKey::Shift, false);
            assert!(!typing.shift, "a second SHIFT cancels the first");
            typing.translate(PrgmKey::Shift, false);
            assert_eq!(typing.translate(PrgmKey::Digit4, false), Typed::Character('4'));
            assert!(!typing.shift);
        }
    }
}
