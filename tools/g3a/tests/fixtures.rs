//! The library against the independent fixtures and round trips.

mod common;

use common::{fixture, g3a_fixtures};
use g3a::metadata::Metadata;
use g3a::{checksum, parse, verify, Checksum16, G3a, Icon, Language, Status};

fn check<'a>(report: &'a g3a::Report, name: &str) -> &'a g3a::Check {
    report
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name}"))
}

#[test]
fn verify_accepts_both_fixtures() {
    for (name, bytes) in g3a_fixtures() {
        let report = verify(&bytes);
        assert!(report.is_valid(), "{name}:\n{report}");
    }
}

#[test]
fn mkg3a_fixture_zero_checksum16_is_a_note() {
    let report = verify(&fixture("sample-mkg3a-style.g3a"));
    let c16 = check(&report, "16-bit checksum");
    assert_eq!(c16.status, Status::Note);
    assert_eq!(c16.found, "0x0000");
    assert_eq!(c16.expected, "0xC2B9");
    assert_eq!(report.notes().count(), 1, "{report}");
}

#[test]
fn fxgxa_fixture_checksum16_is_computed_and_empty_fields_accepted() {
    let report = verify(&fixture("sample-fxgxa-style.g3a"));
    assert_eq!(check(&report, "16-bit checksum").status, Status::Ok);
    assert_eq!(check(&report, "version").status, Status::Note);
    assert_eq!(check(&report, "stored filename").status, Status::Note);
    assert_eq!(check(&report, "unknown byte").status, Status::Ok);
    assert_eq!(check(&report, "unknown bytes").status, Status::Ok);
}

#[test]
fn fixture_fields() {
    let mkg3a = parse(&fixture("sample-mkg3a-style.g3a")).unwrap();
    let fxgxa = parse(&fixture("sample-fxgxa-style.g3a")).unwrap();
    for g3a in [&mkg3a, &fxgxa] {
        assert_eq!(g3a.names.basic, "Sample");
        for language in Language::ALL {
            assert_eq!(g3a.names.get(language), "Sample");
        }
        assert_eq!(g3a.internal_name, "@SAMPLE");
        assert_eq!(g3a.date, "2026.1123.1200");
        assert_eq!(g3a.payload.len(), 5000);
        assert!(!g3a.eactivity);
        assert!(g3a.header_patches.is_empty(), "{:?}", g3a.header_patches);
    }
    assert_eq!(mkg3a.version, "02.01.0003");
    assert_eq!(mkg3a.filename, "Sample.g3a");
    assert_eq!(mkg3a.checksum16, Checksum16::Zero);
    assert_eq!(fxgxa.version, "");
    assert_eq!(fxgxa.filename, "");
    assert_eq!(fxgxa.checksum16, Checksum16::Computed);
}

#[test]
fn fixtures_reserialize_byte_identically() {
    for (name, bytes) in g3a_fixtures() {
        let g3a = parse(&bytes).unwrap();
        assert!(
            g3a.to_bytes().unwrap() == bytes,
            "{name} changed on re-serialisation"
        );
    }
}

#[test]
fn fixtures_round_trip_through_metadata_and_png() {
    for (name, bytes) in g3a_fixtures() {
        let g3a = parse(&bytes).unwrap();
        let text = Metadata::from_g3a(&g3a).to_toml().unwrap();
        let metadata = Metadata::from_toml(&text).unwrap();
        let unselected = Icon::from_png(&g3a.icon_unselected.to_png(), false).unwrap();
        let selected = Icon::from_png(&g3a.icon_selected.to_png(), false).unwrap();
        let rebuilt = metadata
            .to_g3a(g3a.payload.clone(), unselected, selected)
            .unwrap();
        assert!(rebuilt.to_bytes().unwrap() == bytes, "{name}");
    }
}

#[test]
fn fixture_checksums_known_answers() {
    let mkg3a = fixture("sample-mkg3a-style.g3a");
    let fxgxa = fixture("sample-fxgxa-style.g3a");
    assert_eq!(checksum::checksum16(&mkg3a), 0xC2B9);
    assert_eq!(checksum::checksum16(&fxgxa), 0xC2B9);
    assert_eq!(checksum::checksum32(&mkg3a), 0x0040_D914);
    assert_eq!(checksum::checksum32(&fxgxa), 0x0040_D522);
    // 33676 = 0x838C: inverted FF FF 7C 73, control bytes 0x32 and 0xBB.
    assert_eq!(checksum::inverted_size(33676), [0xFF, 0xFF, 0x7C, 0x73]);
    assert_eq!(checksum::control_bytes(33676), (0x32, 0xBB));
    assert_eq!(
        &mkg3a[0x0E..0x16],
        &[0x32, 0xFE, 0xFF, 0xFF, 0x7C, 0x73, 0xBB, 0x00]
    );
}

#[test]
fn pack_then_parse() {
    let mut g3a = G3a::new(
        "Round Trip",
        (0..70_000u32).map(|i| (i ^ (i >> 8)) as u8).collect(),
    );
    g3a.names.set(Language::De, "Rundreise");
    g3a.names.set(Language::Zh, "往返");
    g3a.internal_name = "@ROUND".into();
    g3a.version = "03.02.0001".into();
    g3a.date = "2030.0101.0000".into();
    g3a.filename = "RoundTrip.g3a".into();
    g3a.eactivity = true;
    let bytes = g3a.to_bytes().unwrap();
    let report = verify(&bytes);
    assert!(report.is_valid() && report.notes().count() == 0, "{report}");
    assert_eq!(parse(&bytes).unwrap(), g3a);
    assert_eq!(bytes[0x12B], 1);
}
