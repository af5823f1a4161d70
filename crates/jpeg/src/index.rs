//! Where the entropy-coded data of MCU rows, and of columns within them,
//! starts, so that a later decode of a region begins near its top-left MCU
//! and, at the end of each of the region's rows, goes straight to the next
//! row's checkpoint instead of decoding the rest of the row.

use alloc::vec::Vec;

use crate::input::Bits;

/// Entropy decoder state at an MCU boundary.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EntropyState {
    pub(crate) bits: Bits,
    pub(crate) predictors: [i32; 4],
    /// MCUs left before the next restart marker (0: none pending / no restarts).
    pub(crate) restart_left: u32,
}

/// Words a saved entropy state takes in the grid: the offset of the next
/// byte the bit buffer would read (0 for a slot not recorded yet: entropy-
/// coded data never starts a file), the buffered bits, the four DC
/// predictors as 16-bit halves (the decoder clamps them to that range),
/// and the restart count with the number of buffered bits.
const WORDS: usize = 5;

fn pack(offset: u32, state: &EntropyState, restart_left: u16) -> [u32; WORDS] {
    let p = state.predictors.map(|p| p.clamp(-32768, 32767) as i16 as u16 as u32);
    [offset, state.bits.buffer, p[0] << 16 | p[1], p[2] << 16 | p[3], u32::from(restart_left) << 8 | (state.bits.count & 0xFF)]
}

fn unpack(words: &[u32]) -> (u64, EntropyState) {
    let half = |word: u32, high: bool| i32::from((if high { word >> 16 } else { word & 0xFFFF }) as u16 as i16);
    let state = EntropyState {
        bits: Bits::resumed(words[1], words[4] & 0xFF),
        predictors: [half(words[2], true), half(words[2], false), half(words[3], true), half(words[3], false)],
        restart_left: words[4] >> 8,
    };
    (u64::from(words[0]), state)
}

/// Where a decode can resume.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Resume {
    pub(crate) row: u32,
    pub(crate) column: u32,
    pub(crate) offset: u64,
    pub(crate) state: EntropyState,
}

/// Checkpoints an [`Index::new`] index may keep (about 20 bytes each).
pub const INDEX_CAPACITY: usize = 1024;

/// A record of where MCU rows, and columns within them, start in a
/// single-scan sequential JPEG, filled by any decode that passes over them
/// ([`crate::Decoder::build_index`] does all of them). Keep it beside the
/// decoder and pass it to later decodes of the same file.
///
/// Checkpoints form a grid fixed when the index meets a picture: every
/// MCU row while the rows fit the capacity, with columns as close together
/// as the capacity then allows (a region decode skips the MCUs left of its
/// nearest column and right of its end); for taller pictures, every
/// `stride`-th row at column 0 only. The grid is allocated then (about 20
/// bytes a checkpoint); if that fails the index stays empty and decodes
/// work as without one.
#[derive(Clone, Debug)]
pub struct Index {
    capacity: usize,
    /// The grid, [`WORDS`] words a checkpoint, row by row.
    checkpoints: Vec<u32>,
    /// Rows between checkpoint rows (a power of two).
    stride: u32,
    /// MCUs between checkpoint columns (a power of two).
    column_stride: u32,
    /// Checkpoints per recorded row.
    per_row: u32,
    /// Checkpoints in the grid (0 until a picture is bound, or if its
    /// allocation failed).
    slot_count: usize,
    /// log2 of `stride` and `column_stride`.
    row_shift: u32,
    column_shift: u32,
    /// Identifies the file: offset of the scan data, width and height.
    key: (u64, u32, u32),
}

impl Default for Index {
    fn default() -> Self {
        Index::new()
    }
}

impl Index {
    /// An empty index of [`INDEX_CAPACITY`] checkpoints.
    pub fn new() -> Self {
        Index::with_capacity(INDEX_CAPACITY)
    }

