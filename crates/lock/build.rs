//! Build script of `prizm-lock`: for the calculator target, assembles the
//! SH-4A SHA-256 routine (`src/sha256_sh4a.S`) with the project's
//! `sh3eb-elf-gcc` into a static library. Host builds use the Rust
//! version and need no toolchain.

use std::env;
use std::path::PathBuf;

#[path = "../../tools/toolchain/build_support.rs"]
mod build_support;

fn main() {
    println!("cargo:rerun-if-changed=src/sha256_sh4a.S");
    // Only the calculator target (SH, standing in as m68k) gets the assembly.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    build_support::assemble_library(
        &[manifest.join("src/sha256_sh4a.S")],
        &[],
        &out,
        "prizm_lock_sha256",
    );
    println!("cargo:rustc-link-lib=static=prizm_lock_sha256");
}
