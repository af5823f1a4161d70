//! Buffered reading of the source: bytes for the marker parser, bits for
//! the entropy decoder.

use alloc::boxed::Box;

use crate::error::{Error, ErrorKind, ReadError, Result};
use crate::huffman::{HuffmanTable, LOOKUP_BITS};
use crate::source::ByteSource;

/// Bytes read from the source at a time unless the caller chooses
/// ([`crate::Decoder::with_input_buffer`]). Each read of the calculator's
/// file API costs about 1 ms besides the bytes, so small chunks are slow: a
/// 1.9 MB file takes 1.9 s of calls in 1-KiB reads, 0.23 s in 8-KiB ones.
pub const DEFAULT_INPUT_BUFFER_BYTES: usize = 8 * 1024;
/// The smallest input buffer (a larger request is honoured as given).
pub(crate) const MIN_INPUT_BUFFER_BYTES: usize = 64;
/// Bytes asked for by the first read after a jump (each later read asks for
/// twice as many, up to the buffer): a pan jumps to a checkpoint in each
/// row and needs a few KiB there, while every byte read costs time too.
/// A jump less than this past the bytes read keeps the current size.
const FIRST_READ_AFTER_JUMP: usize = 4 * 1024;

/// Bytes [`Input::skip_to_ff`] checks at a time for a 0xFF (in scan data
/// stuffed 0xFF 0x00 pairs come every few hundred bytes).
const SKIP_STRETCH: usize = 128;

pub(crate) struct Input<S> {
    source: S,
    /// On the heap (not inline) so that moving a decoder stays cheap.
    pub(crate) buffer: Box<[u8]>,
    pub(crate) position: usize,
    /// Bytes of `buffer` that hold data (at most its length).
    pub(crate) end: usize,
    /// File offset of `buffer[0]`.
    base: u64,
    /// The marker whose segment is being read, for error messages.
    pub(crate) context: Option<u8>,
    /// What the source said when a read failed (reported with [`Fault::Read`]).
    read_error: Option<ReadError>,
    /// The next read starts at `base` after a jump: one positioned read
    /// ([`ByteSource::read_at`]) instead of a seek and a read.
    jumped: bool,
    /// Bytes the next read asks for (at most the buffer's length).
    read_size: usize,
}

/// A failure inside entropy decoding, one byte wide: the hot paths return
/// `Result<_, Fault>` (the full [`Error`] is 40 bytes, and copying it on
/// every return costs much on the SH-4). [`Input::fault`] makes the Error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    Read,
    BadHuffmanCode,
    DcTooLong,
    RunPastEnd,
    RefinementSize,
}

impl Fault {
    fn kind(self) -> ErrorKind {
        match self {
            Fault::Read => ErrorKind::UnexpectedEnd,
            Fault::BadHuffmanCode => ErrorKind::BadHuffmanCode,
            Fault::DcTooLong => ErrorKind::Malformed("DC difference longer than 15 bits"),
            Fault::RunPastEnd => ErrorKind::Malformed("AC coefficients run past the end of the block"),
            Fault::RefinementSize => ErrorKind::Malformed("refinement coefficient size other than 1"),
        }
    }
}

/// Hot-path results.
pub(crate) type Quick<T> = core::result::Result<T, Fault>;

impl<S: ByteSource> Input<S> {
    /// An input reading `buffer_bytes` at a time; `None` if the allocator
    /// cannot provide the buffer.
    pub(crate) fn new(source: S, buffer_bytes: usize) -> Option<Self> {
        let buffer = crate::decoder::zeroed::<u8>(buffer_bytes.max(MIN_INPUT_BUFFER_BYTES))?.into_boxed_slice();
        let read_size = buffer.len();
        Some(Input { source, buffer, position: 0, end: 0, base: 0, context: None, read_error: None, jumped: false, read_size })
    }

    /// Replaces the buffer by one of `buffer_bytes` (at least the smallest),
    /// keeping the bytes not yet consumed if they fit (else they are read
    /// again); `None` (nothing changed) if the allocator cannot provide it.
    pub(crate) fn resize(&mut self, buffer_bytes: usize) -> Option<()> {
        let mut buffer = crate::decoder::zeroed::<u8>(buffer_bytes.max(MIN_INPUT_BUFFER_BYTES))?.into_boxed_slice();
        let rest = self.buffer.get(self.position..self.end).unwrap_or(&[]);
        self.base += self.position as u64;
        self.position = 0;
        self.end = match buffer.get_mut(..rest.len()) {
            Some(head) => {
                head.copy_from_slice(rest);
                rest.len()
            }
            None => {
                self.jumped = true;
                0
            }
        };
        self.buffer = buffer;
        self.read_size = self.buffer.len();
        Some(())
    }

