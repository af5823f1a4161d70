//! The JPEG Viewer add-in (addins/viewer, picture screen in
//! crates/image-view) end to end: browse, open, zoom, pan, turn, next and
//! previous, information, cancel, resume; every file of the shared JPEG
//! corpus; and the picture on screen checked against a host decode.
//!
//! The add-in reports on the debug channel (`viewer: browser …`,
//! `viewer: view NAME zoom=Z turns=T`, `viewer: closed viewed|cancelled|failed NAME`,
//! `image-view: cannot show NAME: reason`); the tests press one key at a
//! time and let the add-in come back to its key wait before the next.
//!
//! PSNR thresholds (see `psnr`): the reference is `jpeg-decoder`'s
//! full-size decode, reduced the way the viewer shows it (the average of
//! each d×d block for the decoder's 1/d scale, then nearest pixel for the
//! fit's extra reduction), compared in 8-bit RGB with the screen's RGB565
//! widened. Dithered RGB565 alone costs about 40 dB; the reduced inverse
//! DCTs against a box filter about 30 dB (prizm-jpeg's README). So: 1/1
//! and 2× ≥ 27 dB (`FULL_SIZE_MIN_PSNR`: the viewer repeats chroma where
//! the reference filters it), 1/2–1/8 ≥ 25 dB (`REDUCED_MIN_PSNR`),
//! resampled fits ≥ 24 dB; a picture placed 2 pixels off falls to about
//! 14 dB (checked on the detailed test picture).
//!
//! `cargo test --release -p emulator-tests --test viewer -- --ignored --nocapture bench`
//! prints the benchmark (emulated time, never asserted).

use std::sync::OnceLock;

use emulator_tests::{addin, assert_screen, builder, builder_again, debug_since, repo, run_until_debug_line};
use prizm_emu::{Condition, Emulator, Key, RunErrorKind};

const W: usize = 384;
const H: usize = 216;

/// Lowest PSNR at 1/1 and 2×. The viewer decodes with
/// `Upsampling::Fast` (each chroma sample repeated over its 2×2 pixels)
/// while the reference filters chroma like libjpeg, so at colour edges a
/// pixel's colour is up to half a chroma sample off. The detailed picture
/// is nearly all colour edges (12-pixel coloured stripes, 3-pixel white
/// grid lines, dark blue diagonals): with the filter the screen measured
/// 36.0–36.9 dB (threshold 34), repeating chroma it measures 28.9–30.1 dB.
/// A picture placed 2 pixels off still falls to about 14 dB, far below.
const FULL_SIZE_MIN_PSNR: f64 = 27.0;

/// Lowest PSNR at 1/2 to 1/8. Besides the reduced transforms (about 30 dB
/// against the reference's box filter), the viewer's `Upsampling::Fast`
/// keeps 4:2:0 chroma at half the shown resolution there as at 1/1 (one
/// chroma sample per 2×2 shown pixels, repeated): on the detailed picture,
/// all colour edges, the fit at 1/4 measured 25.5 dB (28.8 with chroma
/// brought to full resolution by a larger transform); the EXIF and turned
/// fits 29.2–29.6 dB.
const REDUCED_MIN_PSNR: f64 = 25.0;

// ---------------------------------------------------------------- pictures

/// A picture with sharp detail (stripes, a grid, diagonals over colour
/// gradients): a misplaced pan or a wrong scale shows in the PSNR.
fn detailed_rgb(w: usize, h: usize) -> Vec<u8> {
    let mut rgb = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            let grid = (x % 64 < 3) || (y % 48 < 3);
            let stripes = ((x / 12 + y / 12) % 2) as u8 * 60;
            let diagonal = (x + 2 * y) % 97 < 4;
            let i = (y * w + x) * 3;
            let mut p = [
                (x * 255 / w) as u8 / 2 + stripes,
                (y * 255 / h) as u8 / 2 + 40,
                ((x + y) * 255 / (w + h)) as u8 / 2 + 60 - stripes / 2,
            ];
            if grid {
                p = [250, 250, 250];
            }
            if diagonal {
                p = [20, 20, 120];
            }
            rgb[i..i + 3].copy_from_slice(&p);
        }
    }
    rgb
}

/// A smooth photo-like picture (large areas of slowly changing colour, some texture).
fn photo_rgb(w: usize, h: usize) -> Vec<u8> {
    let mut rgb = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let ring = ((fx - 0.5).hypot(fy - 0.5) * 40.0).sin() * 30.0;
            let texture = (((x * 7 + y * 13) % 17) as f32) * 1.5;
            let i = (y * w + x) * 3;
            rgb[i] = (90.0 + 120.0 * fx + ring + texture).clamp(0.0, 255.0) as u8;
            rgb[i + 1] = (60.0 + 150.0 * fy - ring).clamp(0.0, 255.0) as u8;
            rgb[i + 2] = (200.0 - 120.0 * fx * fy + texture).clamp(0.0, 255.0) as u8;
        }
    }
    rgb
}

fn encode(rgb: &[u8], w: usize, h: usize, progressive: bool, app1: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 92);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.set_progressive(progressive);
    if let Some(data) = app1 {
        encoder.add_app_segment(1, data).unwrap();
    }
    encoder
        .encode(rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// An EXIF block (big-endian TIFF, IFD0 only): make, model, orientation, date.
fn exif(orientation: u16) -> Vec<u8> {
    let texts: [(u16, &[u8]); 3] = [
        (0x010F, b"Casio\0"),
        (0x0110, b"fx-CG50 Cam\0"),
        (0x0132, b"2026:11:23 09:30:00\0"),
    ];
    let entries = 4u16;
    let ifd_len = 2 + 12 * entries as usize + 4;
    let mut data_at = 8 + ifd_len;
    let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&entries.to_be_bytes());
    let mut payload = Vec::new();
    for (tag, text) in texts.iter().take(2) {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&2u16.to_be_bytes());
        tiff.extend_from_slice(&(text.len() as u32).to_be_bytes());
        tiff.extend_from_slice(&(data_at as u32).to_be_bytes());
        payload.extend_from_slice(text);
        data_at += text.len();
    }
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes());
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    let (tag, text) = texts[2];
    tiff.extend_from_slice(&tag.to_be_bytes());
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&(text.len() as u32).to_be_bytes());
    tiff.extend_from_slice(&(data_at as u32).to_be_bytes());
    payload.extend_from_slice(text);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(&payload);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    app1
}

/// The detailed 1024×768 test picture (baseline).
fn detailed_1024() -> &'static [u8] {
    static JPEG: OnceLock<Vec<u8>> = OnceLock::new();
    JPEG.get_or_init(|| encode(&detailed_rgb(1024, 768), 1024, 768, false, None))
}

