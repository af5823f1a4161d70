//! The keypad as CGlock sees it: physical keys (from the OS's matrix
//! codes), and CGlock's own SHIFT/ALPHA handling that turns them into
//! characters.
//!
//! CGlock reads keys with `GetKeyWait_OS`, which reports raw keys, so that
//! it controls MENU and wakes every second for the clock. Its typing model
//! is deliberately small and shown on screen: ALPHA cycles
//! digits → capitals → small letters; the letters sit where the keypad
//! prints them in red (X,θ,T = A … 0 = Z, `.` = space).

/// Every key of the fx-CG keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum PhysicalKey {
    F1,
    F2,
    F3,
    F4,
    F5,
    F6,
    Shift,
    Optn,
    Vars,
    Menu,
    Left,
    Up,
    Alpha,
    Square,
    Power,
    Exit,
    Down,
    Right,
    XThetaT,
    Log,
    Ln,
    Sin,
    Cos,
    Tan,
    Fraction,
    FractionDecimal,
    LeftParenthesis,
    RightParenthesis,
    Comma,
    Store,
    Digit(u8),
    Del,
    Multiply,
    Divide,
    Plus,
    Minus,
    Dot,
    Exp,
    Negative,
    Exe,
    AcOn,
}

impl PhysicalKey {
    /// The key at a `GetKeyWait_OS` matrix position (column, row), e.g.
    /// EXE = (3, 2), F1 = (7, 10).
    pub fn from_matrix(column: u8, row: u8) -> Option<PhysicalKey> {
        use PhysicalKey::*;
        let key = match (row, column) {
            (0x0A, 7) => F1,
            (0x0A, 6) => F2,
            (0x0A, 5) => F3,
            (0x0A, 4) => F4,
            (0x0A, 3) => F5,
            (0x0A, 2) => F6,
            (0x09, 7) => Shift,
            (0x09, 6) => Optn,
            (0x09, 5) => Vars,
            (0x09, 4) => Menu,
            (0x09, 3) => Left,
            (0x09, 2) => Up,
            (0x08, 7) => Alpha,
            (0x08, 6) => Square,
            (0x08, 5) => Power,
            (0x08, 4) => Exit,
            (0x08, 3) => Down,
            (0x08, 2) => Right,
            (0x07, 7) => XThetaT,
            (0x07, 6) => Log,
            (0x07, 5) => Ln,
            (0x07, 4) => Sin,
            (0x07, 3) => Cos,
            (0x07, 2) => Tan,
            (0x06, 7) => Fraction,
            (0x06, 6) => FractionDecimal,
            (0x06, 5) => LeftParenthesis,
            (0x06, 4) => RightParenthesis,
            (0x06, 3) => Comma,
            (0x06, 2) => Store,
            (0x05, 7) => Digit(7),
            (0x05, 6) => Digit(8),
            (0x05, 5) => Digit(9),
            (0x05, 4) => Del,
            (0x04, 7) => Digit(4),
            (0x04, 6) => Digit(5),
            (0x04, 5) => Digit(6),
            (0x04, 4) => Multiply,
            (0x04, 3) => Divide,
            (0x03, 7) => Digit(1),
            (0x03, 6) => Digit(2),
            (0x03, 5) => Digit(3),
            (0x03, 4) => Plus,
            (0x03, 3) => Minus,
            (0x02, 7) => Digit(0),
            (0x02, 6) => Dot,
            (0x02, 5) => Exp,
            (0x02, 4) => Negative,
            (0x02, 3) => Exe,
            (0x01, 1) => AcOn,
            _ => return None,
        };
        Some(key)
    }

    /// The matrix position of this key (the inverse of [`from_matrix`](Self::from_matrix)),
    /// as the emulator's key injection wants it.
    pub fn matrix(self) -> (u8, u8) {
        for row in 1..=0x0A {
            for column in 1..=7 {
                if PhysicalKey::from_matrix(column, row) == Some(self) {
                    return (column, row);
                }
            }
        }
        (0, 0)
    }

    /// The digit 0–9, if this is a digit key.
    pub fn digit(self) -> Option<u8> {
        match self {
            PhysicalKey::Digit(digit) if digit <= 9 => Some(digit),
            _ => None,
        }
    }

