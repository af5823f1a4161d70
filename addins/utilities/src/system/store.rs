//! Part 2's settings, each a small item in main memory folder `@UTILS`
//! (the folder the original add-in used for its settings).

use prizm::mcs::{self, McsError, Name};

/// The main-memory folder.
pub const FOLDER: &str = "@UTILS";

/// Reads item `item` into `buffer`; `None` when it does not exist (or
/// cannot be read: the caller uses its default).
pub fn read(item: &str, buffer: &mut [u8]) -> Option<usize> {
    let folder = Name::new(FOLDER).ok()?;
    let name = Name::new(item).ok()?;
    mcs::get(&folder, &name, buffer).ok()
}

/// Writes item `item` (in place when the length is unchanged, so a
/// setting never needs free main memory twice).
pub fn write(item: &str, data: &[u8]) -> Result<(), McsError> {
    let folder = Name::new(FOLDER)?;
    let name = Name::new(item)?;
    mcs::create_folder(&folder)?;
    match mcs::overwrite(&folder, &name, data, 0) {
        Ok(()) => Ok(()),
        Err(_) => {
            let _ = mcs::delete(&folder, &name);
            mcs::put(&folder, &name, data)
        }
    }
}
