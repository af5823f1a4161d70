//! The record's items in main memory, through `prizm::mcs`.

use prizm::mcs::{self, McsError, Name};

use crate::storage::{ItemStore, StoreError, FOLDER};

/// Main memory, folder [`FOLDER`].
pub struct MainMemory;

/// A name known to be valid (the constants in `storage` are).
fn name(text: &str) -> Result<Name, StoreError> {
    Name::new(text).map_err(|error| store_error("name", error))
}

fn store_error(operation: &'static str, error: McsError) -> StoreError {
    let code = match error {
        McsError::InvalidName => 0xF0,
        McsError::NotFound => 0x40,
        McsError::AlreadyExists => 0x42,
        McsError::Full => 0x43,
        McsError::BufferTooSmall { .. } | McsError::TooLarge => 0x10,
        McsError::Other(code) => code,
    };
    StoreError { operation, code }
}

impl ItemStore for MainMemory {
    fn read(&mut self, item: &str, buffer: &mut [u8]) -> Result<Option<usize>, StoreError> {
        match mcs::get(&name(FOLDER)?, &name(item)?, buffer) {
            Ok(length) => Ok(Some(length)),
            Err(McsError::NotFound) => Ok(None),
            // Too long to be a record: report the length, load says so.
            Err(McsError::BufferTooSmall { needed }) => Ok(Some(needed)),
            Err(error) => Err(store_error("read", error)),
        }
    }

    fn create(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError> {
        let folder = name(FOLDER)?;
        mcs::create_folder(&folder).map_err(|error| store_error("folder", error))?;
        mcs::put(&folder, &name(item)?, data).map_err(|error| store_error("create", error))
    }

    fn overwrite(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError> {
        // MCSOvwDat2 at offset 0 with the item's own length: in place, so
        // it needs no free main memory.
        mcs::overwrite(&name(FOLDER)?, &name(item)?, data, 0)
            .map_err(|error| store_error("overwrite", error))
    }

    fn delete(&mut self, item: &str) -> Result<(), StoreError> {
        match mcs::delete(&name(FOLDER)?, &name(item)?) {
            Ok(()) | Err(McsError::NotFound) => Ok(()),
            Err(error) => Err(store_error("delete", error)),
        }
    }
}
