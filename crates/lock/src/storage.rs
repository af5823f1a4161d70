//! Keeping the record in main memory so that a power loss at any moment
//! leaves either the old or the new record, never a broken one.
//!
//! Saving writes the new record to [`NEW_ITEM`] first, then replaces
//! [`ITEM`] (delete, then create: the OS has no atomic overwrite), then
//! deletes [`NEW_ITEM`]. Loading takes a valid [`ITEM`]; without one, a
//! valid [`NEW_ITEM`] is recovered (the save was interrupted after the new
//! copy was complete) and the save is finished.

use crate::record::{Record, RecordError, RECORD_LENGTH};

/// The main-memory folder.
pub const FOLDER: &str = "@CGLOCK";
/// The record.
pub const ITEM: &str = "Lock";
/// The copy written first while saving.
pub const NEW_ITEM: &str = "LockNew";

/// A failed main-memory operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreError {
    /// What was being done ("create", "delete", …).
    pub operation: &'static str,
    /// The OS's return code.
    pub code: i32,
}

/// The few main-memory operations the protocol needs, on one folder.
pub trait ItemStore {
    /// Copies the item into `buffer` (as much as fits) and returns its full
    /// length, or `None` when there is no such item.
    fn read(&mut self, item: &str, buffer: &mut [u8]) -> Result<Option<usize>, StoreError>;
    /// Creates the item with `data`; fails if it exists.
    fn create(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError>;
    /// Deletes the item; succeeds if there is none.
    fn delete(&mut self, item: &str) -> Result<(), StoreError>;
}

/// What was found in main memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// No record: first run (or the record was deleted).
    Fresh,
    /// A valid record.
    Found(Record),
    /// The record was rebuilt from the copy of an interrupted save.
    Recovered(Record),
    /// There is a record and it cannot be used.
    Damaged(RecordError),
}

/// Reads one item as a record: `None` when missing.
fn read_record(
    store: &mut dyn ItemStore,
    item: &str,
) -> Result<Option<Result<Record, RecordError>>, StoreError> {
    let mut buffer = [0u8; RECORD_LENGTH];
    let Some(length) = store.read(item, &mut buffer)? else {
        return Ok(None);
    };
    if length > buffer.len() {
        return Ok(Some(Err(RecordError::TooLong { length })));
    }
    Ok(Some(Record::decode(&buffer[..length])))
}

/// Loads the record, recovering from an interrupted save.
pub fn load(store: &mut dyn ItemStore) -> Result<Loaded, StoreError> {
    let main = read_record(store, ITEM)?;
    let copy = read_record(store, NEW_ITEM)?;
    Ok(match (main, copy) {
        (Some(Ok(record)), copy) => {
            if copy.is_some() {
                // Left over from a save interrupted just before its last
                // step (or before the new copy was complete): not needed.
                let _ = store.delete(NEW_ITEM);
            }
            Loaded::Found(record)
        }
        (_, Some(Ok(record))) => {
            // Finish the interrupted save; if that fails too, the copy
            // stays and the next start recovers it again.
            let _ = save(store, &record);
            Loaded::Recovered(record)
        }
        (Some(Err(error)), _) => Loaded::Damaged(error),
        (None, Some(Err(_))) => {
            // The very first save was cut while writing its copy: nothing
            // was ever stored completely.
            let _ = store.delete(NEW_ITEM);
            Loaded::Fresh
        }
        (None, None) => Loaded::Fresh,
    })
}

/// Saves the record (see the module documentation for the order).
pub fn save(store: &mut dyn ItemStore, record: &Record) -> Result<(), StoreError> {
    let bytes = record.encode();
    store.delete(NEW_ITEM)?;
    store.create(NEW_ITEM, &bytes)?;
    store.delete(ITEM)?;
    store.create(ITEM, &bytes)?;
    store.delete(NEW_ITEM)
}