    /// The capital letter printed in red above the key (ALPHA mode).
    pub fn letter(self) -> Option<u8> {
        use PhysicalKey::*;
        let letter = match self {
            XThetaT => b'A',
            Log => b'B',
            Ln => b'C',
            Sin => b'D',
            Cos => b'E',
            Tan => b'F',
            Fraction => b'G',
            FractionDecimal => b'H',
            LeftParenthesis => b'I',
            RightParenthesis => b'J',
            Comma => b'K',
            Store => b'L',
            Digit(7) => b'M',
            Digit(8) => b'N',
            Digit(9) => b'O',
            Digit(4) => b'P',
            Digit(5) => b'Q',
            Digit(6) => b'R',
            Multiply => b'S',
            Divide => b'T',
            Digit(1) => b'U',
            Digit(2) => b'V',
            Digit(3) => b'W',
            Plus => b'X',
            Minus => b'Y',
            Digit(0) => b'Z',
            Dot => b' ',
            _ => return None,
        };
        Some(letter)
    }

    /// The character the key types without ALPHA (digits and symbols).
    pub fn symbol(self) -> Option<u8> {
        use PhysicalKey::*;
        let symbol = match self {
            Digit(digit) if digit <= 9 => b'0' + digit,
            Dot => b'.',
            Plus => b'+',
            Minus | Negative => b'-',
            Multiply => b'*',
            Divide => b'/',
            LeftParenthesis => b'(',
            RightParenthesis => b')',
            Comma => b',',
            Power => b'^',
            _ => return None,
        };
        Some(symbol)
    }
}

/// What ALPHA has selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    /// The indicator shown next to a text field.
    pub fn indicator(self) -> &'static str {
        match self {
            TypingMode::Digits => "1",
            TypingMode::Capitals => "A",
            TypingMode::SmallLetters => "a",
        }
    }
}

/// A key after SHIFT/ALPHA processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A character to type.
    Character(u8),
    /// SHIFT then AC/ON: turn the calculator off (as the OS does).
    PowerOff,
    /// A key that does not type (EXE, EXIT, F1, arrows, DEL, AC, …).
    Control(PhysicalKey),
    /// A modifier changed; nothing else happens.
    ModifierChanged,
}

/// The SHIFT and ALPHA state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Modifiers {
    /// SHIFT was pressed and applies to the next key.
    pub shift: bool,
    /// The typing mode ALPHA cycles through.
    pub mode: TypingMode,
}

