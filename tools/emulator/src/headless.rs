//! The headless front end (`prizm-emu run`) and the run summary.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::clock::{DateTime, CPU_HZ};
use crate::emulator::{Emulator, EmulatorBuilder, RunErrorKind, SetupError};
use crate::gdb::GdbStub;
use crate::keyscript;
use crate::outcome::Outcome;

/// Why the key script of a run could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ScriptFileError {
    /// The `--keys-file` cannot be read.
    #[error("cannot read key script {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
    /// A script does not parse; `origin` is its file or `--keys`.
    #[error("{origin}: {source}")]
    Parse {
        /// Where the script came from.
        origin: String,
        /// What is wrong, with the line.
        source: keyscript::ScriptError,
    },
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The add-in or the OS could not be set up.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// The GDB port cannot be opened.
    #[error("cannot listen for GDB on 127.0.0.1:{port}: {source}")]
    Gdb {
        /// The port.
        port: u16,
        /// The host's error.
        source: std::io::Error,
    },
}

/// Settings shared by the `run` and `window` front ends.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The g3a or ELF file.
    pub file: PathBuf,
    /// Key script text (`--keys`).
    pub keys: Option<String>,
    /// Key script file (`--keys-file`), run before `keys`.
    pub keys_file: Option<PathBuf>,
    /// Screenshot at the end.
    pub screenshot: Option<PathBuf>,
    /// Instruction budget.
    pub budget: Option<u64>,
    /// Storage directory.
    pub storage: Option<PathBuf>,
    /// Main-memory file.
    pub main_memory: Option<PathBuf>,
    /// Instruction trace file.
    pub trace: Option<PathBuf>,
    /// Most trace lines.
    pub trace_limit: Option<u64>,
    /// Where to write the per-function profile.
    pub profile: Option<PathBuf>,
    /// Functions (name contains) whose instructions the profile lists.
    pub profile_listing: Option<String>,
    /// Start date and time.
    pub start_time: Option<DateTime>,
    /// GDB port.
    pub gdb: Option<u16>,
    /// Lowest address the stack may use (for g3a files).
    pub stack_limit: Option<u32>,
    /// Cut the power before this storage-changing call (1 = the first).
    pub cut_power_before_write: Option<u64>,
    /// How long scripted presses hold their key.
    pub key_hold: Option<std::time::Duration>,
    /// The calculator model.
    pub model: crate::model::Model,
    /// Print each script step.
    pub verbose: bool,
    /// Print only the outcome line.
    pub quiet: bool,
}

impl RunOptions {
    /// The emulator these options describe.
    pub fn builder(&self, default_budget: u64) -> EmulatorBuilder {
        let mut b = Emulator::builder().budget(self.budget.unwrap_or(default_budget));
        if let Some(dir) = &self.storage {
            b = b.storage_dir(dir);
        }
        if let Some(file) = &self.main_memory {
            b = b.main_memory_file(file);
        }
        if let Some(file) = &self.trace {
            b = b.trace_file(file);
        }
        if let Some(limit) = self.trace_limit {
            b = b.trace_limit(limit);
        }
        if let Some(start) = self.start_time {
            b = b.start_time(start);
        }
        if let Some(limit) = self.stack_limit {
            b = b.stack_limit(limit);
        }
        if let Some(write) = self.cut_power_before_write {
            b = b.cut_power_before_write(write);
        }
        if let Some(hold) = self.key_hold {
            b = b.key_hold(hold);
        }
        b.model(self.model)
    }

    /// The key script (file first, then `--keys`).
    pub fn script(&self) -> Result<keyscript::Script, ScriptFileError> {
        let mut steps = Vec::new();
        if let Some(path) = &self.keys_file {
            let text = std::fs::read_to_string(path).map_err(|source| ScriptFileError::Read {
                path: path.clone(),
                source,
            })?;
            let script = keyscript::parse(&text).map_err(|source| ScriptFileError::Parse {
                origin: path.display().to_string(),
                source,
            })?;
            steps.extend(script.steps);
        }
        if let Some(text) = &self.keys {
            let script = keyscript::parse(text).map_err(|source| ScriptFileError::Parse {
                origin: "--keys".to_owned(),
                source,
            })?;
            steps.extend(script.steps);
        }
        Ok(keyscript::Script { steps })
    }
}

