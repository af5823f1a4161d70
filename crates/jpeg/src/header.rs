//! Marker segments: tables, frame and scan headers, EXIF and Adobe blocks.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::error::{ErrorKind, Feature, Result};
use crate::exif::{self, Exif};
use crate::huffman::HuffmanTable;
use crate::input::Input;
use crate::source::ByteSource;
use crate::ZIGZAG;

/// How the frame is coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    /// SOF0.
    Baseline,
    /// SOF1: extended sequential, Huffman, 8-bit.
    ExtendedSequential,
    /// SOF2: progressive, Huffman, 8-bit.
    Progressive,
}

/// What the components mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorModel {
    /// One component.
    Grayscale,
    /// Y, Cb, Cr (JFIF).
    YCbCr,
    /// R, G, B stored directly (Adobe transform 0, or component ids 'R','G','B').
    Rgb,
    /// C, M, Y, K as Adobe writes them (inverted).
    Cmyk,
    /// Y, Cb, Cr, K (Adobe transform 2).
    Ycck,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Component {
    pub(crate) id: u8,
    pub(crate) h: u32,
    pub(crate) v: u32,
    pub(crate) quant: usize,
    /// Samples across and down at full scale (T.81 A.1.1).
    pub(crate) samples_w: u32,
    pub(crate) samples_h: u32,
    /// Blocks of a non-interleaved scan (covering the samples).
    pub(crate) blocks_w: u32,
    pub(crate) blocks_h: u32,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub(crate) coding: Coding,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) components: [Component; 4],
    pub(crate) count: usize,
    pub(crate) h_max: u32,
    pub(crate) v_max: u32,
    pub(crate) mcus_x: u32,
    pub(crate) mcus_y: u32,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Scan {
    pub(crate) count: usize,
    /// Frame component index of each scan component.
    pub(crate) component: [usize; 4],
    pub(crate) dc_table: [usize; 4],
    pub(crate) ac_table: [usize; 4],
    pub(crate) spectral_start: u8,
    pub(crate) spectral_end: u8,
    pub(crate) approx_high: u8,
    pub(crate) approx_low: u8,
}

pub(crate) struct Tables {
    /// Quantisers in zigzag order.
    pub(crate) quant: [[u16; 64]; 4],
    pub(crate) quant_defined: [bool; 4],
    /// The Huffman tables and the combined AC tables live in boxes of their
    /// own: built as one value, the 20 KiB of them would pass through the
    /// stack (the backend does not build a boxed value in place), and an
    /// add-in's stack is small.
    pub(crate) dc: Box<[HuffmanTable; 4]>,
    pub(crate) ac: Box<[HuffmanTable; 4]>,
    /// Run, value and length of short AC codes with their magnitude bits.
    pub(crate) ac_fast: Box<[[u32; 1 << crate::huffman::LOOKUP_BITS]; 4]>,
    pub(crate) restart_interval: u32,
}

/// Four of `value` in a box, built in place: `None` if memory ran out.
fn boxed_four<T: Clone>(value: T) -> Option<Box<[T; 4]>> {
    let mut items = Vec::new();
    items.try_reserve_exact(4).ok()?;
    items.resize(4, value);
    items.into_boxed_slice().try_into().ok()
}

impl Tables {
    /// Empty tables; `None` if memory ran out.
    pub(crate) fn new() -> Option<Box<Self>> {
        let tables = Tables {
            quant: [[1; 64]; 4],
            quant_defined: [false; 4],
            dc: boxed_four(HuffmanTable::EMPTY)?,
            ac: boxed_four(HuffmanTable::EMPTY)?,
            ac_fast: boxed_four([0; 1 << crate::huffman::LOOKUP_BITS])?,
            restart_interval: 0,
        };
        Some(Box::new(tables))
    }

    /// Bytes the tables take.
    pub(crate) const BYTES: usize = core::mem::size_of::<Tables>()
        + 2 * core::mem::size_of::<[HuffmanTable; 4]>()
        + core::mem::size_of::<[[u32; 1 << crate::huffman::LOOKUP_BITS]; 4]>();

    /// Back to empty, in place.
    pub(crate) fn reset(&mut self) {
        self.quant = [[1; 64]; 4];
        self.quant_defined = [false; 4];
        for table in self.dc.iter_mut().chain(self.ac.iter_mut()) {
            table.reset();
        }
        for fast in self.ac_fast.iter_mut() {
            fast.fill(0);
        }
        self.restart_interval = 0;
    }
}

/// Facts gathered from the segments before the frame and scans.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Extras {
    pub(crate) exif: Exif,
    pub(crate) adobe_transform: Option<u8>,
    pub(crate) jfif: bool,
}

