//! The key-script language of `prizm-emu run --keys`.
//!
//! One command per line (or separated by `;`), `#` starts a comment:
//!
//! ```text
//! # unlock with the PIN
//! until-text "Enter PIN"          # wait for text (default timeout 10s)
//! type "1234"                     # digits, letters (via ALPHA), space, . + - * / ( ) , ^
//! EXE                             # key names, several per line: DOWN DOWN EXE
//! DOWN*3                          # a key pressed three times
//! wait 500ms                      # let time pass: 250ms, 2s, 1.5s, 1m
//! until-text "Unlocked" timeout 5s
//! expect-text "Unlocked"          # fail unless on screen now
//! until-waiting                   # until the add-in waits for a key
//! until-exit timeout 30s          # until the add-in ends
//! screenshot out/unlocked.png     # the LCD as PNG
//! hold 800ms                      # later presses hold their key this long
//! ```
//!
//! Key names (case-insensitive): F1–F6, SHIFT, OPTN, VARS, MENU, LEFT, UP,
//! ALPHA, SQUARE, POW, EXIT, DOWN, RIGHT, XTT, LOG, LN, SIN, COS, TAN,
//! FRAC, FD, LPAR, RPAR, COMMA, STORE, 0–9, DEL, MUL, DIV, PLUS, MINUS,
//! DOT, EXP, NEG, EXE, AC (also ACON, AC/ON, ENTER, STO, X2, CARET, `(`,
//! `)`, `,`, `+`, `-`, `*`, `/`, `.`, `(-)`).
//!
//! After each key press the emulator runs until the add-in waits for a key
//! again (or, for add-ins that poll the keyboard, until 0.2 s after the key
//! is released).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::emulator::{Condition, Emulator};
use crate::keys::{Key, KeyNames};

/// Default timeout of the `until-…` commands.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest duration a script may name.
const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);
/// Most repetitions of one key.
const MAX_REPEAT: u32 = 1000;

/// One command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Press a key `count` times.
    Key(Key, u32),
    /// Let time pass.
    Wait(Duration),
    /// Run until text is on screen.
    UntilText(String, Duration),
    /// Run until the add-in waits for a key.
    UntilWaiting(Duration),
    /// Run until the add-in ends.
    UntilExit(Duration),
    /// Check that text is on screen now.
    ExpectText(String),
    /// Type text.
    Type(String),
    /// Save the LCD as PNG.
    Screenshot(PathBuf),
    /// How long later presses hold their key down.
    Hold(Duration),
    /// Start the profile (`--profile`) afresh here.
    ProfileStart,
}

/// A command and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based line.
    pub line: usize,
    /// The command.
    pub command: Command,
}

/// A parsed script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// The commands in order.
    pub steps: Vec<Step>,
}

/// A script that is wrong, or a step that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key script, line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ScriptError {}

const COMMANDS: [&str; 10] = [
    "wait",
    "hold",
    "until-text",
    "until-waiting",
    "until-exit",
    "expect-text",
    "type",
    "screenshot",
    "timeout",
    "profile-start",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Word(s) | Token::Quoted(s) => s,
        }
    }
}

/// Splits a script into statements: (line, tokens).
fn tokenize(source: &str) -> Result<Vec<(usize, Vec<Token>)>, ScriptError> {
    let mut statements = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let line_no = index + 1;
        let mut tokens = Vec::new();
        let mut chars = line.chars().peekable();
        loop {
            match chars.peek().copied() {
                None => break,
                Some(c) if c.is_whitespace() => {
                    chars.next();
                }
                Some('#') => break,
                Some(';') => {
                    chars.next();
                    statements.push((line_no, std::mem::take(&mut tokens)));
                }
                Some('"') => {
                    chars.next();
                    let mut text = String::new();
                    loop {
                        match chars.next() {
                            None => {
                                return Err(ScriptError {
                                    line: line_no,
                                    message: "a quoted text is not closed: add the final \"".into(),
                                })
                            }
                            Some('"') => break,
                            Some('\\') => match chars.next() {
                                Some('n') => text.push('\n'),
                                Some(c @ ('"' | '\\')) => text.push(c),
                                Some(c) => {
                                    return Err(ScriptError {
                                        line: line_no,
                                        message: format!(
                                            "unknown escape \\{c} (use \\\", \\\\ or \\n)"
                                        ),
                                    })
                                }
                                None => {
                                    return Err(ScriptError {
                                        line: line_no,
                                        message: "a quoted text ends with a lone \\".into(),
                                    })
                                }
                            },
                            Some(c) => text.push(c),
                        }
                    }
                    tokens.push(Token::Quoted(text));
                }
                Some(_) => {
                    let mut word = String::new();
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() || c == ';' || c == '"' {
                            break;
                        }
                        word.push(c);
                        chars.next();
                    }
                    tokens.push(Token::Word(word));
                }
            }
        }
        statements.push((line_no, tokens));
    }
    Ok(statements
        .into_iter()
        .filter(|(_, t)| !t.is_empty())
        .collect())
}

