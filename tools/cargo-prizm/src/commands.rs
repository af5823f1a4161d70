//! The subcommands, as functions (the CLI in `main.rs` parses into these).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use prizm_emu::headless::RunOptions;

use crate::install::{self, Statvfs};
use crate::pack;
use crate::project::{cargo, Project};
use crate::template::{folder_and_name, NewAddin, PrizmSource};
use crate::toolkit::{self, Toolkit, TARGET_NAME};

/// `cargo prizm new PATH`: returns the new crate's folder.
pub fn new(
    path: &Path,
    toolkit_path: Option<&Path>,
    git: Option<(String, Option<String>)>,
) -> Result<PathBuf> {
    let (dir, name) = folder_and_name(path)?;
    let toolkit = match toolkit_path {
        Some(root) => Toolkit::at(root)?,
        None => Toolkit::locate()?,
    };
    let source = match git {
        Some((url, branch)) => PrizmSource::Git { url, branch },
        None => PrizmSource::Path(toolkit.root.clone()),
    };
    let addin = NewAddin::new(&name, source, toolkit)?;
    addin.write(&dir)?;
    println!(
        "Created the add-in `{name}` (\"{}\", {}) in {}\n\
         The calculator target and tools come from the toolkit at {}.\n\n\
         Next:\n  cd {}\n  cargo prizm build     # builds target/{TARGET_NAME}/debug/{name}.g3a\n  \
         cargo prizm run       # opens it in the emulator\n  cargo prizm test      # runs tests/ on the emulated calculator\n  \
         cargo prizm install --release   # copies it to a calculator connected over USB",
        addin.menu_name,
        addin.internal_name,
        dir.display(),
        addin.toolkit.root.display(),
        dir.display()
    );
    Ok(dir)
}

/// One add-in a build produced.
#[derive(Debug, Clone)]
pub struct Built {
    /// The binary's name.
    pub bin: String,
    /// The linked ELF (symbols, and line information in `dev` builds).
    pub elf: PathBuf,
    /// The packed add-in.
    pub g3a: PathBuf,
}

/// `cargo prizm build`: the toolchain if missing, `cargo build`, then one
/// `.g3a` per binary.
pub fn build(start: &Path, release: bool) -> Result<(Project, Vec<Built>)> {
    let project = Project::find(start)?;
    let toolkit = Toolkit::locate()?;
    toolkit::ensure_toolchain(&toolkit)?;
    forget_objects_of_another_toolchain(&project)?;

    let mut command = cargo(&project.root);
    command
        .args(["build", "--bins", "--manifest-path"])
        .arg(&project.manifest);
    if release {
        command.arg("--release");
    }
    let status = command.status().context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo build failed ({status}); the compiler's messages are above");
    }

    let settings = pack::read_settings(&project.manifest)?;
    let mut built = Vec::new();
    for bin in &project.bins {
        let elf = project.elf(bin, release);
        let g3a = project.g3a(bin, release);
        let file_name = format!("{bin}.g3a");
        let bytes = pack::g3a_from_elf(&elf, &settings, &file_name)?;
        std::fs::write(&g3a, &bytes).with_context(|| format!("cannot write {}", g3a.display()))?;
        eprintln!("      Packed {} ({} bytes)", g3a.display(), bytes.len());
        built.push(Built {
            bin: bin.clone(),
            elf,
            g3a,
        });
    }
    Ok((project, built))
}

/// Objects compiled by another build of the backend must not be linked
/// with new ones: when the toolchain changed, the calculator objects go.
fn forget_objects_of_another_toolchain(project: &Project) -> Result<()> {
    let Some(id) = toolkit::toolchain_id() else {
        return Ok(());
    };
    let stamp = project.target_dir.join(".prizm-toolchain-id");
    if std::fs::read(&stamp).ok().as_ref() == Some(&id) {
        return Ok(());
    }
    let objects = project.target_dir.join(TARGET_NAME);
    if objects.exists() {
        eprintln!(
            "cargo-prizm: the toolchain changed since the last build; rebuilding from scratch"
        );
        std::fs::remove_dir_all(&objects)
            .with_context(|| format!("cannot remove {}", objects.display()))?;
    }
    std::fs::create_dir_all(&project.target_dir)?;
    std::fs::write(&stamp, id).with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(())
}

fn pick<'a>(built: &'a [Built], project: &Project, bin: Option<&str>) -> Result<&'a Built> {
    let name = project.pick_bin(bin)?;
    built
        .iter()
        .find(|b| b.bin == name)
        .ok_or_else(|| anyhow!("the build produced no {name}"))
}

