//! Crash reports name the source file and line when the ELF has DWARF line
//! tables. The tables are written here with `gimli`, as a compiler would,
//! for a three-instruction program whose last instruction writes to address 0.

mod common;

use common::BASE;
use g3a::testing::{ElfBuilder, PT_LOAD};
use gimli::write::{
    Address, AttributeValue, DwarfUnit, EndianVec, LineProgram, LineString, Sections,
};
use gimli::{Encoding, Format, LineEncoding};
use prizm_emu::{Condition, Emulator, Outcome};

/// mov #0,r1; nop; mov.l r0,@r1 (a null-pointer write: reads there are
/// answered, as on the calculator).
const CODE: [u8; 6] = [0xE1, 0x00, 0x00, 0x09, 0x21, 0x02];

/// DWARF sections mapping the code's three instructions to lines 10, 11
/// and 12 of `src/crash.rs` in `/addin`.
fn line_tables() -> Vec<(&'static str, Vec<u8>)> {
    let encoding = Encoding {
        format: Format::Dwarf32,
        version: 4,
        address_size: 4,
    };
    let mut dwarf = DwarfUnit::new(encoding);
    let source = || LineString::String(b"src/crash.rs".to_vec());
    let mut program = LineProgram::new(
        encoding,
        LineEncoding::default(),
        LineString::String(b"/addin".to_vec()),
        None,
        source(),
        None,
    );
    let directory = program.default_directory();
    let file = program.add_file(source(), directory, None);
    program.begin_sequence(Some(Address::Constant(u64::from(BASE))));
    for (offset, line) in [(0, 10), (2, 11), (4, 12)] {
        let row = program.row();
        row.address_offset = offset;
        row.file = file;
        row.line = line;
        program.generate_row();
    }
    program.end_sequence(CODE.len() as u64);
    dwarf.unit.line_program = program;
    let root = dwarf.unit.root();
    let unit = dwarf.unit.get_mut(root);
    unit.set(
        gimli::DW_AT_name,
        AttributeValue::String(b"src/crash.rs".to_vec()),
    );
    unit.set(
        gimli::DW_AT_comp_dir,
        AttributeValue::String(b"/addin".to_vec()),
    );
    unit.set(
        gimli::DW_AT_low_pc,
        AttributeValue::Address(Address::Constant(u64::from(BASE))),
    );
    unit.set(
        gimli::DW_AT_high_pc,
        AttributeValue::Udata(CODE.len() as u64),
    );

    let mut sections = Sections::new(EndianVec::new(gimli::BigEndian));
    dwarf.write(&mut sections).unwrap();
    let mut out = Vec::new();
    sections
        .for_each(|id, data| {
            if !data.slice().is_empty() {
                out.push((id.name(), data.slice().to_vec()));
            }
            Ok::<(), gimli::write::Error>(())
        })
        .unwrap();
    out
}

fn crash_report(file: &[u8]) -> String {
    let mut emu = Emulator::builder().budget(1_000).load_bytes(file).unwrap();
    emu.run_until(Condition::Exited).unwrap();
    match emu.outcome() {
        Some(Outcome::Fault(report)) => report.to_string(),
        other => panic!("expected a crash, got {other:?}"),
    }
}

#[test]
fn crash_report_names_file_and_line() {
    let mut builder = ElfBuilder::new()
        .segment(PT_LOAD, BASE, &CODE, CODE.len() as u32)
        .symbol("_start", BASE);
    for (name, data) in line_tables() {
        builder = builder.section(name, &data);
    }
    let report = crash_report(&builder.build());
    assert!(
        report.contains("at PC 0x00300004 <_start+0x4> at /addin/src/crash.rs:12\n"),
        "{report}"
    );
}

#[test]
fn without_line_tables_the_report_names_the_symbol_only() {
    let file = ElfBuilder::new()
        .segment(PT_LOAD, BASE, &CODE, CODE.len() as u32)
        .symbol("_start", BASE)
        .build();
    let report = crash_report(&file);
    assert!(
        report.contains("at PC 0x00300004 <_start+0x4>\n"),
        "{report}"
    );
}

#[test]
fn malformed_line_tables_do_not_break_the_report() {
    let file = ElfBuilder::new()
        .segment(PT_LOAD, BASE, &CODE, CODE.len() as u32)
        .symbol("_start", BASE)
        .section(".debug_info", &[0xFF; 40])
        .section(".debug_line", &[0x00, 0x00, 0x01])
        .build();
    let report = crash_report(&file);
    assert!(
        report.contains("at PC 0x00300004 <_start+0x4>\n"),
        "{report}"
    );
}

/// Damaged line tables (random bytes changed) never break a crash report.
#[test]
fn mutated_line_tables_never_panic() {
    let tables = line_tables();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..200 {
        let mut builder = ElfBuilder::new()
            .segment(PT_LOAD, BASE, &CODE, CODE.len() as u32)
            .symbol("_start", BASE);
        for (name, data) in &tables {
            let mut data = data.clone();
            for _ in 0..next() % 4 + 1 {
                let at = (next() % data.len() as u64) as usize;
                data[at] = next() as u8;
            }
            builder = builder.section(name, &data);
        }
        let report = crash_report(&builder.build());
        assert!(report.contains("at PC 0x00300004 <_start+0x4>"), "{report}");
    }
}
