//! Images whose components arrive in several scans: progressive (SOF2) and
//! non-interleaved sequential ones. Every scan is read; coefficients are
//! kept only for the blocks of the requested region (just the DC at 1/8
//! scale), then the region is transformed and output MCU row by MCU row.
//!
//! Successive-approximation refinement of AC coefficients needs to know,
//! for every block it passes, which coefficients are already non-zero; for
//! blocks outside the region that history is kept as a 64-bit mask per
//! block (two 32-bit words: this CPU shifts 64-bit values slowly), only
//! for the block rows down to the region's bottom (scans are left at that
//! row: the rest of their data is skipped to the next marker).

use alloc::vec::Vec;

use crate::decoder::{dc_sample, emit_deferred_line, emit_rows, restart, zeroed, Decoder, Layout, Options, Pixels, Planes, Summary, SHAPE_BITS};
use crate::error::{Error, ErrorKind, Result};
use crate::header::{self, Coding, Frame, Scan, Stop};
use crate::huffman::{HuffmanTable, FAST_AC_END, FAST_AC_NO_VALUE, LOOKUP_BITS};
use crate::idct;
use crate::index::{self, EntropyState};
use crate::decoder::{dc_difference, reload, spill, top_up};
use crate::input::{Bits, Fault, Input, Quick};
use crate::source::ByteSource;
use crate::ZIGZAG;

/// Coefficients (zigzag order, quantised) or non-zero history of one block.
enum Target<'a> {
    Coefficients(&'a mut [i16]),
    /// Bit `k & 31` of word `k >> 5`: coefficient `k` is non-zero.
    History(&'a mut [u32; 2]),
    Nothing,
}

impl Target<'_> {
    #[inline(always)]
    fn is_nonzero(&self, k: usize) -> bool {
        match self {
            Target::Coefficients(c) => c.get(k).is_some_and(|&v| v != 0),
            Target::History(mask) => mask[(k >> 5) & 1] >> (k & 31) & 1 != 0,
            Target::Nothing => false,
        }
    }

    #[inline(always)]
    fn set(&mut self, k: usize, value: i32) {
        match self {
            Target::Coefficients(c) => {
                if let Some(slot) = c.get_mut(k) {
                    *slot = value.clamp(-32768, 32767) as i16;
                }
            }
            Target::History(mask) => {
                if value != 0 {
                    mask[(k >> 5) & 1] |= 1 << (k & 31);
                }
            }
            Target::Nothing => {}
        }
    }

    /// Applies a correction bit to a coefficient that is already non-zero.
    #[inline(always)]
    fn refine(&mut self, k: usize, bit: i32) {
        if let Target::Coefficients(c) = self {
            if let Some(slot) = c.get_mut(k) {
                if *slot & bit as i16 == 0 {
                    *slot = if *slot >= 0 { slot.saturating_add(bit as i16) } else { slot.saturating_sub(bit as i16) };
                }
            }
        }
    }
}

/// Block `i`'s mask in a store's history.
#[inline(always)]
fn history_mask(history: &mut [u32], i: usize) -> Option<&mut [u32; 2]> {
    history.get_mut(i.wrapping_mul(2)..)?.first_chunk_mut::<2>()
}

/// Per-component storage for the region's blocks.
struct Store {
    /// First stored block column and row, and stored columns and rows.
    col0: u32,
    row0: u32,
    cols: u32,
    rows: u32,
    per_block: usize,
    coefficients: Vec<i16>,
    /// Non-zero history (AC refinement) for the blocks of columns
    /// `history_col0..` and rows `history_row0..`.
    /// Two words a block (see [`Target::History`]).
    history: Vec<u32>,
    history_col0: u32,
    history_cols: u32,
    history_row0: u32,
    history_rows: u32,
}

impl Store {
    fn target(&mut self, bx: u32, by: u32) -> Target<'_> {
        if bx >= self.col0 && bx < self.col0 + self.cols && by >= self.row0 && by < self.row0 + self.rows {
            let i = ((by - self.row0) * self.cols + (bx - self.col0)) as usize * self.per_block;
            if let Some(c) = self.coefficients.get_mut(i..i + self.per_block) {
                return Target::Coefficients(c);
            }
        } else if bx.wrapping_sub(self.history_col0) < self.history_cols && by.wrapping_sub(self.history_row0) < self.history_rows {
            let i = ((by - self.history_row0) * self.history_cols + (bx - self.history_col0)) as usize;
            if let Some(h) = history_mask(&mut self.history, i) {
                return Target::History(h);
            }
        }
        Target::Nothing
    }
}

/// Most passes over the file a banded decode may make.
const MAX_BANDS: u32 = 64;

/// Where a component's store lies, in blocks: the stored coefficients'
/// first column and row and their extent, and the same for the
/// refinement history.
#[derive(Clone, Copy, Debug, Default)]
struct Geometry {
    col0: u32,
    row0: u32,
    cols: u32,
    rows: u32,
    history_col0: u32,
    history_cols: u32,
    history_row0: u32,
    history_rows: u32,
}

/// The memory plan of one multi-scan decode.
struct Plan {
    layout: Layout,
    dc_only: [bool; 4],
    /// Per component: where its store lies.
    geometry: [Geometry; 4],
    /// Per component: the block columns its single-component scans read in
    /// each block row, from a column checkpoint (see
    /// [`ScanRows::column_start`]); `None`: whole rows.
    columns: [Option<(u32, u32)>; 4],
    needed: u64,
    /// The MCU row every scan starts at (each at its checkpoint there):
    /// the refinement history is planned from it.
    start_row: u32,
    /// False for a pass that only reads rows above the region (see
    /// [`Decoder::read_rows_above`]): no coefficients kept, nothing output.
    output: bool,
}

/// Scan-wide decoding state.
struct ScanState {
    entropy: EntropyState,
    end_of_band_run: u32,
}

fn decode_sequential_block<S: ByteSource>(
    input: &mut Input<S>,
    bits: &mut Bits,
    dc: &HuffmanTable,
    ac: &HuffmanTable,
    predictor: &mut i32,
    target: &mut Target<'_>,
) -> Quick<()> {
    *predictor = (*predictor + bits.dc_difference(input, dc)?).clamp(-32768, 32767);
    target.set(0, *predictor);
    let mut k = 1;
    while k < 64 {
        let rs = bits.symbol(input, ac)?;
        let (run, s) = (usize::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if run == 15 {
                k += 16;
                continue;
            }
            break;
        }
        k += run;
        if k > 63 {
            return Err(Fault::RunPastEnd);
        }
        let v = bits.extended(input, s)?;
        target.set(k, v);
        k += 1;
    }
    Ok(())
}

/// What [`decode_ac_first_block`] keeps of a block's coefficients.
const KEEP_VALUES: u8 = 0;
const KEEP_MASK: u8 = 1;
const KEEP_NOTHING: u8 = 2;

/// A block of a first AC scan (no refinement, `ss` > 0): what
/// [`decode_progressive_block`] does, with the coefficients whose code and
/// magnitude fit in one lookup of the combined table `fast` taken in one
/// step. The bit buffer is filled exactly when the general path fills it.
/// `KEEP` says what is kept: the values in `values` (as
/// [`Target::Coefficients`]), which ones are non-zero in `mask` (as
/// [`Target::History`]; gathered in two registers, set once), or nothing.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn decode_ac_first_block<S: ByteSource, const KEEP: u8>(
    input: &mut Input<S>,
    state: &mut ScanState,
    ac: &HuffmanTable,
    fast: &[u32; 1 << LOOKUP_BITS],
    ss: usize,
    se: usize,
    al: u32,
    values: &mut [i16],
    mask: &mut [u32; 2],
) -> Quick<()> {
    let ScanState { entropy, end_of_band_run } = state;
    if *end_of_band_run > 0 {
        *end_of_band_run -= 1;
        return Ok(());
    }
    let bits = &mut entropy.bits;
    let (mut low, mut high) = (0u32, 0u32);
    let mut keep = |k: usize, v: i32| match KEEP {
        KEEP_VALUES => {
            if let Some(slot) = values.get_mut(k) {
                *slot = v.clamp(-32768, 32767) as i16;
            }
        }
        KEEP_MASK => {
            // (Every value kept here is non-zero.)
            if k < 32 {
                low |= 1 << k;
            } else {
                high |= 1 << (k & 31);
            }
        }
        _ => {}
    };
    let mut k = ss;
    // The bit buffer in locals (registers) for the one-lookup steps,
    // stored back for the general path.
    let (mut buffer, mut count) = (bits.buffer, bits.count);
    while k <= se {
        top_up!(input, bits, buffer, count, []);
        let entry = fast[(buffer >> (32 - LOOKUP_BITS)) as usize];
        let value = (entry as i32) >> 16;
        if value != 0 && entry & FAST_AC_NO_VALUE == 0 {
            // Code and magnitude within the lookup (at most 9 of the 16 or more bits held).
            let length = entry & 0xFF;
            buffer <<= length;
            count -= length;
            k += ((entry >> 8) & 0x7F) as usize - 1;
            if k > 63 {
                (bits.buffer, bits.count) = (buffer, count);
                return Err(Fault::RunPastEnd);
            }
            keep(k, value << al);
            k += 1;
            continue;
        }
        if entry & FAST_AC_NO_VALUE != 0 {
            // End of band (with its run's bits, when buffered) or 16 zeros,
            // from the lookup: no second decode of the symbol.
            let length = entry & 0xFF;
            let advance = (entry >> 8) & 0x7F;
            let run = advance.wrapping_sub(FAST_AC_END);
            if advance == 16 {
                buffer <<= length;
                count -= length;
                k += 16;
                continue;
            }
            if run < 15 && length + run <= count {
                buffer <<= length;
                let extra = if run == 0 { 0 } else { buffer >> (32 - run) };
                buffer = if run == 0 { buffer } else { buffer << run };
                count -= length + run;
                *end_of_band_run = (1 << run) - 1 + extra;
                break;
            }
        }
        (bits.buffer, bits.count) = (buffer, count);
        let rs = bits.symbol(input, ac)?;
        let (run, s) = (u32::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if run < 15 {
                *end_of_band_run = (1 << run) - 1 + bits.raw(input, run)?;
                (buffer, count) = (bits.buffer, bits.count);
                break;
            }
            k += 16;
        } else {
            k += run as usize;
            if k > 63 {
                return Err(Fault::RunPastEnd);
            }
            let v = bits.extended(input, s)?;
            keep(k, v << al);
            k += 1;
        }
        (buffer, count) = (bits.buffer, bits.count);
    }
    (bits.buffer, bits.count) = (buffer, count);
    if KEEP == KEEP_MASK {
        mask[0] |= low;
        mask[1] |= high;
    }
    Ok(())
}

