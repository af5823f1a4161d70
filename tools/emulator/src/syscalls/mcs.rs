//! Main memory (MCS): folders of named items, kept in the emulator and,
//! when a file is given, saved to it as JSON after every change.
//!
//! File format (names are byte strings shown as Latin-1 text; data is hex):
//!
//! ```json
//! { "format": "prizm-emu main memory 1",
//!   "directories": { "@UTILS": { "Set": { "type": 0, "data": "0f0001" } } } }
//! ```
//!
//! Names have 1–8 bytes. Capacity: 64 048 bytes (the OS's MCS area);
//! an item costs its length rounded up to 4 plus 24 bytes, a folder 16.
//!
//! Return codes (0 = success; 0x10, 0x42, 0x43 and 0xF0 are the OS's
//! documented ones, the others are the emulator's):
//!
//! | Code | Meaning |
//! |---|---|
//! | 0x10 | `MCS_WriteItem` length not a multiple of 4 |
//! | 0x34 | item not found (or nothing selected for `MCSGetData1`) |
//! | 0x35 | item already exists (`MCSPutVar2`) |
//! | 0x36 | main memory full |
//! | 0x40 | folder not found |
//! | 0x42 | folder already exists |
//! | 0x43 | no room for another folder (64 at most) |
//! | 0xF0 | bad name |
//!
//! `MCSOvwDat2` writes at an offset and grows the item if needed.
//! `MCS_DeleteDirectory` deletes the folder with its items.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Action, Ctx, SysErr};

/// Return codes ([`prizm_platform::error::mcs`]) as r0 values.
#[allow(missing_docs)]
pub mod code {
    use prizm_platform::error::mcs;
    pub const OK: u32 = mcs::OK as u32;
    pub const BAD_LENGTH: u32 = mcs::BAD_LENGTH as u32;
    pub const ITEM_NOT_FOUND: u32 = mcs::ITEM_NOT_FOUND as u32;
    pub const ITEM_EXISTS: u32 = mcs::ITEM_EXISTS as u32;
    pub const FULL: u32 = mcs::FULL as u32;
    pub const DIR_NOT_FOUND: u32 = mcs::FOLDER_NOT_FOUND as u32;
    pub const DIR_EXISTS: u32 = mcs::FOLDER_EXISTS as u32;
    pub const TOO_MANY_DIRS: u32 = mcs::TOO_MANY_FOLDERS as u32;
    pub const BAD_NAME: u32 = mcs::BAD_NAME as u32;
}

/// Main memory size in bytes.
pub const CAPACITY: u32 = prizm_platform::error::mcs::CAPACITY;
/// Folders at most.
pub const MAX_DIRECTORIES: usize = prizm_platform::error::mcs::MAX_FOLDERS;
const FORMAT: &str = "prizm-emu main memory 1";

#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    kind: u16,
    data: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct ItemJson {
    #[serde(rename = "type")]
    kind: u16,
    data: String,
}

#[derive(Serialize, Deserialize)]
struct FileJson {
    format: String,
    directories: BTreeMap<String, BTreeMap<String, ItemJson>>,
}

/// Main memory.
#[derive(Debug, Clone, Default)]
pub struct MainMemory {
    dirs: BTreeMap<Vec<u8>, BTreeMap<Vec<u8>, Item>>,
    file: Option<PathBuf>,
    selected: Option<(Vec<u8>, Vec<u8>)>,
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|b| *b as char).collect()
}