/// Deletes the record and its copy (the reset path for a damaged record).
pub fn erase(store: &mut dyn ItemStore) -> Result<(), StoreError> {
    store.delete(ITEM)?;
    store.delete(NEW_ITEM)
}

/// An [`ItemStore`] in RAM that can simulate a power loss, for tests
/// (also for add-ins' tests, with the `test-support` feature).
#[cfg(any(test, feature = "test-support"))]
pub mod memory {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    /// Main memory as a map from item name to bytes.
    #[derive(Default, Clone)]
    pub struct MemoryStore {
        /// The items.
        pub items: BTreeMap<String, Vec<u8>>,
        /// Operations that still succeed; `None` = unlimited.
        pub budget: Option<usize>,
        /// When the budget runs out inside `create`, write half the data
        /// first (a torn write).
        pub torn_writes: bool,
    }

    impl MemoryStore {
        fn spend(&mut self) -> bool {
            match &mut self.budget {
                None => true,
                Some(0) => false,
                Some(left) => {
                    *left -= 1;
                    true
                }
            }
        }

        /// The store as found after the power comes back.
        pub fn after_power_loss(&self) -> MemoryStore {
            MemoryStore {
                items: self.items.clone(),
                budget: None,
                torn_writes: false,
            }
        }
    }

    const LOST: StoreError = StoreError {
        operation: "power lost",
        code: -1,
    };

    impl ItemStore for MemoryStore {
        fn read(&mut self, item: &str, buffer: &mut [u8]) -> Result<Option<usize>, StoreError> {
            if !self.spend() {
                return Err(LOST);
            }
            Ok(self.items.get(item).map(|data| {
                let count = data.len().min(buffer.len());
                buffer[..count].copy_from_slice(&data[..count]);
                data.len()
            }))
        }

