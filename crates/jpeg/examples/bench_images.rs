//! Writes the photo-like test pictures the `jpegbench` add-in embeds:
//! `cargo +stable run -p prizm-jpeg --target x86_64-unknown-linux-gnu --example bench_images -- addins/jpegbench/images`;
//! with a second folder, also the ones it reads from storage memory (the
//! progressive 1024x768 one again and two 4000x3000 ones; `tools/bench.sh`
//! writes them into the emulator's storage folder).

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// Gradients, soft shapes and fine texture, roughly as dense as a photo.
fn photo(width: usize, height: usize) -> Vec<u8> {
    let mut seed = 7u32;
    let mut data = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 9) as i32 - 4;
            let (fx, fy) = (x as i32 * 256 / width as i32, y as i32 * 256 / height as i32);
            let ring = ((fx - 128) * (fx - 128) + (fy - 100) * (fy - 100)) / 64;
            let texture = ((x * 7 + y * 3) % 23) as i32 - 11;
            let base = [fx * 3 / 4 + ring % 60, fy / 2 + 60 + texture, 200 - fx / 3 + (ring & 31)];
            for b in base {
                data.push((b + noise).clamp(0, 255) as u8);
            }
        }
    }
    data
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: bench_images OUT_DIR [LARGE_DIR]"));
    let large = std::env::args().nth(2).map(std::path::PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    let mut pictures = vec![
        (dir.join("photo-384x216.jpg"), 384u16, 216u16, false),
        (dir.join("photo-1024x768.jpg"), 1024, 768, false),
        (dir.join("photo-1024x768-progressive.jpg"), 1024, 768, true),
    ];
    if let Some(large) = &large {
        std::fs::create_dir_all(large).unwrap();
        // Short (8.3) names for the calculator's file system.
        pictures.push((large.join("PROG1024.jpg"), 1024, 768, true));
        pictures.push((large.join("BASE4000.jpg"), 4000, 3000, false));
        pictures.push((large.join("PROG4000.jpg"), 4000, 3000, true));
    }
    for (name, w, h, progressive) in pictures {
        let mut jpeg = Vec::new();
        let mut encoder = Encoder::new(&mut jpeg, 85);
        encoder.set_sampling_factor(SamplingFactor::F_2_2);
        encoder.set_progressive(progressive);
        encoder.encode(&photo(w.into(), h.into()), w, h, ColorType::Rgb).unwrap();
        std::fs::write(&name, &jpeg).unwrap();
        println!("{}: {} bytes", name.display(), jpeg.len());
    }
}
