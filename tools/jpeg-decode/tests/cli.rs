//! The command line: exit codes, files written, messages.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../crates/jpeg/tests/fixtures")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_jpeg-decode")).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn png_size(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let reader = decoder.read_info().unwrap();
    (reader.info().width, reader.info().height)
}

/// A test's own folder, deleted when the test ends.
fn scratch() -> TempDir {
    tempfile::Builder::new().prefix("jpeg-decode-test-").tempdir().unwrap()
}

#[test]
fn decodes_a_file_to_png_at_a_scale_and_for_a_region() {
    let input = fixtures().join("reftest/rgb.jpg");
    let dir = scratch();
    let out = dir.path().join("rgb.png");
    let (code, _, err) = run(&[input.to_str().unwrap(), out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(png_size(&out), (500, 333));

    let (code, _, err) = run(&[input.to_str().unwrap(), out.to_str().unwrap(), "--scale", "1/8"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(png_size(&out), (63, 42));

    let (code, _, err) = run(&[input.to_str().unwrap(), out.to_str().unwrap(), "--scale", "1/2", "--region", "10,20,100,50"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(png_size(&out), (100, 50));
}

#[test]
fn wide_images_decode_in_bands_within_the_memory_limit() {
    // 1/1 across the full width exceeds the 48 KiB working memory: decoded in column bands.
    let input = fixtures().join("crashtest/extraneous-bytes-after-sos.jpg");
    let dir = scratch();
    let out = dir.path().join("wide.png");
    let (code, _, err) = run(&[input.to_str().unwrap(), out.to_str().unwrap()]);
    assert!(code == 0 || code == 2, "{code}: {err}");
    let (w, h) = png_size(&out);
    assert!(w > 1000 && h > 1000, "{w}x{h}");
}

#[test]
fn info_prints_the_header_facts() {
    let input = fixtures().join("reftest/mozilla/jpg-progressive.jpg");
    let (code, out, err) = run(&[input.to_str().unwrap(), "--info"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("32x32") && out.contains("Progressive"), "{out}");
}

#[test]
fn a_file_without_a_picture_fails_with_the_error() {
    let input = fixtures().join("crashtest/missing-sos.jpg");
    let dir = scratch();
    let out = dir.path().join("none.png");
    let (code, _, err) = run(&[input.to_str().unwrap(), out.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("no scan (SOS)"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_damaged_file_writes_the_partial_picture_and_says_what_is_wrong() {
    let full = std::fs::read(fixtures().join("reftest/rgb.jpg")).unwrap();
    let dir = scratch();
    let input = dir.path().join("cut.jpg");
    std::fs::write(&input, &full[..full.len() / 2]).unwrap();
    let out = dir.path().join("cut.png");
    let (code, _, err) = run(&[input.to_str().unwrap(), out.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("partial picture written") && err.contains("ends before the last block"), "{err}");
    assert_eq!(png_size(&out), (500, 333));
}

#[test]
fn bad_arguments_explain_the_usage() {
    let (code, _, err) = run(&["in.jpg", "out.png", "--scale", "1/3"]);
    assert_eq!(code, 64);
    assert!(err.contains("1/1, 1/2, 1/4 or 1/8"), "{err}");
    let (code, _, err) = run(&[]);
    assert_eq!(code, 64);
    assert!(err.contains("usage"), "{err}");
}
