//! Files in storage memory (`\\fls0\…`): [`File`] to read and write,
//! [`read_dir`] to list folders, create/delete/rename, free space.
//!
//! The OS allows 16 open files and listings at once; this module counts
//! them and answers [`FsError::TooManyOpen`] instead of asking for a 17th.
//! Files and listings close when dropped.
//!
//! [`write_atomic`] and [`Replacement`] replace a file so that a power cut
//! loses nothing (old or new contents, never half); [`recover`] finishes an
//! interrupted one.
//!
//! Platform rules worth knowing: the OS fixes a file's size when it is
//! created ([`create_file`] takes it), renaming fails if the target exists,
//! and Bfile calls while user timers run can crash the OS (stop timers
//! first).
//!
//! ```no_run
//! use prizm::fs::{self, File, OpenMode, Path};
//!
//! # fn main() -> Result<(), prizm::fs::FsError> {
//! let path = Path::in_root("hello.txt")?;
//! fs::write(&path, b"Hello, Prizm!")?;
//! let mut buffer = [0u8; 64];
//! let length = File::open(&path, OpenMode::Read)?.read(&mut buffer)?;
//! assert_eq!(&buffer[..length], b"Hello, Prizm!");
//! for entry in fs::read_dir(&Path::root())? {
//!     let entry = entry?;
//!     prizm::debug_println!("{} {}", entry.name(), entry.size());
//! }
//! # Ok(())
//! # }
//! ```

mod atomic;
mod error;
mod path;

use core::ptr;
use core::sync::atomic::{AtomicU8, Ordering};

pub use atomic::{recover, write_atomic, Replacement};
pub use error::FsError;
pub use path::{narrow, validate_name, OsName, Path, MAX_NAME, MAX_PATH, ROOT};

use crate::syscall;

/// Most files and listings the OS keeps open at once.
pub const MAX_OPEN: u8 = prizm_platform::error::bfile::MAX_OPEN_HANDLES as u8;

/// Counts open OS handles so that a 17th is refused here.
pub struct HandleCounter {
    open: AtomicU8,
}

impl HandleCounter {
    /// A counter with nothing open.
    pub const fn new() -> Self {
        HandleCounter {
            open: AtomicU8::new(0),
        }
    }

    /// Takes a slot, or fails when [`MAX_OPEN`] are in use.
    pub fn acquire(&self) -> Result<(), FsError> {
        // The calculator runs one thread: a load and a store suffice (and
        // the target has no compare-and-swap).
        let open = self.open.load(Ordering::Relaxed);
        if open >= MAX_OPEN {
            return Err(FsError::TooManyOpen);
        }
        self.open.store(open + 1, Ordering::Relaxed);
        Ok(())
    }

    /// Gives a slot back.
    pub fn release(&self) {
        let open = self.open.load(Ordering::Relaxed);
        self.open.store(open.saturating_sub(1), Ordering::Relaxed);
    }

    /// Slots in use.
    pub fn in_use(&self) -> u8 {
        self.open.load(Ordering::Relaxed)
    }
}

impl Default for HandleCounter {
    fn default() -> Self {
        Self::new()
    }
}

static HANDLES: HandleCounter = HandleCounter::new();

/// Files and listings open right now.
pub fn open_handles() -> u8 {
    HANDLES.in_use()
}

/// A slot in [`HANDLES`], given back on drop.
#[derive(Debug)]
struct Slot(());

impl Drop for Slot {
    fn drop(&mut self) {
        HANDLES.release();
    }
}

fn take_slot() -> Result<Slot, FsError> {
    HANDLES.acquire().map(|()| Slot(()))
}

/// How to open a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum OpenMode {
    /// Read only.
    Read = 0,
    /// Read only, others may open it too.
    ReadShare = 1,
    /// Write only.
    Write = 2,
    /// Read and write.
    ReadWrite = 3,
    /// Read and write, shared.
    ReadWriteShare = 4,
}