    /// Bytes of the input buffer.
    pub(crate) fn buffer_bytes(&self) -> usize {
        self.buffer.len()
    }

    pub(crate) fn offset(&self) -> u64 {
        self.base + self.position as u64
    }

    pub(crate) fn error(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.offset(), self.context)
    }

    /// Whether the source lets the decode go on ([`ByteSource::proceed`]).
    pub(crate) fn proceed(&mut self) -> Result<()> {
        self.source.proceed().map_err(|e| self.error(ErrorKind::Read(e)))
    }

    /// The full error for a hot-path fault, here.
    #[cold]
    pub(crate) fn fault(&self, fault: Fault) -> Error {
        match (fault, self.read_error) {
            (Fault::Read, Some(e)) => self.error(ErrorKind::Read(e)),
            _ => self.error(fault.kind()),
        }
    }

    /// Makes at least one byte available; false at end of file.
    fn refill(&mut self) -> Quick<bool> {
        if self.position < self.end {
            return Ok(true);
        }
        self.base += self.end as u64;
        self.position = 0;
        self.end = 0;
        let size = self.read_size.clamp(1, self.buffer.len());
        let buffer = &mut self.buffer[..size];
        let read = if core::mem::take(&mut self.jumped) {
            self.source.read_at(buffer, self.base)
        } else {
            self.source.read(buffer)
        };
        self.read_size = size.saturating_mul(2).min(self.buffer.len());
        match read {
            Ok(n) => {
                self.end = n.min(size);
                Ok(self.end > 0)
            }
            Err(e) => {
                self.read_error = Some(e);
                // Where the source stands is unknown now: position the next read.
                self.jumped = true;
                Err(Fault::Read)
            }
        }
    }

    /// The next byte, or `None` at end of file.
    #[inline]
    pub(crate) fn next_byte_quick(&mut self) -> Quick<Option<u8>> {
        if self.position >= self.end && !self.refill()? {
            return Ok(None);
        }
        let b = self.buffer[self.position];
        self.position += 1;
        Ok(Some(b))
    }

    #[inline]
    fn peek_byte_quick(&mut self) -> Quick<Option<u8>> {
        if self.position >= self.end && !self.refill()? {
            return Ok(None);
        }
        Ok(Some(self.buffer[self.position]))
    }

    /// Moves to the next 0xFF byte (not consumed); false at end of file.
    /// A tight loop over the buffer: skipping a scan's data (progressive
    /// AC scans at 1/8) reads most of the file this way.
    pub(crate) fn skip_to_ff(&mut self) -> Result<bool> {
        loop {
            let bytes = self.buffer.get(..self.end).unwrap_or(&[]);
            let mut p = self.position;
            // Stretches without 0xFF go by a word at a time (core's memchr
            // behind `contains`), the last bytes one by one.
            while let Some(stretch) = bytes.get(p..p + SKIP_STRETCH) {
                if stretch.contains(&0xFF) {
                    break;
                }
                p += SKIP_STRETCH;
            }
            while p < bytes.len() && bytes[p] != 0xFF {
                p += 1;
            }
            self.position = p;
            if p < bytes.len() {
                return Ok(true);
            }
            if !self.refill().map_err(|f| self.fault(f))? {
                return Ok(false);
            }
        }
    }

    /// The next byte, or `None` at end of file.
    pub(crate) fn next_byte(&mut self) -> Result<Option<u8>> {
        self.next_byte_quick().map_err(|f| self.fault(f))
    }

    pub(crate) fn byte(&mut self) -> Result<u8> {
        match self.next_byte()? {
            Some(b) => Ok(b),
            None => Err(self.error(ErrorKind::UnexpectedEnd)),
        }
    }

    pub(crate) fn u16(&mut self) -> Result<u16> {
        let high = self.byte()?;
        Ok(u16::from(high) << 8 | u16::from(self.byte()?))
    }

    pub(crate) fn read_exact(&mut self, out: &mut [u8]) -> Result<()> {
        for b in out.iter_mut() {
            *b = self.byte()?;
        }
        Ok(())
    }

    /// Skips `count` bytes, seeking when they are not buffered.
    pub(crate) fn skip(&mut self, count: u64) -> Result<()> {
        let buffered = (self.end - self.position) as u64;
        if count <= buffered {
            self.position += count as usize;
            Ok(())
        } else {
            let target = self.offset() + count;
            self.seek(target)
        }
    }

    /// After a jump, the next read asks for the whole buffer: the caller
    /// reads on from there (whole rows of a scan), not a few KiB.
    pub(crate) fn read_on(&mut self) {
        if self.jumped {
            self.read_size = self.buffer.len();
        }
    }

    pub(crate) fn seek(&mut self, target: u64) -> Result<()> {
        if target >= self.base && target <= self.base + self.end as u64 {
            self.position = (target - self.base) as usize;
            return Ok(());
        }
        // The source moves with the next read (one call for both). A short
        // hop forward (to the next row of a progressive scan, a few hundred
        // bytes on) keeps the reads growing: the next hops are likely as short.
        let end = self.base + self.end as u64;
        let short_hop = target > end && target - end < FIRST_READ_AFTER_JUMP as u64;
        self.jumped = true;
        if !short_hop {
            self.read_size = FIRST_READ_AFTER_JUMP.min(self.buffer.len());
        }
        self.base = target;
        self.position = 0;
        self.end = 0;
        Ok(())
    }
}

