//! `cargo prizm`: create, build, run, test, debug and install Prizm add-ins.
//! Cargo runs it as `cargo-prizm prizm ARGS`; `cargo-prizm ARGS` works too.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use cargo_prizm::commands::{self, EmulatorSettings};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo prizm",
    bin_name = "cargo prizm",
    version,
    about = "Create, build, run, test, debug and install Casio Prizm (fx-CG 10/20/50) add-ins",
    after_help = "Run inside an add-in crate (or give --manifest-path). The calculator target, the SH-4A \
                  toolchain and the emulator come from the prizm toolkit this tool was built from \
                  (PRIZM_TOOLKIT overrides it)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an add-in crate in a new folder.
    ///
    /// Example: cargo prizm new my-addin
    New {
        /// The new folder; its last component is the crate's name.
        path: PathBuf,
        /// Depend on (and take the target from) this toolkit checkout
        /// instead of the one this tool was built from.
        #[arg(long = "path", value_name = "DIR", conflicts_with = "git")]
        path_to_toolkit: Option<PathBuf>,
        /// Depend on the prizm crate from this git repository.
        #[arg(long, value_name = "URL")]
        git: Option<String>,
        /// The git branch (with --git).
        #[arg(long, value_name = "BRANCH", requires = "git")]
        branch: Option<String>,
    },
    /// Build the add-in (the toolchain first, if missing) and pack its .g3a.
    Build {
        #[command(flatten)]
        common: Common,
    },
    /// Build, then run the add-in in the emulator (a window, or headless).
    ///
    /// Example: cargo prizm run --headless --keys 'EXE; until-text "Done"' --screenshot out.png
    Run {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        emulator: EmulatorArgs,
    },
    /// Run the crate's tests (tests/*.rs) on the emulated calculator.
    ///
    /// Arguments after `--` go to `cargo test`.
    Test {
        #[command(flatten)]
        common: Common,
        /// Arguments for `cargo test`.
        #[arg(last = true, value_name = "CARGO_TEST_ARGS")]
        cargo_args: Vec<String>,
    },
    /// Build, start the add-in under the emulator's GDB stub, and attach
    /// gdb-multiarch (SH-4, big-endian, the ELF's symbols and lines).
    ///
    /// Example: cargo prizm debug -- -ex 'break main' -ex continue
    Debug {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        emulator: EmulatorArgs,
        /// Arguments for gdb-multiarch, after the ones that connect it.
        #[arg(last = true, value_name = "GDB_ARGS")]
        gdb_args: Vec<String>,
    },
    /// Cargo's runner for the calculator target (set by `cargo prizm test`).
    #[command(hide = true)]
    Runner {
        /// The binary cargo built.
        elf: PathBuf,
        /// Arguments cargo passes on.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build the release add-in and copy it to a calculator connected as
    /// a USB drive, then read it back to verify.
    ///
    /// The drive is found by its contents (a @MainMem folder or .g3a files
    /// at its root) under /media, /run/media, /mnt and /Volumes.
    Install {
        #[command(flatten)]
        common_bin: BinArg,
        /// The calculator's mount point (when it is not found, or several are).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
        /// Copy the dev build instead of the release build.
        #[arg(long, conflicts_with = "release")]
        dev: bool,
        /// The release build (the default; accepted for symmetry with build).
        #[arg(long)]
        release: bool,
        /// Path to the add-in's Cargo.toml (default: found from the current folder).
        #[arg(long, value_name = "PATH")]
        manifest_path: Option<PathBuf>,
    },
}

#[derive(Args)]
struct Common {
    /// Build with the release profile (optimised, no line information).
    #[arg(long)]
    release: bool,
    /// Path to the add-in's Cargo.toml (default: found from the current folder).
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
    #[command(flatten)]
    bin: BinArg,
}

#[derive(Args)]
struct BinArg {
    /// Which binary, when the crate has several.
    #[arg(long, value_name = "NAME")]
    bin: Option<String>,
}

#[derive(Args)]
struct EmulatorArgs {
    /// No window: run until the add-in waits for a key (after the key script) or ends.
    #[arg(long)]
    headless: bool,
    /// Key script, e.g. 'type "1234"; EXE; until-text "Unlocked"' (see tools/emulator/README.md).
    #[arg(long, value_name = "SCRIPT")]
    keys: Option<String>,
    /// Key script file (runs before --keys).
    #[arg(long, value_name = "FILE")]
    keys_file: Option<PathBuf>,
    /// Save the screen as PNG at the end.
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    /// Host folder serving as the calculator's storage memory (default: a temporary one).
    #[arg(long, value_name = "DIR")]
    storage: Option<PathBuf>,
    /// Headless: count instructions and cycles per function and write the
    /// table to FILE (from the key script's `profile-start` if it has one).
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
}

impl EmulatorArgs {
    fn settings(self) -> EmulatorSettings {
        EmulatorSettings {
            headless: self.headless,
            keys: self.keys,
            keys_file: self.keys_file,
            screenshot: self.screenshot,
            storage: self.storage,
            profile: self.profile,
        }
    }
}

fn start(manifest_path: Option<PathBuf>) -> Result<PathBuf> {
    match manifest_path {
        Some(path) => Ok(path),
        None => Ok(std::env::current_dir()?),
    }
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(code.clamp(0, 255) as u8)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::New {
            path,
            path_to_toolkit,
            git,
            branch,
        } => {
            commands::new(
                &path,
                path_to_toolkit.as_deref(),
                git.map(|url| (url, branch)),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Build { common } => {
            let (_, built) = commands::build(&start(common.manifest_path)?, common.release)?;
            for addin in built {
                println!("{}", addin.g3a.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { common, emulator } => {
            let code = commands::run(
                &start(common.manifest_path)?,
                common.release,
                common.bin.bin.as_deref(),
                &emulator.settings(),
            )?;
            Ok(exit_code(code))
        }
        Command::Test { common, cargo_args } => {
            let code = commands::test(&start(common.manifest_path)?, common.release, &cargo_args)?;
            Ok(exit_code(code))
        }
        Command::Debug {
            common,
            emulator,
            gdb_args,
        } => {
            let code = commands::debug(
                &start(common.manifest_path)?,
                common.release,
                common.bin.bin.as_deref(),
                &emulator.settings(),
                &gdb_args,
            )?;
            Ok(exit_code(code))
        }
        Command::Runner { elf, args } => Ok(exit_code(commands::runner(&elf, &args))),
        Command::Install {
            common_bin,
            to,
            dev,
            release: _,
            manifest_path,
        } => {
            commands::install(
                &start(manifest_path)?,
                !dev,
                common_bin.bin.as_deref(),
                to.as_deref(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `cargo prizm …` runs `cargo-prizm prizm …`.
    if args.get(1).is_some_and(|a| a == "prizm") {
        args.remove(1);
    }
    let cli = Cli::parse_from(args);
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