/// A 4000×3000 photo, baseline or progressive.
fn photo_4000(progressive: bool) -> &'static [u8] {
    static BASE: OnceLock<Vec<u8>> = OnceLock::new();
    static PROG: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if progressive { &PROG } else { &BASE };
    cell.get_or_init(|| encode(&photo_rgb(4000, 3000), 4000, 3000, progressive, None))
}

fn committed(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("addins/jpegbench/images").join(name)).unwrap()
}

// ---------------------------------------------------------------- driving

fn start(test: &str, files: &[(&str, &[u8])]) -> Emulator {
    let emu = builder(test)
        .budget(60_000_000_000)
        .open(addin("viewer"))
        .unwrap();
    for (name, bytes) in files {
        emu.write_storage_file(name, bytes).unwrap();
    }
    let mut emu = emu;
    idle(&mut emu);
    emu
}

fn idle(emu: &mut Emulator) {
    emu.run_until(Condition::WaitingForKey)
        .unwrap_or_else(|e| panic!("{e}\n{}", debug_since(emu, 0)));
}

/// Presses each key and waits for the add-in to be back in its key wait.
fn keys(emu: &mut Emulator, keys: &[Key]) {
    for &key in keys {
        emu.press(key);
        idle(emu);
    }
}

/// The last `viewer: view` line.
fn last_view(emu: &Emulator) -> String {
    debug_since(emu, 0)
        .lines()
        .rev()
        .find(|l| l.starts_with("viewer: view "))
        .unwrap_or("")
        .to_string()
}

// ---------------------------------------------------------------- PSNR

/// Full-size RGB from jpeg-decoder.
fn reference(jpeg: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut decoder = jpeg_decoder::Decoder::new(jpeg);
    let rgb = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    assert_eq!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24);
    (info.width as usize, info.height as usize, rgb)
}

/// The average of the `d`×`d` block at block position (bx, by), clipped to the picture.
fn block_average(r: &(usize, usize, Vec<u8>), d: usize, bx: usize, by: usize) -> [f64; 3] {
    let (w, h, rgb) = r;
    let mut sum = [0f64; 3];
    let mut n = 0.0;
    for y in by * d..((by + 1) * d).min(*h) {
        for x in bx * d..((bx + 1) * d).min(*w) {
            for c in 0..3 {
                sum[c] += f64::from(rgb[(y * w + x) * 3 + c]);
            }
            n += 1.0;
        }
    }
    sum.map(|s| s / n)
}

/// How the viewer shows the picture: screen (sx, sy) comes from decoded
/// pixel ((sx + ox) * den / num, (sy + oy) * den / num) at scale 1/d.
struct Placement {
    divisor: usize,
    num: usize,
    den: usize,
    offset: (i64, i64),
    /// On-screen picture rectangle [x0, x1) × [y0, y1).
    rect: (usize, usize, usize, usize),
}

/// PSNR (dB) of the screen's picture area against the reference, skipping
/// the overlay corners (zoom label, position indicator).
fn psnr(emu: &Emulator, r: &(usize, usize, Vec<u8>), p: &Placement) -> f64 {
    psnr_turned(emu, r, p, |x, y| (x, y))
}

/// [`psnr`] for a turned picture: `invert` maps a shown (turned) pixel to
/// the stored pixel at the same resampled scale.
fn psnr_turned(
    emu: &Emulator,
    r: &(usize, usize, Vec<u8>),
    p: &Placement,
    invert: impl Fn(usize, usize) -> (usize, usize),
) -> f64 {
    let mut sq = 0f64;
    let mut n = 0f64;
    for sy in p.rect.1..p.rect.3 {
        for sx in p.rect.0..p.rect.2 {
            if (sx < 70 && sy < 16) || (sx >= 310 && sy >= 160) {
                continue;
            }
            let (tx, ty) = invert(
                (sx as i64 + p.offset.0) as usize,
                (sy as i64 + p.offset.1) as usize,
            );
            let want = block_average(r, p.divisor, tx * p.den / p.num, ty * p.den / p.num);
            let (cr, cg, cb) = emulator_tests::pixel(emu, sx, sy);
            for (c, got) in [cr, cg, cb].into_iter().enumerate() {
                let e = f64::from(got) - want[c];
                sq += e * e;
                n += 1.0;
            }
        }
    }
    assert!(n > 0.0, "no picture pixel compared");
    10.0 * (255.0f64 * 255.0 / (sq / n)).log10()
}

// ---------------------------------------------------------------- tests

#[test]
fn browser_lists_folders_and_jpegs_with_sizes_and_sorts() {
    let small = committed("photo-384x216.jpg");
    let big = committed("photo-1024x768.jpg");
    let mut emu = start(
        "viewer-browser",
        &[
            ("Holiday photos/b.JPEG", &small),
            (
                "Holiday photos/a long name for a photo of the beach at sunset.jpg",
                &big,
            ),
            ("Holiday photos/notes.txt", b"not a picture"),
            ("Holiday photos/Sub/c.jpg", &small),
            ("readme.txt", b"x"),
        ],
    );
    assert!(
        debug_since(&emu, 0).contains("viewer: browser \\\\fls0\\ 1 entries"),
        "{}",
        debug_since(&emu, 0)
    );
    keys(&mut emu, &[Key::Exe]);
    assert!(debug_since(&emu, 0).contains("viewer: browser \\\\fls0\\Holiday photos 3 entries"));
    assert_screen(&emu, "viewer-browser");
    keys(&mut emu, &[Key::F3]); // by size: the small one first
    assert_screen(&emu, "viewer-browser-size");
    // The folder is remembered for the next run.
    let mut again = builder_again("viewer-browser")
        .budget(1_000_000_000)
        .open(addin("viewer"))
        .unwrap();
    idle(&mut again);
    let out = debug_since(&again, 0);
    assert!(
        out.contains("viewer: browser \\\\fls0\\Holiday photos 3 entries"),
        "{out}"
    );
}

/// Checks that the decode of `region` (as the debug line gives it) began
/// at most one MCU row (16 pixels, 4:2:0) above the region's top row `y`
/// (the row above gives the chroma filter its context), not at the top,
/// and at most one MCU left of its left edge `x`; returns the MCUs it
/// entropy-decoded.
#[track_caller]
fn assert_started_near(debug: &str, region: &str, (x, y): (u32, u32)) -> u32 {
    let prefix = format!("image-view: decoded {region} from MCU row ");
    let line = debug
        .lines()
        .find(|l| l.contains(&prefix))
        .unwrap_or_else(|| panic!("no decode of {region}:\n{debug}"));
    // "… from MCU row R column C (N MCUs)"
    let numbers: Vec<u32> = line[line.find(&prefix).unwrap() + prefix.len()..]
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let [row, column, mcus] = numbers[..] else { panic!("{line}") };
    assert!(row > 0 && row + 1 >= y / 16 && row <= y / 16, "{line}");
    assert!(column + 1 >= x / 16 && column <= x / 16, "{line}");
    mcus
}