/// The entropy decoder's bit buffer. `Copy` so that an index checkpoint can
/// save it with the byte position.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Bits {
    /// Unread bits, most significant first.
    pub(crate) buffer: u32,
    pub(crate) count: u32,
    /// Zero bytes fed after the data ended (a marker or end of file).
    padding: u32,
    /// The marker that ended the data (both bytes consumed); 0xD9 at end of file.
    pub(crate) marker: Option<u8>,
}

/// Tops the bit buffer up to at least 25 bits (past the data it feeds
/// zeros), spelt out where it is used: the common case (two plain
/// bytes next in the input buffer) inline, the rest through
/// [`Bits::fill_slow`]. A macro because the backend does not always inline
/// `#[inline(always)]` functions, and a call of the whole refill cost its
/// register saves every time (≈60 instructions for 2 bytes).
macro_rules! fill {
    ($bits:expr, $input:expr) => {{
        let (bits, input) = (&mut *$bits, &mut *$input);
        let p = input.position;
        let two = match input.buffer.get(p..p + 2) {
            Some(&[a, b]) if bits.count <= 16 && p + 2 <= input.end && a != 0xFF && b != 0xFF && bits.marker.is_none() => {
                Some(u32::from(a) << 8 | u32::from(b))
            }
            _ => None,
        };
        if let Some(two) = two {
            input.position = p + 2;
            bits.buffer |= two << (16 - bits.count);
            bits.count += 16;
        }
        if bits.count > 24 {
            Ok(())
        } else {
            bits.fill_slow(input)
        }
    }};
}

impl Bits {
    /// [`fill!`] byte by byte: plain bytes from the buffer first, then
    /// stuffed bytes, markers, refills and the end of the data.
    #[cold]
    #[inline(never)]
    pub(crate) fn fill_slow<S: ByteSource>(&mut self, input: &mut Input<S>) -> Quick<()> {
        // Plain bytes (no 0xFF) already in the input buffer, with the state
        // in locals so it stays in registers.
        if self.marker.is_none() {
            let (mut buffer, mut count, mut position) = (self.buffer, self.count, input.position);
            let bytes = input.buffer.get(..input.end).unwrap_or(&[]);
            while count <= 24 {
                match bytes.get(position) {
                    Some(&b) if b != 0xFF => {
                        buffer |= u32::from(b) << (24 - count);
                        count += 8;
                        position += 1;
                    }
                    _ => break,
                }
            }
            self.buffer = buffer;
            self.count = count;
            input.position = position;
            if count > 24 {
                return Ok(());
            }
        }
        while self.count <= 24 {
            let mut byte = 0;
            if self.marker.is_none() {
                match input.next_byte_quick()? {
                    None => self.marker = Some(0xD9),
                    Some(0xFF) => loop {
                        match input.peek_byte_quick()? {
                            Some(0x00) => {
                                input.position += 1;
                                byte = 0xFF;
                                break;
                            }
                            // Fill bytes before a marker.
                            Some(0xFF) => input.position += 1,
                            Some(code) => {
                                input.position += 1;
                                self.marker = Some(code);
                                break;
                            }
                            None => {
                                self.marker = Some(0xD9);
                                break;
                            }
                        }
                    },
                    Some(b) => byte = b,
                }
            }
            if self.marker.is_some() {
                self.padding = self.padding.saturating_add(1);
            }
            self.buffer |= u32::from(byte) << (24 - self.count);
            self.count += 8;
        }
        Ok(())
    }

