//! A GDB remote-serial-protocol stub, for Debian's `gdb-multiarch`:
//!
//! ```text
//! $ prizm-emu run addin.elf --gdb 1234          # waits for GDB
//! $ gdb-multiarch addin.elf
//! (gdb) set architecture sh4
//! (gdb) set endian big
//! (gdb) target remote :1234
//! (gdb) break main
//! (gdb) continue
//! ```
//!
//! Supported packets: `qSupported`, `QStartNoAckMode`, `?`, `g`/`G`,
//! `p`/`P`, `m`/`M`/`X`, `c`, `s`, `Z0`/`z0` (and `Z1`/`z1`, treated
//! alike), `k`, `D`, Ctrl-C, plus the thread and offset queries GDB sends
//! at connection (one thread). Registers follow GDB's sh4 numbering:
//! r0–r15 (0–15), pc 16, pr 17, gbr 18, vbr 19, mach 20, macl 21, sr 22,
//! fpul 23, fpscr 24, fr0–fr15 25–40 (read as zero: the fx-CG has no FPU),
//! ssr 41, spc 42, r0b0–r7b0 43–50, r0b1–r7b1 51–58.
//!
//! The stub listens on 127.0.0.1 only. Breakpoints are not checked inside
//! timer handlers the emulator calls.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

use crate::cpu::{sr, Cpu};
use crate::machine::{Machine, Pause};
use crate::outcome::Outcome;

/// Number of registers in GDB's sh4 layout.
pub const REGISTER_COUNT: usize = 59;

// ---------------------------------------------------------------------------
// Packet codec (pure, unit-tested).

/// The modulo-256 sum GDB packets carry.
pub fn checksum(data: &[u8]) -> u8 {
    data.iter().fold(0u8, |acc, b| acc.wrapping_add(*b))
}

/// Frames a reply: `$payload#xx`, escaping `#`, `$`, `}` and `*`.
pub fn encode_packet(payload: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(payload.len() + 4);
    for b in payload {
        if matches!(b, b'#' | b'$' | b'}' | b'*') {
            body.push(b'}');
            body.push(b ^ 0x20);
        } else {
            body.push(*b);
        }
    }
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(b'$');
    out.extend_from_slice(&body);
    out.push(b'#');
    out.extend_from_slice(format!("{:02x}", checksum(&body)).as_bytes());
    out
}

/// Something that arrived from GDB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A packet with a good checksum (payload unescaped).
    Packet(Vec<u8>),
    /// A packet whose checksum did not match.
    BadChecksum,
    /// Ctrl-C (0x03).
    Interrupt,
    /// `+`.
    Ack,
    /// `-`.
    Nack,
}

/// Splits the byte stream from GDB into [`Incoming`] items.
#[derive(Debug, Default)]
pub struct PacketReader {
    buffer: Vec<u8>,
}

/// Largest packet accepted.
const MAX_PACKET: usize = 0x4000;

impl PacketReader {
    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() > 4 * MAX_PACKET {
            // Garbage without framing: keep only the tail.
            let cut = self.buffer.len() - MAX_PACKET;
            self.buffer.drain(..cut);
        }
    }

    /// The next complete item, if any.
    pub fn next_item(&mut self) -> Option<Incoming> {
        loop {
            let first = *self.buffer.first()?;
            match first {
                0x03 => {
                    self.buffer.remove(0);
                    return Some(Incoming::Interrupt);
                }
                b'+' => {
                    self.buffer.remove(0);
                    return Some(Incoming::Ack);
                }
                b'-' => {
                    self.buffer.remove(0);
                    return Some(Incoming::Nack);
                }
                b'$' => {
                    let hash = self.buffer.iter().position(|b| *b == b'#')?;
                    if self.buffer.len() < hash + 3 {
                        return None;
                    }
                    let body: Vec<u8> = self.buffer[1..hash].to_vec();
                    let sum = std::str::from_utf8(&self.buffer[hash + 1..hash + 3])
                        .ok()
                        .and_then(|s| u8::from_str_radix(s, 16).ok());
                    self.buffer.drain(..hash + 3);
                    if sum != Some(checksum(&body)) {
                        return Some(Incoming::BadChecksum);
                    }
                    return Some(Incoming::Packet(unescape(&body)));
                }
                _ => {
                    // Noise between packets.
                    self.buffer.remove(0);
                }
            }
        }
    }
}