fn has_display() -> bool {
    std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

/// How `run` and `debug` show the add-in.
#[derive(Debug, Clone, Default)]
pub struct EmulatorSettings {
    /// No window, even with a display.
    pub headless: bool,
    /// Key script.
    pub keys: Option<String>,
    /// Key script file.
    pub keys_file: Option<PathBuf>,
    /// Screenshot at the end.
    pub screenshot: Option<PathBuf>,
    /// Host folder standing in for storage memory.
    pub storage: Option<PathBuf>,
    /// Where to write a profile (headless runs; the ELF is run for its symbols).
    pub profile: Option<PathBuf>,
}

impl EmulatorSettings {
    fn options(&self, file: &Path) -> RunOptions {
        RunOptions {
            file: file.to_path_buf(),
            keys: self.keys.clone(),
            keys_file: self.keys_file.clone(),
            screenshot: self.screenshot.clone(),
            storage: self.storage.clone(),
            profile: self.profile.clone(),
            ..RunOptions::default()
        }
    }

    fn wants_window(&self) -> bool {
        if self.headless || self.profile.is_some() {
            return false;
        }
        if !has_display() {
            eprintln!(
                "cargo-prizm: no display: running headless (--screenshot PNG saves the screen)"
            );
            return false;
        }
        true
    }
}

/// `cargo prizm run`: the emulator's exit status.
pub fn run(
    start: &Path,
    release: bool,
    bin: Option<&str>,
    settings: &EmulatorSettings,
) -> Result<i32> {
    let (project, built) = build(start, release)?;
    let addin = pick(&built, &project, bin)?;
    // A profile names functions: the ELF has the symbols (the same code).
    let file = if settings.profile.is_some() { &addin.elf } else { &addin.g3a };
    let options = settings.options(file);
    Ok(if settings.wants_window() {
        prizm_emu::window::run(&options)
    } else {
        prizm_emu::headless::run(&options)
    })
}

/// `cargo prizm test`: cargo's exit status.
pub fn test(start: &Path, release: bool, cargo_args: &[String]) -> Result<i32> {
    let project = Project::find(start)?;
    let toolkit = Toolkit::locate()?;
    toolkit::ensure_toolchain(&toolkit)?;
    forget_objects_of_another_toolchain(&project)?;
    let mut command = cargo(&project.root);
    command
        .arg("test")
        .arg("--manifest-path")
        .arg(&project.manifest);
    if release {
        command.arg("--release");
    }
    command.args(cargo_args);
    // This tool holds the emulator: it runs the test binaries itself (the
    // crate's configured runner, used by a plain `cargo test`, is the
    // toolkit's script, which first builds the emulator's binary).
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.to_string_lossy().into_owned();
        if !exe.contains(char::is_whitespace) {
            command.env(RUNNER_VARIABLE, format!("{exe} prizm runner"));
        }
    }
    let status = command.status().context("cannot run cargo")?;
    Ok(status.code().unwrap_or(1))
}

/// Cargo's runner setting for the calculator target, as an environment variable.
pub const RUNNER_VARIABLE: &str = "CARGO_TARGET_SH4_TARGET_RUNNER";

/// `cargo prizm runner ELF ARGS…` (cargo's runner): test binaries (under
/// `deps/`) run headless and report like `cargo test`; others run like
/// `cargo prizm run`.
pub fn runner(elf: &Path, args: &[String]) -> i32 {
    let options = RunOptions {
        file: elf.to_path_buf(),
        ..RunOptions::default()
    };
    let is_test = elf
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|name| name == "deps");
    if is_test {
        prizm_emu::headless::test(&options, args)
    } else if EmulatorSettings::default().wants_window() {
        prizm_emu::window::run(&options)
    } else {
        prizm_emu::headless::run(&options)
    }
}

/// The GDB this tool starts: `$CARGO_PRIZM_GDB`, else `gdb-multiarch`.
fn gdb_program() -> Result<PathBuf> {
    let name = std::env::var_os("CARGO_PRIZM_GDB").unwrap_or_else(|| "gdb-multiarch".into());
    let path = PathBuf::from(&name);
    if path.components().count() > 1 {
        return Ok(path);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(&path))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            anyhow!(
                "{} not found: install it (Debian and Ubuntu: apt-get install gdb-multiarch; \
                 tools/toolchain/bootstrap.sh installs it too), or set CARGO_PRIZM_GDB to a GDB that knows SH-4",
                path.display()
            )
        })
}