fn from_latin1(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn valid_name(name: &[u8]) -> bool {
    (1..=8).contains(&name.len())
}

/// Why main memory could not be loaded, saved or changed.
#[derive(Debug, thiserror::Error)]
pub enum MainMemoryError {
    /// The main memory file exists but cannot be read.
    #[error("cannot read main memory file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
    /// The main memory file's content is not what this emulator writes.
    #[error("main memory file {} is not valid: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The main memory file cannot be written.
    #[error("cannot write main memory file {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
    /// Main memory cannot be encoded as JSON.
    #[error("cannot encode main memory as JSON: {0}")]
    Encode(#[from] serde_json::Error),
    /// A folder or item name the OS would refuse.
    #[error("main memory name {name:?} has {len} bytes; names have 1 to 8", name = String::from_utf8_lossy(.0), len = .0.len())]
    BadName(Vec<u8>),
}

impl MainMemory {
    /// Main memory, loaded from `file` if it exists (saved there on changes).
    pub fn open(file: Option<PathBuf>) -> Result<MainMemory, MainMemoryError> {
        let mut mcs = MainMemory {
            file: file.clone(),
            ..MainMemory::default()
        };
        let Some(path) = file else { return Ok(mcs) };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(mcs),
            Err(source) => return Err(MainMemoryError::Read { path, source }),
        };
        let bad = |why: &str| MainMemoryError::Invalid {
            path: path.clone(),
            reason: why.to_owned(),
        };
        let parsed: FileJson = serde_json::from_str(&text).map_err(|e| bad(&e.to_string()))?;
        if parsed.format != FORMAT {
            return Err(bad(&format!("expected \"format\": \"{FORMAT}\"")));
        }
        for (dir, items) in parsed.directories {
            let dir_name = from_latin1(&dir)
                .filter(|n| valid_name(n))
                .ok_or_else(|| bad(&format!("folder name {dir:?}")))?;
            let mut map = BTreeMap::new();
            for (item, value) in items {
                let item_name = from_latin1(&item)
                    .filter(|n| valid_name(n))
                    .ok_or_else(|| bad(&format!("item name {item:?}")))?;
                let data = from_hex(&value.data)
                    .ok_or_else(|| bad(&format!("data of {dir}/{item} is not hex")))?;
                map.insert(
                    item_name,
                    Item {
                        kind: value.kind,
                        data,
                    },
                );
            }
            mcs.dirs.insert(dir_name, map);
        }
        Ok(mcs)
    }

    /// Writes the file (if any).
    pub fn save(&self) -> Result<(), MainMemoryError> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let json = FileJson {
            format: FORMAT.to_string(),
            directories: self
                .dirs
                .iter()
                .map(|(dir, items)| {
                    let items = items
                        .iter()
                        .map(|(name, item)| {
                            (
                                latin1(name),
                                ItemJson {
                                    kind: item.kind,
                                    data: to_hex(&item.data),
                                },
                            )
                        })
                        .collect();
                    (latin1(dir), items)
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&json)?;
        std::fs::write(path, text + "\n").map_err(|source| MainMemoryError::Write {
            path: path.clone(),
            source,
        })
    }

    /// Bytes in use.
    pub fn used(&self) -> u32 {
        self.dirs
            .values()
            .map(|items| {
                16 + items
                    .values()
                    .map(|i| ((i.data.len() as u32 + 3) & !3) + 24)
                    .sum::<u32>()
            })
            .sum()
    }

    /// An item's data.
    pub fn item(&self, dir: &[u8], item: &[u8]) -> Option<&[u8]> {
        self.dirs.get(dir)?.get(item).map(|i| i.data.as_slice())
    }

    /// Sets an item, creating its folder if needed (for tests and tools).
    pub fn set_item(
        &mut self,
        dir: &[u8],
        item: &[u8],
        data: &[u8],
    ) -> Result<(), MainMemoryError> {
        if let Some(bad) = [dir, item].into_iter().find(|name| !valid_name(name)) {
            return Err(MainMemoryError::BadName(bad.to_vec()));
        }
        self.dirs.entry(dir.to_vec()).or_default().insert(
            item.to_vec(),
            Item {
                kind: 0,
                data: data.to_vec(),
            },
        );
        self.save()
    }

    /// Folder names.
    pub fn directories(&self) -> Vec<Vec<u8>> {
        self.dirs.keys().cloned().collect()
    }

    /// Item names of a folder.
    pub fn items(&self, dir: &[u8]) -> Vec<Vec<u8>> {
        self.dirs
            .get(dir)
            .map(|items| items.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn fits(&self, extra: u32) -> bool {
        u64::from(self.used()) + u64::from(extra) <= u64::from(CAPACITY)
    }
}

fn name(ctx: &mut Ctx, addr: u32) -> Result<Option<Vec<u8>>, SysErr> {
    let n = ctx.cstring(addr, 9)?;
    Ok(valid_name(&n).then_some(n))
}

fn changed(ctx: &mut Ctx, result: u32) -> Result<Action, SysErr> {
    if let Err(e) = ctx.os.mcs.save() {
        ctx.os.warn(e.to_string());
    }
    Ok(Action::Return(result))
}

fn item_cost(len: usize) -> u32 {
    ((len as u32).saturating_add(3) & !3).saturating_add(24)
}

/// `int MCS_CreateDirectory(unsigned char* dir)`.
pub fn create_directory(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let dir = ctx.arg(0)?;
    let Some(dir) = name(ctx, dir)? else {
        return Ok(Action::Return(code::BAD_NAME));
    };
    let mcs = &mut ctx.os.mcs;
    if mcs.dirs.contains_key(&dir) {
        return Ok(Action::Return(code::DIR_EXISTS));
    }
    if mcs.dirs.len() >= MAX_DIRECTORIES {
        return Ok(Action::Return(code::TOO_MANY_DIRS));
    }
    if !mcs.fits(16) {
        return Ok(Action::Return(code::FULL));
    }
    mcs.dirs.insert(dir, BTreeMap::new());
    changed(ctx, code::OK)
}

/// `int MCS_DeleteDirectory(unsigned char* dir)`.
pub fn delete_directory(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let dir = ctx.arg(0)?;
    let Some(dir) = name(ctx, dir)? else {
        return Ok(Action::Return(code::BAD_NAME));
    };
    if ctx.os.mcs.dirs.remove(&dir).is_none() {
        return Ok(Action::Return(code::DIR_NOT_FOUND));
    }
    if ctx.os.mcs.selected.as_ref().is_some_and(|(d, _)| *d == dir) {
        ctx.os.mcs.selected = None;
    }
    changed(ctx, code::OK)
}

/// A folder and item name, or the code to return.
type Names = Result<(Vec<u8>, Vec<u8>), u32>;

fn dir_and_item(ctx: &mut Ctx) -> Result<Names, SysErr> {
    let (dir, item) = (ctx.arg(0)?, ctx.arg(1)?);
    let (Some(dir), Some(item)) = (name(ctx, dir)?, name(ctx, item)?) else {
        return Ok(Err(code::BAD_NAME));
    };
    if !ctx.os.mcs.dirs.contains_key(&dir) {
        return Ok(Err(code::DIR_NOT_FOUND));
    }
    Ok(Ok((dir, item)))
}

/// `int MCSPutVar2(unsigned char* dir, unsigned char* item, int len, void* buffer)`.
pub fn put_var2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dir, item) = match dir_and_item(ctx)? {
        Ok(names) => names,
        Err(c) => return Ok(Action::Return(c)),
    };
    let (len, buffer) = (ctx.arg_i32(2)?, ctx.arg(3)?);
    if len < 0 {
        return Ok(Action::Return(code::BAD_LENGTH));
    }
    if ctx.os.mcs.dirs[&dir].contains_key(&item) {
        return Ok(Action::Return(code::ITEM_EXISTS));
    }
    if !ctx.os.mcs.fits(item_cost(len as usize)) {
        return Ok(Action::Return(code::FULL));
    }
    let data = ctx.mem.read_bytes(buffer, len as usize)?;
    ctx.os
        .mcs
        .dirs
        .entry(dir)
        .or_default()
        .insert(item, Item { kind: 0, data });
    changed(ctx, code::OK)
}

/// `int MCSOvwDat2(unsigned char* dir, unsigned char* item, int bytes, void* buffer, int offset)`.
pub fn ovw_dat2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dir, item) = match dir_and_item(ctx)? {
        Ok(names) => names,
        Err(c) => return Ok(Action::Return(c)),
    };
    let (len, buffer, offset) = (ctx.arg_i32(2)?, ctx.arg(3)?, ctx.arg_i32(4)?);
    if len < 0 || offset < 0 {
        return Ok(Action::Return(code::BAD_LENGTH));
    }
    let Some(old) = ctx.os.mcs.dirs[&dir].get(&item).map(|i| i.data.len()) else {
        return Ok(Action::Return(code::ITEM_NOT_FOUND));
    };
    let end = offset as usize + len as usize;
    if end > old && !ctx.os.mcs.fits(item_cost(end) - item_cost(old)) {
        return Ok(Action::Return(code::FULL));
    }
    let data = ctx.mem.read_bytes(buffer, len as usize)?;
    if let Some(entry) = ctx
        .os
        .mcs
        .dirs
        .get_mut(&dir)
        .and_then(|items| items.get_mut(&item))
    {
        if entry.data.len() < end {
            entry.data.resize(end, 0);
        }
        entry.data[offset as usize..end].copy_from_slice(&data);
    }
    changed(ctx, code::OK)
}

