//! `prizm-emu`: run Prizm add-ins headless, in a window, under GDB, or as
//! an on-target test runner (cargo's `runner`). See the README.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use prizm_emu::headless::{self, RunOptions};
use prizm_emu::DateTime;

#[derive(Parser)]
#[command(
    name = "prizm-emu",
    version,
    about = "An open emulator for Casio Prizm (fx-CG 10/20/50) add-ins"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run an add-in headless (keys from a script), then print a summary.
    Run {
        #[command(flatten)]
        common: Common,
        /// Save the LCD as PNG at the end.
        #[arg(long, value_name = "PNG")]
        screenshot: Option<PathBuf>,
        /// Open a window instead (same as `prizm-emu window`).
        #[arg(long)]
        window: bool,
        /// Print each key-script step.
        #[arg(short, long)]
        verbose: bool,
        /// Print only the outcome.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run an add-in in a window (PC keys map to calculator keys).
    Window {
        #[command(flatten)]
        common: Common,
        /// Save the LCD as PNG when the window closes.
        #[arg(long, value_name = "PNG")]
        screenshot: Option<PathBuf>,
    },
    /// Run an on-target test binary (ELF) and report like `cargo test`.
    /// Usable as cargo's `runner`: extra arguments cargo appends are accepted.
    Test {
        #[command(flatten)]
        common: Common,
        /// Arguments cargo passes to test binaries (ignored).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
}

#[derive(Args)]
struct Common {
    /// The add-in: a .g3a or .elf file.
    file: PathBuf,
    /// Key script, e.g. 'type "1234"; EXE; until-text "Unlocked"'.
    #[arg(long, value_name = "SCRIPT")]
    keys: Option<String>,
    /// Key script file (run before --keys).
    #[arg(long, value_name = "FILE")]
    keys_file: Option<PathBuf>,
    /// Instruction budget (run: 1e9 by default, test: 4e9, window: none).
    #[arg(long, value_name = "N")]
    budget: Option<u64>,
    /// Host directory serving as storage memory \\fls0\ (default: a temporary one).
    #[arg(long, value_name = "DIR")]
    storage: Option<PathBuf>,
    /// JSON file holding main memory (loaded if present, saved on changes).
    #[arg(long, value_name = "FILE")]
    main_memory: Option<PathBuf>,
    /// Write an instruction trace (disassembly and changed registers).
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// Most lines of the trace (default 5000000); the run then goes on untraced.
    #[arg(long, value_name = "LINES")]
    trace_limit: Option<u64>,
    /// Count instructions and estimated cycles per function (ELF symbols)
    /// and write the table to FILE at the end; counting starts at the key
    /// script's `profile-start` step if it has one. Slower: the emulator
    /// single-steps while it counts.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// With --profile: also list each instruction, with its counts, of the
    /// functions whose name contains NAME.
    #[arg(long, value_name = "NAME")]
    profile_listing: Option<String>,
    /// Date and time at power-on, e.g. "2026-11-23 12:00:00".
    #[arg(long, value_name = "DATETIME", value_parser = parse_datetime)]
    start_time: Option<DateTime>,
    /// Wait for GDB on 127.0.0.1:PORT before running.
    #[arg(long, value_name = "PORT")]
    gdb: Option<u16>,
    /// Stop with a report when the stack goes below this address (for g3a
    /// files; an ELF's __bss_end is used automatically).
    #[arg(long, value_name = "ADDR", value_parser = parse_address)]
    stack_limit: Option<u32>,
    /// Cut the power just before the Nth call that changes storage or main
    /// memory (1 = the first; create, write, close, delete, rename, MCS
    /// writes), to test that an add-in survives a power cut at that step.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    cut_power_after: Option<u64>,
    /// How long each scripted press holds its key, e.g. 800ms (default
    /// 100ms; past 500ms GetKey auto-repeats it every 125ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_hold)]
    key_hold: Option<std::time::Duration>,
    /// The calculator: cg10, cg20 (default) or cg50 (VRAM address, RAM
    /// window, OS version…); the PRIZM_EMU_MODEL environment variable sets
    /// the default (for cargo's runner).
    #[arg(long, value_name = "MODEL")]
    model: Option<prizm_emu::Model>,
}

/// A command-line value that does not parse.
#[derive(Debug, thiserror::Error)]
enum ArgError {
    #[error("`{0}` is not a date and time like \"2026-11-23 12:00:00\"")]
    DateTime(String),
    #[error("`{0}` is not an address (write 0x08102000)")]
    Address(String),
    #[error("`{0}` is not a key hold time from 1ms to 60s (write 800ms)")]
    Hold(String),
}

fn parse_datetime(text: &str) -> Result<DateTime, ArgError> {
    DateTime::parse(text).ok_or_else(|| ArgError::DateTime(text.to_owned()))
}

fn parse_hold(text: &str) -> Result<std::time::Duration, ArgError> {
    prizm_emu::keyscript::parse_duration(text)
        .ok()
        .filter(|d| {
            *d >= std::time::Duration::from_millis(1) && *d <= std::time::Duration::from_secs(60)
        })
        .ok_or_else(|| ArgError::Hold(text.to_owned()))
}

fn parse_address(text: &str) -> Result<u32, ArgError> {
    let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"));
    match digits {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => text.parse(),
    }
    .map_err(|_| ArgError::Address(text.to_owned()))
}

impl Common {
    fn options(self) -> RunOptions {
        RunOptions {
            file: self.file,
            keys: self.keys,
            keys_file: self.keys_file,
            budget: self.budget,
            storage: self.storage,
            main_memory: self.main_memory,
            trace: self.trace,
            trace_limit: self.trace_limit,
            profile: self.profile,
            profile_listing: self.profile_listing,
            start_time: self.start_time,
            gdb: self.gdb,
            stack_limit: self.stack_limit,
            cut_power_before_write: self.cut_power_after,
            key_hold: self.key_hold,
            model: self
                .model
                .or_else(|| env_model().ok().flatten())
                .unwrap_or_default(),
            ..RunOptions::default()
        }
    }
}

#[cfg(feature = "window")]
fn window(options: &RunOptions) -> i32 {
    prizm_emu::window::run(options)
}

#[cfg(not(feature = "window"))]
fn window(_: &RunOptions) -> i32 {
    eprintln!("prizm-emu: built without the `window` feature; use `prizm-emu run`");
    2
}

/// Ends quietly when the reader of stdout goes away (`prizm-emu run … |
/// head`), as command-line tools do, instead of panicking in `println!`.
fn die_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: sets SIGPIPE back to its default disposition at start-up,
    // before any thread exists; no handler or memory is involved.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// The model `PRIZM_EMU_MODEL` names, if it is set.
fn env_model() -> Result<Option<prizm_emu::Model>, prizm_emu::model::UnknownModel> {
    match std::env::var("PRIZM_EMU_MODEL") {
        Ok(text) if !text.is_empty() => text.parse().map(Some),
        _ => Ok(None),
    }
}

fn main() -> ExitCode {
    die_quietly_on_closed_pipe();
    let cli = Cli::parse();
    if let Err(error) = env_model() {
        eprintln!("prizm-emu: PRIZM_EMU_MODEL: {error}");
        return ExitCode::from(2);
    }
    let code = match cli.command {
        Command::Run {
            common,
            screenshot,
            window: use_window,
            verbose,
            quiet,
        } => {
            let options = RunOptions {
                screenshot,
                verbose,
                quiet,
                ..common.options()
            };
            if use_window {
                window(&options)
            } else {
                headless::run(&options)
            }
        }
        Command::Window { common, screenshot } => window(&RunOptions {
            screenshot,
            ..common.options()
        }),
        Command::Test { common, rest } => headless::test(&common.options(), &rest),
    };
    ExitCode::from(code.clamp(0, 255) as u8)
}
