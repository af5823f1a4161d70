//! Disassembler in the usual SuperH assembler syntax (GNU `as` style).
//!
//! It prints from the same instruction list the interpreter decodes with,
//! so every opcode the CPU executes has a disassembly. Undefined opcodes
//! print as `.word 0xXXXX`.

use super::decode::{decode, spec_of, Format};

/// Disassembles one opcode located at `pc` (PC matters for branch targets
/// and PC-relative operands, which are printed as absolute addresses).
pub fn disassemble(opcode: u16, pc: u32) -> String {
    let Some(spec) = spec_of(decode(opcode)) else {
        return format!(".word 0x{opcode:04X}");
    };
    let n = (opcode >> 8) & 0xF;
    let m = (opcode >> 4) & 0xF;
    let bank = m & 7;
    let d4 = u32::from(opcode & 0xF);
    let imm = u32::from(opcode & 0xFF);
    let simm = i32::from(opcode as u8 as i8);
    let operands = match spec.format {
        Format::None => String::new(),
        Format::N => format!("r{n}"),
        Format::MN => format!("r{m},r{n}"),
        Format::AtN => format!("@r{n}"),
        Format::MAtN => format!("r{m},@r{n}"),
        Format::AtMN => format!("@r{m},r{n}"),
        Format::MAtDecN => format!("r{m},@-r{n}"),
        Format::AtIncMN => format!("@r{m}+,r{n}"),
        Format::MIndexN => format!("r{m},@(r0,r{n})"),
        Format::IndexMN => format!("@(r0,r{m}),r{n}"),
        Format::MDispN(size) => format!("r{m},@({},r{n})", d4 * u32::from(size)),
        Format::DispMN(size) => format!("@({},r{m}),r{n}", d4 * u32::from(size)),
        Format::R0DispM(size) => format!("r0,@({},r{m})", d4 * u32::from(size)),
        Format::DispMR0(size) => format!("@({},r{m}),r0", d4 * u32::from(size)),
        Format::SImmR0 => format!("#{simm},r0"),
        Format::UImmR0 => format!("#0x{imm:02X},r0"),
        Format::ImmIndexGbr => format!("#0x{imm:02X},@(r0,gbr)"),
        Format::R0DispGbr(size) => format!("r0,@({},gbr)", imm * u32::from(size)),
        Format::DispGbrR0(size) => format!("@({},gbr),r0", imm * u32::from(size)),
        Format::PcRelN(size) => {
            let disp = imm * u32::from(size);
            let base = if size == 4 { pc & !3 } else { pc };
            let addr = base.wrapping_add(4).wrapping_add(disp);
            format!("@({disp},pc),r{n} ! 0x{addr:08X}")
        }
        Format::Mova => {
            let disp = imm * 4;
            let addr = (pc & !3).wrapping_add(4).wrapping_add(disp);
            format!("@({disp},pc),r0 ! 0x{addr:08X}")
        }
        Format::SImmN => format!("#{simm},r{n}"),
        Format::Branch8 => {
            let target = pc.wrapping_add(4).wrapping_add((simm * 2) as u32);
            format!("0x{target:08X}")
        }
        Format::Branch12 => {
            let disp = i32::from(((opcode & 0x0FFF) << 4) as i16 >> 4);
            let target = pc.wrapping_add(4).wrapping_add((disp * 2) as u32);
            format!("0x{target:08X}")
        }
        Format::Trap => format!("#0x{imm:02X}"),
        Format::ToCtrl(ctrl) => format!("r{n},{ctrl}"),
        Format::FromCtrl(ctrl) => format!("{ctrl},r{n}"),
        Format::LoadCtrl(ctrl) => format!("@r{n}+,{ctrl}"),
        Format::StoreCtrl(ctrl) => format!("{ctrl},@-r{n}"),
        Format::ToBank => format!("r{n},r{bank}_bank"),
        Format::FromBank => format!("r{bank}_bank,r{n}"),
        Format::LoadBank => format!("@r{n}+,r{bank}_bank"),
        Format::StoreBank => format!("r{bank}_bank,@-r{n}"),
        Format::AtNR0 => format!("@r{n},r0"),
        Format::AtIncNR0 => format!("@r{n}+,r0"),
        Format::R0AtN => format!("r0,@r{n}"),
        Format::Mac => format!("@r{m}+,@r{n}+"),
    };
    if operands.is_empty() {
        spec.mnemonic.to_string()
    } else {
        format!("{} {operands}", spec.mnemonic)
    }
}

