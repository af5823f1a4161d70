//! The calculator's 50 keys as the emulator's scripts and front ends name
//! them. The keys themselves and their codes (matrix, PRGM, `GetKey` with
//! SHIFT/ALPHA) are platform facts: [`prizm_platform::keys`]
//! (docs/platform.md §3.5).

pub use prizm_platform::keys::{Key as KeyCode, Modifier, PrgmKey as Key};

/// Script names of the physical keys, and typing text with them.
pub trait KeyNames: Sized {
    /// Script names; the first is the canonical one.
    fn script_names(self) -> &'static [&'static str];
    /// Canonical script name.
    fn name(self) -> &'static str {
        self.script_names()[0]
    }
    /// Looks a key up by its script name (case-insensitive).
    fn from_name(name: &str) -> Option<Self>;
    /// All names a script may use.
    fn names() -> impl Iterator<Item = &'static str>;
    /// The keys to press to type `c` (ALPHA first for letters), if any.
    fn for_char(c: char) -> Option<Vec<Self>>;
}

impl KeyNames for Key {
    fn script_names(self) -> &'static [&'static str] {
        match self {
            Key::F1 => &["F1"],
            Key::F2 => &["F2"],
            Key::F3 => &["F3"],
            Key::F4 => &["F4"],
            Key::F5 => &["F5"],
            Key::F6 => &["F6"],
            Key::Shift => &["SHIFT"],
            Key::Optn => &["OPTN"],
            Key::Vars => &["VARS"],
            Key::Menu => &["MENU"],
            Key::Left => &["LEFT"],
            Key::Up => &["UP"],
            Key::Alpha => &["ALPHA"],
            Key::Square => &["SQUARE", "X2"],
            Key::Power => &["POW", "POWER", "CARET"],
            Key::Exit => &["EXIT"],
            Key::Down => &["DOWN"],
            Key::Right => &["RIGHT"],
            Key::XThetaT => &["XTT", "XOT"],
            Key::Log => &["LOG"],
            Key::Ln => &["LN"],
            Key::Sin => &["SIN"],
            Key::Cos => &["COS"],
            Key::Tan => &["TAN"],
            Key::Fraction => &["FRAC", "ABC"],
            Key::FD => &["FD", "FTOD"],
            Key::LeftParen => &["LPAR", "("],
            Key::RightParen => &["RPAR", ")"],
            Key::Comma => &["COMMA", ","],
            Key::Store => &["STORE", "STO"],
            Key::Digit7 => &["7"],
            Key::Digit8 => &["8"],
            Key::Digit9 => &["9"],
            Key::Del => &["DEL"],
            Key::Digit4 => &["4"],
            Key::Digit5 => &["5"],
            Key::Digit6 => &["6"],
            Key::Multiply => &["MUL", "TIMES", "*"],
            Key::Divide => &["DIV", "/"],
            Key::Digit1 => &["1"],
            Key::Digit2 => &["2"],
            Key::Digit3 => &["3"],
            Key::Plus => &["PLUS", "+"],
            Key::Minus => &["MINUS", "-"],
            Key::Digit0 => &["0"],
            Key::Dot => &["DOT", "."],
            Key::Exp => &["EXP"],
            Key::Negate => &["NEG", "(-)"],
            Key::Exe => &["EXE", "ENTER"],
            Key::AcOn => &["AC", "ACON", "AC/ON"],
        }
    }

    fn from_name(name: &str) -> Option<Key> {
        let upper = name.to_ascii_uppercase();
        Key::ALL
            .iter()
            .copied()
            .find(|key| key.script_names().contains(&upper.as_str()))
    }

    fn names() -> impl Iterator<Item = &'static str> {
        Key::ALL
            .iter()
            .flat_map(|key| key.script_names().iter().copied())
    }

    fn for_char(c: char) -> Option<Vec<Key>> {
        if let Some(digit) = c.to_digit(10) {
            let typed = KeyCode::from_code(0x30 + digit as i32);
            return Key::ALL
                .iter()
                .copied()
                .find(|key| key.typed().0 == typed)
                .map(|key| vec![key]);
        }
        let direct = match c {
            '.' => Some(Key::Dot),
            '+' => Some(Key::Plus),
            '-' => Some(Key::Minus),
            '*' => Some(Key::Multiply),
            '/' => Some(Key::Divide),
            '(' => Some(Key::LeftParen),
            ')' => Some(Key::RightParen),
            ',' => Some(Key::Comma),
            '^' => Some(Key::Power),
            '\n' => Some(Key::Exe),
            _ => None,
        };
        if let Some(key) = direct {
            return Some(vec![key]);
        }
        let wanted = match c {
            ' ' => KeyCode::Space,
            '"' => KeyCode::DoubleQuote,
            c if c.is_ascii_alphabetic() => KeyCode::Letter(c.to_ascii_uppercase() as u8),
            _ => return None,
        };
        let key = Key::ALL
            .iter()
            .copied()
            .find(|key| key.typed().2 == Some(wanted))?;
        Some(vec![Key::Alpha, key])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_names_are_unique() {
        let names: Vec<_> = Key::names().collect();
        for (i, a) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(a), "{a}");
        }
        assert!(names.len() >= 50);
    }

    #[test]
    fn names_and_typing() {
        assert_eq!(Key::from_name("exe"), Some(Key::Exe));
        assert_eq!(Key::from_name("AC/ON"), Some(Key::AcOn));
        assert_eq!(Key::from_name("7"), Some(Key::Digit7));
        assert_eq!(Key::from_name("F7"), None);
        assert_eq!(Key::Exe.name(), "EXE");
        assert_eq!(Key::for_char('a'), Some(vec![Key::Alpha, Key::XThetaT]));
        assert_eq!(Key::for_char('5'), Some(vec![Key::Digit5]));
        assert_eq!(Key::for_char(' '), Some(vec![Key::Alpha, Key::Dot]));
        assert_eq!(Key::for_char('~'), None);
        assert_eq!(Key::for_char('é'), None);
    }
}
