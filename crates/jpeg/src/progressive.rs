//! Images whose components arrive in several scans: progressive (SOF2) and
//! non-interleaved sequential ones. Every scan is read; coefficients are
//! kept only for the blocks of the requested region (just the DC at 1/8
//! scale), then the region is transformed and output MCU row by MCU row.
//!
//! Successive-approximation refinement of AC coefficients needs to know,
//! for every block it passes, which coefficients are already non-zero; for
//! blocks outside the region that history is kept as one 64-bit mask per
//! block, only for the block rows down to the region's bottom (scans are
//! left at that row: the rest of their data is skipped to the next marker).

use alloc::vec::Vec;

use crate::decoder::{emit_deferred_line, emit_rows, restart, zeroed, Decoder, Layout, Options, Pixels, Planes, Scale, Summary, SHAPE_BITS};
use crate::error::{Error, ErrorKind, Result};
use crate::header::{self, Coding, Frame, Scan, Stop, Tables};
use crate::huffman::HuffmanTable;
use crate::idct;
use crate::index::EntropyState;
use crate::input::{Bits, Fault, Input, Quick};
use crate::source::ByteSource;
use crate::ZIGZAG;

/// Coefficients (zigzag order, quantised) or non-zero history of one block.
enum Target<'a> {
    Coefficients(&'a mut [i16]),
    History(&'a mut u64),
    Nothing,
}

impl Target<'_> {
    #[inline]
    fn is_nonzero(&self, k: usize) -> bool {
        match self {
            Target::Coefficients(c) => c.get(k).is_some_and(|&v| v != 0),
            Target::History(mask) => **mask >> k & 1 != 0,
            Target::Nothing => false,
        }
    }

    #[inline]
    fn set(&mut self, k: usize, value: i32) {
        match self {
            Target::Coefficients(c) => {
                if let Some(slot) = c.get_mut(k) {
                    *slot = value.clamp(-32768, 32767) as i16;
                }
            }
            Target::History(mask) => {
                if value != 0 {
                    **mask |= 1 << k;
                }
            }
            Target::Nothing => {}
        }
    }

    /// Applies a correction bit to a coefficient that is already non-zero.
    #[inline]
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

/// Per-component storage for the region's blocks.
struct Store {
    /// First stored block column and row, and stored columns and rows.
    col0: u32,
    row0: u32,
    cols: u32,
    rows: u32,
    per_block: usize,
    coefficients: Vec<i16>,
    /// Non-zero history for every block in rows 0..history_rows (AC refinement).
    history: Vec<u64>,
    history_cols: u32,
    history_rows: u32,
}

impl Store {
    fn target(&mut self, bx: u32, by: u32) -> Target<'_> {
        if bx >= self.col0 && bx < self.col0 + self.cols && by >= self.row0 && by < self.row0 + self.rows {
            let i = ((by - self.row0) * self.cols + (bx - self.col0)) as usize * self.per_block;
            if let Some(c) = self.coefficients.get_mut(i..i + self.per_block) {
                return Target::Coefficients(c);
            }
        } else if bx < self.history_cols && by < self.history_rows {
            if let Some(h) = self.history.get_mut((by * self.history_cols + bx) as usize) {
                return Target::History(h);
            }
        }
        Target::Nothing
    }
}

/// Most passes over the file a banded decode may make.
const MAX_BANDS: u32 = 64;