/// Where [`read_component_rows`] stopped.
enum RowsEnd {
    /// At the end of its rows.
    Done,
    /// The data ended (a marker or the end of the file) before its last block.
    Overrun,
}

/// The column table of the scan at `start` (looked up once), the blocks
/// between its checkpoints when this pass records them (0: it does not;
/// it reads `columns` from them, or records none), and the mask of the
/// columns where [`record_checkpoints`] has something to record: the
/// grid of column checkpoints (a power of two), or a row's first only.
fn column_recording(scan_rows: &mut ScanRows, start: u64, columns: Option<(u32, u32)>) -> (Option<usize>, u32, u32) {
    let table = scan_rows.column_table(start);
    let step = match (columns, table) {
        (None, Some(at)) => scan_rows.column_storage(at).unwrap_or(0),
        _ => 0,
    };
    (table, step, if step > 0 { step - 1 } else { u32::MAX })
}

/// The start of block row `row` of a single-component scan: from its
/// column checkpoint at `first_col` when the pass reads columns (planned
/// from recorded checkpoints, so it exists), else with the row's slot of
/// the column table claimed when the pass records checkpoints.
#[allow(clippy::too_many_arguments)]
fn begin_row<S: ByteSource>(
    input: &mut Input<S>,
    scan_rows: &mut ScanRows,
    state: &mut ScanState,
    (table, step): (Option<usize>, u32),
    reading_columns: bool,
    row: u32,
    first_col: u32,
) -> Result<()> {
    if reading_columns {
        let Some((offset, resumed)) = table.and_then(|at| scan_rows.columns.get(at)?.entry(row, first_col)) else {
            return Err(input.error(ErrorKind::Malformed("column checkpoint missing")));
        };
        input.seek(offset)?;
        *state = resumed;
    } else if let (true, Some(t)) = (step > 0, table.and_then(|at| scan_rows.columns.get_mut(at))) {
        t.claim(row);
    }
    Ok(())
}

/// The checkpoints recorded before block `col` of block row `row` of a
/// single-component scan: the row's (first block, on the MCU-row grid)
/// and the column table's (on its grid, when this pass records them).
#[allow(clippy::too_many_arguments)]
fn record_checkpoints(scan_rows: &mut ScanRows, table: Option<usize>, step: u32, (start, unit): (u64, u32), row: u32, col: u32, offset: u64, state: &ScanState) {
    if col == 0 && row.is_multiple_of(unit) {
        scan_rows.record(start, row / unit, offset, state);
    }
    if step > 0 {
        if let Some(t) = table.and_then(|at| scan_rows.columns.get_mut(at)) {
            t.record(row, col, offset, state);
        }
    }
}

/// Blocks `cols` of a row of a first DC scan: each difference added to
/// the predictor, kept where the block is stored (`stored`: the row's
/// stored columns, its first coefficient's index, the shift of a block's
/// coefficients, the point transform). The bit buffer and the predictor
/// stay in locals (registers), decoded as the sequential loops do
/// (`dc_difference!`). True when the data ended before the last block.
fn first_dc_blocks<S: ByteSource>(
    input: &mut Input<S>,
    state: &mut ScanState,
    dc: &HuffmanTable,
    cols: core::ops::Range<u32>,
    store: &mut Store,
    (stored_cols, base, shift, al): (u32, usize, u32, u32),
) -> Quick<bool> {
    let bits = &mut state.entropy.bits;
    let (mut buffer, mut count) = (bits.buffer, bits.count);
    let mut predictor = state.entropy.predictors[0];
    for col in cols {
        let difference = dc_difference!(input, bits, dc, buffer, count, []);
        predictor = (predictor + difference).clamp(-32768, 32767);
        if col.wrapping_sub(store.col0) < stored_cols {
            let at = base.wrapping_add((col.wrapping_sub(store.col0) as usize) << shift);
            if let Some(v) = store.coefficients.get_mut(at) {
                *v = (predictor << al).clamp(-32768, 32767) as i16;
            }
        }
        // Zeros are fed (and bits may run out) only after a marker.
        if bits.marker.is_some() {
            (bits.buffer, bits.count) = (buffer, count);
            if bits.overrun() {
                state.entropy.predictors[0] = predictor;
                return Ok(true);
            }
        }
    }
    (bits.buffer, bits.count) = (buffer, count);
    state.entropy.predictors[0] = predictor;
    Ok(false)
}

/// [`read_component_rows`] for a DC scan without restart markers (most
/// blocks a progressive picture's fit reads): the same steps with no block
/// targets to choose, only whether the block is stored, about half the
/// work a block.
#[allow(clippy::too_many_arguments)]
fn read_dc_rows<S: ByteSource>(
    input: &mut Input<S>,
    scan_rows: &mut ScanRows,
    state: &mut ScanState,
    scan: &Scan,
    dc: &HuffmanTable,
    store: &mut Store,
    (start, unit): (u64, u32),
    width: u32,
    rows: core::ops::Range<u32>,
    columns: Option<(u32, u32)>,
) -> Result<RowsEnd> {
    let (refine, al) = (scan.approx_high > 0, u32::from(scan.approx_low));
    let (table, step, record_mask) = column_recording(scan_rows, start, columns);
    let (first_col, end_col) = columns.unwrap_or((0, width));
    let end_col = end_col.min(width);
    let edges = edge_recording(scan_rows, start, store, width);
    let shift = store.per_block.trailing_zeros();
    for row in rows {
        begin_row(input, scan_rows, state, (table, step), columns.is_some(), row, first_col)?;
        // Stored columns of this row (none when the row is not stored).
        let stored = row.wrapping_sub(store.row0) < store.rows;
        let stored_cols = if stored { store.cols } else { 0 };
        let base = (row.wrapping_sub(store.row0).wrapping_mul(store.cols) as usize) << shift;
        if refine {
            let mut mark = next_mark(first_col, record_mask, edges);
            for col in first_col..end_col {
                if col == mark {
                    record_mark(scan_rows, (table, step, record_mask), (start, unit), edges, row, col, input.offset(), state);
                    mark = next_mark(col + 1, record_mask, edges);
                }
                let keep = col.wrapping_sub(store.col0) < stored_cols;
                let at = base.wrapping_add((col.wrapping_sub(store.col0) as usize) << shift);
                if state.entropy.bits.bit(input).map_err(|f| input.fault(f))? && keep {
                    if let Some(v) = store.coefficients.get_mut(at) {
                        *v |= (1i32 << al) as i16;
                    }
                }
                if state.entropy.bits.overrun() {
                    return Ok(RowsEnd::Overrun);
                }
            }
            if end_col == edges.1 {
                record_edge(scan_rows, table, row, end_col, input.offset(), state);
            }
            continue;
        }
        // First DC scans: stretches of blocks between the columns where
        // checkpoints are recorded.
        let mut col = first_col;
        while col < end_col {
            // What is due at the stretch's start (nothing off the marks).
            record_mark(scan_rows, (table, step, record_mask), (start, unit), edges, row, col, input.offset(), state);
            let next = next_mark(col + 1, record_mask, edges).min(end_col);
            let stored = (stored_cols, base, shift, al);
            if first_dc_blocks(input, state, dc, col..next, store, stored).map_err(|f| input.fault(f))? {
                return Ok(RowsEnd::Overrun);
            }
            col = next;
        }
        if end_col == edges.1 {
            record_edge(scan_rows, table, row, end_col, input.offset(), state);
        }
    }
    Ok(RowsEnd::Done)
}

/// The DC of a block in a DC scan, component `slot` of the scan: a first
/// scan adds the difference to the predictor, a refinement scan appends a
/// bit; only a stored block keeps it (history is read from `ss` ≥ 1 on).
/// The difference is decoded over a local bit buffer, as the sequential
/// loops do (`dc_difference!`: one lookup inline, no call, for most).
#[allow(clippy::too_many_arguments)]
fn dc_block<S: ByteSource>(input: &mut Input<S>, state: &mut ScanState, slot: usize, approx_high: u8, al: u32, dc: &HuffmanTable, target: &mut Target<'_>) -> Quick<()> {
    let entropy = &mut state.entropy;
    if approx_high == 0 {
        let bits = &mut entropy.bits;
        let (mut buffer, mut count) = (bits.buffer, bits.count);
        let difference = dc_difference!(input, bits, dc, buffer, count, []);
        (bits.buffer, bits.count) = (buffer, count);
        let predictor = &mut entropy.predictors[slot & 3];
        *predictor = (*predictor + difference).clamp(-32768, 32767);
        if let Target::Coefficients(c) = target {
            if let Some(v) = c.first_mut() {
                *v = (*predictor << al).clamp(-32768, 32767) as i16;
            }
        }
    } else if entropy.bits.bit(input)? {
        if let Target::Coefficients(c) = target {
            if let Some(v) = c.first_mut() {
                *v |= (1i32 << al) as i16;
            }
        }
    }
    Ok(())
}

