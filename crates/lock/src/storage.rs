//! Keeping the record in main memory so that neither a power loss, nor
//! damage, nor a full main memory can unlock the calculator or lock its
//! owner out.
//!
//! **Two copies, overwritten in place.** The record is kept twice, in
//! [`ITEM`] and [`COPY_ITEM`], each with a check value and a sequence
//! number that every save increases. Once both items exist, a save
//! overwrites them in place with data of the same length (the OS's
//! `MCSOvwDat2`), which needs no free main memory: after the secret is
//! set and both copies are in place ([`in_place`]), a full main memory
//! cannot stop a failed attempt from being counted or the right secret
//! from unlocking. A save writes the copy that does not hold the newest
//! record first, so a power loss in the middle of either write leaves the
//! other copy valid.
//!
//! **Damage never unlocks.** [`open`] reads both copies and takes the
//! valid one with the highest sequence number that names this calculator.
//! If anything is wrong with the other one (missing, damaged, older, or
//! different with the same number), the result is [`Opened::Degraded`]
//! and the record comes back *locked*, whatever it said: the secret,
//! checked against the surviving copy, is needed to go on, and the next
//! save rewrites both copies. With no valid copy the result is
//! [`Opened::Unusable`], and with only another calculator's record
//! [`Opened::OtherDevice`]: neither offers to set a new secret. Only when
//! no item exists at all is it a first run ([`Opened::Fresh`]).
//!
//! **Version 1** (CGlock 1.0) kept one copy in [`ITEM`] and wrote
//! [`NEW_ITEM`] during a save; both are still read, and the next save
//! writes version 2 and removes [`NEW_ITEM`].

use crate::record::{
    encode_version_1, DeviceId, Record, RecordError, Stored, RECORD_LENGTH, VERSION_1_LENGTH,
};

/// CGlock's main-memory folder (another add-in uses its own folder in its
/// [`ItemStore`]).
pub const FOLDER: &str = "@CGLOCK";
/// The first copy of the record.
pub const ITEM: &str = "Lock";
/// The second copy of the record.
pub const COPY_ITEM: &str = "LockCopy";
/// Version 1's copy written during a save; read, never written.
pub const NEW_ITEM: &str = "LockNew";
/// Main memory both copies take (an item costs its length rounded up to 4
/// plus a 24-byte header; the folder 16), for "make room" messages.
pub const BYTES_NEEDED: usize = 2 * (RECORD_LENGTH.div_ceil(4) * 4 + 24) + 16;

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
    /// Creates the item with `data`; fails if it exists or there is no room.
    fn create(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError>;
    /// Overwrites an existing item of exactly `data.len()` bytes in place;
    /// needs no free memory.
    fn overwrite(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError>;
    /// Deletes the item; succeeds if there is none.
    fn delete(&mut self, item: &str) -> Result<(), StoreError>;
}

/// The state of one copy, as [`open`] judged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyHealth {
    /// Holds the record in use.
    Good,
    /// The item does not exist.
    Missing,
    /// The item is not a valid record.
    Damaged(RecordError),
    /// A valid record of another calculator.
    OtherDevice(DeviceId),
    /// A valid record older than the one in use: a save was cut between
    /// its two writes.
    Stale,
    /// A valid record with the same sequence number as the one in use but
    /// other contents (no power loss leaves this; an edit does).
    Conflicting,
}

impl CopyHealth {
    /// A few words for the screen: "One copy of the record is …".
    pub fn summary(self) -> &'static str {
        match self {
            CopyHealth::Good => "fine",
            CopyHealth::Missing => "missing",
            CopyHealth::Damaged(_) => "damaged",
            CopyHealth::OtherDevice(_) => "from another calculator",
            CopyHealth::Stale => "out of date",
            CopyHealth::Conflicting => "inconsistent",
        }
    }
}