/// An open file in storage memory; closed when dropped.
#[derive(Debug)]
pub struct File {
    handle: i32,
    slot: Slot,
}

impl File {
    /// Opens an existing file.
    pub fn open(path: &Path, mode: OpenMode) -> Result<File, FsError> {
        let slot = take_slot()?;
        let name = path.to_os_name();
        // SAFETY: `name` is a NUL-terminated 16-bit name alive for the call.
        let handle =
            FsError::check(unsafe { syscall::Bfile_OpenFile_OS(name.as_ptr(), mode as i32, 0) })?;
        Ok(File { handle, slot })
    }

    /// Creates a file of `size` bytes (replacing nothing: fails with
    /// [`FsError::AlreadyExists`]) and opens it for reading and writing.
    pub fn create(path: &Path, size: usize) -> Result<File, FsError> {
        create_file(path, size)?;
        File::open(path, OpenMode::ReadWrite)
    }

    /// Reads at the current position into `buffer`; returns the number of
    /// bytes read (0 at the end of the file).
    pub fn read(&mut self, buffer: &mut [u8]) -> Result<usize, FsError> {
        self.read_raw(buffer, -1)
    }

    /// Reads from byte `position` into `buffer`.
    pub fn read_at(&mut self, buffer: &mut [u8], position: usize) -> Result<usize, FsError> {
        self.read_raw(
            buffer,
            i32::try_from(position).map_err(|_| FsError::InvalidSeek)?,
        )
    }

    fn read_raw(&mut self, buffer: &mut [u8], position: i32) -> Result<usize, FsError> {
        if buffer.is_empty() {
            return Ok(0);
        }
        let length = i32::try_from(buffer.len()).unwrap_or(i32::MAX);
        // SAFETY: the OS writes at most `length` bytes into `buffer`.
        let read = unsafe {
            syscall::Bfile_ReadFile_OS(self.handle, buffer.as_mut_ptr(), length, position)
        };
        match FsError::check(read) {
            Ok(count) => Ok((count as usize).min(buffer.len())),
            Err(FsError::EndOfFile) => Ok(0),
            Err(error) => Err(error),
        }
    }

    /// Reads until `buffer` is full or the file ends; returns the length.
    pub fn read_full(&mut self, buffer: &mut [u8]) -> Result<usize, FsError> {
        let mut filled = 0;
        while filled < buffer.len() {
            let count = self.read(&mut buffer[filled..])?;
            if count == 0 {
                break;
            }
            filled += count;
        }
        Ok(filled)
    }

    /// Writes all of `data` at the current position.
    pub fn write(&mut self, data: &[u8]) -> Result<(), FsError> {
        if data.is_empty() {
            return Ok(());
        }
        let length = i32::try_from(data.len()).map_err(|_| FsError::InvalidParameter)?;
        // SAFETY: the OS reads `length` bytes from `data`.
        FsError::check(unsafe { syscall::Bfile_WriteFile_OS(self.handle, data.as_ptr(), length) })?;
        Ok(())
    }

    /// Moves to byte `position` from the start.
    pub fn seek(&mut self, position: usize) -> Result<(), FsError> {
        let position = i32::try_from(position).map_err(|_| FsError::InvalidSeek)?;
        // SAFETY: plain integers.
        FsError::check(unsafe { syscall::Bfile_SeekFile_OS(self.handle, position) })?;
        Ok(())
    }

    /// The current position.
    pub fn tell(&self) -> Result<usize, FsError> {
        // SAFETY: plain integer.
        FsError::check(unsafe { syscall::Bfile_TellFile_OS(self.handle) }).map(|p| p as usize)
    }

    /// The file's size in bytes.
    pub fn size(&self) -> Result<usize, FsError> {
        // SAFETY: plain integer.
        FsError::check(unsafe { syscall::Bfile_GetFileSize_OS(self.handle) }).map(|s| s as usize)
    }

