//! How a run of an add-in ends.

use std::fmt;

/// A crash report: what went wrong, where, and the machine state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultReport {
    /// One line: what happened.
    pub headline: String,
    /// Address of the faulting instruction (or of the syscall's caller).
    pub pc: u32,
    /// Disassembly, registers, symbols.
    pub details: String,
}

impl fmt::Display for FaultReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline)?;
        write!(f, "{}", self.details)
    }
}

/// The end of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `main` returned to the OS (the magic return address was reached).
    ReturnedToOs {
        /// r0 at the time.
        value: u32,
    },
    /// The add-in called the emulator's `Emu_Exit` (0x7F01).
    Exited {
        /// The exit code.
        code: i32,
    },
    /// MENU was pressed in `GetKey` with the main-menu return enabled.
    LeftToMainMenu,
    /// The debugger killed the program.
    Killed,
    /// The power was cut (a test hook) just before a storage-changing
    /// syscall, which did not happen.
    PowerCut {
        /// Which storage-changing call (1 = the first of the run) was cut.
        write: u64,
    },
    /// A crash: bad memory access, illegal instruction, unimplemented
    /// syscall, stack overflow…
    Fault(Box<FaultReport>),
}

impl Outcome {
    /// Whether the add-in ended the way add-ins are meant to.
    pub fn is_success(&self) -> bool {
        match self {
            Outcome::ReturnedToOs { .. } | Outcome::LeftToMainMenu => true,
            Outcome::Exited { code } => *code == 0,
            Outcome::Killed | Outcome::PowerCut { .. } | Outcome::Fault(_) => false,
        }
    }

    /// Short form for summaries.
    pub fn short(&self) -> String {
        match self {
            Outcome::ReturnedToOs { value } => format!("returned to OS (r0 = {})", *value as i32),
            Outcome::Exited { code } => format!("exited with code {code}"),
            Outcome::LeftToMainMenu => "left to main menu".to_string(),
            Outcome::Killed => "killed by the debugger".to_string(),
            Outcome::PowerCut { write } => {
                format!("power cut before storage write {write} (--cut-power-after)")
            }
            Outcome::Fault(report) => format!("crashed: {}", report.headline),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Fault(report) => write!(f, "crashed: {report}"),
            other => f.write_str(&other.short()),
        }
    }
}