/// Three hundred pictures in a folder: listed, sorted and paged quickly
/// (the figures are printed, not asserted), and the right one opens.
#[test]
fn hundreds_of_files_page_without_lag() {
    let tiny = encode(&detailed_rgb(16, 16), 16, 16, false, None);
    let names: Vec<String> = (1..=300)
        .rev()
        .map(|i| format!("Many/IMG_{i}.jpg"))
        .collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), tiny.as_slice()))
        .collect();
    let mut emu = start("viewer-many", &files);
    // To the listing on screen (then its first picture is decoded ahead).
    let (from, before) = (emu.debug_output().len(), emu.cycles());
    emu.press(Key::Exe);
    run_until_debug_line(&mut emu, from, "image-view: prefetching IMG_").unwrap();
    let listing = emu.cycles() - before;
    idle(&mut emu);
    assert!(debug_since(&emu, 0).contains(r"viewer: browser \\fls0\Many 300 entries"));
    // A page down to the new page on screen; the browser then decodes the
    // selected picture ahead until the next key.
    let (mut to_screen, mut ahead) = (0, 0);
    for _ in 0..3 {
        let (from, before) = (emu.debug_output().len(), emu.cycles());
        emu.press(Key::Right);
        run_until_debug_line(&mut emu, from, "image-view: prefetching IMG_").unwrap();
        let shown = emu.cycles();
        idle(&mut emu);
        to_screen += shown - before;
        ahead += emu.cycles() - shown;
    }
    println!(
        "300 files: open the folder {:.3} s, one page down {:.4} s to the screen, then {:.4} s decoding ahead (emulated)",
        listing as f64 / 58e6,
        to_screen as f64 / 3.0 / 58e6,
        ahead as f64 / 3.0 / 58e6
    );
    // Natural order: IMG_1 … IMG_300; three pages of 8 rows down is row 24.
    assert_screen(&emu, "viewer-browser-many");
    keys(&mut emu, &[Key::Exe]);
    assert!(
        last_view(&emu).contains("IMG_25.jpg zoom=Fit"),
        "{}",
        last_view(&emu)
    );
    keys(&mut emu, &[Key::F6]);
    assert!(
        last_view(&emu).contains("IMG_26.jpg"),
        "{}",
        last_view(&emu)
    );
    // By date: every file's headers are read (none has a date: name order stays).
    keys(&mut emu, &[Key::Exit]);
    let before = emu.cycles();
    keys(&mut emu, &[Key::F2]);
    println!(
        "300 files: sort by EXIF date {:.3} s (emulated)",
        (emu.cycles() - before) as f64 / 58e6
    );
    assert_screen(&emu, "viewer-browser-many-by-date");
    keys(&mut emu, &[Key::Exe]);
    assert!(
        last_view(&emu).contains("IMG_26.jpg"),
        "{}",
        last_view(&emu)
    );
}

#[test]
fn a_fitted_picture_matches_a_host_decode() {
    let jpeg = detailed_1024();
    let mut emu = start("viewer-fit", &[("detail.jpg", jpeg)]);
    keys(&mut emu, &[Key::Exe]);
    assert!(
        last_view(&emu).contains("detail.jpg zoom=Fit"),
        "{}",
        debug_since(&emu, 0)
    );
    assert_screen(&emu, "viewer-fit");
    let r = reference(jpeg);
    // 1/4 of 1024×768 is 256×192, centred: (64, 12).
    let p = Placement {
        divisor: 4,
        num: 1,
        den: 1,
        offset: (-64, -12),
        rect: (64, 12, 320, 204),
    };
    let db = psnr(&emu, &r, &p);
    println!("fit PSNR {db:.1} dB");
    assert!(db >= REDUCED_MIN_PSNR, "fit PSNR {db:.1} dB");
    // Placed 2 pixels off, the same screen is far worse: the check can fail.
    let off = Placement {
        offset: (-62, -12),
        rect: (64, 12, 318, 204),
        ..p
    };
    let off_db = psnr(&emu, &r, &off);
    println!("fit PSNR placed 2 pixels off {off_db:.1} dB");
    assert!(off_db < db - 3.0);
    // Background around the picture.
    assert_eq!(emulator_tests::pixel(&emu, 10, 100), (0, 0, 0));
}

