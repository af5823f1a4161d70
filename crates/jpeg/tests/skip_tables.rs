//! Skipped AC coefficients go through wide (11-bit) skip tables when the
//! memory limit allows them and narrow (9-bit) ones when it does not: the
//! same pictures decoded both ways must give the same rows, the same
//! errors at the same offsets, on the corpus, generated photos and damaged
//! variants of them. The memory limit chooses the width: unlimited gives
//! wide tables; the figure a decode needs with narrow ones (what a refused
//! decode reports) leaves no room for wide ones.

mod common;

use common::fixtures;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use prizm_jpeg::{Decoder, ErrorKind, Options, Pixels, Region, Scale, SliceSource};

/// What a decode gives: a hash of each row with its number, then the
/// summary (less the working memory) or the error (less its offset, which
/// is the read position: it includes the bytes read ahead into the bit
/// buffer, and refills happen at other points with other steps).
#[derive(Debug, PartialEq)]
struct Outcome {
    rows: Vec<(u32, u64)>,
    end: String,
    offset: Option<u64>,
}

/// The most bytes by which the read position at an error may differ: the
/// bytes a refill reads ahead (up to 32 bits, each byte possibly stuffed).
const READ_AHEAD: u64 = 8;

/// Decodes `jpeg` with `options`; also returns the working memory.
fn outcome(jpeg: &[u8], options: &Options) -> (Outcome, Option<u32>) {
    let mut decoder = match Decoder::new(SliceSource::new(jpeg)) {
        Ok(decoder) => decoder,
        Err(e) => return (Outcome { rows: Vec::new(), end: format!("header error: {e}"), offset: None }, None),
    };
    let mut rows = Vec::new();
    let result = decoder.decode(options, None, |y, row| {
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        let mut add = |b: u8| hash = (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        match row {
            Pixels::Rgb888(p) => p.iter().for_each(|&b| add(b)),
            Pixels::Rgb565(p) => p.iter().for_each(|&v| v.to_be_bytes().into_iter().for_each(&mut add)),
        }
        rows.push((y, hash));
    });
    match result {
        Ok(s) => {
            let end = format!("ok: {:?} {} rows from {},{}, {} MCUs", s.region, s.rows, s.start_row, s.start_column, s.mcus_decoded);
            (Outcome { rows, end, offset: None }, Some(s.working_memory))
        }
        Err(e) => (Outcome { rows, end: format!("error: {:?} {:?} {} rows out", e.kind, e.marker, e.rows_output), offset: Some(e.offset) }, None),
    }
}

/// The working memory a decode needs with narrow tables: what a decode
/// refused for want of memory reports. `None` for pictures refused for
/// another reason and multi-scan ones (no skip tables).
fn needed_with_narrow_tables(jpeg: &[u8], options: &Options) -> Option<u32> {
    let mut decoder = Decoder::new(SliceSource::new(jpeg)).ok()?;
    if !decoder.info().single_scan {
        return None;
    }
    match decoder.decode(&Options { memory_limit: 0, ..*options }, None, |_, _| {}) {
        Err(e) => match e.kind {
            ErrorKind::TooLarge { needed, .. } => Some(needed),
            _ => None,
        },
        Ok(_) => None,
    }
}

/// Decodes compared, and those whose error offsets differed.
#[derive(Default)]
struct Tally {
    wide_decodes: usize,
    offsets_differing: usize,
    largest_offset_difference: u64,
}

/// Decodes `jpeg` with wide and narrow tables at every reduced scale,
/// whole and a region, and compares; counts in `tally` the decodes that
/// took wide tables (and so were compared with a narrow one).
fn compare_widths(name: &str, jpeg: &[u8], tally: &mut Tally) {
    for scale in [Scale::Half, Scale::Quarter, Scale::Eighth] {
        for region in [None, Some(Region { x: 5, y: 3, width: 27, height: 14 })] {
            let unlimited = Options { scale, region, memory_limit: u32::MAX, ..Options::default() };
            let (wide, wide_memory) = outcome(jpeg, &unlimited);
            let Some(needed) = needed_with_narrow_tables(jpeg, &unlimited) else { continue };
            let (narrow, narrow_memory) = outcome(jpeg, &Options { memory_limit: needed, ..unlimited });
            let what = format!("{name} at {scale:?}, region {region:?}: wide and narrow skip tables differ");
            assert_eq!((&wide.rows, &wide.end), (&narrow.rows, &narrow.end), "{what}");
            if let (Some(w), Some(n)) = (wide.offset, narrow.offset) {
                assert!(w.abs_diff(n) <= READ_AHEAD, "{what}: error at byte {w} against {n}");
                tally.offsets_differing += usize::from(w != n);
                tally.largest_offset_difference = tally.largest_offset_difference.max(w.abs_diff(n));
            }
            if let (Some(w), Some(n)) = (wide_memory, narrow_memory) {
                assert_eq!(n, needed, "{name}: the narrow decode took what the refusal named");
                // Wide tables are 3 KiB more per AC table, where there are any.
                assert_eq!((w - n) % 3072, 0, "{name} at {scale:?}: {w} against {n} bytes");
                if w > n {
                    tally.wide_decodes += 1;
                }
            }
        }
    }
}

/// Gradients, soft shapes and noise, roughly as dense as a photo.
fn photo(width: u16, height: u16, sampling: SamplingFactor, restart: Option<u16>, quality: u8) -> Vec<u8> {
    let mut seed = 7u32;
    let mut pixels = Vec::new();
    for y in 0..i32::from(height) {
        for x in 0..i32::from(width) {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 9) as i32 - 4;
            let ring = ((x - 70) * (x - 70) + (y - 50) * (y - 50)) / 16;
            let texture = (x * 7 + y * 3) % 23 - 11;
            for b in [x * 2 + ring % 60, y + 60 + texture, 200 - x + (ring & 31)] {
                pixels.push((b + noise).clamp(0, 255) as u8);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(sampling);
    if let Some(r) = restart {
        encoder.set_restart_interval(r);
    }
    encoder.encode(&pixels, width, height, ColorType::Rgb).unwrap();
    out
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Damage in the entropy-coded data (after the headers' first `from`
/// bytes): flipped bits, 0xFF bytes (markers, stuffing), inserted and
/// deleted bytes, truncation.
fn damaged(data: &[u8], from: usize, seed: &mut u64) -> Vec<u8> {
    let mut data = data.to_vec();
    for _ in 0..1 + next(seed) % 3 {
        let at = from + (next(seed) % (data.len() - from) as u64) as usize;
        match next(seed) % 5 {
            0 => data[at] ^= 1 << (next(seed) % 8),
            1 => data[at] = 0xFF,
            2 => data.insert(at, next(seed) as u8),
            3 => {
                data.remove(at);
            }
            _ => data.truncate(at.max(from + 1)),
        }
    }
    data
}

#[test]
fn wide_and_narrow_skip_tables_decode_the_corpus_alike() {
    let mut files = Vec::new();
    for dir in ["reftest", "reftest/mozilla", "crashtest"] {
        let mut here: Vec<_> = std::fs::read_dir(fixtures().join(dir)).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "jpg")).collect();
        here.sort();
        files.extend(here);
    }
    assert!(files.len() > 30);
    let mut tally = Tally::default();
    for path in files {
        compare_widths(&path.display().to_string(), &std::fs::read(&path).unwrap(), &mut tally);
    }
    println!("{} decodes compared, {} error offsets differing", tally.wide_decodes, tally.offsets_differing);
    assert!(tally.wide_decodes > 50, "only {} decodes took wide tables", tally.wide_decodes);
}

#[test]
fn wide_and_narrow_skip_tables_decode_damaged_photos_alike() {
    let seeds = [
        photo(96, 80, SamplingFactor::F_2_2, None, 85),
        photo(72, 56, SamplingFactor::F_2_1, Some(2), 95),
        photo(64, 48, SamplingFactor::F_1_1, None, 60),
    ];
    let mut tally = Tally::default();
    for (i, jpeg) in seeds.iter().enumerate() {
        compare_widths(&format!("photo {i}"), jpeg, &mut tally);
    }
    assert_eq!(tally.wide_decodes, 18, "every whole photo's decode takes wide tables");
    let iterations = std::env::var("PRIZM_JPEG_SKIP_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(150u32);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut errors = 0;
    for i in 0..iterations {
        let jpeg = &seeds[i as usize % seeds.len()];
        // Past the headers: the scan data starts after the SOS segment.
        let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap() + 14;
        let data = damaged(jpeg, sos, &mut seed);
        compare_widths(&format!("damaged photo {i}"), &data, &mut tally);
        let (outcome, _) = outcome(&data, &Options { scale: Scale::Eighth, memory_limit: u32::MAX, ..Options::default() });
        errors += usize::from(outcome.end.starts_with("error"));
    }
    println!(
        "{iterations} damaged photos, {errors} ending in an error at 1/8; {} error offsets differing, by up to {} bytes",
        tally.offsets_differing, tally.largest_offset_difference
    );
    assert!(errors > 0, "no damage was found: the errors were not compared");
}

#[test]
fn a_refused_decode_names_what_narrow_tables_need() {
    let jpeg = photo(96, 80, SamplingFactor::F_2_2, None, 85);
    let options = Options { scale: Scale::Eighth, memory_limit: u32::MAX, ..Options::default() };
    let (_, Some(wide)) = outcome(&jpeg, &options) else { panic!("the decode failed") };
    let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
    let error = decoder.decode(&Options { memory_limit: 1000, ..options }, None, |_, _| {}).unwrap_err();
    // Two AC tables: 2 KiB narrow, 8 KiB wide.
    assert_eq!(error.kind, ErrorKind::TooLarge { needed: wide - 6 * 1024, limit: 1000 });
    // One byte short of the wide figure: narrow tables, and the decode goes on.
    let summary = decoder.decode(&Options { memory_limit: wide - 1, ..options }, None, |_, _| {}).unwrap();
    assert_eq!(summary.working_memory, wide - 6 * 1024);
}
