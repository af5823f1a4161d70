//! The machine: CPU + memory map + emulated OS, and the loop that runs an
//! add-in.
//!
//! The add-in starts at 0x00300000 with r4 = 1, r5 = 0, r15 = 0x881E0000
//! and PR = [`OS_RETURN`]. The CPU runs in slices with three stop
//! addresses (plus debugger breakpoints): the syscall entry 0x80020070,
//! where [`crate::syscalls::dispatch`] runs the syscall in r0 and execution
//! continues at PR; [`OS_RETURN`], reached when `main` returns; and
//! [`NESTED_RETURN`], the return address of calls the emulator makes into
//! the add-in (timer handlers, the quit handler).
//!
//! Virtual time (see [`Machine::now_ns`]) is the executed instructions at
//! 58 MHz plus idle time: waits, and `GetKey` waiting for a key that a
//! script has queued for later.

use std::fmt::Write as _;
use std::io::Write;

use crate::cpu::{disassemble, Cpu, CpuFault, MemFault, RunExit};
use crate::debug_info::DebugInfo;
use crate::loader::{AddinImage, Symbols};
use crate::memory::{
    to_physical_addin_address, DenyReason, Memory, ADDIN_RAM_P1, NESTED_RETURN, OS_RETURN,
    ROM_BASE, STACK_TOP, SYSCALL_ENTRY,
};
use crate::outcome::{FaultReport, Outcome};
use crate::syscalls::{self, Action, Ctx, Os, OsError, OsOptions, SysErr};

/// Instructions per slice between checks of timers and devices (~1.7 ms).
const SLICE: u64 = 100_000;
/// Longest a timer or quit handler may run.
const NESTED_BUDGET: u64 = 50_000_000;

/// Converts instructions to virtual nanoseconds (58 MHz, one per cycle).
pub fn instructions_to_ns(instructions: u64) -> u64 {
    instructions.saturating_mul(1000) / 58
}

/// Converts OS cycles (58 MHz) to virtual nanoseconds.
pub fn cycles_to_ns(cycles: u64) -> u64 {
    cycles.saturating_mul(1000) / 58
}

fn ns_to_instructions(ns: u64) -> u64 {
    ns.saturating_mul(58) / 1000
}

/// Where the add-in is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Executing.
    Running,
    /// Inside a syscall that waits for a key.
    Blocked {
        /// The syscall.
        number: u32,
        /// It will finish by itself at this time (a queued key press).
        resume_at: Option<u64>,
        /// It gives up at this time (a timeout).
        deadline: Option<u64>,
    },
    /// The run is over.
    Finished(Outcome),
}

/// Why [`Machine::execute`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// The instruction budget of the call is used up.
    Budget,
    /// The add-in waits for a key and nothing is queued.
    Blocked,
    /// The run is over (see [`Machine::state`]).
    Finished,
    /// A debugger breakpoint at this address.
    Breakpoint(u32),
    /// The requested virtual time was reached.
    TimeReached,
    /// The add-in wrote to the debug channel (with
    /// [`Machine::stop_on_debug_output`]).
    DebugOutput,
    /// A nested call returned (internal).
    NestedReturn,
}

/// Default most lines of an instruction trace (about 400 MB).
pub const DEFAULT_TRACE_LIMIT: u64 = 5_000_000;

/// Writes an instruction trace.
pub struct Tracer {
    out: Box<dyn Write>,
    /// Lines written.
    pub lines: u64,
    /// Tracing stops (and the run goes on at full speed) after this many lines.
    pub limit: u64,
}

impl Tracer {
    /// A tracer writing to `out`, at most [`DEFAULT_TRACE_LIMIT`] lines.
    pub fn new(out: Box<dyn Write>) -> Tracer {
        Tracer {
            out,
            lines: 0,
            limit: DEFAULT_TRACE_LIMIT,
        }
    }
}

