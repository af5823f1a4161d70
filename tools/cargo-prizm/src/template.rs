//! `cargo prizm new`: the files of a new add-in crate.
//!
//! Nothing target-specific is copied into the crate: its
//! `.cargo/config.toml` includes the toolkit's own configuration (target
//! spec, rustc wrapper, linker wrapper, emulator runner, nightly flags), and
//! the `prizm` crate's build script hands the linker its script.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use g3a::layout::capacity;
use g3a::text;

use crate::toolkit::{Toolkit, TARGET_NAME};

/// Where the new crate takes the `prizm` crate from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrizmSource {
    /// A local checkout (the toolkit's root).
    Path(PathBuf),
    /// A git repository, optionally a branch.
    Git {
        /// Repository URL.
        url: String,
        /// Branch, if not the default one.
        branch: Option<String>,
    },
}

/// What `new` writes.
#[derive(Debug, Clone)]
pub struct NewAddin {
    /// The crate (and binary) name.
    pub crate_name: String,
    /// The name shown in the main menu.
    pub menu_name: String,
    /// The `@NAME` internal name.
    pub internal_name: String,
    /// Where `prizm` comes from.
    pub prizm: PrizmSource,
    /// The toolkit whose configuration and tools the crate uses.
    pub toolkit: Toolkit,
}

/// Checks a crate name the way cargo would accept it.
pub fn check_crate_name(name: &str) -> Result<()> {
    let first = name.chars().next();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || first.is_some_and(|c| c.is_ascii_digit())
    {
        bail!(
            "{name:?} is not a usable crate name: use ASCII letters, digits, '-' and '_', not starting with a digit"
        );
    }
    if ["test", "core", "alloc", "std", "prizm"].contains(&name) {
        bail!("{name:?} is the name of a crate the add-in needs; choose another");
    }
    Ok(())
}

impl NewAddin {
    /// The defaults for a crate named `crate_name`.
    pub fn new(crate_name: &str, prizm: PrizmSource, toolkit: Toolkit) -> Result<NewAddin> {
        check_crate_name(crate_name)?;
        let mut menu_name: String = crate_name
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(|word| {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ");
        while menu_name.len() > capacity::NAME {
            menu_name.pop();
        }
        let internal_name = text::default_internal_name(&menu_name);
        Ok(NewAddin {
            crate_name: crate_name.to_owned(),
            menu_name: menu_name.trim_end().to_owned(),
            internal_name,
            prizm,
            toolkit,
        })
    }

    /// The files, as (path relative to the crate, contents).
    pub fn files(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Cargo.toml", self.cargo_toml()),
            ("src/main.rs", MAIN_RS.to_owned()),
            ("tests/on_calculator.rs", TEST_RS.to_owned()),
            (".cargo/config.toml", self.cargo_config()),
            ("rust-toolchain.toml", self.rust_toolchain()),
            (".gitignore", "/target\n".to_owned()),
        ]
    }

    /// Writes the crate into `dir`, which must not exist yet.
    pub fn write(&self, dir: &Path) -> Result<()> {
        if dir.exists() {
            bail!(
                "{} already exists: choose another name or folder",
                dir.display()
            );
        }
        for (relative, contents) in self.files() {
            let path = dir.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&path, contents)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }

    fn cargo_toml(&self) -> String {
        let dependency = match &self.prizm {
            PrizmSource::Path(path) => {
                format!("{{ path = {} }}", toml_string(&path.to_string_lossy()))
            }
            PrizmSource::Git { url, branch: None } => format!("{{ git = {} }}", toml_string(url)),
            PrizmSource::Git {
                url,
                branch: Some(branch),
            } => format!(
                "{{ git = {}, branch = {} }}",
                toml_string(url),
                toml_string(branch)
            ),
        };
        format!(
            r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

[[bin]]
name = "{name}"
path = "src/main.rs"
# A no_std, no_main binary has no host test harness: tests that run on the
# calculator's CPU live in tests/ (`cargo prizm test`).
test = false
bench = false

[dependencies]
prizm = {dependency}

# How `cargo prizm build` packs the .g3a.
[package.metadata.prizm]
name = {menu_name}            # the name in the main menu (at most 15 bytes)
internal-name = {internal_name}
# icon-unselected = "icon-unselected.png"   # 92x64 PNGs; default icons are drawn from the name
# icon-selected = "icon-selected.png"

# This crate is a workspace of its own, wherever it lives.
[workspace]

[profile.dev]
opt-level = 1
# Line information, so `cargo prizm debug` can break on `main` and step
# through the source.
debug = true
panic = "abort"

[profile.release]
# The calculator runs at 58 MHz and maps the whole add-in from flash:
# optimise, in one codegen unit.
opt-level = 2
panic = "abort"
codegen-units = 1
"#,
            name = self.crate_name,
            menu_name = toml_string(&self.menu_name),
            internal_name = toml_string(&self.internal_name),
        )
    }

    fn cargo_config(&self) -> String {
        let included = self.toolkit.path(".cargo/config.toml");
        format!(
            r#"# Written by `cargo prizm new`. The calculator target comes from the prizm
# toolkit at {root}: its configuration (target spec, nightly flags, the
# rustc and linker wrappers, the emulator as cargo's runner) is included
# from there, with its paths relative to the toolkit.
include = [{included}]

[target.{target}]
# The linker script ships with the prizm crate: its build script puts it in
# a folder the linker searches.
rustflags = ["-Clink-arg=-Tprizm-link.ld"]
"#,
            root = self.toolkit.root.display(),
            included = toml_string(&included.to_string_lossy()),
            target = TARGET_NAME,
        )
    }

    fn rust_toolchain(&self) -> String {
        // The same toolchain as the toolkit (the backend is built for it).
        std::fs::read_to_string(self.toolkit.path("rust-toolchain.toml")).unwrap_or_else(|_| {
            "[toolchain]\nchannel = \"nightly\"\ncomponents = [\"rust-src\", \"rustc-dev\", \"llvm-tools\"]\n".into()
        })
    }
}

/// A TOML basic string holding `text`.
pub fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// Splits `cargo prizm new PATH` into the folder and the crate name.
pub fn folder_and_name(path: &Path) -> Result<(PathBuf, String)> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("{} does not end in a crate name", path.display()))?;
    Ok((path.to_path_buf(), name.to_owned()))
}