/// What [`open`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// No record at all: first run (or the record was deleted, which takes
    /// the access to main memory the threat model leaves out).
    Fresh,
    /// Both copies valid and equal.
    Intact(Record),
    /// A valid version-1 record; the next save writes version 2.
    Upgraded(Record),
    /// A valid copy, and a problem with the other: the record is returned
    /// locked, whatever it said.
    Degraded {
        /// The newest valid record of this calculator, with `locked` set.
        record: Record,
        /// What is wrong with the other copy.
        problem: CopyHealth,
    },
    /// The only valid records were made on another calculator.
    OtherDevice {
        /// The device ID they name.
        device_id: DeviceId,
    },
    /// Records exist and none is valid.
    Unusable {
        /// The state of [`ITEM`].
        first: CopyHealth,
        /// The state of [`COPY_ITEM`].
        second: CopyHealth,
    },
}

/// One item as read.
#[derive(Debug, Clone)]
struct Slot {
    /// The item's length, `None` when it does not exist.
    length: Option<usize>,
    /// The record, when the item is one.
    decoded: Result<Stored, RecordError>,
}

impl Slot {
    fn valid(&self) -> Option<&Stored> {
        self.decoded.as_ref().ok()
    }

    fn exists(&self) -> bool {
        self.length.is_some()
    }
}

fn read_slot(store: &mut dyn ItemStore, item: &str) -> Result<Slot, StoreError> {
    let mut buffer = [0u8; RECORD_LENGTH];
    let Some(length) = store.read(item, &mut buffer)? else {
        return Ok(Slot {
            length: None,
            decoded: Err(RecordError::Truncated { length: 0 }),
        });
    };
    let decoded = if length > buffer.len() {
        Err(RecordError::TooLong { length })
    } else {
        Record::decode(&buffer[..length])
    };
    Ok(Slot {
        length: Some(length),
        decoded,
    })
}

/// Orders candidate records: newest first; among equals (an edit, never a
/// power loss), the more restrictive one.
fn rank(stored: &Stored) -> (u32, bool, u32, u32) {
    let record = &stored.record;
    (
        stored.sequence,
        record.locked,
        record.failures,
        record.last_failure,
    )
}

/// Reads the record (see the module documentation for the rules).
/// `this_device` is the calculator's ID: another calculator's record is
/// never used.
pub fn open(store: &mut dyn ItemStore, this_device: &DeviceId) -> Result<Opened, StoreError> {
    let slots = [
        read_slot(store, ITEM)?,
        read_slot(store, COPY_ITEM)?,
        read_slot(store, NEW_ITEM)?,
    ];
    let ours = |stored: &Stored| stored.record.device_id() == *this_device;
    let best = slots
        .iter()
        .filter_map(Slot::valid)
        .filter(|stored| ours(stored))
        .max_by_key(|stored| rank(stored))
        .cloned();
    let health = |slot: &Slot| -> CopyHealth {
        match (&slot.length, &slot.decoded, &best) {
            (None, _, _) => CopyHealth::Missing,
            (Some(_), Err(error), _) => CopyHealth::Damaged(*error),
            (Some(_), Ok(stored), _) if !ours(stored) => {
                CopyHealth::OtherDevice(stored.record.device_id())
            }
            (Some(_), Ok(stored), Some(best)) if stored == best => CopyHealth::Good,
            (Some(_), Ok(stored), Some(best)) if stored.sequence < best.sequence => {
                CopyHealth::Stale
            }
            (Some(_), Ok(_), _) => CopyHealth::Conflicting,
        }
    };
    let (first, second) = (health(&slots[0]), health(&slots[1]));
    let Some(best) = best else {
        if let Some(stored) = slots.iter().filter_map(Slot::valid).next() {
            return Ok(Opened::OtherDevice {
                device_id: stored.record.device_id(),
            });
        }
        // Version 1 wrote NEW_ITEM first: alone and damaged, it is a
        // first save that never completed.
        if !slots[0].exists() && !slots[1].exists() {
            return Ok(Opened::Fresh);
        }
        return Ok(Opened::Unusable { first, second });
    };
    if best.version_1 && first == CopyHealth::Good && second == CopyHealth::Missing {
        return Ok(Opened::Upgraded(best.record));
    }
    if first == CopyHealth::Good && second == CopyHealth::Good {
        return Ok(Opened::Intact(best.record));
    }
    let problem = if first == CopyHealth::Good {
        second
    } else {
        first
    };
    let mut record = best.record;
    record.locked = true;
    Ok(Opened::Degraded { record, problem })
}