/// The blocks of block rows `rows` of a progressive scan of one component
/// (most of a progressive file's data): the loop of
/// [`Decoder::read_scan`], in a function of its own so its state stays in
/// registers, with each row's place in `store` worked out once. With
/// `columns` (start, end) each row is read from its column checkpoint at
/// `start` to block column `end` only; otherwise whole rows are read and
/// leave column checkpoints.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn read_component_rows<S: ByteSource, const KIND: u8>(
    input: &mut Input<S>,
    scan_rows: &mut ScanRows,
    state: &mut ScanState,
    scan: &Scan,
    (dc, ac, fast): (&HuffmanTable, &HuffmanTable, &[u32; 1 << LOOKUP_BITS]),
    store: &mut Store,
    (start, unit, interval): (u64, u32, u32),
    width: u32,
    rows: core::ops::Range<u32>,
    columns: Option<(u32, u32)>,
) -> Result<RowsEnd> {
    debug_assert_eq!(KIND, scan_kind(scan));
    if KIND == SCAN_DC && interval == 0 {
        return read_dc_rows(input, scan_rows, state, scan, dc, store, (start, unit), width, rows, columns);
    }
    let (ss, se, al) = (usize::from(scan.spectral_start), usize::from(scan.spectral_end), u32::from(scan.approx_low));
    let (table, step, record_mask) = column_recording(scan_rows, start, columns);
    let (first_col, end_col) = columns.unwrap_or((0, width));
    let edges = edge_recording(scan_rows, start, store, width);
    for row in rows {
        begin_row(input, scan_rows, state, (table, step), columns.is_some(), row, first_col)?;
        let mut mark = next_mark(first_col, record_mask, edges);
        let stored = row.wrapping_sub(store.row0) < store.rows;
        let store_base = row.wrapping_sub(store.row0).wrapping_mul(store.cols) as usize;
        let remembered = row.wrapping_sub(store.history_row0) < store.history_rows;
        let history_base = row.wrapping_sub(store.history_row0).wrapping_mul(store.history_cols) as usize;
        for col in first_col..end_col.min(width) {
            if interval > 0 && state.entropy.restart_left == 0 {
                restart(input, &mut state.entropy, interval)?;
                state.end_of_band_run = 0;
            }
            // Saved after any restart marker: the bit buffer is then clean.
            if col == mark {
                record_mark(scan_rows, (table, step, record_mask), (start, unit), edges, row, col, input.offset(), state);
                mark = next_mark(col + 1, record_mask, edges);
            }
            if interval > 0 {
                state.entropy.restart_left -= 1;
            }
            // As `Store::target` gives it.
            let mut target = if stored && col.wrapping_sub(store.col0) < store.cols {
                let i = (store_base + (col - store.col0) as usize) * store.per_block;
                match store.coefficients.get_mut(i..i + store.per_block) {
                    Some(c) => Target::Coefficients(c),
                    None => Target::Nothing,
                }
            } else if remembered && col.wrapping_sub(store.history_col0) < store.history_cols {
                match history_mask(&mut store.history, history_base + (col - store.history_col0) as usize) {
                    Some(h) => Target::History(h),
                    None => Target::Nothing,
                }
            } else {
                Target::Nothing
            };
            let decoded = if KIND == SCAN_AC_FIRST {
                match &mut target {
                    Target::Coefficients(c) => decode_ac_first_block::<S, KEEP_VALUES>(input, state, ac, fast, ss, se, al, c, &mut [0; 2]),
                    Target::History(m) => decode_ac_first_block::<S, KEEP_MASK>(input, state, ac, fast, ss, se, al, &mut [], m),
                    Target::Nothing => decode_ac_first_block::<S, KEEP_NOTHING>(input, state, ac, fast, ss, se, al, &mut [], &mut [0; 2]),
                }
            } else if KIND == SCAN_DC {
                // DC with restart markers (the others go to `read_dc_rows`):
                // the DC step of `decode_progressive_block` directly.
                dc_block(input, state, 0, scan.approx_high, al, dc, &mut target)
            } else {
                decode_progressive_block(input, state, scan, dc, ac, 0, &mut target)
            };
            decoded.map_err(|f| input.fault(f))?;
            if state.entropy.bits.overrun() {
                return Ok(RowsEnd::Overrun);
            }
        }
        // A region's right edge where this row's reading stops there.
        if end_col == edges.1 {
            record_edge(scan_rows, table, row, end_col, input.offset(), state);
        }
    }
    Ok(RowsEnd::Done)
}

/// The first column from `col` on where a row's reading records a
/// checkpoint: on the grid of `record_mask` (all ones: the row's first
/// column only, for its row checkpoint), or at an edge.
fn next_mark(col: u32, record_mask: u32, (edge_first, edge_end): (u32, u32)) -> u32 {
    let grid = match (record_mask, col) {
        (_, 0) => 0,
        (u32::MAX, _) => u32::MAX,
        _ => col.saturating_add(record_mask) & !record_mask,
    };
    let mut mark = grid;
    for edge in [edge_first, edge_end] {
        if edge >= col && edge < mark {
            mark = edge;
        }
    }
    mark
}

/// The columns where [`read_component_rows`] records edge checkpoints in
/// the scan at `start`'s column table (`u32::MAX`: none): before the
/// region's first column and after its last, inside rows `width` blocks
/// wide (not for a strip one MCU wide, whose end no pan starts from);
/// only passes that output a region.
fn edge_recording(scan_rows: &ScanRows, start: u64, store: &Store, width: u32) -> (u32, u32) {
    if !scan_rows.record_columns || store.cols == 0 || scan_rows.column_table(start).is_none() {
        return (u32::MAX, u32::MAX);
    }
    let inside = |col: u32| if col > 0 && col < width { col } else { u32::MAX };
    let end = if store.cols > 2 { inside(store.col0 + store.cols) } else { u32::MAX };
    (inside(store.col0), end)
}

/// Records what is due before block `col` (a mark of [`next_mark`]) of
/// block row `row`: the row's and the column grid's checkpoints
/// ([`record_checkpoints`]), and an edge checkpoint at an edge.
#[allow(clippy::too_many_arguments)]
fn record_mark(scan_rows: &mut ScanRows, (table, step, record_mask): (Option<usize>, u32, u32), place: (u64, u32), (edge_first, edge_end): (u32, u32), row: u32, col: u32, offset: u64, state: &ScanState) {
    if col & record_mask == 0 {
        record_checkpoints(scan_rows, table, step, place, row, col, offset, state);
    }
    if col == edge_first || col == edge_end {
        record_edge(scan_rows, table, row, col, offset, state);
    }
}

/// Records block row `row`'s edge checkpoint before block `col` in column
/// table `table`.
fn record_edge(scan_rows: &mut ScanRows, table: Option<usize>, row: u32, col: u32, offset: u64, state: &ScanState) {
    if let Some(t) = table.and_then(|at| scan_rows.columns.get_mut(at)) {
        t.record_edge(row, col, offset, state);
    }
}

/// The kinds of progressive scan [`read_component_rows`] is instantiated
/// for: each gets a loop of its own (the DC loop ran slower, registers
/// spilling, with the first AC scans' code beside it).
const SCAN_DC: u8 = 0;
const SCAN_AC_FIRST: u8 = 1;
const SCAN_AC_REFINE: u8 = 2;

/// Which of the kinds `scan` is.
fn scan_kind(scan: &Scan) -> u8 {
    if scan.spectral_start == 0 {
        SCAN_DC
    } else if scan.approx_high == 0 {
        // First AC scans: most of a progressive file's data.
        SCAN_AC_FIRST
    } else {
        SCAN_AC_REFINE
    }
}

/// A block of a DC scan (first or refinement) or of an AC refinement scan.
/// First AC scans take [`decode_ac_first_block`]: they have one component
/// (the header check), so [`read_component_rows`] reads them.
fn decode_progressive_block<S: ByteSource>(
    input: &mut Input<S>,
    state: &mut ScanState,
    scan: &Scan,
    dc: &HuffmanTable,
    ac: &HuffmanTable,
    slot: usize,
    target: &mut Target<'_>,
) -> Quick<()> {
    let (ss, se, al) = (usize::from(scan.spectral_start), usize::from(scan.spectral_end), u32::from(scan.approx_low));
    debug_assert!(ss == 0 || scan.approx_high > 0, "a first AC scan goes to decode_ac_first_block");
    if ss == 0 {
        return dc_block(input, state, slot, scan.approx_high, al, dc, target);
    }
    let ScanState { entropy, end_of_band_run } = state;
    let bits = &mut entropy.bits;
    // AC refinement (T.81 G.1.2.3).
    let plus = 1i32 << al;
    let mut k = ss;
    if *end_of_band_run == 0 {
        while k <= se {
            let rs = bits.symbol(input, ac)?;
            let (mut run, s) = (u32::from(rs >> 4), u32::from(rs & 15));
            let mut value = 0;
            if s == 0 {
                if run < 15 {
                    *end_of_band_run = (1 << run) + bits.raw(input, run)?;
                    break;
                }
            } else {
                if s != 1 {
                    return Err(Fault::RefinementSize);
                }
                value = if bits.bit(input)? { plus } else { -plus };
            }
            while k <= se {
                if target.is_nonzero(k) {
                    if bits.bit(input)? {
                        target.refine(k, plus);
                    }
                } else {
                    if run == 0 {
                        if value != 0 {
                            target.set(k, value);
                        }
                        k += 1;
                        break;
                    }
                    run -= 1;
                }
                k += 1;
            }
        }
    }
    if *end_of_band_run > 0 {
        while k <= se {
            if target.is_nonzero(k) && bits.bit(input)? {
                target.refine(k, plus);
            }
            k += 1;
        }
        *end_of_band_run -= 1;
    }
    Ok(())
}

/// Scans whose end is remembered (libjpeg writes 10 for a colour picture).
const SCAN_ENDS: usize = 32;

/// The end of each scan read so far: the file offset where its data starts,
/// the offset just past the marker that ends it, and that marker.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ScanEnds {
    entries: [(u64, u64, u8); SCAN_ENDS],
    count: usize,
}

impl ScanEnds {
    fn find(&self, start: u64) -> Option<(u64, u8)> {
        self.entries[..self.count.min(SCAN_ENDS)].iter().find(|e| e.0 == start).map(|e| (e.1, e.2))
    }

