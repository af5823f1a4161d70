//! The user's add-in crate: where it is, what it builds, where cargo puts it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;

use crate::toolkit::TARGET_NAME;

/// An add-in crate, as `cargo metadata` describes it.
#[derive(Debug, Clone)]
pub struct Project {
    /// The crate's folder.
    pub root: PathBuf,
    /// Its Cargo.toml.
    pub manifest: PathBuf,
    /// `package.name`.
    pub package: String,
    /// Its binary targets (each becomes one add-in).
    pub bins: Vec<String>,
    /// cargo's target directory.
    pub target_dir: PathBuf,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
    #[serde(default)]
    metadata: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

/// `cargo` with the environment of an outer cargo or rustup removed, so the
/// crate's own `rust-toolchain.toml` and `.cargo/config.toml` decide.
pub fn cargo(dir: &Path) -> Command {
    let mut command = Command::new("cargo");
    command.current_dir(dir);
    for variable in [
        "RUSTUP_TOOLCHAIN",
        "RUSTC",
        "RUSTDOC",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_MAKEFLAGS",
        "CARGO_BUILD_TARGET",
    ] {
        command.env_remove(variable);
    }
    command
}

/// The nearest folder from `start` upwards holding a Cargo.toml.
pub fn find_manifest(start: &Path) -> Result<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|manifest| manifest.is_file())
        .ok_or_else(|| {
            anyhow!(
                "no Cargo.toml in {} or any folder above it: run this inside an add-in crate \
                 (make one with `cargo prizm new NAME`)",
                start.display()
            )
        })
}

impl Project {
    /// The add-in crate containing `start` (or whose manifest it is).
    pub fn find(start: &Path) -> Result<Project> {
        let manifest = if start.is_file() {
            start.to_path_buf()
        } else {
            find_manifest(start)?
        };
        let manifest = manifest
            .canonicalize()
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        let root = manifest
            .parent()
            .map(Path::to_path_buf)
            .ok_or_else(|| anyhow!("{} has no folder", manifest.display()))?;
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        check_is_addin(&text, &manifest)?;

        let output = cargo(&root)
            .args([
                "metadata",
                "--format-version",
                "1",
                "--no-deps",
                "--manifest-path",
            ])
            .arg(&manifest)
            .output()
            .context("cannot run cargo (is rustup installed and on PATH?)")?;
        if !output.status.success() {
            bail!(
                "`cargo metadata` failed for {}:\n{}",
                manifest.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let metadata: Metadata = serde_json::from_slice(&output.stdout)
            .context("cannot understand the output of `cargo metadata`")?;
        let package = metadata
            .packages
            .into_iter()
            .find(|p| p.manifest_path.canonicalize().ok().as_ref() == Some(&manifest))
            .ok_or_else(|| anyhow!("{} declares no [package]", manifest.display()))?;
        let has_prizm_table = package
            .metadata
            .as_ref()
            .and_then(|m| m.get("prizm"))
            .is_some();
        if !has_prizm_table {
            bail!(not_an_addin(&manifest));
        }
        let bins: Vec<String> = package
            .targets
            .iter()
            .filter(|t| t.kind.iter().any(|k| k == "bin"))
            .map(|t| t.name.clone())
            .collect();
        if bins.is_empty() {
            bail!(
                "{} has no binary target: an add-in is a binary crate (src/main.rs)",
                manifest.display()
            );
        }
        Ok(Project {
            root,
            manifest,
            package: package.name,
            bins,
            target_dir: metadata.target_directory,
        })
    }

    /// Where cargo puts the calculator build of a profile.
    pub fn output_dir(&self, release: bool) -> PathBuf {
        self.target_dir
            .join(TARGET_NAME)
            .join(if release { "release" } else { "debug" })
    }

    /// The linked ELF of a binary.
    pub fn elf(&self, bin: &str, release: bool) -> PathBuf {
        self.output_dir(release).join(bin)
    }

    /// The packed add-in of a binary, next to its ELF.
    pub fn g3a(&self, bin: &str, release: bool) -> PathBuf {
        self.output_dir(release).join(format!("{bin}.g3a"))
    }

    /// The one binary to run, install or debug: `--bin` if given, else the
    /// only one, else the one named like the package.
    pub fn pick_bin(&self, wanted: Option<&str>) -> Result<String> {
        if let Some(wanted) = wanted {
            return self
                .bins
                .iter()
                .find(|b| *b == wanted)
                .cloned()
                .ok_or_else(|| {
                    anyhow!(
                        "no binary named {wanted:?} in {}; it has: {}",
                        self.manifest.display(),
                        self.bins.join(", ")
                    )
                });
        }
        if self.bins.len() == 1 {
            return Ok(self.bins[0].clone());
        }
        self.bins
            .iter()
            .find(|b| **b == self.package)
            .cloned()
            .ok_or_else(|| {
                anyhow!(
                    "{} has several binaries ({}): choose one with --bin",
                    self.manifest.display(),
                    self.bins.join(", ")
                )
            })
    }
}

fn not_an_addin(manifest: &Path) -> String {
    format!(
        "{} is not a prizm add-in crate: it has no [package.metadata.prizm] table \
         (start one with `cargo prizm new NAME`, or add the table: see the guide)",
        manifest.display()
    )
}

/// Fails unless the manifest text has a `[package.metadata.prizm]` table
/// (checked before asking cargo, so the message is about that, not cargo).
fn check_is_addin(text: &str, manifest: &Path) -> Result<()> {
    let value: toml::Table = toml::from_str(text)
        .map_err(|e| anyhow!("{} is not valid TOML: {}", manifest.display(), e.message()))?;
    let has_table = value
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("prizm"))
        .is_some();
    if has_table {
        Ok(())
    } else {
        bail!(not_an_addin(manifest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_without_the_prizm_table_is_refused_by_name() {
        let error = check_is_addin(
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
            Path::new("/p/Cargo.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("/p/Cargo.toml is not a prizm add-in crate"),
            "{error}"
        );
        assert!(error.contains("[package.metadata.prizm]"), "{error}");
        let ok = "[package]\nname = \"x\"\n[package.metadata.prizm]\nname = \"X\"\n";
        assert!(check_is_addin(ok, Path::new("Cargo.toml")).is_ok());
        let broken = check_is_addin("[package", Path::new("C.toml")).unwrap_err();
        assert!(broken.to_string().contains("not valid TOML"), "{broken}");
    }

    #[test]
    fn no_manifest_anywhere_up_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        // A temporary folder normally has no Cargo.toml above it.
        if let Err(error) = find_manifest(dir.path()) {
            assert!(error.to_string().contains("cargo prizm new"), "{error}");
        }
    }
}
