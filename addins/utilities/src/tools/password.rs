//! The password generator: 6 to 30 characters from the chosen sets.
//!
//! Every character is drawn with [`below`](super::random::below), which
//! has no modulo bias; a password missing a chosen set (an uppercase
//! letter, a digit, a symbol) is thrown away whole and drawn again, so
//! (lowercase letters are always in and always present) the result is uniform over all passwords that meet the options (the
//! only bias is the random source's own).

use alloc::string::String;

use super::random::{below, Random};

/// Shortest password.
pub const MIN_LENGTH: usize = 6;
/// Longest password.
pub const MAX_LENGTH: usize = 30;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const SYMBOLS: &str = "!#$%&()*+,-./:;<=>?@[]^_{|}~";
/// Characters easily read as one another on paper or on screen.
pub const CONFUSABLE: &str = "Il1|O0oS5Z2B8";
const CONSONANTS: &str = "bcdfghjklmnprstvwz";
const VOWELS: &str = "aeiou";

/// What a password may and must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Characters (clamped to 6..=30).
    pub length: usize,
    /// At least one symbol.
    pub symbols: bool,
    /// At least one digit.
    pub numbers: bool,
    /// At least one uppercase letter.
    pub uppercase: bool,
    /// Leave out [`CONFUSABLE`] characters.
    pub no_confusable: bool,
    /// Letters in consonant-vowel syllables ("tobakemu"), then the digit
    /// and symbol asked for; easier to remember, fewer possibilities.
    pub memorable: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            length: 12,
            symbols: true,
            numbers: true,
            uppercase: true,
            no_confusable: false,
            memorable: false,
        }
    }
}

fn allowed(set: &str, options: &Options) -> heapless::Vec<u8, 32> {
    set.bytes()
        .filter(|&byte| !(options.no_confusable && CONFUSABLE.as_bytes().contains(&byte)))
        .collect()
}

fn pick(random: &mut impl Random, set: &[u8]) -> u8 {
    set[below(random, set.len() as u32) as usize]
}

/// One password.
pub fn generate(options: &Options, random: &mut impl Random) -> String {
    let length = options.length.clamp(MIN_LENGTH, MAX_LENGTH);
    let lower = allowed(LOWER, options);
    let upper = allowed(UPPER, options);
    let digits = allowed(DIGITS, options);
    let symbols = allowed(SYMBOLS, options);
    if options.memorable {
        return memorable(options, length, random, &digits, &symbols);
    }
    let mut pool: heapless::Vec<u8, 128> = heapless::Vec::new();
    // Lowercase letters are always in, and always present.
    let sets: [(bool, &[u8]); 4] = [
        (true, &lower),
        (options.uppercase, &upper),
        (options.numbers, &digits),
        (options.symbols, &symbols),
    ];
    for (on, set) in sets {
        if on {
            let _ = pool.extend_from_slice(set);
        }
    }
    loop {
        let password: String = (0..length).map(|_| pick(random, &pool) as char).collect();
        let complete = sets
            .iter()
            .all(|(on, set)| !on || password.bytes().any(|byte| set.contains(&byte)));
        if complete {
            return password;
        }
    }
}

fn memorable(
    options: &Options,
    length: usize,
    random: &mut impl Random,
    digits: &[u8],
    symbols: &[u8],
) -> String {
    let consonants = allowed(CONSONANTS, options);
    let vowels = allowed(VOWELS, options);
    let tail = usize::from(options.numbers) + usize::from(options.symbols);
    let letters = length - tail;
    let mut password = String::new();
    loop {
        password.clear();
        for index in 0..letters {
            let set = if index % 2 == 0 { &consonants } else { &vowels };
            password.push(pick(random, set) as char);
        }
        if !options.uppercase {
            break;
        }
        // One letter, chosen at random among those whose capital is not
        // a look-alike, in capitals; with none such, draw the letters again.
        let eligible: heapless::Vec<usize, MAX_LENGTH> = password
            .bytes()
            .enumerate()
            .filter(|&(_, byte)| {
                let capital = byte.to_ascii_uppercase();
                !(options.no_confusable && CONFUSABLE.as_bytes().contains(&capital))
            })
            .map(|(index, _)| index)
            .collect();
        if eligible.is_empty() {
            continue;
        }
        let index = eligible[below(random, eligible.len() as u32) as usize];
        let capital = password.as_bytes()[index].to_ascii_uppercase();
        password.replace_range(index..=index, (capital as char).encode_utf8(&mut [0; 4]));
        break;
    }
    if options.numbers {
        password.push(pick(random, digits) as char);
    }
    if options.symbols {
        password.push(pick(random, symbols) as char);
    }
    password
}

