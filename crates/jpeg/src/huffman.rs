//! Huffman tables with a lookup table for short codes (most symbols in
//! photos have codes of at most 9 bits), and the canonical per-length
//! limits for the rest (T.81 Annex C and F.2.2.3).

/// Codes up to this many bits are decoded by one table lookup.
pub(crate) const LOOKUP_BITS: u32 = 9;

#[derive(Clone)]
pub(crate) struct HuffmanTable {
    /// Indexed by the next `LOOKUP_BITS` bits: `length << 8 | symbol`, 0 if longer.
    pub(crate) lookup: [u16; 1 << LOOKUP_BITS],
    /// Largest code of each length, -1 if none.
    pub(crate) max_code: [i32; 17],
    /// Added to a code of each length to get its index in `values`.
    pub(crate) value_offset: [i32; 17],
    pub(crate) values: [u8; 256],
    pub(crate) defined: bool,
}

impl HuffmanTable {
    pub(crate) const EMPTY: HuffmanTable = HuffmanTable {
        lookup: [0; 1 << LOOKUP_BITS],
        max_code: [-1; 17],
        value_offset: [0; 17],
        values: [0; 256],
        defined: false,
    };

    /// Back to empty, in place (no table-sized value on the stack).
    pub(crate) fn reset(&mut self) {
        self.lookup.fill(0);
        self.max_code.fill(-1);
        self.value_offset.fill(0);
        self.values.fill(0);
        self.defined = false;
    }

    /// Builds the table from the DHT counts per code length and the symbols.
    pub(crate) fn build(&mut self, counts: &[u8; 16], symbols: &[u8]) -> Result<(), &'static str> {
        self.reset();
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        if total > 256 || total > symbols.len() {
            return Err("Huffman table has more than 256 codes");
        }
        self.values[..total].copy_from_slice(&symbols[..total]);
        let mut code: u32 = 0;
        let mut index: usize = 0;
        for length in 1..=16u32 {
            let n = u32::from(counts[length as usize - 1]);
            self.value_offset[length as usize] = index as i32 - code as i32;
            for _ in 0..n {
                if code >= 1 << length {
                    return Err("Huffman code lengths overflow their code space");
                }
                if length <= LOOKUP_BITS {
                    let shift = LOOKUP_BITS - length;
                    let first = (code << shift) as usize;
                    let entry = (length as u16) << 8 | u16::from(self.values[index]);
                    for slot in &mut self.lookup[first..first + (1 << shift)] {
                        *slot = entry;
                    }
                }
                code += 1;
                index += 1;
            }
            self.max_code[length as usize] = if n > 0 { code as i32 - 1 } else { -1 };
            code <<= 1;
        }
        self.defined = true;
        Ok(())
    }
}

/// A combined AC entry that carries no coefficient: end of block (advance
/// [`FAST_AC_END`] plus the bits of a progressive end-of-band run) or a
/// run of 16 zeros (advance 16).
pub(crate) const FAST_AC_NO_VALUE: u32 = 0x8000;
/// The advance of an end-of-block entry: past any block's last coefficient.
/// A progressive scan's end-of-band run of `r` extra bits (symbol `r << 4`)
/// has advance `FAST_AC_END + r`, which still passes the end.
pub(crate) const FAST_AC_END: u32 = 64;