/// Writes `bytes` to `item` as it stands: in place when it has the same
/// length, created when missing, deleted and created otherwise.
fn write_copy(
    store: &mut dyn ItemStore,
    item: &str,
    slot: &Slot,
    bytes: &[u8],
) -> Result<(), StoreError> {
    match slot.length {
        Some(length) if length == bytes.len() => store.overwrite(item, bytes),
        Some(_) => {
            store.delete(item)?;
            store.create(item, bytes)
        }
        None => store.create(item, bytes),
    }
}

/// Saves the record to both copies. Succeeds when at least one copy now
/// holds it (the other may lack room to be created: [`in_place`] tells
/// whether both are there).
pub fn save(store: &mut dyn ItemStore, record: &Record) -> Result<(), StoreError> {
    let first = read_slot(store, ITEM)?;
    let second = read_slot(store, COPY_ITEM)?;
    let sequence = [&first, &second]
        .iter()
        .filter_map(|slot| slot.valid())
        .map(|stored| stored.sequence)
        .max()
        .map_or(1, |newest| newest.saturating_add(1));
    let bytes = record.encode(sequence);
    // The copy holding the newest record is written last.
    let first_is_newest = match (first.valid(), second.valid()) {
        (Some(a), Some(b)) => a.sequence >= b.sequence,
        (Some(_), None) => true,
        _ => false,
    };
    let (early, late) = if first_is_newest {
        ((COPY_ITEM, &second), (ITEM, &first))
    } else {
        ((ITEM, &first), (COPY_ITEM, &second))
    };
    let early_result = write_copy(store, early.0, early.1, &bytes);
    let late_needs_room = late.1.length.is_some_and(|length| length != bytes.len());
    // Recreating the only good copy after the other failed could lose it.
    let late_result = if early_result.is_err() && late_needs_room && late.1.valid().is_some() {
        None
    } else {
        Some(write_copy(store, late.0, late.1, &bytes))
    };
    match (early_result, late_result) {
        (Ok(()), _) | (_, Some(Ok(()))) => {
            // Version 1's leftover; failing to delete it harms nothing.
            let _ = store.delete(NEW_ITEM);
            Ok(())
        }
        (Err(error), _) => {
            // A version-1 record on a full main memory stays version 1, in
            // place, so attempts are still counted.
            if first.length == Some(VERSION_1_LENGTH) && first.valid().is_some() {
                return store.overwrite(ITEM, &encode_version_1(record));
            }
            Err(error)
        }
    }
}

