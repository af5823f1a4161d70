//! The library API: load an add-in, press keys, run until something
//! happens, look at the screen, storage and main memory.
//!
//! ```no_run
//! use prizm_emu::{Condition, Emulator, Key};
//! use std::time::Duration;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut emu = Emulator::builder()
//!     .storage_dir("target/test-fls0")
//!     .budget(200_000_000)
//!     .open("target/lock.g3a")?;
//! emu.run_until(Condition::WaitingForKey)?;
//! emu.type_text("1234")?;
//! emu.press(Key::Exe);
//! emu.run_until_timeout(Condition::TextOnScreen("Unlocked"), Duration::from_secs(5))?;
//! emu.screenshot_png("target/unlocked.png")?;
//! assert_eq!(emu.main_memory_item("@LOCK", "Tries"), Some(vec![0]));
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::clock::{DateTime, NS_PER_SEC};
use crate::gdb::GdbStub;
use crate::keys::{Key, KeyNames};
use crate::loader::{AddinImage, LoadError};
use crate::machine::{Machine, Pause, State, Tracer};
use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};
use crate::outcome::Outcome;
use crate::screen_text::TextEntry;
use crate::screenshot::ImageError;
use crate::syscalls::mcs::MainMemoryError;
use crate::syscalls::{OsError, OsOptions};

/// Default instruction budget (about 17 s of calculator time).
pub const DEFAULT_BUDGET: u64 = 1_000_000_000;
/// Instructions run between checks of a condition.
const CHUNK: u64 = 100_000;
/// After the last key press is released, how long a settling run may go on.
const SETTLE_NS: u64 = 200_000_000;

/// Why an emulator could not be created.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The add-in could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Storage or main memory could not be set up.
    #[error(transparent)]
    Os(#[from] OsError),
    /// The trace file could not be created.
    #[error("cannot create trace file {}: {source}", path.display())]
    TraceFile {
        /// The file.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
}

/// A character [`Emulator::type_text`] cannot type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot type {character:?} on the calculator's keyboard")]
pub struct TypeTextError {
    /// The character.
    pub character: char,
}

/// What to run until.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition<'a> {
    /// The text is on screen (printed by the OS text syscalls and still visible).
    TextOnScreen(&'a str),
    /// The add-in waits for a key and none is queued.
    WaitingForKey,
    /// The run is over (returned, exited, left to the main menu, crashed).
    Exited,
    /// This many more instructions ran.
    Instructions(u64),
    /// This much virtual time passed (waiting for keys counts).
    Time(Duration),
    /// The debug channel contains the text.
    DebugOutput(&'a str),
    /// The debug channel holds more than this many bytes (the run stops
    /// right after the write).
    DebugBytes(usize),
}

/// Why a condition was not reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunErrorKind {
    /// The emulator's instruction budget is used up.
    BudgetExhausted,
    /// The add-in's run ended first.
    Ended(Outcome),
    /// The add-in waits for a key (and the condition needs it to do more).
    WaitingForKey,
    /// The timeout passed first.
    Timeout,
}

/// A condition that was not reached, with what the emulator saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// What happened instead.
    pub kind: RunErrorKind,
    /// The condition, in words.
    pub wanted: String,
    /// Text on screen at the time.
    pub screen_text: Vec<String>,
    /// The end of the debug output.
    pub debug_tail: String,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            RunErrorKind::BudgetExhausted => "the instruction budget ran out".to_string(),
            RunErrorKind::Ended(outcome) => format!("the add-in {outcome}"),
            RunErrorKind::WaitingForKey => "the add-in is waiting for a key".to_string(),
            RunErrorKind::Timeout => "the timeout passed".to_string(),
        };
        write!(f, "{} not reached: {what}", self.wanted)?;
        if self.screen_text.is_empty() {
            write!(f, "\n  text on screen: (none)")?;
        } else {
            write!(
                f,
                "\n  text on screen: {}",
                self.screen_text
                    .iter()
                    .map(|t| format!("{t:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
        }
        if !self.debug_tail.is_empty() {
            write!(f, "\n  debug output (end):\n{}", self.debug_tail)?;
        }
        Ok(())
    }
}

impl std::error::Error for RunError {}

/// Configures an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    options: OsOptions,
    budget: u64,
    trace: Option<PathBuf>,
    trace_limit: Option<u64>,
    stack_limit: Option<u32>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            options: OsOptions::default(),
            budget: DEFAULT_BUDGET,
            trace: None,
            trace_limit: None,
            stack_limit: None,
        }
    }
}