/// A duration [`parse_duration`] cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// No number before the unit.
    #[error("`{0}` is not a duration (write 500ms, 2s or 1m)")]
    NotANumber(String),
    /// A number without a unit.
    #[error("`{0}` needs a unit: {0}ms, {0}s or {0}m")]
    MissingUnit(String),
    /// A unit other than ms, s and m.
    #[error("unknown time unit `{unit}` in `{text}` (use ms, s or m)")]
    UnknownUnit {
        /// The whole text.
        text: String,
        /// The unit found.
        unit: String,
    },
    /// Negative or longer than a day.
    #[error("`{0}` is out of range (at most 24 hours)")]
    OutOfRange(String),
}

/// Parses `500ms`, `2s`, `1.5s`, `1m`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| DurationError::NotANumber(text.to_owned()))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" | "min" => value * 60.0,
        "" => return Err(DurationError::MissingUnit(text.to_owned())),
        _ => {
            return Err(DurationError::UnknownUnit {
                text: text.to_owned(),
                unit: unit.to_owned(),
            })
        }
    };
    if !seconds.is_finite() || seconds < 0.0 || seconds > MAX_DURATION.as_secs_f64() {
        return Err(DurationError::OutOfRange(text.to_owned()));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let cur = row[j];
            row[j] = (row[j] + 1)
                .min(row[j - 1] + 1)
                .min(prev + usize::from(a[i - 1] != b[j - 1]));
            prev = cur;
        }
    }
    row[b.len()]
}

fn suggestion(word: &str) -> String {
    let upper = word.to_ascii_uppercase();
    let lower = word.to_ascii_lowercase();
    let best = Key::names()
        .map(|n| (edit_distance(&upper, n), n.to_string()))
        .chain(
            COMMANDS
                .iter()
                .map(|c| (edit_distance(&lower, c), c.to_string())),
        )
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, name)) if d <= 2 && word.chars().count() > 1 => format!(" (did you mean {name}?)"),
        _ => String::new(),
    }
}

/// Parses a script.
pub fn parse(source: &str) -> Result<Script, ScriptError> {
    let mut steps = Vec::new();
    for (line, tokens) in tokenize(source)? {
        let err = |message: String| ScriptError { line, message };
        let first = tokens[0].text().to_string();
        let rest = &tokens[1..];
        let quoted_arg = |what: &str| -> Result<String, ScriptError> {
            match rest.first() {
                Some(Token::Quoted(t)) => Ok(t.clone()),
                Some(Token::Word(w)) => Err(err(format!(
                    "{first} needs its text in quotes: {first} \"{w}\""
                ))),
                None => Err(err(format!(
                    "{first} needs {what} in quotes, e.g. {first} \"Hello\""
                ))),
            }
        };
        // `timeout D` after an until-… command.
        let timeout = |from: usize| -> Result<Duration, ScriptError> {
            match rest.get(from..).unwrap_or(&[]) {
                [] => Ok(DEFAULT_TIMEOUT),
                [Token::Word(t), Token::Word(d)] if t == "timeout" => {
                    parse_duration(d).map_err(|e| err(e.to_string()))
                }
                [Token::Word(t)] if t == "timeout" => {
                    Err(err("timeout needs a duration, e.g. timeout 5s".into()))
                }
                other => Err(err(format!(
                    "unexpected `{}` after {first} (only `timeout DURATION` may follow)",
                    other.iter().map(Token::text).collect::<Vec<_>>().join(" ")
                ))),
            }
        };
        let no_more = |from: usize| -> Result<(), ScriptError> {
            match rest.get(from..).unwrap_or(&[]) {
                [] => Ok(()),
                other => Err(err(format!(
                    "unexpected `{}` after {first}",
                    other.iter().map(Token::text).collect::<Vec<_>>().join(" ")
                ))),
            }
        };
        if let Token::Quoted(t) = &tokens[0] {
            return Err(err(format!(
                "a line cannot start with quoted text \"{t}\" (did you mean type \"{t}\"?)"
            )));
        }
        let command = match first.to_ascii_lowercase().as_str() {
            "wait" => {
                let Some(Token::Word(d)) = rest.first() else {
                    return Err(err("wait needs a duration, e.g. wait 500ms".into()));
                };
                no_more(1)?;
                Command::Wait(parse_duration(d).map_err(|e| err(e.to_string()))?)
            }
            "hold" => {
                let Some(Token::Word(d)) = rest.first() else {
                    return Err(err("hold needs a duration, e.g. hold 800ms".into()));
                };
                no_more(1)?;
                let hold = parse_duration(d).map_err(|e| err(e.to_string()))?;
                if hold < Duration::from_millis(1) || hold > Duration::from_secs(60) {
                    return Err(err(format!("hold {d}: a press holds 1ms to 60s")));
                }
                Command::Hold(hold)
            }
            "until-text" => Command::UntilText(quoted_arg("the text to wait for")?, timeout(1)?),
            "until-waiting" => Command::UntilWaiting(timeout(0)?),
            "profile-start" => {
                no_more(0)?;
                Command::ProfileStart
            }
            "until-exit" => Command::UntilExit(timeout(0)?),
            "expect-text" => {
                let t = quoted_arg("the text")?;
                no_more(1)?;
                Command::ExpectText(t)
            }
            "type" => {
                let t = quoted_arg("the text to type")?;
                no_more(1)?;
                if let Some(c) = t.chars().find(|c| Key::for_char(*c).is_none()) {
                    return Err(err(format!(
                        "cannot type {c:?}: only digits, letters, space and . + - * / ( ) , ^"
                    )));
                }
                Command::Type(t)
            }
            "screenshot" => {
                let Some(path) = rest.first() else {
                    return Err(err(
                        "screenshot needs a file name, e.g. screenshot out.png".into()
                    ));
                };
                no_more(1)?;
                Command::Screenshot(PathBuf::from(path.text()))
            }
            _ => {
                for token in &tokens {
                    let Token::Word(word) = token else {
                        return Err(err(format!(
                            "quoted text \"{}\" among key names (use type \"…\")",
                            token.text()
                        )));
                    };
                    let (name, count) = match word.rsplit_once('*') {
                        Some((name, n)) if !name.is_empty() && !n.is_empty() => {
                            let count: u32 = n
                                .parse()
                                .ok()
                                .filter(|c| (1..=MAX_REPEAT).contains(c))
                                .ok_or_else(|| {
                                    err(format!(
                                        "`{word}`: the repeat count must be 1 to {MAX_REPEAT}"
                                    ))
                                })?;
                            (name, count)
                        }
                        _ => (word.as_str(), 1),
                    };
                    let key = Key::from_name(name).ok_or_else(|| {
                        err(format!(
                            "unknown key or command `{name}`{}",
                            suggestion(name)
                        ))
                    })?;
                    steps.push(Step {
                        line,
                        command: Command::Key(key, count),
                    });
                }
                continue;
            }
        };
        steps.push(Step { line, command });
    }
    Ok(Script { steps })
}