    /// Closes the file, reporting an error that dropping would ignore.
    pub fn close(self) -> Result<(), FsError> {
        let file = core::mem::ManuallyDrop::new(self);
        // SAFETY: `file` is never used or dropped again, so the slot is
        // moved out exactly once and Drop does not close a second time.
        let slot = unsafe { ptr::read(&file.slot) };
        // SAFETY: the handle is open and closed exactly once.
        let result = unsafe { syscall::Bfile_CloseFile_OS(file.handle) };
        drop(slot);
        FsError::check(result).map(|_| ())
    }
}

impl Drop for File {
    fn drop(&mut self) {
        // SAFETY: the handle is open (File owns it) and closed only here.
        unsafe { syscall::Bfile_CloseFile_OS(self.handle) };
    }
}

/// Creates an empty file of `size` bytes.
pub fn create_file(path: &Path, size: usize) -> Result<(), FsError> {
    let mut size = u32::try_from(size).map_err(|_| FsError::DeviceFull)?;
    let name = path.to_os_name();
    // SAFETY: NUL-terminated name and a valid size for the call.
    FsError::check(unsafe { syscall::Bfile_CreateEntry_OS(name.as_ptr(), 1, &mut size) })?;
    Ok(())
}

/// Creates a folder.
pub fn create_dir(path: &Path) -> Result<(), FsError> {
    let name = path.to_os_name();
    // SAFETY: NUL-terminated name; folders take no size (null).
    FsError::check(unsafe { syscall::Bfile_CreateEntry_OS(name.as_ptr(), 5, ptr::null_mut()) })?;
    Ok(())
}

/// Deletes a file or an empty folder.
pub fn delete(path: &Path) -> Result<(), FsError> {
    let name = path.to_os_name();
    // SAFETY: NUL-terminated name.
    FsError::check(unsafe { syscall::Bfile_DeleteEntry(name.as_ptr()) })?;
    Ok(())
}

/// Renames (or moves) `from` to `to`; fails if `to` exists.
pub fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    let (old, new) = (from.to_os_name(), to.to_os_name());
    // SAFETY: two NUL-terminated names.
    FsError::check(unsafe { syscall::Bfile_RenameEntry(old.as_ptr(), new.as_ptr()) })?;
    Ok(())
}