    fn record(&mut self, start: u64, end: u64, marker: u8) {
        if self.count < SCAN_ENDS && self.find(start).is_none() {
            self.entries[self.count] = (start, end, marker);
            self.count += 1;
        }
    }
}

/// Checkpoint rows a scan keeps at most: taller pictures keep every 2nd,
/// 4th… MCU row.
const SCAN_ROW_SLOTS: u32 = 128;
/// Words of one checkpoint: an [`index`] state and the end-of-band run.
const SCAN_ROW_WORDS: usize = index::WORDS + 1;

/// A scan's checkpoints: the file offset where its data starts, and
/// [`SCAN_ROW_WORDS`] words a recorded row (offset 0: not recorded).
#[derive(Clone, Debug)]
struct ScanRowTable {
    start: u64,
    words: Vec<u32>,
}

/// Block rows whose column checkpoints a scan keeps: the rows last read
/// whole, each in slot `row % COLUMN_ROWS`. A screenful at 1/1 with its
/// margins is about 31 block rows; the viewer also reads a quarter screen
/// above and below it ahead of the pans there (8 rows each, and up to 4
/// more from the row checkpoint above): 64 hold them all.
const COLUMN_ROWS: u32 = 64;

/// `row % COLUMN_ROWS`: a mask ([`COLUMN_ROWS`] is a power of two; the SH-4
/// divides in a library call, twice a row of a pan).
fn column_row_slot(row: u32) -> u32 {
    row & (COLUMN_ROWS - 1)
}
/// Most column checkpoints along a block row.
const COLUMNS_PER_ROW: u32 = 4;
/// Words of a column checkpoint: offset, bit buffer, bit count with the
/// restart count, end-of-band run with the DC predictor (one component).
const COLUMN_WORDS: usize = 4;
/// Checkpoints a row keeps off the grid, at the edges of the regions read
/// (where the next pan sideways, or down onto rows read ahead, starts):
/// the last ones recorded.
const EDGES_PER_ROW: usize = 4;
/// Words of an edge checkpoint: its column plus one (0: none), then a
/// column checkpoint's.
const EDGE_WORDS: usize = 1 + COLUMN_WORDS;

/// Blocks between column checkpoints in a row `blocks_w` blocks wide: a
/// power of two, at least 16, with at most [`COLUMNS_PER_ROW`] a row
/// (a 4000-pixel-wide picture: every 128 blocks, 1024 pixels).
pub(crate) fn column_step(blocks_w: u32) -> u32 {
    let mut step = 16;
    while blocks_w.div_ceil(step) > COLUMNS_PER_ROW {
        step *= 2;
    }
    step
}

/// Bytes a column table takes for a row of `per_row` grid checkpoints.
fn column_table_bytes(per_row: u32) -> u64 {
    let rows = u64::from(COLUMN_ROWS);
    let words = rows * u64::from(per_row) * COLUMN_WORDS as u64 + rows + rows * (EDGES_PER_ROW * EDGE_WORDS) as u64;
    words * 4 + rows
}

/// A single-component scan's column checkpoints for the block rows last
/// read whole: every [`column_step`] blocks, the state there
/// ([`COLUMN_WORDS`] words, offset 0: not recorded).
#[derive(Clone, Debug)]
struct ColumnTable {
    start: u64,
    component: usize,
    step: u32,
    /// log2 of `step` (a power of two): the SH-4 divides in a library call.
    step_shift: u32,
    per_row: u32,
    /// Per slot: the block row it holds, plus one (0: none).
    rows: Vec<u32>,
    words: Vec<u32>,
    /// Per slot: [`EDGES_PER_ROW`] edge checkpoints ([`EDGE_WORDS`] each)…
    edges: Vec<u32>,
    /// …and which of them the next one replaces.
    next_edge: Vec<u8>,
}

/// A checkpoint's words (see [`COLUMN_WORDS`]), if its state can be kept
/// (clean, and its counts within their fields).
fn checkpoint_words(offset: u64, state: &ScanState) -> Option<[u32; COLUMN_WORDS]> {
    let entropy = &state.entropy;
    let (Ok(offset), Ok(restart_left), Ok(run), true) = (
        u32::try_from(offset),
        u16::try_from(entropy.restart_left),
        u16::try_from(state.end_of_band_run),
        entropy.bits.is_clean(),
    ) else {
        return None;
    };
    // The predictor is clamped to 16 bits by the decoder.
    let predictor = entropy.predictors[0].clamp(-32768, 32767) as i16 as u16;
    Some([
        offset,
        entropy.bits.buffer,
        u32::from(restart_left) << 8 | (entropy.bits.count & 0xFF),
        u32::from(run) << 16 | u32::from(predictor),
    ])
}

/// The offset and state [`checkpoint_words`] kept (offset 0: none).
fn checkpoint_state(words: &[u32]) -> Option<(u64, ScanState)> {
    let &[offset, buffer, counts, run] = words else { return None };
    if offset == 0 {
        return None;
    }
    let entropy = EntropyState {
        bits: Bits::resumed(buffer, counts & 0xFF),
        predictors: [i32::from(run as u16 as i16), 0, 0, 0],
        restart_left: counts >> 8,
    };
    Some((u64::from(offset), ScanState { entropy, end_of_band_run: run >> 16 }))
}

impl ColumnTable {
    /// Where the checkpoint before block `col` of block row `row` lies in
    /// `words`, if the row's slot holds that row and `col` is on the grid.
    fn place(&self, row: u32, col: u32) -> Option<usize> {
        let slot = column_row_slot(row);
        let index = col >> self.step_shift;
        if self.rows.get(slot as usize) != Some(&(row + 1)) || col & (self.step - 1) != 0 || index >= self.per_row {
            return None;
        }
        Some(((slot * self.per_row + index) as usize) * COLUMN_WORDS)
    }

    /// The checkpoint before block `col` of block row `row`: its offset and
    /// state, from the grid or the row's edges.
    fn entry(&self, row: u32, col: u32) -> Option<(u64, ScanState)> {
        if let Some(at) = self.place(row, col) {
            return checkpoint_state(self.words.get(at..at + COLUMN_WORDS)?);
        }
        let at = self.edge_place(row, col)?;
        checkpoint_state(self.edges.get(at + 1..at + EDGE_WORDS)?)
    }

    /// Whether block row `row` has a checkpoint before block `col` (as
    /// [`Self::entry`] finds it, without decoding it).
    fn has(&self, row: u32, col: u32) -> bool {
        match self.place(row, col) {
            Some(at) => self.words.get(at).is_some_and(|&offset| offset != 0),
            None => self.edge_place(row, col).is_some(),
        }
    }

    /// The edges of block row `row`'s slot in `edges`, if it holds that row.
    fn edge_slots(&self, row: u32) -> Option<core::ops::Range<usize>> {
        let slot = column_row_slot(row) as usize;
        if self.rows.get(slot) != Some(&(row + 1)) {
            return None;
        }
        let at = slot * EDGES_PER_ROW * EDGE_WORDS;
        (at + EDGES_PER_ROW * EDGE_WORDS <= self.edges.len()).then_some(at..at + EDGES_PER_ROW * EDGE_WORDS)
    }

    /// Where block row `row`'s edge checkpoint at `col` lies in `edges`.
    fn edge_place(&self, row: u32, col: u32) -> Option<usize> {
        let slots = self.edge_slots(row)?;
        slots.step_by(EDGE_WORDS).find(|&at| self.edges[at] == col + 1)
    }

    /// The columns of block row `row`'s edge checkpoints.
    fn edge_columns(&self, row: u32) -> impl Iterator<Item = u32> + '_ {
        let slots = self.edge_slots(row).unwrap_or(0..0);
        self.edges[slots].chunks_exact(EDGE_WORDS).filter(|e| e[0] != 0).map(|e| e[0] - 1)
    }

    /// Records the state before block `col` of block row `row` as an edge
    /// checkpoint (a claimed row, off the grid, a clean state), in place
    /// of the oldest.
    fn record_edge(&mut self, row: u32, col: u32, offset: u64, state: &ScanState) {
        if col & (self.step - 1) == 0 {
            return;
        }
        let (Some(words), Some(slots)) = (checkpoint_words(offset, state), self.edge_slots(row)) else { return };
        let slot = column_row_slot(row) as usize;
        let at = match self.edge_place(row, col) {
            Some(at) => at,
            None => {
                let Some(next) = self.next_edge.get_mut(slot) else { return };
                let at = slots.start + usize::from(*next) * EDGE_WORDS;
                *next = ((usize::from(*next) + 1) % EDGES_PER_ROW) as u8;
                at
            }
        };
        if let Some(entry) = self.edges.get_mut(at..at + EDGE_WORDS) {
            entry[0] = col + 1;
            entry[1..].copy_from_slice(&words);
        }
    }

    /// Makes block row `row`'s slot hold that row, with no checkpoint
    /// recorded yet (a whole-row read then records them).
    fn claim(&mut self, row: u32) {
        let slot = column_row_slot(row);
        let Some(tag) = self.rows.get_mut(slot as usize) else { return };
        *tag = row + 1;
        let at = (slot * self.per_row) as usize * COLUMN_WORDS;
        if let Some(words) = self.words.get_mut(at..at + self.per_row as usize * COLUMN_WORDS) {
            words.fill(0);
        }
        let at = slot as usize * EDGES_PER_ROW * EDGE_WORDS;
        if let Some(edges) = self.edges.get_mut(at..at + EDGES_PER_ROW * EDGE_WORDS) {
            edges.fill(0);
        }
    }

    /// Records the state before block `col` of block row `row` (only on
    /// the grid of a claimed row, and only clean states).
    fn record(&mut self, row: u32, col: u32, offset: u64, state: &ScanState) {
        let (Some(at), Some(words)) = (self.place(row, col), checkpoint_words(offset, state)) else { return };
        if let Some(entry) = self.words.get_mut(at..at + COLUMN_WORDS) {
            entry.copy_from_slice(&words);
        }
    }
}

