//! The key codes `GetKey` returns, as one enum.

macro_rules! keys {
    ($( $(#[$doc:meta])* $name:ident = $code:expr, )*) => {
        /// A key as `GetKey` reports it: every control and character code of
        /// the OS (docs/platform.md §3.5.2), letters as [`Key::Letter`], and
        /// anything unknown as [`Key::Other`].
        ///
        /// ```
        /// use prizm::keyboard::Key;
        /// assert_eq!(Key::from_code(30002), Key::Exit);
        /// assert_eq!(Key::from_code(0x41), Key::Letter(b'A'));
        /// assert_eq!(Key::from_code(12345), Key::Other(12345));
        /// assert_eq!(Key::Exe.code(), 30004);
        /// assert!(Key::Exit == prizm::keyboard::KEY_EXIT);
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key {
            $( $(#[$doc])* $name, )*
            /// A letter, A–Z (or a–z in lower-case alpha mode), as its ASCII byte.
            Letter(u8),
            /// A code this enum does not name; kept as is.
            Other(i32),
        }

        impl Key {
            /// Every named key (without `Letter` and `Other`).
            pub const NAMED: &'static [Key] = &[$( Key::$name, )*];

            /// The key for a `GetKey` code; never fails.
            pub const fn from_code(code: i32) -> Key {
                match code {
                    $( $code => Key::$name, )*
                    0x41..=0x5A | 0x61..=0x7A => Key::Letter(code as u8),
                    _ => Key::Other(code),
                }
            }

            /// The `GetKey` code of this key.
            pub const fn code(self) -> i32 {
                match self {
                    $( Key::$name => $code, )*
                    Key::Letter(byte) => byte as i32,
                    Key::Other(code) => code,
                }
            }
        }
    };
}

keys! {
    /// No key (`KEY_CTRL_NOP`).
    Nop = 0,
    /// X,θ,T.
    XThetaT = 30001,
    /// EXIT.
    Exit = 30002,
    /// MENU (only reported while MENU is disabled).
    Menu = 30003,
    /// EXE.
    Exe = 30004,
    /// SHIFT.
    Shift = 30006,
    /// ALPHA.
    Alpha = 30007,
    /// OPTN.
    Optn = 30008,
    /// F1.
    F1 = 30009,
    /// F2.
    F2 = 30010,
    /// F3.
    F3 = 30011,
    /// F4.
    F4 = 30012,
    /// F5.
    F5 = 30013,
    /// F6.
    F6 = 30014,
    /// AC/ON.
    Ac = 30015,
    /// VARS.
    Vars = 30016,
    /// Cursor up.
    Up = 30018,
    /// Cursor left.
    Left = 30020,
    /// Cursor right.
    Right = 30021,
    /// Cursor down.
    Down = 30023,
    /// DEL.
    Del = 30025,
    /// Fraction conversion.
    FracConvert = 30026,
    /// PRGM (SHIFT VARS).
    Prgm = 30028,
    /// QUIT (SHIFT EXIT).
    Quit = 30029,
    /// INS (SHIFT DEL).
    Ins = 30033,
    /// PASTE (SHIFT 9).
    Paste = 30036,
    /// SET UP (SHIFT MENU).
    Setup = 30037,
    /// Clip mode, up.
    ClipUp = 30041,
    /// Clip mode, left.
    ClipLeft = 30042,
    /// Clip mode, right.
    ClipRight = 30043,
    /// Clip mode, down.
    ClipDown = 30044,
    /// UNDO.
    Undo = 30045,
    /// F↔D.
    FD = 30046,
    /// CLIP (SHIFT 8).
    Clip = 30050,
    /// Page up (SHIFT up).
    PageUp = 30052,
    /// Page down (SHIFT down).
    PageDown = 30053,
    /// Mixed fraction.
    MixedFrac = 30054,
    /// CAPTURE (SHIFT 7).
    Capture = 30055,
    /// SHIFT OPTN.
    ShiftOptn = 30059,
    /// Reserved 1.
    Reserve1 = 30060,
    /// Reserved 2.
    Reserve2 = 30061,
    /// SHIFT left.
    ShiftLeft = 30062,
    /// SHIFT right.
    ShiftRight = 30063,
    /// ALPHA minus.
    AlphaMinus = 30070,
    /// CATALOG (SHIFT 4).
    Catalog = 30100,
    /// FORMAT.
    Format = 30101,
    /// 0.
    Digit0 = 0x30,
    /// 1.
    Digit1 = 0x31,
    /// 2.
    Digit2 = 0x32,
    /// 3.
    Digit3 = 0x33,
    /// 4.
    Digit4 = 0x34,
    /// 5.
    Digit5 = 0x35,
    /// 6.
    Digit6 = 0x36,
    /// 7.
    Digit7 = 0x37,
    /// 8.
    Digit8 = 0x38,
    /// 9.
    Digit9 = 0x39,
    /// Decimal point.
    Dot = 0x2E,
    /// EXP (×10^).
    Exp = 0x0F,
    /// (−), the negative sign.
    Negate = 0x87,
    /// +.
    Plus = 0x89,
    /// −.
    Minus = 0x99,
    /// ×.
    Multiply = 0xA9,
    /// ÷.
    Divide = 0xB9,
    /// Fraction bar.
    Fraction = 0xBB,
    /// (.
    LeftParen = 0x28,
    /// ).
    RightParen = 0x29,
    /// ,.
    Comma = 0x2C,
    /// → (store).
    Store = 0x0E,
    /// log.
    Log = 0x95,
    /// ln.
    Ln = 0x85,
    /// sin.
    Sin = 0x81,
    /// cos.
    Cos = 0x82,
    /// tan.
    Tan = 0x83,
    /// x².
    Square = 0x8B,
    /// ^.
    Power = 0xA8,
    /// i (imaginary unit).
    Imaginary = 0x7F50,
    /// List.
    List = 0x7F51,
    /// Mat.
    Matrix = 0x7F40,
    /// =.
    Equal = 0x3D,
    /// π.
    Pi = 0xD0,
    /// Ans.
    Ans = 0xC0,
    /// [.
    LeftBracket = 0x5B,
    /// ].
    RightBracket = 0x5D,
    /// {.
    LeftBrace = 0x7B,
    /// }.
    RightBrace = 0x7D,
    /// New line.
    CarriageReturn = 0x0D,
    /// ∛.
    CubeRoot = 0x96,
    /// x⁻¹.
    Reciprocal = 0x9B,
    /// ∠.
    Angle = 0x7F54,
    /// 10^x.
    TenPower = 0xB5,
    /// e^x.
    ExpPower = 0xA5,
    /// sin⁻¹.
    ArcSin = 0x91,
    /// cos⁻¹.
    ArcCos = 0x92,
    /// tan⁻¹.
    ArcTan = 0x93,
    /// √.
    SquareRoot = 0x86,
    /// x-th root.
    NthRoot = 0xB8,
    /// Space.
    Space = 0x20,
    /// ".
    DoubleQuote = 0x22,
    /// r (value).
    ValueR = 0xCD,
    /// θ.
    Theta = 0xCE,
}

impl Key {
    /// True for character keys (`GetKey` returned 1: codes below 30000).
    pub const fn is_character(self) -> bool {
        let code = self.code();
        code > 0 && code < 30000
    }

    /// The digit 0–9 this key types, if it is a digit key.
    pub const fn digit(self) -> Option<u8> {
        match self.code() {
            code @ 0x30..=0x39 => Some((code - 0x30) as u8),
            _ => None,
        }
    }

    /// The ASCII character this key types, if it types one (digits,
    /// letters, space, `. , + - * / = ( ) [ ] { } "`).
    pub const fn as_char(self) -> Option<char> {
        Some(match self {
            Key::Letter(byte) if byte.is_ascii_alphabetic() => byte as char,
            Key::Space => ' ',
            Key::Dot => '.',
            Key::Comma => ',',
            Key::Plus => '+',
            Key::Minus | Key::Negate => '-',
            Key::Multiply => '*',
            Key::Divide => '/',
            Key::Equal => '=',
            Key::LeftParen => '(',
            Key::RightParen => ')',
            Key::LeftBracket => '[',
            Key::RightBracket => ']',
            Key::LeftBrace => '{',
            Key::RightBrace => '}',
            Key::DoubleQuote => '"',
            _ => match self.digit() {
                Some(digit) => (b'0' + digit) as char,
                None => return None,
            },
        })
    }

    /// Which of F1–F6 this is (0–5).
    pub const fn function_index(self) -> Option<usize> {
        match self.code() {
            code @ 30009..=30014 => Some((code - 30009) as usize),
            _ => None,
        }
    }
}

impl From<i32> for Key {
    fn from(code: i32) -> Key {
        Key::from_code(code)
    }
}

impl From<Key> for i32 {
    fn from(key: Key) -> i32 {
        key.code()
    }
}

/// Lets old code compare with the `KEY_*` constants: `get_key() == KEY_EXIT`.
impl PartialEq<i32> for Key {
    fn eq(&self, code: &i32) -> bool {
        self.code() == *code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn every_named_key_round_trips() {
            for &key in Key::NAMED {
                assert_eq!(Key::from_code(key.code()), key, "{key:?}");
            }
            // 46 control codes and 54 character codes in docs/platform.md §3.5.2.
            assert_eq!(Key::NAMED.len(), 46 + 54);
        }
    }

    prizm_test! {
        fn named_codes_are_unique() {
            for (i, a) in Key::NAMED.iter().enumerate() {
                for b in &Key::NAMED[i + 1..] {
                    assert_ne!(a.code(), b.code(), "{a:?} and {b:?}");
                }
            }
        }
    }

    prizm_test! {
        fn unknown_and_letter_codes() {
            for code in [-1, 1, 29999, 30005, 30200, i32::MIN, i32::MAX, 0x7F00] {
                assert_eq!(Key::from_code(code), Key::Other(code));
                assert_eq!(Key::from_code(code).code(), code);
            }
            for code in (0x41..=0x5A).chain(0x61..=0x7A) {
                assert_eq!(Key::from_code(code), Key::Letter(code as u8));
                assert_eq!(Key::from_code(code).code(), code);
            }
        }
    }

    prizm_test! {
        fn characters_and_digits() {
            assert_eq!(Key::Digit7.digit(), Some(7));
            assert_eq!(Key::Digit7.as_char(), Some('7'));
            assert_eq!(Key::Letter(b'q').as_char(), Some('q'));
            assert_eq!(Key::Negate.as_char(), Some('-'));
            assert_eq!(Key::Sin.as_char(), None);
            assert_eq!(Key::Exe.as_char(), None);
            assert!(Key::Sin.is_character());
            assert!(!Key::Exe.is_character());
            assert!(!Key::Nop.is_character());
            assert_eq!(Key::F4.function_index(), Some(3));
            assert_eq!(Key::Exe.function_index(), None);
            assert!(Key::Exit == 30002);
        }
    }
}
