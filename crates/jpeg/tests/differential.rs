//! Pictures made in the test, encoded with `jpeg-encoder` in every colour
//! type, sampling, progressive or not, with and without restart markers;
//! decoded by us and by `jpeg-decoder`, at every scale and for regions.

mod common;

use common::{box_filter, compare, decode, decode_with, Picture};
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use prizm_jpeg::{
    Decoder, Index, DEFAULT_PROGRESSIVE_MEMORY_LIMIT, Options, PixelFormat, Pixels, Region, Scale, SliceSource, Upsampling,
};

/// Full-size decodes: largest per-channel difference and lowest PSNR
/// against jpeg-decoder (measured: 5 and 52.6 dB). Both upsample with
/// libjpeg's triangle filter; the IDCTs round differently.
const FULL_TOLERANCE: u8 = 8;
const FULL_MIN_PSNR: f64 = 45.0;
/// Scaled decodes against a box-filtered full decode (measured: at least
/// 31.8 dB, on 4:2:0-like samplings at 1/2). The reduced transforms are
/// low-pass filters, not box filters: a hard edge comes out softer, and
/// subsampled chroma (decoded at its own resolution, not upsampled then
/// averaged) comes out sharper than the box filter of an upsampled one.
const SCALED_MIN_PSNR: f64 = 30.0;
/// Progressive at 1/8 keeps only each block's DC (the memory budget), so
/// subsampled chroma has one value per 16 or 32 pixels before upsampling;
/// on this test picture's saturated disc that measures 19.0–24.3 dB.
const PROGRESSIVE_EIGHTH_SUBSAMPLED_MIN_PSNR: f64 = 18.0;

/// Smooth gradients, a hard-edged disc and wide stripes (photo-like: the
/// reduced transforms are ideal low-pass filters, a box filter is not, so
/// stripes finer than the output's pixels would compare unfairly).
fn test_picture(width: usize, height: usize, channels: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(width * height * channels);
    for y in 0..height {
        for x in 0..width {
            let dx = x as i32 - width as i32 / 2;
            let dy = y as i32 - height as i32 / 3;
            let inside = dx * dx + dy * dy < (width as i32 / 4).pow(2);
            let stripes = if (x / 16 + y / 12) % 2 == 0 { 30 } else { 0 };
            let px = [
                (x * 255 / width) as u8,
                (y * 255 / height) as u8,
                if inside { 220 } else { 40 + stripes },
                ((x + y) * 127 / (width + height)) as u8,
            ];
            data.extend_from_slice(&px[..channels]);
        }
    }
    data
}

#[derive(Clone)]
struct Case {
    color: ColorType,
    sampling: SamplingFactor,
    progressive: bool,
    restart: Option<u16>,
    width: u16,
    height: u16,
}

fn encode(case: &Case) -> Vec<u8> {
    let channels = match case.color {
        ColorType::Luma => 1,
        ColorType::Rgb => 3,
        _ => 4,
    };
    encode_pixels(case, &test_picture(case.width.into(), case.height.into(), channels))
}

/// `case` with its pixels given (interleaved, its colour type's channels).
fn encode_pixels(case: &Case, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 90);
    encoder.set_sampling_factor(case.sampling);
    encoder.set_progressive(case.progressive);
    if let Some(interval) = case.restart {
        encoder.set_restart_interval(interval);
    }
    encoder.encode(pixels, case.width, case.height, case.color).unwrap();
    out
}

/// jpeg-decoder's full-size decode as RGB (CMYK/YCCK converted the way we do).
fn reference(jpeg: &[u8]) -> Picture {
    let mut decoder = jpeg_decoder::Decoder::new(jpeg);
    let data = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut picture = Picture::new(w, h);
    let scale = |a: u8, b: u8| ((u32::from(a) * u32::from(b) + 127) / 255) as u8;
    for i in 0..w * h {
        let rgb = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => [data[i]; 3],
            jpeg_decoder::PixelFormat::RGB24 => [data[i * 3], data[i * 3 + 1], data[i * 3 + 2]],
            jpeg_decoder::PixelFormat::CMYK32 => {
                let p = &data[i * 4..i * 4 + 4];
                // CMYK32 is ink amounts (for YCCK too).
                let cmy = [255 - p[0], 255 - p[1], 255 - p[2]];
                [scale(cmy[0], 255 - p[3]), scale(cmy[1], 255 - p[3]), scale(cmy[2], 255 - p[3])]
            }
            other => panic!("unexpected {other:?}"),
        };
        picture.rgb[i * 3..i * 3 + 3].copy_from_slice(&rgb);
    }
    picture
}

fn cases() -> Vec<Case> {
    use SamplingFactor::*;
    let mut cases = Vec::new();
    for progressive in [false, true] {
        for restart in [None, Some(3)] {
            for sampling in [F_1_1, F_2_1, F_1_2, F_2_2, F_4_1, F_4_2, F_1_4, F_2_4] {
                cases.push(Case { color: ColorType::Rgb, sampling, progressive, restart, width: 77, height: 53 });
            }
            cases.push(Case { color: ColorType::Luma, sampling: F_1_1, progressive, restart, width: 61, height: 40 });
            for color in [ColorType::Cmyk, ColorType::Ycck] {
                for sampling in [F_1_1, F_2_2] {
                    cases.push(Case { color, sampling, progressive, restart, width: 45, height: 37 });
                }
            }
        }
    }
    cases
}

fn describe(case: &Case) -> String {
    format!(
        "{:?} {:?} {} restart {:?} {}x{}",
        case.color,
        case.sampling,
        if case.progressive { "progressive" } else { "baseline" },
        case.restart,
        case.width,
        case.height
    )
}

