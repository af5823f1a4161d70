//! prizm-jpeg on the calculator (addins/jpegtest): the add-in decodes JPEG
//! files from storage memory through the file API (`prizm::fs::File` as the
//! decoder's `ByteSource`), and the same bytes from memory, and prints rows
//! and a pixel checksum per request. Here the same requests are decoded on
//! the host by the same crate: the SH-4 build (big-endian, GCC backend) must
//! give exactly the host's pixels, and reading through the file API must
//! change nothing.

use emulator_tests::{addin, builder, repo};
use prizm_emu::{Condition, Outcome};
use prizm_jpeg::{Decoder, Index, Options, PixelFormat, Pixels, Region, Scale, SliceSource};

/// The pictures the add-in expects in storage memory: a baseline 4:2:0
/// photo and a progressive one (the benchmark's).
const FILES: [(&str, &str); 2] = [
    ("JT1.jpg", "addins/jpegbench/images/photo-384x216.jpg"),
    ("JT2.jpg", "addins/jpegbench/images/photo-1024x768-progressive.jpg"),
];

/// The value of `key=` in a `jpegtest:` line.
fn field<'a>(line: &'a str, key: &str) -> &'a str {
    line.split_whitespace()
        .find_map(|word| word.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
        .unwrap_or_else(|| panic!("no {key}= in {line:?}"))
}

/// Rows and checksum of the request a line describes, decoded on the host
/// (the checksum as the add-in computes it).
fn host_decode(jpeg: &[u8], line: &str) -> (u32, u32) {
    let divisor: u32 = field(line, "scale").parse().unwrap();
    let region: Vec<u32> = field(line, "region").split(',').map(|n| n.parse().unwrap()).collect();
    let format = match field(line, "format") {
        "888" => PixelFormat::Rgb888,
        "565" => PixelFormat::Rgb565,
        "565d" => PixelFormat::Rgb565Dithered,
        other => panic!("unknown format {other}"),
    };
    let use_index = field(line, "index") == "1";
    let options = Options {
        scale: Scale::from_divisor(divisor).unwrap(),
        region: (region[2] > 0).then_some(Region { x: region[0], y: region[1], width: region[2], height: region[3] }),
        format,
        ..Options::default()
    };
    let mut decoder = Decoder::new(SliceSource::new(jpeg)).unwrap();
    let mut index = Index::new();
    if use_index {
        decoder.build_index(&mut index).unwrap();
    }
    let mut checksum = 0u32;
    let summary = decoder
        .decode(&options, use_index.then_some(&mut index), |_, row| match row {
            Pixels::Rgb565(pixels) => pixels.iter().for_each(|&p| checksum = checksum.rotate_left(5) ^ u32::from(p)),
            Pixels::Rgb888(bytes) => bytes.iter().for_each(|&b| checksum = checksum.rotate_left(5) ^ u32::from(b)),
        })
        .unwrap();
    if let Some(r) = options.region {
        assert_eq!(summary.rows, r.height, "host decode of {line:?} gave every row of the region");
    }
    (summary.rows, checksum)
}

#[test]
fn decodes_from_storage_memory_exactly_as_on_the_host() {
    let mut emu = builder("jpeg").budget(4_000_000_000).open(addin("jpegtest")).unwrap();
    let mut pictures = Vec::new();
    for (name, source) in FILES {
        let bytes = std::fs::read(repo().join(source)).unwrap();
        emu.write_storage_file(name, &bytes).unwrap();
        pictures.push((name, bytes));
    }
    emu.run_until(Condition::Exited).unwrap_or_else(|e| panic!("{e}"));
    let output = String::from_utf8_lossy(emu.debug_output()).into_owned();
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 0 }), "debug output:\n{output}");
    let lines: Vec<&str> = output.lines().filter(|l| l.starts_with("jpegtest: file=")).collect();
    assert_eq!(lines.len(), 6, "one line per request:\n{output}");
    assert!(output.contains("jpegtest: done"), "{output}");
    for line in lines {
        assert_eq!(field(line, "memory"), "same", "file and memory decodes differ: {line}");
        let name = field(line, "file");
        let (_, jpeg) = pictures.iter().find(|(n, _)| *n == name).unwrap();
        let (rows, checksum) = host_decode(jpeg, line);
        assert!(rows > 0, "{line}");
        assert_eq!(field(line, "rows").parse::<u32>().unwrap(), rows, "{line}");
        assert_eq!(field(line, "checksum"), format!("{checksum:#010x}"), "pixels differ from the host's: {line}");
    }
}