/// `count` passwords, one a line (CR LF, which every PC editor shows),
/// for a `.txt` file.
pub fn text_file(options: &Options, count: usize, random: &mut impl Random) -> String {
    let mut text = String::new();
    for _ in 0..count {
        text.push_str(&generate(options, random));
        text.push_str("\r\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::random::testing::XorShift;

    fn all_options() -> impl Iterator<Item = Options> {
        (0..32u32).flat_map(|bits| {
            [6usize, 7, 12, 30].into_iter().map(move |length| Options {
                length,
                symbols: bits & 1 != 0,
                numbers: bits & 2 != 0,
                uppercase: bits & 4 != 0,
                no_confusable: bits & 8 != 0,
                memorable: bits & 16 != 0,
            })
        })
    }

    #[test]
    fn every_toggle_is_honoured() {
        let mut random = XorShift(99);
        for options in all_options() {
            for _ in 0..50 {
                let password = generate(&options, &mut random);
                let has = |set: &str| password.chars().any(|c| set.contains(c));
                assert_eq!(password.len(), options.length, "{options:?} {password}");
                assert_eq!(has(UPPER), options.uppercase, "{options:?} {password}");
                assert_eq!(has(DIGITS), options.numbers, "{options:?} {password}");
                assert_eq!(has(SYMBOLS), options.symbols, "{options:?} {password}");
                assert!(has(LOWER), "{options:?} {password}");
                if options.no_confusable {
                    assert!(!has(CONFUSABLE), "{options:?} {password}");
                }
                if options.memorable {
                    let letters: String = password.chars().filter(|c| c.is_ascii_alphabetic()).collect();
                    for (index, c) in letters.to_ascii_lowercase().chars().enumerate() {
                        let set = if index % 2 == 0 { CONSONANTS } else { VOWELS };
                        assert!(set.contains(c), "{password}: {c} at {index}");
                    }
                }
            }
        }
    }

    #[test]
    fn memorable_capitals_never_hang_on_look_alikes() {
        // Six characters with a digit and a symbol leave four letters,
        // which are sometimes all b, s, z or i (capitals B S Z I).
        let options = Options {
            length: 6,
            symbols: true,
            numbers: true,
            uppercase: true,
            no_confusable: true,
            memorable: true,
        };
        let mut random = XorShift(11);
        for _ in 0..20_000 {
            let password = generate(&options, &mut random);
            assert!(password.chars().any(|c| c.is_ascii_uppercase()), "{password}");
            assert!(!password.chars().any(|c| CONFUSABLE.contains(c)), "{password}");
        }
    }

    #[test]
    fn length_is_clamped() {
        let mut random = XorShift(5);
        for (asked, got) in [(0, 6), (5, 6), (31, 30), (100, 30)] {
            let options = Options { length: asked, ..Options::default() };
            assert_eq!(generate(&options, &mut random).len(), got);
        }
    }

    #[test]
    fn characters_are_spread_evenly() {
        // Lowercase only: 26 characters, each about 1/26 of 260 000 draws.
        let options = Options {
            length: 26,
            symbols: false,
            numbers: false,
            uppercase: false,
            no_confusable: false,
            memorable: false,
        };
        let mut random = XorShift(7);
        let mut counts = [0u32; 26];
        for _ in 0..10_000 {
            for byte in generate(&options, &mut random).bytes() {
                counts[(byte - b'a') as usize] += 1;
            }
        }
        for count in counts {
            assert!((9_500..10_500).contains(&count), "{counts:?}");
        }
    }

    #[test]
    fn text_file_has_one_password_a_line() {
        let text = text_file(&Options::default(), 5, &mut XorShift(3));
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[..5].iter().all(|line| line.len() == 12));
        assert_eq!(lines[5], "");
    }
}
