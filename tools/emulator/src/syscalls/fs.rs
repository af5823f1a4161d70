//! Storage memory (`Bfile_*` syscalls): a host directory serves as `\\fls0\`.
//!
//! Paths are NUL-terminated strings of 16-bit units, such as
//! `\\fls0\@UTILS\Hash.plp`. Names match case-insensitively, like the
//! calculator's FAT file system; new entries keep the case given.
//! Components may not be empty, `.` or `..`, nor contain `/ : * ? " < > |`
//! or control characters; a path holds at most 270 units.
//!
//! At most 16 handles (open files and directory listings together) exist
//! at a time. `Bfile_CreateEntry_OS(name, 1, &size)` creates a file of
//! `size` zero bytes; writes past the end grow it. Reads return the number
//! of bytes read (0 at the end), writes the number written, seeks the new
//! position. Listings are sorted by name; sub-folders list `.` and `..`
//! first for the patterns `*` and `*.*`. Capacity: 16 801 792 bytes.
//!
//! Error codes (negative, as the OS returns them):
//!
//! | Code | Meaning |
//! |---|---|
//! | −1 | entry not found |
//! | −2 | bad parameter (handle, mode, size) |
//! | −3 | bad path, or its folder does not exist |
//! | −4 | storage memory full |
//! | −5 | not `\\fls0\` |
//! | −8 | access denied (writing a read-only handle, opening a folder) |
//! | −9 | entry is open (delete/rename) |
//! | −12 | all 16 handles in use |
//! | −13 | entry already exists |
//! | −16 | no more entries (find) |
//! | −19 | seek position out of the file |
//! | −31 | host I/O error |
//! | −35 | folder not empty |

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{Action, Ctx, SysErr};

/// Error codes.
pub use prizm_platform::error::bfile as err;
/// Handles at most.
pub const MAX_HANDLES: usize = err::MAX_OPEN_HANDLES;
/// Storage memory size.
pub const CAPACITY: u64 = err::STORAGE_CAPACITY;
/// Longest path in 16-bit units.
pub const MAX_PATH: usize = err::MAX_PATH;
/// Largest single read or write.
const MAX_TRANSFER: usize = 4 << 20;
/// Most characters `Bfile_StrToName_ncpy`/`NameToStr_ncpy` copy.
const MAX_NAME_COPY: usize = 4096;

/// `Bfile_OpenFile_OS` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Read,
    Write,
    ReadWrite,
}

#[derive(Debug, Clone)]
struct FoundEntry {
    name: String,
    kind: u16,
    size: u32,
}

#[derive(Debug)]
enum Handle {
    File {
        file: File,
        path: PathBuf,
        mode: Mode,
        pos: u64,
    },
    Find {
        entries: Vec<FoundEntry>,
        next: usize,
    },
}

/// Removes a temporary storage directory when dropped.
#[derive(Debug)]
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Why storage memory could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The given storage directory cannot be created.
    #[error("cannot create the storage directory {}: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
    /// The add-in's own file cannot be put into storage memory.
    #[error("cannot put the add-in file {name} into storage memory: {source}")]
    AddinFile {
        /// Its file name.
        name: String,
        /// The host's error.
        source: std::io::Error,
    },
    /// No temporary storage directory can be created.
    #[error("cannot create a temporary storage directory {}: {source}", path.display())]
    CreateTempDir {
        /// The directory.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
}

/// Storage memory.
#[derive(Debug)]
pub struct Storage {
    root: PathBuf,
    _temp: Option<TempDir>,
    handles: Vec<Option<Handle>>,
}

/// A path that failed to parse: the error code to return.
type PathResult<T> = Result<T, i32>;