/// True if a file exists at `path` (it is opened and closed to find out).
pub fn exists(path: &Path) -> Result<bool, FsError> {
    match File::open(path, OpenMode::ReadShare) {
        Ok(_) => Ok(true),
        Err(FsError::NotFound) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Replaces the file at `path` with `data` (deleting any old file first,
/// since the OS fixes sizes at creation).
pub fn write(path: &Path, data: &[u8]) -> Result<(), FsError> {
    match delete(path) {
        Ok(()) | Err(FsError::NotFound) => {}
        Err(error) => return Err(error),
    }
    let mut file = File::create(path, data.len())?;
    file.write(data)?;
    file.close()
}

/// Reads the file at `path` into `buffer`; returns the length read (at
/// most `buffer.len()`).
pub fn read(path: &Path, buffer: &mut [u8]) -> Result<usize, FsError> {
    File::open(path, OpenMode::Read)?.read_full(buffer)
}

/// Free bytes in storage memory.
pub fn free_space() -> Result<u32, FsError> {
    let media = OsName::from_ascii("\\\\fls0");
    let mut free = 0i32;
    // SAFETY: NUL-terminated media name and a valid out-pointer.
    FsError::check(unsafe { syscall::Bfile_GetMediaFree_OS(media.as_ptr(), &mut free) })?;
    Ok(free.max(0) as u32)
}

/// Longest entry name a listing keeps: every name the file system allows.
pub const NAME_CAPACITY: usize = MAX_NAME;

/// What a listing says about one entry (the OS's 20-byte record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EntryInfo {
    /// Entry id.
    pub id: u16,
    /// Entry type as the OS reports it.
    pub kind: u16,
    /// File size in bytes (0 for folders).
    pub file_size: u32,
    /// Data size.
    pub data_size: u32,
    /// Property bits.
    pub property: u32,
    /// Address field.
    pub address: u32,
}

impl EntryInfo {
    /// Size of the OS's record in bytes.
    pub const SIZE: usize = 20;

    /// Parses the record (big-endian fields, as the SH-4 writes them).
    pub fn parse(record: &[u8; Self::SIZE]) -> EntryInfo {
        use prizm_platform::bytes::{read_u16, read_u32};
        // Every offset below lies inside the fixed-size record.
        let u16_at = |i: usize| read_u16(record, i).unwrap_or(0);
        let u32_at = |i: usize| read_u32(record, i).unwrap_or(0);
        EntryInfo {
            id: u16_at(0),
            kind: u16_at(2),
            file_size: u32_at(4),
            data_size: u32_at(8),
            property: u32_at(12),
            address: u32_at(16),
        }
    }

    /// Folders report a size of 0 (what Casio's own add-ins rely on).
    pub fn is_dir(&self) -> bool {
        self.file_size == 0
    }
}

/// One entry of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    name: heapless::String<NAME_CAPACITY>,
    info: EntryInfo,
}

impl DirEntry {
    /// The entry's name (without its folder).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Size in bytes (0 for folders).
    pub fn size(&self) -> u32 {
        self.info.file_size
    }

    /// True for folders.
    pub fn is_dir(&self) -> bool {
        self.info.is_dir()
    }

    /// Everything the OS said about the entry.
    pub fn info(&self) -> EntryInfo {
        self.info
    }
}

/// The OS writes the record with word stores: keep it 4-aligned.
#[repr(C, align(4))]
struct InfoRecord([u8; EntryInfo::SIZE]);

/// Buffer the OS writes a found name into.
const FOUND_NAME_UNITS: usize = MAX_PATH + 1;

/// A folder listing (`Bfile_FindFirst`/`FindNext`); `.` and `..` are
/// skipped. Closed when dropped.
pub struct ReadDir {
    handle: i32,
    pending: Option<Result<DirEntry, FsError>>,
    done: bool,
    _slot: Slot,
}

/// Lists the entries of the folder `dir`.
pub fn read_dir(dir: &Path) -> Result<ReadDir, FsError> {
    read_dir_matching(dir, "*")
}

/// Lists the entries of `dir` whose names match `pattern` (`*` is a
/// wildcard, for example `*.txt`).
pub fn read_dir_matching(dir: &Path, pattern: &str) -> Result<ReadDir, FsError> {
    if pattern.is_empty()
        || pattern
            .chars()
            .any(|c| c == '\\' || !(' '..='~').contains(&c))
    {
        return Err(FsError::InvalidName);
    }
    let slot = take_slot()?;
    let pattern = dir.pattern(pattern)?;
    let mut handle = -1;
    let mut found = [0u16; FOUND_NAME_UNITS];
    let mut record = InfoRecord([0; EntryInfo::SIZE]);
    // SAFETY: NUL-terminated pattern; `found` and `record` are large enough
    // for what the OS writes (a full path's worth of units; 20 bytes).
    let result = unsafe {
        syscall::Bfile_FindFirst_NON_SMEM(
            pattern.as_ptr(),
            &mut handle,
            found.as_mut_ptr(),
            record.0.as_mut_ptr(),
        )
    };
    let (pending, done) = match FsError::check(result) {
        Ok(_) => (Some(Ok(entry_from(&found, &record))), false),
        // An empty folder (or no match) is not an error.
        Err(FsError::EndOfListing) => (None, true),
        // "Not found" may mean no match or no folder: tell them apart.
        Err(FsError::NotFound) => {
            close_listing(handle);
            drop(slot);
            return if is_dir(dir)? {
                Ok(ReadDir::empty(take_slot()?))
            } else {
                Err(FsError::NotFound)
            };
        }
        Err(error) => {
            close_listing(handle);
            return Err(error);
        }
    };
    Ok(ReadDir {
        handle,
        pending,
        done,
        _slot: slot,
    })
}

impl ReadDir {
    fn empty(slot: Slot) -> ReadDir {
        ReadDir {
            handle: -1,
            pending: None,
            done: true,
            _slot: slot,
        }
    }
}

/// True if `path` is a folder (the root always is).
pub fn is_dir(path: &Path) -> Result<bool, FsError> {
    let Some(parent) = path.parent() else {
        return Ok(true);
    };
    let name = path.file_name();
    for entry in read_dir_matching(&parent, name)? {
        let entry = entry?;
        if entry.name().eq_ignore_ascii_case(name) {
            return Ok(entry.is_dir());
        }
    }
    Ok(false)
}

fn entry_from(found: &[u16; FOUND_NAME_UNITS], record: &InfoRecord) -> DirEntry {
    let mut name = heapless::String::new();
    narrow(found, &mut name);
    DirEntry {
        name,
        info: EntryInfo::parse(&record.0),
    }
}

fn close_listing(handle: i32) {
    if handle >= 0 {
        // SAFETY: a handle FindFirst gave us, closed once.
        unsafe { syscall::Bfile_FindClose(handle) };
    }
}

/// True for the `.` and `..` entries the OS lists.
pub fn is_dot_entry(name: &str) -> bool {
    name == "." || name == ".."
}

impl Iterator for ReadDir {
    type Item = Result<DirEntry, FsError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let item = match self.pending.take() {
                Some(item) => item,
                None if self.done => return None,
                None => {
                    let mut found = [0u16; FOUND_NAME_UNITS];
                    let mut record = InfoRecord([0; EntryInfo::SIZE]);
                    // SAFETY: as in `read_dir_matching`; the handle is open.
                    let result = unsafe {
                        syscall::Bfile_FindNext_NON_SMEM(
                            self.handle,
                            found.as_mut_ptr(),
                            record.0.as_mut_ptr(),
                        )
                    };
                    match FsError::check(result) {
                        Ok(_) => Ok(entry_from(&found, &record)),
                        Err(FsError::EndOfListing) => {
                            self.done = true;
                            return None;
                        }
                        Err(error) => {
                            self.done = true;
                            Err(error)
                        }
                    }
                }
            };
            match item {
                Ok(entry) if is_dot_entry(entry.name()) => continue,
                other => return Some(other),
            }
        }
    }
}

