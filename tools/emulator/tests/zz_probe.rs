mod sh;
use prizm_emu::cpu::{Cpu, RunExit};
use sh::enc;
use sh::{build_elf, FlatBus, Rng};

const BASE: u32 = 0x0040_0000;
#[test]
fn probe() {
    let mut rng = Rng::new(1);
    let mut cases = Vec::new();
    let edges = [0u32, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x7FFF, 0x8000, 0x7FFD, 0x7FFC, 0x1234];
    for op in 0..3u16 {
        for _ in 0..60 {
            let a = if rng.chance(50) { *rng.pick(&edges) } else { rng.u32() };
            let b = if rng.chance(50) { *rng.pick(&edges) } else { rng.u32() };
            let s = op == 2 && rng.chance(70);
            let (mach, macl) = if op == 2 { (0, if rng.chance(50) { 0 } else { 0x7FFF_0000 }) } else { (0, 0) };
            cases.push((op, a, b, s, mach, macl));
        }
    }
    let data = BASE + 0x100;
    let code = data + cases.len() as u32 * 48;
    let mut words: Vec<u16> = Vec::new();
    let mut lits = Vec::new();
    for (i, &(op, _, _, s, _, _)) in cases.iter().enumerate() {
        let d = data + i as u32 * 48;
        lits.push((words.len(), d));
        words.push(enc::movl_pc(0, 8));
        words.extend([enc::movl_load_inc(8, 1), enc::movl_load_inc(8, 2), enc::n(0x4006, 8), enc::n(0x4016, 8)]);
        words.extend([if s { enc::SETS } else { enc::CLRS }, enc::CLRT]);
        words.extend([enc::mov(8, 9), enc::add_imm(16, 9), enc::mov(8, 10), enc::add_imm(20, 10)]);
        words.push(match op { 0 => enc::nm(0x300F, 1, 2), 1 => enc::nm(0x300B, 1, 2), _ => enc::nm(0x400F, 10, 9) });
        words.extend([enc::movt(3), enc::n(0x000A, 4), enc::n(0x001A, 5)]);
        words.extend([enc::movl_store_disp(1, 0, 8), enc::movl_store_disp(3, 1, 8), enc::movl_store_disp(4, 2, 8), enc::movl_store_disp(5, 3, 8)]);
        // jump over literal
        words.push(enc::bra(2)); words.push(enc::NOP);
        if (code + 2 * words.len() as u32) % 4 != 0 { words.push(enc::NOP); }
        let (at, v) = lits.pop().unwrap();
        let lit = code + 2 * words.len() as u32;
        words.push((v >> 16) as u16); words.push(v as u16);
        let ins = code + 2 * at as u32;
        words[at] |= ((lit - ((ins & !3) + 4)) / 4) as u16;
        // fix bra: target after literal
        let n = words.len();
        let bra_at = if words[n - 3] == enc::NOP && words[n-4] == enc::NOP { n - 5 } else { n - 4 };
        let disp = (n as i32 - bra_at as i32 - 2) as i32;
        words[bra_at] = enc::bra(disp);
    }
    // write(1, data, len); exit
    let total = cases.len() as u32 * 48;
    words.extend([enc::mov_imm(4, 3), enc::mov_imm(1, 4)]);
    let at = words.len(); words.push(enc::movl_pc(0, 5));
    words.push(enc::movl_pc(0, 6));
    words.extend([enc::trapa(0x13), enc::mov_imm(1, 3), enc::mov_imm(0, 4), enc::trapa(0x11)]);
    if words.len() % 2 == 1 { words.push(enc::NOP); }
    let l1 = code + 2 * words.len() as u32; words.push((data >> 16) as u16); words.push(data as u16);
    let l2 = code + 2 * words.len() as u32; words.push((total >> 16) as u16); words.push(total as u16);
    let i1 = code + 2 * at as u32; words[at] |= ((l1 - ((i1 & !3) + 4)) / 4) as u16;
    let i2 = i1 + 2; words[at + 1] |= ((l2 - ((i2 & !3) + 4)) / 4) as u16;
    let mut image = vec![0u8; (code - BASE) as usize];
    for (i, &(_, a, b, _, mach, macl)) in cases.iter().enumerate() {
        let o = 0x100 + i * 48;
        let dup = |v: u32| (v & 0xFFFF) | (v << 16);
        for (k, w) in [a, b, mach, macl, dup(a), dup(b)].iter().enumerate() {
            image[o + 4 * k..o + 4 * k + 4].copy_from_slice(&w.to_be_bytes());
        }
    }
    for w in &words { image.extend_from_slice(&w.to_be_bytes()); }
    let file = build_elf(BASE, code, &image, 0x1000);
    let path = "/tmp/probe/p.elf";
    std::fs::write(path, &file).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = std::process::Command::new("qemu-sh4eb").args(["-cpu", "sh7785", path]).output().unwrap();
    // ours
    let mut bus = FlatBus::new(BASE, file.len() + 0x1000);
    bus.load(BASE, &file);
    let mut cpu = Cpu::new(code, 0);
    cpu.set_sr(0);
    let ours = loop {
        match cpu.run(&mut bus, 1_000_000, &[]) {
            RunExit::Trapa { imm: 0x13, .. } => { break bus.slice(cpu.r[5], cpu.r[6] as usize).unwrap().to_vec(); }
            other => panic!("{other}"),
        }
    };
    let w = |b: &[u8], i: usize| u32::from_be_bytes([b[i], b[i+1], b[i+2], b[i+3]]);
    println!("qemu status {:?} len {}", out.status, out.stdout.len());
    for (i, &(op, a, b, s, mach, macl)) in cases.iter().enumerate() {
        let o = i * 48;
        let q = [w(&out.stdout, o + 16), w(&out.stdout, o + 20), w(&out.stdout, o + 24), w(&out.stdout, o + 28)];
        let u = [w(&ours, o + 16), w(&ours, o + 20), w(&ours, o + 24), w(&ours, o + 28)];
        // for mac the r1 slot holds a, unchanged
        let name = ["addv", "subv", "mac.w"][op as usize];
        let flag = if q != u { "DIFF" } else { "" };
        println!("{name} a={a:08X} b={b:08X} S={} mach={mach:08X} macl={macl:08X} | qemu r/T/mach/macl={:08X?} ours={:08X?} {flag}", s as u8, q, u);
    }
}
