//! `jpeg-decode IN.jpg OUT.png [--scale 1/N] [--region x,y,w,h] [--info]`:
//! decodes with prizm-jpeg (the calculator's decoder) on the host.
//!
//! Exit status: 0 on success; 1 with the error when there is no picture;
//! 2 when a damaged file still gave a partial picture (written, and the
//! error printed); 64 on bad arguments.

use std::process::ExitCode;

use prizm_jpeg::{Decoder, Error, ImageInfo, Options, Pixels, Region, Scale, SliceSource};

const USAGE: &str = "usage: jpeg-decode IN.jpg OUT.png [--scale 1/1|1/2|1/4|1/8] [--region x,y,w,h] [--info]\n       jpeg-decode IN.jpg --info";

struct Arguments {
    input: String,
    output: Option<String>,
    scale: Scale,
    region: Option<Region>,
    info: bool,
}

fn parse_arguments(args: &[String]) -> Result<Arguments, String> {
    let mut positional = Vec::new();
    let mut scale = Scale::Full;
    let mut region = None;
    let mut info = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--info" => info = true,
            "--scale" => {
                i += 1;
                let value = args.get(i).ok_or("--scale needs a value such as 1/8")?;
                let divisor = value.strip_prefix("1/").unwrap_or(value);
                scale = divisor
                    .parse()
                    .ok()
                    .and_then(Scale::from_divisor)
                    .ok_or_else(|| format!("--scale {value}: use 1/1, 1/2, 1/4 or 1/8"))?;
            }
            "--region" => {
                i += 1;
                let value = args.get(i).ok_or("--region needs x,y,w,h")?;
                let numbers: Vec<u32> = value.split(',').map(|n| n.trim().parse()).collect::<Result<_, _>>().map_err(|_| format!("--region {value}: expected four numbers x,y,w,h"))?;
                let [x, y, width, height] = numbers[..] else {
                    return Err(format!("--region {value}: expected four numbers x,y,w,h"));
                };
                region = Some(Region { x, y, width, height });
            }
            "-h" | "--help" => return Err(String::new()),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => positional.push(other.to_string()),
        }
        i += 1;
    }
    let mut positional = positional.into_iter();
    let input = positional.next().ok_or("missing IN.jpg")?;
    let output = positional.next();
    if positional.next().is_some() {
        return Err("too many arguments".into());
    }
    if output.is_none() && !info {
        return Err("missing OUT.png".into());
    }
    Ok(Arguments { input, output, scale, region, info })
}

fn describe(info: &ImageInfo) -> String {
    let mut text = format!(
        "{}x{}, {:?}, {:?}, {} component(s), sampling {:?}, restart interval {}",
        info.width,
        info.height,
        info.coding,
        info.color,
        info.components,
        &info.sampling[..usize::from(info.components)],
        info.restart_interval
    );
    if let Some(o) = info.exif.orientation {
        text += &format!("\nEXIF orientation {o}");
    }
    if let Some(d) = info.exif.date_time {
        text += &format!("\nEXIF date {}", d.as_str());
    }
    if let (Some(make), model) = (info.exif.make, info.exif.model) {
        text += &format!("\ncamera {} {}", make.as_str(), model.map(|m| m.as_str().to_string()).unwrap_or_default());
    }
    text
}

fn write_png(path: &str, width: u32, height: u32, rgb: &[u8]) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| format!("{path}: {e}"))?;
    writer.write_image_data(rgb).map_err(|e| format!("{path}: {e}"))?;
    writer.finish().map_err(|e| format!("{path}: {e}"))
}

/// Decodes the region in column bands narrow enough for the decoder's
/// default memory limit, as the calculator would.
fn decode(jpeg: &[u8], scale: Scale, region: Option<Region>) -> Result<(Region, Vec<u8>, Option<Error>), Error> {
    let mut decoder = Decoder::new(SliceSource::new(jpeg))?;
    let (w, h) = decoder.output_size(scale);
    let r = region.unwrap_or(Region { x: 0, y: 0, width: w, height: h });
    let r = Region {
        x: r.x.min(w),
        y: r.y.min(h),
        width: r.width.min(w.saturating_sub(r.x)),
        height: r.height.min(h.saturating_sub(r.y)),
    };
    let mut rgb = vec![0u8; r.width as usize * r.height as usize * 3];
    let mut band = r.width.max(1);
    let mut x = r.x;
    let mut problem = None;
    let mut rows_seen = 0;
    while x < r.x + r.width {
        let width = band.min(r.x + r.width - x);
        let options = Options { scale, region: Some(Region { x, y: r.y, width, height: r.height }), ..Options::default() };
        let stride = r.width as usize * 3;
        let result = decoder.decode(&options, None, |y, row| {
            if let Pixels::Rgb888(pixels) = row {
                let start = (y - r.y) as usize * stride + (x - r.x) as usize * 3;
                if let Some(out) = rgb.get_mut(start..start + pixels.len()) {
                    out.copy_from_slice(pixels);
                }
            }
        });
        match result {
            Ok(_) => rows_seen = rows_seen.max(1),
            Err(e) if matches!(e.kind, prizm_jpeg::ErrorKind::TooLarge { .. }) && band > 16 => {
                band = (band / 2).max(16);
                continue;
            }
            Err(e) if e.rows_output > 0 => {
                rows_seen = rows_seen.max(e.rows_output);
                problem = problem.or(Some(e));
            }
            Err(e) => return Err(e),
        }
        x += width;
    }
    Ok((r, rgb, problem))
}

fn run(args: &[String]) -> Result<ExitCode, (u8, String)> {
    let arguments = parse_arguments(args).map_err(|e| (64, if e.is_empty() { USAGE.to_string() } else { format!("{e}\n{USAGE}") }))?;
    let jpeg = std::fs::read(&arguments.input).map_err(|e| (1, format!("{}: {e}", arguments.input)))?;
    if arguments.info {
        let decoder = Decoder::new(SliceSource::new(&jpeg)).map_err(|e| (1, format!("{}: {e}", arguments.input)))?;
        println!("{}", describe(&decoder.info()));
    }
    let Some(output) = arguments.output else { return Ok(ExitCode::SUCCESS) };
    let (region, rgb, problem) =
        decode(&jpeg, arguments.scale, arguments.region).map_err(|e| (1, format!("{}: {e}", arguments.input)))?;
    write_png(&output, region.width, region.height, &rgb).map_err(|e| (1, e))?;
    match problem {
        None => Ok(ExitCode::SUCCESS),
        Some(e) => {
            eprintln!("{}: damaged, partial picture written to {output}: {e}", arguments.input);
            Ok(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err((code, message)) => {
            eprintln!("jpeg-decode: {message}");
            ExitCode::from(code)
        }
    }
}
