//! A one-line text field: what has been typed, how it is shown (masked
//! with `*`, optionally with the last character visible), wiped when done.

use heapless::String;

use crate::secret::wipe;

/// Room in a field (the owner message is the longest thing typed).
pub const FIELD_CAPACITY: usize = 40;

/// Why a character was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushError {
    /// The field is at its limit.
    Full,
    /// The field does not take this character (a letter in a PIN).
    NotAllowed,
}

/// Which characters a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `0`–`9`.
    Digits,
    /// Printable ASCII.
    Printable,
}

impl Charset {
    fn allows(self, character: u8) -> bool {
        match self {
            Charset::Digits => character.is_ascii_digit(),
            Charset::Printable => (0x20..=0x7E).contains(&character),
        }
    }
}

/// A text field.
pub struct TextField {
    bytes: [u8; FIELD_CAPACITY],
    length: usize,
    limit: usize,
    charset: Charset,
    masked: bool,
}

impl TextField {
    /// An empty field taking up to `limit` characters of `charset`.
    pub fn new(limit: usize, charset: Charset, masked: bool) -> Self {
        TextField {
            bytes: [0; FIELD_CAPACITY],
            length: 0,
            limit: limit.min(FIELD_CAPACITY),
            charset,
            masked,
        }
    }

    /// A field holding `text` already (for editing the owner message).
    pub fn with_text(limit: usize, charset: Charset, masked: bool, text: &[u8]) -> Self {
        let mut field = TextField::new(limit, charset, masked);
        for &character in text {
            let _ = field.push(character);
        }
        field
    }

    /// Appends a character.
    pub fn push(&mut self, character: u8) -> Result<(), PushError> {
        if !self.charset.allows(character) {
            return Err(PushError::NotAllowed);
        }
        if self.length >= self.limit {
            return Err(PushError::Full);
        }
        self.bytes[self.length] = character;
        self.length += 1;
        Ok(())
    }

    /// Deletes the last character.
    pub fn pop(&mut self) {
        if self.length > 0 {
            self.length -= 1;
            wipe(&mut self.bytes[self.length..self.length + 1]);
        }
    }

    /// Deletes everything and overwrites the storage.
    pub fn clear(&mut self) {
        wipe(&mut self.bytes);
        self.length = 0;
    }

    /// The characters typed.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }

    /// Number of characters typed.
    pub fn len(&self) -> usize {
        self.length
    }

    /// True when nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The most characters this field takes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// True when characters are shown as `*`.
    pub fn is_masked(&self) -> bool {
        self.masked
    }

    /// The characters this field takes.
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// What the screen shows, cut to the last `columns` characters so the
    /// cursor end stays visible: `*` per character when masked, except the
    /// last one when `reveal_last` is set.
    pub fn display(&self, reveal_last: bool, columns: usize) -> String<FIELD_CAPACITY> {
        let mut shown = String::new();
        let start = self.length.saturating_sub(columns.min(FIELD_CAPACITY));
        for (index, &character) in self.bytes[..self.length].iter().enumerate().skip(start) {
            let visible = !self.masked || (reveal_last && index + 1 == self.length);
            let _ = shown.push(if visible { character as char } else { '*' });
        }
        shown
    }
}

impl Drop for TextField {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_optionally_reveals_the_last_character() {
        let mut field = TextField::new(16, Charset::Digits, true);
        for &digit in b"2580" {
            field.push(digit).unwrap();
        }
        assert_eq!(field.display(false, 30).as_str(), "****");
        assert_eq!(field.display(true, 30).as_str(), "***0");
        assert_eq!(field.as_bytes(), b"2580");
        let plain = TextField::with_text(40, Charset::Printable, false, b"Hello");
        assert_eq!(plain.display(false, 30).as_str(), "Hello");
    }

    #[test]
    fn refuses_what_it_cannot_take() {
        let mut field = TextField::new(4, Charset::Digits, true);
        assert_eq!(field.push(b'a'), Err(PushError::NotAllowed));
        for _ in 0..4 {
            field.push(b'1').unwrap();
        }
        assert_eq!(field.push(b'1'), Err(PushError::Full));
        assert_eq!(field.len(), 4);
        let mut text = TextField::new(100, Charset::Printable, false);
        assert_eq!(text.limit(), FIELD_CAPACITY);
        assert_eq!(text.push(b'\n'), Err(PushError::NotAllowed));
    }

    #[test]
    fn edits_and_wipes() {
        let mut field = TextField::with_text(10, Charset::Printable, false, b"abc");
        field.pop();
        assert_eq!(field.as_bytes(), b"ab");
        assert_eq!(field.bytes[2], 0);
        field.clear();
        assert!(field.is_empty());
        assert!(field.bytes.iter().all(|&b| b == 0));
        field.pop();
        assert!(field.is_empty());
    }

    #[test]
    fn long_text_shows_its_end() {
        let field = TextField::with_text(40, Charset::Printable, false, b"0123456789abcdef");
        assert_eq!(field.display(false, 6).as_str(), "abcdef");
        let masked = TextField::with_text(40, Charset::Printable, true, b"0123456789");
        assert_eq!(masked.display(true, 3).as_str(), "**9");
    }
}