impl Storage {
    /// Storage backed by `dir` (created if missing), or by a fresh temporary
    /// directory removed at the end.
    pub fn new(dir: Option<PathBuf>) -> Result<Storage, StorageError> {
        let (root, temp) = match dir {
            Some(dir) => {
                if let Err(source) = fs::create_dir_all(&dir) {
                    return Err(StorageError::CreateDir { path: dir, source });
                }
                (dir, None)
            }
            None => {
                use std::sync::atomic::{AtomicU64, Ordering};
                static COUNTER: AtomicU64 = AtomicU64::new(0);
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                let dir = std::env::temp_dir().join(format!(
                    "prizm-emu-fls0-{}-{nanos}-{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                ));
                if let Err(source) = fs::create_dir_all(&dir) {
                    return Err(StorageError::CreateTempDir { path: dir, source });
                }
                (dir.clone(), Some(TempDir(dir)))
            }
        };
        Ok(Storage {
            root,
            _temp: temp,
            handles: (0..MAX_HANDLES).map(|_| None).collect(),
        })
    }

    /// Puts the running add-in's file into the root under `name` unless a
    /// file of that name (in any case) is there already: a user's storage
    /// directory holding the add-in keeps its own copy.
    pub fn install_addin(&self, name: &str, bytes: &[u8]) -> Result<(), StorageError> {
        let valid = !name.is_empty()
            && name.len() <= MAX_PATH
            && !name.contains(['/', '\\', '\0'])
            && name != "."
            && name != "..";
        if !valid {
            return Err(StorageError::AddinFile {
                name: name.to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            });
        }
        if find_case_insensitive(&self.root, name).is_some() {
            return Ok(());
        }
        fs::write(self.root.join(name), bytes).map_err(|source| StorageError::AddinFile {
            name: name.to_string(),
            source,
        })
    }

    /// The host directory serving as `\\fls0\`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Splits a calculator path into checked components (without the device).
    pub fn components(units: &[u16]) -> PathResult<Vec<String>> {
        if units.len() > MAX_PATH {
            return Err(err::INVALID_PATH);
        }
        let text: String = char::decode_utf16(units.iter().copied())
            .map(|c| c.map_err(|_| err::INVALID_PATH))
            .collect::<PathResult<String>>()?;
        let Some(rest) = text.strip_prefix("\\\\") else {
            return Err(err::INVALID_PATH);
        };
        let (device, rest) = rest.split_once('\\').unwrap_or((rest, ""));
        if !device.eq_ignore_ascii_case("fls0") {
            return Err(err::INVALID_DEVICE);
        }
        if rest.is_empty() {
            return Ok(Vec::new());
        }
        rest.split('\\')
            .map(|c| {
                let bad = c.is_empty()
                    || c == "."
                    || c == ".."
                    || c.len() > 255
                    || c.chars()
                        .any(|ch| ch.is_control() || "/:\"<>|".contains(ch));
                if bad {
                    Err(err::INVALID_PATH)
                } else {
                    Ok(c.to_string())
                }
            })
            .collect()
    }

    /// Resolves components to a host path, matching existing names
    /// case-insensitively. Wildcards are refused.
    fn host_path(&self, components: &[String]) -> PathResult<PathBuf> {
        let mut path = self.root.clone();
        for c in components {
            if c.contains(['*', '?']) {
                return Err(err::INVALID_PATH);
            }
            path = match find_case_insensitive(&path, c) {
                Some(existing) => path.join(existing),
                None => path.join(c),
            };
        }
        Ok(path)
    }

    /// Host path of a calculator path.
    pub fn resolve(&self, units: &[u16]) -> PathResult<PathBuf> {
        let components = Storage::components(units)?;
        self.host_path(&components)
    }

    fn free_handle(&self) -> PathResult<usize> {
        self.handles
            .iter()
            .position(Option::is_none)
            .ok_or(err::NO_FREE_HANDLE)
    }

    fn is_open(&self, path: &Path) -> bool {
        self.handles
            .iter()
            .flatten()
            .any(|h| matches!(h, Handle::File { path: p, .. } if p == path))
    }

    /// Bytes used by files.
    pub fn used_bytes(&self) -> u64 {
        fn walk(dir: &Path, depth: u32) -> u64 {
            if depth > 32 {
                return 0;
            }
            let Ok(entries) = fs::read_dir(dir) else {
                return 0;
            };
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path(), depth + 1),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        }
        walk(&self.root, 0)
    }

    /// Number of handles in use.
    pub fn open_handles(&self) -> usize {
        self.handles.iter().flatten().count()
    }
}

fn find_case_insensitive(dir: &Path, name: &str) -> Option<std::ffi::OsString> {
    if dir.join(name).exists() {
        return Some(name.into());
    }
    let lower = name.to_lowercase();
    fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name())
        .find(|n| {
            n.to_str()
                .map(|s| s.to_lowercase() == lower)
                .unwrap_or(false)
        })
}

/// `*` and `?` matching, case-insensitive.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn ret(code: i32) -> Result<Action, SysErr> {
    Ok(Action::Return(code as u32))
}

fn read_path(ctx: &mut Ctx, addr: u32) -> Result<Vec<u16>, SysErr> {
    Ok(ctx.mem.read_u16_string(addr, MAX_PATH + 1)?)
}

fn warn_timers(ctx: &mut Ctx) {
    if ctx.os.timers.any_running() {
        ctx.os.warn(
            "a Bfile syscall ran while a user timer was running: on the calculator this can cause a SYSTEM ERROR (stop and uninstall timers first)"
                .into(),
        );
    }
}

/// `int Bfile_OpenFile_OS(const unsigned short* name, int mode, int zero)`.
pub fn open_file(ctx: &mut Ctx) -> Result<Action, SysErr> {
    warn_timers(ctx);
    let (name, mode) = (ctx.arg(0)?, ctx.arg(1)?);
    let units = read_path(ctx, name)?;
    let mode = match mode {
        0 | 1 => Mode::Read,
        2 => Mode::Write,
        3 | 4 => Mode::ReadWrite,
        _ => return ret(err::INVALID_PARAMETER),
    };
    let storage = &mut ctx.os.storage;
    let path = match storage.resolve(&units) {
        Ok(p) => p,
        Err(code) => return ret(code),
    };
    match fs::metadata(&path) {
        Ok(m) if m.is_dir() => return ret(err::ACCESS_DENIED),
        Ok(_) => {}
        Err(_) => return ret(err::NOT_FOUND),
    }
    let slot = match storage.free_handle() {
        Ok(s) => s,
        Err(code) => return ret(code),
    };
    let file = OpenOptions::new()
        .read(true)
        .write(mode != Mode::Read)
        .open(&path);
    match file {
        Ok(file) => {
            storage.handles[slot] = Some(Handle::File {
                file,
                path,
                mode,
                pos: 0,
            });
            ret(slot as i32)
        }
        Err(_) => ret(err::DEVICE_ERROR),
    }
}