/// `int MCSDelVar2(unsigned char* dir, unsigned char* item)`.
pub fn del_var2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dir, item) = match dir_and_item(ctx)? {
        Ok(names) => names,
        Err(c) => return Ok(Action::Return(c)),
    };
    let removed = ctx
        .os
        .mcs
        .dirs
        .get_mut(&dir)
        .and_then(|items| items.remove(&item));
    if removed.is_none() {
        return Ok(Action::Return(code::ITEM_NOT_FOUND));
    }
    if ctx.os.mcs.selected.as_ref() == Some(&(dir, item)) {
        ctx.os.mcs.selected = None;
    }
    changed(ctx, code::OK)
}

/// `int MCSGetDlen2(unsigned char* dir, unsigned char* item, int* len)`:
/// also selects the item for `MCSGetData1`. A missing item (or folder)
/// sets `*len` to 0, as the OS does: add-ins test the length, not the
/// return code (an image viewer's file browser reads `len == 0` as "no
/// history saved").
pub fn get_dlen2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let len_ptr = ctx.arg(2)?;
    let (dir, item) = match dir_and_item(ctx)? {
        Ok(names) => names,
        Err(c) => {
            if c == code::DIR_NOT_FOUND {
                ctx.write_u32(len_ptr, 0)?;
            }
            return Ok(Action::Return(c));
        }
    };
    let Some(len) = ctx.os.mcs.item(&dir, &item).map(<[u8]>::len) else {
        ctx.write_u32(len_ptr, 0)?;
        return Ok(Action::Return(code::ITEM_NOT_FOUND));
    };
    ctx.write_u32(len_ptr, len as u32)?;
    ctx.os.mcs.selected = Some((dir, item));
    Ok(Action::Return(code::OK))
}

