//! The `g3a` binary: every command, and every class of bad input failing
//! with a one-line error, a non-zero exit and no panic.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{fixture_path, g3a_fixtures};
use g3a::testing::{ElfBuilder, PT_LOAD};
use g3a::{parse, verify, Icon};

fn g3a_cmd(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_g3a"));
    command.args(args.iter().map(|a| a.as_ref()));
    command.env_remove("SOURCE_DATE_EPOCH");
    command
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    g3a_cmd(args).output().expect("run g3a")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_ok(output: &Output) {
    assert!(
        output.status.success(),
        "failed: {}\n{}",
        stderr(output),
        stdout(output)
    );
}

/// Fails cleanly: non-zero exit, one `error:` line mentioning `needle`, no panic.
#[track_caller]
fn assert_clean_error(output: &Output, needle: &str) {
    let err = stderr(output);
    assert!(
        !output.status.success(),
        "unexpectedly succeeded: {}",
        stdout(output)
    );
    assert!(!err.contains("panicked"), "panic: {err}");
    assert!(!err.contains("RUST_BACKTRACE"), "panic: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(
        err.to_lowercase().contains(&needle.to_lowercase()),
        "expected {needle:?} in: {err}"
    );
}

/// A clap usage error: non-zero exit, no panic.
#[track_caller]
fn assert_usage_error(output: &Output) {
    let err = stderr(output);
    assert!(!output.status.success());
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&rgb.repeat((width * height) as usize))
        .unwrap();
    writer.finish().unwrap();
    out
}

fn sample_elf() -> Vec<u8> {
    ElfBuilder::new()
        .segment(
            PT_LOAD,
            0x0030_0000,
            &[0xD0, 0x01, 0x40, 0x2B, 0x00, 0x09],
            6,
        )
        .segment(PT_LOAD, 0x0030_0100, b"data image", 10)
        .segment(PT_LOAD, 0x0810_0000, &[], 0x400) // .bss in RAM: no file bytes
        .build()
}

// ---------------------------------------------------------------- help

#[test]
fn help_documents_every_command_with_examples() {
    let top = run(&[&"--help"]);
    assert_ok(&top);
    let text = stdout(&top);
    for command in ["pack", "info", "verify", "unpack", "icon"] {
        assert!(
            text.contains(&format!("g3a {command} ")),
            "no {command} example in:\n{text}"
        );
        let help = run(&[&command, &"--help"]);
        assert_ok(&help);
        let help = stdout(&help);
        assert!(
            help.contains("Example"),
            "{command} --help has no example:\n{help}"
        );
        assert!(
            help.contains(&format!("g3a {command} ")),
            "{command} --help"
        );
    }
}

// ---------------------------------------------------------------- info / verify

#[test]
fn info_shows_the_fixtures() {
    for (name, version, filename) in [
        ("sample-mkg3a-style.g3a", "02.01.0003", "Sample.g3a"),
        ("sample-fxgxa-style.g3a", "(empty)", "(empty)"),
    ] {
        let output = run(&[&"info", &fixture_path(name)]);
        assert_ok(&output);
        let text = stdout(&output);
        for expected in [
            "Name:            Sample".to_owned(),
            "Internal name:   @SAMPLE".to_owned(),
            format!("Version:         {version}"),
            "Date:            2026.1123.1200".to_owned(),
            format!("Stored filename: {filename}"),
            "Payload:         5000 bytes".to_owned(),
            "Checksum 16:".to_owned(),
            "Checksum 32:".to_owned(),
        ] {
            assert!(
                text.contains(&expected),
                "{name}: no {expected:?} in\n{text}"
            );
        }
    }
}

#[test]
fn info_json() {
    let output = run(&[&"info", &"--json", &fixture_path("sample-mkg3a-style.g3a")]);
    assert_ok(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["name"], "Sample");
    assert_eq!(json["internal_name"], "@SAMPLE");
    assert_eq!(json["version"], "02.01.0003");
    assert_eq!(json["date"], "2026.1123.1200");
    assert_eq!(json["payload_size"], 5000);
    assert_eq!(json["names"]["zh"], "Sample");
    assert_eq!(json["checksum16"]["stored"], "0x0000");
    assert_eq!(json["checksum16"]["computed"], "0xC2B9");
    assert_eq!(json["checksum32"]["stored"], "0x0040D914");
    assert_eq!(json["valid"], true);
    let output = run(&[&"info", &"--json", &fixture_path("sample-fxgxa-style.g3a")]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["version"], "");
    assert_eq!(json["filename"], "");
}