fn file_handle<'a>(ctx: &'a mut Ctx<'_>, handle: u32) -> Option<(&'a mut File, Mode, &'a mut u64)> {
    match ctx.os.storage.handles.get_mut(handle as usize) {
        Some(Some(Handle::File {
            file, mode, pos, ..
        })) => Some((file, *mode, pos)),
        _ => None,
    }
}

/// `int Bfile_CloseFile_OS(int handle)`.
pub fn close_file(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let handle = ctx.arg(0)? as usize;
    match ctx.os.storage.handles.get_mut(handle) {
        Some(slot @ Some(Handle::File { .. })) => {
            if let Some(Handle::File { file, .. }) = slot.take() {
                let _ = file.sync_all();
            }
            ret(0)
        }
        _ => ret(err::INVALID_PARAMETER),
    }
}

/// `int Bfile_ReadFile_OS(int handle, void* buf, int size, int readpos)`:
/// `readpos` −1 reads at the current position.
pub fn read_file(ctx: &mut Ctx) -> Result<Action, SysErr> {
    warn_timers(ctx);
    let (handle, buf, size, readpos) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg_i32(2)?, ctx.arg_i32(3)?);
    if size < 0 || readpos < -1 {
        return ret(err::INVALID_PARAMETER);
    }
    let Some((file, _, pos)) = file_handle(ctx, handle) else {
        return ret(err::INVALID_PARAMETER);
    };
    if readpos >= 0 {
        *pos = readpos as u64;
    }
    let mut data = vec![0u8; (size as usize).min(MAX_TRANSFER)];
    let mut got = 0;
    if file.seek(SeekFrom::Start(*pos)).is_err() {
        return ret(err::DEVICE_ERROR);
    }
    while got < data.len() {
        match file.read(&mut data[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(_) => return ret(err::DEVICE_ERROR),
        }
    }
    *pos += got as u64;
    data.truncate(got);
    ctx.write_bytes(buf, &data)?;
    ret(got as i32)
}

/// `int Bfile_WriteFile_OS(int handle, const void* buf, int size)`.
pub fn write_file(ctx: &mut Ctx) -> Result<Action, SysErr> {
    warn_timers(ctx);
    let (handle, buf, size) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg_i32(2)?);
    if size < 0 || size as usize > MAX_TRANSFER {
        return ret(err::INVALID_PARAMETER);
    }
    match file_handle(ctx, handle) {
        None => return ret(err::INVALID_PARAMETER),
        Some((_, Mode::Read, _)) => return ret(err::ACCESS_DENIED),
        Some(_) => {}
    }
    let data = ctx.mem.read_bytes(buf, size as usize)?;
    let used = ctx.os.storage.used_bytes();
    let Some((file, _, pos)) = file_handle(ctx, handle) else {
        return ret(err::INVALID_PARAMETER);
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let growth = (*pos + data.len() as u64).saturating_sub(len);
    if used + growth > CAPACITY {
        return ret(err::DEVICE_FULL);
    }
    if file.seek(SeekFrom::Start(*pos)).is_err() || file.write_all(&data).is_err() {
        return ret(err::DEVICE_ERROR);
    }
    *pos += data.len() as u64;
    ret(data.len() as i32)
}

/// `int Bfile_SeekFile_OS(int handle, int pos)`: absolute; returns the position.
pub fn seek_file(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (handle, target) = (ctx.arg(0)?, ctx.arg_i32(1)?);
    let Some((file, _, pos)) = file_handle(ctx, handle) else {
        return ret(err::INVALID_PARAMETER);
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if target < 0 || target as u64 > len {
        return ret(err::INVALID_SEEK);
    }
    *pos = target as u64;
    ret(target)
}

/// `int Bfile_TellFile_OS(int handle)`.
pub fn tell_file(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let handle = ctx.arg(0)?;
    match file_handle(ctx, handle) {
        Some((_, _, pos)) => ret(*pos as i32),
        None => ret(err::INVALID_PARAMETER),
    }
}

/// `int Bfile_GetFileSize_OS(int handle)`.
pub fn get_file_size(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let handle = ctx.arg(0)?;
    match file_handle(ctx, handle) {
        Some((file, _, _)) => ret(file
            .metadata()
            .map(|m| m.len() as i32)
            .unwrap_or(err::DEVICE_ERROR)),
        None => ret(err::INVALID_PARAMETER),
    }
}

fn parent_is_dir(path: &Path) -> bool {
    path.parent().map(|p| p.is_dir()).unwrap_or(false)
}

/// `int Bfile_CreateEntry_OS(const unsigned short* name, int mode, size_t* size)`:
/// mode 1 = file of `*size` bytes, 5 = folder.
pub fn create_entry(ctx: &mut Ctx) -> Result<Action, SysErr> {
    warn_timers(ctx);
    let (name, mode, size_ptr) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?);
    let units = read_path(ctx, name)?;
    let components = match Storage::components(&units) {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => return ret(err::ALREADY_EXISTS),
        Err(code) => return ret(code),
    };
    let path = match ctx.os.storage.host_path(&components) {
        Ok(p) => p,
        Err(code) => return ret(code),
    };
    if !parent_is_dir(&path) {
        return ret(err::INVALID_PATH);
    }
    if path.exists() {
        return ret(err::ALREADY_EXISTS);
    }
    match mode {
        1 => {
            if size_ptr == 0 {
                return ret(err::INVALID_PARAMETER);
            }
            let size = u64::from(ctx.read_u32(size_ptr)?);
            if ctx.os.storage.used_bytes() + size > CAPACITY {
                return ret(err::DEVICE_FULL);
            }
            let created = File::create(&path).and_then(|f| f.set_len(size));
            ret(if created.is_ok() {
                0
            } else {
                err::DEVICE_ERROR
            })
        }
        5 => ret(if fs::create_dir(&path).is_ok() {
            0
        } else {
            err::DEVICE_ERROR
        }),
        _ => ret(err::INVALID_PARAMETER),
    }
}

