//! Shared by the build scripts that assemble SH-4A code (the `prizm`
//! crate's and `prizm-lock`'s, each including this file with `#[path]`):
//! where `bootstrap.sh` put the toolchain, and assembling `.S` files into
//! a static library with it.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `tools/toolchain/bootstrap.sh` puts the SH toolchain:
/// `$PRIZM_TOOLCHAIN`, else `$PRIZM_TOOLCHAIN_CACHE/current`, else
/// `~/.cache/prizm-rs/current` (the rule of `tools/build.sh` too).
pub fn toolchain_dir() -> PathBuf {
    println!("cargo:rerun-if-env-changed=PRIZM_TOOLCHAIN");
    println!("cargo:rerun-if-env-changed=PRIZM_TOOLCHAIN_CACHE");
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

/// Assembles each of `sources` for SH-4A without FPU (big-endian) with
/// `defines` (`-D…` arguments) into `out`, then archives the objects as
/// `out/lib<library>.a` and tells cargo where to find it. Stops the build
/// with a way forward when the toolchain is missing.
pub fn assemble_library(sources: &[PathBuf], defines: &[String], out: &Path, library: &str) {
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
    let mut objects = Vec::new();
    for source in sources {
        let stem = source.file_stem().expect("an assembly source has a file name");
        let object = out.join(stem).with_extension("o");
        run(Command::new(&gcc)
            .args(["-c", "-mb", "-m4a-nofpu"])
            .args(defines)
            .arg("-o")
            .arg(&object)
            .arg(source));
        objects.push(object);
    }
    let archive = out.join(format!("lib{library}.a"));
    let _ = std::fs::remove_file(&archive);
    run(Command::new(&ar).arg("crs").arg(&archive).args(&objects));
    println!("cargo:rustc-link-search=native={}", out.display());
}
