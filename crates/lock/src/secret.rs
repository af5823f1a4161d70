//! What the user unlocks with: a PIN (digits) or a passphrase (text), the
//! rules each must follow, and a buffer that wipes itself.

use core::fmt;

/// Shortest PIN, in digits.
pub const PIN_MIN: usize = 4;
/// Longest PIN, in digits.
pub const PIN_MAX: usize = 16;
/// Shortest passphrase, in characters.
pub const PASSPHRASE_MIN: usize = 4;
/// Longest passphrase, in characters.
pub const PASSPHRASE_MAX: usize = 32;
/// Room every secret buffer has (the longer of the two maxima).
pub const SECRET_CAPACITY: usize = 32;

/// Which kind of secret a lock uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// 4–16 digits.
    Pin,
    /// 4–32 printable ASCII characters.
    Passphrase,
}

impl SecretKind {
    /// The word used on screen: "PIN" or "passphrase".
    pub fn noun(self) -> &'static str {
        match self {
            SecretKind::Pin => "PIN",
            SecretKind::Passphrase => "passphrase",
        }
    }

    /// The shortest accepted length.
    pub fn min_length(self) -> usize {
        match self {
            SecretKind::Pin => PIN_MIN,
            SecretKind::Passphrase => PASSPHRASE_MIN,
        }
    }

    /// The longest accepted length.
    pub fn max_length(self) -> usize {
        match self {
            SecretKind::Pin => PIN_MAX,
            SecretKind::Passphrase => PASSPHRASE_MAX,
        }
    }

    /// Whether `character` may appear in this kind of secret.
    pub fn allows(self, character: u8) -> bool {
        match self {
            SecretKind::Pin => character.is_ascii_digit(),
            SecretKind::Passphrase => (0x20..=0x7E).contains(&character),
        }
    }
}

/// Why a new secret was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretError {
    /// Nothing was typed.
    Empty,
    /// Fewer characters than the kind's minimum.
    TooShort,
    /// More characters than the kind's maximum.
    TooLong,
    /// A character the kind does not allow (a letter in a PIN, …).
    BadCharacter,
    /// The confirmation differs from the first entry.
    Mismatch,
}

impl SecretError {
    /// A short sentence for the screen (at most 2 × 32 characters).
    pub fn message(self, kind: SecretKind) -> &'static str {
        match (self, kind) {
            (SecretError::Empty, SecretKind::Pin) => "The PIN can't be empty.",
            (SecretError::Empty, SecretKind::Passphrase) => "The passphrase can't be empty.",
            (SecretError::TooShort, SecretKind::Pin) => "A PIN needs at least 4 digits.",
            (SecretError::TooShort, SecretKind::Passphrase) => {
                "A passphrase needs at least 4 characters."
            }
            (SecretError::TooLong, SecretKind::Pin) => "A PIN has at most 16 digits.",
            (SecretError::TooLong, SecretKind::Passphrase) => {
                "A passphrase has at most 32 characters."
            }
            (SecretError::BadCharacter, SecretKind::Pin) => "A PIN has digits only.",
            (SecretError::BadCharacter, SecretKind::Passphrase) => {
                "Only printable ASCII is allowed."
            }
            (SecretError::Mismatch, _) => "The two entries differ. Start again.",
        }
    }
}

/// Checks a new secret of `kind` against the rules.
pub fn validate(kind: SecretKind, secret: &[u8]) -> Result<(), SecretError> {
    if secret.is_empty() {
        return Err(SecretError::Empty);
    }
    if !secret.iter().all(|&c| kind.allows(c)) {
        return Err(SecretError::BadCharacter);
    }
    if secret.len() < kind.min_length() {
        return Err(SecretError::TooShort);
    }
    if secret.len() > kind.max_length() {
        return Err(SecretError::TooLong);
    }
    Ok(())
}

/// Checks the confirmation of a new secret: valid and equal to the first
/// entry (compared in constant time, though both are the user's own).
pub fn validate_confirmation(
    kind: SecretKind,
    first: &[u8],
    second: &[u8],
) -> Result<(), SecretError> {
    validate(kind, first)?;
    if !crate::crypto::constant_time_eq(first, second) {
        return Err(SecretError::Mismatch);
    }
    Ok(())
}

/// Bytes of a secret being typed or checked. Overwritten with zeros when
/// cleared or dropped, so a PIN does not linger in RAM (which the OS saves
/// to flash at power-off) longer than needed.
#[derive(Clone, Default)]
pub struct SecretBuffer {
    bytes: [u8; SECRET_CAPACITY],
    length: usize,
}

impl SecretBuffer {
    /// An empty buffer.
    pub const fn new() -> Self {
        SecretBuffer {
            bytes: [0; SECRET_CAPACITY],
            length: 0,
        }
    }

