//! Instruction decoding: one table entry per 16-bit opcode.
//!
//! Every instruction the core knows is listed once in [`SPECS`] with its bit
//! pattern, mnemonic, operand format, cost and flags. The 65,536-entry
//! [`DecodeTable`] is built from that list the first time it is needed, so
//! the interpreter resolves any opcode with a single load, and the
//! disassembler prints from the same list (they cannot disagree).
//!
//! Pattern letters: `n` = register field in bits 8–11, `m` = register field
//! in bits 4–7 (or the bank number in bits 4–6), `d` = displacement,
//! `i` = immediate. Operands are extracted from the opcode at execution time.

use std::sync::OnceLock;

/// Instruction may not be placed in a delay slot (it modifies PC, is
/// PC-relative, or is otherwise listed by the SH-4A manual's "slot illegal
/// instruction exception" sources).
pub const SLOT_ILLEGAL: u8 = 1 << 0;
/// Instruction is privileged: in user mode (SR.MD = 0) it is illegal.
pub const PRIVILEGED: u8 = 1 << 1;

/// How an instruction's operands are written (used by the disassembler).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// No operands.
    None,
    /// `rN`
    N,
    /// `rM,rN`
    MN,
    /// `@rN`
    AtN,
    /// `rM,@rN`
    MAtN,
    /// `@rM,rN`
    AtMN,
    /// `rM,@-rN`
    MAtDecN,
    /// `@rM+,rN`
    AtIncMN,
    /// `rM,@(r0,rN)`
    MIndexN,
    /// `@(r0,rM),rN`
    IndexMN,
    /// `rM,@(disp,rN)`; displacement scaled by the access size.
    MDispN(u8),
    /// `@(disp,rM),rN`
    DispMN(u8),
    /// `r0,@(disp,rM)` (register in bits 4–7)
    R0DispM(u8),
    /// `@(disp,rM),r0` (register in bits 4–7)
    DispMR0(u8),
    /// `#imm,r0` with a sign-extended immediate.
    SImmR0,
    /// `#imm,r0` with a zero-extended immediate.
    UImmR0,
    /// `#imm,@(r0,gbr)`
    ImmIndexGbr,
    /// `r0,@(disp,gbr)`
    R0DispGbr(u8),
    /// `@(disp,gbr),r0`
    DispGbrR0(u8),
    /// `@(disp,pc),rN`
    PcRelN(u8),
    /// `@(disp,pc),r0` (mova)
    Mova,
    /// `#imm,rN` (sign-extended)
    SImmN,
    /// 8-bit branch displacement.
    Branch8,
    /// 12-bit branch displacement.
    Branch12,
    /// `#imm` (trapa)
    Trap,
    /// `rN,<ctrl>`
    ToCtrl(&'static str),
    /// `<ctrl>,rN`
    FromCtrl(&'static str),
    /// `@rN+,<ctrl>`
    LoadCtrl(&'static str),
    /// `<ctrl>,@-rN`
    StoreCtrl(&'static str),
    /// `rN,rB_BANK`
    ToBank,
    /// `rB_BANK,rN`
    FromBank,
    /// `@rN+,rB_BANK`
    LoadBank,
    /// `rB_BANK,@-rN`
    StoreBank,
    /// `@rN,r0`
    AtNR0,
    /// `@rN+,r0`
    AtIncNR0,
    /// `r0,@rN`
    R0AtN,
    /// `@rM+,@rN+`
    Mac,
}

/// One instruction of the architecture.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// What the interpreter executes.
    pub kind: Kind,
    /// 16-character bit pattern, most significant bit first.
    pub pattern: &'static str,
    /// Assembler mnemonic.
    pub mnemonic: &'static str,
    /// Operand syntax.
    pub format: Format,
    /// Estimated cycles (see the cost model in `execute.rs`).
    pub cost: u8,
    /// [`SLOT_ILLEGAL`] and/or [`PRIVILEGED`].
    pub flags: u8,
}

macro_rules! isa {
    ($( $kind:ident : $pattern:literal, $mnemonic:literal, $format:expr, $cost:literal, $flags:expr; )*) => {
        /// Every instruction kind the interpreter executes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Kind {
            /// Undefined opcode (including all FPU instructions: the
            /// fx-CG's SH-4A has no FPU).
            Illegal,
            $(
                #[allow(missing_docs)]
                $kind,
            )*
        }

        /// The instruction list, in encoding order.
        pub static SPECS: &[Spec] = &[
            $( Spec { kind: Kind::$kind, pattern: $pattern, mnemonic: $mnemonic, format: $format, cost: $cost, flags: $flags }, )*
        ];
    };
}

use Format as F;
const S: u8 = SLOT_ILLEGAL;
const P: u8 = PRIVILEGED;

isa! {
    // ---- 0000 ----
    StcSr:        "0000nnnn00000010", "stc",     F::FromCtrl("sr"), 2, P;
    StcGbr:       "0000nnnn00010010", "stc",     F::FromCtrl("gbr"), 2, 0;
    StcVbr:       "0000nnnn00100010", "stc",     F::FromCtrl("vbr"), 2, P;
    StcSsr:       "0000nnnn00110010", "stc",     F::FromCtrl("ssr"), 2, P;
    StcSpc:       "0000nnnn01000010", "stc",     F::FromCtrl("spc"), 2, P;
    StcBank:      "0000nnnn1mmm0010", "stc",     F::FromBank, 2, P;
    StcSgr:       "0000nnnn00111010", "stc",     F::FromCtrl("sgr"), 3, P;
    StcDbr:       "0000nnnn11111010", "stc",     F::FromCtrl("dbr"), 2, P;
    Bsrf:         "0000nnnn00000011", "bsrf",    F::N, 2, S;
    Braf:         "0000nnnn00100011", "braf",    F::N, 2, S;
    Movli:        "0000nnnn01100011", "movli.l", F::AtNR0, 1, 0;
    Movco:        "0000nnnn01110011", "movco.l", F::R0AtN, 1, 0;
    Pref:         "0000nnnn10000011", "pref",    F::AtN, 1, 0;
    Ocbi:         "0000nnnn10010011", "ocbi",    F::AtN, 1, 0;
    Ocbp:         "0000nnnn10100011", "ocbp",    F::AtN, 1, 0;
    Ocbwb:        "0000nnnn10110011", "ocbwb",   F::AtN, 1, 0;
    Movca:        "0000nnnn11000011", "movca.l", F::R0AtN, 1, 0;
    Prefi:        "0000nnnn11010011", "prefi",   F::AtN, 1, S;
    Icbi:         "0000nnnn11100011", "icbi",    F::AtN, 1, S;
    MovbStoreIdx: "0000nnnnmmmm0100", "mov.b",   F::MIndexN, 1, 0;
    MovwStoreIdx: "0000nnnnmmmm0101", "mov.w",   F::MIndexN, 1, 0;
    MovlStoreIdx: "0000nnnnmmmm0110", "mov.l",   F::MIndexN, 1, 0;
    MulL:         "0000nnnnmmmm0111", "mul.l",   F::MN, 2, 0;
    Clrt:         "0000000000001000", "clrt",    F::None, 1, 0;
    Sett:         "0000000000011000", "sett",    F::None, 1, 0;
    Clrmac:       "0000000000101000", "clrmac",  F::None, 1, 0;
    Ldtlb:        "0000000000111000", "ldtlb",   F::None, 1, P;
    Clrs:         "0000000001001000", "clrs",    F::None, 1, 0;
    Sets:         "0000000001011000", "sets",    F::None, 1, 0;
    Nop:          "0000000000001001", "nop",     F::None, 1, 0;
    Div0u:        "0000000000011001", "div0u",   F::None, 1, 0;
    Movt:         "0000nnnn00101001", "movt",    F::N, 1, 0;
    StsMach:      "0000nnnn00001010", "sts",     F::FromCtrl("mach"), 1, 0;
    StsMacl:      "0000nnnn00011010", "sts",     F::FromCtrl("macl"), 1, 0;
    StsPr:        "0000nnnn00101010", "sts",     F::FromCtrl("pr"), 1, 0;
    StsFpul:      "0000nnnn01011010", "sts",     F::FromCtrl("fpul"), 1, 0;
    StsFpscr:     "0000nnnn01101010", "sts",     F::FromCtrl("fpscr"), 1, 0;
    Rts:          "0000000000001011", "rts",     F::None, 2, S;
    Sleep:        "0000000000011011", "sleep",   F::None, 2, S | P;
    Rte:          "0000000000101011", "rte",     F::None, 4, S | P;
    Synco:        "0000000010101011", "synco",   F::None, 1, 0;
    MovbLoadIdx:  "0000nnnnmmmm1100", "mov.b",   F::IndexMN, 1, 0;
    MovwLoadIdx:  "0000nnnnmmmm1101", "mov.w",   F::IndexMN, 1, 0;
    MovlLoadIdx:  "0000nnnnmmmm1110", "mov.l",   F::IndexMN, 1, 0;
    MacL:         "0000nnnnmmmm1111", "mac.l",   F::Mac, 2, 0;
    // ---- 0001 ----
    MovlStoreDisp: "0001nnnnmmmmdddd", "mov.l",  F::MDispN(4), 1, 0;
    // ---- 0010 ----
    MovbStore:    "0010nnnnmmmm0000", "mov.b",   F::MAtN, 1, 0;
    MovwStore:    "0010nnnnmmmm0001", "mov.w",   F::MAtN, 1, 0;
    MovlStore:    "0010nnnnmmmm0010", "mov.l",   F::MAtN, 1, 0;
    MovbStoreDec: "0010nnnnmmmm0100", "mov.b",   F::MAtDecN, 1, 0;
    MovwStoreDec: "0010nnnnmmmm0101", "mov.w",   F::MAtDecN, 1, 0;
    MovlStoreDec: "0010nnnnmmmm0110", "mov.l",   F::MAtDecN, 1, 0;
    Div0s:        "0010nnnnmmmm0111", "div0s",   F::MN, 1, 0;
    Tst:          "0010nnnnmmmm1000", "tst",     F::MN, 1, 0;
    And:          "0010nnnnmmmm1001", "and",     F::MN, 1, 0;
    Xor:          "0010nnnnmmmm1010", "xor",     F::MN, 1, 0;
    Or:           "0010nnnnmmmm1011", "or",      F::MN, 1, 0;
    CmpStr:       "0010nnnnmmmm1100", "cmp/str", F::MN, 1, 0;
    Xtrct:        "0010nnnnmmmm1101", "xtrct",   F::MN, 1, 0;
    MuluW:        "0010nnnnmmmm1110", "mulu.w",  F::MN, 1, 0;
    MulsW:        "0010nnnnmmmm1111", "muls.w",  F::MN, 1, 0;
    // ---- 0011 ----
    CmpEq:        "0011nnnnmmmm0000", "cmp/eq",  F::MN, 1, 0;
    CmpHs:        "0011nnnnmmmm0010", "cmp/hs",  F::MN, 1, 0;
    CmpGe:        "0011nnnnmmmm0011", "cmp/ge",  F::MN, 1, 0;
    Div1:         "0011nnnnmmmm0100", "div1",    F::MN, 1, 0;
    DmuluL:       "0011nnnnmmmm0101", "dmulu.l", F::MN, 2, 0;
    CmpHi:        "0011nnnnmmmm0110", "cmp/hi",  F::MN, 1, 0;
    CmpGt:        "0011nnnnmmmm0111", "cmp/gt",  F::MN, 1, 0;
    Sub:          "0011nnnnmmmm1000", "sub",     F::MN, 1, 0;
    Subc:         "0011nnnnmmmm1010", "subc",    F::MN, 1, 0;
    Subv:         "0011nnnnmmmm1011", "subv",    F::MN, 1, 0;
    Add:          "0011nnnnmmmm1100", "add",     F::MN, 1, 0;
    DmulsL:       "0011nnnnmmmm1101", "dmuls.l", F::MN, 2, 0;
    Addc:         "0011nnnnmmmm1110", "addc",    F::MN, 1, 0;
    Addv:         "0011nnnnmmmm1111", "addv",    F::MN, 1, 0;
    // ---- 0100 ----
    Shll:         "0100nnnn00000000", "shll",    F::N, 1, 0;
    Dt:           "0100nnnn00010000", "dt",      F::N, 1, 0;
    Shal:         "0100nnnn00100000", "shal",    F::N, 1, 0;
    Shlr:         "0100nnnn00000001", "shlr",    F::N, 1, 0;
    CmpPz:        "0100nnnn00010001", "cmp/pz",  F::N, 1, 0;
    Shar:         "0100nnnn00100001", "shar",    F::N, 1, 0;
    StslMach:     "0100nnnn00000010", "sts.l",   F::StoreCtrl("mach"), 1, 0;
    StslMacl:     "0100nnnn00010010", "sts.l",   F::StoreCtrl("macl"), 1, 0;
    StslPr:       "0100nnnn00100010", "sts.l",   F::StoreCtrl("pr"), 1, 0;
    StclSgr:      "0100nnnn00110010", "stc.l",   F::StoreCtrl("sgr"), 3, P;
    StslFpul:     "0100nnnn01010010", "sts.l",   F::StoreCtrl("fpul"), 1, 0;
    StslFpscr:    "0100nnnn01100010", "sts.l",   F::StoreCtrl("fpscr"), 1, 0;
    StclDbr:      "0100nnnn11110010", "stc.l",   F::StoreCtrl("dbr"), 2, P;
    StclSr:       "0100nnnn00000011", "stc.l",   F::StoreCtrl("sr"), 2, P;
    StclGbr:      "0100nnnn00010011", "stc.l",   F::StoreCtrl("gbr"), 2, 0;
    StclVbr:      "0100nnnn00100011", "stc.l",   F::StoreCtrl("vbr"), 2, P;
    StclSsr:      "0100nnnn00110011", "stc.l",   F::StoreCtrl("ssr"), 2, P;
    StclSpc:      "0100nnnn01000011", "stc.l",   F::StoreCtrl("spc"), 2, P;
    StclBank:     "0100nnnn1mmm0011", "stc.l",   F::StoreBank, 2, P;
    Rotl:         "0100nnnn00000100", "rotl",    F::N, 1, 0;
    Rotcl:        "0100nnnn00100100", "rotcl",   F::N, 1, 0;
    Rotr:         "0100nnnn00000101", "rotr",    F::N, 1, 0;
    CmpPl:        "0100nnnn00010101", "cmp/pl",  F::N, 1, 0;
    Rotcr:        "0100nnnn00100101", "rotcr",   F::N, 1, 0;
    LdslMach:     "0100nnnn00000110", "lds.l",   F::LoadCtrl("mach"), 1, 0;
    LdslMacl:     "0100nnnn00010110", "lds.l",   F::LoadCtrl("macl"), 1, 0;
    LdslPr:       "0100nnnn00100110", "lds.l",   F::LoadCtrl("pr"), 1, 0;
    LdclSgr:      "0100nnnn00110110", "ldc.l",   F::LoadCtrl("sgr"), 2, P;
    LdslFpul:     "0100nnnn01010110", "lds.l",   F::LoadCtrl("fpul"), 1, 0;
    LdslFpscr:    "0100nnnn01100110", "lds.l",   F::LoadCtrl("fpscr"), 1, 0;
    LdclDbr:      "0100nnnn11110110", "ldc.l",   F::LoadCtrl("dbr"), 2, P;
    LdclSr:       "0100nnnn00000111", "ldc.l",   F::LoadCtrl("sr"), 4, S | P;
    LdclGbr:      "0100nnnn00010111", "ldc.l",   F::LoadCtrl("gbr"), 2, 0;
    LdclVbr:      "0100nnnn00100111", "ldc.l",   F::LoadCtrl("vbr"), 2, P;
    LdclSsr:      "0100nnnn00110111", "ldc.l",   F::LoadCtrl("ssr"), 2, P;
    LdclSpc:      "0100nnnn01000111", "ldc.l",   F::LoadCtrl("spc"), 2, P;
    LdclBank:     "0100nnnn1mmm0111", "ldc.l",   F::LoadBank, 2, P;
    Shll2:        "0100nnnn00001000", "shll2",   F::N, 1, 0;
    Shll8:        "0100nnnn00011000", "shll8",   F::N, 1, 0;
    Shll16:       "0100nnnn00101000", "shll16",  F::N, 1, 0;
    Shlr2:        "0100nnnn00001001", "shlr2",   F::N, 1, 0;
    Shlr8:        "0100nnnn00011001", "shlr8",   F::N, 1, 0;
    Shlr16:       "0100nnnn00101001", "shlr16",  F::N, 1, 0;
    Movua:        "0100nnnn10101001", "movua.l", F::AtNR0, 2, 0;
    MovuaInc:     "0100nnnn11101001", "movua.l", F::AtIncNR0, 2, 0;
    LdsMach:      "0100nnnn00001010", "lds",     F::ToCtrl("mach"), 1, 0;
    LdsMacl:      "0100nnnn00011010", "lds",     F::ToCtrl("macl"), 1, 0;
    LdsPr:        "0100nnnn00101010", "lds",     F::ToCtrl("pr"), 1, 0;
    LdcSgr:       "0100nnnn00111010", "ldc",     F::ToCtrl("sgr"), 2, P;
    LdsFpul:      "0100nnnn01011010", "lds",     F::ToCtrl("fpul"), 1, 0;
    LdsFpscr:     "0100nnnn01101010", "lds",     F::ToCtrl("fpscr"), 1, 0;
    LdcDbr:       "0100nnnn11111010", "ldc",     F::ToCtrl("dbr"), 2, P;
    Jsr:          "0100nnnn00001011", "jsr",     F::AtN, 2, S;
    TasB:         "0100nnnn00011011", "tas.b",   F::AtN, 4, 0;
    Jmp:          "0100nnnn00101011", "jmp",     F::AtN, 2, S;
    Shad:         "0100nnnnmmmm1100", "shad",    F::MN, 1, 0;
    Shld:         "0100nnnnmmmm1101", "shld",    F::MN, 1, 0;
    LdcSr:        "0100nnnn00001110", "ldc",     F::ToCtrl("sr"), 4, S | P;
    LdcGbr:       "0100nnnn00011110", "ldc",     F::ToCtrl("gbr"), 1, 0;
    LdcVbr:       "0100nnnn00101110", "ldc",     F::ToCtrl("vbr"), 1, P;
    LdcSsr:       "0100nnnn00111110", "ldc",     F::ToCtrl("ssr"), 1, P;
    LdcSpc:       "0100nnnn01001110", "ldc",     F::ToCtrl("spc"), 1, P;
    LdcBank:      "0100nnnn1mmm1110", "ldc",     F::ToBank, 1, P;
    MacW:         "0100nnnnmmmm1111", "mac.w",   F::Mac, 2, 0;
    // ---- 0101 ----
    MovlLoadDisp: "0101nnnnmmmmdddd", "mov.l",   F::DispMN(4), 1, 0;
    // ---- 0110 ----
    MovbLoad:     "0110nnnnmmmm0000", "mov.b",   F::AtMN, 1, 0;
    MovwLoad:     "0110nnnnmmmm0001", "mov.w",   F::AtMN, 1, 0;
    MovlLoad:     "0110nnnnmmmm0010", "mov.l",   F::AtMN, 1, 0;
    Mov:          "0110nnnnmmmm0011", "mov",     F::MN, 1, 0;
    MovbLoadInc:  "0110nnnnmmmm0100", "mov.b",   F::AtIncMN, 1, 0;
    MovwLoadInc:  "0110nnnnmmmm0101", "mov.w",   F::AtIncMN, 1, 0;
    MovlLoadInc:  "0110nnnnmmmm0110", "mov.l",   F::AtIncMN, 1, 0;
    Not:          "0110nnnnmmmm0111", "not",     F::MN, 1, 0;
    SwapB:        "0110nnnnmmmm1000", "swap.b",  F::MN, 1, 0;
    SwapW:        "0110nnnnmmmm1001", "swap.w",  F::MN, 1, 0;
    Negc:         "0110nnnnmmmm1010", "negc",    F::MN, 1, 0;
    Neg:          "0110nnnnmmmm1011", "neg",     F::MN, 1, 0;
    ExtuB:        "0110nnnnmmmm1100", "extu.b",  F::MN, 1, 0;
    ExtuW:        "0110nnnnmmmm1101", "extu.w",  F::MN, 1, 0;
    ExtsB:        "0110nnnnmmmm1110", "exts.b",  F::MN, 1, 0;
    ExtsW:        "0110nnnnmmmm1111", "exts.w",  F::MN, 1, 0;
    // ---- 0111 ----
    AddImm:       "0111nnnniiiiiiii", "add",     F::SImmN, 1, 0;
    // ---- 1000 ----
    MovbStoreDispR0: "10000000mmmmdddd", "mov.b", F::R0DispM(1), 1, 0;
    MovwStoreDispR0: "10000001mmmmdddd", "mov.w", F::R0DispM(2), 1, 0;
    MovbLoadDispR0:  "10000100mmmmdddd", "mov.b", F::DispMR0(1), 1, 0;
    MovwLoadDispR0:  "10000101mmmmdddd", "mov.w", F::DispMR0(2), 1, 0;
    CmpEqImm:     "10001000iiiiiiii", "cmp/eq",  F::SImmR0, 1, 0;
    Bt:           "10001001dddddddd", "bt",      F::Branch8, 1, S;
    Bf:           "10001011dddddddd", "bf",      F::Branch8, 1, S;
    BtS:          "10001101dddddddd", "bt/s",    F::Branch8, 1, S;
    BfS:          "10001111dddddddd", "bf/s",    F::Branch8, 1, S;
    // ---- 1001 ----
    MovwLoadPc:   "1001nnnndddddddd", "mov.w",   F::PcRelN(2), 1, S;
    // ---- 1010 / 1011 ----
    Bra:          "1010dddddddddddd", "bra",     F::Branch12, 1, S;
    Bsr:          "1011dddddddddddd", "bsr",     F::Branch12, 1, S;
    // ---- 1100 ----
    MovbStoreGbr: "11000000dddddddd", "mov.b",   F::R0DispGbr(1), 1, 0;
    MovwStoreGbr: "11000001dddddddd", "mov.w",   F::R0DispGbr(2), 1, 0;
    MovlStoreGbr: "11000010dddddddd", "mov.l",   F::R0DispGbr(4), 1, 0;
    Trapa:        "11000011iiiiiiii", "trapa",   F::Trap, 8, S;
    MovbLoadGbr:  "11000100dddddddd", "mov.b",   F::DispGbrR0(1), 1, 0;
    MovwLoadGbr:  "11000101dddddddd", "mov.w",   F::DispGbrR0(2), 1, 0;
    MovlLoadGbr:  "11000110dddddddd", "mov.l",   F::DispGbrR0(4), 1, 0;
    Mova:         "11000111dddddddd", "mova",    F::Mova, 1, S;
    TstImm:       "11001000iiiiiiii", "tst",     F::UImmR0, 1, 0;
    AndImm:       "11001001iiiiiiii", "and",     F::UImmR0, 1, 0;
    XorImm:       "11001010iiiiiiii", "xor",     F::UImmR0, 1, 0;
    OrImm:        "11001011iiiiiiii", "or",      F::UImmR0, 1, 0;
    TstB:         "11001100iiiiiiii", "tst.b",   F::ImmIndexGbr, 3, 0;
    AndB:         "11001101iiiiiiii", "and.b",   F::ImmIndexGbr, 3, 0;
    XorB:         "11001110iiiiiiii", "xor.b",   F::ImmIndexGbr, 3, 0;
    OrB:          "11001111iiiiiiii", "or.b",    F::ImmIndexGbr, 3, 0;
    // ---- 1101 ----
    MovlLoadPc:   "1101nnnndddddddd", "mov.l",   F::PcRelN(4), 1, S;
    // ---- 1110 ----
    MovImm:       "1110nnnniiiiiiii", "mov",     F::SImmN, 1, 0;
    // ---- 1111: FPU, absent on the fx-CG: Illegal ----
}

/// One decoded opcode: what to execute plus its cost and flags, packed in
/// two bytes so the whole table (128 KiB) stays cache-friendly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Instruction kind.
    pub kind: Kind,
    /// Cost in the low nibble, flags in the high nibble.
    meta: u8,
}