/// `int MCSGetData1(int offset, int len, void* buffer)`: copies from the
/// selected item (clamped to its end).
pub fn get_data1(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (offset, len, buffer) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?, ctx.arg(2)?);
    let data = match &ctx.os.mcs.selected {
        Some((dir, item)) => ctx.os.mcs.item(dir, item).map(<[u8]>::to_vec),
        None => None,
    };
    let Some(data) = data else {
        return Ok(Action::Return(code::ITEM_NOT_FOUND));
    };
    if offset < 0 || len < 0 {
        return Ok(Action::Return(code::BAD_LENGTH));
    }
    let start = (offset as usize).min(data.len());
    let end = start.saturating_add(len as usize).min(data.len());
    ctx.write_bytes(buffer, &data[start..end])?;
    Ok(Action::Return(code::OK))
}

/// `int MCS_WriteItem(unsigned char* dir, unsigned char* item, short type, int len, int buffer)`:
/// creates or replaces an item.
pub fn write_item(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dir, item) = match dir_and_item(ctx)? {
        Ok(names) => names,
        Err(c) => return Ok(Action::Return(c)),
    };
    let (kind, len, buffer) = (ctx.arg(2)? as u16, ctx.arg_i32(3)?, ctx.arg(4)?);
    if len < 0 || len % 4 != 0 {
        return Ok(Action::Return(code::BAD_LENGTH));
    }
    let old = ctx
        .os
        .mcs
        .item(&dir, &item)
        .map(|d| item_cost(d.len()))
        .unwrap_or(0);
    if !ctx.os.mcs.fits(item_cost(len as usize).saturating_sub(old)) {
        return Ok(Action::Return(code::FULL));
    }
    let data = ctx.mem.read_bytes(buffer, len as usize)?;
    ctx.os
        .mcs
        .dirs
        .entry(dir)
        .or_default()
        .insert(item, Item { kind, data });
    changed(ctx, code::OK)
}

