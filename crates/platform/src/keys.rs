//! The keyboard's facts: the codes `GetKey` returns ([`Key`]), the
//! physical keys by "PRGM" code ([`PrgmKey`]) with their matrix codes
//! (`0xCCRR`, as `GetKeyWait_OS` and `Keyboard_PutKeycode` number them) and
//! scanner bits, what each physical key types with SHIFT or ALPHA, and the
//! SHIFT/ALPHA state as setup entry 0x14 stores it ([`Modifier`]).

macro_rules! keys {
    ($( $(#[$doc:meta])* $name:ident = $code:expr, )*) => {
        /// A key as `GetKey` reports it: every control and character code of
        /// the OS (platform facts §3.3.2), letters as [`Key::Letter`], and
        /// anything unknown as [`Key::Other`].
        ///
        /// ```
        /// use prizm_platform::keys::Key;
        /// assert_eq!(Key::from_code(30002), Key::Exit);
        /// assert_eq!(Key::from_code(0x41), Key::Letter(b'A'));
        /// assert_eq!(Key::from_code(12345), Key::Other(12345));
        /// assert_eq!(Key::Exe.code(), 30004);
        /// assert!(Key::Exit == 30002);
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

macro_rules! prgm_keys {
    ($( $(#[$doc:meta])* $name:ident = $code:expr, )*) => {
        /// A physical key, numbered by its "PRGM" code (column × 10 + row,
        /// platform facts §3.3.3). Unlike [`Key`] it ignores SHIFT and
        /// ALPHA: it is the key itself.
        ///
        /// ```
        /// use prizm_platform::keys::PrgmKey;
        /// assert_eq!(PrgmKey::from_code(31), Some(PrgmKey::Exe));
        /// assert_eq!(PrgmKey::Exe.code(), 31);
        /// assert_eq!(PrgmKey::from_matrix(7, 10), Some(PrgmKey::F1));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum PrgmKey {
            $( $(#[$doc])* $name = $code, )*
        }

        impl PrgmKey {
            /// All keys of the keyboard.
            pub const ALL: &'static [PrgmKey] = &[$( PrgmKey::$name, )*];

            /// The key with this PRGM code, if there is one.
            pub const fn from_code(code: u8) -> Option<PrgmKey> {
                match code {
                    $( $code => Some(PrgmKey::$name), )*
                    _ => None,
                }
            }
        }
    };
}

prgm_keys! {
    /// F1.
    F1 = 79,
    /// F2.
    F2 = 69,
    /// F3.
    F3 = 59,
    /// F4.
    F4 = 49,
    /// F5.
    F5 = 39,
    /// F6.
    F6 = 29,
    /// SHIFT.
    Shift = 78,
    /// OPTN.
    Optn = 68,
    /// VARS.
    Vars = 58,
    /// MENU.
    Menu = 48,
    /// Cursor left.
    Left = 38,
    /// Cursor up.
    Up = 28,
    /// ALPHA.
    Alpha = 77,
    /// x².
    Square = 67,
    /// ^.
    Power = 57,
    /// EXIT.
    Exit = 47,
    /// Cursor down.
    Down = 37,
    /// Cursor right.
    Right = 27,
    /// X,θ,T.
    XThetaT = 76,
    /// log.
    Log = 66,
    /// ln.
    Ln = 56,
    /// sin.
    Sin = 46,
    /// cos.
    Cos = 36,
    /// tan.
    Tan = 26,
    /// a b/c.
    Fraction = 75,
    /// F↔D.
    FD = 65,
    /// (.
    LeftParen = 55,
    /// ).
    RightParen = 45,
    /// ,.
    Comma = 35,
    /// → (store).
    Store = 25,
    /// 7.
    Digit7 = 74,
    /// 8.
    Digit8 = 64,
    /// 9.
    Digit9 = 54,
    /// DEL.
    Del = 44,
    /// 4.
    Digit4 = 73,
    /// 5.
    Digit5 = 63,
    /// 6.
    Digit6 = 53,
    /// ×.
    Multiply = 43,
    /// ÷.
    Divide = 33,
    /// 1.
    Digit1 = 72,
    /// 2.
    Digit2 = 62,
    /// 3.
    Digit3 = 52,
    /// +.
    Plus = 42,
    /// −.
    Minus = 32,
    /// 0.
    Digit0 = 71,
    /// Decimal point.
    Dot = 61,
    /// EXP.
    Exp = 51,
    /// (−).
    Negate = 41,
    /// EXE.
    Exe = 31,
    /// AC/ON.
    AcOn = 10,
}

impl PrgmKey {
    /// The key's PRGM code.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The key at matrix position (`column`, `row`) as `GetKeyWait_OS` and
    /// `Keyboard_PutKeycode` number them (rows 1..=10, one more than the
    /// PRGM code's row).
    pub const fn from_matrix(column: i32, row: i32) -> Option<PrgmKey> {
        if column < 1 || column > 7 || row < 1 || row > 10 {
            return None;
        }
        PrgmKey::from_code((column * 10 + row - 1) as u8)
    }

    /// The key's matrix position (column, row) as `GetKeyWait_OS` numbers it.
    pub const fn matrix(self) -> (i32, i32) {
        let code = self.code() as i32;
        (code / 10, code % 10 + 1)
    }

    /// Where the keyboard scanner shows this key: (index of the 16-bit word
    /// from [`crate::memory::KEYSC_BASE`], bit in that word) (platform facts §3.3.5).
    pub const fn scan_position(self) -> (usize, u32) {
        let code = self.code() as u32;
        let row = code % 10;
        let column = code / 10 - 1;
        ((row >> 1) as usize, column + 8 * (row & 1))
    }

    /// The PRGM code in the 12-byte BCD record `PRGM_GetKey_OS` fills.
    pub const fn code_from_record(record: &[u8; 12]) -> u8 {
        (record[1] & 0x0F) * 10 + ((record[2] & 0xF0) >> 4)
    }
}

impl PrgmKey {
    /// The matrix code `0xCCRR` (column in the high byte, row in the low
    /// byte) that `GetKeyWait_OS` reports for this key.
    pub const fn matrix_code(self) -> u16 {
        let (column, row) = self.matrix();
        ((column as u16) << 8) | row as u16
    }

    /// The key with matrix code `0xCCRR`, if there is one.
    pub const fn from_matrix_code(code: u16) -> Option<PrgmKey> {
        PrgmKey::from_matrix((code >> 8) as i32, (code & 0xFF) as i32)
    }

    /// The 12-byte BCD record `PRGM_GetKey_OS` fills for this key held down
    /// (tens of the code in byte 1, units in the high nibble of byte 2).
    pub const fn record(self) -> [u8; 12] {
        let code = self.code();
        let mut record = [0u8; 12];
        record[1] = code / 10;
        record[2] = (code % 10) << 4;
        record
    }

    /// What this key types with the OS's `GetKey`: (plain, after SHIFT,
    /// after ALPHA); `None` where the modifier changes nothing. SHIFT and
    /// ALPHA themselves report [`Key::Nop`]: `GetKey` consumes them as
    /// modifiers (platform facts §3.3.2, §3.3.6).
    pub const fn typed(self) -> (Key, Option<Key>, Option<Key>) {
        use Key as K;
        const fn letter(byte: u8) -> Option<Key> {
            Some(Key::Letter(byte))
        }
        match self {
            PrgmKey::F1 => (K::F1, None, None),
            PrgmKey::F2 => (K::F2, None, None),
            PrgmKey::F3 => (K::F3, None, None),
            PrgmKey::F4 => (K::F4, None, None),
            PrgmKey::F5 => (K::F5, None, None),
            PrgmKey::F6 => (K::F6, None, None),
            PrgmKey::Shift | PrgmKey::Alpha => (K::Nop, None, None),
            PrgmKey::Optn => (K::Optn, Some(K::ShiftOptn), None),
            PrgmKey::Vars => (K::Vars, Some(K::Prgm), None),
            PrgmKey::Menu => (K::Menu, Some(K::Setup), None),
            PrgmKey::Left => (K::Left, Some(K::ShiftLeft), None),
            PrgmKey::Up => (K::Up, Some(K::PageUp), None),
            PrgmKey::Square => (K::Square, Some(K::SquareRoot), Some(K::ValueR)),
            PrgmKey::Power => (K::Power, Some(K::NthRoot), Some(K::Theta)),
            PrgmKey::Exit => (K::Exit, Some(K::Quit), None),
            PrgmKey::Down => (K::Down, Some(K::PageDown), None),
            PrgmKey::Right => (K::Right, Some(K::ShiftRight), None),
            PrgmKey::XThetaT => (K::XThetaT, Some(K::Angle), letter(b'A')),
            PrgmKey::Log => (K::Log, Some(K::TenPower), letter(b'B')),
            PrgmKey::Ln => (K::Ln, Some(K::ExpPower), letter(b'C')),
            PrgmKey::Sin => (K::Sin, Some(K::ArcSin), letter(b'D')),
            PrgmKey::Cos => (K::Cos, Some(K::ArcCos), letter(b'E')),
            PrgmKey::Tan => (K::Tan, Some(K::ArcTan), letter(b'F')),
            PrgmKey::Fraction => (K::Fraction, Some(K::MixedFrac), letter(b'G')),
            PrgmKey::FD => (K::FracConvert, Some(K::FD), letter(b'H')),
            PrgmKey::LeftParen => (K::LeftParen, Some(K::CubeRoot), letter(b'I')),
            PrgmKey::RightParen => (K::RightParen, Some(K::Reciprocal), letter(b'J')),
            PrgmKey::Comma => (K::Comma, None, letter(b'K')),
            PrgmKey::Store => (K::Store, None, letter(b'L')),
            PrgmKey::Digit7 => (K::Digit7, Some(K::Capture), letter(b'M')),
            PrgmKey::Digit8 => (K::Digit8, Some(K::Clip), letter(b'N')),
            PrgmKey::Digit9 => (K::Digit9, Some(K::Paste), letter(b'O')),
            PrgmKey::Del => (K::Del, Some(K::Ins), None),
            PrgmKey::Digit4 => (K::Digit4, Some(K::Catalog), letter(b'P')),
            PrgmKey::Digit5 => (K::Digit5, Some(K::Format), letter(b'Q')),
            PrgmKey::Digit6 => (K::Digit6, None, letter(b'R')),
            PrgmKey::Multiply => (K::Multiply, Some(K::LeftBrace), letter(b'S')),
            PrgmKey::Divide => (K::Divide, Some(K::RightBrace), letter(b'T')),
            PrgmKey::Digit1 => (K::Digit1, Some(K::List), letter(b'U')),
            PrgmKey::Digit2 => (K::Digit2, Some(K::Matrix), letter(b'V')),
            PrgmKey::Digit3 => (K::Digit3, None, letter(b'W')),
            PrgmKey::Plus => (K::Plus, Some(K::LeftBracket), letter(b'X')),
            PrgmKey::Minus => (K::Minus, Some(K::RightBracket), letter(b'Y')),
            PrgmKey::Digit0 => (K::Digit0, Some(K::Imaginary), letter(b'Z')),
            PrgmKey::Dot => (K::Dot, Some(K::Equal), Some(K::Space)),
            PrgmKey::Exp => (K::Exp, Some(K::Pi), Some(K::DoubleQuote)),
            PrgmKey::Negate => (K::Negate, Some(K::Ans), None),
            PrgmKey::Exe => (K::Exe, Some(K::CarriageReturn), None),
            PrgmKey::AcOn => (K::Ac, None, None),
        }
    }

    /// What `GetKey` returns for this key pressed in state `modifier`.
    pub const fn get_key(self, modifier: Modifier) -> Key {
        let (plain, shifted, alpha) = self.typed();
        match (modifier, shifted, alpha) {
            (Modifier::Shift, Some(key), _) => key,
            (Modifier::Alpha | Modifier::AlphaLock, _, Some(key)) => key,
            (Modifier::LowerAlpha | Modifier::LowerAlphaLock, _, Some(key)) => match key {
                Key::Letter(byte) => Key::Letter(byte.to_ascii_lowercase()),
                other => other,
            },
            _ => plain,
        }
    }
}

/// The SHIFT/ALPHA state, as setup entry [`MODIFIER_SETUP_INDEX`] stores it
/// (platform facts §3.3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Modifier {
    /// Neither (0).
    #[default]
    None,
    /// SHIFT is active (1).
    Shift,
    /// ALPHA for one key (4).
    Alpha,
    /// ALPHA locked (0x84).
    AlphaLock,
    /// Lower-case alpha for one key (8).
    LowerAlpha,
    /// Lower-case alpha locked (0x88).
    LowerAlphaLock,
    /// A value this enum does not know; kept as is.
    Other(u8),
}

/// The setup entry (`GetSetupSetting`) that holds the SHIFT/ALPHA state.
pub const MODIFIER_SETUP_INDEX: u32 = 0x14;

impl Modifier {
    /// The modifier for a setup-entry value.
    pub const fn from_setting(value: u8) -> Modifier {
        match value {
            0x00 => Modifier::None,
            0x01 => Modifier::Shift,
            0x04 => Modifier::Alpha,
            0x84 => Modifier::AlphaLock,
            0x08 => Modifier::LowerAlpha,
            0x88 => Modifier::LowerAlphaLock,
            other => Modifier::Other(other),
        }
    }

    /// The setup-entry value of this modifier.
    pub const fn setting(self) -> u8 {
        match self {
            Modifier::None => 0x00,
            Modifier::Shift => 0x01,
            Modifier::Alpha => 0x04,
            Modifier::AlphaLock => 0x84,
            Modifier::LowerAlpha => 0x08,
            Modifier::LowerAlphaLock => 0x88,
            Modifier::Other(value) => value,
        }
    }

    /// True for any alpha mode.
    pub const fn is_alpha(self) -> bool {
        matches!(
            self,
            Modifier::Alpha | Modifier::AlphaLock | Modifier::LowerAlpha | Modifier::LowerAlphaLock
        )
    }

    /// The state `GetKey` leaves when `key` is pressed in this one: SHIFT
    /// toggles; ALPHA after SHIFT locks alpha, in an alpha mode ends it,
    /// else starts it for one key; any other key ends a one-key SHIFT or
    /// ALPHA (a lock stays).
    pub const fn after(self, key: PrgmKey) -> Modifier {
        match (key, self) {
            (PrgmKey::Shift, Modifier::Shift) => Modifier::None,
            (PrgmKey::Shift, _) => Modifier::Shift,
            (PrgmKey::Alpha, Modifier::Shift) => Modifier::AlphaLock,
            (PrgmKey::Alpha, Modifier::None | Modifier::Other(_)) => Modifier::Alpha,
            (PrgmKey::Alpha, _) => Modifier::None,
            (_, Modifier::Shift | Modifier::Alpha | Modifier::LowerAlpha) => Modifier::None,
            (_, other) => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getkey_modifier_transitions() {
        use Modifier as M;
        assert_eq!(M::None.after(PrgmKey::Shift), M::Shift);
        assert_eq!(M::Shift.after(PrgmKey::Shift), M::None);
        assert_eq!(M::AlphaLock.after(PrgmKey::Shift), M::Shift);
        assert_eq!(M::Shift.after(PrgmKey::Alpha), M::AlphaLock);
        assert_eq!(M::None.after(PrgmKey::Alpha), M::Alpha);
        assert_eq!(M::LowerAlphaLock.after(PrgmKey::Alpha), M::None);
        assert_eq!(M::Shift.after(PrgmKey::Left), M::None);
        assert_eq!(M::LowerAlpha.after(PrgmKey::Digit3), M::None);
        assert_eq!(M::AlphaLock.after(PrgmKey::Digit3), M::AlphaLock);
        assert_eq!(M::None.after(PrgmKey::Exe), M::None);
    }

    #[test]
    fn every_named_key_round_trips() {
        for &key in Key::NAMED {
            assert_eq!(Key::from_code(key.code()), key, "{key:?}");
        }
        // 46 control codes and 54 character codes in platform facts §3.3.2.
        assert_eq!(Key::NAMED.len(), 46 + 54);
    }

    #[test]
    fn named_codes_are_unique() {
        for (i, a) in Key::NAMED.iter().enumerate() {
            for b in &Key::NAMED[i + 1..] {
                assert_ne!(a.code(), b.code(), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
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

    #[test]
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

    #[test]
    fn prgm_codes_round_trip_and_are_unique() {
        assert_eq!(PrgmKey::ALL.len(), 50);
        for &key in PrgmKey::ALL {
            assert_eq!(PrgmKey::from_code(key.code()), Some(key));
            let (column, row) = key.matrix();
            assert_eq!(PrgmKey::from_matrix(column, row), Some(key));
            assert_eq!(PrgmKey::from_matrix_code(key.matrix_code()), Some(key));
            assert_eq!(PrgmKey::code_from_record(&key.record()), key.code());
        }
        assert_eq!(PrgmKey::from_code(0), None);
        assert_eq!(PrgmKey::from_code(99), None);
        assert_eq!(PrgmKey::from_matrix(0, 0), None);
        assert_eq!(PrgmKey::from_matrix(-5, 200), None);
        assert_eq!(PrgmKey::from_matrix_code(0x0000), None);
        assert_eq!(PrgmKey::from_matrix_code(0xFFFF), None);
    }

    #[test]
    fn matrix_codes_match_the_platform_table() {
        // 0xCCRR codes of platform facts §3.3.4.
        let table = [
            (0x070A, PrgmKey::F1),
            (0x020A, PrgmKey::F6),
            (0x0409, PrgmKey::Menu),
            (0x0408, PrgmKey::Exit),
            (0x0405, PrgmKey::Del),
            (0x0302, PrgmKey::Exe),
            (0x0702, PrgmKey::Digit0),
            (0x0101, PrgmKey::AcOn),
            (0x0206, PrgmKey::Store),
            (0x0608, PrgmKey::Square),
        ];
        for (matrix, key) in table {
            assert_eq!(key.matrix_code(), matrix, "{key:?}");
            assert_eq!(PrgmKey::from_matrix_code(matrix), Some(key));
        }
        // PRGM codes of platform facts §3.3.3.
        let prgm = [
            (PrgmKey::F1, 79),
            (PrgmKey::Shift, 78),
            (PrgmKey::Exe, 31),
            (PrgmKey::AcOn, 10),
            (PrgmKey::Vars, 58),
            (PrgmKey::Digit0, 71),
        ];
        for (key, code) in prgm {
            assert_eq!(key.code(), code, "{key:?}");
        }
    }

    #[test]
    fn scan_positions_are_distinct_and_in_range() {
        for (i, a) in PrgmKey::ALL.iter().enumerate() {
            let (word, bit) = a.scan_position();
            assert!(word < 6 && bit < 16, "{a:?}");
            for b in &PrgmKey::ALL[i + 1..] {
                assert_ne!(a.scan_position(), b.scan_position());
            }
        }
        assert_eq!(PrgmKey::AcOn.scan_position(), (0, 0));
        assert_eq!(PrgmKey::F1.scan_position(), (4, 6 + 8));
        assert_eq!(PrgmKey::Exe.scan_position(), (0, 10));
    }

    #[test]
    fn typed_keys_follow_the_modifiers() {
        assert_eq!(PrgmKey::Exe.get_key(Modifier::None), Key::Exe);
        assert_eq!(PrgmKey::Exit.get_key(Modifier::Shift), Key::Quit);
        assert_eq!(PrgmKey::Digit7.get_key(Modifier::Alpha), Key::Letter(b'M'));
        assert_eq!(
            PrgmKey::Digit7.get_key(Modifier::LowerAlphaLock),
            Key::Letter(b'm')
        );
        assert_eq!(PrgmKey::Dot.get_key(Modifier::LowerAlpha), Key::Space);
        assert_eq!(PrgmKey::Comma.get_key(Modifier::Shift), Key::Comma);
        assert_eq!(PrgmKey::Shift.get_key(Modifier::None), Key::Nop);
        // Every letter is typed by exactly one key, and every plain code
        // except SHIFT's and ALPHA's is distinct.
        for letter in b'A'..=b'Z' {
            let typing = PrgmKey::ALL
                .iter()
                .filter(|k| k.typed().2 == Some(Key::Letter(letter)));
            assert_eq!(typing.count(), 1, "{}", letter as char);
        }
        for (i, a) in PrgmKey::ALL.iter().enumerate() {
            for b in &PrgmKey::ALL[i + 1..] {
                if a.typed().0 != Key::Nop {
                    assert_ne!(a.typed().0, b.typed().0, "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn record_decoding() {
        let mut record = [0u8; 12];
        record[1] = 0x03;
        record[2] = 0x10;
        assert_eq!(PrgmKey::code_from_record(&record), 31);
        assert_eq!(PrgmKey::Exe.record(), record);
    }

    #[test]
    fn modifier_settings_round_trip() {
        for value in 0..=255u8 {
            assert_eq!(Modifier::from_setting(value).setting(), value);
        }
        assert_eq!(Modifier::from_setting(0x84), Modifier::AlphaLock);
        assert_eq!(Modifier::from_setting(0x55), Modifier::Other(0x55));
        assert!(Modifier::AlphaLock.is_alpha());
        assert!(!Modifier::Shift.is_alpha());
    }
}