impl EmulatorBuilder {
    /// Host directory serving as storage memory `\\fls0\` (created if
    /// missing). Without it, a temporary directory is used and removed.
    pub fn storage_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.options.storage_dir = Some(dir.into());
        self
    }

    /// JSON file holding main memory (loaded if present, saved on changes).
    pub fn main_memory_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.options.main_memory_file = Some(file.into());
        self
    }

    /// The calculator model (default fx-CG 20; see [`crate::model`]).
    pub fn model(mut self, model: crate::model::Model) -> Self {
        self.options.model = model;
        self
    }

    /// How long scripted presses hold their key down (default 0.1 s).
    pub fn key_hold(mut self, hold: Duration) -> Self {
        self.options.key_hold_ns = Some(u64::try_from(hold.as_nanos()).unwrap_or(u64::MAX));
        self
    }

    /// Date and time at power-on (default 2026-11-23 12:00:00).
    pub fn start_time(mut self, start: DateTime) -> Self {
        self.options.start = start;
        self
    }

    /// Cuts the power just before the `write`th call that changes storage
    /// or main memory (1 = the first; see
    /// [`changes_storage`](crate::syscalls::changes_storage)). The run then
    /// ends with [`Outcome::PowerCut`]; storage keeps what was written.
    pub fn cut_power_before_write(mut self, write: u64) -> Self {
        self.options.cut_power_before_write = Some(write);
        self
    }

    /// Total instruction budget (default [`DEFAULT_BUDGET`]).
    pub fn budget(mut self, instructions: u64) -> Self {
        self.budget = instructions;
        self
    }

    /// Writes an instruction trace to this file.
    pub fn trace_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.trace = Some(file.into());
        self
    }

    /// Most lines of the trace (default [`crate::machine::DEFAULT_TRACE_LIMIT`]).
    pub fn trace_limit(mut self, lines: u64) -> Self {
        self.trace_limit = Some(lines);
        self
    }

    /// Refuses stack writes below this address (for a g3a without symbols;
    /// an ELF's `__bss_end` is used automatically).
    pub fn stack_limit(mut self, address: u32) -> Self {
        self.stack_limit = Some(address);
        self
    }

    /// Loads a g3a or ELF file.
    pub fn open(self, path: impl AsRef<Path>) -> Result<Emulator, SetupError> {
        let path = path.as_ref();
        let bytes =
            std::fs::read(path).map_err(|e| LoadError::Io(format!("{}: {e}", path.display())))?;
        let mut image = AddinImage::from_bytes(&bytes)?;
        // A g3a lies in storage memory under the name it has here.
        if let (crate::loader::ImageKind::G3a, Some(name)) = (&image.kind, path.file_name()) {
            image.file = Some((name.to_string_lossy().into_owned(), bytes));
        }
        self.load_image(&image)
    }

    /// Loads a g3a or ELF file's bytes.
    pub fn load_bytes(self, bytes: &[u8]) -> Result<Emulator, SetupError> {
        let image = AddinImage::from_bytes(bytes)?;
        self.load_image(&image)
    }

    /// Runs raw SH-4A code mapped at 0x00300000.
    pub fn load_code(self, code: &[u8]) -> Result<Emulator, SetupError> {
        let image = AddinImage::from_raw(code)?;
        self.load_image(&image)
    }

    /// Runs an already loaded image.
    pub fn load_image(self, image: &AddinImage) -> Result<Emulator, SetupError> {
        let mut machine = Machine::new(image, &self.options)?;
        if let Some(limit) = self.stack_limit {
            machine.mem.set_stack_limit(Some(limit));
            machine
                .mem
                .set_stack_limit_label(crate::memory::StackLimit::StaticData);
        }
        if let Some(path) = &self.trace {
            let file = std::fs::File::create(path).map_err(|source| SetupError::TraceFile {
                path: path.clone(),
                source,
            })?;
            let mut tracer = Tracer::new(Box::new(std::io::BufWriter::new(file)));
            if let Some(limit) = self.trace_limit {
                tracer.limit = limit;
            }
            machine.set_trace(Some(tracer));
        }
        Ok(Emulator {
            machine,
            budget: self.budget,
            debugger: None,
        })
    }
}