#[test]
fn verify_accepts_fixtures_and_prints_notes() {
    let output = run(&[&"verify", &fixture_path("sample-mkg3a-style.g3a")]);
    assert_ok(&output);
    let text = stdout(&output);
    assert!(
        text.contains("note") && text.contains("16-bit checksum"),
        "{text}"
    );
    assert!(text.contains("valid"), "{text}");
    let output = run(&[&"verify", &fixture_path("sample-fxgxa-style.g3a")]);
    assert_ok(&output);
    let output = run(&[
        &"verify",
        &"--json",
        &fixture_path("sample-fxgxa-style.g3a"),
    ]);
    assert_ok(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["checks"].as_array().unwrap().len() > 20);
}

#[test]
fn verify_lists_every_failing_check() {
    let dir = temp();
    let mut bytes = fs::read(fixture_path("sample-fxgxa-style.g3a")).unwrap();
    bytes[0x16] ^= 0x40; // 16-bit checksum
    bytes[0x24] = 2; // hidden add-in marker
    bytes[0x5E] = 0; // file size
    let path = write(dir.path(), "bad.g3a", &bytes);
    let output = run(&[&"verify", &path]);
    assert!(!output.status.success());
    assert!(!stderr(&output).contains("panicked"));
    let text = stdout(&output);
    for expected in [
        "ERROR 0x0016 16-bit checksum: expected 0xC2B9, found 0x82B9",
        "ERROR 0x0020 32-bit checksum: expected 0x",
        "ERROR 0x8388 trailer checksum copy: expected 0x",
        "ERROR 0x0024 fixed 01 01: expected 01 01, found 02 01",
        "ERROR 0x005C file size: expected 0x0000838C, found 0x0000008C",
        "note  0x0130 version",
        "INVALID (5 of",
    ] {
        assert!(text.contains(expected), "no {expected:?} in\n{text}");
    }
}

// ---------------------------------------------------------------- unpack / pack round trips

#[test]
fn unpack_then_pack_is_byte_identical_on_fixtures() {
    let dir = temp();
    for (name, bytes) in g3a_fixtures() {
        let unpacked = dir.path().join(format!("{name}.d"));
        assert_ok(&run(&[&"unpack", &fixture_path(name), &"-o", &unpacked]));
        for file in [
            "payload.bin",
            "icon-unselected.png",
            "icon-selected.png",
            "g3a.toml",
        ] {
            assert!(unpacked.join(file).is_file(), "{name}: no {file}");
        }
        assert_eq!(fs::read(unpacked.join("payload.bin")).unwrap().len(), 5000);
        let rebuilt = dir.path().join(format!("re-{name}"));
        assert_ok(&run(&[
            &"pack",
            &"--metadata",
            &unpacked.join("g3a.toml"),
            &"-o",
            &rebuilt,
        ]));
        assert!(
            fs::read(&rebuilt).unwrap() == bytes,
            "{name}: unpack → pack is not byte-identical"
        );
    }
}

#[test]
fn unpack_then_pack_preserves_unknown_header_bytes() {
    let dir = temp();
    let mut g3a = parse(&fs::read(fixture_path("sample-mkg3a-style.g3a")).unwrap()).unwrap();
    g3a.header_patches.push(g3a::HeaderPatch {
        offset: 0x290,
        bytes: vec![0x70, 0x07, 0x77],
    });
    g3a.header_patches.push(g3a::HeaderPatch {
        offset: 0x15,
        bytes: vec![0xFF],
    });
    g3a.eactivity = true;
    let bytes = g3a.to_bytes().unwrap();
    assert!(verify(&bytes).is_valid());
    let original = write(dir.path(), "odd.g3a", &bytes);
    let unpacked = dir.path().join("odd");
    assert_ok(&run(&[&"unpack", &original, &"-o", &unpacked]));
    let rebuilt = dir.path().join("rebuilt.g3a");
    assert_ok(&run(&[
        &"pack",
        &"--metadata",
        &unpacked.join("g3a.toml"),
        &"-o",
        &rebuilt,
    ]));
    assert!(fs::read(&rebuilt).unwrap() == bytes);
}

