//! The one file replacement in progress, noted in main memory (item
//! `FMJRNL` of `@UTILS`) while it runs, so that after a power cut the
//! next start finishes it or undoes it (`prizm::fs::recover`): every file
//! then has its old contents or its new ones, and no `.part`/`.new` side
//! file is left behind. Only paths noted here are recovered, so a user's
//! own file that happens to end in `.new` is never touched.

use prizm::fs::{self, Path};

/// The main-memory item.
const ITEM: &str = "FMJRNL";
/// Longest path kept (the OS's limit).
const CAPACITY: usize = fs::MAX_PATH;

/// Notes that `path` is about to be replaced. A failure to note it (main
/// memory full) does not stop the replacement, which stays atomic; only
/// the tidying after a power cut is lost.
pub fn begin(path: &str) {
    let mut record = [0u8; CAPACITY];
    let length = path.len().min(CAPACITY);
    record[..length].copy_from_slice(&path.as_bytes()[..length]);
    // Fixed length: every later note overwrites the item in place.
    let _ = crate::system::store::write(ITEM, &record);
}

/// The replacement finished.
pub fn end() {
    let _ = crate::system::store::write(ITEM, &[0u8; CAPACITY]);
}

/// Finishes or undoes a replacement a power cut interrupted, if one is
/// noted. Returns the path it repaired.
pub fn recover_pending() -> Option<heapless::String<CAPACITY>> {
    let mut record = [0u8; CAPACITY];
    let length = crate::system::store::read(ITEM, &mut record)?;
    let used = record[..length].iter().position(|&byte| byte == 0).unwrap_or(length);
    if used == 0 {
        return None;
    }
    let text = core::str::from_utf8(&record[..used]).ok()?;
    let path = Path::new(text).ok()?;
    let repaired = fs::recover(&path).ok()?;
    end();
    let mut noted = heapless::String::new();
    let _ = noted.push_str(text);
    repaired.then_some(noted)
}