/// Builds the combined AC table: for each `LOOKUP_BITS`-bit prefix that
/// starts a code, `value << 16 | advance << 8 | total length` (code and
/// magnitude bits), where the advance is the run plus one (the
/// coefficient's own position). The value is 0 when the magnitude bits
/// reach past the prefix (a skip needs only the length). End of block and
/// runs of 16 zeros carry [`FAST_AC_NO_VALUE`] (the other zero-size
/// symbols are progressive end-of-band runs; in a sequential scan, where
/// T.81 leaves them undefined, they end the block as the general path
/// does). 0 where the code is longer than the prefix.
pub(crate) fn build_fast_ac(table: &HuffmanTable, fast: &mut [u32; 1 << LOOKUP_BITS]) {
    for (prefix, slot) in fast.iter_mut().enumerate() {
        *slot = 0;
        let entry = table.lookup[prefix];
        if entry == 0 {
            continue;
        }
        let length = u32::from(entry >> 8);
        let symbol = entry as u8;
        let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
        if size == 0 {
            let advance = if run == 15 { 16 } else { FAST_AC_END + run };
            *slot = FAST_AC_NO_VALUE | advance << 8 | length;
            continue;
        }
        if length + size > LOOKUP_BITS {
            // Magnitude bits past the lookup: value 0 (no coefficient is
            // 0), the total length for skipping.
            *slot = ((run + 1) << 8) | (length + size);
            continue;
        }
        let raw = ((prefix as u32) >> (LOOKUP_BITS - length - size)) & ((1 << size) - 1);
        let value = if raw < 1 << (size - 1) { raw as i32 - (1 << size) + 1 } else { raw as i32 };
        *slot = ((value as u32) << 16) | ((run + 1) << 8) | (length + size);
    }
}

/// A skip entry's flag (bit 7, above the length in bits 0 to 4): its
/// (last) symbol is the end of block.
pub(crate) const SKIP_END: u16 = 0x80;
/// A skip entry's advance is its high byte: one shift takes it out (the
/// SH-4 shifts by 8 in one instruction, with no mask after it).
pub(crate) const SKIP_ADVANCE_SHIFT: u32 = 8;
/// The skip entry of a prefix the table does not decode: its advance (127)
/// passes any block's end, so the one check of the advance sends it to the
/// general path.
pub(crate) const SKIP_NONE: u16 = 127 << SKIP_ADVANCE_SHIFT;
/// The longest symbol (code and magnitude) a skip entry holds: the bits
/// the refill guarantees, so the skip need not compare with them.
const SKIP_MAX_LENGTH: u32 = 16;
/// Prefix bits of a narrow skip table (1 KiB), the one every skipping
/// decode can afford.
pub(crate) const SKIP_BITS_NARROW: u32 = LOOKUP_BITS;
/// Prefix bits of a wide skip table (4 KiB), used where the memory limit
/// allows: fewer lookups a block (a photo's 1024x768 decode at 1/8: 6.65
/// symbols' worth against 8.39 with 9 bits, host simulation).
pub(crate) const SKIP_BITS_WIDE: u32 = 11;
/// The most a chain of symbols advances: a longer chain fails the skip's
/// check (`k + advance < 64`, with `k` at least 1) wherever it is met.
const SKIP_MAX_ADVANCE: u32 = 62;

/// Builds the skip table of an AC table for prefixes of `skips.len()`'s
/// bits (a power of two, 2^9 to 2^12): for each prefix, what skipping
/// takes from it in one lookup, as `advance << SKIP_ADVANCE_SHIFT | total
/// length` (plus [`SKIP_END`] when the block ends there, with the advance
/// before the end of block): the symbol the prefix starts with, code and
/// magnitude, if at most [`SKIP_MAX_LENGTH`] bits long, then as many whole
/// symbols after it as lie within the prefix, up to and including an end
/// of block, while the advances add up to at most [`SKIP_MAX_ADVANCE`].
/// [`SKIP_NONE`] for a longer first symbol or a code longer than the
/// prefix. A single symbol costs one lookup too: no failed lookup of a
/// longer step first.
pub(crate) fn build_skip_table(table: &HuffmanTable, skips: &mut [u16]) {
    let bits = skips.len().trailing_zeros();
    fill_skips(table, skips, bits, None);
}

