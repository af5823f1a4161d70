//! The calculator's 50 keys and their codes: matrix codes (`0xCCRR`, for
//! `GetKeyWait_OS`), "PRGM" codes (for `PRGM_GetKey` and the KEYSC
//! registers) and the codes `GetKey` returns, plain, after SHIFT and after
//! ALPHA (docs/platform.md §3.5).

use std::fmt;

/// A physical key.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[rustfmt::skip]
pub enum Key {
    F1, F2, F3, F4, F5, F6,
    Shift, Optn, Vars, Menu, Left, Up,
    Alpha, Square, Pow, Exit, Down, Right,
    Xtt, Log, Ln, Sin, Cos, Tan,
    Frac, Fd, LPar, RPar, Comma, Store,
    D7, D8, D9, Del,
    D4, D5, D6, Mul, Div,
    D1, D2, D3, Plus, Minus,
    D0, Dot, Exp, Neg, Exe,
    Ac,
}

/// `GetKey` codes of control keys (libfxcg `keyboard.h`).
#[allow(missing_docs)]
pub mod code {
    pub const XTT: u16 = 30001;
    pub const EXIT: u16 = 30002;
    pub const MENU: u16 = 30003;
    pub const EXE: u16 = 30004;
    pub const SHIFT: u16 = 30006;
    pub const ALPHA: u16 = 30007;
    pub const OPTN: u16 = 30008;
    pub const F1: u16 = 30009;
    pub const AC: u16 = 30015;
    pub const VARS: u16 = 30016;
    pub const UP: u16 = 30018;
    pub const LEFT: u16 = 30020;
    pub const RIGHT: u16 = 30021;
    pub const DOWN: u16 = 30023;
    pub const DEL: u16 = 30025;
    pub const FRACCNVRT: u16 = 30026;
    pub const PRGM: u16 = 30028;
    pub const QUIT: u16 = 30029;
    pub const INS: u16 = 30033;
    pub const PASTE: u16 = 30036;
    pub const SETUP: u16 = 30037;
    pub const FD: u16 = 30046;
    pub const CLIP: u16 = 30050;
    pub const PAGEUP: u16 = 30052;
    pub const PAGEDOWN: u16 = 30053;
    pub const MIXEDFRAC: u16 = 30054;
    pub const CAPTURE: u16 = 30055;
    pub const SHIFT_OPTN: u16 = 30059;
    pub const SHIFT_LEFT: u16 = 30062;
    pub const SHIFT_RIGHT: u16 = 30063;
    pub const CATALOG: u16 = 30100;
    pub const FORMAT: u16 = 30101;
}

struct KeyInfo {
    key: Key,
    /// Script names; the first is the canonical one.
    names: &'static [&'static str],
    /// Matrix code 0xCCRR.
    matrix: u16,
    /// `GetKey` code without modifiers (0 for SHIFT/ALPHA, handled by GetKey).
    plain: u16,
    /// After SHIFT (0: same as plain).
    shifted: u16,
    /// After ALPHA (0: same as plain).
    alpha: u16,
}

macro_rules! k {
    ($key:ident, [$($n:literal),+], $m:literal, $p:expr, $s:expr, $a:expr) => {
        KeyInfo { key: Key::$key, names: &[$($n),+], matrix: $m, plain: $p, shifted: $s, alpha: $a }
    };
}

