//! A flat profiler: instructions and estimated cycles counted at each
//! address the add-in executes, reported per function (the ELF's symbols).
//! The machine single-steps while it counts, so a profiled run is slower.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::loader::Symbols;

/// Counts per instruction address.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Address → (instructions, estimated cycles).
    counts: HashMap<u32, (u64, u64)>,
    /// Calls of each syscall (by number).
    syscalls: BTreeMap<u32, u64>,
    /// Virtual time the OS spent in syscalls while counting (set by
    /// [`crate::machine::Machine::profile`]).
    pub os_ns: u64,
}

/// One function's line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCount {
    /// The function (demangled), or the address when no symbol covers it.
    pub name: String,
    /// Instructions executed in it.
    pub instructions: u64,
    /// Their estimated cycles.
    pub cycles: u64,
}

impl Profile {
    /// Adds one executed instruction at `pc` that took `cycles`.
    #[inline]
    pub fn count(&mut self, pc: u32, cycles: u64) {
        let entry = self.counts.entry(pc).or_default();
        entry.0 += 1;
        entry.1 += cycles;
    }

    /// Adds a call of syscall `number`.
    pub fn count_syscall(&mut self, number: u32) {
        *self.syscalls.entry(number).or_default() += 1;
    }

    /// Total instructions counted.
    pub fn instructions(&self) -> u64 {
        self.counts.values().map(|c| c.0).sum()
    }

    /// The counts summed per function: keyed by the function's start, or
    /// by the address itself (`false`) where no symbol covers it; with the
    /// last address counted in it. Names are made once per function.
    fn per_function(&self, symbols: &Symbols) -> BTreeMap<(bool, u32), (u64, u64, u32)> {
        let mut per: BTreeMap<(bool, u32), (u64, u64, u32)> = BTreeMap::new();
        for (&pc, &(n, c)) in &self.counts {
            let key = symbols
                .function_start(pc)
                .map_or((false, pc), |start| (true, start));
            let e = per.entry(key).or_insert((0, 0, pc));
            e.0 += n;
            e.1 += c;
            e.2 = e.2.max(pc);
        }
        per
    }

    /// The name `per_function` gives a key.
    fn name(symbols: &Symbols, (known, address): (bool, u32)) -> String {
        known
            .then(|| symbols.function_at(address).map(|(_, name)| name))
            .flatten()
            .unwrap_or_else(|| format!("0x{address:08X}"))
    }

    /// Counts per function, most instructions first.
    pub fn by_function(&self, symbols: &Symbols) -> Vec<FunctionCount> {
        let mut list: Vec<FunctionCount> = self
            .per_function(symbols)
            .into_iter()
            .map(|(key, (instructions, cycles, _))| FunctionCount {
                name: Self::name(symbols, key),
                instructions,
                cycles,
            })
            .collect();
        list.sort_by(|a, b| {
            b.instructions
                .cmp(&a.instructions)
                .then(a.name.cmp(&b.name))
        });
        list
    }