/// Whether both copies exist with a record's length, so that every later
/// [`save`] overwrites in place and needs no free main memory.
pub fn in_place(store: &mut dyn ItemStore) -> Result<bool, StoreError> {
    let mut buffer = [0u8; RECORD_LENGTH];
    for item in [ITEM, COPY_ITEM] {
        if store.read(item, &mut buffer)? != Some(RECORD_LENGTH) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Deletes the record's items.
pub fn erase(store: &mut dyn ItemStore) -> Result<(), StoreError> {
    store.delete(ITEM)?;
    store.delete(COPY_ITEM)?;
    store.delete(NEW_ITEM)
}

/// An [`ItemStore`] in RAM that can simulate a power loss and a full main
/// memory, for tests (also for add-ins' tests, with the `test-support`
/// feature).
#[cfg(any(test, feature = "test-support"))]
pub mod memory {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    /// The code [`MemoryStore`] returns when main memory is full.
    pub const FULL: i32 = 0x36;

    /// Main memory as a map from item name to bytes.
    #[derive(Default, Clone)]
    pub struct MemoryStore {
        /// The items.
        pub items: BTreeMap<String, Vec<u8>>,
        /// Operations that still succeed; `None` = unlimited.
        pub budget: Option<usize>,
        /// When the budget runs out inside a write, write half the data
        /// first (a torn write).
        pub torn_writes: bool,
        /// The budget ran out: the power is off, nothing more happens.
        pub power_lost: bool,
        /// Bytes main memory holds, counted as the OS does (length rounded
        /// up to 4, plus 24 per item, plus 16 for the folder); `None` =
        /// unlimited.
        pub capacity: Option<usize>,
    }

    /// Bytes an item of `length` takes.
    pub fn item_cost(length: usize) -> usize {
        length.div_ceil(4) * 4 + 24
    }

    impl MemoryStore {
        /// Whether the next operation happens; the first one refused cuts
        /// the power (a torn write happens only then).
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

        /// Bytes in use (the folder counts once there is an item).
        pub fn used(&self) -> usize {
            let items: usize = self.items.values().map(|data| item_cost(data.len())).sum();
            if self.items.is_empty() {
                0
            } else {
                items + 16
            }
        }

        /// Fills main memory to the last byte: no item can be created.
        pub fn fill(&mut self) {
            self.capacity = Some(self.used().max(16));
        }

        /// The store as found after the power comes back.
        pub fn after_power_loss(&self) -> MemoryStore {
            MemoryStore {
                items: self.items.clone(),
                capacity: self.capacity,
                ..Default::default()
            }
        }
    }

    const LOST: StoreError = StoreError {
        operation: "power lost",
        code: -1,
    };

    impl ItemStore for MemoryStore {
        fn read(&mut self, item: &str, buffer: &mut [u8]) -> Result<Option<usize>, StoreError> {
            if self.power_lost || !self.spend() {
                self.power_lost = true;
                return Err(LOST);
            }
            Ok(self.items.get(item).map(|data| {
                let count = data.len().min(buffer.len());
                buffer[..count].copy_from_slice(&data[..count]);
                data.len()
            }))
        }

        fn create(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError> {
            if self.power_lost {
                return Err(LOST);
            }
            if !self.spend() {
                self.power_lost = true;
                if self.torn_writes && !self.items.contains_key(item) {
                    self.items
                        .insert(item.to_string(), data[..data.len() / 2].to_vec());
                }
                return Err(LOST);
            }
            if self.items.contains_key(item) {
                return Err(StoreError {
                    operation: "create",
                    code: 0x35,
                });
            }
            let folder = if self.items.is_empty() { 16 } else { 0 };
            if let Some(capacity) = self.capacity {
                if self.used() + folder + item_cost(data.len()) > capacity {
                    return Err(StoreError {
                        operation: "create",
                        code: FULL,
                    });
                }
            }
            self.items.insert(item.to_string(), data.to_vec());
            Ok(())
        }

        fn overwrite(&mut self, item: &str, data: &[u8]) -> Result<(), StoreError> {
            if self.power_lost {
                return Err(LOST);
            }
            let torn = self.torn_writes;
            let spent = self.spend();
            self.power_lost = !spent;
            let Some(old) = self.items.get_mut(item) else {
                return Err(StoreError {
                    operation: "overwrite",
                    code: 0x34,
                });
            };
            if old.len() != data.len() {
                return Err(StoreError {
                    operation: "overwrite",
                    code: 0x10,
                });
            }
            if !spent {
                if torn {
                    let half = data.len() / 2;
                    old[..half].copy_from_slice(&data[..half]);
                }
                return Err(LOST);
            }
            old.copy_from_slice(data);
            Ok(())
        }

        fn delete(&mut self, item: &str) -> Result<(), StoreError> {
            if self.power_lost || !self.spend() {
                self.power_lost = true;
                return Err(LOST);
            }
            self.items.remove(item);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::memory::{MemoryStore, FULL};
    use super::*;
    use crate::record::testing::sample;
    use alloc::vec::Vec;

    const HERE: DeviceId = [17, 18, 19, 20, 21, 22, 23, 24];
    const ELSEWHERE: DeviceId = *b"ELSEWHER";

    fn unlocked() -> Record {
        let mut record = sample();
        record.locked = false;
        record.failures = 0;
        record
    }

    fn newer(record: &Record) -> Record {
        let mut next = record.clone();
        next.failures += 1;
        next.last_failure += 60;
        next
    }

    fn stored(store: &MemoryStore) -> Vec<&str> {
        store.items.keys().map(|name| name.as_str()).collect()
    }

    fn saved(record: &Record) -> MemoryStore {
        let mut store = MemoryStore::default();
        save(&mut store, record).unwrap();
        store
    }

    #[test]
    fn nothing_stored_is_a_first_run() {
        assert_eq!(open(&mut MemoryStore::default(), &HERE), Ok(Opened::Fresh));
    }

    #[test]
    fn save_writes_two_equal_copies_then_overwrites_them() {
        let mut store = saved(&sample());
        assert_eq!(stored(&store), [ITEM, COPY_ITEM]);
        assert_eq!(store.items[ITEM], store.items[COPY_ITEM]);
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Intact(sample())));
        assert_eq!(in_place(&mut store), Ok(true));
        let next = newer(&sample());
        save(&mut store, &next).unwrap();
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Intact(next)));
        // The sequence number grew: byte 15 is its low byte.
        assert_eq!(store.items[ITEM][15], 2);
    }

    #[test]
    fn a_full_main_memory_never_stops_a_save_once_both_copies_exist() {
        let mut store = saved(&unlocked());
        store.fill();
        let mut record = unlocked();
        // Lock, a wrong attempt, the right one: each is one save.
        for step in 0..3 {
            match step {
                0 => record.locked = true,
                1 => record.failures = 1,
                _ => {
                    record.failures = 0;
                    record.locked = false;
                }
            }
            save(&mut store, &record).unwrap();
            assert_eq!(open(&mut store, &HERE), Ok(Opened::Intact(record.clone())));
        }
        assert_eq!(store.used(), store.capacity.unwrap(), "still full");
    }

    #[test]
    fn setting_a_secret_on_a_full_main_memory_fails_clearly() {
        let mut store = MemoryStore {
            capacity: Some(40),
            ..Default::default()
        };
        let error = save(&mut store, &unlocked()).unwrap_err();
        assert_eq!(error.code, FULL);
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Fresh));
        assert_eq!(in_place(&mut store), Ok(false));

        // Room for exactly one copy: the save holds, but not in place.
        let mut store = MemoryStore {
            capacity: Some(16 + memory::item_cost(RECORD_LENGTH)),
            ..Default::default()
        };
        save(&mut store, &unlocked()).unwrap();
        assert_eq!(in_place(&mut store), Ok(false));
        let mut store = MemoryStore {
            capacity: Some(BYTES_NEEDED),
            ..Default::default()
        };
        save(&mut store, &unlocked()).unwrap();
        assert_eq!(in_place(&mut store), Ok(true));
        assert_eq!(store.used(), BYTES_NEEDED);
    }

    #[test]
    fn power_loss_at_any_step_keeps_the_old_or_the_new_record() {
        let old = sample();
        let new = newer(&old);
        for torn_writes in [false, true] {
            for budget in 0..=6 {
                let mut store = saved(&old);
                store.budget = Some(budget);
                store.torn_writes = torn_writes;
                let completed = save(&mut store, &new).is_ok();
                let mut after = store.after_power_loss();
                let record = match open(&mut after, &HERE).unwrap() {
                    Opened::Intact(record) => record,
                    Opened::Degraded { record, problem } => {
                        assert!(
                            matches!(problem, CopyHealth::Damaged(_) | CopyHealth::Stale),
                            "{problem:?}"
                        );
                        record
                    }
                    other => panic!("budget {budget}, torn {torn_writes}: {other:?}"),
                };
                assert!(record == old || record == new, "budget {budget}: a third record");
                if completed {
                    assert_eq!(record, new, "budget {budget}");
                }
                // The next save repairs both copies in place.
                save(&mut after, &record).unwrap();
                assert_eq!(open(&mut after, &HERE), Ok(Opened::Intact(record)));
            }
        }
    }

    #[test]
    fn power_loss_during_the_first_save_is_a_first_run_or_the_new_record_locked() {
        for torn_writes in [false, true] {
            for budget in 0..=6 {
                let mut store = MemoryStore {
                    budget: Some(budget),
                    torn_writes,
                    ..Default::default()
                };
                let _ = save(&mut store, &unlocked());
                let opened = open(&mut store.after_power_loss(), &HERE).unwrap();
                let acceptable = match &opened {
                    Opened::Fresh => true,
                    Opened::Intact(record) => *record == unlocked(),
                    Opened::Degraded { record, .. } => record.locked,
                    Opened::Unusable { .. } => {
                        // Only a torn first copy with no second copy.
                        torn_writes
                    }
                    _ => false,
                };
                assert!(acceptable, "budget {budget}, torn {torn_writes}: {opened:?}");
            }
        }
    }

    /// Applies `damage` to one copy of an unlocked record's store and
    /// returns what opening finds.
    fn open_after(item: &str, damage: impl FnOnce(&mut MemoryStore, &str)) -> Opened {
        let mut store = saved(&unlocked());
        damage(&mut store, item);
        open(&mut store, &HERE).unwrap()
    }

    fn locked_version(record: &Record) -> Record {
        Record {
            locked: true,
            ..record.clone()
        }
    }

    #[test]
    fn one_missing_copy_keeps_the_other_and_locks() {
        for item in [ITEM, COPY_ITEM] {
            assert_eq!(
                open_after(item, |store, item| {
                    store.items.remove(item);
                }),
                Opened::Degraded {
                    record: locked_version(&unlocked()),
                    problem: CopyHealth::Missing
                },
                "{item}"
            );
        }
    }

    #[test]
    fn one_truncated_or_bit_flipped_copy_keeps_the_other_and_locks() {
        for item in [ITEM, COPY_ITEM] {
            let opened = open_after(item, |store, item| {
                store.items.get_mut(item).unwrap().truncate(100);
            });
            assert_eq!(
                opened,
                Opened::Degraded {
                    record: locked_version(&unlocked()),
                    problem: CopyHealth::Damaged(RecordError::Truncated { length: 100 })
                }
            );
            for byte in [0, 5, 47, 90, 135] {
                let opened = open_after(item, |store, item| {
                    store.items.get_mut(item).unwrap()[byte] ^= 0x04;
                });
                let Opened::Degraded { record, problem } = opened else {
                    panic!("{item} byte {byte}: {opened:?}");
                };
                assert!(record.locked, "damage never unlocks");
                assert!(matches!(problem, CopyHealth::Damaged(_)), "{problem:?}");
            }
        }
    }

    #[test]
    fn a_damaged_copy_is_repaired_in_place_by_the_next_save() {
        let mut store = saved(&unlocked());
        store.items.get_mut(ITEM).unwrap()[60] ^= 1;
        store.fill();
        let Opened::Degraded { record, .. } = open(&mut store, &HERE).unwrap() else {
            panic!("not degraded");
        };
        save(&mut store, &record).unwrap();
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Intact(record)));
    }

    #[test]
    fn mismatched_copies_take_the_newer_or_the_stricter_and_lock() {
        // Older copy (a save cut between its two writes).
        let mut store = saved(&unlocked());
        let old_bytes = store.items[ITEM].clone();
        save(&mut store, &newer(&unlocked())).unwrap();
        store.items.insert(COPY_ITEM.into(), old_bytes);
        assert_eq!(
            open(&mut store, &HERE),
            Ok(Opened::Degraded {
                record: locked_version(&newer(&unlocked())),
                problem: CopyHealth::Stale
            })
        );
        // Same number, other contents (only an edit does this): the copy
        // with more failures wins, and the record is locked.
        let mut store = saved(&unlocked());
        let mut edited = unlocked();
        edited.failures = 3;
        edited.hash = [0x55; 32];
        store
            .items
            .insert(COPY_ITEM.into(), edited.encode(1).to_vec());
        assert_eq!(
            open(&mut store, &HERE),
            Ok(Opened::Degraded {
                record: locked_version(&edited),
                problem: CopyHealth::Conflicting
            })
        );
    }

    #[test]
    fn a_valid_version_1_new_copy_with_a_damaged_record_stays_locked() {
        let mut store = MemoryStore::default();
        store
            .items
            .insert(ITEM.into(), b"CGLK\x01 damaged".to_vec());
        store
            .items
            .insert(NEW_ITEM.into(), encode_version_1(&unlocked()).to_vec());
        let Opened::Degraded { record, problem } = open(&mut store, &HERE).unwrap() else {
            panic!("not degraded");
        };
        assert!(record.locked);
        assert_eq!(record.hash, unlocked().hash);
        assert!(matches!(problem, CopyHealth::Damaged(_)));
        // Saving moves it to version 2 and removes the old item.
        save(&mut store, &record).unwrap();
        assert_eq!(stored(&store), [ITEM, COPY_ITEM]);
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Intact(record)));
    }

    #[test]
    fn a_version_1_record_is_upgraded_by_the_next_save() {
        let mut store = MemoryStore::default();
        let old = Record::decode(&encode_version_1(&unlocked()))
            .unwrap()
            .record;
        store
            .items
            .insert(ITEM.into(), encode_version_1(&unlocked()).to_vec());
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Upgraded(old.clone())));
        save(&mut store, &old).unwrap();
        assert_eq!(store.items[ITEM].len(), RECORD_LENGTH);
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Intact(old)));
    }

    #[test]
    fn a_version_1_record_on_a_full_main_memory_is_saved_in_place() {
        let mut store = MemoryStore::default();
        store
            .items
            .insert(ITEM.into(), encode_version_1(&unlocked()).to_vec());
        store.fill();
        let mut record = Record::decode(&encode_version_1(&unlocked()))
            .unwrap()
            .record;
        record.locked = true;
        record.failures = 2;
        save(&mut store, &record).unwrap();
        assert_eq!(stored(&store), [ITEM], "nothing else fits");
        let Opened::Upgraded(read) = open(&mut store, &HERE).unwrap() else {
            panic!("not a version-1 record");
        };
        assert_eq!((read.locked, read.failures), (true, 2));
    }

    #[test]
    fn another_calculators_record_is_refused() {
        let mut foreign = unlocked();
        foreign.salt[16..].copy_from_slice(&ELSEWHERE);
        let mut store = saved(&foreign);
        assert_eq!(
            open(&mut store, &HERE),
            Ok(Opened::OtherDevice {
                device_id: ELSEWHERE
            })
        );
        // One foreign copy next to one of ours: ours, locked.
        let mut store = saved(&unlocked());
        store
            .items
            .insert(COPY_ITEM.into(), foreign.encode(9).to_vec());
        assert_eq!(
            open(&mut store, &HERE),
            Ok(Opened::Degraded {
                record: locked_version(&unlocked()),
                problem: CopyHealth::OtherDevice(ELSEWHERE)
            })
        );
    }

    #[test]
    fn no_valid_copy_is_unusable_not_a_first_run() {
        let mut store = saved(&unlocked());
        store.items.get_mut(ITEM).unwrap()[3] ^= 1;
        store.items.get_mut(COPY_ITEM).unwrap().truncate(7);
        assert_eq!(
            open(&mut store, &HERE),
            Ok(Opened::Unusable {
                first: CopyHealth::Damaged(RecordError::BadMagic),
                second: CopyHealth::Damaged(RecordError::Truncated { length: 7 })
            })
        );
        let mut store = MemoryStore::default();
        store.items.insert(COPY_ITEM.into(), vec![0xFF; 200]);
        assert_eq!(
            open(&mut store, &HERE),
            Ok(Opened::Unusable {
                first: CopyHealth::Missing,
                second: CopyHealth::Damaged(RecordError::TooLong { length: 200 })
            })
        );
        // Nothing was deleted: the user decides.
        assert_eq!(stored(&store), [COPY_ITEM]);
    }

    #[test]
    fn erase_removes_every_item() {
        let mut store = saved(&sample());
        store.items.insert(NEW_ITEM.into(), b"junk".to_vec());
        erase(&mut store).unwrap();
        assert!(store.items.is_empty());
        assert_eq!(open(&mut store, &HERE), Ok(Opened::Fresh));
    }

    #[test]
    fn read_errors_are_passed_on() {
        let mut store = MemoryStore {
            budget: Some(0),
            ..Default::default()
        };
        assert!(open(&mut store, &HERE).is_err());
    }
}