/// The emulated calculator running one add-in.
pub struct Machine {
    /// The CPU.
    pub cpu: Cpu,
    /// Memory.
    pub mem: Memory,
    /// The OS.
    pub os: Os,
    /// Symbols of the add-in (ELF only).
    pub symbols: Symbols,
    /// Source lines of the add-in (ELF with debug info only).
    pub debug_info: Option<DebugInfo>,
    idle_ns: u64,
    /// Virtual time spent inside syscalls (their modelled cost).
    os_ns: u64,
    /// The warning about a low-address read was given.
    low_read_noted: bool,
    state: State,
    breakpoints: Vec<u32>,
    stops: Vec<u32>,
    depth: u32,
    step_past_breakpoint: bool,
    trace: Option<Tracer>,
    /// The profile being counted and the OS time when it started.
    profile: Option<(crate::profile::Profile, u64)>,
    /// Syscalls dispatched.
    pub syscall_count: u64,
    /// Lowest stack pointer seen at a syscall.
    pub lowest_sp: u32,
    /// Return [`Pause::DebugOutput`] right after each debug-channel write.
    pub stop_on_debug_output: bool,
    /// Return [`Pause::Blocked`] as soon as the add-in waits for a key that
    /// is not down yet, without passing time to a press or auto-repeat
    /// that is due later.
    pub stop_at_key_wait: bool,
}