#[test]
fn full_size_matches_jpeg_decoder() {
    let mut failures = Vec::new();
    for case in cases() {
        let jpeg = encode(&case);
        let ours = decode(&jpeg, Scale::Full);
        let theirs = reference(&jpeg);
        let (worst, psnr) = compare(&ours, &theirs, usize::MAX);
        println!("{}: max diff {worst}, PSNR {psnr:.1}", describe(&case));
        if worst > FULL_TOLERANCE || psnr < FULL_MIN_PSNR {
            failures.push(format!(
                "{}: max diff {worst}, PSNR {psnr:.1}",
                describe(&case)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Full-size decodes with `Upsampling::Fast` (chroma repeated, not
/// filtered) against jpeg-decoder (which filters like libjpeg): at colour
/// edges each pixel's chroma is up to half a chroma sample off, so single
/// pixels there differ a lot (measured: up to 84 on the saturated disc's
/// edge) while the picture as a whole stays close: PSNR at least 31.2 dB
/// (4:2:0 CMYK; 31.6 dB for 4:2:0 YCbCr), against 52.6 dB with `Smooth`.
const FAST_MIN_PSNR: f64 = 30.0;

#[test]
fn fast_upsampling_approximates_jpeg_decoder() {
    let mut failures = Vec::new();
    for case in cases() {
        let jpeg = encode(&case);
        let options = |upsampling| Options {
            upsampling,
            memory_limit: u32::MAX,
            progressive_memory_limit: u32::MAX,
            ..Options::default()
        };
        let (fast, result) = decode_with(&jpeg, &options(Upsampling::Fast));
        result.unwrap();
        let (smooth, _) = decode_with(&jpeg, &options(Upsampling::Smooth));
        let (worst, psnr) = compare(&fast, &reference(&jpeg), usize::MAX);
        println!("{} fast: max diff {worst}, PSNR {psnr:.1}", describe(&case));
        if psnr < FAST_MIN_PSNR {
            failures.push(format!("{}: PSNR {psnr:.1}", describe(&case)));
        }
        // `Smooth` filters only where every subsampled factor is 1 or 2
        // (4:2:2, 4:4:0, 4:2:0): the option changes exactly those pictures
        // (factor 4 is replicated either way).
        use SamplingFactor::*;
        let filtered =
            case.color != ColorType::Luma && matches!(case.sampling, F_2_1 | F_1_2 | F_2_2);
        if (fast.rgb != smooth.rgb) != filtered {
            failures.push(format!("{}: fast and smooth decodes {}", describe(&case), if filtered { "equal" } else { "differ" }));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scaled_decodes_approximate_box_filtered_full_decodes() {
    let mut failures = Vec::new();
    for case in cases() {
        let jpeg = encode(&case);
        let theirs = reference(&jpeg);
        for (scale, div) in [(Scale::Half, 2), (Scale::Quarter, 4), (Scale::Eighth, 8)] {
            let ours = decode(&jpeg, scale);
            let expected = box_filter(&theirs, div);
            let (worst, psnr) = compare(&ours, &expected, usize::MAX);
            println!("{} 1/{div}: max diff {worst}, PSNR {psnr:.1}", describe(&case));
            let subsampled = !matches!(case.sampling, SamplingFactor::F_1_1) && case.color != ColorType::Luma;
            let min_psnr = if case.progressive && div == 8 && subsampled {
                PROGRESSIVE_EIGHTH_SUBSAMPLED_MIN_PSNR
            } else {
                SCALED_MIN_PSNR
            };
            if psnr < min_psnr {
                failures.push(format!("{} 1/{div}: max diff {worst}, PSNR {psnr:.1}", describe(&case)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn regions_equal_the_same_part_of_a_full_decode() {
    for (case, upsampling) in cases()
        .into_iter()
        .step_by(3)
        .flat_map(|case| [Upsampling::Smooth, Upsampling::Fast].map(|u| (case.clone(), u)))
    {
        let jpeg = encode(&case);
        for scale in [Scale::Full, Scale::Half, Scale::Quarter, Scale::Eighth] {
            let whole = Options {
                scale,
                upsampling,
                memory_limit: u32::MAX,
                progressive_memory_limit: u32::MAX,
                ..Options::default()
            };
            let full = decode_with(&jpeg, &whole).0;
            let (w, h) = (full.width as u32, full.height as u32);
            // Regions starting at an MCU's edge (for every MCU size), where
            // upsampling needs the MCUs left of and above the region: one
            // in the middle, one where the test picture's stripes change
            // colour both ways (source column 32, row 48).
            let d = scale.divisor();
            let aligned = [(w / 2, h / 2), ((32 / d).min(w - 1), (48 / d).min(h - 1))]
                .into_iter()
                .flat_map(|(x, y)| [2, 8, 16, 32].map(|a| Region { x: x / a * a, y: y / a * a, width: 4, height: 3 }));
            for region in [
                Region { x: w / 3, y: h / 2, width: w / 3 + 1, height: h / 4 + 1 },
                Region { x: 0, y: 0, width: 1, height: 1 },
                Region { x: w - 1, y: h - 1, width: 5, height: 5 },
                Region { x: w / 2, y: 0, width: w, height: h },
            ]
            .into_iter()
            .chain(aligned)
            {
                let options = Options {
                    region: Some(region),
                    ..whole
                };
                let (part, result) = decode_with(&jpeg, &options);
                let summary = result.unwrap();
                assert_eq!(summary.rows as usize, part.height);
                for y in 0..part.height {
                    for x in 0..part.width {
                        assert_eq!(
                            part.at(x, y),
                            full.at(x + region.x as usize, y + region.y as usize),
                            "{} {scale:?} {upsampling:?} {region:?} at {x},{y}",
                            describe(&case)
                        );
                    }
                }
            }
        }
    }
}

/// Decodes `region` at `scale` with `index` (if any) and checks every pixel
/// against `full`, the whole picture decoded at the same scale.
fn decode_region_and_compare(jpeg: &[u8], full: &Picture, scale: Scale, region: Region, index: Option<&mut Index>) -> prizm_jpeg::Summary {
    let mut decoder = Decoder::new(SliceSource::new(jpeg)).unwrap();
    let options = Options { scale, region: Some(region), ..Options::default() };
    decode_and_compare(&mut decoder, &options, full, index, "")
}

/// Decodes `options`' region with `decoder` (RGB888) and checks every
/// pixel against the same part of `full`.
fn decode_and_compare(decoder: &mut Decoder<SliceSource<'_>>, options: &Options, full: &Picture, index: Option<&mut Index>, what: &str) -> prizm_jpeg::Summary {
    let region = options.region.unwrap();
    let mut rows = 0;
    let summary = decoder
        .decode(options, index, |y, row| {
            let Pixels::Rgb888(rgb) = row else { unreachable!() };
            for x in 0..region.width as usize {
                let got = [rgb[x * 3], rgb[x * 3 + 1], rgb[x * 3 + 2]];
                assert_eq!(got, full.at(x + region.x as usize, y as usize), "{what} {region:?} at ({x}, {y})");
            }
            rows += 1;
        })
        .unwrap_or_else(|e| panic!("{what} {region:?}: {e}"));
    assert_eq!(rows, region.height, "{what} {region:?}");
    summary
}

#[test]
fn an_index_starts_region_decodes_near_the_region_with_the_same_pixels() {
    for (color, sampling) in [(ColorType::Rgb, SamplingFactor::F_2_2), (ColorType::Rgb, SamplingFactor::F_2_1), (ColorType::Luma, SamplingFactor::F_1_1)] {
        for restart in [None, Some(1), Some(5)] {
            let case = Case { color, sampling, progressive: false, restart, width: 600, height: 400 };
            let jpeg = encode(&case);
            let full = decode(&jpeg, Scale::Half);
            let mut index = Index::with_capacity(256);
            Decoder::new(SliceSource::new(&jpeg)).unwrap().build_index(&mut index).unwrap();
            assert_eq!(index.stride(), 1, "every MCU row has checkpoints");
            assert!(index.column_stride() > 1 && index.len() <= 256, "{} columns apart, {} kept", index.column_stride(), index.len());
            // Top left, in the middle of the right half, at the bottom right
            // corner, one pixel, the whole width.
            for region in [
                Region { x: 0, y: 0, width: 40, height: 20 },
                Region { x: 20, y: 150, width: 100, height: 30 },
                Region { x: 210, y: 60, width: 50, height: 90 },
                Region { x: 260, y: 180, width: 40, height: 20 },
                Region { x: 299, y: 199, width: 1, height: 1 },
                Region { x: 0, y: 100, width: 300, height: 10 },
            ] {
                let plain = decode_region_and_compare(&jpeg, &full, Scale::Half, region, None);
                let indexed = decode_region_and_compare(&jpeg, &full, Scale::Half, region, Some(&mut index));
                assert!(indexed.mcus_decoded <= plain.mcus_decoded, "{region:?}");
                if region.y >= 60 {
                    assert!(indexed.start_row > 0, "{region:?} started at the top");
                }
                if region.width <= 100 && region.x >= 200 {
                    // Narrow and on the right: the rows' other MCUs are jumped over.
                    assert!(
                        indexed.mcus_decoded * 3 < plain.mcus_decoded,
                        "{region:?}: {} MCUs with the index, {} without",
                        indexed.mcus_decoded,
                        plain.mcus_decoded
                    );
                    assert!(indexed.start_column > 0, "{region:?}");
                }
            }
        }
    }
}

#[test]
fn a_region_decode_fills_the_index_it_is_given() {
    // No build_index: a whole decode at 1/8 records the checkpoints that a
    // later region decode starts from.
    let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: false, restart: None, width: 640, height: 480 };
    let jpeg = encode(&case);
    let full = decode(&jpeg, Scale::Full);
    let mut index = Index::new();
    let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
    decoder.decode(&Options { scale: Scale::Eighth, ..Options::default() }, Some(&mut index), |_, _| {}).unwrap();
    assert!(!index.is_empty());
    let region = Region { x: 500, y: 300, width: 100, height: 100 };
    let summary = decode_region_and_compare(&jpeg, &full, Scale::Full, region, Some(&mut index));
    let all = 40 * 30;
    assert!(summary.mcus_decoded < all / 4, "{} of {all} MCUs", summary.mcus_decoded);
}

#[test]
fn an_index_made_for_another_picture_is_not_used() {
    let a = encode(&Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: false, restart: None, width: 320, height: 240 });
    let b = encode(&Case { color: ColorType::Luma, sampling: SamplingFactor::F_1_1, progressive: false, restart: Some(3), width: 320, height: 240 });
    let mut index = Index::new();
    Decoder::new(SliceSource::new(&a)).unwrap().build_index(&mut index).unwrap();
    let full = decode(&b, Scale::Full);
    let region = Region { x: 200, y: 150, width: 60, height: 40 };
    let summary = decode_region_and_compare(&b, &full, Scale::Full, region, Some(&mut index));
    assert_eq!(summary.start_row, 0, "the other picture's checkpoints were forgotten");
}

#[test]
fn tall_pictures_get_every_few_rows_at_column_0() {
    let case = Case { color: ColorType::Luma, sampling: SamplingFactor::F_1_1, progressive: false, restart: None, width: 16, height: 8 * 300 };
    let jpeg = encode(&case);
    let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
    let mut index = Index::with_capacity(128);
    decoder.build_index(&mut index).unwrap();
    assert!(index.len() <= 128);
    assert_eq!(index.stride(), 4, "300 rows in 128 checkpoints");
    assert_eq!(index.len(), 75);
    let full = decode(&jpeg, Scale::Full);
    let region = Region { x: 0, y: 2001, width: 16, height: 7 };
    let summary = decode_region_and_compare(&jpeg, &full, Scale::Full, region, Some(&mut index));
    assert!(summary.start_row >= 240);
}

#[test]
fn the_smallest_index_keeps_one_checkpoint_and_decodes_still_match() {
    // A zero-capacity index still gets one checkpoint (the minimum), and a
    // region decode with it matches the plain one.
    let jpeg = encode(&Case { color: ColorType::Rgb, sampling: SamplingFactor::F_1_1, progressive: false, restart: None, width: 64, height: 64 });
    let full = decode(&jpeg, Scale::Full);
    let mut index = Index::with_capacity(0);
    Decoder::new(SliceSource::new(&jpeg)).unwrap().build_index(&mut index).unwrap();
    assert_eq!(index.len(), 1);
    let summary = decode_region_and_compare(&jpeg, &full, Scale::Full, Region { x: 30, y: 40, width: 20, height: 20 }, Some(&mut index));
    assert_eq!(summary.start_row, 0);
}

#[test]
fn rgb565_output_packs_the_rgb888_values() {
    let jpeg = encode(&Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: false, restart: None, width: 40, height: 30 });
    let full = decode(&jpeg, Scale::Full);
    for format in [PixelFormat::Rgb565, PixelFormat::Rgb565Dithered] {
        let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
        let mut differences = 0;
        decoder
            .decode(&Options { format, ..Options::default() }, None, |y, row| {
                let Pixels::Rgb565(values) = row else { panic!("asked for RGB565") };
                assert_eq!(values.len(), 40);
                for (x, &v) in values.iter().enumerate() {
                    let [r, g, b] = full.at(x, y as usize);
                    let plain = (u16::from(r >> 3) << 11) | (u16::from(g >> 2) << 5) | u16::from(b >> 3);
                    if format == PixelFormat::Rgb565 {
                        assert_eq!(v, plain);
                    } else {
                        // Dithering moves each channel by at most one step, upwards.
                        assert!((v >> 11) - (plain >> 11) <= 1 && ((v >> 5) & 63) - ((plain >> 5) & 63) <= 1);
                        differences += usize::from(v != plain);
                    }
                }
            })
            .unwrap();
        if format == PixelFormat::Rgb565Dithered {
            assert!(differences > 0, "dithering changed nothing");
        }
    }
}

#[test]
fn baseline_working_memory_stays_within_48_kib_for_a_screen_sized_region_of_a_large_image() {
    // 4000×3000-class geometry without encoding 12 MP in a test: 2400×1800, 4:2:0.
    let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: false, restart: None, width: 2400, height: 1800 };
    let jpeg = encode(&case);
    let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
    for scale in [Scale::Full, Scale::Half, Scale::Quarter, Scale::Eighth] {
        let options = Options {
            scale,
            region: Some(Region { x: 100, y: 100, width: 384, height: 216 }),
            format: PixelFormat::Rgb565,
            ..Options::default()
        };
        let summary = decoder.decode(&options, None, |_, _| {}).unwrap();
        println!("{scale:?}: {} bytes", summary.working_memory);
        assert!(summary.working_memory <= 48 * 1024, "{scale:?}: {} bytes", summary.working_memory);
    }
    // The whole width at 1/1 does not fit: refused, not allocated.
    let error = decoder.decode(&Options::default(), None, |_, _| {}).unwrap_err();
    assert!(matches!(error.kind, prizm_jpeg::ErrorKind::TooLarge { .. }), "{error}");
}

#[test]
fn progressive_decodes_larger_than_the_memory_limit_go_in_bands_with_the_same_pixels() {
    let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: true, restart: None, width: 200, height: 150 };
    let jpeg = encode(&case);
    for scale in [Scale::Full, Scale::Eighth] {
        let whole = decode(&jpeg, scale);
        // A 1-KiB input buffer: the limits below leave room for a few MCU rows only.
        let mut decoder = Decoder::with_input_buffer(SliceSource::new(&jpeg), 1024).unwrap();
        let limit = if scale == Scale::Full { 80 * 1024 } else { 30 * 1024 };
        let options = Options { scale, progressive_memory_limit: limit, ..Options::default() };
        let mut next = 0;
        let summary = decoder
            .decode(&options, None, |y, row| {
                assert_eq!(y, next);
                next += 1;
                let Pixels::Rgb888(rgb) = row else { unreachable!() };
                for x in 0..whole.width {
                    assert_eq!([rgb[x * 3], rgb[x * 3 + 1], rgb[x * 3 + 2]], whole.at(x, y as usize), "{scale:?} at {x},{y}");
                }
            })
            .unwrap();
        assert_eq!(summary.rows as usize, whole.height);
        assert!(summary.working_memory <= limit, "{} > {limit}", summary.working_memory);
        println!("{scale:?}: {} bytes", summary.working_memory);
    }
}

/// A call the decoder made to its source.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Call {
    Read { len: usize },
    Seek,
    ReadAt { len: usize, position: u64 },
}

/// What a [`RecordingSource`] saw: the bytes it handed out and each call.
#[derive(Default)]
struct Record {
    bytes_read: std::cell::Cell<usize>,
    calls: std::cell::RefCell<Vec<Call>>,
}

/// A source over bytes in memory that records what the decoder asks of it.
struct RecordingSource<'a> {
    inner: SliceSource<'a>,
    record: std::rc::Rc<Record>,
}

impl<'a> RecordingSource<'a> {
    /// The source over `bytes`, and its record.
    fn new(bytes: &'a [u8]) -> (Self, std::rc::Rc<Record>) {
        let record = std::rc::Rc::new(Record::default());
        (RecordingSource { inner: SliceSource::new(bytes), record: record.clone() }, record)
    }

    fn count(&self, n: usize) -> usize {
        self.record.bytes_read.set(self.record.bytes_read.get() + n);
        n
    }
}

impl prizm_jpeg::ByteSource for RecordingSource<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, prizm_jpeg::ReadError> {
        self.record.calls.borrow_mut().push(Call::Read { len: buf.len() });
        let n = self.inner.read(buf)?;
        Ok(self.count(n))
    }
    fn seek(&mut self, position: u64) -> Result<(), prizm_jpeg::ReadError> {
        self.record.calls.borrow_mut().push(Call::Seek);
        self.inner.seek(position)
    }
    fn read_at(&mut self, buf: &mut [u8], position: u64) -> Result<usize, prizm_jpeg::ReadError> {
        self.record.calls.borrow_mut().push(Call::ReadAt { len: buf.len(), position });
        self.inner.seek(position)?;
        let n = self.inner.read(buf)?;
        Ok(self.count(n))
    }
}

/// The RGB888 rows of one decode with `decoder`, end to end.
fn rgb_of<S: prizm_jpeg::ByteSource>(decoder: &mut Decoder<S>, options: &Options) -> Vec<u8> {
    let mut pixels = Vec::new();
    decoder
        .decode(options, None, |_, row| {
            let Pixels::Rgb888(rgb) = row else { unreachable!() };
            pixels.extend_from_slice(rgb);
        })
        .unwrap();
    pixels
}

#[test]
fn progressive_passes_after_the_first_seek_past_the_scans_they_skip() {
    let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: true, restart: None, width: 400, height: 300 };
    let jpeg = encode(&case);
    let whole = decode(&jpeg, Scale::Eighth);
    let (source, record) = RecordingSource::new(&jpeg);
    let mut decoder = Decoder::with_input_buffer(source, 256).unwrap();
    let options = Options { scale: Scale::Eighth, ..Options::default() };
    let mut passes = Vec::new();
    for _ in 0..2 {
        record.bytes_read.set(0);
        let pixels = rgb_of(&mut decoder, &options);
        assert!(pixels == whole.rgb, "a pass that seeks gives the same pixels");
        passes.push(record.bytes_read.get());
    }
    println!("bytes read: {passes:?} of {}", jpeg.len());
    // At 1/8 the AC scans (most of the file) are skipped: the first pass
    // reads through them, the second seeks past them.
    assert!(passes[0] >= jpeg.len() * 9 / 10, "{passes:?}");
    assert!(passes[1] < jpeg.len() / 2, "{passes:?}");
}

#[test]
fn a_jump_is_one_positioned_read_starting_small_then_reads_grow_to_the_buffer() {
    let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: false, restart: None, width: 1200, height: 900 };
    let jpeg = encode(&case);
    let full = decode(&jpeg, Scale::Full);
    let (source, record) = RecordingSource::new(&jpeg);
    let log = &record.calls;
    let mut decoder = Decoder::new(source).unwrap();
    let buffer = 32 * 1024;
    decoder.set_input_buffer(buffer).unwrap();
    let mut index = Index::with_capacity(1024);
    let options = |region| Options { region: Some(region), memory_limit: 96 * 1024, ..Options::default() };
    let check = |decoder: &mut Decoder<RecordingSource<'_>>, index: &mut Index, region: Region| {
        decoder
            .decode(&options(region), Some(index), |y, row| {
                let Pixels::Rgb888(rgb) = row else { unreachable!() };
                for x in 0..region.width as usize {
                    let got = [rgb[x * 3], rgb[x * 3 + 1], rgb[x * 3 + 2]];
                    assert_eq!(got, full.at(x + region.x as usize, y as usize), "{region:?} at ({x}, {y})");
                }
            })
            .unwrap()
    };
    // The whole picture front to back (recording checkpoints): reads grow
    // to the buffer's size and never seek.
    log.borrow_mut().clear();
    check(&mut decoder, &mut index, Region { x: 0, y: 0, width: 1200, height: 900 });
    let calls = log.borrow().clone();
    assert!(!calls.contains(&Call::Seek), "{calls:?}");
    assert!(calls.contains(&Call::Read { len: buffer }), "{calls:?}");
    // A region far down and right: one positioned read per jump, each
    // starting at 4 KiB after a long jump, the next reads of the same
    // stretch larger; a hop of less than 4 KiB past the bytes read keeps
    // the size growing instead.
    log.borrow_mut().clear();
    let summary = check(&mut decoder, &mut index, Region { x: 900, y: 600, width: 200, height: 100 });
    assert!(summary.start_row > 0 && summary.start_column > 0, "{summary:?}");
    let calls = log.borrow().clone();
    assert!(!calls.contains(&Call::Seek), "{calls:?}");
    let jumps: Vec<_> = calls.iter().filter_map(|c| if let Call::ReadAt { len, position } = *c { Some((len, position)) } else { None }).collect();
    assert!(jumps.len() >= 2, "a jump to the start and one a row: {calls:?}");
    assert!(jumps.windows(2).all(|w| w[0].1 < w[1].1), "rows further down the file: {calls:?}");
    let (mut end, mut last_len, mut long, mut short) = (u64::MAX, 0, 0, 0);
    for call in &calls {
        match *call {
            Call::ReadAt { len, position } => {
                if position > end && position - end < 4096 {
                    short += 1;
                    assert_eq!(len, (last_len * 2).min(buffer), "a short hop keeps growing: {calls:?}");
                } else {
                    long += 1;
                    assert_eq!(len, 4096, "{calls:?}");
                }
                (end, last_len) = (position + len as u64, len);
            }
            Call::Read { len } => {
                assert_eq!(len, (last_len * 2).min(buffer), "{calls:?}");
                (end, last_len) = (end + len as u64, len);
            }
            _ => {}
        }
    }
    assert!(long >= 1, "{calls:?}");
    println!("{long} long jumps, {short} short hops");
}

#[test]
fn a_new_input_buffer_keeps_the_bytes_not_yet_read() {
    let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_1, progressive: false, restart: Some(3), width: 300, height: 200 };
    let jpeg = encode(&case);
    let full = decode(&jpeg, Scale::Full);
    // Larger than, equal to and smaller than what is buffered after the headers.
    for size in [64 * 1024, 8 * 1024, 100, 64] {
        let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
        decoder.set_input_buffer(size).unwrap();
        let mut rows = 0;
        decoder
            .decode(&Options { memory_limit: u32::MAX, ..Options::default() }, None, |y, row| {
                let Pixels::Rgb888(rgb) = row else { unreachable!() };
                for x in 0..300 {
                    assert_eq!([rgb[x * 3], rgb[x * 3 + 1], rgb[x * 3 + 2]], full.at(x, y as usize), "buffer {size} at ({x}, {y})");
                }
                rows += 1;
            })
            .unwrap();
        assert_eq!(rows, 200, "buffer {size}");
    }
}

#[test]
fn dithered_rgb565_is_the_ordered_dither_of_the_rgb888_values_in_any_region() {
    let jpeg = encode(&Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: false, restart: None, width: 61, height: 30 });
    let full = decode(&jpeg, Scale::Full);
    // 4×4 Bayer thresholds; channels get `t/2` (5 bits) or `t/4` (6 bits) before truncation.
    let bayer = [0u8, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];
    for (x0, width) in [(0, 61), (3, 41), (9, 13), (5, 2)] {
        let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
        let options = Options {
            format: PixelFormat::Rgb565Dithered,
            region: Some(Region { x: x0, y: 1, width, height: 27 }),
            ..Options::default()
        };
        decoder
            .decode(&options, None, |y, row| {
                let Pixels::Rgb565(values) = row else { panic!("asked for RGB565") };
                assert_eq!(values.len(), width as usize);
                for (k, &v) in values.iter().enumerate() {
                    let x = x0 as usize + k;
                    let [r, g, b] = full.at(x, y as usize);
                    let t = bayer[(y as usize & 3) * 4 + (x & 3)];
                    let (r, g, b) = (r.saturating_add(t / 2), g.saturating_add(t / 4), b.saturating_add(t / 2));
                    let expected = (u16::from(r >> 3) << 11) | (u16::from(g >> 2) << 5) | u16::from(b >> 3);
                    assert_eq!(v, expected, "pixel ({x}, {y}) of region at x {x0}");
                }
            })
            .unwrap();
    }
}

/// Decodes `region` at 1/1 with `decoder` (kept between calls) within the
/// progressive memory `limit`, checks every pixel against `whole`, and
/// returns the bytes read, the working memory and, of it, the checkpoints
/// the decoder keeps between decodes.
fn pan_step(decoder: &mut Decoder<RecordingSource<'_>>, record: &Record, whole: &Picture, region: Region, limit: u32, what: &str) -> (usize, u32, u32) {
    record.bytes_read.set(0);
    let options = Options { region: Some(region), progressive_memory_limit: limit, ..Options::default() };
    let mut rows = 0;
    let summary = decoder
        .decode(&options, None, |y, row| {
            let Pixels::Rgb888(rgb) = row else { unreachable!() };
            for x in 0..region.width as usize {
                let got = [rgb[x * 3], rgb[x * 3 + 1], rgb[x * 3 + 2]];
                assert_eq!(got, whole.at(x + region.x as usize, y as usize), "{what} {region:?} at ({x}, {y})");
            }
            rows += 1;
        })
        .unwrap_or_else(|e| panic!("{what} {region:?}: {e}"));
    assert_eq!(rows, region.height, "{what} {region:?}");
    (record.bytes_read.get(), summary.working_memory, summary.checkpoint_memory)
}

/// After a pass over a progressive or multi-scan picture, a decode of
/// another region starts every scan at the recorded MCU row above it: the
/// same pixels, fewer bytes read, and refinement history only for the rows
/// it passes. (libjpeg-made fixtures cover successive approximation and
/// restart intervals; generated pictures cover samplings and intervals.)
#[test]
fn progressive_pans_start_each_scan_at_a_recorded_row() {
    let mut pictures: Vec<(String, Vec<u8>)> = Vec::new();
    for (color, sampling) in [(ColorType::Rgb, SamplingFactor::F_2_2), (ColorType::Rgb, SamplingFactor::F_1_2), (ColorType::Luma, SamplingFactor::F_1_1)] {
        for restart in [None, Some(1), Some(5)] {
            let case = Case { color, sampling, progressive: true, restart, width: 320, height: 400 };
            pictures.push((describe(&case), encode(&case)));
        }
    }
    for name in ["reftest/progressive3.jpg", "reftest/mozilla/jpg-progressive.jpg", "reftest/non-interleaved-mcu.jpg"] {
        pictures.push((name.into(), std::fs::read(common::fixtures().join(name)).unwrap()));
    }
    for (what, jpeg) in &pictures {
        let whole = decode(jpeg, Scale::Full);
        let (w, h) = (whole.width as u32, whole.height as u32);
        let (source, record) = RecordingSource::new(jpeg);
        let mut decoder = Decoder::with_input_buffer(source, 256).unwrap();
        let view = |x: u32, y: u32| Region { x, y, width: (w / 3).max(1), height: (h / 4).max(1) };
        // The first view, in the middle: every scan is read from its top.
        let first = pan_step(&mut decoder, &record, &whole, view(w / 3, h / 3), u32::MAX, what);
        // Right (same rows), then down to the bottom, then back up.
        let right = pan_step(&mut decoder, &record, &whole, view(w / 2, h / 3), u32::MAX, what);
        let bottom = pan_step(&mut decoder, &record, &whole, view(w / 2, h - h / 4), u32::MAX, what);
        let top = pan_step(&mut decoder, &record, &whole, view(0, 0), u32::MAX, what);
        // The bottom view decoded by a fresh decoder: history from the top.
        let (fresh_source, fresh_record) = RecordingSource::new(jpeg);
        let mut fresh = Decoder::with_input_buffer(fresh_source, 256).unwrap();
        let fresh_bottom = pan_step(&mut fresh, &fresh_record, &whole, view(w / 2, h - h / 4), u32::MAX, what);
        println!("{what}: bytes read, memory: first {first:?}, right {right:?}, bottom {bottom:?} (fresh {fresh_bottom:?}), top {top:?} of {}", jpeg.len());
        if h >= 200 {
            // Each later step starts every scan near its rows.
            assert!(right.0 < first.0 * 3 / 4, "{what}: {first:?} then {right:?}");
            assert!(top.0 < first.0 * 3 / 4, "{what}: {first:?} then {top:?}");
            assert!(bottom.0 < fresh_bottom.0 * 3 / 4, "{what}: {bottom:?}, fresh {fresh_bottom:?}");
            // Less refinement history (the checkpoints, kept from the
            // earlier steps, aside).
            assert!(bottom.1 - bottom.2 < fresh_bottom.1 - fresh_bottom.2, "{what}: less history: {bottom:?}, fresh {fresh_bottom:?}");
        }
    }
}

/// After a pass over whole rows of a progressive picture, a narrow region
/// in the same rows reads each row of each single-component scan from the
/// column checkpoint at or left of it to its right edge only: the same
/// pixels, far fewer bytes, and refinement history only for those columns
/// (libjpeg's `progressive3.jpg` has successive approximation).
#[test]
fn pans_along_the_same_rows_read_from_column_checkpoints() {
    let mut pictures: Vec<(String, Vec<u8>)> = Vec::new();
    // Photo-like detail (the smooth test picture compresses to a few bytes
    // a row, less than one read after a jump).
    let mut seed = 1u32;
    for (color, sampling, restart) in [(ColorType::Rgb, SamplingFactor::F_2_2, None), (ColorType::Rgb, SamplingFactor::F_2_2, Some(5)), (ColorType::Luma, SamplingFactor::F_1_1, None)] {
        let case = Case { color, sampling, progressive: true, restart, width: 1024, height: 256 };
        let channels = if color == ColorType::Luma { 1 } else { 3 };
        let smooth = test_picture(1024, 256, channels);
        let detailed: Vec<u8> = smooth
            .iter()
            .map(|&v| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                v.saturating_add((seed >> 27) as u8)
            })
            .collect();
        pictures.push((describe(&case), encode_pixels(&case, &detailed)));
    }
    let name = "reftest/progressive3.jpg";
    pictures.push((name.into(), std::fs::read(common::fixtures().join(name)).unwrap()));
    for (what, jpeg) in &pictures {
        let whole = decode(jpeg, Scale::Full);
        let (w, h) = (whole.width as u32, whole.height as u32);
        let (source, record) = RecordingSource::new(jpeg);
        let mut decoder = Decoder::with_input_buffer(source, 256).unwrap();
        let (y, height) = (h / 4, h / 2);
        let band = pan_step(&mut decoder, &record, &whole, Region { x: 0, y, width: w, height }, u32::MAX, what);
        let right = pan_step(&mut decoder, &record, &whole, Region { x: w - w / 8, y, width: w / 8, height }, u32::MAX, what);
        let left = pan_step(&mut decoder, &record, &whole, Region { x: 0, y, width: w / 8, height }, u32::MAX, what);
        let middle = pan_step(&mut decoder, &record, &whole, Region { x: w / 2, y: y + 8, width: w / 8, height: height - 16 }, u32::MAX, what);
        println!("{what}: bytes read, memory, checkpoints: band {band:?}, right {right:?}, left {left:?}, middle {middle:?} of {}", jpeg.len());
        for (step, pan) in [("right", right), ("left", left), ("middle", middle)] {
            assert!(pan.1 - pan.2 < band.1 - band.2, "{what} {step}: less history: {pan:?}, band {band:?}");
            // With restart markers every few blocks the bit reader often
            // holds the next marker where a checkpoint falls, and such a
            // state is not recorded: those rows are read whole (same pixels).
            if !what.contains("restart Some") {
                assert!(pan.0 < band.0 / 2, "{what} {step}: {pan:?}, band {band:?}");
            }
        }
    }
}

/// A progressive picture decoded in bands under the default memory limit
/// gives the pixels of one pass without a limit, with either upsampling.
/// (Every scan of a band starts at one row where all have a checkpoint: a
/// scan started at its own nearest one, below where an earlier scan of the
/// same band started, read refinement bits without their history, and
/// progressive3.jpg failed with a bad Huffman code once the column
/// checkpoints grew and the bands changed.)
#[test]
fn banded_progressive_decodes_equal_one_pass() {
    for name in ["reftest/progressive3.jpg", "reftest/mozilla/jpg-progressive.jpg", "reftest/non-interleaved-mcu.jpg", "reftest/partial_progressive.jpg"] {
        let jpeg = std::fs::read(common::fixtures().join(name)).unwrap();
        for upsampling in [Upsampling::Fast, Upsampling::Smooth] {
            let one_pass = Options { upsampling, progressive_memory_limit: u32::MAX, ..Options::default() };
            let (want, result) = decode_with(&jpeg, &one_pass);
            let Ok(summary) = result else { continue };
            assert!(summary.rows > 0, "{name}");
            let banded = Options { upsampling, ..Options::default() };
            let (got, result) = decode_with(&jpeg, &banded);
            result.unwrap_or_else(|e| panic!("{name} {upsampling:?}: {e}"));
            assert_eq!(got.rgb, want.rgb, "{name} {upsampling:?}");
        }
    }
}

/// A region read in a pass leaves checkpoints at its left and right edges
/// in every row (off the column grid): a pan right then starts each row
/// where the region ended, and a pan left where a one-pixel strip read
/// ahead at its edge started, with the same pixels (libjpeg's
/// `progressive3.jpg` has successive approximation).
#[test]
fn pans_start_at_the_edges_of_the_regions_read_before() {
    let mut pictures: Vec<(String, Vec<u8>)> = Vec::new();
    let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: true, restart: None, width: 1024, height: 256 };
    pictures.push((describe(&case), encode(&case)));
    let case = Case { color: ColorType::Luma, sampling: SamplingFactor::F_1_1, progressive: true, restart: Some(7), width: 1024, height: 256 };
    pictures.push((describe(&case), encode(&case)));
    let name = "reftest/progressive3.jpg";
    pictures.push((name.into(), std::fs::read(common::fixtures().join(name)).unwrap()));
    for (what, jpeg) in &pictures {
        // Chroma repeated, as the viewer has it: a region's MCUs are its own.
        let fast = Options { upsampling: Upsampling::Fast, ..Options::default() };
        let whole = decode_with(jpeg, &fast).0;
        let (w, h) = (whole.width as u32, whole.height as u32);
        let mut decoder = Decoder::with_input_buffer(SliceSource::new(jpeg), 256).unwrap();
        let info = decoder.info();
        let mcu_w = 8 * u32::from(info.sampling[..usize::from(info.components)].iter().map(|s| s.0).max().unwrap_or(1));
        let (y, height) = (h / 4, h / 2);
        // A view off the column grid (every 32 blocks or more here).
        let (x, width) = (mcu_w * 5, mcu_w * 12);
        assert!(x + width + 2 * mcu_w <= w, "{what}");
        let mut start_of = |region: Region| {
            let options = Options { region: Some(region), ..fast };
            decode_and_compare(&mut decoder, &options, &whole, None, what).start_column
        };
        start_of(Region { x, y, width, height });
        let right = start_of(Region { x: x + width, y, width: mcu_w * 2, height });
        // A strip one pixel wide at the left pan's edge, then the pan.
        let left = x - mcu_w * 3;
        start_of(Region { x: left, y, width: 1, height });
        let start = start_of(Region { x: left, y, width: mcu_w * 3, height });
        if what.contains("restart Some") {
            // Where a restart marker waits in the bit buffer nothing is
            // kept: such rows start earlier (the same pixels, checked).
            assert!(right <= (x + width) / mcu_w && start <= left / mcu_w, "{what}: {right}, {start}");
        } else {
            assert_eq!(right, (x + width) / mcu_w, "{what}: a pan right starts where the view ended");
            assert_eq!(start, left / mcu_w, "{what}: a pan left starts at the strip read ahead");
        }
    }
}

