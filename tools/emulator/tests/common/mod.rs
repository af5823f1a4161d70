//! A tiny SH-4A assembler for hand-written test programs.

#![allow(dead_code)]

/// Syscall entry point.
pub const SYSCALL: u32 = prizm_platform::memory::SYSCALL_ENTRY;

/// Builds code for 0x00300000 with a literal pool at the end.
#[derive(Default)]
pub struct Asm {
    code: Vec<u16>,
    /// (instruction index, literal index)
    fixups: Vec<(usize, usize)>,
    literals: Vec<u32>,
    /// Bytes appended after the pool: (label, bytes).
    data: Vec<Vec<u8>>,
    data_fixups: Vec<(usize, usize)>,
    labels: std::collections::HashMap<&'static str, usize>,
    branches: Vec<(usize, &'static str, BranchKind)>,
    /// (literal index, label): literals holding a label's address.
    label_literals: Vec<(usize, &'static str)>,
}

#[derive(Clone, Copy)]
enum BranchKind {
    Bf,
    Bt,
    Bra,
}

pub const BASE: u32 = prizm_platform::memory::ADDIN_ROM_BASE;

impl Asm {
    pub fn new() -> Asm {
        Asm::default()
    }

    /// Current address.
    pub fn here(&self) -> u32 {
        BASE + 2 * self.code.len() as u32
    }

    pub fn op(&mut self, opcode: u16) -> &mut Self {
        self.code.push(opcode);
        self
    }

    pub fn label(&mut self, name: &'static str) -> &mut Self {
        self.labels.insert(name, self.code.len());
        self
    }

    /// mov.l @(disp,PC),Rn with a pooled literal.
    pub fn li(&mut self, rn: u16, value: u32) -> &mut Self {
        self.literals.push(value);
        self.fixups.push((self.code.len(), self.literals.len() - 1));
        self.op(0xD000 | rn << 8)
    }

    /// Loads the address of a label.
    pub fn li_label(&mut self, rn: u16, label: &'static str) -> &mut Self {
        self.li(rn, 0);
        self.label_literals.push((self.literals.len() - 1, label));
        self
    }

    /// Loads the address of bytes placed after the pool.
    pub fn la(&mut self, rn: u16, bytes: &[u8]) -> &mut Self {
        self.data.push(bytes.to_vec());
        self.literals.push(0);
        let lit = self.literals.len() - 1;
        self.data_fixups.push((lit, self.data.len() - 1));
        self.fixups.push((self.code.len(), lit));
        self.op(0xD000 | rn << 8)
    }

    pub fn mov_imm(&mut self, rn: u16, imm: i8) -> &mut Self {
        self.op(0xE000 | rn << 8 | (imm as u8 as u16))
    }

    pub fn mov(&mut self, rn: u16, rm: u16) -> &mut Self {
        self.op(0x6003 | rn << 8 | rm << 4)
    }

    pub fn nop(&mut self) -> &mut Self {
        self.op(0x0009)
    }

    /// Saves PR on the stack (function prologue).
    pub fn push_pr(&mut self) -> &mut Self {
        self.op(0x4F22)
    }

    /// Restores PR and returns.
    pub fn pop_pr_rts(&mut self) -> &mut Self {
        self.op(0x4F26).op(0x000B).nop()
    }

    pub fn rts(&mut self) -> &mut Self {
        self.op(0x000B).nop()
    }

    /// Calls syscall `number` (arguments already in r4–r7); clobbers r0, r2, PR.
    pub fn syscall(&mut self, number: impl Into<u32>) -> &mut Self {
        self.li(2, SYSCALL).li(0, number.into()).op(0x420B).nop()
    }

    pub fn bf(&mut self, label: &'static str) -> &mut Self {
        self.branches.push((self.code.len(), label, BranchKind::Bf));
        self.op(0x8B00)
    }

    pub fn bt(&mut self, label: &'static str) -> &mut Self {
        self.branches.push((self.code.len(), label, BranchKind::Bt));
        self.op(0x8900)
    }

    /// bra label; nop
    pub fn bra(&mut self, label: &'static str) -> &mut Self {
        self.branches
            .push((self.code.len(), label, BranchKind::Bra));
        self.op(0xA000).nop()
    }

    /// The machine code.
    pub fn finish(&self) -> Vec<u8> {
        let mut code = self.code.clone();
        for (at, label, kind) in &self.branches {
            let target = self.labels[label] as i64;
            let disp = target - (*at as i64 + 2);
            code[*at] |= match kind {
                BranchKind::Bf | BranchKind::Bt => {
                    assert!((-128..128).contains(&disp), "branch too far");
                    (disp as i8 as u8) as u16
                }
                BranchKind::Bra => (disp as u16) & 0x0FFF,
            };
        }
        let mut pool_at = 2 * code.len();
        pool_at = (pool_at + 3) & !3;
        let data_at = pool_at + 4 * self.literals.len();
        let mut literals = self.literals.clone();
        for (lit, label) in &self.label_literals {
            literals[*lit] = BASE + 2 * self.labels[label] as u32;
        }
        let mut data_bytes = Vec::new();
        for (lit, d) in &self.data_fixups {
            literals[*lit] = BASE + (data_at + data_bytes.len()) as u32;
            data_bytes.extend_from_slice(&self.data[*d]);
            while data_bytes.len() % 4 != 0 {
                data_bytes.push(0);
            }
        }
        for (at, lit) in &self.fixups {
            let pc = BASE + 2 * *at as u32;
            let lit_addr = BASE + (pool_at + 4 * lit) as u32;
            let disp = (lit_addr - ((pc & !3) + 4)) / 4;
            assert!(disp < 256, "literal pool too far");
            code[*at] |= disp as u16;
        }
        let mut out: Vec<u8> = code.iter().flat_map(|w| w.to_be_bytes()).collect();
        out.resize(pool_at, 0);
        for lit in literals {
            out.extend_from_slice(&lit.to_be_bytes());
        }
        out.extend_from_slice(&data_bytes);
        out
    }
}

#[allow(unused_imports)] // not every test file builds g3a files
pub use g3a::testing::g3a;

/// A minimal big-endian SH ELF: one PT_LOAD of `code` at 0x00300000 and symbols.
pub fn elf(code: &[u8], symbols: &[(&str, u32)]) -> Vec<u8> {
    let mut builder = g3a::testing::ElfBuilder::new().segment(
        g3a::testing::PT_LOAD,
        BASE,
        code,
        code.len() as u32,
    );
    for (name, address) in symbols {
        builder = builder.symbol(name, *address);
    }
    builder.build()
}
