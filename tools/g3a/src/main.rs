//! `g3a`: package, inspect, verify and unpack Casio Prizm add-ins.

#![forbid(unsafe_code)]

mod cli;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  g3a pack target/sh4/release/hello -o Hello.g3a --name Hello
  g3a pack --manifest Cargo.toml target/sh4/release/hello -o Hello.g3a
  g3a pack --raw hello.bin -o Hello.g3a --name Hello --internal @HELLO
  g3a info Hello.g3a
  g3a info --json Hello.g3a
  g3a verify Hello.g3a
  g3a unpack Hello.g3a -o hello-unpacked
  g3a pack --metadata hello-unpacked/g3a.toml -o Hello.g3a
  g3a icon Hello.g3a --unselected unselected.png --selected selected.png";

/// Package, inspect, verify and unpack g3a add-ins for the Casio Prizm
/// (fx-CG 10 / fx-CG 20 / fx-CG 50).
#[derive(Debug, Parser)]
#[command(name = "g3a", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Package an ELF (or, with --raw, a flat binary) as a g3a add-in.
    ///
    /// PT_LOAD segments are placed at their load address relative to
    /// 0x00300000. Values come from the command line, else from --metadata or
    /// --manifest, else from defaults: the names from the output file's name,
    /// version 01.00.0000, the date from SOURCE_DATE_EPOCH or the clock (UTC)
    /// and generated icons.
    #[command(after_help = "\
Examples:
  g3a pack target/sh4/release/hello -o Hello.g3a --name Hello
  g3a pack --manifest Cargo.toml target/sh4/release/hello -o Hello.g3a
  g3a pack --raw hello.bin -o Hello.g3a --name Hello --name-de Hallo --version 01.02.0003 \\
      --icon-unselected uns.png --icon-selected sel.png
  g3a pack --metadata unpacked/g3a.toml -o Hello.g3a      (rebuild an unpacked add-in)")]
    Pack(Box<PackArgs>),

    /// Show an add-in's names, version, date, sizes and checksums.
    #[command(after_help = "\
Examples:
  g3a info Hello.g3a
  g3a info --json Hello.g3a")]
    Info {
        /// The g3a file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },

    /// Check every rule of the format; exit 0 when valid, 1 otherwise.
    ///
    /// Failing checks are listed with expected and found values. Notes
    /// (such as mkg3a's 16-bit checksum left 0, or fxgxa's empty version)
    /// are printed but do not fail.
    #[command(after_help = "\
Examples:
  g3a verify Hello.g3a
  g3a verify --all Hello.g3a      (list passing checks too)")]
    Verify {
        /// The g3a file.
        file: PathBuf,
        /// List every check, not only errors and notes.
        #[arg(long)]
        all: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },

    /// Extract the payload, both icons (PNG) and a g3a.toml that
    /// `g3a pack --metadata` rebuilds the file from, byte for byte.
    #[command(after_help = "\
Examples:
  g3a unpack Hello.g3a -o hello-unpacked
  g3a pack --metadata hello-unpacked/g3a.toml -o Hello-again.g3a")]
    Unpack {
        /// The g3a file.
        file: PathBuf,
        /// Directory to write payload.bin, icon-unselected.png,
        /// icon-selected.png and g3a.toml into (created if missing).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },

    /// Replace the icons of an add-in and recompute its checksums.
    #[command(after_help = "\
Examples:
  g3a icon Hello.g3a --unselected uns.png --selected sel.png
  g3a icon Hello.g3a --selected big.png --resize -o Hello-new.g3a")]
    Icon(IconArgs),
}

/// Options of `g3a pack`.
#[derive(Debug, Args)]
struct PackArgs {
    /// ELF executable to package (or a flat binary with --raw). May be
    /// omitted with --metadata, which names a payload.
    input: Option<PathBuf>,
    /// The g3a file to write.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Treat INPUT as a flat binary loaded at 0x00300000.
    #[arg(long)]
    raw: bool,
    /// Basic name shown in the menu (at most 15 bytes); default for every language.
    #[arg(long)]
    name: Option<String>,
    /// English name (at most 23 bytes).
    #[arg(long, value_name = "NAME")]
    name_en: Option<String>,
    /// Spanish name.
    #[arg(long, value_name = "NAME")]
    name_es: Option<String>,
    /// German name.
    #[arg(long, value_name = "NAME")]
    name_de: Option<String>,
    /// French name.
    #[arg(long, value_name = "NAME")]
    name_fr: Option<String>,
    /// Portuguese name.
    #[arg(long, value_name = "NAME")]
    name_pt: Option<String>,
    /// Chinese name.
    #[arg(long, value_name = "NAME")]
    name_zh: Option<String>,
    /// Name for the first unknown language slot.
    #[arg(long, value_name = "NAME")]
    name_un1: Option<String>,
    /// Name for the second unknown language slot.
    #[arg(long, value_name = "NAME")]
    name_un2: Option<String>,
    /// Internal name: '@' and 1-9 of A-Z 0-9 _ (default: from the name).
    #[arg(long, value_name = "@NAME")]
    internal: Option<String>,
    /// Version as MM.mm.pppp [default: 01.00.0000].
    #[arg(long, value_name = "MM.mm.pppp")]
    version: Option<String>,
    /// Date as yyyy.MMdd.hhmm [default: SOURCE_DATE_EPOCH or now, UTC].
    #[arg(long, value_name = "yyyy.MMdd.hhmm")]
    date: Option<String>,
    /// File name stored in the header [default: the output's file name].
    #[arg(long, value_name = "NAME")]
    filename: Option<String>,
    /// Allow use as an eActivity strip.
    #[arg(long)]
    eactivity: bool,
    /// Unselected menu icon, a 92x64 PNG.
    #[arg(long, value_name = "PNG")]
    icon_unselected: Option<PathBuf>,
    /// Selected menu icon, a 92x64 PNG.
    #[arg(long, value_name = "PNG")]
    icon_selected: Option<PathBuf>,
    /// Scale icons of another size to fit 92x64.
    #[arg(long)]
    resize: bool,
    /// Read defaults from [package.metadata.prizm] of this Cargo.toml.
    #[arg(long, value_name = "Cargo.toml", conflicts_with = "metadata")]
    manifest: Option<PathBuf>,
    /// Read everything from a g3a.toml written by `g3a unpack`.
    #[arg(long, value_name = "g3a.toml")]
    metadata: Option<PathBuf>,
}

/// Options of `g3a icon`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("icons").required(true).multiple(true))]
struct IconArgs {
    /// The g3a file.
    file: PathBuf,
    /// New unselected icon, a 92x64 PNG.
    #[arg(long, value_name = "PNG", group = "icons")]
    unselected: Option<PathBuf>,
    /// New selected icon, a 92x64 PNG.
    #[arg(long, value_name = "PNG", group = "icons")]
    selected: Option<PathBuf>,
    /// Scale icons of another size to fit 92x64.
    #[arg(long)]
    resize: bool,
    /// Where to write the result [default: replace FILE].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Pack(args) => cli::pack::run(*args),
        Command::Info { file, json } => cli::inspect::info(&file, json),
        Command::Verify { file, all, json } => cli::inspect::verify(&file, all, json),
        Command::Unpack { file, output } => cli::inspect::unpack(&file, &output),
        Command::Icon(args) => cli::inspect::icon(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // One line, whatever the causes' own formatting.
            let message = format!("{error:#}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::FAILURE
        }
    }
}