fn unescape(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut iter = body.iter();
    while let Some(b) = iter.next() {
        if *b == b'}' {
            if let Some(next) = iter.next() {
                out.push(next ^ 0x20);
            }
        } else {
            out.push(*b);
        }
    }
    out
}

/// Lower-case hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hex (`None` on odd length or bad digits).
pub fn from_hex(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
        })
        .collect()
}

/// A hex number (at most 8 digits).
pub fn parse_hex_u32(text: &[u8]) -> Option<u32> {
    if text.is_empty() || text.len() > 8 {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(text).ok()?, 16).ok()
}

/// Register `n` of GDB's sh4 layout.
pub fn read_register(cpu: &Cpu, n: usize) -> Option<u32> {
    let bank1_active = cpu.sr & (sr::MD | sr::RB) == (sr::MD | sr::RB);
    Some(match n {
        0..=15 => cpu.r[n],
        16 => cpu.pc,
        17 => cpu.pr,
        18 => cpu.gbr,
        19 => cpu.vbr,
        20 => cpu.mach,
        21 => cpu.macl,
        22 => cpu.sr,
        23 => cpu.fpul,
        24 => cpu.fpscr,
        25..=40 => 0,
        41 => cpu.ssr,
        42 => cpu.spc,
        43..=50 => {
            let i = n - 43;
            if bank1_active {
                cpu.r_bank[i]
            } else {
                cpu.r[i]
            }
        }
        51..=58 => {
            let i = n - 51;
            if bank1_active {
                cpu.r[i]
            } else {
                cpu.r_bank[i]
            }
        }
        _ => return None,
    })
}

/// Sets register `n`; `false` if there is no such register.
pub fn write_register(cpu: &mut Cpu, n: usize, value: u32) -> bool {
    let bank1_active = cpu.sr & (sr::MD | sr::RB) == (sr::MD | sr::RB);
    match n {
        0..=15 => cpu.r[n] = value,
        16 => cpu.pc = value,
        17 => cpu.pr = value,
        18 => cpu.gbr = value,
        19 => cpu.vbr = value,
        20 => cpu.mach = value,
        21 => cpu.macl = value,
        22 => cpu.set_sr(value),
        23 => cpu.fpul = value,
        24 => cpu.fpscr = value,
        25..=40 => {}
        41 => cpu.ssr = value,
        42 => cpu.spc = value,
        43..=50 => {
            let i = n - 43;
            if bank1_active {
                cpu.r_bank[i] = value
            } else {
                cpu.r[i] = value
            }
        }
        51..=58 => {
            let i = n - 51;
            if bank1_active {
                cpu.r[i] = value
            } else {
                cpu.r_bank[i] = value
            }
        }
        _ => return false,
    }
    true
}

// ---------------------------------------------------------------------------
// The session.

/// What GDB asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    /// Nothing that changes execution.
    None,
    Continue,
    Step,
    Detach,
    Kill,
}

/// A connected GDB.
pub struct GdbStub {
    stream: TcpStream,
    reader: PacketReader,
    halted: bool,
    no_ack: bool,
    start_no_ack: bool,
    closed: bool,
    end_reported: bool,
    last_stop: String,
}

