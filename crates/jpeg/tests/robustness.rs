//! Damaged input: every crashtest file, and a bounded run of the fuzz
//! target's body over seeded pseudo-random mutations of valid files. Any
//! panic (including arithmetic overflow, checked in these debug builds)
//! fails the test; so does a decode that takes too long.

mod common;

use std::time::{Duration, Instant};

use common::fixtures;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use prizm_jpeg::{fuzz_decode, Decoder, ErrorKind, Options, Region, Scale, SliceSource};

/// Generous for a debug build; a hang or quadratic blow-up is far beyond it.
const TIME_LIMIT: Duration = Duration::from_secs(3);

fn decode_every_way(data: &[u8]) -> Vec<String> {
    let mut outcomes = Vec::new();
    for scale in [Scale::Full, Scale::Half, Scale::Quarter, Scale::Eighth] {
        for region in [None, Some(Region { x: 3, y: 5, width: 20, height: 9 })] {
            let started = Instant::now();
            let outcome = match Decoder::new(SliceSource::new(data)) {
                Err(e) => format!("header error: {e}"),
                Ok(mut decoder) => {
                    let options = Options { scale, region, ..Options::default() };
                    match decoder.decode(&options, None, |_, _| {}) {
                        Ok(summary) => format!("ok, {} rows", summary.rows),
                        Err(e) => format!("error: {e}"),
                    }
                }
            };
            assert!(started.elapsed() < TIME_LIMIT, "took {:?}", started.elapsed());
            outcomes.push(outcome);
        }
    }
    outcomes
}

#[test]
fn every_crashtest_file_ends_in_ok_or_an_error() {
    let dir = fixtures().join("crashtest");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "jpg")).collect();
    files.sort();
    assert!(files.len() >= 12);
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let outcomes = decode_every_way(&data);
        println!("{}: {}", path.file_name().unwrap().to_string_lossy(), outcomes[0]);
    }
}

#[test]
fn errors_name_the_problem_and_place() {
    let empty = Decoder::new(SliceSource::new(&[])).err().unwrap();
    assert_eq!(empty.kind, ErrorKind::NotJpeg);
    let zero_height = [0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 0, 0, 8, 1, 1, 0x11, 0];
    let e = Decoder::new(SliceSource::new(&zero_height)).err().unwrap();
    assert_eq!(e.to_string(), "unsupported: image height given by a DNL marker at byte 12 (in SOF0 segment FFC0)");
    // SOF3 (lossless), SOF9 (arithmetic), 12-bit: named in the message.
    for (marker, precision, expected) in [(0xC3, 8, "lossless"), (0xC9, 8, "arithmetic"), (0xC5, 8, "hierarchical"), (0xC1, 12, "12-bit")] {
        let data = [0xFF, 0xD8, 0xFF, marker, 0, 11, precision, 0, 8, 0, 8, 1, 1, 0x11, 0];
        let e = Decoder::new(SliceSource::new(&data)).err().unwrap();
        assert!(e.to_string().contains(expected), "{e}");
        assert!(matches!(e.kind, ErrorKind::Unsupported(_)), "{e}");
        assert_eq!(e.marker, Some(marker));
    }
}

fn encoded(color: ColorType, sampling: SamplingFactor, progressive: bool, restart: Option<u16>) -> Vec<u8> {
    let (w, h) = (35u16, 29u16);
    let channels = match color {
        ColorType::Luma => 1,
        ColorType::Rgb => 3,
        _ => 4,
    };
    let pixels: Vec<u8> = (0..usize::from(w) * usize::from(h) * channels).map(|i| (i * 37 % 251) as u8).collect();
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 80);
    encoder.set_sampling_factor(sampling);
    encoder.set_progressive(progressive);
    if let Some(r) = restart {
        encoder.set_restart_interval(r);
    }
    encoder.encode(&pixels, w, h, color).unwrap();
    out
}

#[test]
fn a_damaged_file_keeps_the_rows_before_the_damage() {
    let mut case = Vec::new();
    let pixels: Vec<u8> = (0..64 * 96 * 3).map(|i| (i * 7 % 253) as u8).collect();
    let mut encoder = Encoder::new(&mut case, 80);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder.encode(&pixels, 64, 96, ColorType::Rgb).unwrap();
    let cut = &case[..case.len() * 3 / 4];
    let mut decoder = Decoder::new(SliceSource::new(cut)).unwrap();
    let mut rows = 0;
    let e = decoder.decode(&Options::default(), None, |_, _| rows += 1).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ScanTruncated);
    assert!(rows > 16 && rows < 96, "{rows} rows");
    assert_eq!(e.rows_output, rows);
    assert_eq!(e.marker, Some(0xDA));
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Byte flips, 0xFF/0x00 bytes, inserted and deleted runs, truncation.
fn mutate(data: &mut Vec<u8>, seed: &mut u64) {
    for _ in 0..1 + next(seed) % 4 {
        if data.is_empty() {
            return;
        }
        let at = (next(seed) % data.len() as u64) as usize;
        match next(seed) % 6 {
            0 => data[at] ^= 1 << (next(seed) % 8),
            1 => data[at] = 0xFF,
            2 => data[at] = next(seed) as u8,
            3 => {
                let n = (next(seed) % 8) as usize;
                for _ in 0..n {
                    data.insert(at, next(seed) as u8);
                }
            }
            4 => {
                let end = (at + (next(seed) % 16) as usize).min(data.len());
                data.drain(at..end);
            }
            _ => data.truncate(at),
        }
    }
    // The last bytes choose scale, region and format.
    data.push(next(seed) as u8);
    data.push(next(seed) as u8);
}