impl Drop for ReadDir {
    fn drop(&mut self) {
        close_listing(self.handle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn handle_counter_refuses_the_seventeenth() {
            let counter = HandleCounter::new();
            for _ in 0..MAX_OPEN {
                counter.acquire().unwrap();
            }
            assert_eq!(counter.acquire(), Err(FsError::TooManyOpen));
            assert_eq!(counter.in_use(), 16);
            counter.release();
            assert!(counter.acquire().is_ok());
            for _ in 0..20 {
                counter.release();
            }
            assert_eq!(counter.in_use(), 0);
        }
    }

    prizm_test! {
        fn entry_info_parses_big_endian_and_marks_folders() {
            let record = [0, 1, 0, 2, 0, 0, 0x12, 0x34, 0, 0, 0, 9, 0xAA, 0xBB, 0xCC, 0xDD, 0x80, 0, 0, 0];
            let info = EntryInfo::parse(&record);
            assert_eq!(info, EntryInfo { id: 1, kind: 2, file_size: 0x1234, data_size: 9, property: 0xAABB_CCDD, address: 0x8000_0000 });
            assert!(!info.is_dir());
            assert!(EntryInfo::parse(&[0; 20]).is_dir());
            assert!(is_dot_entry(".") && is_dot_entry("..") && !is_dot_entry("..."));
        }
    }

    prizm_test! {
        fn info_record_is_word_aligned() {
            assert_eq!(core::mem::align_of::<InfoRecord>(), 4);
            assert_eq!(core::mem::size_of::<InfoRecord>(), 20);
        }
    }
}