impl std::fmt::Debug for GdbStub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GdbStub")
            .field("halted", &self.halted)
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl GdbStub {
    /// Waits on 127.0.0.1:`port` for GDB to connect. The program starts halted.
    pub fn listen(port: u16) -> io::Result<GdbStub> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        eprintln!("prizm-emu: waiting for GDB on 127.0.0.1:{port} (gdb-multiarch: set architecture sh4; target remote :{port})");
        let (stream, peer) = listener.accept()?;
        eprintln!("prizm-emu: GDB connected from {peer}");
        Ok(GdbStub::from_stream(stream))
    }

    /// A session over an accepted connection.
    pub fn from_stream(stream: TcpStream) -> GdbStub {
        let _ = stream.set_nodelay(true);
        GdbStub {
            stream,
            reader: PacketReader::default(),
            halted: true,
            no_ack: false,
            start_no_ack: false,
            closed: false,
            end_reported: false,
            last_stop: "S05".to_string(),
        }
    }

    /// Whether GDB holds the program stopped.
    pub fn is_halted(&self) -> bool {
        self.halted && !self.closed
    }

    fn send(&mut self, payload: &str) {
        if self.closed {
            return;
        }
        if self
            .stream
            .write_all(&encode_packet(payload.as_bytes()))
            .is_err()
        {
            self.closed = true;
        }
    }

    /// Reads what is available; blocks for at least one byte if `block`.
    fn fill(&mut self, block: bool) {
        if self.closed {
            return;
        }
        let _ = self.stream.set_nonblocking(!block);
        let mut buf = [0u8; 4096];
        match self.stream.read(&mut buf) {
            Ok(0) => self.closed = true,
            Ok(n) => self.reader.push(&buf[..n]),
            Err(e)
                if e.kind() == io::ErrorKind::WouldBlock
                    || e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => self.closed = true,
        }
    }

    /// Talks to GDB before the machine runs. While GDB holds the program
    /// stopped this blocks (if `block`) until it continues. Returns `false`
    /// once the session is over (detached or disconnected): the caller
    /// drops the stub.
    pub fn serve(&mut self, machine: &mut Machine, block: bool) -> bool {
        loop {
            if self.closed {
                return false;
            }
            while let Some(item) = self.reader.next_item() {
                match item {
                    Incoming::Interrupt => {
                        if !self.halted {
                            self.halted = true;
                            self.last_stop = "S02".into();
                            let stop = self.last_stop.clone();
                            self.send(&stop);
                        }
                    }
                    Incoming::Ack | Incoming::Nack => {}
                    Incoming::BadChecksum => {
                        if !self.no_ack {
                            let _ = self.stream.write_all(b"-");
                        }
                    }
                    Incoming::Packet(packet) => {
                        if !self.no_ack {
                            let _ = self.stream.write_all(b"+");
                        }
                        match self.handle(machine, &packet) {
                            Command::None => {}
                            Command::Continue => {
                                if self.end_reported {
                                    self.report_end(machine, true);
                                    return false;
                                }
                                machine.resume_from_breakpoint();
                                self.halted = false;
                            }
                            Command::Step => {
                                if self.end_reported {
                                    self.report_end(machine, true);
                                    return false;
                                }
                                machine.resume_from_breakpoint();
                                let pause = machine.step_instruction();
                                if pause == Pause::Finished {
                                    self.after_run(machine, pause);
                                } else {
                                    self.last_stop = "S05".into();
                                    self.send("S05");
                                }
                            }
                            Command::Detach => {
                                self.closed = true;
                                return false;
                            }
                            Command::Kill => {
                                machine.finish(Outcome::Killed);
                                self.closed = true;
                                return false;
                            }
                        }
                    }
                }
            }
            if !self.halted {
                // Running: only look for Ctrl-C.
                self.fill(false);
                if self.reader.buffer.first() == Some(&0x03) {
                    continue;
                }
                return true;
            }
            if !block {
                self.fill(false);
                if self.reader.buffer.is_empty() {
                    return true;
                }
                continue;
            }
            self.fill(true);
        }
    }

    /// Reports to GDB why the machine stopped.
    pub fn after_run(&mut self, machine: &mut Machine, pause: Pause) {
        match pause {
            Pause::Breakpoint(_) => {
                self.halted = true;
                self.last_stop = "S05".into();
                self.send("S05");
            }
            Pause::Finished => self.report_end(machine, false),
            _ => {}
        }
    }

    /// Tells GDB the run ended. A crash is first reported as a signal so
    /// the state can be inspected; `final_word` sends the exit itself.
    fn report_end(&mut self, machine: &Machine, final_word: bool) {
        let outcome = machine.outcome().cloned();
        match outcome {
            Some(Outcome::Fault(report)) if !final_word => {
                eprintln!("prizm-emu: {}", report.headline);
                let signal = if report.headline.contains("illegal") {
                    "S04"
                } else {
                    "S0b"
                };
                self.halted = true;
                self.end_reported = true;
                self.last_stop = signal.into();
                self.send(signal);
            }
            Some(Outcome::Fault(_)) | Some(Outcome::Killed) | Some(Outcome::PowerCut { .. }) => {
                self.send("X09");
                self.closed = true;
            }
            Some(Outcome::Exited { code }) => {
                self.send(&format!("W{:02x}", code as u8));
                self.closed = true;
            }
            _ => {
                self.send("W00");
                self.closed = true;
            }
        }
    }

    /// The front end is done: tell GDB and close.
    pub fn finish(&mut self, machine: &mut Machine) {
        if !self.closed {
            self.report_end(machine, true);
        }
        self.closed = true;
    }

    fn handle(&mut self, machine: &mut Machine, packet: &[u8]) -> Command {
        let (kind, rest) = match packet.split_first() {
            Some((k, rest)) => (*k, rest),
            None => return Command::None,
        };
        let reply: String = match kind {
            b'?' => self.last_stop.clone(),
            b'g' => (0..REGISTER_COUNT)
                .map(|n| to_hex(&read_register(&machine.cpu, n).unwrap_or(0).to_be_bytes()))
                .collect(),
            b'G' => match from_hex(rest) {
                Some(bytes) => {
                    for (n, chunk) in bytes.chunks_exact(4).enumerate().take(REGISTER_COUNT) {
                        write_register(
                            &mut machine.cpu,
                            n,
                            u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]),
                        );
                    }
                    "OK".into()
                }
                None => "E01".into(),
            },
            b'p' => match parse_hex_u32(rest).and_then(|n| read_register(&machine.cpu, n as usize))
            {
                Some(v) => to_hex(&v.to_be_bytes()),
                None => "E01".into(),
            },
            b'P' => {
                let mut parts = rest.splitn(2, |b| *b == b'=');
                let n = parts.next().and_then(parse_hex_u32);
                let v = parts.next().and_then(from_hex).filter(|v| v.len() == 4);
                match (n, v) {
                    (Some(n), Some(v))
                        if write_register(
                            &mut machine.cpu,
                            n as usize,
                            u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
                        ) =>
                    {
                        "OK".into()
                    }
                    _ => "E01".into(),
                }
            }
            b'm' => match parse_addr_len(rest) {
                Some((addr, len)) => {
                    let bytes: Vec<u8> = (0..len.min(0x1000))
                        .map_while(|i| machine.mem.peek(addr.wrapping_add(i)))
                        .collect();
                    if bytes.is_empty() && len > 0 {
                        "E14".into()
                    } else {
                        to_hex(&bytes)
                    }
                }
                None => "E01".into(),
            },
            b'M' | b'X' => {
                let colon = rest.iter().position(|b| *b == b':');
                match colon.and_then(|c| parse_addr_len(&rest[..c]).map(|al| (al, &rest[c + 1..])))
                {
                    Some(((addr, len), data)) => {
                        let bytes = if kind == b'M' {
                            from_hex(data)
                        } else {
                            Some(data.to_vec())
                        };
                        match bytes.filter(|b| b.len() == len as usize) {
                            Some(bytes) => {
                                let ok = bytes.iter().enumerate().all(|(i, b)| {
                                    machine.mem.poke(addr.wrapping_add(i as u32), *b)
                                });
                                if ok {
                                    "OK".into()
                                } else {
                                    "E14".into()
                                }
                            }
                            None => "E01".into(),
                        }
                    }
                    None => "E01".into(),
                }
            }
            b'Z' | b'z' => {
                let fields: Vec<&[u8]> = rest.split(|b| *b == b',').collect();
                match (fields.first(), fields.get(1).and_then(|a| parse_hex_u32(a))) {
                    (Some(t), Some(addr)) if *t == b"0" || *t == b"1" => {
                        let mut bps = machine.breakpoints().to_vec();
                        if kind == b'Z' {
                            if !bps.contains(&addr) {
                                bps.push(addr);
                            }
                        } else {
                            bps.retain(|b| *b != addr);
                        }
                        machine.set_breakpoints(&bps);
                        "OK".into()
                    }
                    _ => String::new(),
                }
            }
            b'c' | b's' => {
                if let Some(addr) = parse_hex_u32(rest) {
                    machine.cpu.pc = addr;
                }
                return if kind == b'c' {
                    Command::Continue
                } else {
                    Command::Step
                };
            }
            b'k' => return Command::Kill,
            b'D' => {
                self.send("OK");
                return Command::Detach;
            }
            b'H' | b'T' => "OK".into(),
            b'q' | b'Q' => self.query(packet),
            _ => String::new(),
        };
        self.send(&reply);
        if self.start_no_ack {
            self.start_no_ack = false;
            self.no_ack = true;
        }
        Command::None
    }

    fn query(&mut self, packet: &[u8]) -> String {
        let text = String::from_utf8_lossy(packet);
        if text.starts_with("qSupported") {
            "PacketSize=4000;QStartNoAckMode+;swbreak+".into()
        } else if text == "QStartNoAckMode" {
            // GDB acknowledges this reply, then neither side sends acks.
            self.start_no_ack = true;
            "OK".into()
        } else if text == "qAttached" {
            "1".into()
        } else if text == "qC" {
            "QC1".into()
        } else if text == "qfThreadInfo" {
            "m1".into()
        } else if text == "qsThreadInfo" {
            "l".into()
        } else if text == "qOffsets" {
            "Text=0;Data=0;Bss=0".into()
        } else if text.starts_with("qSymbol") {
            "OK".into()
        } else {
            String::new()
        }
    }
}