impl Entry {
    /// Estimated cycles.
    #[inline(always)]
    pub fn cost(self) -> u8 {
        self.meta & 0xF
    }

    /// [`SLOT_ILLEGAL`] / [`PRIVILEGED`] bits.
    #[inline(always)]
    pub fn flags(self) -> u8 {
        self.meta >> 4
    }
}

const ILLEGAL_ENTRY: Entry = Entry {
    kind: Kind::Illegal,
    meta: 1 | (SLOT_ILLEGAL << 4),
};

/// The decoded form of all 65,536 opcodes.
pub struct DecodeTable {
    entries: Box<[Entry; 0x1_0000]>,
    /// Index into [`SPECS`] for each kind (`usize::MAX` for `Illegal`).
    spec_of_kind: Vec<usize>,
}

impl DecodeTable {
    /// Looks up an opcode.
    #[inline(always)]
    pub fn get(&self, opcode: u16) -> Entry {
        // A u16 index into a 65,536-entry array: no bounds check needed.
        self.entries[usize::from(opcode)]
    }

    /// The raw 65,536-entry array (hoisted into a register by the
    /// interpreter loop).
    #[inline(always)]
    pub fn entries(&self) -> &[Entry; 0x1_0000] {
        &self.entries
    }

    fn build() -> DecodeTable {
        let mut entries: Box<[Entry; 0x1_0000]> = vec![ILLEGAL_ENTRY; 0x1_0000]
            .into_boxed_slice()
            .try_into()
            .unwrap_or_else(|_| unreachable!("the vector has exactly 65,536 entries"));
        let mut spec_of_kind = vec![usize::MAX; SPECS.len() + 1];
        for (index, spec) in SPECS.iter().enumerate() {
            spec_of_kind[spec.kind as usize] = index;
            let (mask, value) = pattern_bits(spec.pattern);
            let free = !mask;
            // Enumerate every opcode matching the pattern by walking the
            // subsets of the free bits.
            let mut sub: u16 = 0;
            loop {
                let opcode = value | sub;
                entries[opcode as usize] = Entry {
                    kind: spec.kind,
                    meta: (spec.cost & 0xF) | (spec.flags << 4),
                };
                if sub == free {
                    break;
                }
                sub = (sub.wrapping_sub(free)) & free;
            }
        }
        DecodeTable {
            entries,
            spec_of_kind,
        }
    }
}