/// An add-in running on the emulated calculator.
pub struct Emulator {
    machine: Machine,
    budget: u64,
    debugger: Option<GdbStub>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("machine", &self.machine)
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Options for a new emulator.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Loads a g3a or ELF file with default options.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Emulator, SetupError> {
        Emulator::builder().open(path)
    }

    /// Loads g3a file bytes with default options.
    pub fn from_g3a_bytes(bytes: &[u8]) -> Result<Emulator, SetupError> {
        let image = AddinImage::from_g3a(bytes)?;
        Emulator::builder().load_image(&image)
    }

    /// The machine (CPU, memory, OS state) for tools that need more.
    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    /// The machine, mutable.
    pub fn machine_mut(&mut self) -> &mut Machine {
        &mut self.machine
    }

    /// Attaches a GDB session: runs stop when it says so.
    pub fn attach_debugger(&mut self, stub: GdbStub) {
        self.debugger = Some(stub);
    }

    /// The attached GDB session, if any.
    pub fn debugger_mut(&mut self) -> Option<&mut GdbStub> {
        self.debugger.as_mut()
    }

    /// Changes the total instruction budget.
    pub fn set_budget(&mut self, instructions: u64) {
        self.budget = instructions;
    }

    /// The total instruction budget.
    pub fn budget(&self) -> u64 {
        self.budget
    }

    /// How long presses queued from now on hold their key (1 ms to 60 s;
    /// 0.1 s at start). A hold past 0.5 s makes `GetKey` auto-repeat.
    pub fn set_key_hold(&mut self, hold: Duration) {
        let ns = u64::try_from(hold.as_nanos()).unwrap_or(u64::MAX);
        self.machine.os.input.set_hold(ns);
    }

    /// Queues a key press (it goes down now, or after the presses already queued).
    pub fn press(&mut self, key: Key) {
        let now = self.machine.now_ns();
        self.machine.os.input.queue(key, now);
    }

    /// Queues the presses that type `text` (digits, letters through ALPHA,
    /// space, `. + - * / ( ) , ^`; newline = EXE).
    pub fn type_text(&mut self, text: &str) -> Result<(), TypeTextError> {
        let mut keys = Vec::new();
        for character in text.chars() {
            keys.extend(Key::for_char(character).ok_or(TypeTextError { character })?);
        }
        for key in keys {
            self.press(key);
        }
        Ok(())
    }

    /// Whether the add-in still runs (possibly waiting for a key).
    pub fn is_running(&self) -> bool {
        !matches!(self.machine.state(), State::Finished(_))
    }

    /// Whether the add-in waits for a key with none queued.
    pub fn is_waiting_for_key(&self) -> bool {
        matches!(self.machine.state(), State::Blocked { .. })
            && !self.machine.os.input.has_pending()
    }

    /// Time left until a key wait with a timeout (`GetKeyWait_OS`) gives
    /// up by itself, while the add-in is in one with no key queued.
    pub fn key_wait_time_left(&self) -> Option<Duration> {
        match self.machine.state() {
            State::Blocked {
                deadline: Some(deadline),
                ..
            } if !self.machine.os.input.has_pending() => Some(Duration::from_nanos(
                deadline.saturating_sub(self.machine.now_ns()),
            )),
            _ => None,
        }
    }