#[test]
fn fuzz_body_survives_seeded_mutations() {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for (color, sampling) in [
        (ColorType::Rgb, SamplingFactor::F_2_2),
        (ColorType::Rgb, SamplingFactor::F_2_1),
        (ColorType::Luma, SamplingFactor::F_1_1),
        (ColorType::Cmyk, SamplingFactor::F_1_1),
    ] {
        for progressive in [false, true] {
            seeds.push(encoded(color, sampling, progressive, if progressive { None } else { Some(2) }));
        }
    }
    // Progressive with restart markers (scan row checkpoints after a marker).
    seeds.push(encoded(ColorType::Rgb, SamplingFactor::F_2_2, true, Some(3)));
    for name in ["reftest/mozilla/jpg-size-17x17.jpg", "reftest/restarts.jpg", "reftest/progressive-missing-ac.jpg", "reftest/non-interleaved-mcu.jpg", "reftest/mozilla/jpg-progressive.jpg"] {
        seeds.push(std::fs::read(fixtures().join(name)).unwrap());
    }
    let iterations = std::env::var("PRIZM_JPEG_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000u32);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut rows = 0u64;
    let mut slowest = Duration::ZERO;
    for i in 0..iterations {
        let mut data = seeds[i as usize % seeds.len()].clone();
        mutate(&mut data, &mut seed);
        let started = Instant::now();
        rows += u64::from(fuzz_decode(&data));
        let elapsed = started.elapsed();
        slowest = slowest.max(elapsed);
        assert!(elapsed < TIME_LIMIT, "iteration {i} took {elapsed:?}");
    }
    println!("{iterations} mutated inputs, {rows} rows decoded, slowest {slowest:?}");
    assert!(rows > 0, "mutations left nothing decodable: the run tested nothing");
}

/// Pans along the rows of damaged progressive pictures wide enough for
/// column checkpoints (a band first, then narrow regions in its rows, one
/// a little lower): every decode ends in `Ok` or an error, in bounded time.
/// `PRIZM_JPEG_PAN_ITERATIONS` sets the mutations (default 400).
#[test]
fn pans_over_damaged_progressive_pictures_end_in_ok_or_an_error() {
    let (w, h) = (480u16, 96u16);
    let pixels: Vec<u8> = (0..usize::from(w) * usize::from(h) * 3).map(|i| (i * 37 % 251) as u8).collect();
    let mut seeds = Vec::new();
    for restart in [None, Some(7)] {
        let mut out = Vec::new();
        let mut encoder = Encoder::new(&mut out, 85);
        encoder.set_sampling_factor(SamplingFactor::F_2_2);
        encoder.set_progressive(true);
        if let Some(r) = restart {
            encoder.set_restart_interval(r);
        }
        encoder.encode(&pixels, w, h, ColorType::Rgb).unwrap();
        seeds.push(out);
    }
    // libjpeg's successive approximation.
    seeds.push(std::fs::read(fixtures().join("reftest/progressive3.jpg")).unwrap());
    let iterations = std::env::var("PRIZM_JPEG_PAN_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(400u32);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut decoded = 0u32;
    for i in 0..iterations {
        let mut data = seeds[i as usize % seeds.len()].clone();
        mutate(&mut data, &mut seed);
        let started = Instant::now();
        let Ok(mut decoder) = Decoder::new(SliceSource::new(&data)) else { continue };
        let (pw, ph) = decoder.output_size(Scale::Full);
        let (y, height) = (ph / 4, (ph / 2).max(1));
        let regions = [
            Region { x: 0, y, width: pw, height },
            Region { x: pw - pw / 5, y, width: (pw / 5).max(1), height },
            Region { x: pw / 3, y, width: (pw / 5).max(1), height },
            Region { x: pw / 2, y: y + 8, width: (pw / 5).max(1), height },
        ];
        for region in regions {
            let options = Options { region: Some(region), ..Options::default() };
            if decoder.decode(&options, None, |_, _| {}).is_ok() {
                decoded += 1;
            }
        }
        assert!(started.elapsed() < TIME_LIMIT, "iteration {i} took {:?}", started.elapsed());
    }
    println!("{iterations} damaged pictures panned, {decoded} decodes ended Ok");
    assert!(decoded > 0, "mutations left nothing decodable: the run tested nothing");
}
