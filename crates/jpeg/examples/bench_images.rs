//! Writes the photo-like test pictures the `jpegbench` add-in embeds:
//! `cargo +stable run -p prizm-jpeg --target x86_64-unknown-linux-gnu --example bench_images -- addins/jpegbench/images`.

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
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: bench_images OUT_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, w, h, progressive) in [
        ("photo-384x216.jpg", 384u16, 216u16, false),
        ("photo-1024x768.jpg", 1024, 768, false),
        ("photo-1024x768-progressive.jpg", 1024, 768, true),
    ] {
        let mut jpeg = Vec::new();
        let mut encoder = Encoder::new(&mut jpeg, 85);
        encoder.set_sampling_factor(SamplingFactor::F_2_2);
        encoder.set_progressive(progressive);
        encoder.encode(&photo(w.into(), h.into()), w, h, ColorType::Rgb).unwrap();
        std::fs::write(dir.join(name), &jpeg).unwrap();
        println!("{name}: {} bytes", jpeg.len());
    }
}