impl Modifiers {
    /// Turns a physical key into an [`Input`]. `letters_allowed` is false
    /// in PIN fields, where ALPHA does nothing and keys type digits.
    pub fn translate(&mut self, key: PhysicalKey, letters_allowed: bool) -> Input {
        if !letters_allowed {
            self.mode = TypingMode::Digits;
        }
        let shifted = core::mem::take(&mut self.shift);
        match key {
            PhysicalKey::Shift => {
                self.shift = !shifted;
                return Input::ModifierChanged;
            }
            PhysicalKey::Alpha if letters_allowed => {
                self.mode = match self.mode {
                    TypingMode::Digits => TypingMode::Capitals,
                    TypingMode::Capitals => TypingMode::SmallLetters,
                    TypingMode::SmallLetters => TypingMode::Digits,
                };
                return Input::ModifierChanged;
            }
            PhysicalKey::AcOn if shifted => return Input::PowerOff,
            _ => {}
        }
        // SHIFT has no other function here: a shifted key acts as itself.
        let character = match self.mode {
            TypingMode::Digits => key.symbol(),
            TypingMode::Capitals => key.letter(),
            TypingMode::SmallLetters => key.letter().map(|c| c.to_ascii_lowercase()),
        };
        match character {
            Some(character) => Input::Character(character),
            None => Input::Control(key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_positions_from_the_platform_table() {
        assert_eq!(PhysicalKey::from_matrix(3, 2), Some(PhysicalKey::Exe));
        assert_eq!(PhysicalKey::from_matrix(7, 0x0A), Some(PhysicalKey::F1));
        assert_eq!(PhysicalKey::from_matrix(2, 0x0A), Some(PhysicalKey::F6));
        assert_eq!(PhysicalKey::from_matrix(4, 9), Some(PhysicalKey::Menu));
        assert_eq!(PhysicalKey::from_matrix(4, 8), Some(PhysicalKey::Exit));
        assert_eq!(PhysicalKey::from_matrix(7, 2), Some(PhysicalKey::Digit(0)));
        assert_eq!(PhysicalKey::from_matrix(5, 5), Some(PhysicalKey::Digit(9)));
        assert_eq!(PhysicalKey::from_matrix(1, 1), Some(PhysicalKey::AcOn));
        assert_eq!(PhysicalKey::from_matrix(1, 2), None);
        assert_eq!(PhysicalKey::from_matrix(0, 0), None);
    }

    #[test]
    fn matrix_round_trips_for_every_key() {
        let mut seen = 0;
        for row in 0..=0x0B {
            for column in 0..=8 {
                if let Some(key) = PhysicalKey::from_matrix(column, row) {
                    assert_eq!(key.matrix(), (column, row));
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 50, "the fx-CG keypad has 50 keys");
    }

    #[test]
    fn every_letter_has_one_key() {
        let mut letters: Vec<u8> = Vec::new();
        for row in 1..=0x0A {
            for column in 1..=7 {
                if let Some(letter) =
                    PhysicalKey::from_matrix(column, row).and_then(PhysicalKey::letter)
                {
                    letters.push(letter);
                }
            }
        }
        letters.sort();
        let mut expected: Vec<u8> = (b'A'..=b'Z').collect();
        expected.insert(0, b' ');
        assert_eq!(letters, expected);
    }

    #[test]
    fn pin_fields_type_digits_and_ignore_alpha() {
        let mut modifiers = Modifiers::default();
        assert_eq!(
            modifiers.translate(PhysicalKey::Alpha, false),
            Input::Control(PhysicalKey::Alpha)
        );
        assert_eq!(
            modifiers.translate(PhysicalKey::Digit(7), false),
            Input::Character(b'7')
        );
        assert_eq!(
            modifiers.translate(PhysicalKey::Exe, false),
            Input::Control(PhysicalKey::Exe)
        );
    }

    #[test]
    fn alpha_cycles_capitals_small_letters_digits() {
        let mut modifiers = Modifiers::default();
        assert_eq!(
            modifiers.translate(PhysicalKey::Alpha, true),
            Input::ModifierChanged
        );
        assert_eq!(modifiers.mode.indicator(), "A");
        assert_eq!(
            modifiers.translate(PhysicalKey::Log, true),
            Input::Character(b'B')
        );
        assert_eq!(
            modifiers.translate(PhysicalKey::Dot, true),
            Input::Character(b' ')
        );
        modifiers.translate(PhysicalKey::Alpha, true);
        assert_eq!(
            modifiers.translate(PhysicalKey::Digit(0), true),
            Input::Character(b'z')
        );
        modifiers.translate(PhysicalKey::Alpha, true);
        assert_eq!(
            modifiers.translate(PhysicalKey::Digit(0), true),
            Input::Character(b'0')
        );
        // A PIN field resets the mode.
        modifiers.translate(PhysicalKey::Alpha, true);
        assert_eq!(
            modifiers.translate(PhysicalKey::Digit(1), false),
            Input::Character(b'1')
        );
        assert_eq!(modifiers.mode, TypingMode::Digits);
    }

    #[test]
    fn shift_ac_powers_off_and_shift_is_one_shot() {
        let mut modifiers = Modifiers::default();
        assert_eq!(
            modifiers.translate(PhysicalKey::Shift, false),
            Input::ModifierChanged
        );
        assert!(modifiers.shift);
        assert_eq!(
            modifiers.translate(PhysicalKey::AcOn, false),
            Input::PowerOff
        );
        assert!(!modifiers.shift);
        assert_eq!(
            modifiers.translate(PhysicalKey::AcOn, false),
            Input::Control(PhysicalKey::AcOn)
        );
        modifiers.translate(PhysicalKey::Shift, false);
        modifiers.translate(PhysicalKey::Shift, false);
        assert!(!modifiers.shift, "a second SHIFT cancels the first");
        modifiers.translate(PhysicalKey::Shift, false);
        assert_eq!(
            modifiers.translate(PhysicalKey::Digit(4), false),
            Input::Character(b'4')
        );
        assert!(!modifiers.shift);
    }

    #[test]
    fn letters_in_capital_mode_skip_keys_without_letters() {
        let mut modifiers = Modifiers {
            shift: false,
            mode: TypingMode::Capitals,
        };
        assert_eq!(
            modifiers.translate(PhysicalKey::Exe, true),
            Input::Control(PhysicalKey::Exe)
        );
        assert_eq!(
            modifiers.translate(PhysicalKey::Del, true),
            Input::Control(PhysicalKey::Del)
        );
    }
}