/// The memory plan of one multi-scan decode.
struct Plan {
    layout: Layout,
    dc_only: [bool; 4],
    /// Per component: first stored block column and row, columns, rows, history columns and rows.
    geometry: [(u32, u32, u32, u32, u32, u32); 4],
    needed: u64,
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

#[allow(clippy::too_many_arguments)]
fn decode_progressive_block<S: ByteSource>(
    input: &mut Input<S>,
    state: &mut ScanState,
    scan: &Scan,
    dc: &HuffmanTable,
    ac: &HuffmanTable,
    slot: usize,
    target: &mut Target<'_>,
) -> Quick<()> {
    let ScanState { entropy, end_of_band_run } = state;
    let bits = &mut entropy.bits;
    let predictor = &mut entropy.predictors[slot & 3];
    let (ss, se, al) = (usize::from(scan.spectral_start), usize::from(scan.spectral_end), u32::from(scan.approx_low));
    if ss == 0 {
        if scan.approx_high == 0 {
            *predictor = (*predictor + bits.dc_difference(input, dc)?).clamp(-32768, 32767);
            target.set(0, *predictor << al);
        } else if bits.bit(input)? {
            if let Target::Coefficients(c) = target {
                if let Some(v) = c.get_mut(0) {
                    *v |= (1i32 << al) as i16;
                }
            }
        }
        return Ok(());
    }
    if scan.approx_high == 0 {
        if *end_of_band_run > 0 {
            *end_of_band_run -= 1;
            return Ok(());
        }
        let mut k = ss;
        while k <= se {
            let rs = bits.symbol(input, ac)?;
            let (run, s) = (u32::from(rs >> 4), u32::from(rs & 15));
            if s == 0 {
                if run < 15 {
                    *end_of_band_run = (1 << run) - 1 + bits.raw(input, run)?;
                    break;
                }
                k += 16;
                continue;
            }
            k += run as usize;
            if k > 63 {
                return Err(Fault::RunPastEnd);
            }
            let v = bits.extended(input, s)?;
            target.set(k, v << al);
            k += 1;
        }
        return Ok(());
    }
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
        *self.tables = Tables::new();
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
        let frame = &self.frame;
        let progressive = frame.coding == Coding::Progressive;
        // Progressive at 1/8: every block becomes one pixel, subsampled ones
        // too (then upsampled), so only DC coefficients are kept and every AC
        // scan is skipped unread. (A larger subsampled block would need the
        // AC scans and their refinement history for the whole image.)
        let mut layout = *layout;
        if options.scale == Scale::Eighth && progressive {
            for i in 0..frame.count {
                let c = &frame.components[i];
                layout.block_w[i] = 1;
                layout.block_h[i] = 1;
                layout.ratio_x[i] = frame.h_max / c.h;
                layout.ratio_y[i] = frame.v_max / c.v;
            }
        }
        // Components whose blocks become single pixels need only their DC.
        let mut dc_only = [false; 4];
        for (i, flag) in dc_only.iter_mut().enumerate().take(frame.count) {
            *flag = layout.block_w[i] == 1 && layout.block_h[i] == 1;
        }
        let mut needed = self.fixed_memory() as u64 + Planes::bytes_needed(frame, &layout, options.format);
        let mut geometry = [(0u32, 0u32, 0u32, 0u32, 0u32, 0u32); 4];
        for (i, c) in frame.components[..frame.count].iter().enumerate() {
            let per_block: u64 = if dc_only[i] { 1 } else { 64 };
            let col0 = layout.col_first * c.h;
            let cols = (layout.col_end - layout.col_first) * c.h;
            let row0 = layout.row_first * c.v;
            let rows = (layout.row_end - layout.row_first) * c.v;
            let (history_cols, history_rows) =
                if progressive && !dc_only[i] { (c.blocks_w, (layout.row_end * c.v).min(c.blocks_h)) } else { (0, 0) };
            needed += u64::from(cols) * u64::from(rows) * per_block * 2;
            needed += u64::from(history_cols) * u64::from(history_rows) * 8;
            geometry[i] = (col0, row0, cols, rows, history_cols, history_rows);
        }
        Plan { layout, dc_only, geometry, needed }
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
            Layout::new(&frame, options.scale, Some(r)).ok()
        };
        let mut rows_per_band = rows;
        let mut worst;
        loop {
            let bands = rows.div_ceil(rows_per_band);
            worst = (0..bands)
                .filter_map(|b| band_layout(b * rows_per_band, rows_per_band))
                .map(|l| self.plan(options, &l).needed)
                .max()
                .unwrap_or(0);
            if worst <= limit {
                break;
            }
            // Each band reads the whole file again: at most MAX_BANDS of them.
            if rows_per_band == 1 || rows.div_ceil(rows_per_band.div_ceil(2)) > MAX_BANDS {
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
        worst = 0;
        while start < rows {
            let count = rows_per_band.min(rows - start);
            let Some(layout) = band_layout(start, count) else { break };
            let plan = self.plan(options, &layout);
            let needed = plan.needed;
            match self.decode_plan(options, plan, sink) {
                Ok(rows) => {
                    total_rows += rows;
                    start += count;
                    bands_read += 1;
                    worst = worst.max(needed);
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
        Ok(Summary { region, rows: total_rows, working_memory: worst as u32, start_row: 0, start_column: 0, mcus_decoded })
    }

    /// Reads every scan into stores for `plan`'s region and outputs it; returns the rows handed over.
    fn decode_plan<F: FnMut(u32, Pixels<'_>)>(&mut self, options: &Options, plan: Plan, sink: &mut F) -> Result<u32> {
        if self.tables_dirty {
            self.reload_headers()?;
        }
        let frame = self.frame;
        let Plan { layout, dc_only, geometry, needed } = plan;
        let out_of_memory = || {
            let needed = needed.min(u64::from(u32::MAX)) as u32;
            Error::new(ErrorKind::OutOfMemory { needed }, 0, None)
        };
        let layout = &layout;
        let mut stores: Vec<Store> = Vec::new();
        stores.try_reserve_exact(frame.count).map_err(|_| out_of_memory())?;
        for (&(col0, row0, cols, rows, history_cols, history_rows), dc_only) in geometry[..frame.count].iter().zip(dc_only) {
            let per_block = if dc_only { 1 } else { 64 };
            stores.push(Store {
                col0,
                row0,
                cols,
                rows,
                per_block,
                coefficients: zeroed(cols as usize * rows as usize * per_block).ok_or_else(out_of_memory)?,
                history: zeroed(history_cols as usize * history_rows as usize).ok_or_else(out_of_memory)?,
                history_cols,
                history_rows,
            });
        }

        // Read every scan; an error stops the reading but not the output.
        self.input.seek(self.scan_data)?;
        let mut scan = self.scan;
        let mut failure = None;
        let mut scans_read = 0u32;
        loop {
            self.tables_dirty = true;
            let pending = match self.read_scan(&frame, &scan, layout, dc_only, &mut stores) {
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
                Ok(Stop::End) => break,
                Err(e) => {
                    failure = failure.or(Some(e));
                    break;
                }
            }
        }

        // Output.
        let color = self.color_model();
        let mut planes = Planes::new(&frame, layout, options.format).ok_or_else(out_of_memory)?;
        let mut block = [0i32; 64];
        let mut work = [0i32; 64];
        let mut rows_output = 0;
        for mcu_row in layout.row_first..layout.row_end {
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
                    let row = mcu_row * c.v + by - store.row0;
                    for col in 0..store.cols {
                        let i = (row * store.cols + col) as usize * per_block;
                        let Some(coefficients) = store.coefficients.get(i..i + per_block) else { continue };
                        let mut only_dc = true;
                        let mut shape = 0u32;
                        for (k, &q) in coefficients.iter().enumerate() {
                            if q != 0 {
                                let natural = usize::from(ZIGZAG[k]) & 63;
                                if (natural & 7) < bw && (natural >> 3) < bh {
                                    block[natural] = idct::dequantise(i32::from(q), quant[k], natural);
                                    only_dc &= k == 0;
                                    if k > 0 {
                                        shape |= u32::from(SHAPE_BITS[natural]);
                                    }
                                }
                            }
                        }
                        let at = by as usize * bh * stride + col as usize * bw;
                        // The same transforms as the sequential path (identical
                        // pixels); each leaves `block` all zero again.
                        let out = planes.samples[ci].get_mut(at..).unwrap_or(&mut []);
                        match (bw, bh) {
                            (8, 8) => idct::inverse_dct_8x8(&mut block, &mut work, shape >> 8, shape & 0xFF, out, stride),
                            (4, 4) => idct::inverse_dct_4x4(&mut block, out, stride),
                            (2, 2) => idct::inverse_dct_2x2(&mut block, out, stride),
                            (1, 1) => {
                                if let Some(o) = out.first_mut() {
                                    *o = idct::dc_pixel(block[0]);
                                }
                                block[0] = 0;
                            }
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
        stores: &mut [Store],
    ) -> Result<(Option<u8>, Option<Error>)> {
        self.input.context = Some(0xDA);
        let start = self.input.offset();
        let interval = self.tables.restart_interval;
        let mut state = ScanState { entropy: EntropyState { restart_left: interval, ..EntropyState::default() }, end_of_band_run: 0 };
        let progressive = frame.coding == Coding::Progressive;
        // An AC scan of a component that needs only DC is skipped unread.
        if progressive && scan.spectral_start > 0 && dc_only[scan.component[0]] {
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
        let _ = mcus_y;
        for mcu_row in 0..rows_needed {
            for mcu_col in 0..mcus_x {
                if interval > 0 {
                    if state.entropy.restart_left == 0 {
                        restart(&mut self.input, &mut state.entropy, interval)?;
                        state.end_of_band_run = 0;
                    }
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
        Ok((finish_scan(&mut self.input, &mut self.scan_ends, start, &state.entropy.bits)?, None))
    }
}