/// Where MCU rows start inside each scan of a multi-scan picture (offset,
/// bit buffer, DC predictors, restart count, end-of-band run), learnt by
/// the passes that read them. A later pass over other rows (a pan, the
/// next band) starts each scan at the row it needs instead of its top, so
/// it reads less and needs the refinement history of fewer blocks.
#[derive(Clone, Debug, Default)]
pub(crate) struct ScanRows {
    tables: Vec<ScanRowTable>,
    /// log2 of the MCU rows between checkpoints.
    shift: u32,
    slots: u32,
    /// A pass read every scan to the end of the picture.
    seen_end: bool,
    /// An AC refinement scan of each component was met: only those read
    /// the non-zero history the earlier scans keep.
    ac_refined: [bool; 4],
    /// Where the data of every scan met starts (row starts are usable only
    /// when each of them has a table).
    scans: [u64; SCAN_ENDS],
    /// Per scan of `scans`: it holds AC coefficients (its rows must start
    /// where the other AC scans' do, see [`Self::common_start`]).
    ac_scans: [bool; SCAN_ENDS],
    scan_count: usize,
    /// More scans than `scans` holds were met.
    too_many_scans: bool,
    /// Column checkpoints of every single-component progressive scan met.
    columns: Vec<ColumnTable>,
    /// A single-component scan got no column table (no memory).
    columns_missing: bool,
    /// Bytes the current pass may still give new tables (what its plan
    /// leaves of the memory limit).
    budget: usize,
    /// The current pass records column checkpoints (it outputs a region:
    /// the rows a pan along them reads again).
    record_columns: bool,
}

impl ScanRows {
    /// Lays out the tables for a picture `mcus_y` MCU rows tall.
    fn bind(&mut self, mcus_y: u32) {
        // Room for every scan's tables at once: later passes then allocate
        // only their words, which their plans budget.
        if self.tables.capacity() == 0 {
            let _ = self.tables.try_reserve_exact(SCAN_ENDS);
            let _ = self.columns.try_reserve_exact(SCAN_ENDS);
        }
        if self.slots == 0 {
            while mcus_y.div_ceil(1 << self.shift) > SCAN_ROW_SLOTS {
                self.shift += 1;
            }
            self.slots = mcus_y.div_ceil(1 << self.shift).max(1);
        }
    }

    /// Bytes the checkpoints take.
    pub(crate) fn memory(&self) -> usize {
        self.tables.iter().map(|t| t.words.capacity() * 4).sum::<usize>()
            + self.tables.capacity() * core::mem::size_of::<ScanRowTable>()
            + self.columns.iter().map(|t| (t.words.capacity() + t.rows.capacity() + t.edges.capacity()) * 4 + t.next_edge.capacity()).sum::<usize>()
            + self.columns.capacity() * core::mem::size_of::<ColumnTable>()
    }

    /// Registers the single-component scan at `start` (of `component`,
    /// `blocks_w` blocks across) for column checkpoints; the table's
    /// storage comes with the first whole-row read ([`Self::column_storage`]).
    fn register_column_scan(&mut self, start: u64, component: usize, blocks_w: u32) {
        if self.columns.iter().any(|t| t.start == start) {
            return;
        }
        let step = column_step(blocks_w);
        let per_row = blocks_w.div_ceil(step).max(1);
        if self.columns.len() >= SCAN_ENDS || self.columns.try_reserve(1).is_err() {
            self.columns_missing = true;
            return;
        }
        let step_shift = step.trailing_zeros();
        self.columns.push(ColumnTable { start, component, step, step_shift, per_row, rows: Vec::new(), words: Vec::new(), edges: Vec::new(), next_edge: Vec::new() });
    }

    /// The column table of the scan at `start`, if it is registered.
    fn column_table(&self, start: u64) -> Option<usize> {
        self.columns.iter().position(|t| t.start == start)
    }

    /// The column step of column table `at`, the table given storage if it
    /// had none; `None` if this pass records none or memory ran out.
    fn column_storage(&mut self, at: usize) -> Option<u32> {
        if !self.record_columns {
            return None;
        }
        let table = self.columns.get_mut(at)?;
        if table.words.is_empty() {
            let words = (COLUMN_ROWS * table.per_row) as usize * COLUMN_WORDS;
            let (rows, edges) = (COLUMN_ROWS as usize, COLUMN_ROWS as usize * EDGES_PER_ROW * EDGE_WORDS);
            let bytes = column_table_bytes(table.per_row) as usize;
            if bytes > self.budget
                || table.words.try_reserve_exact(words).is_err()
                || table.rows.try_reserve_exact(rows).is_err()
                || table.edges.try_reserve_exact(edges).is_err()
                || table.next_edge.try_reserve_exact(rows).is_err()
            {
                table.words = Vec::new();
                table.rows = Vec::new();
                table.edges = Vec::new();
                table.next_edge = Vec::new();
                return None;
            }
            self.budget -= bytes;
            table.words.resize(words, 0);
            table.rows.resize(rows, 0);
            table.edges.resize(edges, 0);
            table.next_edge.resize(rows, 0);
        }
        Some(table.step)
    }

    /// Bytes the column tables of the components flagged in `wanted` would
    /// take that have no storage yet.
    fn column_memory_wanted(&self, wanted: [bool; 4]) -> u64 {
        self.columns
            .iter()
            .filter(|t| t.words.is_empty() && wanted[t.component & 3])
            .map(|t| column_table_bytes(t.per_row))
            .sum()
    }

    /// Some column table holds checkpoints.
    fn has_columns(&self) -> bool {
        self.columns.iter().any(|t| !t.words.is_empty())
    }

    /// Frees the column checkpoints (when a decode needs their memory).
    fn drop_columns(&mut self) {
        for table in &mut self.columns {
            table.words = Vec::new();
            table.rows = Vec::new();
            table.edges = Vec::new();
            table.next_edge = Vec::new();
        }
    }

    /// The column where every scan of `component` can start each of block
    /// rows `rows` for a region whose first block column is `col`: the
    /// column checkpoint at or left of it, if every such scan recorded it
    /// for each of those rows (a pass has read every scan, so all of them
    /// have tables). The scans must all start there: refinement scans need
    /// the history of the blocks they pass, which the earlier scans build.
    fn column_start(&self, component: usize, rows: core::ops::Range<u32>, col: u32) -> Option<u32> {
        if !self.seen_end || self.columns_missing || rows.is_empty() || rows.len() > COLUMN_ROWS as usize {
            return None;
        }
        let first = self.columns.iter().find(|t| t.component == component)?;
        let grid = col / first.step * first.step;
        let everywhere = |c: u32| self.columns.iter().filter(|t| t.component == component).all(|t| rows.clone().all(|row| t.has(row, c)));
        // The nearest edge checkpoint past the grid's, if every row of
        // every scan has it; else the grid's.
        let mut best = None;
        for c in first.edge_columns(rows.start) {
            if c > grid && c <= col && best.is_none_or(|b| c > b) && everywhere(c) {
                best = Some(c);
            }
        }
        best.or_else(|| everywhere(grid).then_some(grid))
    }

    fn table(&self, start: u64) -> Option<&ScanRowTable> {
        self.tables.iter().find(|t| t.start == start)
    }

    /// Notes that the scan at `start` exists (`ac`: it holds AC coefficients).
    fn register_scan(&mut self, start: u64, ac: bool) {
        if self.scans[..self.scan_count].contains(&start) {
            return;
        }
        match (self.scans.get_mut(self.scan_count), self.ac_scans.get_mut(self.scan_count)) {
            (Some(slot), Some(flag)) => {
                *slot = start;
                *flag = ac;
                self.scan_count += 1;
            }
            _ => self.too_many_scans = true,
        }
    }

    /// The table of the scan starting at `start`, made if the pass's memory
    /// allows (none otherwise: that scan is then read from its top, and
    /// the scans cannot start at a common row until a pass makes it).
    fn table_mut(&mut self, start: u64) -> Option<&mut ScanRowTable> {
        if let Some(at) = self.tables.iter().position(|t| t.start == start) {
            return self.tables.get_mut(at);
        }
        let words = self.slots as usize * SCAN_ROW_WORDS;
        let bytes = words * 4;
        let mut table = ScanRowTable { start, words: Vec::new() };
        if bytes > self.budget || self.tables.len() >= SCAN_ENDS || self.tables.try_reserve(1).is_err() || table.words.try_reserve_exact(words).is_err() {
            return None;
        }
        self.budget -= bytes;
        table.words.resize(words, 0);
        self.tables.push(table);
        self.tables.last_mut()
    }

    /// Records the state at the start of MCU row `row` of the scan at
    /// `start` (only on the grid, and only clean states).
    fn record(&mut self, start: u64, row: u32, offset: u64, state: &ScanState) {
        let shift = self.shift;
        let (Ok(offset), Ok(restart_left), true, true) = (
            u32::try_from(offset),
            u16::try_from(state.entropy.restart_left),
            state.entropy.bits.is_clean(),
            row & ((1 << shift) - 1) == 0,
        ) else {
            return;
        };
        let Some(table) = self.table_mut(start) else { return };
        let at = (row >> shift) as usize * SCAN_ROW_WORDS;
        if let Some(slot) = table.words.get_mut(at..at + SCAN_ROW_WORDS) {
            slot[..index::WORDS].copy_from_slice(&index::pack(offset, &state.entropy, restart_left));
            slot[index::WORDS] = state.end_of_band_run;
        }
    }


