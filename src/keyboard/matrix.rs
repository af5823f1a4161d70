//! Physical keys by position: the "PRGM" codes (column × 10 + row) that
//! `PRGM_GetKey_OS` and `GetKeyWait_OS` report and that locate a key in
//! the keyboard scanner's registers.

macro_rules! prgm_keys {
    ($( $(#[$doc:meta])* $name:ident = $code:expr, )*) => {
        /// A physical key, numbered by its "PRGM" code (column × 10 + row,
        /// docs/platform.md §3.5.3). Unlike [`super::Key`] it ignores SHIFT and
        /// ALPHA: it is the key itself.
        ///
        /// ```
        /// use prizm::keyboard::PrgmKey;
        /// assert_eq!(PrgmKey::from_code(31), Some(PrgmKey::Exe));
        /// assert_eq!(PrgmKey::Exe.code(), 31);
        /// assert_eq!(PrgmKey::from_matrix(7, 10), Some(PrgmKey::F1));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// from 0xA44B0000, bit in that word) (docs/platform.md §3.5.5).
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

/// Address of the keyboard scanner's key state words.
pub const KEY_SCAN_ADDRESS: usize = 0xA44B_0000;

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn codes_round_trip_and_are_unique() {
            assert_eq!(PrgmKey::ALL.len(), 50);
            for &key in PrgmKey::ALL {
                assert_eq!(PrgmKey::from_code(key.code()), Some(key));
                let (column, row) = key.matrix();
                assert_eq!(PrgmKey::from_matrix(column, row), Some(key));
            }
            assert_eq!(PrgmKey::from_code(0), None);
            assert_eq!(PrgmKey::from_code(99), None);
            assert_eq!(PrgmKey::from_matrix(0, 0), None);
            assert_eq!(PrgmKey::from_matrix(-5, 200), None);
        }
    }

    prizm_test! {
        fn matrix_codes_match_the_platform_table() {
            // 0xCCRR codes of docs/platform.md §3.5.3.
            let table = [(0x070A, PrgmKey::F1), (0x020A, PrgmKey::F6), (0x0409, PrgmKey::Menu),
                (0x0408, PrgmKey::Exit), (0x0405, PrgmKey::Del), (0x0302, PrgmKey::Exe),
                (0x0702, PrgmKey::Digit0), (0x0101, PrgmKey::AcOn), (0x0206, PrgmKey::Store)];
            for (matrix, key) in table {
                assert_eq!(PrgmKey::from_matrix(matrix >> 8, matrix & 0xFF), Some(key));
            }
        }
    }

    prizm_test! {
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
        }
    }

    prizm_test! {
        fn record_decoding() {
            let mut record = [0u8; 12];
            record[1] = 0x03;
            record[2] = 0x10;
            assert_eq!(PrgmKey::code_from_record(&record), 31);
        }
    }
}