/// Runs a script; `log` receives a line per step.
pub fn run(
    emu: &mut Emulator,
    script: &Script,
    log: &mut dyn FnMut(&str),
) -> Result<(), ScriptError> {
    for step in &script.steps {
        let line = step.line;
        let fail = |message: String| ScriptError { line, message };
        let ended = |emu: &Emulator, what: &str| {
            emu.outcome().map(|o| {
                fail(format!(
                    "{what}: the add-in is no longer running ({})",
                    o.short()
                ))
            })
        };
        match &step.command {
            Command::Key(key, count) => {
                log(&format!(
                    "press {}{}",
                    key.name(),
                    if *count > 1 {
                        format!(" ×{count}")
                    } else {
                        String::new()
                    }
                ));
                for _ in 0..*count {
                    if let Some(e) = ended(emu, key.name()) {
                        return Err(e);
                    }
                    emu.press(*key);
                    emu.settle().map_err(|e| fail(e.to_string()))?;
                }
            }
            Command::Type(text) => {
                log(&format!("type {text:?}"));
                for c in text.chars() {
                    if let Some(e) = ended(emu, "type") {
                        return Err(e);
                    }
                    for key in Key::for_char(c).unwrap_or_default() {
                        emu.press(key);
                    }
                    emu.settle().map_err(|e| fail(e.to_string()))?;
                }
            }
            Command::ProfileStart => {
                log("profile from here");
                emu.machine_mut().start_profile();
            }
            Command::Hold(d) => {
                log(&format!("hold {d:?}"));
                emu.set_key_hold(*d);
            }
            Command::Wait(d) => {
                log(&format!("wait {d:?}"));
                if emu.is_running() {
                    match emu.advance_time(*d) {
                        Ok(()) => {}
                        Err(e) if matches!(e.kind, crate::emulator::RunErrorKind::Ended(_)) => {}
                        Err(e) => return Err(fail(e.to_string())),
                    }
                }
            }
            Command::UntilText(text, timeout) => {
                log(&format!("until text {text:?} (timeout {timeout:?})"));
                emu.run_until_timeout(Condition::TextOnScreen(text), *timeout)
                    .map_err(|e| fail(e.to_string()))?;
            }
            Command::UntilWaiting(timeout) => {
                log("until waiting for a key");
                emu.run_until_timeout(Condition::WaitingForKey, *timeout)
                    .map_err(|e| fail(e.to_string()))?;
            }
            Command::UntilExit(timeout) => {
                log("until the add-in ends");
                emu.run_until_timeout(Condition::Exited, *timeout)
                    .map_err(|e| fail(e.to_string()))?;
            }
            Command::ExpectText(text) => {
                if !emu.screen_contains_text(text) {
                    let visible: Vec<String> = emu
                        .text_on_screen()
                        .into_iter()
                        .map(|e| format!("{:?}", e.text))
                        .collect();
                    return Err(fail(format!(
                        "expected {text:?} on screen; visible text: {}",
                        if visible.is_empty() {
                            "(none)".into()
                        } else {
                            visible.join(", ")
                        }
                    )));
                }
            }
            Command::Screenshot(path) => {
                log(&format!("screenshot {}", path.display()));
                emu.screenshot_png(path).map_err(|e| fail(e.to_string()))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(source: &str) -> Vec<Command> {
        parse(source)
            .unwrap()
            .steps
            .into_iter()
            .map(|s| s.command)
            .collect()
    }

    fn error(source: &str) -> String {
        parse(source).unwrap_err().to_string()
    }

    #[test]
    fn parses_every_command() {
        let script = "# unlock\nuntil-text \"Enter PIN\"\ntype \"12 ab\"\nEXE DOWN*3 ac/on\nwait 500ms; wait 1.5s\n\
                      until-text \"Un\\\"locked\" timeout 5s\nexpect-text \"x\"\nuntil-waiting\nuntil-exit timeout 1m\n\
                      screenshot \"out dir/a.png\"\nscreenshot b.png # trailing comment\nprofile-start\n";
        assert_eq!(
            steps(script),
            vec![
                Command::UntilText("Enter PIN".into(), DEFAULT_TIMEOUT),
                Command::Type("12 ab".into()),
                Command::Key(Key::Exe, 1),
                Command::Key(Key::Down, 3),
                Command::Key(Key::AcOn, 1),
                Command::Wait(Duration::from_millis(500)),
                Command::Wait(Duration::from_millis(1500)),
                Command::UntilText("Un\"locked".into(), Duration::from_secs(5)),
                Command::ExpectText("x".into()),
                Command::UntilWaiting(DEFAULT_TIMEOUT),
                Command::UntilExit(Duration::from_secs(60)),
                Command::Screenshot("out dir/a.png".into()),
                Command::Screenshot("b.png".into()),
                Command::ProfileStart,
            ]
        );
        let lines: Vec<usize> = parse(script)
            .unwrap()
            .steps
            .iter()
            .map(|s| s.line)
            .collect();
        assert_eq!(lines[0], 2);
        assert_eq!(parse("").unwrap().steps, vec![]);
        assert_eq!(parse("  # only a comment\n\n").unwrap().steps, vec![]);
    }

    #[test]
    fn clear_errors() {
        assert!(error("EXEE").contains("line 1: unknown key or command `EXEE` (did you mean EXE?)"));
        assert!(error("EXE\nuntil-txt \"a\"")
            .contains("line 2: unknown key or command `until-txt` (did you mean until-text?)"));
        assert!(error("wait 500").contains("needs a unit"));
        assert!(error("wait 5h").contains("unknown time unit"));
        assert!(error("wait").contains("wait needs a duration"));
        assert!(error("wait 99999999s").contains("out of range"));
        assert!(error("until-text Unlocked").contains("in quotes"));
        assert!(error("profile-start now").contains("unexpected `now`"));
        assert!(error("until-text \"x\" timeout").contains("needs a duration"));
        assert!(error("until-text \"x\" after 5s").contains("only `timeout DURATION`"));
        assert!(error("type \"1234").contains("not closed"));
        assert!(error("type \"a\\qb\"").contains("unknown escape"));
        assert!(error("type \"{}\"").contains("cannot type"));
        assert!(error("\"hello\"").contains("did you mean type"));
        assert!(error("EXE*0").contains("repeat count"));
        assert!(error("EXE*x").contains("repeat count"));
        assert!(error("screenshot").contains("needs a file name"));
        assert!(error("expect-text \"a\" \"b\"").contains("unexpected"));
    }

    #[test]
    fn never_panics_on_random_input() {
        let alphabet: Vec<char> = "EXE wait \"\\;#*0123456789ms.\n-ÿ€ until-text timeout type"
            .chars()
            .collect();
        let mut seed = 0x9E37_79B9u32;
        for _ in 0..3000 {
            let mut source = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                source.push(alphabet[(seed as usize) % alphabet.len()]);
            }
            let _ = parse(&source);
            seed = seed.wrapping_add(1);
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("0.25s"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("..s").is_err());
        assert!(parse_duration("-1s").is_err());
    }
}
