//! Build script of `prizm-lock`: for the calculator target, assembles the
//! SH-4A SHA-256 routine (`src/sha256_sh4a.S`) with the project's
//! `sh3eb-elf-gcc` into a static library. Host builds use the Rust
//! version and need no toolchain.

use std::env;
use std::path::PathBuf;
use std::process::Command;

/// Where `tools/toolchain/bootstrap.sh` puts the SH toolchain (the same
/// rule as the `prizm` crate's build script).
fn toolchain_dir() -> PathBuf {
    if let Some(dir) = env::var_os("PRIZM_TOOLCHAIN") {
        return PathBuf::from(dir);
    }
    let cache = env::var_os("PRIZM_TOOLCHAIN_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cache/prizm-rs")
        });
    cache.join("current")
}

fn run(command: &mut Command) {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .unwrap_or_else(|error| panic!("could not run {shown}: {error}"));
    assert!(status.success(), "{shown} failed with {status}");
}

fn main() {
    println!("cargo:rerun-if-changed=src/sha256_sh4a.S");
    println!("cargo:rerun-if-env-changed=PRIZM_TOOLCHAIN");
    println!("cargo:rerun-if-env-changed=PRIZM_TOOLCHAIN_CACHE");
    // Only the calculator target (SH, standing in as m68k) gets the assembly.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let toolchain = toolchain_dir();
    let gcc = toolchain.join("bin/sh3eb-elf-gcc");
    let ar = toolchain.join("bin/sh3eb-elf-ar");
    if !gcc.exists() {
        panic!(
            "\n\nThe SH-4A toolchain is missing ({} not found).\n\
             Build it once with:  tools/build.sh   (or tools/toolchain/bootstrap.sh)\n\
             or point PRIZM_TOOLCHAIN at an existing one.\n",
            gcc.display()
        );
    }
    let object = out.join("sha256_sh4a.o");
    run(Command::new(&gcc)
        .args(["-c", "-mb", "-m4a-nofpu", "-o"])
        .arg(&object)
        .arg(manifest.join("src/sha256_sh4a.S")));
    let archive = out.join("libprizm_lock_sha256.a");
    let _ = std::fs::remove_file(&archive);
    run(Command::new(&ar).arg("crs").arg(&archive).arg(&object));
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=prizm_lock_sha256");
}