#[rustfmt::skip]
static KEYS: [KeyInfo; 50] = [
    k!(F1, ["F1"], 0x070A, 30009, 0, 0),
    k!(F2, ["F2"], 0x060A, 30010, 0, 0),
    k!(F3, ["F3"], 0x050A, 30011, 0, 0),
    k!(F4, ["F4"], 0x040A, 30012, 0, 0),
    k!(F5, ["F5"], 0x030A, 30013, 0, 0),
    k!(F6, ["F6"], 0x020A, 30014, 0, 0),
    k!(Shift, ["SHIFT"], 0x0709, 0, 0, 0),
    k!(Optn, ["OPTN"], 0x0609, code::OPTN, code::SHIFT_OPTN, 0),
    k!(Vars, ["VARS"], 0x0509, code::VARS, code::PRGM, 0),
    k!(Menu, ["MENU"], 0x0409, code::MENU, code::SETUP, 0),
    k!(Left, ["LEFT"], 0x0309, code::LEFT, code::SHIFT_LEFT, 0),
    k!(Up, ["UP"], 0x0209, code::UP, code::PAGEUP, 0),
    k!(Alpha, ["ALPHA"], 0x0708, 0, 0, 0),
    k!(Square, ["SQUARE", "X2"], 0x0608, 0x8B, 0x86, 0xCD),
    k!(Pow, ["POW", "POWER", "CARET"], 0x0508, 0xA8, 0xB8, 0xCE),
    k!(Exit, ["EXIT"], 0x0408, code::EXIT, code::QUIT, 0),
    k!(Down, ["DOWN"], 0x0308, code::DOWN, code::PAGEDOWN, 0),
    k!(Right, ["RIGHT"], 0x0208, code::RIGHT, code::SHIFT_RIGHT, 0),
    k!(Xtt, ["XTT", "XOT"], 0x0707, code::XTT, 0x7F54, b'A' as u16),
    k!(Log, ["LOG"], 0x0607, 0x95, 0xB5, b'B' as u16),
    k!(Ln, ["LN"], 0x0507, 0x85, 0xA5, b'C' as u16),
    k!(Sin, ["SIN"], 0x0407, 0x81, 0x91, b'D' as u16),
    k!(Cos, ["COS"], 0x0307, 0x82, 0x92, b'E' as u16),
    k!(Tan, ["TAN"], 0x0207, 0x83, 0x93, b'F' as u16),
    k!(Frac, ["FRAC", "ABC"], 0x0706, 0xBB, code::MIXEDFRAC, b'G' as u16),
    k!(Fd, ["FD", "FTOD"], 0x0606, code::FRACCNVRT, code::FD, b'H' as u16),
    k!(LPar, ["LPAR", "("], 0x0506, 0x28, 0x96, b'I' as u16),
    k!(RPar, ["RPAR", ")"], 0x0406, 0x29, 0x9B, b'J' as u16),
    k!(Comma, ["COMMA", ","], 0x0306, 0x2C, 0, b'K' as u16),
    k!(Store, ["STORE", "STO"], 0x0206, 0x0E, 0, b'L' as u16),
    k!(D7, ["7"], 0x0705, 0x37, code::CAPTURE, b'M' as u16),
    k!(D8, ["8"], 0x0605, 0x38, code::CLIP, b'N' as u16),
    k!(D9, ["9"], 0x0505, 0x39, code::PASTE, b'O' as u16),
    k!(Del, ["DEL"], 0x0405, code::DEL, code::INS, 0),
    k!(D4, ["4"], 0x0704, 0x34, code::CATALOG, b'P' as u16),
    k!(D5, ["5"], 0x0604, 0x35, code::FORMAT, b'Q' as u16),
    k!(D6, ["6"], 0x0504, 0x36, 0, b'R' as u16),
    k!(Mul, ["MUL", "TIMES", "*"], 0x0404, 0xA9, 0x7B, b'S' as u16),
    k!(Div, ["DIV", "/"], 0x0304, 0xB9, 0x7D, b'T' as u16),
    k!(D1, ["1"], 0x0703, 0x31, 0x7F51, b'U' as u16),
    k!(D2, ["2"], 0x0603, 0x32, 0x7F40, b'V' as u16),
    k!(D3, ["3"], 0x0503, 0x33, 0, b'W' as u16),
    k!(Plus, ["PLUS", "+"], 0x0403, 0x89, 0x5B, b'X' as u16),
    k!(Minus, ["MINUS", "-"], 0x0303, 0x99, 0x5D, b'Y' as u16),
    k!(D0, ["0"], 0x0702, 0x30, 0x7F50, b'Z' as u16),
    k!(Dot, ["DOT", "."], 0x0602, 0x2E, 0x3D, 0x20),
    k!(Exp, ["EXP"], 0x0502, 0x0F, 0xD0, 0x22),
    k!(Neg, ["NEG", "(-)"], 0x0402, 0x87, 0xC0, 0),
    k!(Exe, ["EXE", "ENTER"], 0x0302, code::EXE, 0x0D, 0),
    k!(Ac, ["AC", "ACON", "AC/ON"], 0x0101, code::AC, 0, 0),
];