/// Under the default memory limit a view of a wide progressive picture is
/// decoded in bands that leave the column checkpoints of every scan room,
/// as much as with no limit: the viewer's steps (fit at 1/8, zoom in to 1/1
/// at the middle), then a pan right that starts every scan from them.
/// (Once a picture without AC refinement needed no history, the tallest
/// band that fitted took that room and the chroma scans were read whole.)
#[test]
fn views_under_the_memory_limit_keep_every_scans_column_checkpoints() {
    let (w, h) = (4000u32, 3000u32);
    // Photo-like: smooth gradients, rings and a fine texture.
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    for (i, px) in rgb.chunks_exact_mut(3).enumerate() {
        let (x, y) = (i % w as usize, i / w as usize);
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let ring = ((fx - 0.5).hypot(fy - 0.5) * 40.0).sin() * 30.0;
        let texture = ((x * 7 + y * 13) % 17) as f32 * 1.5;
        px[0] = (90.0 + 120.0 * fx + ring + texture).clamp(0.0, 255.0) as u8;
        px[1] = (60.0 + 150.0 * fy - ring).clamp(0.0, 255.0) as u8;
        px[2] = (200.0 - 120.0 * fx * fy + texture).clamp(0.0, 255.0) as u8;
    }
    let mut jpeg = Vec::new();
    let mut encoder = Encoder::new(&mut jpeg, 92);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder.set_progressive(true);
    encoder.encode(&rgb, w as u16, h as u16, ColorType::Rgb).unwrap();
    let mut kept = Vec::new();
    for limit in [u32::MAX, DEFAULT_PROGRESSIVE_MEMORY_LIMIT] {
        // The default input buffer, as the viewer has (its memory counts).
        let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
        let mut step = |divisor: u32, region: Option<Region>| {
            let options = Options {
                scale: Scale::from_divisor(divisor).unwrap(),
                region,
                format: PixelFormat::Rgb565Dithered,
                upsampling: Upsampling::Fast,
                progressive_memory_limit: limit,
                ..Options::default()
            };
            let summary = decoder.decode(&options, None, |_, _| {}).unwrap();
            assert!(summary.working_memory <= limit, "limit {limit}: {summary:?}");
            summary.checkpoint_memory
        };
        step(8, None);
        let mut views = Vec::new();
        for divisor in [8, 4, 2, 1] {
            let (x, y) = (w / 2 / divisor - 192, h / 2 / divisor - 108);
            views.push(step(divisor, Some(Region { x, y, width: 384, height: 216 })));
        }
        let (x, y) = (w / 2 - 192 + 384, h / 2 - 108);
        step(1, Some(Region { x, y, width: 96, height: 216 }));
        println!("limit {limit}: checkpoint memory after each view {views:?}");
        kept.push(views);
    }
    assert_eq!(kept[1][2..], kept[0][2..], "checkpoint memory at 1/2 and 1/1, under the limit and without one");
}