/// Fills the entries of `skips` (2^`rest` of them: every value the last
/// `rest` bits of the prefixes can take) after the symbols of `chain` (an
/// entry; `None` before the first symbol). Walks the codes, not the
/// prefixes: each code of at most `rest` bits covers a run of entries, and
/// where the chain goes on after it, the entries of one magnitude are
/// filled (recursively) and copied to the others. A few dozen calls for a
/// photo's 2^11-entry table, so that building costs little more than
/// writing the entries.
fn fill_skips(table: &HuffmanTable, skips: &mut [u16], rest: u32, chain: Option<u32>) {
    // Where no whole symbol follows: the chain so far, or nothing.
    let stop = chain.map_or(SKIP_NONE, |entry| entry as u16);
    let mut at = 0;
    // Canonical codes in order: those of each length are consecutive, and
    // those of at most `rest` bits cover the first entries, one run each.
    let mut code = 0i32;
    'codes: for length in 1..=rest.min(16) {
        while code <= table.max_code[length as usize] {
            let run = 1usize << (rest - length);
            let symbol = table.values.get((code + table.value_offset[length as usize]) as usize);
            // Never for a table `build` accepted; if it were, the rest
            // would go to the general path (an entry left 0 would skip
            // nothing, for ever).
            let (Some(&symbol), Some(slots)) = (symbol, skips.get_mut(at..at + run)) else { break 'codes };
            at += run;
            code += 1;
            let (zeros, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
            let total = length + size;
            // End of block, and the zero-size symbols T.81 leaves
            // undefined, which end the block as the general path does.
            if size == 0 && zeros != 15 {
                slots.fill((chain.unwrap_or(0) + length) as u16 | SKIP_END);
                continue;
            }
            let step = (if size == 0 { 16 } else { zeros + 1 }) << SKIP_ADVANCE_SHIFT | total;
            let Some(entry) = chain else {
                // The first symbol: taken whole up to the bits the refill
                // guarantees, magnitude past the prefix or not.
                if total > SKIP_MAX_LENGTH {
                    slots.fill(SKIP_NONE);
                } else if total > rest {
                    slots.fill(step as u16);
                } else {
                    fill_magnitudes(table, slots, rest - total, step);
                }
                continue;
            };
            if total > rest || (entry + step) >> SKIP_ADVANCE_SHIFT > SKIP_MAX_ADVANCE {
                slots.fill(stop);
            } else {
                fill_magnitudes(table, slots, rest - total, entry + step);
            }
        }
        code <<= 1;
    }
    // Codes longer than `rest` bits, and prefixes that start no code.
    if let Some(slots) = skips.get_mut(at..) {
        slots.fill(stop);
    }
}

/// Fills `slots` (every magnitude of a symbol followed by 2^`rest` values
/// of the bits after it) where the chain goes on as `chain` after the
/// symbol: what follows does not depend on the magnitude, so the entries
/// of the first are copied to the others.
fn fill_magnitudes(table: &HuffmanTable, slots: &mut [u16], rest: u32, chain: u32) {
    let after = 1usize << rest;
    fill_skips(table, slots.get_mut(..after).unwrap_or(&mut []), rest, Some(chain));
    let mut filled = after;
    while filled < slots.len() {
        slots.copy_within(..filled, filled);
        filled *= 2;
    }
}

#[cfg(test)]
// Prefixes in the tests group their bits by symbol (code, magnitude).
#[allow(clippy::unusual_byte_groupings)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn overfull_code_space_is_an_error() {
        let mut table = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[0] = 3; // three 1-bit codes cannot exist
        assert!(table.build(&counts, &[1, 2, 3]).is_err());
    }

    #[test]
    fn fast_ac_end_of_band_runs_carry_their_bit_count() {
        let mut table = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[1] = 2; // 00 -> 0x30 (end-of-band run, 3 more bits), 01 -> 0xE0 (14 more bits)
        table.build(&counts, &[0x30, 0xE0]).unwrap();
        let mut fast = [0u32; 1 << LOOKUP_BITS];
        build_fast_ac(&table, &mut fast);
        assert_eq!(fast[0], FAST_AC_NO_VALUE | (FAST_AC_END + 3) << 8 | 2);
        assert_eq!(fast[0b01 << 7], FAST_AC_NO_VALUE | (FAST_AC_END + 14) << 8 | 2);
    }

    #[test]
    fn fast_ac_entries_hold_run_value_and_length() {
        let mut table = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[1] = 3; // 00 -> 0x00 (end of block), 01 -> 0x12 (run 1, size 2), 10 -> 0xF0 (16 zeros)
        table.build(&counts, &[0x00, 0x12, 0xF0]).unwrap();
        let mut fast = [0u32; 1 << LOOKUP_BITS];
        build_fast_ac(&table, &mut fast);
        assert_eq!(fast[0], FAST_AC_NO_VALUE | FAST_AC_END << 8 | 2, "end of block");
        // 01 then magnitude bits 00: run 1 (advance 2), value -3.
        let e = fast[0b01_00 << 5];
        assert_eq!((e & 0xFF, (e >> 8) & 0x7F, e & FAST_AC_NO_VALUE, (e as i32) >> 16), (4, 2, 0, -3));
        let e = fast[0b01_11 << 5];
        assert_eq!((e as i32) >> 16, 3);
        assert_eq!(fast[0b10 << 7], FAST_AC_NO_VALUE | 16 << 8 | 2, "16 zeros");
        assert_eq!(fast[0b11 << 7], 0, "no code");
        // A magnitude past the prefix: no value, the length for skipping.
        let mut long = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[7] = 1; // 00000000 -> 0x2A (run 2, size 10)
        long.build(&counts, &[0x2A]).unwrap();
        build_fast_ac(&long, &mut fast);
        assert_eq!(fast[0], 3 << 8 | 18);
    }

    /// An AC table from (code length, count) pairs and symbols.
    fn ac_table(counts: &[(usize, u8)], symbols: &[u8]) -> HuffmanTable {
        let mut table = HuffmanTable::EMPTY;
        let mut lengths = [0u8; 16];
        for &(length, n) in counts {
            lengths[length - 1] = n;
        }
        table.build(&lengths, symbols).unwrap();
        table
    }

    fn skip_table(table: &HuffmanTable, bits: u32) -> Vec<u16> {
        let mut skips = vec![0u16; 1 << bits];
        build_skip_table(table, &mut skips);
        skips
    }

    #[test]
    fn skip_entries_chain_whole_symbols_within_the_prefix() {
        // 00 -> end of block, 01 -> 0x12 (run 1, size 2), 10 -> 0xF0 (16 zeros),
        // 110 -> 0x2A (run 2, size 10).
        let table = ac_table(&[(2, 3), (3, 1)], &[0x00, 0x12, 0xF0, 0x2A]);
        let s = SKIP_ADVANCE_SHIFT;
        let narrow = skip_table(&table, 9);
        // 01xx 01xx then 0: two coefficients (8 bits), the 9th bit starts no whole symbol.
        assert_eq!(narrow[0b0100_0100_0], 4 << s | 8);
        // 01xx then end of block: the first advance, length 6.
        assert_eq!(narrow[0b0111_00_000], SKIP_END | 2 << s | 6);
        // 01xx, 16 zeros, 01xx (10 bits): the third passes 9 bits.
        assert_eq!(narrow[0b0100_10_010], 18 << s | 6);
        // 01xx then a code whose magnitude passes the prefix: the first alone.
        assert_eq!(narrow[0b0100_110_00], 2 << s | 4);
        // An end of block first: itself, whatever follows.
        assert_eq!(narrow[0b00_0100000], SKIP_END | 2);
        // A magnitude past the prefix: its whole length, nothing after it.
        assert_eq!(narrow[0b110_000000], 3 << s | 13);
        // No code starts with 111.
        assert_eq!(narrow[0b111_000000], SKIP_NONE);
        // 11 bits: 01xx 01xx 01x: two coefficients and not the third.
        let wide = skip_table(&table, 11);
        assert_eq!(wide[0b0100_0100_010], 4 << s | 8);
        // 16 zeros, 01xx, 16 zeros, then 010: a coefficient whose
        // magnitude passes 11 bits is not taken.
        assert_eq!(wide[0b10_0100_10_010], 34 << s | 8);
        // 10 10 10 01xx 00 (11 bits): three runs of 16 zeros, a coefficient, the end.
        assert_eq!(wide[0b10_10_10_0100_0], 50 << s | 10);
        assert_eq!(wide[0b10_10_10_0111_00 >> 1], 50 << s | 10);
        let ended = skip_table(&table, 12);
        assert_eq!(ended[0b10_10_10_0100_00], SKIP_END | 50 << s | 12);
        // Every skip table leaves prefixes starting with 111 to the general path.
        for bits in 9..=12 {
            let skips = skip_table(&table, bits);
            assert!(skips.iter().enumerate().all(|(p, &e)| (p >> (bits - 3) == 0b111) == (e == SKIP_NONE)), "{bits} bits");
        }
    }

    #[test]
    fn skip_chains_stop_at_the_advance_no_block_can_take() {
        // 0 -> 16 zeros, 10 -> end of block, 11 -> 0x01 (run 0, size 1).
        let table = ac_table(&[(1, 1), (2, 2)], &[0xF0, 0x00, 0x01]);
        let skips = skip_table(&table, 12);
        let s = SKIP_ADVANCE_SHIFT;
        // Three runs of 16 zeros (48) and a coefficient (49), then 16
        // zeros again (65, past 62): not taken.
        assert_eq!(skips[0b0_0_0_110_0_11110], 49 << s | 6);
        // Four runs of 16 zeros (64): the fourth is not taken, nor what follows.
        assert_eq!(skips[0], 48 << s | 3);
        // An end of block after 48: taken, it advances nothing.
        assert_eq!(skips[0b0_0_0_10_0000000], SKIP_END | 48 << s | 5);
    }

    #[test]
    fn skip_entries_hold_at_most_sixteen_bits() {
        // 00 -> 0x0F (size 15: 17 bits), 01 -> 0x0E (size 14: 16 bits).
        let table = ac_table(&[(2, 2)], &[0x0F, 0x0E]);
        for bits in [9, 11, 12] {
            let skips = skip_table(&table, bits);
            assert_eq!(skips[0], SKIP_NONE);
            assert_eq!(skips[0b01 << (bits - 2)], 1 << SKIP_ADVANCE_SHIFT | 16);
            // Prefixes 1x start no code.
            assert_eq!(skips[0b10 << (bits - 2)], SKIP_NONE);
        }
        // A 10- and an 11-bit code: first in a wide entry, not in a narrow one.
        let table = ac_table(&[(1, 1), (10, 1), (11, 1)], &[0x01, 0x13, 0xF0]);
        let narrow = skip_table(&table, 9);
        assert_eq!(narrow[0b1_0000_0000], SKIP_NONE);
        let wide = skip_table(&table, 11);
        // 1 000000000 then 3 magnitude bits: 13 bits, alone.
        assert_eq!(wide[0b1_0000_0000_0_0], 2 << SKIP_ADVANCE_SHIFT | 13);
        // 1 0000000001 0: 16 zeros in 11 bits.
        assert_eq!(wide[0b1_0000_0000_10], 16 << SKIP_ADVANCE_SHIFT | 11);
        // 0x (a coefficient of 2 bits) and so on: 5 of them in 11 bits.
        assert_eq!(wide[0], 5 << SKIP_ADVANCE_SHIFT | 10);
    }

    /// What skipping from `prefix` (of `bits` bits) takes, stepping one
    /// symbol at a time with the codes listed explicitly (`(code, length,
    /// symbol)`): the meaning [`build_skip_table`] promises, written
    /// without its shortcuts.
    fn stepped(codes: &[(u32, u32, u8)], prefix: u32, bits: u32) -> u16 {
        let symbol_at = |used: u32| {
            codes.iter().find(|&&(code, length, _)| used + length <= bits && (prefix >> (bits - used - length)) & ((1 << length) - 1) == code)
        };
        let (mut used, mut advance) = (0u32, 0u32);
        while used < bits {
            let Some(&(_, length, symbol)) = symbol_at(used) else { break };
            let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
            let total = length + size;
            let limit = if used == 0 { SKIP_MAX_LENGTH } else { bits - used };
            if total > limit {
                break;
            }
            if size == 0 && run != 15 {
                return SKIP_END | (advance << SKIP_ADVANCE_SHIFT | (used + total)) as u16;
            }
            let step = if size == 0 { 16 } else { run + 1 };
            if used > 0 && advance + step > SKIP_MAX_ADVANCE {
                break;
            }
            advance += step;
            used += total;
        }
        if used == 0 {
            SKIP_NONE
        } else {
            (advance << SKIP_ADVANCE_SHIFT | used) as u16
        }
    }

    /// The canonical codes of DHT `counts` (per length) and `symbols`.
    fn canonical(counts: &[u8; 16], symbols: &[u8]) -> Vec<(u32, u32, u8)> {
        let (mut codes, mut code, mut next) = (Vec::new(), 0u32, 0usize);
        for length in 1..=16u32 {
            for _ in 0..counts[length as usize - 1] {
                codes.push((code, length, symbols[next]));
                code += 1;
                next += 1;
            }
            code <<= 1;
        }
        codes
    }

    #[test]
    fn skip_entries_equal_stepping_symbol_by_symbol() {
        let mut cases: Vec<([u8; 16], Vec<u8>)> = Vec::new();
        // The standard luminance and chrominance AC tables (T.81 K.3).
        for slot in 0..2 {
            let (counts, symbols) = crate::header::STANDARD_TABLES[2 + slot];
            cases.push((*counts, symbols.to_vec()));
        }
        // Short ZRL and end of block, long magnitudes (sizes 10 to 15),
        // undefined zero-size symbols, codes of every length to 16.
        let mut counts = [0u8; 16];
        counts[1] = 2;
        counts[2] = 2;
        for c in &mut counts[3..15] {
            *c = 1;
        }
        counts[15] = 3;
        let symbols = [0xF0, 0x00, 0x0F, 0x11, 0x0A, 0x3E, 0x21, 0x40, 0x0C, 0x1D, 0x02, 0x05, 0xF1, 0x0B, 0x55, 0x07, 0x61, 0x0E, 0x33];
        cases.push((counts, symbols.to_vec()));
        // A one-bit coefficient code: chains of many symbols.
        let mut counts = [0u8; 16];
        counts[0] = 1;
        counts[1] = 1;
        counts[3] = 2;
        cases.push((counts, vec![0x01, 0x00, 0xF0, 0x52]));
        for (counts, symbols) in &cases {
            let mut table = HuffmanTable::EMPTY;
            table.build(counts, symbols).unwrap();
            let codes = canonical(counts, symbols);
            for bits in 9..=12 {
                let skips = skip_table(&table, bits);
                for (prefix, &entry) in skips.iter().enumerate() {
                    assert_eq!(entry, stepped(&codes, prefix as u32, bits), "{bits} bits, prefix {prefix:#b}, table {counts:?}");
                    if entry != SKIP_NONE {
                        assert!(u32::from(entry & 31) <= SKIP_MAX_LENGTH);
                        assert!(u32::from(entry >> SKIP_ADVANCE_SHIFT) <= SKIP_MAX_ADVANCE);
                    }
                }
                // A wider entry takes at least what the narrow one for its
                // top 9 bits takes, and the same where that ends the block.
                let narrow = skip_table(&table, 9);
                for (prefix, &entry) in skips.iter().enumerate() {
                    let short = narrow[prefix >> (bits - 9)];
                    if short != SKIP_NONE {
                        assert!(entry & 31 >= short & 31, "{bits} bits, prefix {prefix:#b}");
                        assert!(short & SKIP_END == 0 || entry == short, "{bits} bits, prefix {prefix:#b}");
                    }
                }
            }
        }
    }

    #[test]
    fn short_codes_fill_the_lookup() {
        let mut table = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[1] = 2; // 00, 01
        counts[2] = 1; // 100
        table.build(&counts, &[7, 8, 9]).unwrap();
        assert_eq!(table.lookup[0], 2 << 8 | 7);
        assert_eq!(table.lookup[0b01 << 7], 2 << 8 | 8);
        assert_eq!(table.lookup[0b100 << 6], 3 << 8 | 9);
        assert_eq!(table.lookup[0b101 << 6], 0);
    }
}
