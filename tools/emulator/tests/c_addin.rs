//! C code in an add-in: `tests/c/softfloat.c` (float and double arithmetic
//! through libgcc's soft-float helpers, compiled position-independent so
//! that it uses a global offset table) linked with the project's `link.ld`
//! and `crt0.S` and libgcc by the SH toolchain, then run in the emulator.
//! Needs the toolchain (`tools/build.sh` builds it once).

use std::path::{Path, PathBuf};
use std::process::Command;

use prizm_emu::loader::AddinImage;
use prizm_emu::{Condition, Emulator, Outcome};
use prizm_platform::memory::{
    ADDIN_RAM_BASE, ADDIN_RAM_SIZE, ADDIN_ROM_BASE, ADDIN_ROM_SIZE, SYSCALL_ENTRY,
};
use prizm_platform::syscall::GlibAddinAplExecutionCheck;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The toolchain's bin folder, by the rule of the build scripts.
fn toolchain_bin() -> PathBuf {
    let dir = match std::env::var_os("PRIZM_TOOLCHAIN") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("PRIZM_TOOLCHAIN_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/prizm-rs")
            })
            .join("current"),
    };
    let bin = dir.join("bin");
    assert!(
        bin.join("sh3eb-elf-gcc").exists(),
        "the SH toolchain is missing ({} has no sh3eb-elf-gcc): build it once with tools/build.sh \
         or point PRIZM_TOOLCHAIN at one",
        bin.display()
    );
    bin
}

fn gcc(bin: &Path, args: &[&str], cwd: &Path) {
    let output = Command::new(bin.join("sh3eb-elf-gcc"))
        .args(["-mb", "-m4a-nofpu"])
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("sh3eb-elf-gcc runs");
    assert!(
        output.status.success(),
        "sh3eb-elf-gcc {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Compiles and links the C add-in; returns the ELF's bytes.
fn build_c_addin(dir: &Path) -> Vec<u8> {
    let bin = toolchain_bin();
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c");
    std::fs::write(
        dir.join("prizm_memory.ld"),
        format!(
            "MEMORY\n{{\n rom (rx) : o = {ADDIN_ROM_BASE:#x}, l = {ADDIN_ROM_SIZE:#x}\n \
             ram (rwx) : o = {ADDIN_RAM_BASE:#x}, l = {ADDIN_RAM_SIZE:#x}\n}}\n"
        ),
    )
    .unwrap();
    let source = |name: &str| tests.join(name).to_string_lossy().into_owned();
    let crt0 = repo()
        .join("src/runtime/crt0.S")
        .to_string_lossy()
        .into_owned();
    gcc(
        &bin,
        &[
            "-c",
            "-O2",
            "-fPIC",
            &source("softfloat.c"),
            "-o",
            "softfloat.o",
        ],
        dir,
    );
    gcc(
        &bin,
        &["-c", &source("emu_stubs.S"), "-o", "emu_stubs.o"],
        dir,
    );
    let entry = format!("-DSYSCALL_ENTRY={SYSCALL_ENTRY:#x}");
    let started = format!("-DSYSCALL_ADDIN_STARTED={GlibAddinAplExecutionCheck:#x}");
    gcc(&bin, &["-c", &entry, &started, &crt0, "-o", "crt0.o"], dir);
    let link_ld = repo().join("link.ld").to_string_lossy().into_owned();
    gcc(
        &bin,
        &[
            "-nostdlib",
            "-L.",
            "-T",
            &link_ld,
            "-Wl,--gc-sections",
            "crt0.o",
            "softfloat.o",
            "emu_stubs.o",
            "-lgcc",
            "-o",
            "softfloat.elf",
        ],
        dir,
    );
    std::fs::read(dir.join("softfloat.elf")).unwrap()
}

#[test]
fn c_soft_float_through_a_got_runs() {
    let dir = tempfile::tempdir().unwrap();
    let elf = build_c_addin(dir.path());
    // The offset table is there, inside the data crt0 copies to RAM.
    let image = AddinImage::from_elf(&elf).unwrap();
    let symbol = |name: &str| {
        image
            .symbols
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in the linked add-in"))
    };
    let got = symbol("_GLOBAL_OFFSET_TABLE_");
    assert!(
        (symbol("__data_start")..symbol("__data_end")).contains(&got),
        "GOT at 0x{got:08X} lies outside the copied data"
    );
    let mut emu = Emulator::builder()
        .budget(10_000_000)
        .load_bytes(&elf)
        .unwrap();
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.debug_output(), b"2875\n");
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 2875 }));
}