/// `int MCS_GetState(int* max, int* used, int* free)`.
pub fn get_state(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (max, used, free) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?);
    let in_use = ctx.os.mcs.used();
    ctx.write_u32(max, CAPACITY)?;
    ctx.write_u32(used, in_use)?;
    ctx.write_u32(free, CAPACITY.saturating_sub(in_use))?;
    Ok(Action::Return(code::OK))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    #[test]
    fn directories_and_items() {
        let mut g = Guest::new();
        let (dir, item) = (g.cstr("@UTILS"), g.cstr("Set"));
        let data = g.put(b"\x0f\x00\x01\x02");
        assert_eq!(
            g.ret(sc::MCSPutVar2, &[dir, item, 4, data]) as u32,
            code::DIR_NOT_FOUND
        );
        assert_eq!(g.ret(sc::MCS_CreateDirectory, &[dir]) as u32, code::OK);
        assert_eq!(
            g.ret(sc::MCS_CreateDirectory, &[dir]) as u32,
            code::DIR_EXISTS
        );
        assert_eq!(
            g.ret(sc::MCSPutVar2, &[dir, item, 4, data]) as u32,
            code::OK
        );
        assert_eq!(
            g.ret(sc::MCSPutVar2, &[dir, item, 4, data]) as u32,
            code::ITEM_EXISTS
        );
        let len = g.zeroed(4);
        assert_eq!(g.ret(sc::MCSGetDlen2, &[dir, item, len]) as u32, code::OK);
        assert_eq!(g.read_u32(len), 4);
        let buf = g.zeroed(8);
        assert_eq!(g.ret(sc::MCSGetData1, &[1, 10, buf]) as u32, code::OK);
        assert_eq!(g.read(buf, 4), [0, 1, 2, 0]);
        // Overwrite at an offset, growing.
        let more = g.put(b"abc");
        assert_eq!(
            g.ret(sc::MCSOvwDat2, &[dir, item, 3, more, 3]) as u32,
            code::OK
        );
        assert_eq!(
            g.os.mcs.item(b"@UTILS", b"Set"),
            Some(&b"\x0f\x00\x01abc"[..])
        );
        let missing = g.cstr("Nope");
        assert_eq!(
            g.ret(sc::MCSOvwDat2, &[dir, missing, 3, more, 0]) as u32,
            code::ITEM_NOT_FOUND
        );
        assert_eq!(g.read_u32(len), 4, "still the last length");
        assert_eq!(
            g.ret(sc::MCSGetDlen2, &[dir, missing, len]) as u32,
            code::ITEM_NOT_FOUND
        );
        assert_eq!(g.read_u32(len), 0, "the OS writes 0 for a missing item");
        crate::cpu::Bus::write32(&mut g.mem, len, 9).unwrap();
        let nowhere = g.cstr("@NOWHERE");
        assert_eq!(
            g.ret(sc::MCSGetDlen2, &[nowhere, missing, len]) as u32,
            code::DIR_NOT_FOUND
        );
        assert_eq!(g.read_u32(len), 0, "and for a missing folder");
        // MCS_WriteItem: 4-aligned lengths only; replaces.
        assert_eq!(
            g.ret(sc::MCS_WriteItem, &[dir, item, 0, 3, data]) as u32,
            code::BAD_LENGTH
        );
        assert_eq!(
            g.ret(sc::MCS_WriteItem, &[dir, item, 0, 4, data]) as u32,
            code::OK
        );
        assert_eq!(
            g.os.mcs.item(b"@UTILS", b"Set"),
            Some(&b"\x0f\x00\x01\x02"[..])
        );
        let (max, used, free) = (g.zeroed(4), g.zeroed(4), g.zeroed(4));
        g.ret(sc::MCS_GetState, &[max, used, free]);
        assert_eq!(g.read_u32(max), CAPACITY);
        assert_eq!(g.read_u32(used), 16 + 4 + 24);
        assert_eq!(g.read_u32(used) + g.read_u32(free), CAPACITY);
        assert_eq!(g.ret(sc::MCSDelVar2, &[dir, item]) as u32, code::OK);
        assert_eq!(
            g.ret(sc::MCSDelVar2, &[dir, item]) as u32,
            code::ITEM_NOT_FOUND
        );
        assert_eq!(
            g.ret(sc::MCSGetData1, &[0, 4, buf]) as u32,
            code::ITEM_NOT_FOUND,
            "selection gone"
        );
        assert_eq!(g.ret(sc::MCS_DeleteDirectory, &[dir]) as u32, code::OK);
        assert_eq!(
            g.ret(sc::MCS_DeleteDirectory, &[dir]) as u32,
            code::DIR_NOT_FOUND
        );
        let long = g.cstr("TOOLONGNAME");
        assert_eq!(
            g.ret(sc::MCS_CreateDirectory, &[long]) as u32,
            code::BAD_NAME
        );
        let empty = g.cstr("");
        assert_eq!(
            g.ret(sc::MCS_CreateDirectory, &[empty]) as u32,
            code::BAD_NAME
        );
    }

    #[test]
    fn capacity() {
        let mut g = Guest::new();
        let (dir, item) = (g.cstr("D"), g.cstr("Big"));
        g.ret(sc::MCS_CreateDirectory, &[dir]);
        let data = g.zeroed(4);
        assert_eq!(
            g.ret(sc::MCSPutVar2, &[dir, item, CAPACITY, data]) as u32,
            code::FULL
        );
        assert_eq!(
            g.ret(sc::MCSPutVar2, &[dir, item, -1i32 as u32, data]) as u32,
            code::BAD_LENGTH
        );
    }

    #[test]
    fn persistence() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mcs.json");
        let mut mcs = MainMemory::open(Some(file.clone())).unwrap();
        mcs.set_item(b"@IMAGES", b"LastImg", b"\\\\fls0\\a.png\xff")
            .unwrap();
        let again = MainMemory::open(Some(file.clone())).unwrap();
        assert_eq!(
            again.item(b"@IMAGES", b"LastImg"),
            Some(&b"\\\\fls0\\a.png\xff"[..])
        );
        assert_eq!(again.directories(), vec![b"@IMAGES".to_vec()]);
        std::fs::write(&file, "{ not json").unwrap();
        let error = MainMemory::open(Some(file.clone())).unwrap_err();
        assert!(matches!(error, MainMemoryError::Invalid { .. }));
        assert!(error.to_string().contains("not valid"), "{error}");
        std::fs::write(
            &file,
            r#"{"format":"prizm-emu main memory 1","directories":{"D":{"I":{"type":0,"data":"xyz"}}}}"#,
        )
        .unwrap();
        assert!(MainMemory::open(Some(file))
            .unwrap_err()
            .to_string()
            .contains("not hex"));
        assert_eq!(
            mcs.set_item(b"", b"x", b"").unwrap_err().to_string(),
            "main memory name \"\" has 0 bytes; names have 1 to 8"
        );
    }
}
