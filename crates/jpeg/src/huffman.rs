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
/// [`FAST_AC_END`]) or a run of 16 zeros (advance 16).
pub(crate) const FAST_AC_NO_VALUE: u32 = 0x8000;
/// The advance of an end-of-block entry: past any block's last coefficient.
pub(crate) const FAST_AC_END: u32 = 64;

/// Builds the combined AC table: for each `LOOKUP_BITS`-bit prefix that
/// starts a code, `value << 16 | advance << 8 | total length` (code and
/// magnitude bits), where the advance is the run plus one (the
/// coefficient's own position). The value is 0 when the magnitude bits
/// reach past the prefix (a skip needs only the length). End of block and
/// runs of 16 zeros carry [`FAST_AC_NO_VALUE`] (other zero-size symbols,
/// undefined in T.81, end the block as the general path does). 0 where the
/// code is longer than the prefix.
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
            let advance = if run == 15 { 16 } else { FAST_AC_END };
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

/// Builds the skip table of an AC table from its combined table `fast`:
/// for each prefix, what skipping takes from it in one lookup, as
/// `advance << SKIP_ADVANCE_SHIFT | total length` (plus [`SKIP_END`] when
/// the block ends there, with the advance before the end of block): two
/// symbols where a coefficient and then a whole second symbol (a
/// coefficient or the end of block) lie within the prefix, else the one
/// symbol of `fast` if at most [`SKIP_MAX_LENGTH`] bits long;
/// [`SKIP_NONE`] for a longer symbol or a code longer than the prefix. One
/// table for both, so that a single symbol costs one lookup, not a failed
/// pair lookup and then one.
pub(crate) fn build_skip_pairs(fast: &[u32; 1 << LOOKUP_BITS], pairs: &mut [u16; 1 << LOOKUP_BITS]) {
    for (prefix, slot) in pairs.iter_mut().enumerate() {
        let first = fast[prefix];
        let (length1, advance1) = (first & 0xFF, (first >> 8) & 0x7F);
        *slot = match (length1, first & FAST_AC_NO_VALUE != 0) {
            (0, _) => SKIP_NONE,
            (length, _) if length > SKIP_MAX_LENGTH => SKIP_NONE,
            (_, true) if advance1 == FAST_AC_END => SKIP_END | length1 as u16,
            _ => (advance1 << SKIP_ADVANCE_SHIFT | length1) as u16,
        };
        // A coefficient whose code and magnitude lie within the prefix.
        if first & FAST_AC_NO_VALUE != 0 || first >> 16 == 0 || length1 == 0 || length1 >= LOOKUP_BITS {
            continue;
        }
        let rest = (prefix << length1) & ((1 << LOOKUP_BITS) - 1);
        let second = fast[rest];
        let (length2, advance2) = (second & 0xFF, (second >> 8) & 0x7F);
        if length2 == 0 || length1 + length2 > LOOKUP_BITS {
            continue;
        }
        let length = (length1 + length2) as u16;
        if second & FAST_AC_NO_VALUE != 0 {
            if advance2 == FAST_AC_END {
                *slot = SKIP_END | (advance1 as u16) << SKIP_ADVANCE_SHIFT | length;
            }
        } else {
            *slot = ((advance1 + advance2) as u16) << SKIP_ADVANCE_SHIFT | length;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overfull_code_space_is_an_error() {
        let mut table = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[0] = 3; // three 1-bit codes cannot exist
        assert!(table.build(&counts, &[1, 2, 3]).is_err());
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

    #[test]
    fn skip_pairs_join_two_whole_symbols_within_the_prefix() {
        let mut table = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[1] = 3; // 00 -> end of block, 01 -> 0x12 (run 1, size 2), 10 -> 0xF0 (16 zeros)
        counts[2] = 1; // 110 -> 0x2A (run 2, size 10)
        table.build(&counts, &[0x00, 0x12, 0xF0, 0x2A]).unwrap();
        let mut fast = [0u32; 1 << LOOKUP_BITS];
        build_fast_ac(&table, &mut fast);
        let mut pairs = [0u16; 1 << LOOKUP_BITS];
        build_skip_pairs(&fast, &mut pairs);
        let s = SKIP_ADVANCE_SHIFT;
        // 01 xx then 01 xx (4 + 4 bits): advance 2 + 2, length 8.
        assert_eq!(pairs[0b0100 << 5 | 0b0100 << 1], 4 << s | 8);
        // 01 xx then 00 (end of block): the first advance, length 6.
        assert_eq!(pairs[0b0111 << 5], SKIP_END | 2 << s | 6);
        // 01 xx then 16 zeros: not joined, the first symbol alone.
        assert_eq!(pairs[0b0100 << 5 | 0b10 << 3], 2 << s | 4);
        // 01 xx then a code whose magnitude passes the prefix: the first alone.
        assert_eq!(pairs[0b0100 << 5 | 0b110 << 2], 2 << s | 4);
        // An end of block first: itself.
        assert_eq!(pairs[0b0100 << 3], SKIP_END | 2);
        // 16 zeros alone; a magnitude past the prefix: its whole length.
        assert_eq!(pairs[0b10 << 7], 16 << s | 2);
        assert_eq!(pairs[0b110 << 6], 3 << s | 13);
        // No code starts with 111: those prefixes go to the general path.
        assert_eq!(pairs[0b111 << 6], SKIP_NONE);
        // Every symbol here is at most 13 bits: only those prefixes do.
        assert!(fast.iter().zip(pairs.iter()).all(|(&f, &p)| (f == 0) == (p == SKIP_NONE)));
    }

    #[test]
    fn skip_entries_hold_at_most_sixteen_bits() {
        let mut table = HuffmanTable::EMPTY;
        let mut counts = [0u8; 16];
        counts[1] = 2; // 00 -> 0x0F (size 15: 17 bits), 01 -> 0x0E (size 14: 16 bits)
        table.build(&counts, &[0x0F, 0x0E]).unwrap();
        let mut fast = [0u32; 1 << LOOKUP_BITS];
        build_fast_ac(&table, &mut fast);
        let mut skips = [0u16; 1 << LOOKUP_BITS];
        build_skip_pairs(&fast, &mut skips);
        assert_eq!(skips[0], SKIP_NONE);
        assert_eq!(skips[0b01 << 7], 1 << SKIP_ADVANCE_SHIFT | 16);
        // Prefixes 1x start no code.
        assert_eq!(skips[0b10 << 7], SKIP_NONE);
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
