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

    /// Builds the table from the DHT counts per code length and the symbols.
    pub(crate) fn build(&mut self, counts: &[u8; 16], symbols: &[u8]) -> Result<(), &'static str> {
        *self = HuffmanTable::EMPTY;
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