/// A region far down a progressive picture whose refinement history from
/// the top would not fit the memory limit: the rows above it are read in
/// passes that fit, each leaving checkpoints for the next, and the region
/// comes out the same as from a decode without a limit.
#[test]
fn a_region_far_down_a_large_progressive_picture_decodes_within_the_limit() {
    let generated = encode(&Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive: true, restart: Some(7), width: 640, height: 1200 });
    let fixture = std::fs::read(common::fixtures().join("reftest/progressive3.jpg")).unwrap();
    for (what, jpeg) in [("generated 640x1200", generated), ("progressive3.jpg", fixture)] {
        let whole = decode(&jpeg, Scale::Full);
        let (w, h) = (whole.width as u32, whole.height as u32);
        let region = Region { x: w / 2, y: h - h / 3, width: w / 4, height: h / 3 };
        let unlimited = Options { region: Some(region), progressive_memory_limit: u32::MAX, ..Options::default() };
        let needed = decode_with(&jpeg, &unlimited).1.unwrap().working_memory;
        // Room for the region and a few rows of history, not for all of it.
        let limit = needed - needed / 3;
        let (source, record) = RecordingSource::new(&jpeg);
        let mut decoder = Decoder::with_input_buffer(source, 256).unwrap();
        let (read, memory, _) = pan_step(&mut decoder, &record, &whole, region, limit, what);
        assert!(memory <= limit, "{what}: {memory} > {limit}");
        println!("{what}: {needed} bytes without a limit, {memory} within {limit}; {read} bytes read of {}", jpeg.len());
    }
}