    /// The MCU row from which every scan can start for a region whose
    /// first MCU row is `row`: the last at or above it where every AC scan
    /// has a checkpoint (0, the scans' starts, unless a pass has read every
    /// scan). AC scans all start there: a refinement scan reads the history
    /// the scans before it left in each row it reads. DC scans start at
    /// their own checkpoint nearest above the region ([`Self::before`]).
    fn common_start(&self, row: u32) -> u32 {
        let scans = &self.scans[..self.scan_count];
        if !self.seen_end || self.too_many_scans || scans.iter().any(|&start| self.table(start).is_none()) {
            return 0;
        }
        let ac_tables = || scans.iter().zip(&self.ac_scans).filter(|(_, &ac)| ac).filter_map(|(&start, _)| self.table(start));
        let recorded = |slot: usize| ac_tables().all(|t| t.words.get(slot * SCAN_ROW_WORDS).is_some_and(|&offset| offset != 0));
        (1..=(row >> self.shift) as usize).rev().find(|&slot| recorded(slot)).map_or(0, |slot| (slot as u32) << self.shift)
    }

    /// The last checkpoint at or before MCU row `row` of the scan at
    /// `start`: its row, offset and state.
    fn before(&self, start: u64, row: u32) -> Option<(u32, u64, ScanState)> {
        let table = self.table(start)?;
        let last = (row >> self.shift) as usize;
        table.words.chunks_exact(SCAN_ROW_WORDS).take(last + 1).enumerate().rev().find(|(_, w)| w[0] != 0).map(|(at, w)| {
            let (offset, entropy) = index::unpack(w);
            ((at as u32) << self.shift, offset, ScanState { entropy, end_of_band_run: w[index::WORDS] })
        })
    }

    /// The checkpoint of the scan at `start` at MCU row `row` exactly (none
    /// at row 0: the scan starts there).
    fn at_row(&self, start: u64, row: u32) -> Option<(u64, ScanState)> {
        if row == 0 || row & ((1 << self.shift) - 1) != 0 {
            return None;
        }
        let table = self.table(start)?;
        let at = (row >> self.shift) as usize * SCAN_ROW_WORDS;
        let words = table.words.get(at..at + SCAN_ROW_WORDS).filter(|w| w[0] != 0)?;
        let (offset, entropy) = index::unpack(words);
        Some((offset, ScanState { entropy, end_of_band_run: words[index::WORDS] }))
    }
}

/// Skips the rest of the scan whose data starts at `start`, up to the next
/// marker other than RSTn (consumed and returned). The marker that ends a
/// scan does not depend on where in the scan the skip begins, so the first
/// skip of each scan records where it ended, and later ones seek there.
fn finish_scan<S: ByteSource>(input: &mut Input<S>, ends: &mut ScanEnds, start: u64, bits: &Bits) -> Result<Option<u8>> {
    if let Some(m) = bits.marker {
        if !(0xD0..=0xD7).contains(&m) {
            return Ok(Some(m));
        }
    }
    if let Some((end, marker)) = ends.find(start) {
        if input.offset() <= end {
            input.seek(end)?;
            return Ok(Some(marker));
        }
    }
    let marker = skip_to_marker(input, bits)?;
    if let Some(m) = marker {
        ends.record(start, input.offset(), m);
    }
    Ok(marker)
}

/// Skips entropy-coded data up to the next marker other than RSTn.
fn skip_to_marker<S: ByteSource>(input: &mut Input<S>, bits: &Bits) -> Result<Option<u8>> {
    if let Some(m) = bits.marker {
        if !(0xD0..=0xD7).contains(&m) {
            return Ok(Some(m));
        }
    }
    loop {
        match header::next_marker(input)? {
            Some(0xD0..=0xD7) => continue,
            other => return Ok(other),
        }
    }
}

impl<S: ByteSource> Decoder<S> {
    /// Re-reads the headers from the top (later scans may have replaced tables).
    fn reload_headers(&mut self) -> Result<()> {
        self.input.seek(0)?;
        let _ = self.input.next_byte()?;
        let _ = self.input.next_byte()?;
        self.tables.reset();
        let mut frame = None;
        let mut extras = self.extras;
        match header::read_segments(&mut self.input, &mut self.tables, &mut frame, &mut extras, None, false)? {
            Stop::Scan(scan) => self.scan = scan,
            Stop::End => return Err(self.input.error(ErrorKind::Malformed("no scan (SOS) before the end"))),
        }
        self.tables_dirty = false;
        Ok(())
    }

    /// What decoding `layout` needs: the adjusted layout, which components
    /// keep only DC, the stores' geometry and the bytes in all.
    fn plan(&self, options: &Options, layout: &Layout) -> Plan {
        self.plan_from(options, layout, self.scan_rows.common_start(layout.row_first))
    }

    /// [`Self::plan`] for scans that start at MCU row `start_row`.
    fn plan_from(&self, options: &Options, layout: &Layout, start_row: u32) -> Plan {
        let frame = &self.frame;
        let progressive = frame.coding == Coding::Progressive;
        // (Progressive at 1/8 every block is one pixel: see `Layout::new`.)
        let layout = *layout;
        // Components whose blocks become single pixels need only their DC.
        let mut dc_only = [false; 4];
        for (i, flag) in dc_only.iter_mut().enumerate().take(frame.count) {
            *flag = layout.block_w[i] == 1 && layout.block_h[i] == 1;
        }
        let mut needed = self.fixed_memory() as u64 + Planes::bytes_needed(frame, &layout, options.format);
        let mut geometry = [Geometry::default(); 4];
        let mut columns = [None; 4];
        // Scans start at `start_row` when earlier passes left checkpoints;
        // blocks above it are not read, so they need no history. Where
        // column checkpoints cover the region's rows, a component's scans
        // read only the columns from the checkpoint to the region's end.
        for (i, c) in frame.components[..frame.count].iter().enumerate() {
            let per_block: u64 = if dc_only[i] { 1 } else { 64 };
            let col0 = layout.col_first * c.h;
            let cols = (layout.col_end - layout.col_first) * c.h;
            let row0 = layout.row_first * c.v;
            let rows = (layout.row_end - layout.row_first) * c.v;
            let rows_needed = (layout.row_end * c.v).min(c.blocks_h);
            let column_start = if progressive && !dc_only[i] && cols > 0 {
                self.scan_rows.column_start(i, row0..rows_needed, col0)
            } else {
                None
            };
            // Once every scan is known, a component no AC refinement scan
            // reads needs no history (its blocks outside the region are
            // then passed over, not noted).
            let history = progressive && !dc_only[i] && (!self.scan_rows.seen_end || self.scan_rows.ac_refined[i]);
            let (history_col0, history_cols, history_row0, history_rows) = match column_start {
                Some(start) => {
                    let end = (col0 + cols).min(c.blocks_w);
                    columns[i] = Some((start, end));
                    if history {
                        (start, end - start, row0, rows_needed.saturating_sub(row0))
                    } else {
                        (0, 0, 0, 0)
                    }
                }
                None if history => {
                    let history_row0 = start_row * c.v;
                    (0, c.blocks_w, history_row0, rows_needed.saturating_sub(history_row0))
                }
                None => (0, 0, 0, 0),
            };
            needed += u64::from(cols) * u64::from(rows) * per_block * 2;
            needed += u64::from(history_cols) * u64::from(history_rows) * 8;
            geometry[i] = Geometry { col0, row0, cols, rows, history_col0, history_cols, history_row0, history_rows };
        }
        Plan { layout, dc_only, geometry, columns, needed, start_row, output: true }
    }

    /// [`Self::plan`] for a pass over MCU rows `first..end` of `layout`'s
    /// scans that keeps nothing but the refinement history those rows need
    /// and leaves checkpoints at their rows.
    fn rows_plan(&self, options: &Options, layout: &Layout, first: u32, end: u32) -> Plan {
        let mut rows = *layout;
        rows.row_first = first;
        rows.row_end = end;
        rows.col_first = 0;
        rows.col_end = 0;
        let mut plan = self.plan(options, &rows);
        plan.needed -= Planes::bytes_needed(&self.frame, &rows, options.format);
        plan.output = false;
        plan
    }

    /// When a region far down a progressive picture would need the
    /// refinement history of every block above it, reads the scans' rows
    /// above it first, in passes that fit the memory limit and each leave
    /// checkpoints where the next starts; the region's own pass then starts
    /// every scan just above the region.
    fn read_rows_above(&mut self, options: &Options, layout: &Layout) -> Result<()> {
        let limit = u64::from(options.progressive_memory_limit);
        let step = 1u32 << self.scan_rows.shift;
        let mut start = self.scan_rows.common_start(layout.row_first);
        while start + step <= layout.row_first {
            // The most rows (whole checkpoint steps) one pass can hold.
            let mut end = layout.row_first / step * step;
            while end > start + step && self.rows_plan(options, layout, start, end).needed > limit {
                end = start + ((end - start) / step).div_ceil(2) * step;
            }
            let plan = self.rows_plan(options, layout, start, end);
            if plan.needed > limit {
                let needed = plan.needed.min(u64::from(u32::MAX)) as u32;
                return Err(Error::new(ErrorKind::TooLarge { needed, limit: options.progressive_memory_limit }, 0, None));
            }
            self.decode_plan(options, plan, &mut |_, _| {})?;
            let next = self.scan_rows.common_start(end);
            if next <= start {
                // No checkpoint was left (no memory for them, or a restart
                // marker due at every step): the region's pass reads from the top.
                break;
            }
            start = next;
        }
        Ok(())
    }