// ---------------------------------------------------------------- pack

#[test]
fn pack_from_elf() {
    let dir = temp();
    let elf = write(dir.path(), "hello.elf", &sample_elf());
    let out = dir.path().join("Hello.g3a");
    let output = g3a_cmd(&[
        &"pack",
        &elf,
        &"-o",
        &out,
        &"--name",
        &"Hello",
        &"--name-de",
        &"Hallo",
    ])
    .env("SOURCE_DATE_EPOCH", "1795435200")
    .output()
    .unwrap();
    assert_ok(&output);
    let bytes = fs::read(&out).unwrap();
    let report = verify(&bytes);
    assert!(report.is_valid() && report.notes().count() == 0, "{report}");
    let g3a = parse(&bytes).unwrap();
    assert_eq!(g3a.payload.len(), 0x10A);
    assert_eq!(&g3a.payload[..6], &[0xD0, 0x01, 0x40, 0x2B, 0x00, 0x09]);
    assert_eq!(&g3a.payload[0x100..], b"data image");
    assert_eq!(g3a.names.basic, "Hello");
    assert_eq!(g3a.names.get(g3a::Language::De), "Hallo");
    assert_eq!(g3a.names.get(g3a::Language::Fr), "Hello");
    assert_eq!(g3a.internal_name, "@HELLO");
    assert_eq!(g3a.version, "01.00.0000");
    assert_eq!(g3a.date, "2026.1123.1200");
    assert_eq!(g3a.filename, "Hello.g3a");
    assert_ne!(g3a.icon_unselected, g3a.icon_selected);
}