impl Key {
    /// All keys, in keyboard order.
    pub fn all() -> impl Iterator<Item = Key> {
        KEYS.iter().map(|info| info.key)
    }

    fn info(self) -> &'static KeyInfo {
        // KEYS is in declaration order.
        &KEYS[self as usize]
    }

    /// Looks a key up by its script name (case-insensitive).
    pub fn from_name(name: &str) -> Option<Key> {
        let upper = name.to_ascii_uppercase();
        KEYS.iter()
            .find(|info| info.names.contains(&upper.as_str()))
            .map(|info| info.key)
    }

    /// Canonical script name.
    pub fn name(self) -> &'static str {
        self.info().names[0]
    }

    /// All names a script may use.
    pub fn names() -> impl Iterator<Item = &'static str> {
        KEYS.iter().flat_map(|info| info.names.iter().copied())
    }

    /// Matrix code `0xCCRR` (column, row) as `GetKeyWait_OS` reports it.
    pub fn matrix_code(self) -> u16 {
        self.info().matrix
    }

    /// Matrix column (2..7, 1 for AC/ON).
    pub fn column(self) -> u8 {
        (self.info().matrix >> 8) as u8
    }

    /// Matrix row (1..10).
    pub fn row(self) -> u8 {
        self.info().matrix as u8
    }

    /// "PRGM" key code (`PRGM_GetKey`): column × 10 + row − 1.
    pub fn prgm_code(self) -> u8 {
        self.column() * 10 + self.row() - 1
    }

    /// The key with this matrix column and row.
    pub fn from_matrix(column: u8, row: u8) -> Option<Key> {
        let code = (u16::from(column) << 8) | u16::from(row);
        KEYS.iter()
            .find(|info| info.matrix == code)
            .map(|info| info.key)
    }

    /// KEYSC register word and bit showing this key.
    pub fn matrix_word_bit(self) -> (usize, u32) {
        let k = self.prgm_code();
        let row = k % 10;
        let col = k / 10 - 1;
        (
            usize::from(row >> 1),
            u32::from(col) + 8 * u32::from(row & 1),
        )
    }

    /// What `GetKey` returns for this key with the given modifier (0 for
    /// SHIFT and ALPHA, which `GetKey` handles itself).
    pub fn getkey_code(self, modifier: Modifier) -> u16 {
        let info = self.info();
        match modifier {
            Modifier::None => info.plain,
            Modifier::Shift if info.shifted != 0 => info.shifted,
            Modifier::Alpha | Modifier::AlphaLock if info.alpha != 0 => info.alpha,
            Modifier::LowerAlpha | Modifier::LowerAlphaLock if info.alpha != 0 => {
                let a = info.alpha;
                if (u16::from(b'A')..=u16::from(b'Z')).contains(&a) {
                    a + 0x20
                } else {
                    a
                }
            }
            _ => info.plain,
        }
    }

    /// The keys to press to type `c` (ALPHA first for letters), if any.
    pub fn for_char(c: char) -> Option<Vec<Key>> {
        let upper = c.to_ascii_uppercase();
        if let Some(d) = c.to_digit(10) {
            let digit = [
                Key::D0,
                Key::D1,
                Key::D2,
                Key::D3,
                Key::D4,
                Key::D5,
                Key::D6,
                Key::D7,
                Key::D8,
                Key::D9,
            ];
            return Some(vec![digit[d as usize]]);
        }
        let direct = match c {
            '.' => Some(Key::Dot),
            '+' => Some(Key::Plus),
            '-' => Some(Key::Minus),
            '*' => Some(Key::Mul),
            '/' => Some(Key::Div),
            '(' => Some(Key::LPar),
            ')' => Some(Key::RPar),
            ',' => Some(Key::Comma),
            '^' => Some(Key::Pow),
            '\n' => Some(Key::Exe),
            _ => None,
        };
        if let Some(key) = direct {
            return Some(vec![key]);
        }
        if upper.is_ascii_uppercase() || c == ' ' || c == '"' {
            let wanted = if c == ' ' {
                0x20
            } else if c == '"' {
                0x22
            } else {
                upper as u16
            };
            let key = KEYS.iter().find(|info| info.alpha == wanted)?.key;
            return Some(vec![Key::Alpha, key]);
        }
        None
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// SHIFT/ALPHA state, as setup entry 0x14 stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Modifier {
    /// No modifier (0).
    #[default]
    None,
    /// SHIFT (1).
    Shift,
    /// ALPHA for one key (4).
    Alpha,
    /// ALPHA lock (0x84).
    AlphaLock,
    /// Lower-case alpha (8).
    LowerAlpha,
    /// Lower-case alpha lock (0x88).
    LowerAlphaLock,
}