    /// Decodes `layout`'s region, in bands of MCU rows when all of it at
    /// once would exceed the memory limit (each band reads every scan again).
    pub(crate) fn decode_multi_scan<F: FnMut(u32, Pixels<'_>)>(
        &mut self,
        options: &Options,
        layout: &Layout,
        sink: &mut F,
    ) -> Result<Summary> {
        let frame = self.frame;
        let limit = u64::from(options.progressive_memory_limit);
        let region = layout.region();
        let mcu_h = layout.mcu_h;
        let first_row = region.y / mcu_h;
        let rows = (region.y + region.height).div_ceil(mcu_h) - first_row;
        // The layout of `count` MCU rows of the region from its row `start`.
        let band_layout = |start: u32, count: u32| -> Option<Layout> {
            let top = (first_row + start) * mcu_h;
            let y0 = top.max(region.y);
            let y1 = (top + count * mcu_h).min(region.y + region.height);
            let r = crate::decoder::Region { x: region.x, y: y0, width: region.width, height: y1.checked_sub(y0)? };
            Layout::new(&frame, options.scale, Some(r), options.upsampling).ok()
        };
        let progressive = frame.coding == Coding::Progressive;
        self.scan_rows.bind(frame.mcus_y);
        if progressive && self.plan(options, layout).needed > limit {
            // Column checkpoints are only for speed: their memory goes first.
            self.scan_rows.drop_columns();
        }
        if progressive && self.plan(options, layout).needed > limit {
            self.read_rows_above(options, layout)?;
        }
        // The most memory a band of `rows_per_band` MCU rows needs (each
        // band leaves checkpoints where the next one starts).
        let worst_for = |this: &Self, rows_per_band: u32| -> u64 {
            let bands = rows.div_ceil(rows_per_band);
            (0..bands)
                .filter_map(|b| band_layout(b * rows_per_band, rows_per_band))
                .map(|l| {
                    let own_start = if progressive { l.row_first >> this.scan_rows.shift << this.scan_rows.shift } else { 0 };
                    this.plan_from(options, &l, this.scan_rows.common_start(l.row_first).max(own_start)).needed
                })
                .max()
                .unwrap_or(0)
        };
        // What the column checkpoints of this output's scans still need:
        // sideways pans along these rows read from them.
        let reserve = if progressive {
            let mut wanted = [false; 4];
            for (i, flag) in wanted.iter_mut().enumerate().take(frame.count) {
                *flag = !(layout.block_w[i] == 1 && layout.block_h[i] == 1);
            }
            self.scan_rows.column_memory_wanted(wanted)
        } else {
            0
        };
        let mut rows_per_band = rows;
        let mut worst;
        loop {
            worst = worst_for(self, rows_per_band);
            // Each band reads the whole file again: at most MAX_BANDS of them.
            let can_halve = rows_per_band > 1 && rows.div_ceil(rows_per_band.div_ceil(2)) <= MAX_BANDS;
            if worst <= limit {
                // Smaller bands where they leave the column checkpoints room
                // that these would not (and need less).
                if worst + reserve > limit && can_halve && worst_for(self, rows_per_band.div_ceil(2)) < worst {
                    rows_per_band = rows_per_band.div_ceil(2);
                    continue;
                }
                break;
            }
            if self.scan_rows.has_columns() {
                // Column checkpoints are only for speed: their memory goes first.
                self.scan_rows.drop_columns();
                continue;
            }
            if !can_halve {
                let needed = worst.min(u64::from(u32::MAX)) as u32;
                return Err(Error::new(ErrorKind::TooLarge { needed, limit: options.progressive_memory_limit }, 0, None));
            }
            rows_per_band = rows_per_band.div_ceil(2);
        }
        // Bands in order. When the allocator cannot give a band's buffers
        // (the limit is what the decoder may use, not what the machine has
        // free), the rest of the region goes in bands half as tall, down to
        // MAX_BANDS bands in all.
        let mut total_rows = 0;
        let mut start = 0;
        let mut bands_read = 0;
        // Where the first band's scans started: MCU row, and the MCU column
        // of the first component's column checkpoint (0: whole rows).
        let mut started = None;
        worst = 0;
        while start < rows {
            let count = rows_per_band.min(rows - start);
            let Some(layout) = band_layout(start, count) else { break };
            let mut plan = self.plan(options, &layout);
            if progressive && plan.needed > limit {
                // Column checkpoints (speed only) left by the band above.
                self.scan_rows.drop_columns();
                plan = self.plan(options, &layout);
            }
            if progressive && plan.needed > limit {
                // The band above left no checkpoint at this band's top.
                self.read_rows_above(options, &layout)?;
                plan = self.plan(options, &layout);
            }
            let needed = plan.needed;
            let c = &frame.components[0];
            started = started.or(Some((
                self.scan_rows.common_start(plan.layout.row_first),
                plan.columns[0].map_or(0, |(col, _)| col / c.h.max(1)),
            )));
            let checkpoints = self.scan_rows.memory();
            match self.decode_plan(options, plan, sink) {
                Ok(rows) => {
                    total_rows += rows;
                    start += count;
                    bands_read += 1;
                    // The plan, and the checkpoints the pass added to it.
                    let added = self.scan_rows.memory().saturating_sub(checkpoints);
                    worst = worst.max(needed + added as u64);
                }
                Err(e)
                    if matches!(e.kind, ErrorKind::OutOfMemory { .. })
                        && e.rows_output == 0
                        && rows_per_band > 1
                        && bands_read + (rows - start).div_ceil(rows_per_band.div_ceil(2)) <= MAX_BANDS =>
                {
                    rows_per_band = rows_per_band.div_ceil(2);
                }
                Err(mut e) => {
                    e.rows_output += total_rows;
                    return Err(e);
                }
            }
        }
        // Every scan passes over every MCU; counted once.
        let mcus_decoded = self.frame.mcus_x.saturating_mul(self.frame.mcus_y);
        let working_memory = worst.min(u64::from(u32::MAX)) as u32;
        let checkpoint_memory = self.scan_rows.memory() as u32;
        let (start_row, start_column) = started.unwrap_or((0, 0));
        Ok(Summary { region, rows: total_rows, working_memory, start_row, start_column, mcus_decoded, checkpoint_memory })
    }

    /// Reads every scan into stores for `plan`'s region and outputs it; returns the rows handed over.
    fn decode_plan<F: FnMut(u32, Pixels<'_>)>(&mut self, options: &Options, plan: Plan, sink: &mut F) -> Result<u32> {
        if self.tables_dirty {
            self.reload_headers()?;
        }
        let frame = self.frame;
        let Plan { layout, dc_only, geometry, columns, needed, start_row, output } = plan;
        let out_of_memory = || {
            let needed = needed.min(u64::from(u32::MAX)) as u32;
            Error::new(ErrorKind::OutOfMemory { needed }, 0, None)
        };
        let layout = &layout;
        let mut stores: Vec<Store> = Vec::new();
        stores.try_reserve_exact(frame.count).map_err(|_| out_of_memory())?;
        for (&Geometry { col0, row0, cols, rows, history_col0, history_cols, history_row0, history_rows }, dc_only) in geometry[..frame.count].iter().zip(dc_only) {
            let per_block = if dc_only { 1 } else { 64 };
            stores.push(Store {
                col0,
                row0,
                cols,
                rows,
                per_block,
                coefficients: zeroed(cols as usize * rows as usize * per_block).ok_or_else(out_of_memory)?,
                history: zeroed(history_cols as usize * history_rows as usize * 2).ok_or_else(out_of_memory)?,
                history_col0,
                history_cols,
                history_row0,
                history_rows,
            });
        }

        // Read every scan; an error stops the reading but not the output.
        self.input.seek(self.scan_data)?;
        self.scan_rows.bind(frame.mcus_y);
        self.scan_rows.record_columns = output;
        self.scan_rows.budget = u64::from(options.progressive_memory_limit).saturating_sub(needed).min(usize::MAX as u64) as usize;
        let mut scan = self.scan;
        let mut failure = None;
        let mut scans_read = 0u32;
        loop {
            self.tables_dirty = true;
            if scan.spectral_start > 0 && scan.approx_high > 0 {
                for &c in scan.component.iter().take(scan.count) {
                    if let Some(flag) = self.scan_rows.ac_refined.get_mut(c) {
                        *flag = true;
                    }
                }
            }
            let pending = match self.read_scan(&frame, &scan, layout, dc_only, (start_row, columns), &mut stores) {
                Ok((pending, truncated)) => {
                    // Like libjpeg, a scan cut short leaves its remaining blocks
                    // as they were and the following scans still count.
                    failure = failure.or(truncated);
                    pending
                }
                Err(e) => {
                    failure = failure.or(Some(e));
                    break;
                }
            };
            scans_read += 1;
            if scans_read > 1000 {
                failure = Some(self.input.error(ErrorKind::Malformed("more than 1000 scans")));
                break;
            }
            let mut no_frame = Some(frame);
            let mut extras = self.extras;
            match header::read_segments(&mut self.input, &mut self.tables, &mut no_frame, &mut extras, pending, false) {
                Ok(Stop::Scan(next)) => scan = next,
                Ok(Stop::End) => {
                    self.scan_rows.seen_end |= failure.is_none();
                    break;
                }
                Err(e) => {
                    failure = failure.or(Some(e));
                    break;
                }
            }
        }

        if !output {
            return match failure {
                Some(e) => Err(e),
                None => Ok(0),
            };
        }
        // Output.
        let color = self.color_model();
        let mut planes = Planes::new(&frame, layout, options.format).ok_or_else(out_of_memory)?;
        let mut block = [0i32; 64];
        let mut rows_output = 0;
        for mcu_row in layout.row_first..layout.row_end {
            if let Err(mut e) = self.input.proceed() {
                e.rows_output = rows_output;
                return Err(e);
            }
            if mcu_row > layout.row_first {
                planes.save_context(&frame, layout, mcu_row - 1);
            }
            for (ci, c) in frame.components[..frame.count].iter().enumerate() {
                let store = &stores[ci];
                let quant = &self.tables.quant[c.quant];
                let stride = planes.stride[ci];
                let per_block = store.per_block;
                let (bw, bh) = (layout.block_w[ci] as usize, layout.block_h[ci] as usize);
                for by in 0..c.v {
                    // A block row of a component at full vertical resolution
                    // whose lines all lie above or below the region is not
                    // shown (the region's top or bottom MCU row, partly).
                    let line = mcu_row * layout.mcu_h + by * bh as u32;
                    if layout.ratio_y[ci] == 1 && (line + bh as u32 <= layout.y0 || line >= layout.y1) {
                        continue;
                    }
                    let row = mcu_row * c.v + by - store.row0;
                    if (bw, bh) == (1, 1) {
                        // A pixel a block (1/8; such stores keep only DC):
                        // straight from the stored DC, as
                        // `dc_pixel(dequantise(…))` gives it.
                        let first = (row * store.cols) as usize;
                        let line = by as usize * stride;
                        let (Some(dcs), Some(out)) = (
                            store.coefficients.get(first..first + store.cols as usize),
                            planes.samples[ci].get_mut(line..line + store.cols as usize),
                        ) else {
                            continue;
                        };
                        let q0 = i32::from(quant[0]);
                        for (o, &dc) in out.iter_mut().zip(dcs) {
                            *o = dc_sample(i32::from(dc), q0);
                        }
                        continue;
                    }
                    for col in 0..store.cols {
                        let i = (row * store.cols + col) as usize * per_block;
                        let Some(coefficients) = store.coefficients.get(i..i + per_block) else { continue };
                        let mut only_dc = true;
                        let mut shape = 0u32;
                        // Four at a time: most stored coefficients are zero.
                        let (quads, rest) = coefficients.as_chunks::<4>();
                        for (group, quad) in quads.iter().enumerate() {
                            if quad[0] | quad[1] | quad[2] | quad[3] == 0 {
                                continue;
                            }
                            for (j, &q) in quad.iter().enumerate() {
                                let k = group * 4 + j;
                                if q != 0 {
                                    let natural = usize::from(ZIGZAG[k & 63]) & 63;
                                    if (natural & 7) < bw && (natural >> 3) < bh {
                                        block[natural] = idct::dequantise(i32::from(q), quant[k & 63], natural);
                                        only_dc &= k == 0;
                                        if k > 0 {
                                            shape |= u32::from(SHAPE_BITS[natural]);
                                        }
                                    }
                                }
                            }
                        }
                        // A DC-only store keeps one coefficient a block.
                        if let [q] = rest {
                            block[0] = idct::dequantise(i32::from(*q), quant[0], 0);
                        }
                        let at = by as usize * bh * stride + col as usize * bw;
                        // The same transforms as the sequential path (identical
                        // pixels); each leaves `block` all zero again.
                        let out = planes.samples[ci].get_mut(at..).unwrap_or(&mut []);
                        match (bw, bh) {
                            (8, 8) => idct::inverse_dct_8x8(&mut block, shape >> 8, shape & 0xFF, out, stride),
                            (4, 4) => idct::inverse_dct_4x4(&mut block, out, stride),
                            (2, 2) => idct::inverse_dct_2x2(&mut block, out, stride),
                            _ => {
                                idct::inverse_dct(&mut block, bw, bh, only_dc, out, stride);
                                block = [0; 64];
                            }
                        }
                    }
                }
            }
            if mcu_row > layout.row_first {
                rows_output += emit_deferred_line(&frame, color, layout, options, &mut planes, mcu_row, sink);
            }
            rows_output += emit_rows(&frame, color, layout, options, &mut planes, mcu_row, sink);
        }
        match failure {
            Some(mut e) => {
                e.rows_output = rows_output;
                Err(e)
            }
            None => Ok(rows_output),
        }
    }