/// `int Bfile_DeleteEntry(const unsigned short* name)`: a file or an empty folder.
pub fn delete_entry(ctx: &mut Ctx) -> Result<Action, SysErr> {
    warn_timers(ctx);
    let name = ctx.arg(0)?;
    let units = read_path(ctx, name)?;
    let storage = &ctx.os.storage;
    let path = match Storage::components(&units) {
        Ok(c) if c.is_empty() => return ret(err::ACCESS_DENIED),
        Ok(c) => match storage.host_path(&c) {
            Ok(p) => p,
            Err(code) => return ret(code),
        },
        Err(code) => return ret(code),
    };
    let Ok(meta) = fs::metadata(&path) else {
        return ret(err::NOT_FOUND);
    };
    if storage.is_open(&path) {
        return ret(err::IN_USE);
    }
    if meta.is_dir() {
        if fs::read_dir(&path)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
        {
            return ret(err::NOT_EMPTY);
        }
        return ret(if fs::remove_dir(&path).is_ok() {
            0
        } else {
            err::DEVICE_ERROR
        });
    }
    ret(if fs::remove_file(&path).is_ok() {
        0
    } else {
        err::DEVICE_ERROR
    })
}

/// `int Bfile_RenameEntry(const unsigned short* old, const unsigned short* new)`:
/// fails if the new name exists.
pub fn rename_entry(ctx: &mut Ctx) -> Result<Action, SysErr> {
    warn_timers(ctx);
    let (old, new) = (ctx.arg(0)?, ctx.arg(1)?);
    let (old_units, new_units) = (read_path(ctx, old)?, read_path(ctx, new)?);
    let storage = &ctx.os.storage;
    let resolve = |units: &[u16]| -> PathResult<PathBuf> {
        let c = Storage::components(units)?;
        if c.is_empty() {
            return Err(err::ACCESS_DENIED);
        }
        storage.host_path(&c)
    };
    let from = match resolve(&old_units) {
        Ok(p) => p,
        Err(code) => return ret(code),
    };
    let to = match resolve(&new_units) {
        Ok(p) => p,
        Err(code) => return ret(code),
    };
    if !from.exists() {
        return ret(err::NOT_FOUND);
    }
    if to.exists() && to != from {
        return ret(err::ALREADY_EXISTS);
    }
    if !parent_is_dir(&to) {
        return ret(err::INVALID_PATH);
    }
    if storage.is_open(&from) {
        return ret(err::IN_USE);
    }
    ret(if fs::rename(&from, &to).is_ok() {
        0
    } else {
        err::DEVICE_ERROR
    })
}