    /// A buffer holding `bytes` (cut at [`SECRET_CAPACITY`]).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut buffer = SecretBuffer::new();
        for &byte in bytes.iter().take(SECRET_CAPACITY) {
            buffer.push(byte);
        }
        buffer
    }

    /// The bytes typed so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.length
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Appends `byte`; false (and nothing changes) when full.
    pub fn push(&mut self, byte: u8) -> bool {
        if self.length == SECRET_CAPACITY {
            return false;
        }
        self.bytes[self.length] = byte;
        self.length += 1;
        true
    }

    /// Removes the last byte, if any.
    pub fn pop(&mut self) {
        if self.length > 0 {
            self.length -= 1;
            wipe(&mut self.bytes[self.length..self.length + 1]);
        }
    }

    /// Removes everything and overwrites the storage.
    pub fn clear(&mut self) {
        wipe(&mut self.bytes);
        self.length = 0;
    }
}

impl Drop for SecretBuffer {
    fn drop(&mut self) {
        self.clear();
    }
}

impl fmt::Debug for SecretBuffer {
    /// Never prints the secret itself.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "SecretBuffer({} bytes)", self.length)
    }
}

/// Overwrites `bytes` with zeros by volatile stores, which the optimiser
/// may not remove even when nothing reads the buffer again.
pub fn wipe(bytes: &mut [u8]) {
    for byte in bytes.iter_mut() {
        // SAFETY: `byte` is a valid, aligned, exclusive reference.
        unsafe { core::ptr::write_volatile(byte, 0) };
    }
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_of_4_to_16_digits_are_accepted() {
        assert_eq!(validate(SecretKind::Pin, b"1234"), Ok(()));
        assert_eq!(validate(SecretKind::Pin, b"1234567890123456"), Ok(()));
    }

    #[test]
    fn bad_pins_are_refused_with_the_reason() {
        assert_eq!(validate(SecretKind::Pin, b""), Err(SecretError::Empty));
        assert_eq!(
            validate(SecretKind::Pin, b"123"),
            Err(SecretError::TooShort)
        );
        assert_eq!(
            validate(SecretKind::Pin, b"12345678901234567"),
            Err(SecretError::TooLong)
        );
        assert_eq!(
            validate(SecretKind::Pin, b"12a4"),
            Err(SecretError::BadCharacter)
        );
        assert_eq!(
            validate(SecretKind::Pin, b"12 4"),
            Err(SecretError::BadCharacter)
        );
    }

    #[test]
    fn passphrases_take_printable_ascii() {
        assert_eq!(validate(SecretKind::Passphrase, b"Open Sesame 42!"), Ok(()));
        assert_eq!(
            validate(SecretKind::Passphrase, b""),
            Err(SecretError::Empty)
        );
        assert_eq!(
            validate(SecretKind::Passphrase, b"abc"),
            Err(SecretError::TooShort)
        );
        assert_eq!(
            validate(SecretKind::Passphrase, &[b'x'; 33]),
            Err(SecretError::TooLong)
        );
        assert_eq!(
            validate(SecretKind::Passphrase, b"tab\there"),
            Err(SecretError::BadCharacter)
        );
        assert_eq!(
            validate(SecretKind::Passphrase, &[b'a', b'b', 0xE9, b'c']),
            Err(SecretError::BadCharacter)
        );
    }

    #[test]
    fn confirmation_must_match() {
        assert_eq!(
            validate_confirmation(SecretKind::Pin, b"2468", b"2468"),
            Ok(())
        );
        assert_eq!(
            validate_confirmation(SecretKind::Pin, b"2468", b"2469"),
            Err(SecretError::Mismatch)
        );
        assert_eq!(
            validate_confirmation(SecretKind::Pin, b"2468", b"24680"),
            Err(SecretError::Mismatch)
        );
        // A bad first entry is reported as such, not as a mismatch.
        assert_eq!(
            validate_confirmation(SecretKind::Pin, b"12", b"12"),
            Err(SecretError::TooShort)
        );
    }

    #[test]
    fn every_error_has_a_message_that_fits_two_lines() {
        for kind in [SecretKind::Pin, SecretKind::Passphrase] {
            for error in [
                SecretError::Empty,
                SecretError::TooShort,
                SecretError::TooLong,
                SecretError::BadCharacter,
                SecretError::Mismatch,
            ] {
                let message = error.message(kind);
                assert!(!message.is_empty() && message.len() <= 64, "{message}");
            }
        }
    }

    #[test]
    fn buffer_pushes_pops_and_wipes() {
        let mut buffer = SecretBuffer::new();
        for &digit in b"9876" {
            assert!(buffer.push(digit));
        }
        buffer.pop();
        assert_eq!(buffer.as_bytes(), b"987");
        assert_eq!(buffer.bytes[3], 0, "a popped byte is overwritten");
        buffer.clear();
        assert!(buffer.is_empty());
        assert!(buffer.bytes.iter().all(|&b| b == 0));
        let full = SecretBuffer::from_bytes(&[b'7'; 40]);
        assert_eq!(full.len(), SECRET_CAPACITY);
        let mut full = full;
        assert!(!full.push(b'1'));
        assert_eq!(format!("{full:?}"), "SecretBuffer(32 bytes)");
    }
}