    /// Reads one scan's entropy-coded data into the stores; returns the
    /// marker that ended it (already consumed), if any, and the error if the
    /// data ended before the scan's last block.
    fn read_scan(
        &mut self,
        frame: &Frame,
        scan: &Scan,
        layout: &Layout,
        dc_only: [bool; 4],
        (start_row, columns): (u32, [Option<(u32, u32)>; 4]),
        stores: &mut [Store],
    ) -> Result<(Option<u8>, Option<Error>)> {
        self.input.context = Some(0xDA);
        let start = self.input.offset();
        let interval = self.tables.restart_interval;
        let mut state = ScanState { entropy: EntropyState { restart_left: interval, ..EntropyState::default() }, end_of_band_run: 0 };
        let progressive = frame.coding == Coding::Progressive;
        self.scan_rows.register_scan(start, scan.spectral_start > 0);
        // Every single-component progressive scan gets a column table, read
        // or not: column starts need all of a component's scans recorded.
        if progressive && scan.count == 1 {
            let ci = scan.component[0] & 3;
            self.scan_rows.register_column_scan(start, ci, frame.components[ci].blocks_w);
        }
        // An AC scan of a component that needs only DC is skipped unread.
        if progressive && scan.spectral_start > 0 && dc_only[scan.component[0]] {
            let _ = self.scan_rows.table_mut(start);
            return Ok((finish_scan(&mut self.input, &mut self.scan_ends, start, &state.entropy.bits)?, None));
        }
        let tables = &*self.tables;
        let one = scan.count == 1;
        // MCUs across and down, and how many MCU rows matter to the region.
        let (mcus_x, mcus_y, rows_needed) = if one {
            let c = &frame.components[scan.component[0]];
            (c.blocks_w, c.blocks_h, (layout.row_end * c.v).min(c.blocks_h))
        } else {
            (frame.mcus_x, frame.mcus_y, layout.row_end)
        };
        // Block rows of this scan per MCU row.
        let unit = if one { frame.components[scan.component[0]].v } else { 1 };
        // AC scans start at the pass's start row, where each has a
        // checkpoint: the planned history starts there, and a refinement
        // scan needs what the scans before it read of each row it reads.
        // DC scans start at their nearest checkpoint above the region.
        let mut first_row = 0;
        if scan.spectral_start == 0 {
            if let Some((row, offset, resumed)) = self.scan_rows.before(start, layout.row_first) {
                self.input.seek(offset)?;
                state = resumed;
                first_row = row * unit;
            }
        } else if start_row > 0 {
            let Some((offset, resumed)) = self.scan_rows.at_row(start, start_row) else {
                return Err(self.input.error(ErrorKind::Malformed("row checkpoint missing")));
            };
            self.input.seek(offset)?;
            state = resumed;
            first_row = start_row * unit;
        }
        if !(progressive && one && columns[scan.component[0] & 3].is_some()) {
            // Whole rows from here on.
            self.input.read_on();
        }
        if progressive && one {
            let ci = scan.component[0] & 3;
            let codes = (&tables.dc[scan.dc_table[0] & 3], &tables.ac[scan.ac_table[0] & 3], &tables.ac_fast[scan.ac_table[0] & 3]);
            let Some(store) = stores.get_mut(ci) else { return Err(self.input.error(ErrorKind::Malformed("scan component"))) };
            let place = (start, unit, interval);
            // From a column checkpoint in each of the region's rows, or whole rows.
            let rows = match columns[ci] {
                Some(_) => layout.row_first * unit..rows_needed,
                None => first_row..rows_needed,
            };
            let read = match scan_kind(scan) {
                SCAN_DC => read_component_rows::<S, SCAN_DC>,
                SCAN_AC_FIRST => read_component_rows::<S, SCAN_AC_FIRST>,
                _ => read_component_rows::<S, SCAN_AC_REFINE>,
            };
            match read(&mut self.input, &mut self.scan_rows, &mut state, scan, codes, store, place, mcus_x, rows, columns[ci])? {
                RowsEnd::Done => {}
                RowsEnd::Overrun => {
                    let error = self.input.error(ErrorKind::ScanTruncated);
                    return Ok((finish_scan(&mut self.input, &mut self.scan_ends, start, &state.entropy.bits)?, Some(error)));
                }
            }
        } else {
            // Interleaved scans (a progressive picture's DC), and the scans of
            // non-progressive multi-scan pictures.
            for mcu_row in first_row..rows_needed {
                for mcu_col in 0..mcus_x {
                    if interval > 0 && state.entropy.restart_left == 0 {
                        restart(&mut self.input, &mut state.entropy, interval)?;
                        state.end_of_band_run = 0;
                    }
                    // Saved after any restart marker: the bit buffer is then clean.
                    if mcu_col == 0 && mcu_row % unit == 0 {
                        self.scan_rows.record(start, mcu_row / unit, self.input.offset(), &state);
                    }
                    if interval > 0 {
                        state.entropy.restart_left -= 1;
                    }
                    for i in 0..scan.count {
                        let ci = scan.component[i];
                        let c = &frame.components[ci];
                        let (h, v) = if one { (1, 1) } else { (c.h, c.v) };
                        let dc = &tables.dc[scan.dc_table[i]];
                        let ac = &tables.ac[scan.ac_table[i]];
                        for by in 0..v {
                            for bx in 0..h {
                                let mut target = stores[ci].target(mcu_col * h + bx, mcu_row * v + by);
                                if progressive {
                                    decode_progressive_block(&mut self.input, &mut state, scan, dc, ac, i, &mut target)
                                        .map_err(|f| self.input.fault(f))?;
                                } else {
                                    let entropy = &mut state.entropy;
                                    let predictor = &mut entropy.predictors[i];
                                    decode_sequential_block(&mut self.input, &mut entropy.bits, dc, ac, predictor, &mut target)
                                        .map_err(|f| self.input.fault(f))?;
                                }
                            }
                        }
                    }
                    if state.entropy.bits.overrun() {
                        let error = self.input.error(ErrorKind::ScanTruncated);
                        return Ok((finish_scan(&mut self.input, &mut self.scan_ends, start, &state.entropy.bits)?, Some(error)));
                    }
                }
            }
        }
        // Where the next band's rows start, unless a restart marker is due
        // there or the scan stopped inside a row (at the region's last column).
        let whole_rows = !(progressive && one && columns[scan.component[0] & 3].is_some());
        if whole_rows && rows_needed < mcus_y && rows_needed % unit == 0 && (interval == 0 || state.entropy.restart_left > 0) {
            self.scan_rows.record(start, rows_needed / unit, self.input.offset(), &state);
        }
        Ok((finish_scan(&mut self.input, &mut self.scan_ends, start, &state.entropy.bits)?, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_row_slot_is_the_remainder_for_every_block_row() {
        assert!(COLUMN_ROWS.is_power_of_two());
        for row in (0..81_920).chain([u32::MAX - 1, u32::MAX]) {
            assert_eq!(column_row_slot(row), row % COLUMN_ROWS, "row {row}");
        }
    }
}