fn write_found(
    ctx: &mut Ctx,
    found: u32,
    info: u32,
    entry: &FoundEntry,
    index: usize,
) -> Result<(), SysErr> {
    if found != 0 {
        let mut bytes = Vec::new();
        for unit in entry.name.encode_utf16().chain(std::iter::once(0)) {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        ctx.write_bytes(found, &bytes)?;
    }
    if info != 0 {
        let mut record = [0u8; 20];
        record[0..2].copy_from_slice(&(index as u16).to_be_bytes());
        record[2..4].copy_from_slice(&entry.kind.to_be_bytes());
        record[4..8].copy_from_slice(&entry.size.to_be_bytes());
        record[8..12].copy_from_slice(&entry.size.to_be_bytes());
        ctx.write_bytes(info, &record)?;
    }
    Ok(())
}

/// File types in the find record.
const TYPE_FOLDER: u16 = 0;
const TYPE_FILE: u16 = 1;
const TYPE_ADDIN: u16 = 2;
const TYPE_DOT: u16 = 8;
const TYPE_DOTDOT: u16 = 9;

/// `int Bfile_FindFirst(_NON_SMEM)(const unsigned short* pattern, int* handle,
/// unsigned short* found, file_type_t* info)`.
pub fn find_first(ctx: &mut Ctx) -> Result<Action, SysErr> {
    warn_timers(ctx);
    let (pattern, handle_ptr, found, info) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?, ctx.arg(3)?);
    ctx.write_u32(handle_ptr, -1i32 as u32)?;
    let units = read_path(ctx, pattern)?;
    let mut components = match Storage::components(&units) {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => return ret(err::INVALID_PATH),
        Err(code) => return ret(code),
    };
    let mask = components.pop().unwrap_or_default();
    let storage = &ctx.os.storage;
    let dir = match storage.host_path(&components) {
        Ok(p) => p,
        Err(code) => return ret(code),
    };
    let Ok(listing) = fs::read_dir(&dir) else {
        return ret(err::NOT_FOUND);
    };
    let mut entries: Vec<FoundEntry> = listing
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if !wildcard_match(&mask, &name) {
                return None;
            }
            let meta = e.metadata().ok()?;
            let kind = if meta.is_dir() {
                TYPE_FOLDER
            } else if name.to_lowercase().ends_with(".g3a") {
                TYPE_ADDIN
            } else {
                TYPE_FILE
            };
            let size = if meta.is_dir() {
                0
            } else {
                meta.len().min(u64::from(u32::MAX)) as u32
            };
            Some(FoundEntry { name, kind, size })
        })
        .collect();
    entries.sort_by_key(|e| e.name.to_lowercase());
    if !components.is_empty() && (mask == "*" || mask == "*.*") {
        entries.insert(
            0,
            FoundEntry {
                name: "..".into(),
                kind: TYPE_DOTDOT,
                size: 0,
            },
        );
        entries.insert(
            0,
            FoundEntry {
                name: ".".into(),
                kind: TYPE_DOT,
                size: 0,
            },
        );
    }
    if entries.is_empty() {
        return ret(err::END_OF_LISTING);
    }
    let slot = match storage.free_handle() {
        Ok(s) => s,
        Err(code) => return ret(code),
    };
    let first = entries[0].clone();
    ctx.os.storage.handles[slot] = Some(Handle::Find { entries, next: 1 });
    ctx.write_u32(handle_ptr, slot as u32)?;
    write_found(ctx, found, info, &first, 0)?;
    ret(0)
}

/// `int Bfile_FindNext(_NON_SMEM)(int handle, unsigned short* found, file_type_t* info)`.
pub fn find_next(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (handle, found, info) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?);
    let entry = match ctx.os.storage.handles.get_mut(handle as usize) {
        Some(Some(Handle::Find { entries, next })) => {
            let Some(entry) = entries.get(*next).cloned() else {
                return ret(err::END_OF_LISTING);
            };
            *next += 1;
            (entry, *next - 1)
        }
        _ => return ret(err::INVALID_PARAMETER),
    };
    write_found(ctx, found, info, &entry.0, entry.1)?;
    ret(0)
}

/// `int Bfile_FindClose(int handle)`.
pub fn find_close(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let handle = ctx.arg(0)? as usize;
    match ctx.os.storage.handles.get_mut(handle) {
        Some(slot @ Some(Handle::Find { .. })) => {
            *slot = None;
            ret(0)
        }
        _ => ret(err::INVALID_PARAMETER),
    }
}

/// `int Bfile_GetMediaFree_OS(unsigned short* media, int* free)`.
pub fn get_media_free(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (media, free) = (ctx.arg(0)?, ctx.arg(1)?);
    let units = read_path(ctx, media)?;
    let name = String::from_utf16_lossy(&units);
    if !name.trim_end_matches('\\').eq_ignore_ascii_case("\\\\fls0") {
        return ret(err::INVALID_DEVICE);
    }
    let available = CAPACITY.saturating_sub(ctx.os.storage.used_bytes());
    ctx.write_u32(free, available as u32)?;
    ret(0)
}

/// `void Bfile_StrToName_ncpy(unsigned short* dest, const char* src, size_t n)`.
pub fn str_to_name_ncpy(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dest, src, n) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)? as usize);
    let mut out = Vec::new();
    for i in 0..n.min(MAX_NAME_COPY) {
        let byte = ctx.mem.read_bytes(src.wrapping_add(i as u32), 1)?[0];
        out.extend_from_slice(&u16::from(byte).to_be_bytes());
        if byte == 0 {
            break;
        }
    }
    ctx.write_bytes(dest, &out)?;
    Ok(Action::Return(0))
}

