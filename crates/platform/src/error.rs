//! Return codes of the OS's file (Bfile) and main-memory (MCS) syscalls.

/// Negative codes of the `Bfile_*` syscalls (storage memory). They follow
/// the Bfile numbering of the Casio SDKs; −3 and −13 are confirmed on the
/// Prizm (platform facts §3.5).
pub mod bfile {
    /// No such file or folder.
    pub const NOT_FOUND: i32 = -1;
    /// A parameter is wrong (handle, mode, size).
    pub const INVALID_PARAMETER: i32 = -2;
    /// The path is malformed or its folder does not exist.
    pub const INVALID_PATH: i32 = -3;
    /// Storage memory is full.
    pub const DEVICE_FULL: i32 = -4;
    /// No such storage device (not `\\fls0\`).
    pub const INVALID_DEVICE: i32 = -5;
    /// Access denied: writing through a read-only handle, opening a folder.
    pub const ACCESS_DENIED: i32 = -8;
    /// The entry is open, so it cannot be deleted or renamed.
    pub const IN_USE: i32 = -9;
    /// Not allowed in this open mode.
    pub const PERMISSION_DENIED: i32 = -11;
    /// No free handle: all [`MAX_OPEN_HANDLES`] are in use. The SDK calls
    /// −12 "entry full"; the table that is full is the OS's table of open
    /// entries, whose 16-slot limit platform facts §2.7/§3.5 document (no
    /// per-folder entry limit is documented), so −12 means "too many open".
    pub const NO_FREE_HANDLE: i32 = -12;
    /// The file or folder already exists.
    pub const ALREADY_EXISTS: i32 = -13;
    /// The file is read-only.
    pub const READ_ONLY: i32 = -14;
    /// A directory listing has no more entries.
    pub const END_OF_LISTING: i32 = -16;
    /// Seek outside the file.
    pub const INVALID_SEEK: i32 = -19;
    /// Read past the end of the file.
    pub const END_OF_FILE: i32 = -22;
    /// The storage device failed.
    pub const DEVICE_ERROR: i32 = -31;
    /// The folder is not empty.
    pub const NOT_EMPTY: i32 = -35;

    /// Open files and directory listings at once, at most (platform facts §2.7).
    pub const MAX_OPEN_HANDLES: usize = 16;
    /// Longest path, in 16-bit units (platform facts §3.5).
    pub const MAX_PATH: usize = 270;
    /// Capacity of storage memory in bytes (platform facts §3.5).
    pub const STORAGE_CAPACITY: u64 = 16_801_792;

    /// Every code above, for exhaustive checks.
    pub const ALL: [i32; 16] = [
        NOT_FOUND,
        INVALID_PARAMETER,
        INVALID_PATH,
        DEVICE_FULL,
        INVALID_DEVICE,
        ACCESS_DENIED,
        IN_USE,
        PERMISSION_DENIED,
        NO_FREE_HANDLE,
        ALREADY_EXISTS,
        READ_ONLY,
        END_OF_LISTING,
        INVALID_SEEK,
        END_OF_FILE,
        DEVICE_ERROR,
        NOT_EMPTY,
    ];
}

/// Codes of the main-memory (`MCS_*`, `MCS…2`) syscalls; 0 is success.
/// 0x10, 0x42, 0x43 and 0xF0 are documented (platform facts §3.6); the
/// item codes 0x34–0x36 and 0x40 are the emulator's choice for failures the
/// documentation gives no number for.
pub mod mcs {
    /// Success.
    pub const OK: i32 = 0;
    /// `MCS_WriteItem`: the length is not a multiple of 4.
    pub const BAD_LENGTH: i32 = 0x10;
    /// No such item (or nothing selected for `MCSGetData1`).
    pub const ITEM_NOT_FOUND: i32 = 0x34;
    /// The item already exists (`MCSPutVar2`).
    pub const ITEM_EXISTS: i32 = 0x35;
    /// Main memory is full.
    pub const FULL: i32 = 0x36;
    /// No such folder.
    pub const FOLDER_NOT_FOUND: i32 = 0x40;
    /// The folder already exists (`MCS_CreateDirectory`).
    pub const FOLDER_EXISTS: i32 = 0x42;
    /// No room for another folder.
    pub const TOO_MANY_FOLDERS: i32 = 0x43;
    /// The name is not valid.
    pub const BAD_NAME: i32 = 0xF0;

    /// Longest folder or item name in bytes (platform facts §3.6).
    pub const MAX_NAME: usize = 8;
    /// Folders at most.
    pub const MAX_FOLDERS: usize = 64;
    /// Size of the main-memory area in bytes.
    pub const CAPACITY: u32 = 64_048;

    /// Every failure code above, for exhaustive checks.
    pub const ALL_FAILURES: [i32; 8] = [
        BAD_LENGTH,
        ITEM_NOT_FOUND,
        ITEM_EXISTS,
        FULL,
        FOLDER_NOT_FOUND,
        FOLDER_EXISTS,
        TOO_MANY_FOLDERS,
        BAD_NAME,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_distinct(codes: &[i32]) -> bool {
        codes
            .iter()
            .enumerate()
            .all(|(i, a)| codes[i + 1..].iter().all(|b| a != b))
    }

    #[test]
    fn codes_are_distinct_and_have_the_right_sign() {
        assert!(all_distinct(&bfile::ALL));
        assert!(bfile::ALL.iter().all(|&code| code < 0));
        assert!(all_distinct(&mcs::ALL_FAILURES));
        assert!(mcs::ALL_FAILURES.iter().all(|&code| code > 0));
        assert_eq!(bfile::ALREADY_EXISTS, -13);
        assert_eq!(bfile::INVALID_PATH, -3);
        assert_eq!(bfile::NO_FREE_HANDLE, -12);
        assert_eq!(mcs::FOLDER_EXISTS, 0x42);
    }
}