/// A source over bytes in memory that lets a decode go on for `rows`
/// MCU rows ([`prizm_jpeg::ByteSource::proceed`]), then stops it.
struct StoppingSource<'a> {
    inner: SliceSource<'a>,
    rows: std::rc::Rc<std::cell::Cell<u32>>,
}

impl prizm_jpeg::ByteSource for StoppingSource<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, prizm_jpeg::ReadError> {
        self.inner.read(buf)
    }
    fn seek(&mut self, position: u64) -> Result<(), prizm_jpeg::ReadError> {
        self.inner.seek(position)
    }
    fn proceed(&mut self) -> Result<(), prizm_jpeg::ReadError> {
        match self.rows.get() {
            0 => Err(prizm_jpeg::ReadError { message: "stopped", code: 7 }),
            n => {
                self.rows.set(n - 1);
                Ok(())
            }
        }
    }
}

#[test]
fn a_source_stops_a_decode_between_mcu_rows_and_a_later_decode_is_whole() {
    for progressive in [false, true] {
        let case = Case { color: ColorType::Rgb, sampling: SamplingFactor::F_2_2, progressive, restart: None, width: 400, height: 300 };
        let jpeg = encode(&case);
        let whole = decode(&jpeg, Scale::Full);
        let rows = std::rc::Rc::new(std::cell::Cell::new(3));
        let source = StoppingSource { inner: SliceSource::new(&jpeg), rows: rows.clone() };
        // The whole file in one read: only `proceed` can stop it early.
        let mut decoder = Decoder::with_input_buffer(source, 64 * 1024).unwrap();
        let options = Options { upsampling: Upsampling::Fast, memory_limit: 1 << 20, ..Options::default() };
        let mut received = 0;
        let error = decoder.decode(&options, None, |_, _| received += 1).unwrap_err();
        let what = if progressive { "progressive" } else { "baseline" };
        assert!(
            matches!(error.kind, prizm_jpeg::ErrorKind::Read(prizm_jpeg::ReadError { code: 7, .. })),
            "{what}: {error:?}"
        );
        // Three MCU rows of 16 pixel rows went out before the fourth was refused.
        assert_eq!((received, error.rows_output), (48, 48), "{what}");
        // Let go, the same decoder gives the whole picture.
        rows.set(u32::MAX);
        let options = Options { memory_limit: 1 << 20, ..Options::default() };
        let pixels = rgb_of(&mut decoder, &options);
        assert!(pixels == whole.rgb, "{what}: a decode after the stop gives the whole picture");
    }
}