/// `void Bfile_NameToStr_ncpy(char* dest, const unsigned short* src, size_t n)`.
pub fn name_to_str_ncpy(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dest, src, n) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)? as usize);
    let mut out = Vec::new();
    for i in 0..n.min(MAX_NAME_COPY) {
        let unit = ctx.mem.read_bytes(src.wrapping_add(2 * i as u32), 2)?;
        let unit = u16::from_be_bytes([unit[0], unit[1]]);
        out.push(if unit > 0xFF { b'?' } else { unit as u8 });
        if unit == 0 {
            break;
        }
    }
    ctx.write_bytes(dest, &out)?;
    Ok(Action::Return(0))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn path_parsing() {
        assert_eq!(Storage::components(&units("\\\\fls0\\")), Ok(vec![]));
        assert_eq!(
            Storage::components(&units("\\\\FLS0\\a\\b.txt")),
            Ok(vec!["a".into(), "b.txt".into()])
        );
        assert_eq!(
            Storage::components(&units("\\\\crd0\\x")),
            Err(err::INVALID_DEVICE)
        );
        assert_eq!(
            Storage::components(&units("fls0\\x")),
            Err(err::INVALID_PATH)
        );
        assert_eq!(
            Storage::components(&units("\\\\fls0\\..\\x")),
            Err(err::INVALID_PATH)
        );
        assert_eq!(
            Storage::components(&units("\\\\fls0\\a\\\\b")),
            Err(err::INVALID_PATH)
        );
        assert_eq!(
            Storage::components(&units("\\\\fls0\\a/b")),
            Err(err::INVALID_PATH)
        );
        assert_eq!(Storage::components(&[0xD800]), Err(err::INVALID_PATH));
        assert_eq!(
            Storage::components(&vec![0x41; 300]),
            Err(err::INVALID_PATH)
        );
        assert!(wildcard_match("*.g3a", "Utils.G3A"));
        assert!(wildcard_match("*", "anything"));
        assert!(wildcard_match("a?c*", "abcdef"));
        assert!(!wildcard_match("*.txt", "a.txt.bak"));
    }

    #[test]
    fn create_write_read_seek() {
        let mut g = Guest::new();
        let name = g.u16str("\\\\fls0\\Hello.txt");
        let size = g.put(&10u32.to_be_bytes());
        assert_eq!(g.ret(sc::Bfile_CreateEntry_OS, &[name, 1, size]), 0);
        assert_eq!(
            g.ret(sc::Bfile_CreateEntry_OS, &[name, 1, size]),
            err::ALREADY_EXISTS
        );
        let h = g.ret(sc::Bfile_OpenFile_OS, &[name, 2, 0]);
        assert!(h >= 0);
        let data = g.cstr("Hello, world!");
        assert_eq!(g.ret(sc::Bfile_WriteFile_OS, &[h as u32, data, 13]), 13);
        assert_eq!(g.ret(sc::Bfile_TellFile_OS, &[h as u32]), 13);
        assert_eq!(g.ret(sc::Bfile_GetFileSize_OS, &[h as u32]), 13);
        assert_eq!(g.ret(sc::Bfile_CloseFile_OS, &[h as u32]), 0);
        assert_eq!(
            g.ret(sc::Bfile_CloseFile_OS, &[h as u32]),
            err::INVALID_PARAMETER
        );
        assert_eq!(
            fs::read(g.os.storage.root().join("Hello.txt")).unwrap(),
            b"Hello, world!"
        );

        let h = g.ret(sc::Bfile_OpenFile_OS, &[name, 0, 0]) as u32;
        let buf = g.zeroed(32);
        assert_eq!(g.ret(sc::Bfile_ReadFile_OS, &[h, buf, 5, 7]), 5);
        assert_eq!(g.read(buf, 5), b"world");
        assert_eq!(
            g.ret(sc::Bfile_ReadFile_OS, &[h, buf, 100, -1i32 as u32]),
            1
        );
        assert_eq!(
            g.ret(sc::Bfile_ReadFile_OS, &[h, buf, 100, -1i32 as u32]),
            0
        );
        assert_eq!(g.ret(sc::Bfile_SeekFile_OS, &[h, 0]), 0);
        assert_eq!(g.ret(sc::Bfile_SeekFile_OS, &[h, 14]), err::INVALID_SEEK);
        assert_eq!(g.ret(sc::Bfile_ReadFile_OS, &[h, buf, 5, -1i32 as u32]), 5);
        assert_eq!(g.read(buf, 5), b"Hello");
        assert_eq!(
            g.ret(sc::Bfile_WriteFile_OS, &[h, data, 3]),
            err::ACCESS_DENIED,
            "read-only handle"
        );
        // Case-insensitive names.
        let upper = g.u16str("\\\\fls0\\HELLO.TXT");
        let h2 = g.ret(sc::Bfile_OpenFile_OS, &[upper, 0, 0]);
        assert!(h2 >= 0 && h2 as u32 != h);
        g.ret(sc::Bfile_CloseFile_OS, &[h]);
        g.ret(sc::Bfile_CloseFile_OS, &[h2 as u32]);
        assert_eq!(g.os.storage.open_handles(), 0);
    }

    #[test]
    fn folders_rename_delete() {
        let mut g = Guest::new();
        let dir = g.u16str("\\\\fls0\\@UTILS");
        assert_eq!(g.ret(sc::Bfile_CreateEntry_OS, &[dir, 5, 0]), 0);
        let file = g.u16str("\\\\fls0\\@UTILS\\a.bin");
        let size = g.put(&0u32.to_be_bytes());
        assert_eq!(g.ret(sc::Bfile_CreateEntry_OS, &[file, 1, size]), 0);
        let missing_parent = g.u16str("\\\\fls0\\nope\\a.bin");
        assert_eq!(
            g.ret(sc::Bfile_CreateEntry_OS, &[missing_parent, 1, size]),
            err::INVALID_PATH
        );
        assert_eq!(
            g.ret(sc::Bfile_CreateEntry_OS, &[file, 7, size]),
            err::ALREADY_EXISTS
        );
        let other = g.u16str("\\\\fls0\\@UTILS\\b.bin");
        assert_eq!(
            g.ret(sc::Bfile_CreateEntry_OS, &[other, 9, size]),
            err::INVALID_PARAMETER
        );
        assert_eq!(
            g.ret(sc::Bfile_CreateEntry_OS, &[other, 1, 0]),
            err::INVALID_PARAMETER
        );

        assert_eq!(g.ret(sc::Bfile_DeleteEntry, &[dir]), err::NOT_EMPTY);
        let h = g.ret(sc::Bfile_OpenFile_OS, &[file, 0, 0]) as u32;
        assert_eq!(g.ret(sc::Bfile_RenameEntry, &[file, other]), err::IN_USE);
        assert_eq!(g.ret(sc::Bfile_DeleteEntry, &[file]), err::IN_USE);
        g.ret(sc::Bfile_CloseFile_OS, &[h]);
        assert_eq!(g.ret(sc::Bfile_RenameEntry, &[file, other]), 0);
        assert_eq!(g.ret(sc::Bfile_RenameEntry, &[file, other]), err::NOT_FOUND);
        assert_eq!(g.ret(sc::Bfile_CreateEntry_OS, &[file, 1, size]), 0);
        assert_eq!(
            g.ret(sc::Bfile_RenameEntry, &[file, other]),
            err::ALREADY_EXISTS
        );
        assert_eq!(g.ret(sc::Bfile_DeleteEntry, &[file]), 0);
        assert_eq!(g.ret(sc::Bfile_DeleteEntry, &[file]), err::NOT_FOUND);
        assert_eq!(g.ret(sc::Bfile_DeleteEntry, &[other]), 0);
        assert_eq!(g.ret(sc::Bfile_DeleteEntry, &[dir]), 0);
        let root = g.u16str("\\\\fls0\\");
        assert_eq!(g.ret(sc::Bfile_DeleteEntry, &[root]), err::ACCESS_DENIED);
    }

    #[test]
    fn find_first_next_close() {
        let mut g = Guest::new();
        let root = g.os.storage.root().to_path_buf();
        fs::write(root.join("b.txt"), b"12345").unwrap();
        fs::write(root.join("A.g3a"), b"x").unwrap();
        fs::create_dir(root.join("sub")).unwrap();
        fs::write(root.join("sub").join("inner.txt"), b"").unwrap();
        let pattern = g.u16str("\\\\fls0\\*");
        let (handle, found, info) = (g.zeroed(4), g.zeroed(600), g.zeroed(20));
        assert_eq!(
            g.ret(
                sc::Bfile_FindFirst_NON_SMEM,
                &[pattern, handle, found, info]
            ),
            0
        );
        let h = g.read_u32(handle);
        let mut names = Vec::new();
        let name_of = |g: &mut Guest| {
            let u = g.mem.read_u16_string(found, 300).unwrap();
            String::from_utf16(&u).unwrap()
        };
        names.push((
            name_of(&mut g),
            g.read(info + 2, 2)[1],
            g.read_u32(info + 4),
        ));
        while g.ret(sc::Bfile_FindNext_NON_SMEM, &[h, found, info]) == 0 {
            names.push((
                name_of(&mut g),
                g.read(info + 2, 2)[1],
                g.read_u32(info + 4),
            ));
        }
        assert_eq!(
            names,
            vec![
                ("A.g3a".to_string(), 2, 1),
                ("b.txt".to_string(), 1, 5),
                ("sub".to_string(), 0, 0)
            ]
        );
        assert_eq!(
            g.ret(sc::Bfile_FindNext_NON_SMEM, &[h, found, info]),
            err::END_OF_LISTING
        );
        assert_eq!(g.ret(sc::Bfile_FindClose, &[h]), 0);
        assert_eq!(g.ret(sc::Bfile_FindClose, &[h]), err::INVALID_PARAMETER);

        let sub = g.u16str("\\\\fls0\\sub\\*");
        assert_eq!(
            g.ret(sc::Bfile_FindFirst_NON_SMEM, &[sub, handle, found, info]),
            0
        );
        assert_eq!(name_of(&mut g), ".");
        let h = g.read_u32(handle);
        g.ret(sc::Bfile_FindClose, &[h]);
        let txt = g.u16str("\\\\fls0\\*.TXT");
        assert_eq!(
            g.ret(sc::Bfile_FindFirst_NON_SMEM, &[txt, handle, found, info]),
            0
        );
        assert_eq!(name_of(&mut g), "b.txt");
        let h = g.read_u32(handle);
        assert_eq!(
            g.ret(sc::Bfile_FindNext_NON_SMEM, &[h, found, info]),
            err::END_OF_LISTING
        );
        g.ret(sc::Bfile_FindClose, &[h]);
        let none = g.u16str("\\\\fls0\\*.xyz");
        assert_eq!(
            g.ret(sc::Bfile_FindFirst_NON_SMEM, &[none, handle, found, info]),
            err::END_OF_LISTING
        );
        assert_eq!(g.read_u32(handle), u32::MAX);
        let missing = g.u16str("\\\\fls0\\nothere\\*");
        assert_eq!(
            g.ret(
                sc::Bfile_FindFirst_NON_SMEM,
                &[missing, handle, found, info]
            ),
            err::NOT_FOUND
        );
    }

    #[test]
    fn sixteen_handles_at_most() {
        let mut g = Guest::new();
        fs::write(g.os.storage.root().join("f"), b"x").unwrap();
        let name = g.u16str("\\\\fls0\\f");
        let mut handles = Vec::new();
        for _ in 0..MAX_HANDLES {
            let h = g.ret(sc::Bfile_OpenFile_OS, &[name, 0, 0]);
            assert!(h >= 0);
            handles.push(h as u32);
        }
        assert_eq!(
            g.ret(sc::Bfile_OpenFile_OS, &[name, 0, 0]),
            err::NO_FREE_HANDLE
        );
        let pattern = g.u16str("\\\\fls0\\*");
        let (hp, found) = (g.zeroed(4), g.zeroed(64));
        assert_eq!(
            g.ret(sc::Bfile_FindFirst_NON_SMEM, &[pattern, hp, found, 0]),
            err::NO_FREE_HANDLE
        );
        g.ret(sc::Bfile_CloseFile_OS, &[handles[3]]);
        assert_eq!(g.ret(sc::Bfile_OpenFile_OS, &[name, 0, 0]), 3);
    }

    #[test]
    fn bad_paths_and_handles() {
        let mut g = Guest::new();
        let bad = g.u16str("fls0\\x");
        assert_eq!(
            g.ret(sc::Bfile_OpenFile_OS, &[bad, 0, 0]),
            err::INVALID_PATH
        );
        let other_device = g.u16str("\\\\crd0\\x");
        assert_eq!(
            g.ret(sc::Bfile_OpenFile_OS, &[other_device, 0, 0]),
            err::INVALID_DEVICE
        );
        let missing = g.u16str("\\\\fls0\\missing");
        assert_eq!(
            g.ret(sc::Bfile_OpenFile_OS, &[missing, 0, 0]),
            err::NOT_FOUND
        );
        assert_eq!(
            g.ret(sc::Bfile_OpenFile_OS, &[missing, 9, 0]),
            err::INVALID_PARAMETER
        );
        let root = g.u16str("\\\\fls0\\");
        assert_eq!(
            g.ret(sc::Bfile_OpenFile_OS, &[root, 0, 0]),
            err::ACCESS_DENIED
        );
        let wild = g.u16str("\\\\fls0\\*.txt");
        assert_eq!(
            g.ret(sc::Bfile_OpenFile_OS, &[wild, 0, 0]),
            err::INVALID_PATH
        );
        let buf = g.zeroed(8);
        assert_eq!(
            g.ret(sc::Bfile_ReadFile_OS, &[99, buf, 4, 0]),
            err::INVALID_PARAMETER
        );
        assert_eq!(
            g.ret(sc::Bfile_ReadFile_OS, &[-1i32 as u32, buf, 4, 0]),
            err::INVALID_PARAMETER
        );
        assert_eq!(
            g.ret(sc::Bfile_WriteFile_OS, &[5, buf, 4]),
            err::INVALID_PARAMETER
        );
        assert_eq!(
            g.ret(sc::Bfile_SeekFile_OS, &[5, 0]),
            err::INVALID_PARAMETER
        );
        assert_eq!(g.ret(sc::Bfile_TellFile_OS, &[5]), err::INVALID_PARAMETER);
        assert_eq!(
            g.ret(sc::Bfile_GetFileSize_OS, &[5]),
            err::INVALID_PARAMETER
        );
        assert!(
            g.call(sc::Bfile_OpenFile_OS, &[0xDEAD_BEE0, 0, 0]).is_err(),
            "unmapped pointer"
        );
    }

    #[test]
    fn names_and_media() {
        let mut g = Guest::new();
        let src = g.cstr("\\\\fls0\\x");
        let dest = g.zeroed(64);
        g.ret(sc::Bfile_StrToName_ncpy, &[dest, src, 64]);
        assert_eq!(
            String::from_utf16(&g.mem.read_u16_string(dest, 64).unwrap()).unwrap(),
            "\\\\fls0\\x"
        );
        let back = g.zeroed(64);
        g.ret(sc::Bfile_NameToStr_ncpy, &[back, dest, 64]);
        assert_eq!(g.mem.read_cstring(back, 64).unwrap(), b"\\\\fls0\\x");
        let media = g.u16str("\\\\fls0");
        let free = g.zeroed(4);
        assert_eq!(g.ret(sc::Bfile_GetMediaFree_OS, &[media, free]), 0);
        assert_eq!(u64::from(g.read_u32(free)), CAPACITY);
        let card = g.u16str("\\\\crd0");
        assert_eq!(
            g.ret(sc::Bfile_GetMediaFree_OS, &[card, free]),
            err::INVALID_DEVICE
        );
    }
}