#[test]
fn pack_raw_with_every_option() {
    let dir = temp();
    let bin = write(dir.path(), "code.bin", &[0x42; 1000]);
    let uns = write(dir.path(), "uns.png", &png(92, 64, [255, 0, 0]));
    let sel = write(dir.path(), "sel.png", &png(184, 128, [0, 0, 255]));
    let out = dir.path().join("out.g3a");
    let output = run(&[
        &"pack",
        &"--raw",
        &bin,
        &"-o",
        &out,
        &"--name",
        &"Raw",
        &"--name-en",
        &"Raw EN",
        &"--name-es",
        &"Crudo",
        &"--name-fr",
        &"Brut",
        &"--name-pt",
        &"Cru",
        &"--name-zh",
        &"生",
        &"--name-un1",
        &"U1",
        &"--name-un2",
        &"U2",
        &"--internal",
        &"@RAW_1",
        &"--version",
        &"02.03.0004",
        &"--date",
        &"2024.0229.2359",
        &"--filename",
        &"Stored.g3a",
        &"--eactivity",
        &"--icon-unselected",
        &uns,
        &"--icon-selected",
        &sel,
        &"--resize",
    ]);
    assert_ok(&output);
    let g3a = parse(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(g3a.payload, vec![0x42; 1000]);
    assert_eq!(g3a.names.get(g3a::Language::En), "Raw EN");
    assert_eq!(g3a.names.get(g3a::Language::Zh), "生");
    assert_eq!(g3a.names.get(g3a::Language::Un2), "U2");
    assert_eq!(g3a.names.get(g3a::Language::De), "Raw");
    assert_eq!(g3a.internal_name, "@RAW_1");
    assert_eq!(g3a.version, "02.03.0004");
    assert_eq!(g3a.date, "2024.0229.2359");
    assert_eq!(g3a.filename, "Stored.g3a");
    assert!(g3a.eactivity);
    assert_eq!(g3a.icon_unselected, Icon::filled(0xF800));
    assert_eq!(g3a.icon_selected, Icon::filled(0x001F));
}

#[test]
fn pack_defaults_to_now_in_utc() {
    let dir = temp();
    let bin = write(dir.path(), "code.bin", &[1, 2, 3]);
    let out = dir.path().join("my app.g3a");
    let before = g3a::text::format_date_utc(now());
    assert_ok(&run(&[&"pack", &"--raw", &bin, &"-o", &out]));
    let after = g3a::text::format_date_utc(now());
    let g3a = parse(&fs::read(&out).unwrap()).unwrap();
    assert!(
        g3a.date == before || g3a.date == after,
        "{} not in {before}..{after}",
        g3a.date
    );
    assert_eq!(g3a.names.basic, "my app");
    assert_eq!(g3a.internal_name, "@MYAPP");
    assert_eq!(g3a.filename, "my app.g3a");
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn pack_with_manifest_and_overrides() {
    let dir = temp();
    fs::create_dir(dir.path().join("icons")).unwrap();
    write(
        &dir.path().join("icons"),
        "u.png",
        &png(92, 64, [0, 255, 0]),
    );
    write(
        &dir.path().join("icons"),
        "s.png",
        &png(92, 64, [255, 255, 255]),
    );
    let manifest = write(
        dir.path(),
        "Cargo.toml",
        br#"
[package]
name = "hello-prizm"
version = "1.4.12"

[package.metadata.prizm]
name = "Hello"
internal-name = "@HELLO"
icon-unselected = "icons/u.png"
icon-selected = "icons/s.png"
eactivity = true
names = { de = "Hallo", fr = "Salut" }
"#,
    );
    let elf = write(dir.path(), "hello.elf", &sample_elf());
    let out = dir.path().join("out.g3a");
    // Run from elsewhere: icon paths are relative to the manifest.
    let output = g3a_cmd(&[&"pack", &"--manifest", &manifest, &elf, &"-o", &out])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_ok(&output);
    let g3a = parse(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(g3a.names.basic, "Hello");
    assert_eq!(g3a.names.get(g3a::Language::De), "Hallo");
    assert_eq!(g3a.names.get(g3a::Language::Fr), "Salut");
    assert_eq!(g3a.names.get(g3a::Language::En), "Hello");
    assert_eq!(g3a.internal_name, "@HELLO");
    assert_eq!(g3a.version, "01.04.0012");
    assert!(g3a.eactivity);
    assert_eq!(g3a.icon_unselected, Icon::filled(0x07E0));
    assert_eq!(g3a.icon_selected, Icon::filled(0xFFFF));

    // Flags win over the manifest.
    let output = run(&[
        &"pack",
        &"--manifest",
        &manifest,
        &elf,
        &"-o",
        &out,
        &"--name",
        &"Other",
        &"--name-de",
        &"Andere",
        &"--version",
        &"09.00.0000",
        &"--internal",
        &"@OTHER",
    ]);
    assert_ok(&output);
    let g3a = parse(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(g3a.names.basic, "Other");
    assert_eq!(g3a.names.get(g3a::Language::De), "Andere");
    assert_eq!(g3a.names.get(g3a::Language::Fr), "Salut");
    assert_eq!(g3a.internal_name, "@OTHER");
    assert_eq!(g3a.version, "09.00.0000");
}

// ---------------------------------------------------------------- icon

#[test]
fn icon_replaces_icons_and_fixes_checksums() {
    let dir = temp();
    let original = fs::read(fixture_path("sample-fxgxa-style.g3a")).unwrap();
    let file = write(dir.path(), "s.g3a", &original);
    let red = write(dir.path(), "red.png", &png(92, 64, [255, 0, 0]));
    let blue = write(dir.path(), "blue.png", &png(92, 64, [0, 0, 255]));
    let out = dir.path().join("new.g3a");
    assert_ok(&run(&[
        &"icon",
        &file,
        &"--unselected",
        &red,
        &"--selected",
        &blue,
        &"-o",
        &out,
    ]));
    assert_eq!(
        fs::read(&file).unwrap(),
        original,
        "input untouched with -o"
    );
    let bytes = fs::read(&out).unwrap();
    assert!(verify(&bytes).is_valid());
    let g3a = parse(&bytes).unwrap();
    assert_eq!(g3a.icon_unselected, Icon::filled(0xF800));
    assert_eq!(g3a.icon_selected, Icon::filled(0x001F));
    assert!(
        bytes[0x7000..bytes.len() - 4] == original[0x7000..original.len() - 4],
        "payload changed"
    );

    // In place, one icon.
    assert_ok(&run(&[&"icon", &file, &"--selected", &red]));
    let g3a_in_place = parse(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(g3a_in_place.icon_selected, Icon::filled(0xF800));
    assert_eq!(
        g3a_in_place.icon_unselected,
        parse(&original).unwrap().icon_unselected
    );
    assert!(verify(&fs::read(&file).unwrap()).is_valid());
}

// ---------------------------------------------------------------- errors

#[test]
fn truncated_files_fail_cleanly() {
    let dir = temp();
    let bytes = fs::read(fixture_path("sample-mkg3a-style.g3a")).unwrap();
    let short = write(dir.path(), "short.g3a", &bytes[..1000]);
    let cut = write(dir.path(), "cut.g3a", &bytes[..bytes.len() - 100]);
    let empty = write(dir.path(), "empty.g3a", &[]);
    for file in [&short, &empty] {
        assert_clean_error(&run(&[&"info", file]), "truncated");
        assert_clean_error(
            &run(&[&"unpack", file, &"-o", &dir.path().join("x")]),
            "truncated",
        );
    }
    assert_clean_error(&run(&[&"info", &cut]), "size mismatch");
    let red = write(dir.path(), "red.png", &png(92, 64, [255, 0, 0]));
    assert_clean_error(&run(&[&"icon", &cut, &"--selected", &red]), "size mismatch");
    for file in [&short, &cut, &empty] {
        let output = run(&[&"verify", file]);
        assert!(!output.status.success());
        assert!(stdout(&output).contains("INVALID"));
        assert!(!stderr(&output).contains("panicked"));
    }
}

#[test]
fn wrong_magic_and_type_fail_cleanly() {
    let dir = temp();
    let mut bytes = fs::read(fixture_path("sample-mkg3a-style.g3a")).unwrap();
    bytes[0] = 0;
    let bad = write(dir.path(), "bad.g3a", &bytes);
    assert_clean_error(&run(&[&"info", &bad]), "wrong magic");
    let output = run(&[&"verify", &bad]);
    assert!(!output.status.success());
    assert!(
        stdout(&output).contains("ERROR 0x0000 magic"),
        "{}",
        stdout(&output)
    );
    bytes[0] = 0xAA;
    bytes[8] = 0xF3;
    let g1a = write(dir.path(), "g1a.g3a", &bytes);
    assert_clean_error(&run(&[&"info", &g1a]), "type byte");
    assert_clean_error(
        &run(&[&"info", &dir.path().join("missing.g3a")]),
        "cannot read",
    );
    assert_clean_error(&run(&[&"info", &dir.path()]), "");
}

#[test]
fn bad_checksum_fails_verify_but_icon_repairs_it() {
    let dir = temp();
    let mut bytes = fs::read(fixture_path("sample-fxgxa-style.g3a")).unwrap();
    bytes[0x7000] ^= 0xFF;
    let file = write(dir.path(), "bad.g3a", &bytes);
    let output = run(&[&"verify", &file]);
    assert!(!output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("ERROR 0x0020 32-bit checksum: expected"),
        "{text}"
    );
    let red = write(dir.path(), "red.png", &png(92, 64, [255, 0, 0]));
    assert_ok(&run(&[&"icon", &file, &"--unselected", &red]));
    assert_ok(&run(&[&"verify", &file]));
}

#[test]
fn oversized_payloads_fail_cleanly() {
    let dir = temp();
    let big = write(dir.path(), "big.bin", &vec![0; 2 * 1024 * 1024 + 1]);
    let out = dir.path().join("big.g3a");
    assert_clean_error(&run(&[&"pack", &"--raw", &big, &"-o", &out]), "2 MiB");
    assert!(!out.exists());
    let exact = write(dir.path(), "exact.bin", &vec![0; 2 * 1024 * 1024]);
    assert_ok(&run(&[&"pack", &"--raw", &exact, &"-o", &out]));
    let outside = write(
        dir.path(),
        "outside.elf",
        &ElfBuilder::new()
            .segment(PT_LOAD, 0x0050_0000, &[1, 2], 2)
            .build(),
    );
    assert_clean_error(
        &run(&[&"pack", &outside, &"-o", &out]),
        "outside the ROM window",
    );
    let overlap = write(
        dir.path(),
        "overlap.elf",
        &ElfBuilder::new()
            .segment(PT_LOAD, 0x0030_0000, &[1; 16], 16)
            .segment(PT_LOAD, 0x0030_0008, &[2; 16], 16)
            .build(),
    );
    assert_clean_error(&run(&[&"pack", &overlap, &"-o", &out]), "overlaps");
    let mut truncated_elf = sample_elf();
    truncated_elf.truncate(60);
    let truncated = write(dir.path(), "trunc.elf", &truncated_elf);
    assert_clean_error(&run(&[&"pack", &truncated, &"-o", &out]), "ELF");
}

#[test]
fn bad_pngs_fail_cleanly() {
    let dir = temp();
    let bin = write(dir.path(), "code.bin", &[0; 16]);
    let out = dir.path().join("out.g3a");
    let garbage = write(dir.path(), "garbage.png", b"\x89PNG\r\n\x1a\nnot really");
    let text = write(dir.path(), "text.png", b"hello");
    let wrong = write(dir.path(), "wrong.png", &png(32, 32, [1, 2, 3]));
    let mut cut = png(92, 64, [9, 9, 9]);
    cut.truncate(cut.len() - 20);
    let cut = write(dir.path(), "cut.png", &cut);
    for bad in [&garbage, &text, &cut] {
        assert_clean_error(
            &run(&[
                &"pack",
                &"--raw",
                &bin,
                &"-o",
                &out,
                &"--icon-unselected",
                bad,
            ]),
            "bad PNG",
        );
    }
    assert_clean_error(
        &run(&[
            &"pack",
            &"--raw",
            &bin,
            &"-o",
            &out,
            &"--icon-selected",
            &wrong,
        ]),
        "92x64",
    );
    assert_clean_error(
        &run(&[
            &"pack",
            &"--raw",
            &bin,
            &"-o",
            &out,
            &"--icon-selected",
            &dir.path().join("none.png"),
        ]),
        "cannot read",
    );
    let g3a = write(
        dir.path(),
        "s.g3a",
        &fs::read(fixture_path("sample-fxgxa-style.g3a")).unwrap(),
    );
    assert_clean_error(&run(&[&"icon", &g3a, &"--selected", &garbage]), "bad PNG");
    assert_clean_error(&run(&[&"icon", &g3a, &"--selected", &wrong]), "--resize");
    assert_ok(&run(&[&"icon", &g3a, &"--selected", &wrong, &"--resize"]));
    assert!(!out.exists());
}

#[test]
fn bad_flags_fail_cleanly() {
    let dir = temp();
    let bin = write(dir.path(), "code.bin", &[0; 16]);
    let elf_input = write(dir.path(), "plain.bin", b"not an elf at all");
    let out = dir.path().join("out.g3a");
    let pack = |extra: &[&dyn AsRef<std::ffi::OsStr>]| {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"pack", &"--raw", &bin, &"-o", &out];
        args.extend_from_slice(extra);
        run(&args)
    };
    assert_clean_error(&pack(&[&"--version", &"1.0"]), "MM.mm.pppp");
    assert_clean_error(&pack(&[&"--date", &"2026.1332.1200"]), "yyyy.MMdd.hhmm");
    assert_clean_error(&pack(&[&"--date", &"yesterday"]), "yyyy.MMdd.hhmm");
    assert_clean_error(&pack(&[&"--internal", &"@lower"]), "A-Z");
    assert_clean_error(&pack(&[&"--internal", &"NOAT"]), "'@'");
    assert_clean_error(&pack(&[&"--internal", &"@TOOLONGNAME"]), "longer");
    assert_clean_error(&pack(&[&"--name", &"A name too long for it"]), "at most 15");
    assert_clean_error(&pack(&[&"--name", &""]), "empty");
    assert_clean_error(
        &pack(&[&"--name-de", &"Ein viel zu langer deutscher Name"]),
        "at most 23",
    );
    assert_clean_error(&pack(&[&"--filename", &"a/b.g3a"]), "file name");
    assert_clean_error(&run(&[&"pack", &elf_input, &"-o", &out]), "--raw");
    assert_clean_error(&run(&[&"pack", &"-o", &out]), "no input");
    let output = g3a_cmd(&[&"pack", &"--raw", &bin, &"-o", &out])
        .env("SOURCE_DATE_EPOCH", "soon")
        .output()
        .unwrap();
    assert_clean_error(&output, "SOURCE_DATE_EPOCH");
    assert_clean_error(
        &run(&[
            &"pack",
            &"--raw",
            &bin,
            &"-o",
            &dir.path().join("no/such/dir/x.g3a"),
        ]),
        "cannot write",
    );
    assert!(!out.exists());

    assert_usage_error(&run(&[&"pack", &"--raw", &bin]));
    assert_usage_error(&run(&[&"pack", &"--bogus"]));
    assert_usage_error(&run(&[&"frobnicate"]));
    assert_usage_error(&run(&[&"icon", &"x.g3a"]));
    assert_usage_error(&run(&[
        &"pack",
        &"--manifest",
        &"a",
        &"--metadata",
        &"b",
        &"-o",
        &out,
    ]));
}

#[test]
fn bad_manifest_and_metadata_fail_cleanly() {
    let dir = temp();
    let bin = write(dir.path(), "code.bin", &[0; 16]);
    let out = dir.path().join("out.g3a");
    let broken = write(dir.path(), "Cargo.toml", b"[package\nname = ");
    assert_clean_error(
        &run(&[&"pack", &"--raw", &bin, &"-o", &out, &"--manifest", &broken]),
        "Cargo.toml",
    );
    let bad_names = write(
        dir.path(),
        "names.toml",
        b"[package]\nname='a'\n[package.metadata.prizm]\nnames = { xx = 'no' }\n",
    );
    assert_clean_error(
        &run(&[
            &"pack",
            &"--raw",
            &bin,
            &"-o",
            &out,
            &"--manifest",
            &bad_names,
        ]),
        "xx",
    );
    let bad_internal = write(
        dir.path(),
        "internal.toml",
        b"[package]\nname='a'\n[package.metadata.prizm]\ninternal-name = 'bad'\n",
    );
    assert_clean_error(
        &run(&[
            &"pack",
            &"--raw",
            &bin,
            &"-o",
            &out,
            &"--manifest",
            &bad_internal,
        ]),
        "internal-name",
    );

    let unpacked = dir.path().join("u");
    assert_ok(&run(&[
        &"unpack",
        &fixture_path("sample-mkg3a-style.g3a"),
        &"-o",
        &unpacked,
    ]));
    let metadata = unpacked.join("g3a.toml");
    let text = fs::read_to_string(&metadata).unwrap();
    fs::write(
        &metadata,
        text.replace("date = \"2026.1123.1200\"", "date = \"tomorrow\""),
    )
    .unwrap();
    assert_clean_error(
        &run(&[&"pack", &"--metadata", &metadata, &"-o", &out]),
        "date",
    );
    fs::write(
        &metadata,
        text.replace("payload = ", "surprise = 1\npayload = "),
    )
    .unwrap();
    assert_clean_error(
        &run(&[&"pack", &"--metadata", &metadata, &"-o", &out]),
        "surprise",
    );
    fs::write(
        &metadata,
        format!("{text}\n[[header-bytes]]\noffset = \"0x5C\"\nhex = \"00\"\n"),
    )
    .unwrap();
    assert_clean_error(
        &run(&[&"pack", &"--metadata", &metadata, &"-o", &out]),
        "computed field",
    );
    fs::write(&metadata, &text).unwrap();
    fs::remove_file(unpacked.join("payload.bin")).unwrap();
    assert_clean_error(
        &run(&[&"pack", &"--metadata", &metadata, &"-o", &out]),
        "payload.bin",
    );
    assert!(!out.exists());
}

#[test]
fn failures_leave_existing_output_intact() {
    let dir = temp();
    let bin = write(dir.path(), "code.bin", &[7; 100]);
    let out = dir.path().join("keep.g3a");
    assert_ok(&run(&[
        &"pack", &"--raw", &bin, &"-o", &out, &"--name", &"Keep",
    ]));
    let before = fs::read(&out).unwrap();
    let garbage = write(dir.path(), "garbage.png", b"nope");
    assert_clean_error(
        &run(&[
            &"pack",
            &"--raw",
            &bin,
            &"-o",
            &out,
            &"--icon-selected",
            &garbage,
        ]),
        "bad PNG",
    );
    assert_clean_error(&run(&[&"icon", &out, &"--selected", &garbage]), "bad PNG");
    assert_eq!(fs::read(&out).unwrap(), before);
    // Writing over a directory fails without leaving temporary files behind.
    let subdir = dir.path().join("a-directory");
    fs::create_dir(&subdir).unwrap();
    assert_clean_error(
        &run(&[&"pack", &"--raw", &bin, &"-o", &subdir]),
        "cannot write",
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
