//! Prints host decode times of a generated photo-like 4:2:0 picture at each
//! scale, beside jpeg-decoder's full decode (figures, never asserted):
//! `cargo +stable run --release -p prizm-jpeg --target x86_64-unknown-linux-gnu --example host_speed`.

use std::time::Instant;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use prizm_jpeg::{Decoder, Options, PixelFormat, Region, Scale, SliceSource};

fn photo(width: usize, height: usize) -> Vec<u8> {
    let mut seed = 1u32;
    let mut data = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 24) as i32 - 12;
            let base = [(x * 200 / width) as i32, (y * 180 / height) as i32, (((x ^ y) >> 3) & 127) as i32 + 60];
            for b in base {
                data.push((b + noise).clamp(0, 255) as u8);
            }
        }
    }
    data
}

fn main() {
    for (w, h, progressive) in [(1024u16, 768u16, false), (2048, 1536, false), (2048, 1536, true), (4000, 3000, false), (4000, 3000, true)] {
        let mut jpeg = Vec::new();
        let mut encoder = Encoder::new(&mut jpeg, 85);
        encoder.set_sampling_factor(SamplingFactor::F_2_2);
        encoder.set_progressive(progressive);
        encoder.encode(&photo(w.into(), h.into()), w, h, ColorType::Rgb).unwrap();
        let started = Instant::now();
        let _ = jpeg_decoder::Decoder::new(&jpeg[..]).decode().unwrap();
        if w == 4000 {
            // The case: the whole 12-megapixel photo at 1/8 within the default limits.
            let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
            let started = Instant::now();
            let summary = decoder.decode(&Options { scale: Scale::Eighth, ..Options::default() }, None, |_, _| {});
            println!("{w}x{h} {}: whole at 1/8, default limits: {:?} in {:?}", if progressive { "progressive" } else { "baseline" }, summary.map(|s| s.working_memory), started.elapsed());
            continue;
        }
        println!("{w}x{h} {} ({} KiB): jpeg-decoder full {:?}", if progressive { "progressive" } else { "baseline" }, jpeg.len() / 1024, started.elapsed());
        for scale in [Scale::Full, Scale::Half, Scale::Quarter, Scale::Eighth] {
            let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
            let options = Options { scale, format: PixelFormat::Rgb565, memory_limit: u32::MAX, progressive_memory_limit: u32::MAX, ..Options::default() };
            let started = Instant::now();
            let summary = decoder.decode(&options, None, |_, _| {}).unwrap();
            let whole = started.elapsed();
            let screen = Options { region: Some(Region { x: 0, y: 0, width: 384, height: 216 }), memory_limit: 48 * 1024, progressive_memory_limit: 350 * 1024, ..options };
            let started = Instant::now();
            let screen_result = decoder.decode(&screen, None, |_, _| {});
            println!(
                "  {scale:?}: whole {whole:?} ({} B working memory); 384x216 at top left {:?} ({:?})",
                summary.working_memory,
                started.elapsed(),
                screen_result.map(|s| s.working_memory)
            );
        }
    }
}