/// Loads the add-in and attaches GDB if asked.
pub fn start(options: &RunOptions, default_budget: u64) -> Result<Emulator, StartError> {
    let mut emu = options.builder(default_budget).open(&options.file)?;
    if let Some(port) = options.gdb {
        let stub = GdbStub::listen(port).map_err(|source| StartError::Gdb { port, source })?;
        emu.attach_debugger(stub);
    }
    Ok(emu)
}

/// How virtual time divides: the add-in's instructions, the OS's work in
/// syscalls (their modelled cost) and waiting (keys, timers, waits).
fn time_split(emu: &Emulator) -> String {
    let total = emu.elapsed().as_secs_f64();
    let cpu = emu.instructions() as f64 / CPU_HZ as f64;
    let os = emu.machine().os_ns() as f64 / 1e9;
    let waiting = (total - cpu - os).max(0.0);
    let share = if total > 0.0 { 100.0 * os / total } else { 0.0 };
    format!(
        "time split:   CPU {cpu:.3} s; OS (syscalls) {os:.3} s ({share:.1} % of the run); waiting {waiting:.3} s"
    )
}

/// How the run stands: its outcome, or why it is still going.
pub fn state(emu: &Emulator) -> String {
    match emu.outcome() {
        Some(outcome) => outcome.short(),
        None if emu.is_waiting_for_key() => "waiting for a key".to_string(),
        None if emu.instructions() >= emu.budget() => {
            "still running (instruction budget used up)".to_string()
        }
        None => "still running".to_string(),
    }
}

/// The run summary: outcome, instructions, cycles, time, speed.
pub fn summary(emu: &Emulator, host: Duration) -> String {
    let state = state(emu);
    let instructions = emu.instructions();
    let cycles = emu.cycles();
    let mips = if host.as_secs_f64() > 0.0 {
        instructions as f64 / host.as_secs_f64() / 1e6
    } else {
        0.0
    };
    let machine = emu.machine();
    let mut lines = vec![
        format!("outcome:      {state}"),
        format!(
            "instructions: {instructions} ({:.3} s at 58 MHz); estimated cycles: {cycles} ({:.3} s)",
            instructions as f64 / CPU_HZ as f64,
            cycles as f64 / CPU_HZ as f64
        ),
        format!("virtual time: {:.3} s (calculator clock now {})", emu.elapsed().as_secs_f64(), emu.now()),
        time_split(emu),
        format!(
            "host time:    {:.3} s; emulated speed {mips:.1} MIPS (the calculator runs about 58 MIPS at 58 MHz)",
            host.as_secs_f64()
        ),
        format!(
            "syscalls:     {}; stack used: {} bytes; heap in use: {} bytes",
            machine.syscall_count,
            machine.stack_used(),
            machine.os.heap.used()
        ),
    ];
    if machine.os.keyboard.power_offs > 0 {
        lines.push(format!("power-offs:   {}", machine.os.keyboard.power_offs));
    }
    for warning in emu.warnings() {
        lines.push(format!("warning:      {warning}"));
    }
    lines.join("\n")
}

/// Functions listed in a profile report.
const PROFILE_LINES: usize = 60;