        fn create(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError> {
            if !self.spend() {
                if self.torn_writes && !self.items.contains_key(item) {
                    self.items
                        .insert(item.to_string(), data[..data.len() / 2].to_vec());
                }
                return Err(LOST);
            }
            if self.items.contains_key(item) {
                return Err(StoreError {
                    operation: "create",
                    code: 0x42,
                });
            }
            self.items.insert(item.to_string(), data.to_vec());
            Ok(())
        }

        fn delete(&mut self, item: &str) -> Result<(), StoreError> {
            if !self.spend() {
                return Err(LOST);
            }
            self.items.remove(item);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::memory::MemoryStore;
    use super::*;
    use crate::record::tests::sample;

    fn newer(record: &Record) -> Record {
        let mut next = record.clone();
        next.failures += 1;
        next.last_failure += 60;
        next.locked = !next.locked;
        next
    }

    #[test]
    fn nothing_stored_is_a_first_run() {
        assert_eq!(load(&mut MemoryStore::default()), Ok(Loaded::Fresh));
    }

    #[test]
    fn save_then_load() {
        let mut store = MemoryStore::default();
        save(&mut store, &sample()).unwrap();
        assert_eq!(load(&mut store), Ok(Loaded::Found(sample())));
        assert_eq!(
            store.items.keys().collect::<Vec<_>>(),
            ["Lock"],
            "the copy is gone after a save"
        );
        let next = newer(&sample());
        save(&mut store, &next).unwrap();
        assert_eq!(load(&mut store), Ok(Loaded::Found(next)));
    }

    #[test]
    fn power_loss_at_any_step_keeps_the_old_or_the_new_record() {
        let old = sample();
        let new = newer(&old);
        for torn_writes in [false, true] {
            for budget in 0..=5 {
                let mut store = MemoryStore::default();
                save(&mut store, &old).unwrap();
                store.budget = Some(budget);
                store.torn_writes = torn_writes;
                let completed = save(&mut store, &new).is_ok();
                let mut after = store.after_power_loss();
                let loaded = load(&mut after).unwrap();
                let record = match loaded {
                    Loaded::Found(record) | Loaded::Recovered(record) => record,
                    other => panic!("budget {budget}, torn {torn_writes}: {other:?}"),
                };
                assert!(
                    record == old || record == new,
                    "budget {budget}: a third record"
                );
                if completed {
                    assert_eq!(record, new);
                }
                // Loading finished the job: one valid item and no copy.
                assert_eq!(
                    after.items.keys().collect::<Vec<_>>(),
                    ["Lock"],
                    "budget {budget}"
                );
                assert_eq!(load(&mut after).unwrap(), Loaded::Found(record));
            }
        }
    }

    #[test]
    fn power_loss_during_the_first_save_is_a_first_run_or_the_new_record() {
        for torn_writes in [false, true] {
            for budget in 0..=5 {
                let mut store = MemoryStore {
                    budget: Some(budget),
                    torn_writes,
                    ..Default::default()
                };
                let _ = save(&mut store, &sample());
                let loaded = load(&mut store.after_power_loss()).unwrap();
                assert!(
                    matches!(&loaded, Loaded::Fresh)
                        || matches!(&loaded, Loaded::Found(r) | Loaded::Recovered(r) if *r == sample()),
                    "budget {budget}: {loaded:?}"
                );
            }
        }
    }

    #[test]
    fn the_copy_is_recovered_when_the_record_is_missing_or_broken() {
        let mut store = MemoryStore::default();
        store
            .items
            .insert(NEW_ITEM.into(), sample().encode().to_vec());
        assert_eq!(load(&mut store), Ok(Loaded::Recovered(sample())));
        assert_eq!(
            store.items.get(ITEM).map(Vec::as_slice),
            Some(&sample().encode()[..])
        );

        let mut store = MemoryStore::default();
        store
            .items
            .insert(ITEM.into(), sample().encode()[..60].to_vec());
        store
            .items
            .insert(NEW_ITEM.into(), sample().encode().to_vec());
        assert_eq!(load(&mut store), Ok(Loaded::Recovered(sample())));
    }

    #[test]
    fn a_valid_record_wins_over_its_copy() {
        let mut store = MemoryStore::default();
        save(&mut store, &sample()).unwrap();
        store
            .items
            .insert(NEW_ITEM.into(), newer(&sample()).encode().to_vec());
        assert_eq!(load(&mut store), Ok(Loaded::Found(sample())));
        assert!(!store.items.contains_key(NEW_ITEM));
    }

    #[test]
    fn damage_is_reported_not_hidden() {
        let cases: [(Vec<u8>, RecordError); 4] = [
            (b"garbage!".to_vec(), RecordError::BadMagic),
            (
                sample().encode()[..100].to_vec(),
                RecordError::Truncated { length: 100 },
            ),
            (
                [&sample().encode()[..], b"extra"].concat(),
                RecordError::TooLong { length: 125 },
            ),
            (
                {
                    let mut bytes = sample().encode().to_vec();
                    bytes[90] ^= 0x10;
                    bytes
                },
                RecordError::BadChecksum,
            ),
        ];
        for (bytes, error) in cases {
            let mut store = MemoryStore::default();
            store.items.insert(ITEM.into(), bytes);
            assert_eq!(load(&mut store), Ok(Loaded::Damaged(error)));
            // Nothing was deleted: the user decides.
            assert!(store.items.contains_key(ITEM));
        }
    }

    #[test]
    fn erase_removes_both_items() {
        let mut store = MemoryStore::default();
        store.items.insert(ITEM.into(), b"junk".to_vec());
        store.items.insert(NEW_ITEM.into(), b"junk".to_vec());
        erase(&mut store).unwrap();
        assert!(store.items.is_empty());
        assert_eq!(load(&mut store), Ok(Loaded::Fresh));
    }

    #[test]
    fn read_errors_are_passed_on() {
        let mut store = MemoryStore {
            budget: Some(0),
            ..Default::default()
        };
        assert!(load(&mut store).is_err());
    }
}