/// What `read_segments` stopped at.
pub(crate) enum Stop {
    Scan(Scan),
    End,
}

/// The standard DC and AC tables of T.81 K.3, for motion-JPEG frames that
/// leave out DHT (as `mjpeg.jpg` does).
pub(crate) static STANDARD_TABLES: [(&[u8; 16], &[u8]); 4] = [
    (&[0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    (&[0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    (&[0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d], &[
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ]),
    (&[0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], &[
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ]),
];

/// Installs the standard tables in slots 0 and 1 (used only where a scan finds its slot empty).
pub(crate) fn standard_table(class_ac: bool, slot: usize, table: &mut HuffmanTable) {
    let (counts, values) = STANDARD_TABLES[usize::from(class_ac) * 2 + usize::from(slot != 0)];
    let _ = table.build(counts, values);
}

/// Reads the next marker code, skipping fill bytes and (tolerantly) stray
/// bytes between segments. `Ok(None)` at end of file.
pub(crate) fn next_marker<S: ByteSource>(input: &mut Input<S>) -> Result<Option<u8>> {
    loop {
        if !input.skip_to_ff()? {
            return Ok(None);
        }
        match input.next_byte()? {
            None => return Ok(None),
            Some(0xFF) => loop {
                match input.next_byte()? {
                    None => return Ok(None),
                    Some(0xFF) => continue,
                    Some(0x00) => break, // stuffed byte outside a scan: keep looking
                    Some(code) => return Ok(Some(code)),
                }
            },
            Some(_) => continue,
        }
    }
}

/// Reads marker segments until a scan header or EOI. `pending` is a marker
/// already consumed by the entropy decoder. `frame` is filled in at SOFn.
pub(crate) fn read_segments<S: ByteSource>(
    input: &mut Input<S>,
    tables: &mut Tables,
    frame: &mut Option<Frame>,
    extras: &mut Extras,
    mut pending: Option<u8>,
    parse_extras: bool,
) -> Result<Stop> {
    loop {
        input.context = None;
        let marker = match pending.take() {
            Some(m) => m,
            None => match next_marker(input)? {
                Some(m) => m,
                None => return Ok(Stop::End),
            },
        };
        input.context = Some(marker);
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue, // no segment
            0xD9 => return Ok(Stop::End),
            _ => {}
        }
        let length = input.u16()?;
        if length < 2 {
            return Err(input.error(ErrorKind::Malformed("segment length below 2")));
        }
        let end = input.offset() + u64::from(length) - 2;
        let mut remaining = u32::from(length) - 2;
        match marker {
            0xC0..=0xC2 => {
                if frame.is_some() {
                    return Err(input.error(ErrorKind::Malformed("second frame header (SOF)")));
                }
                *frame = Some(read_frame(input, marker, remaining)?);
                remaining = 0;
            }
            0xC3 => return Err(input.error(ErrorKind::Unsupported(Feature::Lossless))),
            0xC5..=0xC7 => return Err(input.error(ErrorKind::Unsupported(Feature::Hierarchical))),
            0xC9..=0xCB | 0xCD..=0xCF => return Err(input.error(ErrorKind::Unsupported(Feature::Arithmetic))),
            0xC4 => {
                read_huffman_tables(input, tables, remaining)?;
                remaining = 0;
            }
            0xDB => {
                read_quant_tables(input, tables, remaining)?;
                remaining = 0;
            }
            0xDD => {
                if remaining < 2 {
                    return Err(input.error(ErrorKind::Malformed("DRI segment too short")));
                }
                tables.restart_interval = u32::from(input.u16()?);
                remaining -= 2;
            }
            0xDA => {
                let Some(f) = frame.as_ref() else {
                    return Err(input.error(ErrorKind::Malformed("scan (SOS) before the frame header (SOF)")));
                };
                let scan = read_scan(input, f, remaining)?;
                let offset = input.offset();
                if offset != end {
                    return Err(input.error(ErrorKind::Malformed("SOS length does not match its contents")));
                }
                for i in 0..scan.count {
                    let progressive = f.coding == Coding::Progressive;
                    let needs_dc = !progressive || scan.spectral_start == 0;
                    let needs_ac = !progressive || scan.spectral_start > 0;
                    if needs_dc && !tables.dc[scan.dc_table[i]].defined {
                        standard_table(false, scan.dc_table[i], &mut tables.dc[scan.dc_table[i]]);
                    }
                    if needs_ac && !tables.ac[scan.ac_table[i]].defined {
                        let slot = scan.ac_table[i];
                        standard_table(true, slot, &mut tables.ac[slot]);
                        crate::huffman::build_fast_ac(&tables.ac[slot], &mut tables.ac_fast[slot]);
                    }
                    if needs_dc && !tables.quant_defined[f.components[scan.component[i]].quant] {
                        return Err(input.error(ErrorKind::MissingTable("quantisation")));
                    }
                }
                return Ok(Stop::Scan(scan));
            }
            0xE1 if parse_extras && remaining >= 6 => {
                let mut payload = [0u8; 2048];
                let n = (remaining as usize).min(payload.len());
                input.read_exact(&mut payload[..n])?;
                remaining -= n as u32;
                if payload.starts_with(b"Exif\0\0") {
                    extras.exif = exif::parse(&payload[..n]);
                }
            }
            0xEE if remaining >= 12 => {
                let mut payload = [0u8; 12];
                input.read_exact(&mut payload)?;
                remaining -= 12;
                if payload.starts_with(b"Adobe") {
                    extras.adobe_transform = Some(payload[11]);
                }
            }
            0xE0 if remaining >= 5 => {
                let mut payload = [0u8; 5];
                input.read_exact(&mut payload)?;
                remaining -= 5;
                extras.jfif |= &payload == b"JFIF\0";
            }
            _ => {} // COM, other APPn, DNL, anything unknown with a length
        }
        let _ = end;
        input.skip(u64::from(remaining))?;
    }
}

fn read_frame<S: ByteSource>(input: &mut Input<S>, marker: u8, length: u32) -> Result<Frame> {
    if length < 6 {
        return Err(input.error(ErrorKind::Malformed("frame header too short")));
    }
    let precision = input.byte()?;
    if precision != 8 {
        return Err(input.error(ErrorKind::Unsupported(Feature::Precision(precision))));
    }
    let height = u32::from(input.u16()?);
    let width = u32::from(input.u16()?);
    let count = input.byte()?;
    if width == 0 {
        return Err(input.error(ErrorKind::Malformed("image width is 0")));
    }
    if height == 0 {
        return Err(input.error(ErrorKind::Unsupported(Feature::HeightFromDnl)));
    }
    if !matches!(count, 1 | 3 | 4) {
        return Err(input.error(ErrorKind::Unsupported(Feature::ComponentCount(count))));
    }
    if length != 6 + 3 * u32::from(count) {
        return Err(input.error(ErrorKind::Malformed("frame header length does not match its component count")));
    }
    let mut components = [Component::default(); 4];
    for i in 0..usize::from(count) {
        let id = input.byte()?;
        let sampling = input.byte()?;
        let quant = input.byte()?;
        let (h, v) = (u32::from(sampling >> 4), u32::from(sampling & 15));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
            return Err(input.error(ErrorKind::Malformed("sampling factor outside 1..4")));
        }
        if quant > 3 {
            return Err(input.error(ErrorKind::Malformed("quantisation table number above 3")));
        }
        if components[..i].iter().any(|c| c.id == id) {
            return Err(input.error(ErrorKind::Malformed("two components with the same id")));
        }
        components[i] = Component { id, h, v, quant: usize::from(quant), ..Component::default() };
    }
    let count = usize::from(count);
    if count == 1 {
        // A lone component is never interleaved: its MCU is one block whatever it declares.
        components[0].h = 1;
        components[0].v = 1;
    }
    let h_max = components[..count].iter().map(|c| c.h).max().unwrap_or(1);
    let v_max = components[..count].iter().map(|c| c.v).max().unwrap_or(1);
    if components[..count].iter().any(|c| h_max % c.h != 0 || v_max % c.v != 0) {
        return Err(input.error(ErrorKind::Unsupported(Feature::SamplingRatio)));
    }
    let blocks_per_mcu: u32 = components[..count].iter().map(|c| c.h * c.v).sum();
    if count > 1 && blocks_per_mcu > 10 {
        return Err(input.error(ErrorKind::Malformed("more than 10 blocks per MCU")));
    }
    for c in &mut components[..count] {
        c.samples_w = (width * c.h).div_ceil(h_max);
        c.samples_h = (height * c.v).div_ceil(v_max);
        c.blocks_w = c.samples_w.div_ceil(8);
        c.blocks_h = c.samples_h.div_ceil(8);
    }
    let coding = match marker {
        0xC0 => Coding::Baseline,
        0xC1 => Coding::ExtendedSequential,
        _ => Coding::Progressive,
    };
    Ok(Frame {
        coding,
        width,
        height,
        components,
        count,
        h_max,
        v_max,
        mcus_x: width.div_ceil(8 * h_max),
        mcus_y: height.div_ceil(8 * v_max),
    })
}

fn read_huffman_tables<S: ByteSource>(input: &mut Input<S>, tables: &mut Tables, mut remaining: u32) -> Result<()> {
    while remaining > 0 {
        if remaining < 17 {
            return Err(input.error(ErrorKind::Malformed("DHT segment too short")));
        }
        let class_and_slot = input.byte()?;
        let mut counts = [0u8; 16];
        input.read_exact(&mut counts)?;
        remaining -= 17;
        let total: u32 = counts.iter().map(|&c| u32::from(c)).sum();
        if total > 256 || total > remaining {
            return Err(input.error(ErrorKind::Malformed("DHT symbol count exceeds the segment or 256")));
        }
        let mut symbols = [0u8; 256];
        input.read_exact(&mut symbols[..total as usize])?;
        remaining -= total;
        let (class, slot) = (class_and_slot >> 4, usize::from(class_and_slot & 15));
        if class > 1 || slot > 3 {
            return Err(input.error(ErrorKind::Malformed("DHT table class above 1 or number above 3")));
        }
        let table = if class == 0 { &mut tables.dc[slot] } else { &mut tables.ac[slot] };
        table.build(&counts, &symbols[..total as usize]).map_err(|what| input.error(ErrorKind::Malformed(what)))?;
        if class == 1 {
            crate::huffman::build_fast_ac(&tables.ac[slot], &mut tables.ac_fast[slot]);
        }
    }
    Ok(())
}

fn read_quant_tables<S: ByteSource>(input: &mut Input<S>, tables: &mut Tables, mut remaining: u32) -> Result<()> {
    while remaining > 0 {
        let precision_and_slot = input.byte()?;
        remaining -= 1;
        let (sixteen_bit, slot) = (precision_and_slot >> 4, usize::from(precision_and_slot & 15));
        if sixteen_bit > 1 || slot > 3 {
            return Err(input.error(ErrorKind::Malformed("DQT precision above 1 or table number above 3")));
        }
        let size = if sixteen_bit == 1 { 128 } else { 64 };
        if remaining < size {
            return Err(input.error(ErrorKind::Malformed("DQT segment too short")));
        }
        remaining -= size;
        for k in 0..64 {
            let q = if sixteen_bit == 1 { input.u16()? } else { u16::from(input.byte()?) };
            // A zero quantiser would make every coefficient 0; treat it as 1 as common decoders do.
            tables.quant[slot][k] = q.max(1);
        }
        tables.quant_defined[slot] = true;
    }
    Ok(())
}

fn read_scan<S: ByteSource>(input: &mut Input<S>, frame: &Frame, length: u32) -> Result<Scan> {
    let count = usize::from(input.byte()?);
    if !(1..=4).contains(&count) || length != 4 + 2 * count as u32 {
        return Err(input.error(ErrorKind::Malformed("scan component count or SOS length wrong")));
    }
    let mut scan = Scan { count, ..Scan::default() };
    for i in 0..count {
        let id = input.byte()?;
        let tables = input.byte()?;
        let Some(index) = frame.components[..frame.count].iter().position(|c| c.id == id) else {
            return Err(input.error(ErrorKind::Malformed("scan names a component the frame lacks")));
        };
        if scan.component[..i].contains(&index) {
            return Err(input.error(ErrorKind::Malformed("scan names a component twice")));
        }
        let (dc, ac) = (usize::from(tables >> 4), usize::from(tables & 15));
        if dc > 3 || ac > 3 {
            return Err(input.error(ErrorKind::Malformed("Huffman table number above 3")));
        }
        scan.component[i] = index;
        scan.dc_table[i] = dc;
        scan.ac_table[i] = ac;
    }
    scan.spectral_start = input.byte()?;
    scan.spectral_end = input.byte()?;
    let approx = input.byte()?;
    scan.approx_high = approx >> 4;
    scan.approx_low = approx & 15;
    let blocks: u32 = scan.component[..count].iter().map(|&c| frame.components[c].h * frame.components[c].v).sum();
    if count > 1 && blocks > 10 {
        return Err(input.error(ErrorKind::Malformed("more than 10 blocks per MCU in a scan")));
    }
    if frame.coding == Coding::Progressive {
        let (ss, se) = (scan.spectral_start, scan.spectral_end);
        let ok = if ss == 0 { se == 0 } else { ss <= se && se <= 63 && count == 1 };
        if !ok || scan.approx_high > 13 || scan.approx_low > 13 {
            return Err(input.error(ErrorKind::Malformed("progressive scan's spectral or approximation parameters")));
        }
    } else if scan.spectral_start != 0 || scan.approx_high != 0 || scan.approx_low != 0 {
        // Encoders write Se = 63 but some write other values; only the rest is checked.
        return Err(input.error(ErrorKind::Malformed("sequential scan with progressive parameters")));
    }
    let _ = ZIGZAG;
    Ok(scan)
}
