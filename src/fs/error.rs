//! File-system errors.

use core::fmt;

use prizm_platform::error::bfile;

/// Why a file-system operation failed.
///
/// The OS reports negative codes ([`prizm_platform::error::bfile`];
/// docs/platform.md §3.6.4). Codes this enum does not know are kept in
/// [`FsError::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FsError {
    /// No such file or folder (−1).
    NotFound,
    /// The OS rejected a parameter (−2).
    InvalidParameter,
    /// The path is malformed or its folder does not exist (−3).
    InvalidPath,
    /// Storage memory is full (−4).
    DeviceFull,
    /// No such storage device (−5).
    InvalidDevice,
    /// Access denied: writing through a read-only handle, or opening a
    /// folder as a file (−8).
    AccessDenied,
    /// The file is open, so it cannot be deleted or renamed (−9).
    InUse,
    /// Not allowed in this open mode (−11).
    PermissionDenied,
    /// The file or folder already exists (−13).
    AlreadyExists,
    /// The file is read-only (−14).
    ReadOnly,
    /// The listing has no more entries (−16).
    EndOfListing,
    /// Seek outside the file (−19).
    InvalidSeek,
    /// Read past the end of the file (−22).
    EndOfFile,
    /// The storage device failed (−31).
    DeviceError,
    /// The folder is not empty (−35).
    NotEmpty,
    /// Already 16 files or listings open: the OS's limit (−12; this crate
    /// also raises it itself before asking the OS for a 17th).
    TooManyOpen,
    /// The path is longer than [`super::MAX_PATH`] characters.
    PathTooLong,
    /// A name is empty, `.`/`..`, or holds a character the OS forbids
    /// (`\ / : * ? " < > |`, control or non-ASCII characters).
    InvalidName,
    /// A code the OS returned that has no name here.
    Other(i32),
}

impl FsError {
    /// The error for a negative OS return code.
    pub const fn from_code(code: i32) -> FsError {
        match code {
            bfile::NOT_FOUND => FsError::NotFound,
            bfile::INVALID_PARAMETER => FsError::InvalidParameter,
            bfile::INVALID_PATH => FsError::InvalidPath,
            bfile::DEVICE_FULL => FsError::DeviceFull,
            bfile::INVALID_DEVICE => FsError::InvalidDevice,
            bfile::ACCESS_DENIED => FsError::AccessDenied,
            bfile::IN_USE => FsError::InUse,
            bfile::PERMISSION_DENIED => FsError::PermissionDenied,
            bfile::NO_FREE_HANDLE => FsError::TooManyOpen,
            bfile::ALREADY_EXISTS => FsError::AlreadyExists,
            bfile::READ_ONLY => FsError::ReadOnly,
            bfile::END_OF_LISTING => FsError::EndOfListing,
            bfile::INVALID_SEEK => FsError::InvalidSeek,
            bfile::END_OF_FILE => FsError::EndOfFile,
            bfile::DEVICE_ERROR => FsError::DeviceError,
            bfile::NOT_EMPTY => FsError::NotEmpty,
            other => FsError::Other(other),
        }
    }

    /// The OS code this error stands for (`None` for the errors this crate
    /// raises itself).
    pub const fn code(self) -> Option<i32> {
        Some(match self {
            FsError::NotFound => bfile::NOT_FOUND,
            FsError::InvalidParameter => bfile::INVALID_PARAMETER,
            FsError::InvalidPath => bfile::INVALID_PATH,
            FsError::DeviceFull => bfile::DEVICE_FULL,
            FsError::InvalidDevice => bfile::INVALID_DEVICE,
            FsError::AccessDenied => bfile::ACCESS_DENIED,
            FsError::InUse => bfile::IN_USE,
            FsError::PermissionDenied => bfile::PERMISSION_DENIED,
            FsError::TooManyOpen => bfile::NO_FREE_HANDLE,
            FsError::AlreadyExists => bfile::ALREADY_EXISTS,
            FsError::ReadOnly => bfile::READ_ONLY,
            FsError::EndOfListing => bfile::END_OF_LISTING,
            FsError::InvalidSeek => bfile::INVALID_SEEK,
            FsError::EndOfFile => bfile::END_OF_FILE,
            FsError::DeviceError => bfile::DEVICE_ERROR,
            FsError::NotEmpty => bfile::NOT_EMPTY,
            FsError::Other(code) => code,
            FsError::PathTooLong | FsError::InvalidName => return None,
        })
    }

    /// A short message for the user.
    pub const fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "File not found",
            FsError::InvalidParameter => "Invalid parameter",
            FsError::InvalidPath => "Invalid path",
            FsError::DeviceFull => "Storage memory full",
            FsError::InvalidDevice => "No such storage device",
            FsError::AccessDenied => "Access denied",
            FsError::InUse => "File is open",
            FsError::PermissionDenied => "Not permitted",
            FsError::AlreadyExists => "Already exists",
            FsError::ReadOnly => "File is read-only",
            FsError::EndOfListing => "No more entries",
            FsError::InvalidSeek => "Position outside file",
            FsError::EndOfFile => "End of file",
            FsError::DeviceError => "Storage error",
            FsError::NotEmpty => "Folder not empty",
            FsError::TooManyOpen => "Too many open files",
            FsError::PathTooLong => "Path too long",
            FsError::InvalidName => "Invalid name",
            FsError::Other(_) => "File system error",
        }
    }

    /// Turns an OS return value into `Ok(value)` (≥ 0) or the error.
    pub const fn check(result: i32) -> Result<i32, FsError> {
        if result < 0 {
            Err(FsError::from_code(result))
        } else {
            Ok(result)
        }
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FsError::Other(code) => write!(f, "{} ({code})", self.message()),
            _ => f.write_str(self.message()),
        }
    }
}

impl core::error::Error for FsError {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    prizm_test! {
        fn codes_round_trip() {
            for code in -100..0 {
                let error = FsError::from_code(code);
                assert_eq!(error.code(), Some(code));
                assert!(!error.message().is_empty());
            }
            assert_eq!(FsError::from_code(-13), FsError::AlreadyExists);
            assert_eq!(FsError::from_code(-999), FsError::Other(-999));
            assert_eq!(FsError::from_code(-12), FsError::TooManyOpen);
            assert_eq!(FsError::TooManyOpen.code(), Some(-12));
            assert_eq!(FsError::PathTooLong.code(), None);
        }
    }

    prizm_test! {
        fn display_and_check() {
            assert_eq!(FsError::NotFound.to_string(), "File not found");
            assert_eq!(FsError::Other(-77).to_string(), "File system error (-77)");
            assert_eq!(FsError::check(5), Ok(5));
            assert_eq!(FsError::check(-3), Err(FsError::InvalidPath));
        }
    }
}
