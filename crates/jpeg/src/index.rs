//! Where each MCU row's entropy-coded data starts, so that a later decode
//! of a region lower in the picture skips the rows above it.

use crate::input::Bits;

/// Entropy decoder state at an MCU boundary.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EntropyState {
    pub(crate) bits: Bits,
    pub(crate) predictors: [i32; 4],
    /// MCUs left before the next restart marker (0: none pending / no restarts).
    pub(crate) restart_left: u32,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Checkpoint {
    pub(crate) row: u32,
    /// File offset of the next byte the bit buffer would read.
    pub(crate) offset: u64,
    pub(crate) state: EntropyState,
}

/// Checkpoints kept; when full every other one is dropped and rows are
/// recorded half as often, so the index covers any height in fixed memory.
pub const INDEX_CAPACITY: usize = 128;

/// A record of where MCU rows start in a sequential JPEG, filled by any
/// decode that passes over them ([`crate::Decoder::build_index`] does all of
/// them). Keep it beside the decoder and pass it to later decodes of the same file.
/// Fixed size (about 6 KiB): no allocation.
#[derive(Clone, Debug)]
pub struct Index {
    checkpoints: [Checkpoint; INDEX_CAPACITY],
    count: usize,
    /// Rows between checkpoints (a power of two).
    stride: u32,
    /// Identifies the file: offset of the scan data, width and height.
    key: (u64, u32, u32),
}

impl Default for Index {
    fn default() -> Self {
        Index::new()
    }
}

impl Index {
    /// An empty index.
    pub fn new() -> Self {
        Index { checkpoints: [Checkpoint::default(); INDEX_CAPACITY], count: 0, stride: 1, key: (0, 0, 0) }
    }

    /// MCU rows recorded.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True before any decode has recorded a row.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Rows between two checkpoints.
    pub fn stride(&self) -> u32 {
        self.stride
    }

    /// Forgets everything if the index was made for another file.
    pub(crate) fn bind(&mut self, key: (u64, u32, u32)) {
        if self.key != key {
            *self = Index::new();
            self.key = key;
        }
    }

    pub(crate) fn record(&mut self, row: u32, offset: u64, state: &EntropyState) {
        let expected = if self.count == 0 { 0 } else { self.checkpoints[self.count - 1].row + self.stride };
        if row != expected {
            return;
        }
        if self.count == INDEX_CAPACITY {
            let mut kept = 0;
            for i in (0..self.count).step_by(2) {
                self.checkpoints[kept] = self.checkpoints[i];
                kept += 1;
            }
            self.count = kept;
            self.stride *= 2;
            if row != self.checkpoints[self.count - 1].row + self.stride {
                return;
            }
        }
        self.checkpoints[self.count] = Checkpoint { row, offset, state: *state };
        self.count += 1;
    }

    /// The last checkpoint at or above `row`.
    pub(crate) fn before(&self, row: u32) -> Option<Checkpoint> {
        self.checkpoints[..self.count].iter().rev().find(|c| c.row <= row).copied()
    }
}