/// Mask and value of a 16-character pattern (letters are free bits).
pub fn pattern_bits(pattern: &str) -> (u16, u16) {
    let mut mask = 0u16;
    let mut value = 0u16;
    for (i, c) in pattern.bytes().enumerate().take(16) {
        let bit = 1u16 << (15 - i);
        match c {
            b'0' => mask |= bit,
            b'1' => {
                mask |= bit;
                value |= bit;
            }
            _ => {}
        }
    }
    (mask, value)
}

/// The shared decode table (built once per process, about 1 ms).
pub fn table() -> &'static DecodeTable {
    static TABLE: OnceLock<DecodeTable> = OnceLock::new();
    TABLE.get_or_init(DecodeTable::build)
}

/// Decodes one opcode.
pub fn decode(opcode: u16) -> Entry {
    table().get(opcode)
}

/// The specification row of a decoded entry, if the opcode is defined.
pub fn spec_of(entry: Entry) -> Option<&'static Spec> {
    SPECS.get(*table().spec_of_kind.get(entry.kind as usize)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_do_not_overlap_and_each_kind_is_listed_once() {
        let mut owner = vec![usize::MAX; 0x1_0000];
        for (index, spec) in SPECS.iter().enumerate() {
            assert_eq!(spec.pattern.len(), 16, "{}", spec.pattern);
            let (mask, value) = pattern_bits(spec.pattern);
            for opcode in 0..=0xFFFFu16 {
                if opcode & mask == value {
                    assert_eq!(
                        owner[opcode as usize],
                        usize::MAX,
                        "{:04x} matches {} and {}",
                        opcode,
                        spec.pattern,
                        SPECS[owner[opcode as usize].min(SPECS.len() - 1)].pattern
                    );
                    owner[opcode as usize] = index;
                }
            }
            assert_eq!(
                SPECS.iter().filter(|s| s.kind == spec.kind).count(),
                1,
                "{:?} listed twice",
                spec.kind
            );
        }
        // The table agrees with the patterns.
        for opcode in 0..=0xFFFFu16 {
            let entry = decode(opcode);
            match owner[opcode as usize] {
                usize::MAX => assert_eq!(entry.kind, Kind::Illegal),
                index => assert_eq!(entry.kind, SPECS[index].kind),
            }
        }
    }

    #[test]
    fn known_encodings() {
        assert_eq!(decode(0x0009).kind, Kind::Nop);
        assert_eq!(decode(0x000B).kind, Kind::Rts);
        assert_eq!(decode(0x312C).kind, Kind::Add);
        assert_eq!(decode(0x7F04).kind, Kind::AddImm);
        assert_eq!(decode(0x4F22).kind, Kind::StslPr);
        assert_eq!(decode(0xC313).kind, Kind::Trapa);
        assert_eq!(decode(0xF000).kind, Kind::Illegal);
        assert_eq!(decode(0xFFFD).kind, Kind::Illegal);
        assert_eq!(decode(0x0163).kind, Kind::Movli);
        assert_eq!(decode(0x0173).kind, Kind::Movco);
        assert_eq!(decode(0x41A9).kind, Kind::Movua);
        assert_eq!(decode(0x41E9).kind, Kind::MovuaInc);
        assert_eq!(decode(0x00AB).kind, Kind::Synco);
        assert!(decode(0x8900).flags() & SLOT_ILLEGAL != 0);
        assert!(decode(0xD100).flags() & SLOT_ILLEGAL != 0);
        assert!(decode(0x0002).flags() & PRIVILEGED != 0);
        assert!(decode(0x0012).flags() & PRIVILEGED == 0);
        assert_eq!(decode(0xC313).cost(), 8);
        assert_eq!(spec_of(decode(0x312C)).map(|s| s.mnemonic), Some("add"));
    }
}