/// `prizm-emu run`: returns the process exit code.
pub fn run(options: &RunOptions) -> i32 {
    let script = match options.script() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("prizm-emu: {e}");
            return 2;
        }
    };
    let mut emu = match start(options, crate::emulator::DEFAULT_BUDGET) {
        Ok(emu) => emu,
        Err(e) => {
            eprintln!("prizm-emu: {e}");
            return 2;
        }
    };
    let host_start = Instant::now();
    let verbose = options.verbose;
    let mut log = |line: &str| {
        if verbose {
            eprintln!("> {line}");
        }
    };
    let profile_from_script = script
        .steps
        .iter()
        .any(|step| step.command == keyscript::Command::ProfileStart);
    if options.profile_listing.is_some() && options.profile.is_none() {
        eprintln!("prizm-emu: --profile-listing needs --profile FILE");
        return 2;
    }
    match &options.profile {
        Some(_) if !profile_from_script => emu.machine_mut().start_profile(),
        None if profile_from_script => {
            eprintln!("prizm-emu: the key script's profile-start needs --profile FILE");
            return 2;
        }
        _ => {}
    }
    let mut failure: Option<String> = None;
    if let Err(e) = keyscript::run(&mut emu, &script, &mut log) {
        failure = Some(e.to_string());
    } else if let Err(e) = emu.run_to_idle() {
        if e.kind == RunErrorKind::BudgetExhausted {
            failure = Some(format!(
                "the instruction budget of {} ran out (raise it with --budget)",
                emu.budget()
            ));
        } else {
            failure = Some(e.to_string());
        }
    }
    let host = host_start.elapsed();
    emu.machine_mut().flush_trace();
    if let Some(path) = &options.profile {
        let report = match emu.machine().profile() {
            Some(profile) => {
                let machine = emu.machine();
                let mut report = profile.report(&machine.symbols, PROFILE_LINES);
                if let Some(pattern) = &options.profile_listing {
                    report += &profile.listing(&machine.symbols, pattern, |pc| {
                        Some(u16::from_be_bytes([
                            machine.mem.peek(pc)?,
                            machine.mem.peek(pc + 1)?,
                        ]))
                    });
                }
                report
            }
            None => {
                "nothing counted: the run ended before the key script's profile-start\n".to_owned()
            }
        };
        if let Err(e) = std::fs::write(path, report) {
            let message = format!("cannot write the profile to {}: {e}", path.display());
            eprintln!("prizm-emu: {message}");
            failure.get_or_insert(message);
        }
    }
    if let Some(path) = &options.screenshot {
        if let Err(e) = emu.screenshot_png(path) {
            eprintln!("prizm-emu: {e}");
            failure.get_or_insert(e.to_string());
        }
    }
    emu.detach_debugger();

    let debug = String::from_utf8_lossy(emu.debug_output()).into_owned();
    let outcome = if options.quiet {
        format!("outcome: {}", state(&emu))
    } else {
        summary(&emu, host)
    };
    let crash = match emu.outcome() {
        Some(Outcome::Fault(report)) => Some(format!(
            "\nprizm-emu: the add-in crashed: {}\n{}",
            report.headline, report.details
        )),
        _ => None,
    };
    let ok = failure.is_none() && emu.outcome().is_none_or(Outcome::is_success);
    // The emulator (and a temporary storage folder with it) goes before
    // anything is printed: a reader that closes the pipe early ends this
    // process where it prints (SIGPIPE), and nothing would remove it then.
    drop(emu);
    if !options.quiet && !debug.is_empty() {
        println!("--- debug output ---");
        print!("{debug}");
        if !debug.ends_with('\n') {
            println!();
        }
        println!("--- end of debug output ---");
    }
    println!("{outcome}");
    if let Some(crash) = crash {
        eprintln!("{crash}");
    }
    if let Some(message) = &failure {
        eprintln!("prizm-emu: {message}");
    }
    if ok {
        0
    } else {
        1
    }
}

/// `prizm-emu test`: returns the process exit code.
pub fn test(options: &RunOptions, extra_args: &[String]) -> i32 {
    let budget = options
        .budget
        .or_else(|| {
            std::env::var("PRIZM_EMU_BUDGET")
                .ok()
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(crate::testrunner::DEFAULT_TEST_BUDGET);
    let options = RunOptions {
        budget: Some(budget),
        ..options.clone()
    };
    let filters: Vec<&String> = extra_args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut emu = match start(&options, budget) {
        Ok(emu) => emu,
        Err(e) => {
            eprintln!("prizm-emu: {e}");
            println!("test result: FAILED. 0 passed; 1 failed");
            return 101;
        }
    };
    println!("\nrunning on-target tests: {}", options.file.display());
    if !filters.is_empty() {
        println!(
            "note: test filters ({}) are not supported on the calculator; running all tests",
            filters
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let root = crate::testrunner::repository_root();
    let host_start = Instant::now();
    let report = crate::testrunner::run_tests(&mut emu, &root, &mut |line| println!("{line}"));
    emu.machine_mut().flush_trace();
    emu.detach_debugger();
    if !report.failures.is_empty() {
        println!("\nfailures:");
        for (name, message) in &report.failures {
            println!(
                "    {name}: {}",
                if message.is_empty() {
                    "(no message)"
                } else {
                    message
                }
            );
        }
    }
    println!();
    let instructions = emu.instructions();
    println!(
        "{} instructions ({:.2} s at 58 MHz) in {:.2} s",
        instructions,
        instructions as f64 / CPU_HZ as f64,
        host_start.elapsed().as_secs_f64()
    );
    println!("{}", report.summary());
    if report.failures.is_empty() {
        0
    } else {
        101
    }
}