const MAIN_RS: &str = r#"//! A Prizm add-in. `cargo prizm run` opens it in the emulator,
//! `cargo prizm install` copies it to the calculator.
#![no_std]
#![no_main]

use prizm::display::{self, TextColor};
use prizm::Calculator;

prizm::entry!(main);

// `calculator` owns the hardware: borrow `calculator.display` to draw
// into VRAM with embedded-graphics (`calculator.display.vram()`).
fn main(_calculator: Calculator) {
    display::clear();
    display::print_xy(1, 1, "Hello, Prizm!", TextColor::Blue);
    display::print_xy(1, 7, "[EXIT] to leave", TextColor::Black);
    // Shows the screen, waits for EXIT; MENU goes to the main menu.
    prizm::keyboard::wait_for_exit();
}
"#;

const TEST_RS: &str = r#"//! Tests that run on the calculator's CPU, in the emulator:
//! `cargo prizm test`. Each `#[test_case]` reports over the emulator's
//! debug channel; a failed assertion ends the run.
#![no_std]
#![no_main]
#![feature(custom_test_frameworks)]
#![test_runner(prizm::testing::run_tests)]
#![reexport_test_harness_main = "test_main"]

extern crate alloc;

use prizm::display::{self, TextColor};

prizm::entry!(run);

fn run(calculator: prizm::Calculator) {
    // Each test takes the calculator for itself (`prizm::testing::calculator`).
    drop(calculator);
    test_main();
}

#[test_case]
fn text_printed_by_the_os_lands_in_vram() {
    let mut calculator = prizm::testing::calculator();
    display::clear();
    let vram = calculator.display.pixels();
    assert!(vram.iter().all(|&pixel| pixel == 0xFFFF), "clear is white");
    display::print_xy(1, 1, "Hi", TextColor::Black);
    let vram = calculator.display.pixels();
    assert!(vram.iter().any(|&pixel| pixel == 0x0000), "black text");
}

#[test_case]
fn the_heap_holds_a_vector() {
    let numbers: alloc::vec::Vec<u32> = (1..=1000).collect();
    assert_eq!(numbers.iter().sum::<u32>(), 500_500);
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn toolkit() -> Toolkit {
        Toolkit {
            root: PathBuf::from("/opt/prizm rs"),
        }
    }

    #[test]
    fn names_are_derived_and_checked() {
        let addin =
            NewAddin::new("my-first_addin", PrizmSource::Path("/k".into()), toolkit()).unwrap();
        assert_eq!(addin.menu_name, "My First Addin");
        assert_eq!(addin.internal_name, "@MYFIRSTAD");
        for bad in ["", "9lives", "with space", "prizm", "ü"] {
            let error = NewAddin::new(bad, PrizmSource::Path("/k".into()), toolkit()).unwrap_err();
            assert!(error.to_string().contains(bad), "{error}");
        }
    }

    #[test]
    fn files_point_at_the_toolkit_and_parse() {
        let addin = NewAddin::new(
            "demo",
            PrizmSource::Git {
                url: "https://example.org/prizm-rs".into(),
                branch: Some("main".into()),
            },
            toolkit(),
        )
        .unwrap();
        let files = addin.files();
        let manifest: toml::Table = toml::from_str(&files[0].1).unwrap();
        assert_eq!(
            manifest["dependencies"]["prizm"]["git"].as_str(),
            Some("https://example.org/prizm-rs")
        );
        assert_eq!(
            manifest["package"]["metadata"]["prizm"]["name"].as_str(),
            Some("Demo")
        );
        assert_eq!(manifest["profile"]["dev"]["debug"].as_bool(), Some(true));
        let config: toml::Table = toml::from_str(&files[3].1).unwrap();
        assert_eq!(
            config["include"][0].as_str(),
            Some("/opt/prizm rs/.cargo/config.toml")
        );
        assert!(files
            .iter()
            .all(|(path, _)| !path.ends_with(".ld") && !path.ends_with(".json")));
    }

    #[test]
    fn an_existing_folder_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let addin = NewAddin::new("demo", PrizmSource::Path("/k".into()), toolkit()).unwrap();
        let error = addin.write(dir.path()).unwrap_err().to_string();
        assert!(error.contains("already exists"), "{error}");
    }
}