#[test]
fn full_size_pans_match_a_host_decode() {
    let jpeg = detailed_1024();
    let mut emu = start("viewer-pan", &[("detail.jpg", jpeg)]);
    keys(&mut emu, &[Key::Exe, Key::Plus, Key::Plus]);
    assert!(last_view(&emu).contains("zoom=1/1"), "{}", last_view(&emu));
    let r = reference(jpeg);
    // Centred at 1/1: offset (1024-384)/2, (768-216)/2 = (320, 276).
    let at = |ox: i64, oy: i64| Placement {
        divisor: 1,
        num: 1,
        den: 1,
        offset: (ox, oy),
        rect: (0, 0, W, H),
    };
    let db = psnr(&emu, &r, &at(320, 276));
    println!("1/1 centre PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "1/1 PSNR {db:.1} dB");
    // A quarter screen right (96), then down (54): only the bands are decoded,
    // starting at the indexed MCU (16×16 pixels each, 4:2:0), not at the
    // top, and each row of the band ends with a jump to the next row's
    // checkpoint: the right pan's 15 rows cost far fewer than their 64 MCUs each.
    let from = emu.debug_output().len();
    keys(&mut emu, &[Key::Right]);
    let mcus = assert_started_near(&debug_since(&emu, from), "704,276 96x216 at 1/1", (704, 276));
    assert!(mcus < 15 * 64 / 4, "{mcus} MCUs for a 96-pixel band");
    let from = emu.debug_output().len();
    keys(&mut emu, &[Key::Down]);
    assert_started_near(&debug_since(&emu, from), "416,492 384x54 at 1/1", (416, 492));
    let db = psnr(&emu, &r, &at(416, 330));
    println!("1/1 after two pans PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "1/1 pan PSNR {db:.1} dB");
    assert!(psnr(&emu, &r, &at(412, 330)) < db - 6.0);
    assert_screen(&emu, "viewer-pan");
    // SHIFT+left: a whole screen left (416 - 384 = 32).
    keys(&mut emu, &[Key::Shift, Key::Left]);
    let db = psnr(&emu, &r, &at(32, 330));
    println!("SHIFT pan PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "SHIFT pan PSNR {db:.1} dB");
    // 3: the bottom-right region; 7 the top-left.
    keys(&mut emu, &[Key::Digit3]);
    let db = psnr(&emu, &r, &at(1024 - 384, 768 - 216));
    println!("region 3 PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "region 3 PSNR {db:.1} dB");
    keys(&mut emu, &[Key::Digit7]);
    let db = psnr(&emu, &r, &at(0, 0));
    println!("region 7 PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "region 7 PSNR {db:.1} dB");
    // Past the left edge nothing moves; the pan left is refused quietly.
    keys(&mut emu, &[Key::Left]);
    assert!(psnr(&emu, &r, &at(0, 0)) >= FULL_SIZE_MIN_PSNR);
    // Zoom out to 1/2 keeps the middle: centre (192, 108) -> (96, 54) at 1/2, offset clamped to 0.
    keys(&mut emu, &[Key::Minus]);
    let half = Placement {
        divisor: 2,
        num: 1,
        den: 1,
        offset: (0, 0),
        rect: (0, 0, W, H),
    };
    let db = psnr(&emu, &r, &half);
    println!("1/2 PSNR {db:.1} dB");
    assert!(db >= REDUCED_MIN_PSNR, "1/2 PSNR {db:.1} dB");
    // 2×: each decoded pixel twice.
    keys(&mut emu, &[Key::Plus, Key::Plus]);
    assert!(last_view(&emu).contains("zoom=2x"), "{}", last_view(&emu));
    // 1/2 at offset 0 has its middle at (192, 108) of 512×384; at 1/1 that is
    // (384, 216), at 2× (768, 432): offset (768 - 192, 432 - 108).
    let centre_2x = (576, 324);
    let db = psnr(
        &emu,
        &r,
        &Placement {
            divisor: 1,
            num: 2,
            den: 1,
            offset: centre_2x,
            rect: (0, 0, W, H),
        },
    );
    println!("2x PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "2x PSNR {db:.1} dB");
}

#[test]
fn a_huge_photo_is_fitted_by_resampling() {
    let jpeg = photo_4000(false);
    let mut emu = start("viewer-huge", &[("huge.jpg", jpeg)]);
    keys(&mut emu, &[Key::Exe]);
    assert!(
        last_view(&emu).contains("huge.jpg zoom=Fit"),
        "{}",
        debug_since(&emu, 0)
    );
    let r = reference(jpeg);
    // 1/8 is 500×375; × 216/375 gives 288×216 at x 48.
    let p = Placement {
        divisor: 8,
        num: 216,
        den: 375,
        offset: (-48, 0),
        rect: (48, 0, 336, 216),
    };
    let db = psnr(&emu, &r, &p);
    println!("4000x3000 fit PSNR {db:.1} dB");
    assert!(db >= 24.0, "PSNR {db:.1} dB");
}

/// While a long decode runs, the progress bar reaches the LCD with the rows
/// decoded so far (only those rows and the bar are copied), and VRAM never
/// keeps the bar: the finished picture has none.
#[test]
fn the_progress_bar_shows_the_rows_decoded_so_far() {
    const BAR_GREEN: u16 = 0x07E0;
    // The 12-megapixel photo: its fit takes seconds, so one second in is
    // well inside the decode however fast the decoder gets.
    let mut emu = start("viewer-progress", &[("p.jpg", photo_4000(false))]);
    emu.press(Key::Exe);
    emu.run_until(Condition::Time(std::time::Duration::from_millis(1000)))
        .unwrap();
    let (lcd, vram) = (emu.screen().to_vec(), emu.vram());
    let at = |pixels: &[u16], x: usize, y: usize| pixels[y * 384 + x];
    assert_eq!(at(&lcd, 95, 200), BAR_GREEN, "the bar's fill is on the LCD");
    assert_eq!(at(&lcd, 92, 196), 0xFFFF, "the bar's frame is on the LCD");
    assert_ne!(at(&vram, 95, 200), BAR_GREEN, "VRAM keeps the picture, not the bar");
    // The picture's first rows were copied with an update: on the LCD as in
    // VRAM, and not blank.
    let row = |pixels: &[u16], y: usize| pixels[y * 384..(y + 1) * 384].to_vec();
    assert_eq!(row(&lcd, 20), row(&vram, 20));
    assert!(row(&lcd, 20).iter().any(|&p| p != 0), "row 20 shows picture");
    // Finished: no bar anywhere.
    idle(&mut emu);
    assert!(last_view(&emu).contains("zoom=Fit"), "{}", debug_since(&emu, 0));
    assert_ne!(at(emu.screen(), 95, 200), BAR_GREEN);
}

/// A progressive 1024×768 photo would need 2.3 MB of coefficients at 1/4:
/// the fit decodes DC only (1/8) and shows each pixel twice.
#[test]
fn a_progressive_photo_is_fitted_from_one_eighth() {
    let jpeg = committed("photo-1024x768-progressive.jpg");
    let mut emu = start("viewer-progressive", &[("p.jpg", &jpeg)]);
    keys(&mut emu, &[Key::Exe]);
    assert!(
        last_view(&emu).contains("p.jpg zoom=Fit"),
        "{}",
        debug_since(&emu, 0)
    );
    let r = reference(&jpeg);
    let p = Placement {
        divisor: 8,
        num: 2,
        den: 1,
        offset: (-64, -12),
        rect: (64, 12, 320, 204),
    };
    let db = psnr(&emu, &r, &p);
    println!("progressive fit PSNR {db:.1} dB");
    assert!(db >= 24.0, "PSNR {db:.1} dB");
    assert_screen(&emu, "viewer-progressive-fit");
}

#[test]
fn next_previous_turn_and_information() {
    let small = committed("photo-384x216.jpg");
    let tagged = encode(&detailed_rgb(320, 200), 320, 200, false, Some(&exif(6)));
    let mut emu = start(
        "viewer-next",
        &[("a.jpg", &small), ("b.jpg", &tagged), ("c.jpg", &small)],
    );
    keys(&mut emu, &[Key::Exe]);
    assert!(last_view(&emu).contains("a.jpg zoom=Fit"));
    keys(&mut emu, &[Key::F6]);
    assert!(
        last_view(&emu).contains("b.jpg zoom=Fit turns=0"),
        "{}",
        last_view(&emu)
    );
    // EXIF orientation 6: stored 320×200, shown turned 200×320, fitted at 1/2 (100×160).
    assert_screen(&emu, "viewer-exif-turned");
    // Shown 100×160 at (142, 28); shown (X, Y) is stored (Y, 99 - X) at 1/2.
    let r = reference(&tagged);
    let p = Placement {
        divisor: 2,
        num: 1,
        den: 1,
        offset: (-142, -28),
        rect: (142, 28, 242, 188),
    };
    let db = psnr_turned(&emu, &r, &p, |x, y| (y, 99 - x));
    println!("EXIF 6 fit PSNR {db:.1} dB");
    assert!(db >= REDUCED_MIN_PSNR, "turned PSNR {db:.1} dB");
    keys(&mut emu, &[Key::F1]);
    assert_screen(&emu, "viewer-info");
    keys(&mut emu, &[Key::Exit]);
    assert_screen(&emu, "viewer-exif-turned");
    keys(&mut emu, &[Key::F2]);
    assert!(
        last_view(&emu).contains("b.jpg zoom=Fit turns=1"),
        "{}",
        last_view(&emu)
    );
    assert_screen(&emu, "viewer-turned-once-more");
    // Upside down at 1/1 (320×200 at (32, 8)): shown (X, Y) is stored (319 - X, 199 - Y).
    let p = Placement {
        divisor: 1,
        num: 1,
        den: 1,
        offset: (-32, -8),
        rect: (32, 8, 352, 208),
    };
    let db = psnr_turned(&emu, &r, &p, |x, y| (319 - x, 199 - y));
    println!("turned 180 PSNR {db:.1} dB");
    println!("turned PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "turned PSNR {db:.1} dB");
    keys(&mut emu, &[Key::F6]);
    assert!(last_view(&emu).contains("c.jpg"));
    keys(&mut emu, &[Key::F6]); // no picture after c: stays
    assert!(last_view(&emu).contains("c.jpg"));
    keys(&mut emu, &[Key::F5, Key::F5]);
    assert!(last_view(&emu).contains("a.jpg"), "{}", last_view(&emu));
    keys(&mut emu, &[Key::Exit]);
    assert!(debug_since(&emu, 0).contains("viewer: closed viewed a.jpg"));
    // By date (F2): only b.jpg has an EXIF date, so it comes first.
    keys(&mut emu, &[Key::F2]);
    assert_screen(&emu, "viewer-browser-date");
    keys(&mut emu, &[Key::Up, Key::Exe]); // the selection stayed on a.jpg
    assert!(last_view(&emu).contains("b.jpg"), "{}", last_view(&emu));
}

#[test]
fn resume_offers_the_last_picture_where_it_was() {
    let jpeg = detailed_1024();
    let mut emu = start("viewer-resume", &[("detail.jpg", jpeg)]);
    keys(&mut emu, &[Key::Exe, Key::Plus, Key::Plus, Key::Digit9]);
    assert!(last_view(&emu).contains("zoom=1/1"));
    let mut again = builder_again("viewer-resume")
        .budget(10_000_000_000)
        .open(addin("viewer"))
        .unwrap();
    idle(&mut again);
    assert_screen(&again, "viewer-resume-offer");
    keys(&mut again, &[Key::F1]);
    let r = reference(jpeg);
    let db = psnr(
        &again,
        &r,
        &Placement {
            divisor: 1,
            num: 1,
            den: 1,
            offset: (1024 - 384, 0),
            rect: (0, 0, W, H),
        },
    );
    println!("resumed view PSNR {db:.1} dB");
    assert!(db >= FULL_SIZE_MIN_PSNR, "resumed view PSNR {db:.1} dB");
}

/// Zooming a 12-megapixel progressive photo past 1/8: the refinement
/// history of every block above the view would not fit in memory, so the
/// decoder reads the rows above in passes that do (each leaving checkpoints
/// for the next); the view shows the right part of the picture.
#[test]
fn a_12_megapixel_progressive_photo_zooms_past_one_eighth() {
    let jpeg = photo_4000(true);
    let mut emu = start("viewer-zoom-progressive", &[("big.jpg", jpeg)]);
    keys(&mut emu, &[Key::Exe, Key::Plus]);
    assert!(
        last_view(&emu).contains("big.jpg zoom=1/8"),
        "{}",
        last_view(&emu)
    );
    let (cycles, from) = (emu.cycles(), emu.debug_output().len());
    keys(&mut emu, &[Key::Plus]);
    let out = debug_since(&emu, from);
    assert!(!out.contains("cannot show"), "{out}");
    assert!(
        last_view(&emu).contains("big.jpg zoom=1/4"),
        "{}",
        last_view(&emu)
    );
    println!(
        "zoom 1/8 -> 1/4: {:.2} s of CPU",
        (emu.cycles() - cycles) as f64 / 58e6
    );
    // 1/4 of 4000×3000 is 1000×750, its middle on the screen's: offset (308, 267).
    let r = reference(jpeg);
    let p = Placement {
        divisor: 4,
        num: 1,
        den: 1,
        offset: (308, 267),
        rect: (0, 0, W, H),
    };
    let db = psnr(&emu, &r, &p);
    assert!(db >= REDUCED_MIN_PSNR, "PSNR {db:.1} dB at 1/4");
}

/// Keys up to 1/1 from the browser, the last PLUS pressed by `last`.
fn zoom_to_full_size(emu: &mut Emulator, last: impl FnOnce(&mut Emulator)) {
    keys(emu, &[Key::Exe]);
    for _ in 0..6 {
        if last_view(emu).contains("zoom=1/2") {
            break;
        }
        keys(emu, &[Key::Plus]);
    }
    last(emu);
    assert!(last_view(emu).contains("zoom=1/1"), "{}", last_view(emu));
}

#[test]
fn pans_start_where_the_viewer_read_ahead_and_a_key_stops_the_reading() {
    // 300 blocks across: a pan onto rows never read parses them whole.
    let jpeg = encode(&photo_rgb(2400, 800), 2400, 800, true, None);
    let r = reference(&jpeg);
    // A quarter screen right of the middle: block column 138, off the
    // column checkpoint grid (every 128 blocks).
    let x = (2400 - 384) / 2 + 96;
    let at = |oy: i64| Placement {
        divisor: 1,
        num: 1,
        den: 1,
        offset: (x, oy),
        rect: (0, 0, W, H),
    };
    let centre = (800 - 216) / 2;
    let band = format!("decoded {x},{} 384x54 at 1/1 from MCU row ", centre + 216);
    let pan_line = |out: &str| out.lines().find(|l| l.contains(&band)).map(str::to_string);

    // Left alone at 1/1, the viewer reads ahead where the pans start; the
    // pan down then starts each new row at the view's left edge.
    let mut emu = start("viewer-read-ahead", &[("wide.jpg", &jpeg)]);
    zoom_to_full_size(&mut emu, |emu| keys(emu, &[Key::Plus, Key::Right]));
    let out = debug_since(&emu, 0);
    let strips = out.lines().filter(|l| l.starts_with("image-view: read ahead column")).count();
    assert!(strips >= 2, "{out}");
    let (from, before) = (emu.debug_output().len(), emu.instructions());
    emu.press(Key::Down);
    run_until_debug_line(&mut emu, from, "image-view: on screen").unwrap();
    let prepared = emu.instructions() - before;
    idle(&mut emu);
    let out = debug_since(&emu, from);
    let line = pan_line(&out).unwrap_or_else(|| panic!("{out}"));
    // At the strip's edge: the view's first MCU column (16 pixels an MCU).
    assert!(line.contains(&format!(" column {} ", x / 16)), "{line}");
    let db = psnr(&emu, &r, &at(centre + 54));
    assert!(db >= FULL_SIZE_MIN_PSNR, "after the pan down: {db:.1} dB");
    keys(&mut emu, &[Key::Up]);
    let db = psnr(&emu, &r, &at(centre));
    assert!(db >= FULL_SIZE_MIN_PSNR, "back up: {db:.1} dB");

    // A key pressed while it reads ahead stops the reading and is not
    // lost: the pan happens.
    let mut emu = start("viewer-read-ahead-stopped", &[("wide.jpg", &jpeg)]);
    emu.set_key_hold(std::time::Duration::from_millis(10));
    zoom_to_full_size(&mut emu, |emu| {
        // Each key as soon as the view before is on screen.
        for key in [Key::Plus, Key::Right] {
            let from = emu.debug_output().len();
            emu.press(key);
            run_until_debug_line(emu, from, "image-view: on screen").unwrap();
        }
    });
    let from = emu.debug_output().len();
    emu.press(Key::Down);
    run_until_debug_line(&mut emu, from, "image-view: read-ahead stopped by a key").unwrap();
    idle(&mut emu);
    let out = debug_since(&emu, from);
    assert!(pan_line(&out).is_some(), "{out}");
    let db = psnr(&emu, &r, &at(centre + 54));
    assert!(db >= FULL_SIZE_MIN_PSNR, "after the interrupted read-ahead: {db:.1} dB");
    println!("pan down after reading ahead: {prepared} instructions");
}

/// While the browser waits on a picture it decodes the fitted view off
/// screen: EXE then shows it without decoding. EXE pressed meanwhile
/// shows the rows done and decodes only the rest; any other key stops it
/// and still counts.
#[test]
fn the_browser_decodes_the_selected_picture_ahead_and_exe_shows_it() {
    let small = committed("photo-384x216.jpg");
    let detail = detailed_1024();
    let files = [("a.jpg", small.as_slice()), ("b.jpg", detail), ("c.jpg", small.as_slice())];
    let mut emu = start("viewer-prefetch", &files);
    emu.set_key_hold(std::time::Duration::from_millis(10));
    let out = debug_since(&emu, 0);
    assert!(out.contains("image-view: prefetched a.jpg down to screen row 216\n"), "{out}");
    let from = emu.debug_output().len();
    keys(&mut emu, &[Key::Exe]);
    let out = debug_since(&emu, from);
    assert!(out.contains("image-view: shown from the prefetch down to screen row 216"), "{out}");
    assert!(!out.contains("image-view: decoded"), "nothing left to decode:\n{out}");
    assert!(last_view(&emu).contains("a.jpg zoom=Fit"), "{out}");
    // 384×216 fits at 1/1; the zoom label covers the top rows' left.
    let whole = Placement {
        divisor: 1,
        num: 1,
        den: 1,
        offset: (0, 0),
        rect: (0, 16, W, H),
    };
    let db = psnr(&emu, &reference(&small), &whole);
    assert!(db >= FULL_SIZE_MIN_PSNR, "prefetched 1/1: {db:.1} dB");

    // Back in the browser, down to b.jpg; EXE while it is being decoded ahead.
    keys(&mut emu, &[Key::Exit]);
    let from = emu.debug_output().len();
    emu.press(Key::Down);
    run_until_debug_line(&mut emu, from, "image-view: prefetching b.jpg from screen row 0").unwrap();
    emu.run_until(Condition::Instructions(8_000_000)).unwrap();
    let from = emu.debug_output().len();
    emu.press(Key::Exe);
    idle(&mut emu);
    let out = debug_since(&emu, from);
    let stopped = out
        .lines()
        .find_map(|l| l.strip_prefix("image-view: prefetched b.jpg down to screen row "))
        .and_then(|rest| rest.strip_suffix(", stopped by a key"))
        .and_then(|row| row.parse::<u32>().ok())
        .unwrap_or_else(|| panic!("{out}"));
    // 1/4 of 1024×768 is 256×192 at rows 12..204: part of it was done.
    assert!((13..204).contains(&stopped), "{out}");
    assert!(out.contains(&format!("image-view: shown from the prefetch down to screen row {stopped}")), "{out}");
    // The rest from the row the prefetch's index had reached, not the top.
    let rest = format!("image-view: decoded 0,{} 256x{} at 1/4 from MCU row ", stopped - 12, 204 - stopped);
    let row: u32 = out
        .lines()
        .find_map(|l| l.strip_prefix(rest.as_str()))
        .and_then(|r| r.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("{rest}\n{out}"));
    assert!(row > 0 && row * 16 / 4 <= stopped - 12, "{out}");
    let fit = Placement {
        divisor: 4,
        num: 1,
        den: 1,
        offset: (-64, -12),
        rect: (64, 12, 320, 204),
    };
    let db = psnr(&emu, &reference(detail), &fit);
    assert!(db >= REDUCED_MIN_PSNR, "half prefetched fit: {db:.1} dB");

    // Another key stops the prefetch and is not lost: up to a.jpg, and
    // DOWN pressed while a.jpg is decoded ahead brings b.jpg's turn.
    keys(&mut emu, &[Key::Exit]);
    let from = emu.debug_output().len();
    emu.press(Key::Up);
    run_until_debug_line(&mut emu, from, "image-view: prefetching a.jpg").unwrap();
    let from = emu.debug_output().len();
    emu.press(Key::Down);
    idle(&mut emu);
    let out = debug_since(&emu, from);
    assert!(out.contains(", stopped by a key"), "{out}");
    assert!(out.contains("image-view: prefetching b.jpg"), "{out}");
}

/// A small file is read whole at once: AC/ON is seen between two MCU
/// rows, not only at reads, and the decode stops there.
#[test]
fn ac_on_stops_the_decode_of_a_small_picture_between_mcu_rows() {
    let small = committed("photo-384x216.jpg");
    let mut emu = start("viewer-cancel-small", &[("a.jpg", &small), ("b.jpg", &small)]);
    keys(&mut emu, &[Key::Exe]);
    // F6 decodes b.jpg (not prefetched, read in two calls: the headers,
    // then the rest); AC/ON comes 130 ms into it, past the reads.
    let (from, before) = (emu.debug_output().len(), emu.instructions());
    emu.set_key_hold(std::time::Duration::from_millis(80));
    emu.press(Key::F6);
    emu.set_key_hold(std::time::Duration::from_millis(100));
    emu.press(Key::AcOn);
    run_until_debug_line(&mut emu, from, "viewer: closed").unwrap();
    let spent = emu.instructions() - before;
    let out = debug_since(&emu, from);
    assert!(out.contains("viewer: closed cancelled b.jpg"), "{out}");
    assert!(!out.contains("image-view: decoded"), "{out}");
    // The whole decode takes about 9.5 M instructions.
    println!("{spent} instructions from F6 to the cancel");
    assert!(spent < 9_000_000, "{spent} instructions from F6 to the cancel");
    idle(&mut emu);
}

#[test]
fn ac_on_cancels_a_decode_back_to_the_browser() {
    let jpeg = photo_4000(true);
    let mut emu = start(
        "viewer-cancel",
        &[
            ("big.jpg", jpeg),
            ("small.jpg", &committed("photo-384x216.jpg")),
        ],
    );
    emu.press(Key::Exe);
    // Well into the decode (it takes several seconds), press AC/ON.
    emu.run_until(Condition::Instructions(20_000_000)).unwrap();
    assert!(
        !debug_since(&emu, 0).contains("viewer: view big.jpg"),
        "decode ended too soon to test a cancel"
    );
    // The progress bar is on the LCD (white frame, green part done) while
    // VRAM holds only the picture.
    assert_eq!(emulator_tests::pixel(&emu, 92, 196), (255, 255, 255));
    assert_eq!(emulator_tests::pixel(&emu, 95, 200), (0, 255, 0));
    assert_eq!(emulator_tests::pixel(&emu, 287, 200), (0, 0, 0));
    emu.press(Key::AcOn);
    let before = emu.instructions();
    idle(&mut emu);
    let out = debug_since(&emu, 0);
    assert!(out.contains("viewer: closed cancelled big.jpg"), "{out}");
    println!(
        "cancelled within {} instructions after AC/ON",
        emu.instructions() - before
    );
    assert_screen(&emu, "viewer-cancelled");
    // Still responsive: open the other picture.
    keys(&mut emu, &[Key::Down, Key::Exe]);
    assert!(last_view(&emu).contains("small.jpg zoom=Fit"));
}

/// Every file of the shared corpus, valid and corrupt: a picture or a
/// specific message, and the browser still works after each.
#[test]
fn every_corpus_file_shows_a_picture_or_a_message() {
    let root = std::path::Path::new("/work/shared/fixtures/jpeg");
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for sub in ["reftest", "reftest/mozilla", "crashtest"] {
        let Ok(dir) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        let mut found: Vec<_> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e != "png" && e != "list" && e != "md")
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    let files: Vec<_> = files.into_iter().filter(|p| p.is_file()).collect();
    assert!(files.len() >= 30, "corpus not found at {}", root.display());
    let named: Vec<(String, Vec<u8>)> = files
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("c{i:03}.jpg"), std::fs::read(p).unwrap()))
        .collect();
    let refs: Vec<(&str, &[u8])> = named
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let mut emu = start("viewer-corpus", &refs);
    let (mut shown, mut messages) = (0, 0);
    for (i, (name, bytes)) in named.iter().enumerate() {
        let from = emu.debug_output().len();
        keys(&mut emu, &[Key::Exe]);
        // Dismiss a message, then leave the picture screen.
        for _ in 0..4 {
            if debug_since(&emu, from).contains("viewer: closed") {
                break;
            }
            keys(&mut emu, &[Key::Exit]);
        }
        let out = debug_since(&emu, from);
        let closed = out
            .lines()
            .find(|l| l.starts_with("viewer: closed"))
            .unwrap_or_else(|| panic!("{name} ({}): never closed:\n{out}", files[i].display()));
        assert!(closed.ends_with(name.as_str()), "{closed}");
        let message = out
            .lines()
            .find(|l| l.starts_with("image-view: cannot show"));
        let viewed = closed.contains("closed viewed");
        println!(
            "{} {}: {}",
            name,
            files[i].display(),
            message.unwrap_or(if viewed { "shown" } else { "?" })
        );
        if let Some(m) = message {
            messages += 1;
            let reason = m.split(": ").nth(1).unwrap_or("");
            assert!(!reason.is_empty(), "{m}");
        } else {
            assert!(viewed, "{name}: failed without a message");
        }
        if viewed {
            shown += 1;
        }
        // What the host decoder shows must be shown here too.
        if host_shows_something(bytes) {
            assert!(
                viewed,
                "{name} ({}) decodes on the host but was not shown: {out}",
                files[i].display()
            );
        }
        assert!(emu.is_running(), "{name}: the add-in ended");
        keys(&mut emu, &[Key::Down]);
    }
    println!("{shown} shown, {messages} messages, {} files", named.len());
}

/// Whether prizm-jpeg on the host yields any rows for the file at the
/// scale the viewer fits it at.
fn host_shows_something(bytes: &[u8]) -> bool {
    let Ok(mut d) = prizm_jpeg::Decoder::new(prizm_jpeg::SliceSource::new(bytes)) else {
        return false;
    };
    let info = d.info();
    let divisor = [1u32, 2, 4, 8]
        .into_iter()
        .find(|&s| info.width.div_ceil(s) <= 384 && info.height.div_ceil(s) <= 216)
        .unwrap_or(8);
    let options = prizm_jpeg::Options {
        scale: prizm_jpeg::Scale::from_divisor(divisor).unwrap(),
        format: prizm_jpeg::PixelFormat::Rgb565Dithered,
        ..Default::default()
    };
    let mut rows = 0;
    let result = d.decode(&options, None, |_, _| rows += 1);
    result.is_ok() || rows > 0
}

/// Emulated time from EXE in the browser to the fitted picture, and of one
/// pan step at 1/1 (a quarter screen right, then down, from the middle and
/// from the bottom right corner region): from the key to the new view on
/// the screen. After that a progressive picture reads ahead the rows of the
/// next pans up and down until a key comes (timed apart).
///
/// EXE three ways, for pictures the browser decodes ahead (up to 512 KiB):
/// typed ahead, so the browser finds it as soon as it shows the file (from
/// there: its own LCD copy in `GetKey`, 11 ms, counts too); after the
/// browser's idle time on the file; and 0.1 s after the browser showed it.
#[test]
#[ignore = "benchmark: prints figures (cargo test … -- --ignored --nocapture bench)"]
fn bench() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("384x216 baseline", committed("photo-384x216.jpg")),
        ("1024x768 baseline", committed("photo-1024x768.jpg")),
        (
            "1024x768 progressive",
            committed("photo-1024x768-progressive.jpg"),
        ),
        ("4000x3000 baseline", photo_4000(false).to_vec()),
        ("4000x3000 progressive", photo_4000(true).to_vec()),
    ];
    // Emulated time of a step: the add-in's cycles at 58 MHz plus the OS's
    // modelled time in its syscalls (file reads, LCD copies; see
    // tools/emulator/src/syscalls/cost.rs), not time spent waiting.
    #[derive(Clone, Copy)]
    struct Spent {
        cycles: u64,
        os_ns: u64,
    }
    impl Spent {
        fn seconds(self) -> f64 {
            self.cycles as f64 / 58e6 + self.os_ns as f64 / 1e9
        }
    }
    let seconds = |spent: Spent| spent.seconds();
    println!("viewer benchmark (emulated time: CPU cycles at 58 MHz + the OS's modelled syscall time):");
    for (label, jpeg) in cases {
        // The same picture twice: p.jpg is opened as soon as the browser
        // shows it, q.jpg after the browser had its idle time on it.
        let mut emu = builder("viewer-bench")
            .budget(60_000_000_000)
            .open(addin("viewer"))
            .unwrap();
        for name in ["p.jpg", "q.jpg"] {
            emu.write_storage_file(name, &jpeg).unwrap();
        }
        // Short presses: a key comes after the one before is released.
        emu.set_key_hold(std::time::Duration::from_millis(10));
        let since = |emu: &Emulator, (cycles, os_ns): (u64, u64)| Spent {
            cycles: emu.cycles() - cycles,
            os_ns: emu.machine().os_ns() - os_ns,
        };
        let now = |emu: &Emulator| (emu.cycles(), emu.machine().os_ns());
        // To the view on screen: the add-in back in its key wait, or saying
        // so before it reads ahead.
        // `key` pressed now, or (None) pressed before.
        let shown = |emu: &mut Emulator, key: Option<Key>| {
            let start = now(emu);
            let from = emu.debug_output().len();
            if let Some(key) = key {
                emu.press(key);
            }
            while !debug_since(emu, from).contains("image-view: on screen") {
                let len = emu.debug_output().len();
                match emu.run_until(Condition::DebugBytes(len)) {
                    Ok(()) => {}
                    Err(e) if e.kind == RunErrorKind::WaitingForKey => break,
                    Err(e) => panic!("{e}"),
                }
            }
            since(emu, start)
        };
        // Shown, then the read-ahead until the key wait.
        let step = |emu: &mut Emulator, key: Key| {
            let on_screen = shown(emu, Some(key));
            let start = now(emu);
            idle(emu);
            (on_screen, since(emu, start))
        };
        let prefetched = jpeg.len() as u64 <= 512 * 1024;
        // EXE on p.jpg the moment the browser shows it: pressed before
        // the add-in starts, so it is there when the browser first looks
        // (as it starts decoding ahead, for a picture it prefetches).
        let (cold, cold_instructions) = if prefetched {
            emu.press(Key::Exe);
            run_until_debug_line(&mut emu, 0, "image-view: prefetch p.jpg?").unwrap();
            let instructions = emu.instructions();
            let spent = shown(&mut emu, None);
            idle(&mut emu);
            (spent, emu.instructions() - instructions)
        } else {
            idle(&mut emu);
            let instructions = emu.instructions();
            let (spent, _) = step(&mut emu, Key::Exe);
            (spent, emu.instructions() - instructions)
        };
        let describe = |spent: Spent, instructions: u64| {
            format!(
                "{:.3} s ({:.1} M cycles + OS {:.3} s; {:.1} M instructions)",
                seconds(spent),
                spent.cycles as f64 / 1e6,
                spent.os_ns as f64 / 1e9,
                instructions as f64 / 1e6
            )
        };
        let mut line = format!("  {label:<22} EXE to fitted: {}", describe(cold, cold_instructions));
        if prefetched {
            // On to q.jpg, left to decode it ahead, then EXE.
            keys(&mut emu, &[Key::Exit, Key::Down]);
            let instructions = emu.instructions();
            let (warm, _) = step(&mut emu, Key::Exe);
            let warm = describe(warm, emu.instructions() - instructions);
            line += &format!("; after the browser's idle time on it: {warm}");
            // Back up to p.jpg, EXE 0.1 s after the browser shows it.
            keys(&mut emu, &[Key::Exit]);
            let from = emu.debug_output().len();
            emu.press(Key::Up);
            run_until_debug_line(&mut emu, from, "image-view: prefetching p.jpg").unwrap();
            emu.run_until(Condition::Time(std::time::Duration::from_millis(100))).unwrap();
            let (soon, _) = step(&mut emu, Key::Exe);
            line += &format!("; 0.1 s after: {:.3} s", seconds(soon));
            // q.jpg again for the pans.
            keys(&mut emu, &[Key::Exit, Key::Down, Key::Exe]);
        }
        if label.starts_with("384x216") {
            println!("{line}; fits the screen at 1/1 (no pan)");
            continue;
        }
        // To 1/1 (the steps between are not timed).
        for _ in 0..6 {
            if last_view(&emu).contains("zoom=1/1") {
                break;
            }
            keys(&mut emu, &[Key::Plus]);
        }
        if last_view(&emu).contains("zoom=1/1") {
            let right = step(&mut emu, Key::Right);
            let down = step(&mut emu, Key::Down);
            keys(&mut emu, &[Key::Digit3]);
            let bottom = step(&mut emu, Key::Left);
            let pan = |(spent, ahead): (Spent, Spent)| {
                let mut text = format!("{:.3} s (OS {:.3} s", seconds(spent), spent.os_ns as f64 / 1e9);
                if ahead.cycles > 0 && label.contains("progressive") {
                    text += &format!("; then reads ahead {:.3} s", seconds(ahead));
                }
                text + ")"
            };
            line += &format!(
                "; pan at 1/1: right {}, down {}, left at the bottom {}",
                pan(right),
                pan(down),
                pan(bottom)
            );
        } else {
            let out = debug_since(&emu, 0);
            let why = out
                .lines()
                .find(|l| l.starts_with("image-view: cannot show"))
                .unwrap_or("1/1 not reached");
            line += &format!("; zooming in: {why}");
        }
        println!("{line}");
        let _ = std::fs::remove_dir_all(repo().join("target/emulator-tests/viewer-bench"));
    }
}