#[cfg(test)]
mod tests {
    use super::disassemble;

    #[test]
    fn representative_encodings() {
        let pc = 0x0030_0000;
        let cases: &[(u16, &str)] = &[
            (0x0009, "nop"),
            (0x000B, "rts"),
            (0x002B, "rte"),
            (0x6123, "mov r2,r1"),
            (0xE1FF, "mov #-1,r1"),
            (0x7F04, "add #4,r15"),
            (0x312C, "add r2,r1"),
            (0x312E, "addc r2,r1"),
            (0x3124, "div1 r2,r1"),
            (0x2127, "div0s r2,r1"),
            (0x0019, "div0u"),
            (0x2F26, "mov.l r2,@-r15"),
            (0x61F6, "mov.l @r15+,r1"),
            (0x1234, "mov.l r3,@(16,r2)"),
            (0x5123, "mov.l @(12,r2),r1"),
            (0x8012, "mov.b r0,@(2,r1)"),
            (0x8512, "mov.w @(4,r1),r0"),
            (0x0124, "mov.b r2,@(r0,r1)"),
            (0x012E, "mov.l @(r0,r2),r1"),
            (0xC102, "mov.w r0,@(4,gbr)"),
            (0xC603, "mov.l @(12,gbr),r0"),
            (0xD101, "mov.l @(4,pc),r1 ! 0x00300008"),
            (0x9101, "mov.w @(2,pc),r1 ! 0x00300006"),
            (0xC701, "mova @(4,pc),r0 ! 0x00300008"),
            (0x8901, "bt 0x00300006"),
            (0x8BFE, "bf 0x00300000"),
            (0x8D00, "bt/s 0x00300004"),
            (0x8F02, "bf/s 0x00300008"),
            (0xAFFE, "bra 0x00300000"),
            (0xB7FF, "bsr 0x00301002"),
            (0x0123, "braf r1"),
            (0x0103, "bsrf r1"),
            (0x412B, "jmp @r1"),
            (0x410B, "jsr @r1"),
            (0xC313, "trapa #0x13"),
            (0xC9FF, "and #0xFF,r0"),
            (0xCD0F, "and.b #0x0F,@(r0,gbr)"),
            (0x8801, "cmp/eq #1,r0"),
            (0x412C, "shad r2,r1"),
            (0x412D, "shld r2,r1"),
            (0x410F, "mac.w @r0+,@r1+"),
            (0x012F, "mac.l @r2+,@r1+"),
            (0x411B, "tas.b @r1"),
            (0x4F22, "sts.l pr,@-r15"),
            (0x4F26, "lds.l @r15+,pr"),
            (0x401E, "ldc r0,gbr"),
            (0x400E, "ldc r0,sr"),
            (0x0102, "stc sr,r1"),
            (0x01A2, "stc r2_bank,r1"),
            (0x41BE, "ldc r1,r3_bank"),
            (0x4FD3, "stc.l r5_bank,@-r15"),
            (0x0163, "movli.l @r1,r0"),
            (0x0173, "movco.l r0,@r1"),
            (0x41A9, "movua.l @r1,r0"),
            (0x41E9, "movua.l @r1+,r0"),
            (0x00AB, "synco"),
            (0x01E3, "icbi @r1"),
            (0x01D3, "prefi @r1"),
            (0x0183, "pref @r1"),
            (0x01C3, "movca.l r0,@r1"),
            (0x406A, "lds r0,fpscr"),
            (0x005A, "sts fpul,r0"),
            (0x0038, "ldtlb"),
            (0x001B, "sleep"),
            (0x6128, "swap.b r2,r1"),
            (0x212D, "xtrct r2,r1"),
            (0x212C, "cmp/str r2,r1"),
            (0x4110, "dt r1"),
            (0x4118, "shll8 r1"),
            (0x0129, "movt r1"),
            (0xF000, ".word 0xF000"),
            (0xFFFD, ".word 0xFFFD"),
            (0x0000, ".word 0x0000"),
        ];
        for &(opcode, text) in cases {
            assert_eq!(disassemble(opcode, pc), text, "opcode {opcode:04X}");
        }
    }

    #[test]
    fn every_opcode_disassembles() {
        for opcode in 0..=0xFFFFu16 {
            assert!(!disassemble(opcode, 0x8000_0000).is_empty());
        }
    }
}