impl std::fmt::Debug for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Machine")
            .field("pc", &self.cpu.pc)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Machine {
    /// Boots the OS and prepares `image` to run.
    pub fn new(image: &AddinImage, options: &OsOptions) -> Result<Machine, OsError> {
        let mut mem = Memory::with_model(&image.rom, options.model);
        let in_ram = |address: &u32| {
            (crate::memory::ADDIN_RAM_VIRT
                ..crate::memory::ADDIN_RAM_VIRT + crate::memory::ADDIN_RAM_SIZE)
                .contains(address)
        };
        let bss_end = image.symbols.get("__bss_end").filter(in_ram);
        // The crate's link.ld gives the allocator the RAM up to
        // `__arena_end`; the stack has only what lies above it.
        let arena_end = image
            .symbols
            .get("__arena_end")
            .filter(|end| in_ram(end) && bss_end.is_some_and(|bss| bss <= *end));
        if let Some(arena_end) = arena_end {
            mem.set_stack_limit(Some(arena_end));
            mem.set_stack_limit_label(crate::memory::StackLimit::Arena);
        } else if let Some(bss_end) = bss_end {
            mem.set_stack_limit(Some(bss_end));
        }
        let mut options = options.clone();
        if options.addin_name.is_none() {
            options.addin_name = image.internal_name.clone();
        }
        if options.addin_file.is_none() {
            options.addin_file = image.file.clone();
        }
        let os = Os::new(&options)?;
        let mut cpu = Cpu::new(ROM_BASE, options.model.shown(STACK_TOP));
        cpu.r[4] = 1;
        cpu.r[5] = 0;
        cpu.pr = OS_RETURN;
        let mut machine = Machine {
            cpu,
            mem,
            os,
            symbols: image.symbols.clone(),
            debug_info: image.debug_info.clone(),
            idle_ns: 0,
            os_ns: 0,
            low_read_noted: false,
            state: State::Running,
            breakpoints: Vec::new(),
            stops: Vec::new(),
            depth: 0,
            step_past_breakpoint: false,
            trace: None,
            profile: None,
            syscall_count: 0,
            lowest_sp: STACK_TOP,
            stop_on_debug_output: false,
            stop_at_key_wait: false,
        };
        machine.set_breakpoints(&[]);
        Ok(machine)
    }

    /// Virtual time since power-on, in nanoseconds.
    pub fn now_ns(&self) -> u64 {
        self.idle_ns + self.os_ns + instructions_to_ns(self.cpu.instructions)
    }

    /// Virtual time the OS spent inside syscalls (see `syscalls::cost`).
    pub fn os_ns(&self) -> u64 {
        self.os_ns
    }

    /// Where the add-in is.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The outcome, once finished.
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.state {
            State::Finished(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// Ends the run (the debugger's kill).
    pub fn finish(&mut self, outcome: Outcome) {
        if !matches!(self.state, State::Finished(_)) {
            self.state = State::Finished(outcome);
        }
    }

    /// Sets debugger breakpoints.
    pub fn set_breakpoints(&mut self, breakpoints: &[u32]) {
        self.breakpoints = breakpoints.to_vec();
        let mut stops = vec![SYSCALL_ENTRY, OS_RETURN, NESTED_RETURN];
        stops.extend_from_slice(breakpoints);
        stops.sort_unstable();
        stops.dedup();
        self.stops = stops;
    }

    /// The current breakpoints.
    pub fn breakpoints(&self) -> &[u32] {
        &self.breakpoints
    }

    /// Starts writing an instruction trace (slow: one instruction at a time).
    pub fn set_trace(&mut self, tracer: Option<Tracer>) {
        self.trace = tracer;
    }

    /// Lets `ns` of virtual time pass without executing (timers run).
    pub fn idle(&mut self, ns: u64) {
        self.pass_time(ns, false);
    }

    /// Lets `ns` pass, counted as waiting or (`os`) as the OS's work.
    fn pass_time(&mut self, ns: u64, os: bool) {
        let target = self.now_ns().saturating_add(ns);
        loop {
            let now = self.now_ns();
            match self.os.timers.next_due() {
                Some(due)
                    if self.depth == 0
                        && due <= target
                        && !matches!(self.state, State::Finished(_)) =>
                {
                    let step = due.saturating_sub(now);
                    if os {
                        self.os_ns += step;
                    } else {
                        self.idle_ns += step;
                    }
                    self.fire_timers();
                }
                _ => {
                    let step = target.saturating_sub(now);
                    if os {
                        self.os_ns += step;
                    } else {
                        self.idle_ns += step;
                    }
                    return;
                }
            }
        }
    }

    /// Runs at most `max_instructions`, until `until_ns` of virtual time
    /// (if given), or until something stops it. While the add-in waits for
    /// a key, time passes only by itself up to a key press already queued,
    /// or, with `wait`, up to `until_ns` and timeouts.
    pub fn execute(&mut self, max_instructions: u64, until_ns: Option<u64>, wait: bool) -> Pause {
        let end = self.cpu.instructions.saturating_add(max_instructions);
        loop {
            match &self.state {
                State::Finished(_) => return Pause::Finished,
                State::Blocked { .. } => {
                    self.dispatch_syscall();
                    let State::Blocked {
                        resume_at,
                        deadline,
                        ..
                    } = self.state.clone()
                    else {
                        continue;
                    };
                    if self.stop_at_key_wait {
                        return Pause::Blocked;
                    }
                    let now = self.now_ns();
                    if until_ns.is_some_and(|limit| now >= limit) {
                        return Pause::TimeReached;
                    }
                    let mut target = resume_at;
                    if let Some(limit) = until_ns.filter(|_| wait) {
                        let t = deadline.map_or(limit, |d| d.min(limit));
                        target = Some(target.map_or(t, |r| r.min(t)));
                    }
                    let Some(target) = target else {
                        return Pause::Blocked;
                    };
                    let step_to = match self.os.timers.next_due() {
                        Some(due) if due < target => due.max(now),
                        _ => target,
                    };
                    if step_to <= now && self.os.timers.next_due().is_none_or(|d| d > now) {
                        // Nothing will change by waiting.
                        return Pause::Blocked;
                    }
                    self.idle_ns += step_to.saturating_sub(now);
                    self.fire_timers();
                    continue;
                }
                State::Running => {}
            }
            let pc = self.cpu.pc;
            if pc == SYSCALL_ENTRY {
                let debug_len = self.os.debug.len();
                self.dispatch_syscall();
                if self.stop_on_debug_output && self.depth == 0 && self.os.debug.len() != debug_len
                {
                    return Pause::DebugOutput;
                }
                continue;
            }
            if pc == OS_RETURN {
                if self.depth == 0 {
                    self.finish(Outcome::ReturnedToOs {
                        value: self.cpu.r[0],
                    });
                } else {
                    self.fail(
                        "a timer or quit handler returned to the OS's address".into(),
                        pc,
                    );
                }
                continue;
            }
            if pc == NESTED_RETURN {
                if self.depth > 0 {
                    return Pause::NestedReturn;
                }
                self.fail(
                    format!("jumped to 0x{NESTED_RETURN:08X}, an emulator-internal address"),
                    pc,
                );
                continue;
            }
            if self.depth == 0 && !self.step_past_breakpoint && self.breakpoints.contains(&pc) {
                return Pause::Breakpoint(pc);
            }
            if self.cpu.instructions >= end {
                return Pause::Budget;
            }
            let now = self.now_ns();
            if until_ns.is_some_and(|limit| now >= limit) {
                return Pause::TimeReached;
            }
            if self.depth == 0 && self.os.timers.next_due().is_some_and(|due| due <= now) {
                self.fire_timers();
                continue;
            }
            let mut slice = (end - self.cpu.instructions).min(SLICE);
            if self.depth == 0 {
                if let Some(due) = self.os.timers.next_due() {
                    slice = slice.min(ns_to_instructions(due - now) + 1);
                }
            }
            if let Some(limit) = until_ns {
                slice = slice.min(ns_to_instructions(limit - now) + 1);
            }
            self.refresh_devices(now);
            let exit = if self.step_past_breakpoint {
                self.step_past_breakpoint = false;
                self.cpu.run(&mut self.mem, 1, &[])
            } else if self.trace.as_ref().is_some_and(|t| t.lines < t.limit) {
                self.traced_step()
            } else if self.profile.is_some() {
                self.profiled_step()
            } else {
                self.cpu.run(&mut self.mem, slice, &self.stops)
            };
            self.after_slice();
            self.handle_exit(exit);
        }
    }

    /// Executes one instruction (or a whole syscall) for a debugger.
    pub fn step_instruction(&mut self) -> Pause {
        match self.state {
            State::Finished(_) => return Pause::Finished,
            State::Blocked { .. } => {
                return self.execute(0, None, false);
            }
            State::Running => {}
        }
        if self.cpu.pc == SYSCALL_ENTRY {
            self.dispatch_syscall();
        } else if self.cpu.pc == OS_RETURN || self.cpu.pc == NESTED_RETURN {
            return self.execute(0, None, false);
        } else {
            let now = self.now_ns();
            self.refresh_devices(now);
            let exit = self.cpu.run(&mut self.mem, 1, &[]);
            self.after_slice();
            self.handle_exit(exit);
        }
        match self.state {
            State::Finished(_) => Pause::Finished,
            State::Blocked { .. } => Pause::Blocked,
            State::Running => Pause::Budget,
        }
    }

    /// The next `execute` first steps past a breakpoint at PC.
    pub fn resume_from_breakpoint(&mut self) {
        self.step_past_breakpoint = self.breakpoints.contains(&self.cpu.pc);
    }

    /// Starts counting instructions per address afresh (slow: the machine
    /// then runs one instruction at a time).
    pub fn start_profile(&mut self) {
        self.profile = Some((crate::profile::Profile::default(), self.os_ns));
    }

    /// What was counted since [`Machine::start_profile`], with the OS's
    /// time in syscalls over the same span; counting goes on.
    pub fn profile(&self) -> Option<crate::profile::Profile> {
        let (profile, os_start) = self.profile.as_ref()?;
        let mut profile = profile.clone();
        profile.os_ns = self.os_ns - os_start;
        Some(profile)
    }

    fn profiled_step(&mut self) -> RunExit {
        let (pc, instructions, cycles) = (self.cpu.pc, self.cpu.instructions, self.cpu.cycles);
        let exit = self.cpu.run(&mut self.mem, 1, &self.stops);
        if let Some((profile, _)) = &mut self.profile {
            if self.cpu.instructions != instructions {
                profile.count(pc, self.cpu.cycles - cycles);
            }
        }
        exit
    }

    fn traced_step(&mut self) -> RunExit {
        let pc = self.cpu.pc;
        let before = self.cpu.clone();
        let opcode = u16::from_be_bytes([
            self.mem.peek(pc).unwrap_or(0xFF),
            self.mem.peek(pc.wrapping_add(1)).unwrap_or(0xFF),
        ]);
        let exit = self.cpu.run(&mut self.mem, 1, &self.stops);
        if self.cpu.instructions != before.instructions
            || !matches!(exit, RunExit::Stop(_) | RunExit::Budget)
        {
            let mut line = format!("{pc:08X}  {opcode:04X}  {:<28}", disassemble(opcode, pc));
            let mut changes = Vec::new();
            for i in 0..16 {
                if self.cpu.r[i] != before.r[i] {
                    changes.push(format!("r{i}={:08X}", self.cpu.r[i]));
                }
            }
            if self.cpu.pr != before.pr {
                changes.push(format!("pr={:08X}", self.cpu.pr));
            }
            if self.cpu.sr != before.sr {
                changes.push(format!("sr={:08X}", self.cpu.sr));
            }
            if self.cpu.mach != before.mach || self.cpu.macl != before.macl {
                changes.push(format!("mac={:08X}:{:08X}", self.cpu.mach, self.cpu.macl));
            }
            if !changes.is_empty() {
                let _ = write!(line, " | {}", changes.join(" "));
            }
            if let Some(tracer) = &mut self.trace {
                let _ = writeln!(tracer.out, "{line}");
                tracer.lines += 1;
                if tracer.lines == tracer.limit {
                    let _ = writeln!(
                        tracer.out,
                        "-- trace limit of {} lines reached: tracing stops here",
                        tracer.limit
                    );
                }
            }
        }
        exit
    }

    fn trace_note(&mut self, note: &str) {
        if let Some(tracer) = self.trace.as_mut().filter(|t| t.lines < t.limit) {
            let _ = writeln!(tracer.out, "{note}");
            tracer.lines += 1;
        }
    }

    /// Flushes the trace.
    pub fn flush_trace(&mut self) {
        if let Some(tracer) = &mut self.trace {
            let _ = tracer.out.flush();
        }
    }

    fn refresh_devices(&mut self, now: u64) {
        self.mem.io.rtc = self.os.clock.registers(now);
        self.mem.io.key_words = self.os.input.matrix_words(now);
    }

    fn after_slice(&mut self) {
        if let Some(addr) = self.mem.io.low_read {
            if !self.low_read_noted {
                self.low_read_noted = true;
                self.os.warn(format!(
                    "the add-in read low address 0x{addr:08X} (a NULL pointer?): the calculator answers such reads from flash, so the emulator does too"
                ));
            }
        }
        if self.mem.io.key_matrix_read {
            self.mem.io.key_matrix_read = false;
            let now = self.now_ns();
            self.os.input.mark_seen(now);
        }
    }

    fn handle_exit(&mut self, exit: RunExit) {
        match exit {
            RunExit::Budget | RunExit::Stop(_) => {}
            RunExit::Trapa { imm, pc } => {
                self.fail(
                    format!("trapa #0x{imm:02X}: the emulator has no OS trap handler"),
                    pc,
                );
            }
            RunExit::Sleep { .. } => {
                // Wait for the next interrupt: a timer, or the next 1 ms tick.
                let now = self.now_ns();
                let wake = self
                    .os
                    .timers
                    .next_due()
                    .map_or(1_000_000, |d| d.saturating_sub(now).clamp(1, 1_000_000));
                self.idle(wake);
            }
            RunExit::Fault(fault) => self.cpu_fault(fault),
        }
    }

    /// Runs the handlers of due timers as nested calls.
    fn fire_timers(&mut self) -> bool {
        let mut fired = false;
        for _ in 0..64 {
            if self.depth > 0 || matches!(self.state, State::Finished(_)) {
                break;
            }
            let now = self.now_ns();
            let Some((id, handler)) = self.os.timers.take_due(now) else {
                break;
            };
            fired = true;
            self.trace_note(&format!("-- timer {id}: calling handler 0x{handler:08X}"));
            if self.call_guest(handler, &[]).is_none() {
                break;
            }
        }
        fired
    }

    /// Calls a function of the add-in and returns its r0; `None` if the run
    /// ended inside it.
    pub fn call_guest(&mut self, addr: u32, args: &[u32]) -> Option<u32> {
        let saved = self.cpu.clone();
        let saved_state = std::mem::replace(&mut self.state, State::Running);
        for (i, arg) in args.iter().take(4).enumerate() {
            self.cpu.r[4 + i] = *arg;
        }
        self.cpu.pc = addr;
        self.cpu.pr = NESTED_RETURN;
        self.cpu.r[15] &= !3;
        self.depth += 1;
        let pause = self.execute(NESTED_BUDGET, None, false);
        self.depth -= 1;
        match pause {
            Pause::NestedReturn => {
                let result = self.cpu.r[0];
                let (instructions, cycles) = (self.cpu.instructions, self.cpu.cycles);
                self.cpu = saved;
                self.cpu.instructions = instructions;
                self.cpu.cycles = cycles;
                self.state = saved_state;
                Some(result)
            }
            Pause::Finished => None,
            _ => {
                let pc = self.cpu.pc;
                self.fail(
                    format!("the handler at 0x{addr:08X} did not return within {NESTED_BUDGET} instructions"),
                    pc,
                );
                None
            }
        }
    }

    fn dispatch_syscall(&mut self) {
        let number = self.cpu.r[0];
        let sp = self.cpu.r[15];
        let sp_phys = to_physical_addin_address(sp);
        if (ADDIN_RAM_P1..=STACK_TOP).contains(&sp_phys) {
            self.lowest_sp = self.lowest_sp.min(sp_phys);
        }
        if let Some(limit) = self.mem.stack_limit() {
            if (ADDIN_RAM_P1..limit).contains(&sp_phys) {
                let caller = self.cpu.pr;
                self.fail(
                    format!(
                        "stack overflow into {}: SP 0x{sp:08X} is below {} (0x{limit:08X}) at a call of syscall 0x{number:04X}",
                        self.mem.stack_limit_label().what(),
                        self.mem.stack_limit_label().symbol()
                    ),
                    caller,
                );
                return;
            }
        }
        let first_call = !matches!(self.state, State::Blocked { .. });
        if first_call {
            self.syscall_count += 1;
            if let Some((profile, _)) = &mut self.profile {
                profile.count_syscall(number);
            }
            if self.trace.is_some() {
                let name = syscalls::syscall_name(number).unwrap_or("?");
                let args = format!(
                    "{:08X} {:08X} {:08X} {:08X}",
                    self.cpu.r[4], self.cpu.r[5], self.cpu.r[6], self.cpu.r[7]
                );
                self.trace_note(&format!(
                    "-- syscall 0x{number:04X} {name}({args}) from 0x{:08X}",
                    self.cpu.pr
                ));
            }
        }
        let regs = self.cpu.r;
        // Work done before a wait (GetKey's LCD copy) passes before it.
        let paid_on_entry = syscalls::cost::paid_on_entry(number);
        if first_call && paid_on_entry {
            self.pass_time(
                cycles_to_ns(syscalls::cost::cycles(number, &regs, 0)),
                true,
            );
            // A timer handler that ran meanwhile may have ended the run.
            if matches!(self.state, State::Finished(_)) {
                return;
            }
        }
        let now = self.now_ns();
        let mut ctx = Ctx {
            mem: &mut self.mem,
            os: &mut self.os,
            regs,
            now_ns: now,
            nested: self.depth > 0,
        };
        let result = syscalls::dispatch(&mut ctx, number);
        let name = || syscalls::syscall_name(number).unwrap_or("not in the syscall table");
        let caller = self.cpu.pr;
        match result {
            None => self.fail(
                format!("unimplemented syscall 0x{number:04X} ({})", name()),
                caller,
            ),
            Some(Err(error)) => {
                let detail = match error {
                    SysErr::Memory(fault) => format!(
                        "bad pointer argument: {}",
                        describe_mem_fault(fault, &self.mem)
                    ),
                    SysErr::Fault(message) => message,
                };
                self.fail(
                    format!("syscall 0x{number:04X} ({}): {detail}", name()),
                    caller,
                );
            }
            Some(Ok(action)) => match action {
                Action::Return(value) => {
                    self.cpu.r[0] = value;
                    self.cpu.pc = self.cpu.pr;
                    self.state = State::Running;
                    if !paid_on_entry {
                        self.pass_time(
                            cycles_to_ns(syscalls::cost::cycles(number, &regs, value)),
                            true,
                        );
                    }
                }
                Action::Wait { ns, result } => {
                    self.cpu.r[0] = result;
                    self.cpu.pc = self.cpu.pr;
                    self.state = State::Running;
                    if !paid_on_entry {
                        self.pass_time(
                            cycles_to_ns(syscalls::cost::cycles(number, &regs, result)),
                            true,
                        );
                    }
                    self.idle(ns);
                }
                Action::Block {
                    resume_at,
                    deadline,
                } => {
                    if self.depth > 0 {
                        self.fail(
                            format!(
                                "syscall 0x{number:04X} ({}) waited inside a timer handler",
                                name()
                            ),
                            caller,
                        );
                    } else {
                        self.state = State::Blocked {
                            number,
                            resume_at,
                            deadline,
                        };
                    }
                }
                Action::Stop(outcome) => {
                    if outcome == Outcome::LeftToMainMenu && self.depth == 0 {
                        if let Some(handler) = self.os.system.quit_handler.take() {
                            self.state = State::Running;
                            if self.call_guest(handler, &[]).is_none() {
                                return;
                            }
                        }
                    }
                    self.state = State::Finished(outcome);
                }
            },
        }
    }

    fn cpu_fault(&mut self, fault: CpuFault) {
        let pc = fault.pc();
        let headline = match fault {
            CpuFault::Memory {
                fault: mem_fault, ..
            } if !fault.is_fetch() => {
                format!(
                    "{} (instruction `{}`)",
                    describe_mem_fault(mem_fault, &self.mem),
                    disassemble(fault.opcode(), pc)
                )
            }
            CpuFault::Memory {
                fault: mem_fault, ..
            } => {
                format!(
                    "jumped to 0x{pc:08X}: {}",
                    describe_mem_fault(mem_fault, &self.mem)
                )
            }
            CpuFault::Misaligned { addr, .. } if addr >> 16 == 0xA5A5 => {
                format!("{fault} (uninitialised memory holds 0xA5 bytes)")
            }
            other => other.to_string(),
        };
        self.fail(headline, pc);
    }

    /// Ends the run with a crash report.
    fn fail(&mut self, headline: String, pc: u32) {
        let report = self.fault_report(headline, pc);
        self.state = State::Finished(Outcome::Fault(Box::new(report)));
    }

    /// A crash report for `pc`: surrounding code, symbols, registers.
    pub fn fault_report(&self, headline: String, pc: u32) -> FaultReport {
        let mut details = String::new();
        let place = |addr: u32| {
            let mut place = self
                .symbols
                .describe(addr)
                .map(|s| format!(" <{s}>"))
                .unwrap_or_default();
            if let Some(location) = self.debug_info.as_ref().and_then(|d| d.location(addr)) {
                place.push_str(&format!(" at {location}"));
            }
            place
        };
        let _ = writeln!(details, "  at PC 0x{pc:08X}{}", place(pc));
        let start = pc.saturating_sub(6) & !1;
        for addr in (start..=pc.saturating_add(4)).step_by(2) {
            let (Some(hi), Some(lo)) = (self.mem.peek(addr), self.mem.peek(addr.wrapping_add(1)))
            else {
                continue;
            };
            let opcode = u16::from_be_bytes([hi, lo]);
            let marker = if addr == pc { "=>" } else { "  " };
            let _ = writeln!(
                details,
                "  {marker} {addr:08X}  {opcode:04X}  {}",
                disassemble(opcode, addr)
            );
        }
        let _ = writeln!(details, "  PR 0x{:08X}{}", self.cpu.pr, place(self.cpu.pr));
        let _ = writeln!(details, "{}", self.cpu.register_dump());
        let stack_used = STACK_TOP.saturating_sub(self.mem.stack_low_water().min(self.lowest_sp));
        let _ = write!(details, "  stack used: {stack_used} bytes");
        if let Some(limit) = self.mem.stack_limit() {
            let _ = write!(
                details,
                " (room to {}: {} bytes)",
                self.mem.stack_limit_label().symbol(),
                STACK_TOP.saturating_sub(limit)
            );
        }
        FaultReport {
            headline,
            pc,
            details,
        }
    }

    /// Deepest the stack went, in bytes.
    pub fn stack_used(&self) -> u32 {
        STACK_TOP.saturating_sub(self.mem.stack_low_water().min(self.lowest_sp))
    }
}

/// Words a memory fault for a report, with hints.
pub fn describe_mem_fault(fault: MemFault, mem: &Memory) -> String {
    match fault {
        MemFault::Denied { addr, .. } => match mem.last_denied {
            Some(DenyReason::StackOverflow { limit, .. }) => format!(
                "stack overflow into {}: a stack write at 0x{addr:08X} lands below {} (0x{limit:08X})",
                mem.stack_limit_label().what(),
                mem.stack_limit_label().symbol()
            ),
            None => fault.to_string(),
        },
        MemFault::ReadOnly { addr, .. } if addr < 0x1000 => format!(
            "{fault} (a null pointer? the calculator answers reads there from flash but refuses writes)"
        ),
        MemFault::ReadOnly { addr, .. } if addr >> 24 == 0 => {
            format!("{fault} (the add-in image at 0x{ROM_BASE:08X} is read-only)")
        }
        MemFault::Unmapped { addr, write, .. } => {
            let hint = if addr < 0x1000 {
                " (a null pointer?)"
            } else if (addr & 0xFFFF_0000) == 0xA5A5_0000 || addr == 0xA5A5_A5A5 {
                " (uninitialised memory holds 0xA5 bytes)"
            } else if write && (0x8810_0000..ADDIN_RAM_P1).contains(&to_physical_addin_address(addr)) {
                " (below the add-in RAM: the stack overflowed)"
            } else {
                ""
            };
            format!("{fault}{hint}")
        }
        other => other.to_string(),
    }
}