impl Modifier {
    /// The setup-entry 0x14 value.
    pub fn setup_value(self) -> u8 {
        match self {
            Modifier::None => 0,
            Modifier::Shift => 1,
            Modifier::Alpha => 4,
            Modifier::AlphaLock => 0x84,
            Modifier::LowerAlpha => 8,
            Modifier::LowerAlphaLock => 0x88,
        }
    }

    /// From a setup-entry 0x14 value (unknown values mean none).
    pub fn from_setup_value(value: u8) -> Modifier {
        match value {
            1 => Modifier::Shift,
            4 => Modifier::Alpha,
            0x84 => Modifier::AlphaLock,
            8 => Modifier::LowerAlpha,
            0x88 => Modifier::LowerAlphaLock,
            _ => Modifier::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order() {
        for (i, info) in KEYS.iter().enumerate() {
            assert_eq!(info.key as usize, i);
        }
    }

    #[test]
    fn prgm_codes_match_the_documented_table() {
        let expected = [
            (Key::F1, 79),
            (Key::F6, 29),
            (Key::Shift, 78),
            (Key::Optn, 68),
            (Key::Menu, 48),
            (Key::Alpha, 77),
            (Key::Exit, 47),
            (Key::Up, 28),
            (Key::Left, 38),
            (Key::Right, 27),
            (Key::Down, 37),
            (Key::Xtt, 76),
            (Key::D0, 71),
            (Key::D1, 72),
            (Key::D2, 62),
            (Key::D3, 52),
            (Key::D4, 73),
            (Key::D5, 63),
            (Key::D6, 53),
            (Key::D7, 74),
            (Key::D8, 64),
            (Key::D9, 54),
            (Key::Exe, 31),
            (Key::Ac, 10),
            (Key::Vars, 58),
        ];
        for (key, code) in expected {
            assert_eq!(key.prgm_code(), code, "{key}");
        }
    }

    #[test]
    fn matrix_words_follow_the_kesyc_layout() {
        // AC/ON: code 10 → row 0, col 0 → word 0, bit 0.
        assert_eq!(Key::Ac.matrix_word_bit(), (0, 0));
        // F1: code 79 → row 9, col 6 → word 4, bit 14.
        assert_eq!(Key::F1.matrix_word_bit(), (4, 14));
        // EXE: code 31 → row 1, col 2 → word 0, bit 10.
        assert_eq!(Key::Exe.matrix_word_bit(), (0, 10));
        let mut seen = std::collections::HashSet::new();
        for key in Key::all() {
            assert!(seen.insert(key.matrix_word_bit()), "{key} collides");
        }
    }

    #[test]
    fn names_and_codes() {
        assert_eq!(Key::from_name("exe"), Some(Key::Exe));
        assert_eq!(Key::from_name("AC/ON"), Some(Key::Ac));
        assert_eq!(Key::from_name("7"), Some(Key::D7));
        assert_eq!(Key::from_name("F7"), None);
        assert_eq!(Key::from_matrix(3, 2), Some(Key::Exe));
        assert_eq!(Key::Exe.getkey_code(Modifier::None), code::EXE);
        assert_eq!(Key::Exit.getkey_code(Modifier::Shift), code::QUIT);
        assert_eq!(Key::D7.getkey_code(Modifier::Alpha), u16::from(b'M'));
        assert_eq!(Key::D7.getkey_code(Modifier::LowerAlpha), u16::from(b'm'));
        assert_eq!(Key::for_char('a'), Some(vec![Key::Alpha, Key::Xtt]));
        assert_eq!(Key::for_char('5'), Some(vec![Key::D5]));
        assert_eq!(Key::for_char('~'), None);
        let names: Vec<_> = Key::names().collect();
        assert!(names.len() >= 50);
    }
}