/// GCC options for the add-in's own crate under GDB. The backend gives
/// functions no source location, so a function's first instructions (its
/// prologue) have no line; GDB then finds where the body starts only by
/// reading the prologue, which its SH-4 reader can do only when the
/// function sets up a frame pointer, in order, without a delay-slot
/// instruction moved into it.
pub const GDB_FRIENDLY_FLAGS: &[&str] = &[
    "-Cllvm-args=-fno-omit-frame-pointer",
    "-Cllvm-args=-fno-delayed-branch",
];

/// Builds the one binary GDB will see: dependencies as `cargo prizm build`
/// builds them (shared), the add-in's crate with [`GDB_FRIENDLY_FLAGS`].
fn build_for_gdb(project: &Project, release: bool, bin: Option<&str>) -> Result<Built> {
    let toolkit = Toolkit::locate()?;
    toolkit::ensure_toolchain(&toolkit)?;
    forget_objects_of_another_toolchain(project)?;
    let bin = project.pick_bin(bin)?;
    let mut command = cargo(&project.root);
    command
        .args(["rustc", "--bin", &bin, "--manifest-path"])
        .arg(&project.manifest);
    if release {
        command.arg("--release");
    }
    command.arg("--").args(GDB_FRIENDLY_FLAGS);
    let status = command.status().context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo rustc failed ({status}); the compiler's messages are above");
    }
    Ok(Built {
        elf: project.elf(&bin, release),
        g3a: project.g3a(&bin, release),
        bin,
    })
}

/// True when the ELF has DWARF line tables.
pub fn has_line_information(elf: &[u8]) -> bool {
    elf.windows(b".debug_line\0".len())
        .any(|w| w == b".debug_line\0")
}

/// A TCP port on 127.0.0.1 nobody listens on right now.
fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind(("127.0.0.1", 0)).context("cannot open a local TCP port for GDB")?;
    Ok(listener.local_addr()?.port())
}

/// `cargo prizm debug`: GDB's exit status.
pub fn debug(
    start: &Path,
    release: bool,
    bin: Option<&str>,
    settings: &EmulatorSettings,
    gdb_args: &[String],
) -> Result<i32> {
    let project = Project::find(start)?;
    let gdb = gdb_program()?;
    let addin = build_for_gdb(&project, release, bin)?;
    let elf_bytes = std::fs::read(&addin.elf)?;
    if !has_line_information(&elf_bytes) {
        eprintln!(
            "warning: {} has no line information, so GDB shows addresses, not source lines: \
             set `debug = true` in the profile ([profile.{}] in Cargo.toml)",
            addin.elf.display(),
            if release { "release" } else { "dev" }
        );
    }
    let port = free_port()?;
    let options = RunOptions {
        gdb: Some(port),
        ..settings.options(&addin.elf)
    };
    let window = settings.wants_window();
    let emulator = std::thread::spawn(move || {
        if window {
            prizm_emu::window::run(&options)
        } else {
            prizm_emu::headless::run(&options)
        }
    });
    let status = Command::new(&gdb)
        .arg("-q")
        .arg(&addin.elf)
        .args(["-ex", "set architecture sh4", "-ex", "set endian big"])
        .args(["-ex", &format!("target remote 127.0.0.1:{port}")])
        .args(gdb_args)
        .current_dir(&project.root)
        .status()
        .with_context(|| format!("cannot start {}", gdb.display()))?;
    // GDB has killed or detached the add-in; let the emulator print its summary.
    let deadline = Instant::now() + Duration::from_secs(3);
    while !emulator.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if emulator.is_finished() {
        let _ = emulator.join();
    }
    Ok(status.code().unwrap_or(1))
}

/// `cargo prizm install`: the copy's path.
pub fn install(
    start: &Path,
    release: bool,
    bin: Option<&str>,
    to: Option<&Path>,
) -> Result<PathBuf> {
    // Look for the calculator first: no point building for a missing drive.
    let destination = install::choose_destination(to, &install::mount_patterns())?;
    let (project, built) = build(start, release)?;
    let addin = pick(&built, &project, bin)?;
    let bytes = std::fs::read(&addin.g3a)?;
    let file_name = format!("{}.g3a", addin.bin);
    let copy = install::copy_verified(&bytes, &destination, &file_name, &Statvfs)?;
    let menu_name = g3a::parse(&bytes)
        .map(|g| g.names.basic)
        .unwrap_or_else(|_| addin.bin.clone());
    println!(
        "Copied {} ({} bytes) to {} and read it back: identical.\n{}",
        addin.g3a.display(),
        bytes.len(),
        copy.display(),
        install::after_copy_advice(&destination, &menu_name)
    );
    Ok(copy)
}
