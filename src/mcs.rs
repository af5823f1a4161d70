//! Main memory (the MCS): small named items in folders, kept across
//! add-in runs. Good for settings and resume state; big data belongs in
//! storage memory ([`crate::fs`]).
//!
//! Folder and item names are 1–8 printable ASCII characters.
//!
//! ```no_run
//! use prizm::mcs::{self, Name};
//!
//! # fn main() -> Result<(), prizm::mcs::McsError> {
//! let folder = Name::new("@HELLO")?;
//! let item = Name::new("Settings")?;
//! mcs::store(&folder, &item, &[1, 2, 3, 4])?;
//! let mut buffer = [0u8; 16];
//! let length = mcs::get(&folder, &item, &mut buffer)?;
//! assert_eq!(&buffer[..length], &[1, 2, 3, 4]);
//! # Ok(())
//! # }
//! ```

use core::fmt;

use crate::syscall;

/// Longest folder or item name.
pub const MAX_NAME: usize = prizm_platform::error::mcs::MAX_NAME;

/// Why a main-memory operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum McsError {
    /// A name is empty, longer than 8 characters or not printable ASCII.
    InvalidName,
    /// No such item (or folder).
    NotFound,
    /// The item (or folder) already exists.
    AlreadyExists,
    /// Main memory (or its folder table) is full.
    Full,
    /// The item is larger than the buffer given to read it.
    BufferTooSmall {
        /// The item's length in bytes.
        needed: usize,
    },
    /// Data longer than the OS accepts.
    TooLarge,
    /// A code the OS returned that has no name here.
    Other(i32),
}

impl McsError {
    /// A short message for the user.
    pub const fn message(self) -> &'static str {
        match self {
            McsError::InvalidName => "Invalid name",
            McsError::NotFound => "Not found",
            McsError::AlreadyExists => "Already exists",
            McsError::Full => "Main memory full",
            McsError::BufferTooSmall { .. } => "Buffer too small",
            McsError::TooLarge => "Data too large",
            McsError::Other(_) => "Main memory error",
        }
    }

    /// The error for a folder operation's OS code
    /// ([`prizm_platform::error::mcs`]; docs/platform.md §3.7.3).
    pub const fn from_folder_code(code: i32) -> McsError {
        use prizm_platform::error::mcs;
        match code {
            mcs::FOLDER_EXISTS => McsError::AlreadyExists,
            mcs::TOO_MANY_FOLDERS => McsError::Full,
            mcs::BAD_NAME => McsError::InvalidName,
            other => McsError::Other(other),
        }
    }
}

impl fmt::Display for McsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            McsError::BufferTooSmall { needed } => {
                write!(f, "{} ({needed} bytes needed)", self.message())
            }
            McsError::Other(code) => write!(f, "{} ({code:#x})", self.message()),
            _ => f.write_str(self.message()),
        }
    }
}

impl core::error::Error for McsError {}

/// A validated folder or item name, NUL-terminated for the OS.
///
/// ```
/// use prizm::mcs::{Name, McsError};
/// assert_eq!(Name::new("@UTILS").unwrap().as_str(), "@UTILS");
/// assert_eq!(Name::new("TooLongName"), Err(McsError::InvalidName));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name {
    bytes: [u8; MAX_NAME + 1],
    length: u8,
}

impl Name {
    /// Validates `name`: 1–8 printable ASCII characters.
    pub fn new(name: &str) -> Result<Name, McsError> {
        if name.is_empty()
            || name.len() > MAX_NAME
            || !name.bytes().all(|b| (0x20..0x7F).contains(&b))
        {
            return Err(McsError::InvalidName);
        }
        let mut bytes = [0u8; MAX_NAME + 1];
        bytes[..name.len()].copy_from_slice(name.as_bytes());
        Ok(Name {
            bytes,
            length: name.len() as u8,
        })
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII was accepted.
        core::str::from_utf8(&self.bytes[..self.length as usize]).unwrap_or("")
    }

