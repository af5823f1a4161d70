//! The prizm toolkit checkout this tool works with (target spec, linker
//! script, wrappers, bootstrap) and the SH-4A toolchain it builds.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Files an add-in build takes from the toolkit, relative to its root.
pub const TOOLKIT_FILES: &[&str] = &[
    "Cargo.toml",
    "sh4-target.json",
    "link.ld",
    ".cargo/config.toml",
    "rust-toolchain.toml",
    "tools/toolchain/bootstrap.sh",
    "tools/toolchain/sh-ld",
    "tools/toolchain/rustc-wrapper",
    "tools/emulator/cargo-runner.sh",
];

/// The name cargo gives the calculator target: the target spec's file stem,
/// which names the folder under `target/` and the `[target.…]` table.
pub const TARGET_NAME: &str = "sh4-target";

/// A toolkit checkout: the `prizm` crate at its root, the tools under `tools/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolkit {
    /// The checkout's root (holds the `prizm` crate's Cargo.toml).
    pub root: PathBuf,
}

impl Toolkit {
    /// The checkout this binary was built from (`tools/cargo-prizm/../..`),
    /// or `$PRIZM_TOOLKIT` when set.
    pub fn locate() -> Result<Toolkit> {
        let root = match std::env::var_os("PRIZM_TOOLKIT") {
            Some(dir) => PathBuf::from(dir),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
        };
        Toolkit::at(&root).with_context(|| {
            format!(
                "cargo-prizm was built from the toolkit at {}; reinstall it from a checkout \
                 (cargo install --path tools/cargo-prizm) or set PRIZM_TOOLKIT to one",
                root.display()
            )
        })
    }

    /// The toolkit at `root`, checked for the files builds need.
    pub fn at(root: &Path) -> Result<Toolkit> {
        let root = root
            .canonicalize()
            .with_context(|| format!("no toolkit at {}", root.display()))?;
        let missing: Vec<&str> = TOOLKIT_FILES
            .iter()
            .copied()
            .filter(|file| !root.join(file).is_file())
            .collect();
        if !missing.is_empty() {
            bail!(
                "{} is not a prizm toolkit checkout: missing {}",
                root.display(),
                missing.join(", ")
            );
        }
        Ok(Toolkit { root })
    }

    /// A file of the toolkit.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }
}

/// The toolchain cache (`$PRIZM_TOOLCHAIN_CACHE`, else `~/.cache/prizm-rs`).
pub fn toolchain_cache() -> PathBuf {
    match std::env::var_os("PRIZM_TOOLCHAIN_CACHE") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/prizm-rs"),
    }
}

/// The toolchain in use: `$PRIZM_TOOLCHAIN`, else the cache's `current`.
pub fn toolchain_dir() -> PathBuf {
    match std::env::var_os("PRIZM_TOOLCHAIN") {
        Some(dir) => PathBuf::from(dir),
        None => toolchain_cache().join("current"),
    }
}

/// A program of the SH toolchain (`sh3eb-elf-<name>`).
pub fn sh_tool(name: &str) -> PathBuf {
    toolchain_dir()
        .join("bin")
        .join(format!("sh3eb-elf-{name}"))
}

/// What is missing for a calculator build, if anything: the SH GCC, or
/// rustc's GCC backend in the nightly's sysroot (both made by the bootstrap).
pub fn toolchain_missing() -> Option<String> {
    let gcc = sh_tool("gcc");
    if !gcc.is_file() {
        return Some(format!("{} not found", gcc.display()));
    }
    if std::env::var_os("PRIZM_TOOLCHAIN").is_some() {
        // A toolchain given by hand: the backend is the user's business.
        return None;
    }
    let sysroot = match nightly_sysroot() {
        Ok(sysroot) => sysroot,
        Err(error) => return Some(format!("{error:#}")),
    };
    let backends = sysroot
        .join("lib/rustlib")
        .join(host_triple())
        .join("codegen-backends");
    let has_backend = std::fs::read_dir(&backends)
        .map(|entries| {
            entries.flatten().any(|entry| {
                entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("librustc_codegen_gcc")
            })
        })
        .unwrap_or(false);
    if has_backend {
        None
    } else {
        Some(format!(
            "rustc's GCC backend is not installed in {}",
            backends.display()
        ))
    }
}

fn host_triple() -> &'static str {
    // The nightly is the one installed for this host; the tool itself is
    // built for it too.
    if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        "x86_64-unknown-linux-gnu"
    } else if cfg!(all(target_arch = "aarch64", target_os = "linux")) {
        "aarch64-unknown-linux-gnu"
    } else {
        "unknown"
    }
}

fn nightly_sysroot() -> Result<PathBuf> {
    let output = Command::new("rustc")
        .args(["+nightly", "--print", "sysroot"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .output()
        .context("cannot run `rustc +nightly` (is rustup installed?)")?;
    if !output.status.success() {
        bail!(
            "no nightly Rust toolchain: install it with `rustup toolchain install nightly` ({})",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// Builds the toolchain with the toolkit's bootstrap (about 20 minutes the
/// first time; its progress goes straight to the terminal).
pub fn bootstrap(toolkit: &Toolkit) -> Result<()> {
    let script = toolkit.path("tools/toolchain/bootstrap.sh");
    let status = Command::new(&script)
        .env_remove("RUSTUP_TOOLCHAIN")
        .status()
        .with_context(|| format!("cannot run {}", script.display()))?;
    if !status.success() {
        bail!(
            "building the SH-4A toolchain failed ({status}); the messages above say which stage and how to fix it, \
             then run the command again"
        );
    }
    Ok(())
}

/// Makes sure the toolchain exists, building it when it does not.
pub fn ensure_toolchain(toolkit: &Toolkit) -> Result<()> {
    if let Some(what) = toolchain_missing() {
        if std::env::var_os("PRIZM_TOOLCHAIN").is_some() {
            bail!("the toolchain in PRIZM_TOOLCHAIN is incomplete: {what}");
        }
        eprintln!("cargo-prizm: the SH-4A toolchain is missing ({what}); building it now (about 20 minutes, once)");
        bootstrap(toolkit)?;
        if let Some(what) = toolchain_missing() {
            bail!("the toolchain bootstrap finished but the toolchain is still incomplete: {what}");
        }
    }
    Ok(())
}

/// The id of the toolchain build (`current-id`), if known: objects compiled
/// by another backend build must not be reused.
pub fn toolchain_id() -> Option<Vec<u8>> {
    std::fs::read(toolchain_cache().join("current-id")).ok()
}