    /// An empty index of at most `capacity` checkpoints (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        Index {
            capacity: capacity.max(1),
            checkpoints: Vec::new(),
            stride: 1,
            column_stride: 1,
            per_row: 1,
            slot_count: 0,
            row_shift: 0,
            column_shift: 0,
            key: (0, 0, 0),
        }
    }

    /// Checkpoints recorded.
    pub fn len(&self) -> usize {
        self.checkpoints.chunks_exact(WORDS).filter(|c| c[0] != 0).count()
    }

    /// True before any decode has recorded a checkpoint.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// MCU rows between two checkpoint rows.
    pub fn stride(&self) -> u32 {
        self.stride
    }

    /// MCUs between two checkpoints of a row (2³¹: column 0 only).
    pub fn column_stride(&self) -> u32 {
        self.column_stride
    }

    /// Bytes the grid takes.
    pub fn memory(&self) -> usize {
        self.checkpoints.capacity() * core::mem::size_of::<u32>()
    }

    /// Forgets everything if the index was made for another file, and lays
    /// out the grid for a picture of `mcus_x` × `mcus_y` MCUs.
    pub(crate) fn bind(&mut self, key: (u64, u32, u32), mcus_x: u32, mcus_y: u32) {
        if self.key == key && !self.checkpoints.is_empty() {
            return;
        }
        *self = Index::with_capacity(self.capacity);
        self.key = key;
        let capacity = self.capacity as u64;
        let (rows, columns) = (u64::from(mcus_y.max(1)), u64::from(mcus_x.max(1)));
        if rows <= capacity {
            while rows * columns.div_ceil(u64::from(self.column_stride)) > capacity {
                self.column_stride *= 2;
            }
        } else {
            // Column 0 only.
            self.column_stride = 1 << 31;
            while rows.div_ceil(u64::from(self.stride)) > capacity {
                self.stride *= 2;
            }
        }
        self.per_row = mcus_x.max(1).div_ceil(self.column_stride);
        self.row_shift = self.stride.trailing_zeros();
        self.column_shift = self.column_stride.trailing_zeros();
        let slots = (mcus_y.max(1).div_ceil(self.stride) * self.per_row) as usize;
        if let Some(words) = slots.checked_mul(WORDS) {
            if self.checkpoints.try_reserve_exact(words).is_ok() {
                self.checkpoints.resize(words, 0);
                self.slot_count = slots;
            }
        }
    }

    /// Where (`row`, `column`)'s checkpoint goes, if the grid has one.
    /// Called for every MCU: masks and shifts only (a division is a
    /// library call on the SH-4).
    #[inline]
    fn slot(&self, row: u32, column: u32) -> Option<usize> {
        if row & (self.stride - 1) != 0 || (column != 0 && (self.per_row == 1 || column & (self.column_stride - 1) != 0)) {
            return None;
        }
        let column_slot = if column == 0 { 0 } else { (column >> self.column_shift) as usize };
        let at = (row >> self.row_shift) as usize * self.per_row as usize + column_slot;
        (at < self.slots()).then_some(at)
    }

    /// Saves the state at the start of MCU (`row`, `column`) if the grid has
    /// a place for it (states past the end of the data are not saved).
    #[inline]
    pub(crate) fn record(&mut self, row: u32, column: u32, offset: u64, state: &EntropyState) {
        let Some(at) = self.slot(row, column) else { return };
        let (Ok(offset), Ok(restart_left), true) =
            (u32::try_from(offset), u16::try_from(state.restart_left), state.bits.is_clean())
        else {
            return;
        };
        if offset == 0 {
            return;
        }
        self.checkpoints[at * WORDS..at * WORDS + WORDS].copy_from_slice(&pack(offset, state, restart_left));
    }

    /// Checkpoints the grid has room for.
    #[inline]
    fn slots(&self) -> usize {
        self.slot_count
    }

    fn resume(&self, at: usize) -> Resume {
        let (offset, state) = unpack(&self.checkpoints[at * WORDS..at * WORDS + WORDS]);
        let row = (at / self.per_row as usize) as u32 * self.stride;
        // One checkpoint a row: column 0 (the stride may be "never").
        let column = if self.per_row == 1 { 0 } else { (at % self.per_row as usize) as u32 * self.column_stride };
        Resume { row, column, offset, state }
    }

    /// The last checkpoint at or before MCU (`row`, `column`) in scan order.
    pub(crate) fn before(&self, row: u32, column: u32) -> Option<Resume> {
        if self.checkpoints.is_empty() {
            return None;
        }
        let recorded_row = (row >> self.row_shift) as usize;
        let column_slot = if self.per_row == 1 { 0 } else { (column >> self.column_shift) as usize };
        let last = (recorded_row * self.per_row as usize + column_slot).min(self.slots() - 1);
        (0..=last).rev().find(|&at| self.checkpoints[at * WORDS] != 0).map(|at| self.resume(at))
    }

    /// The checkpoint of row `row` nearest at or before `column`, if that
    /// row has one.
    pub(crate) fn in_row(&self, row: u32, column: u32) -> Option<Resume> {
        let found = self.before(row, column)?;
        (found.row == row).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_comes_back_as_it_was() {
        let state = EntropyState {
            bits: Bits::resumed(0xDEAD_BEEF, 27),
            predictors: [-32768, 32767, -1, 1024],
            restart_left: 300,
        };
        let mut index = Index::with_capacity(64);
        index.bind((10, 64, 64), 8, 8);
        index.record(3, 0, 12345, &state);
        let resume = index.before(3, 5).unwrap();
        assert_eq!((resume.row, resume.column, resume.offset), (3, 0, 12345));
        assert_eq!(resume.state.predictors, state.predictors);
        assert_eq!(resume.state.restart_left, 300);
        assert_eq!((resume.state.bits.buffer, resume.state.bits.count), (0xDEAD_BEEF, 27));
        assert!(resume.state.bits.is_clean());
    }

    #[test]
    fn grids_fit_their_capacity() {
        // (capacity, MCUs across, MCUs down) → (row stride, column stride).
        for (capacity, x, y, strides) in [
            (4096, 64, 48, (1, 1)),
            (4096, 250, 188, (1, 16)),
            (1024, 250, 188, (1, 64)),
            (128, 19, 25, (1, 4)),
            (128, 1, 300, (4, 1 << 31)),
        ] {
            let mut index = Index::with_capacity(capacity);
            index.bind((1, x, y), x, y);
            assert_eq!((index.stride(), index.column_stride()), strides, "{capacity} for {x}×{y}");
            assert!(index.slots() <= capacity);
            assert_eq!(index.memory(), index.slots() * WORDS * 4);
        }
    }

    #[test]
    fn only_grid_points_and_clean_states_are_saved() {
        let mut index = Index::with_capacity(16);
        index.bind((1, 0, 0), 8, 4);
        assert_eq!(index.column_stride(), 2);
        let clean = EntropyState::default();
        index.record(1, 3, 100, &clean);
        assert!(index.is_empty(), "column 3 is between grid points");
        index.record(1, 2, 0, &clean);
        assert!(index.is_empty(), "offset 0 marks an empty slot");
        index.record(1, 2, 100, &clean);
        assert_eq!(index.len(), 1);
        assert!(index.in_row(1, 7).is_some() && index.in_row(2, 7).is_none());
        assert_eq!(index.before(3, 0).map(|r| (r.row, r.column)), Some((1, 2)));
    }
}