fn parse_addr_len(text: &[u8]) -> Option<(u32, u32)> {
    let comma = text.iter().position(|b| *b == b',')?;
    Some((
        parse_hex_u32(&text[..comma])?,
        parse_hex_u32(&text[comma + 1..])?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_and_checksums() {
        assert_eq!(encode_packet(b"OK"), b"$OK#9a");
        assert_eq!(encode_packet(b""), b"$#00");
        // '#' is escaped as '}' followed by '#' ^ 0x20 = 0x03.
        assert_eq!(encode_packet(b"a#b"), b"$a}\x03b#43".to_vec());
        let mut reader = PacketReader::default();
        reader.push(b"+$g#67");
        assert_eq!(reader.next_item(), Some(Incoming::Ack));
        assert_eq!(reader.next_item(), Some(Incoming::Packet(b"g".to_vec())));
        assert_eq!(reader.next_item(), None);
    }

    #[test]
    fn partial_packets_and_noise() {
        let mut reader = PacketReader::default();
        reader.push(b"xx$m3000");
        assert_eq!(reader.next_item(), None);
        reader.push(b"00,4#");
        assert_eq!(reader.next_item(), None);
        let sum = format!("{:02x}", checksum(b"m300000,4"));
        reader.push(sum.as_bytes());
        assert_eq!(
            reader.next_item(),
            Some(Incoming::Packet(b"m300000,4".to_vec()))
        );
        reader.push(b"$g#00");
        assert_eq!(reader.next_item(), Some(Incoming::BadChecksum));
        reader.push(b"\x03-");
        assert_eq!(reader.next_item(), Some(Incoming::Interrupt));
        assert_eq!(reader.next_item(), Some(Incoming::Nack));
        reader.push(b"$g#zz");
        assert_eq!(reader.next_item(), Some(Incoming::BadChecksum));
    }

    #[test]
    fn binary_escapes_round_trip() {
        let payload = b"X300000,3:}#*".to_vec();
        let framed = encode_packet(&payload);
        let mut reader = PacketReader::default();
        reader.push(&framed);
        assert_eq!(reader.next_item(), Some(Incoming::Packet(payload)));
    }

    #[test]
    fn never_panics_on_garbage() {
        let mut reader = PacketReader::default();
        let mut seed = 0x1234_5678u32;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let byte = [b'$', b'#', b'}', 0x03, b'+', b'a', b'0'][(seed % 7) as usize];
            reader.push(&[byte]);
            while reader.next_item().is_some() {}
        }
    }

    #[test]
    fn hex_helpers() {
        assert_eq!(to_hex(&[0xDE, 0xAD]), "dead");
        assert_eq!(from_hex(b"dEaD"), Some(vec![0xDE, 0xAD]));
        assert_eq!(from_hex(b"abc"), None);
        assert_eq!(from_hex(b"zz"), None);
        assert_eq!(parse_hex_u32(b"300000"), Some(0x30_0000));
        assert_eq!(parse_hex_u32(b"123456789"), None);
        assert_eq!(parse_hex_u32(b""), None);
    }

    #[test]
    fn register_layout() {
        use crate::memory::{ROM_BASE, STACK_TOP};
        let mut cpu = Cpu::new(ROM_BASE, STACK_TOP);
        cpu.r[3] = 33;
        cpu.r_bank[3] = 44;
        assert_eq!(read_register(&cpu, 15), Some(STACK_TOP));
        assert_eq!(read_register(&cpu, 16), Some(ROM_BASE));
        assert_eq!(read_register(&cpu, 30), Some(0));
        // SR.RB = 0: bank 0 is the current one.
        assert_eq!(read_register(&cpu, 43 + 3), Some(33));
        assert_eq!(read_register(&cpu, 51 + 3), Some(44));
        assert_eq!(read_register(&cpu, 59), None);
        assert!(write_register(&mut cpu, 17, 0x1234));
        assert_eq!(cpu.pr, 0x1234);
        assert!(write_register(&mut cpu, 51 + 3, 55));
        assert_eq!(cpu.r_bank[3], 55);
        assert!(!write_register(&mut cpu, 99, 0));
    }
}