    /// True once the decoder has used bits past the end of the data.
    pub(crate) fn overrun(&self) -> bool {
        self.padding.saturating_mul(8) > self.count
    }

    /// True while no marker or end of data has been met: the state is then
    /// the buffered bits alone and can be saved as such.
    pub(crate) fn is_clean(&self) -> bool {
        self.marker.is_none() && self.padding == 0
    }

    /// A clean state holding `count` buffered bits.
    pub(crate) fn resumed(buffer: u32, count: u32) -> Bits {
        Bits { buffer, count, padding: 0, marker: None }
    }

    /// Forgets buffered bits (at a restart marker or the end of a scan).
    pub(crate) fn reset(&mut self) {
        *self = Bits::default();
    }

    /// Decodes a DC difference: its size symbol, then that many magnitude
    /// bits, sign-extended (T.81 F.2.2.1). A short code whose magnitude is
    /// buffered too takes one lookup and no calls.
    #[inline]
    pub(crate) fn dc_difference<S: ByteSource>(&mut self, input: &mut Input<S>, table: &HuffmanTable) -> Quick<i32> {
        if self.count < 16 {
            fill!(self, input)?;
        }
        let entry = table.lookup[(self.buffer >> (32 - LOOKUP_BITS)) as usize];
        let (length, size) = (u32::from(entry >> 8), u32::from(entry & 0xFF));
        if entry != 0 && size <= 15 && length + size <= self.count {
            let buffer = self.buffer << length;
            self.count -= length + size;
            if size == 0 {
                self.buffer = buffer;
                return Ok(0);
            }
            let value = (buffer >> (32 - size)) as i32;
            self.buffer = buffer << size;
            return Ok(if value < 1 << (size - 1) { value - (1 << size) + 1 } else { value });
        }
        let size = u32::from(self.symbol(input, table)?);
        if size > 15 {
            return Err(Fault::DcTooLong);
        }
        self.extended(input, size)
    }

    /// Decodes one Huffman symbol.
    #[inline]
    pub(crate) fn symbol<S: ByteSource>(&mut self, input: &mut Input<S>, table: &HuffmanTable) -> Quick<u8> {
        if self.count < 16 {
            fill!(self, input)?;
        }
        let entry = table.lookup[(self.buffer >> (32 - LOOKUP_BITS)) as usize];
        if entry != 0 {
            let length = u32::from(entry >> 8);
            self.buffer <<= length;
            self.count -= length;
            return Ok(entry as u8);
        }
        for length in LOOKUP_BITS + 1..=16 {
            let code = (self.buffer >> (32 - length)) as i32;
            if code <= table.max_code[length as usize] {
                let index = code + table.value_offset[length as usize];
                self.buffer <<= length;
                self.count -= length;
                return match table.values.get(index as usize) {
                    Some(&v) => Ok(v),
                    None => Err(Fault::BadHuffmanCode),
                };
            }
        }
        Err(Fault::BadHuffmanCode)
    }

    /// Reads `count` (≤ 16) raw bits.
    #[inline]
    pub(crate) fn raw<S: ByteSource>(&mut self, input: &mut Input<S>, count: u32) -> Quick<u32> {
        if count == 0 {
            return Ok(0);
        }
        if self.count < count {
            fill!(self, input)?;
        }
        let value = self.buffer >> (32 - count);
        self.buffer <<= count;
        self.count -= count;
        Ok(value)
    }

    /// Reads a `size`-bit magnitude and extends its sign (T.81 F.2.2.1).
    #[inline]
    pub(crate) fn extended<S: ByteSource>(&mut self, input: &mut Input<S>, size: u32) -> Quick<i32> {
        if size == 0 {
            return Ok(0);
        }
        let value = self.raw(input, size)? as i32;
        Ok(if value < 1 << (size - 1) { value - (1 << size) + 1 } else { value })
    }

    /// One bit (successive-approximation refinements).
    #[inline]
    pub(crate) fn bit<S: ByteSource>(&mut self, input: &mut Input<S>) -> Quick<bool> {
        Ok(self.raw(input, 1)? != 0)
    }
}