    fn as_ptr(&self) -> *const u8 {
        self.bytes.as_ptr()
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl TryFrom<&str> for Name {
    type Error = McsError;
    fn try_from(name: &str) -> Result<Name, McsError> {
        Name::new(name)
    }
}

fn data_length(data: &[u8]) -> Result<i32, McsError> {
    i32::try_from(data.len()).map_err(|_| McsError::TooLarge)
}

/// Creates a folder. Returns `Ok(false)` if it already existed.
pub fn create_folder(folder: &Name) -> Result<bool, McsError> {
    // SAFETY: NUL-terminated name.
    match unsafe { syscall::MCS_CreateDirectory(folder.as_ptr()) } {
        0 => Ok(true),
        code => match McsError::from_folder_code(code) {
            McsError::AlreadyExists => Ok(false),
            error => Err(error),
        },
    }
}

/// Deletes a folder.
pub fn delete_folder(folder: &Name) -> Result<(), McsError> {
    // SAFETY: NUL-terminated name.
    match unsafe { syscall::MCS_DeleteDirectory(folder.as_ptr()) } {
        0 => Ok(()),
        code => Err(McsError::Other(code)),
    }
}

/// The length of an item in bytes.
pub fn len(folder: &Name, item: &Name) -> Result<usize, McsError> {
    let mut length = 0i32;
    // SAFETY: NUL-terminated names and a valid out-pointer.
    match unsafe { syscall::MCSGetDlen2(folder.as_ptr(), item.as_ptr(), &mut length) } {
        0 => Ok(length.max(0) as usize),
        _ => Err(McsError::NotFound),
    }
}

/// True if the item exists.
pub fn exists(folder: &Name, item: &Name) -> bool {
    len(folder, item).is_ok()
}

/// Reads an item into `buffer`; returns its length. Fails with
/// [`McsError::BufferTooSmall`] (reading nothing) if it does not fit.
pub fn get(folder: &Name, item: &Name, buffer: &mut [u8]) -> Result<usize, McsError> {
    // MCSGetDlen2 also selects the item for MCSGetData1.
    let length = len(folder, item)?;
    if length > buffer.len() {
        return Err(McsError::BufferTooSmall { needed: length });
    }
    if length == 0 {
        return Ok(0);
    }
    // SAFETY: the OS copies `length` bytes (≤ buffer.len()) of the item just
    // selected by MCSGetDlen2.
    match unsafe { syscall::MCSGetData1(0, length as i32, buffer.as_mut_ptr()) } {
        0 => Ok(length),
        code => Err(McsError::Other(code)),
    }
}

/// Creates a new item holding `data`; fails with
/// [`McsError::AlreadyExists`] if there is one (see [`store`] to replace).
pub fn put(folder: &Name, item: &Name, data: &[u8]) -> Result<(), McsError> {
    if exists(folder, item) {
        return Err(McsError::AlreadyExists);
    }
    let length = data_length(data)?;
    // SAFETY: NUL-terminated names; the OS reads `length` bytes of `data`.
    match unsafe { syscall::MCSPutVar2(folder.as_ptr(), item.as_ptr(), length, data.as_ptr()) } {
        0 => Ok(()),
        code => Err(McsError::Other(code)),
    }
}

/// Overwrites bytes of an existing item from `offset` on.
pub fn overwrite(folder: &Name, item: &Name, data: &[u8], offset: usize) -> Result<(), McsError> {
    let length = data_length(data)?;
    let offset = i32::try_from(offset).map_err(|_| McsError::TooLarge)?;
    let current = len(folder, item)?;
    if offset as usize + data.len() > current {
        return Err(McsError::TooLarge);
    }
    // SAFETY: NUL-terminated names; the OS reads `length` bytes of `data`.
    match unsafe {
        syscall::MCSOvwDat2(
            folder.as_ptr(),
            item.as_ptr(),
            length,
            data.as_ptr(),
            offset,
        )
    } {
        0 => Ok(()),
        code => Err(McsError::Other(code)),
    }
}

/// Deletes an item.
pub fn delete(folder: &Name, item: &Name) -> Result<(), McsError> {
    if !exists(folder, item) {
        return Err(McsError::NotFound);
    }
    // SAFETY: NUL-terminated names.
    match unsafe { syscall::MCSDelVar2(folder.as_ptr(), item.as_ptr()) } {
        0 => Ok(()),
        code => Err(McsError::Other(code)),
    }
}

/// Saves `data` as the item, creating the folder if needed and replacing
/// any old item: the usual way to keep settings.
pub fn store(folder: &Name, item: &Name, data: &[u8]) -> Result<(), McsError> {
    create_folder(folder)?;
    if exists(folder, item) {
        delete(folder, item)?;
    }
    put(folder, item, data)
}

/// Main memory's capacity and use, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct State {
    /// Total bytes.
    pub capacity: u32,
    /// Bytes in use.
    pub used: u32,
    /// Bytes free.
    pub free: u32,
}

/// Reads main memory's [`State`].
pub fn state() -> Result<State, McsError> {
    let (mut capacity, mut used, mut free) = (0i32, 0i32, 0i32);
    // SAFETY: three valid out-pointers.
    match unsafe { syscall::MCS_GetState(&mut capacity, &mut used, &mut free) } {
        0 => Ok(State {
            capacity: capacity.max(0) as u32,
            used: used.max(0) as u32,
            free: free.max(0) as u32,
        }),
        code => Err(McsError::Other(code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    prizm_test! {
        fn names_are_validated() {
            assert!(Name::new("A").is_ok());
            assert_eq!(Name::new("12345678").unwrap().as_str(), "12345678");
            assert_eq!(Name::new(""), Err(McsError::InvalidName));
            assert_eq!(Name::new("123456789"), Err(McsError::InvalidName));
            assert_eq!(Name::new("tab\there"), Err(McsError::InvalidName));
            assert_eq!(Name::new("caf\u{e9}"), Err(McsError::InvalidName));
            let name = Name::new("Set").unwrap();
            assert_eq!(name.bytes[3], 0, "NUL-terminated");
        }
    }

    prizm_test! {
        fn folder_codes_and_messages() {
            assert_eq!(McsError::from_folder_code(0x42), McsError::AlreadyExists);
            assert_eq!(McsError::from_folder_code(0x43), McsError::Full);
            assert_eq!(McsError::from_folder_code(0xF0), McsError::InvalidName);
            assert_eq!(McsError::from_folder_code(7), McsError::Other(7));
            assert_eq!(McsError::BufferTooSmall { needed: 9 }.to_string(), "Buffer too small (9 bytes needed)");
            assert_eq!(McsError::Other(0x33).to_string(), "Main memory error (0x33)");
        }
    }
}