    /// The report: totals, then one line per function (the `top` busiest).
    pub fn report(&self, symbols: &Symbols, top: usize) -> String {
        let total = self.instructions().max(1);
        let cycles: u64 = self.counts.values().map(|c| c.1).sum();
        let mut out = format!(
            "{} instructions ({:.3} s at 58 MHz), {} estimated cycles ({:.3} s), OS time in syscalls {:.3} s\n",
            self.instructions(),
            self.instructions() as f64 / 58e6,
            cycles,
            cycles as f64 / 58e6,
            self.os_ns as f64 / 1e9,
        );
        if !self.syscalls.is_empty() {
            let mut calls: Vec<(u32, u64)> = self.syscalls.iter().map(|(&n, &c)| (n, c)).collect();
            calls.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let listed: Vec<String> = calls
                .iter()
                .map(|&(n, c)| {
                    format!(
                        "{} ×{c}",
                        crate::syscalls::syscall_name(n)
                            .map_or_else(|| format!("0x{n:04X}"), str::to_owned)
                    )
                })
                .collect();
            let _ = writeln!(out, "syscalls: {}", listed.join(", "));
        }
        let _ = writeln!(
            out,
            "{:>12} {:>6} {:>12}  function",
            "instructions", "%", "cycles"
        );
        let list = self.by_function(symbols);
        for f in list.iter().take(top) {
            let _ = writeln!(
                out,
                "{:>12} {:>5.1}% {:>12}  {}",
                f.instructions,
                100.0 * f.instructions as f64 / total as f64,
                f.cycles,
                f.name
            );
        }
        if list.len() > top {
            let rest: u64 = list[top..].iter().map(|f| f.instructions).sum();
            let _ = writeln!(
                out,
                "{:>12} {:>5.1}% {:>12}  ({} more functions)",
                rest,
                100.0 * rest as f64 / total as f64,
                "",
                list.len() - top
            );
        }
        out
    }
}

impl Profile {
    /// Every instruction of the functions whose name contains `pattern`,
    /// each with its counts and disassembly (`opcode_at` reads the code),
    /// from the function's start to its last counted instruction.
    pub fn listing(
        &self,
        symbols: &Symbols,
        pattern: &str,
        opcode_at: impl Fn(u32) -> Option<u16>,
    ) -> String {
        let spans = self
            .per_function(symbols)
            .into_iter()
            .filter(|((known, _), _)| *known)
            .map(|(key, (_, _, last))| (key.1, Self::name(symbols, key), last))
            .filter(|(_, name, _)| name.contains(pattern));
        let mut out = String::new();
        for (start, name, last) in spans {
            let _ = writeln!(out, "\n{name}:\n{:>12} {:>12}", "instructions", "cycles");
            for pc in (start..=last).step_by(2) {
                let (n, c) = self.counts.get(&pc).copied().unwrap_or_default();
                let text = opcode_at(pc)
                    .map(|op| format!("{op:04X}  {}", crate::cpu::disassemble(op, pc)))
                    .unwrap_or_default();
                let _ = writeln!(out, "{n:>12} {c:>12}  {pc:08X}  {text}");
            }
        }
        if out.is_empty() {
            let _ = writeln!(out, "\nno counted function's name contains {pattern:?}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_by_the_function_covering_each_address() {
        let mut symbols = Symbols::default();
        symbols.insert("first", 0x0030_0000, true);
        symbols.insert("second", 0x0030_0100, true);
        let mut p = Profile::default();
        for pc in [0x0030_0000, 0x0030_0002, 0x0030_0002, 0x0030_0102] {
            p.count(pc, 2);
        }
        p.count(0x8000_0000, 1);
        p.count_syscall(u32::from(prizm_platform::syscall::GetKey));
        p.count_syscall(u32::from(prizm_platform::syscall::GetKey));
        let list = p.by_function(&symbols);
        assert_eq!(
            list[0],
            FunctionCount {
                name: "first".into(),
                instructions: 3,
                cycles: 6
            }
        );
        assert_eq!(list[1].name, "0x80000000");
        assert_eq!(
            list[2],
            FunctionCount {
                name: "second".into(),
                instructions: 1,
                cycles: 2
            }
        );
        let report = p.report(&symbols, 1);
        assert!(report.starts_with("5 instructions"), "{report}");
        assert!(report.contains("60.0%"), "{report}");
        assert!(report.contains("syscalls: GetKey ×2\n"), "{report}");
        assert!(report.contains("(2 more functions)"), "{report}");
        let listing = p.listing(&symbols, "fir", |_| Some(0x0009));
        assert!(listing.contains("first:"), "{listing}");
        assert!(
            listing.contains("           2            4  00300002  0009  nop"),
            "{listing}"
        );
        assert!(!listing.contains("second"), "{listing}");
        assert!(p
            .listing(&symbols, "third", |_| None)
            .contains("no counted function"));
    }
}