    /// How the run ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.machine.outcome()
    }

    /// Calls that changed (or, cut, would have changed) storage or main
    /// memory so far: run a scenario once to learn how many power-cut
    /// points it has.
    pub fn storage_writes(&self) -> u64 {
        self.machine.os.power.writes
    }

    /// Instructions executed.
    pub fn instructions(&self) -> u64 {
        self.machine.cpu.instructions
    }

    /// Estimated CPU cycles.
    pub fn cycles(&self) -> u64 {
        self.machine.cpu.cycles
    }

    /// Virtual time since power-on.
    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.machine.now_ns())
    }

    /// The calculator's date and time now.
    pub fn now(&self) -> DateTime {
        self.machine.os.clock.now(self.machine.now_ns())
    }

    /// What the LCD shows: 384×216 RGB565, row-major.
    pub fn screen(&self) -> &[u16] {
        &self.machine.os.display.lcd
    }

    /// VRAM as RGB565 (what the add-in has drawn, shown or not).
    pub fn vram(&self) -> Vec<u16> {
        self.machine
            .mem
            .vram()
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect()
    }

    /// Saves the LCD as a PNG.
    pub fn screenshot_png(&self, path: impl AsRef<Path>) -> Result<(), ImageError> {
        crate::screenshot::write_png(path.as_ref(), self.screen())
    }

    /// Saves VRAM as a PNG.
    pub fn vram_png(&self, path: impl AsRef<Path>) -> Result<(), ImageError> {
        crate::screenshot::write_png(path.as_ref(), &self.vram())
    }

    /// Text visible on screen (see [`crate::screen_text`]), top to bottom.
    pub fn text_on_screen(&mut self) -> Vec<TextEntry> {
        let machine = &mut self.machine;
        let (mem, os) = (&mut machine.mem, &mut machine.os);
        os.text.visible(mem.vram_mut())
    }

    /// Whether `text` is visible (within one print or across prints on a line).
    pub fn screen_contains_text(&mut self, text: &str) -> bool {
        let machine = &mut self.machine;
        let (mem, os) = (&mut machine.mem, &mut machine.os);
        os.text.contains(mem.vram_mut(), text)
    }

    /// Bytes the add-in wrote to the debug channel.
    pub fn debug_output(&self) -> &[u8] {
        &self.machine.os.debug
    }

    /// Warnings collected during the run.
    pub fn warnings(&self) -> &[String] {
        &self.machine.os.warnings
    }

    /// The host directory serving as `\\fls0\`.
    pub fn storage_dir(&self) -> &Path {
        self.machine.os.storage.root()
    }

    /// Reads a storage-memory file (`path` relative to `\\fls0\`, `/` or `\` separated).
    pub fn read_storage_file(&self, path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.storage_path(path)?)
    }

    /// Writes a storage-memory file, creating its folders.
    pub fn write_storage_file(&self, path: &str, data: &[u8]) -> std::io::Result<()> {
        let full = self.storage_path(path)?;
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, data)
    }

    fn storage_path(&self, path: &str) -> std::io::Result<PathBuf> {
        let mut full = self.storage_dir().to_path_buf();
        for part in path.split(['/', '\\']).filter(|p| !p.is_empty()) {
            if part == "." || part == ".." {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "no . or .. in storage paths",
                ));
            }
            full.push(part);
        }
        Ok(full)
    }

    /// A main-memory item.
    pub fn main_memory_item(&self, dir: &str, item: &str) -> Option<Vec<u8>> {
        self.machine
            .os
            .mcs
            .item(dir.as_bytes(), item.as_bytes())
            .map(<[u8]>::to_vec)
    }

    /// Sets a main-memory item (creating the folder).
    pub fn set_main_memory_item(
        &mut self,
        dir: &str,
        item: &str,
        data: &[u8],
    ) -> Result<(), MainMemoryError> {
        self.machine
            .os
            .mcs
            .set_item(dir.as_bytes(), item.as_bytes(), data)
    }

    /// Lets virtual time pass (the add-in runs, or waits with its timers running).
    pub fn advance_time(&mut self, duration: Duration) -> Result<(), RunError> {
        self.run_until(Condition::Time(duration))
    }

    fn budget_left(&self) -> u64 {
        self.budget.saturating_sub(self.machine.cpu.instructions)
    }

    /// Runs the machine, letting an attached debugger take control.
    fn execute(&mut self, max: u64, until_ns: Option<u64>, wait: bool) -> Pause {
        let Some(debugger) = self.debugger.as_mut() else {
            return self.machine.execute(max, until_ns, wait);
        };
        if !debugger.serve(&mut self.machine, true) {
            self.debugger = None;
            return self.machine.execute(max, until_ns, wait);
        }
        let pause = self.machine.execute(max.min(CHUNK), until_ns, wait);
        if let Some(debugger) = self.debugger.as_mut() {
            debugger.after_run(&mut self.machine, pause);
        }
        pause
    }

    fn error(&mut self, kind: RunErrorKind, wanted: String) -> RunError {
        let screen_text = self.text_on_screen().into_iter().map(|e| e.text).collect();
        let debug = String::from_utf8_lossy(self.debug_output()).into_owned();
        let lines: Vec<&str> = debug.lines().collect();
        let debug_tail = lines[lines.len().saturating_sub(10)..]
            .iter()
            .map(|l| format!("    {l}\n"))
            .collect();
        RunError {
            kind,
            wanted,
            screen_text,
            debug_tail,
        }
    }

    fn met(&mut self, condition: &Condition, start_instructions: u64, start_ns: u64) -> bool {
        match condition {
            Condition::TextOnScreen(text) => self.screen_contains_text(text),
            Condition::WaitingForKey => self.is_waiting_for_key(),
            Condition::Exited => !self.is_running(),
            Condition::Instructions(n) => {
                self.instructions() >= start_instructions.saturating_add(*n)
            }
            Condition::Time(d) => self.machine.now_ns() >= start_ns.saturating_add(duration_ns(*d)),
            Condition::DebugOutput(text) => {
                String::from_utf8_lossy(self.debug_output()).contains(text)
            }
            Condition::DebugBytes(n) => self.debug_output().len() > *n,
        }
    }

    /// Runs until `condition` holds. Waiting for a key ends the run with
    /// [`RunErrorKind::WaitingForKey`] unless that is the condition (time
    /// does not pass by itself; see [`Emulator::run_until_timeout`]).
    pub fn run_until(&mut self, condition: Condition) -> Result<(), RunError> {
        self.run_until_inner(condition, None)
    }

    /// Runs until `condition` holds or `timeout` of virtual time passed;
    /// while the add-in waits for a key, time passes (timers run).
    pub fn run_until_timeout(
        &mut self,
        condition: Condition,
        timeout: Duration,
    ) -> Result<(), RunError> {
        self.run_until_inner(condition, Some(timeout))
    }

    fn run_until_inner(
        &mut self,
        condition: Condition,
        timeout: Option<Duration>,
    ) -> Result<(), RunError> {
        self.machine.stop_on_debug_output = matches!(
            condition,
            Condition::DebugOutput(_) | Condition::DebugBytes(_)
        );
        let result = self.run_until_loop(condition, timeout);
        self.machine.stop_on_debug_output = false;
        result
    }

    fn run_until_loop(
        &mut self,
        condition: Condition,
        timeout: Option<Duration>,
    ) -> Result<(), RunError> {
        let start_instructions = self.instructions();
        let start_ns = self.machine.now_ns();
        let wanted = describe(&condition);
        let time_limit = match (condition, timeout) {
            (Condition::Time(d), _) => Some(start_ns.saturating_add(duration_ns(d))),
            (_, Some(t)) => Some(start_ns.saturating_add(duration_ns(t))),
            _ => None,
        };
        loop {
            if self.met(&condition, start_instructions, start_ns) {
                return Ok(());
            }
            if let Some(outcome) = self.outcome().cloned() {
                return Err(self.error(RunErrorKind::Ended(outcome), wanted));
            }
            if self.budget_left() == 0 {
                return Err(self.error(RunErrorKind::BudgetExhausted, wanted));
            }
            let mut max = self.budget_left().min(CHUNK);
            if let Condition::Instructions(n) = condition {
                max = max.min(
                    start_instructions
                        .saturating_add(n)
                        .saturating_sub(self.instructions())
                        .max(1),
                );
            }
            let waits = time_limit.is_some() && condition != Condition::WaitingForKey;
            let pause = self.execute(max, time_limit, waits);
            match pause {
                Pause::Blocked if !self.met(&condition, start_instructions, start_ns) => {
                    return Err(self.error(RunErrorKind::WaitingForKey, wanted));
                }
                Pause::TimeReached if !self.met(&condition, start_instructions, start_ns) => {
                    return Err(self.error(RunErrorKind::Timeout, wanted));
                }
                _ => {}
            }
        }
    }

    /// After key presses: runs until the add-in waits for a key with none
    /// queued, or until shortly after the last press is released (for
    /// add-ins that poll the keyboard), or until it ends.
    pub fn settle(&mut self) -> Result<(), RunError> {
        let now = self.machine.now_ns();
        let limit = now
            .max(self.machine.os.input.last_release_ns())
            .saturating_add(SETTLE_NS);
        loop {
            if !self.is_running() || self.is_waiting_for_key() || self.machine.now_ns() >= limit {
                return Ok(());
            }
            if self.budget_left() == 0 {
                return Err(self.error(
                    RunErrorKind::BudgetExhausted,
                    "the add-in settling after key presses".into(),
                ));
            }
            let max = self.budget_left().min(CHUNK);
            match self.execute(max, Some(limit), false) {
                Pause::Blocked if !self.machine.os.input.has_pending() => return Ok(()),
                Pause::TimeReached | Pause::Finished => return Ok(()),
                _ => {}
            }
        }
    }

    /// Runs until the add-in ends, waits for a key, or the budget runs out
    /// (the end of a headless run). Returns whether it still runs.
    pub fn run_to_idle(&mut self) -> Result<(), RunError> {
        match self.run_until(Condition::WaitingForKey) {
            Ok(()) => Ok(()),
            Err(RunError {
                kind: RunErrorKind::Ended(_),
                ..
            }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Runs for `duration` of virtual time (the add-in computes, or waits
    /// with its timers running), spending at most about `host_limit` of
    /// real time. For interactive front ends: returns whether an attached
    /// debugger holds the program stopped.
    pub fn run_frame(&mut self, duration: Duration, host_limit: Duration) -> bool {
        self.frame(duration, host_limit)
    }

    /// As [`run_frame`](Self::run_frame), but a wait for a key ends the
    /// frame instead of passing its time (a press already due is taken):
    /// a front end's maximum speed runs the add-in's computing as fast as
    /// the host can, while its key waits (the auto-repeat of a held key,
    /// key timeouts) keep to the wall clock through `run_frame`.
    pub fn run_frame_computing(&mut self, duration: Duration, host_limit: Duration) -> bool {
        self.machine.stop_at_key_wait = true;
        let halted = self.frame(duration, host_limit);
        self.machine.stop_at_key_wait = false;
        halted
    }

    /// Whether the add-in is inside a syscall that waits for a key, even
    /// with a press or auto-repeat due later ([`is_waiting_for_key`](Self::is_waiting_for_key)
    /// is false then).
    pub fn is_in_key_wait(&self) -> bool {
        matches!(self.machine.state(), State::Blocked { .. })
    }

    fn frame(&mut self, duration: Duration, host_limit: Duration) -> bool {
        let started = std::time::Instant::now();
        if let Some(debugger) = self.debugger.as_mut() {
            if !debugger.serve(&mut self.machine, false) {
                self.debugger = None;
            } else if debugger.is_halted() {
                return true;
            }
        }
        let target = self.machine.now_ns().saturating_add(duration_ns(duration));
        loop {
            if !self.is_running() || self.budget_left() == 0 || self.machine.now_ns() >= target {
                return false;
            }
            let max = self.budget_left().min(CHUNK);
            let pause = self.machine.execute(max, Some(target), true);
            if let Some(debugger) = self.debugger.as_mut() {
                debugger.after_run(&mut self.machine, pause);
                if debugger.is_halted() {
                    return true;
                }
                if !debugger.serve(&mut self.machine, false) {
                    self.debugger = None;
                }
            }
            if matches!(pause, Pause::TimeReached | Pause::Finished | Pause::Blocked)
                || started.elapsed() >= host_limit
            {
                return false;
            }
        }
    }

    /// Ends a debugging session (reports the end of the run to GDB).
    pub fn detach_debugger(&mut self) {
        if let Some(mut debugger) = self.debugger.take() {
            debugger.finish(&mut self.machine);
        }
    }

    /// The LCD as an RGB888 buffer for a window (black while powered off).
    pub fn screen_rgb(&self) -> Vec<u32> {
        if self.machine.os.keyboard.powered_off {
            return vec![0; SCREEN_WIDTH * SCREEN_HEIGHT];
        }
        self.screen()
            .iter()
            .map(|c| {
                let [r, g, b] = crate::screenshot::rgb565_to_rgb888(*c);
                (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b)
            })
            .collect()
    }
}

fn duration_ns(d: Duration) -> u64 {
    d.as_secs()
        .saturating_mul(NS_PER_SEC)
        .saturating_add(u64::from(d.subsec_nanos()))
}

fn describe(condition: &Condition) -> String {
    match condition {
        Condition::TextOnScreen(t) => format!("text {t:?} on screen"),
        Condition::WaitingForKey => "the add-in waiting for a key".into(),
        Condition::Exited => "the end of the run".into(),
        Condition::Instructions(n) => format!("{n} more instructions"),
        Condition::Time(d) => format!("{d:?} of time passing"),
        Condition::DebugOutput(t) => format!("debug output {t:?}"),
        Condition::DebugBytes(n) => format!("more than {n} bytes of debug output"),
    }
}
