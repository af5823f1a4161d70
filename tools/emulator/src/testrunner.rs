//! `prizm-emu test FILE.elf`: runs an on-target test binary and reports
//! like `cargo test`.
//!
//! The test binary writes lines to the debug channel (`Emu_DebugWrite`):
//!
//! | Line | Meaning |
//! |---|---|
//! | `test <name> ... ok` | a test passed |
//! | `test <name> ... FAILED: <message>` | a test failed (the message is optional) |
//! | `image <name> <path>` | compare the screen (VRAM) with the PNG at `<path>`, relative to the repository root; if the PNG is missing, or `PRIZM_BLESS=1`, write it |
//! | `finished` | all tests ran |
//!
//! Other lines are printed as they come. The run fails when a test or an
//! image fails, when the binary crashes, runs out of instruction budget,
//! waits for a key, or ends without `finished`. The last line printed is
//! `test result: ok. N passed; M failed` (or `FAILED.`).
//!
//! The repository root is `$PRIZM_REPO_ROOT`, else the nearest folder up
//! from the current one holding `.git`, else the current folder. Images
//! that differ are written to `<root>/target/prizm-emu-images/`.

use std::path::{Path, PathBuf};

use crate::emulator::{Condition, Emulator, RunErrorKind};
use crate::outcome::Outcome;
use crate::screenshot::{Difference, ImageError};

/// Default instruction budget of a test binary.
pub const DEFAULT_TEST_BUDGET: u64 = 4_000_000_000;

/// One parsed protocol line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// `test NAME ... ok`
    Passed(String),
    /// `test NAME ... FAILED[: message]`
    Failed(String, String),
    /// `image NAME PATH`
    Image(String, String),
    /// `finished`
    Finished,
    /// Anything else.
    Output(String),
}

/// Parses one line of the protocol.
pub fn parse_line(line: &str) -> Line {
    let line = line.trim_end_matches('\r');
    if line.trim() == "finished" {
        return Line::Finished;
    }
    if let Some(rest) = line.strip_prefix("test ") {
        if let Some((name, result)) = rest.split_once(" ... ") {
            if let Some(parsed) = test_result(name.trim(), result) {
                return parsed;
            }
        }
    }
    if let Some(rest) = line.strip_prefix("image ") {
        let mut parts = rest.trim().splitn(2, ' ');
        if let (Some(name), Some(path)) = (parts.next(), parts.next()) {
            if !path.trim().is_empty() {
                return Line::Image(name.to_string(), path.trim().to_string());
            }
        }
    }
    Line::Output(line.to_string())
}

/// `ok` or `FAILED[: message]` as the result of test `name`.
fn test_result(name: &str, result: &str) -> Option<Line> {
    let result = result.trim();
    if result == "ok" {
        return Some(Line::Passed(name.to_string()));
    }
    let message = result.strip_prefix("FAILED")?;
    let message = message.trim_start_matches(':').trim();
    Some(Line::Failed(name.to_string(), message.to_string()))
}

/// Splits the debug output into protocol lines, also when a test prints
/// between `test NAME ... ` and its result: the printed lines (an `image`
/// request among them) are handled on their own, and a later line holding
/// just `ok` or `FAILED…` closes the test that was running.
#[derive(Debug, Default)]
pub struct Parser {
    running: Option<String>,
}

impl Parser {
    /// The test that started and has not reported a result yet.
    pub fn running(&self) -> Option<&str> {
        self.running.as_deref()
    }

    /// The protocol lines in one line of output.
    pub fn feed(&mut self, line: &str) -> Vec<Line> {
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(name) = self.running.take() {
            if let Some(result) = test_result(&name, line) {
                return vec![result];
            }
            self.running = Some(name);
            return vec![parse_line(line)];
        }
        if let Some((name, rest)) = line
            .strip_prefix("test ")
            .and_then(|rest| rest.split_once(" ..."))
        {
            let parsed = parse_line(line);
            if !matches!(parsed, Line::Output(_)) {
                return vec![parsed];
            }
            self.running = Some(name.trim().to_string());
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            return if rest.trim().is_empty() {
                Vec::new()
            } else {
                self.feed(rest)
            };
        }
        vec![parse_line(line)]
    }
}

/// Where images are looked up.
pub fn repository_root() -> PathBuf {
    if let Some(root) = std::env::var_os("PRIZM_REPO_ROOT") {
        return PathBuf::from(root);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(cwd)
}

/// Results of a test binary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Passed tests.
    pub passed: usize,
    /// Screens that matched their reference image (or were written).
    pub images: usize,
    /// Failed ones: (name, message).
    pub failures: Vec<(String, String)>,
    /// Whether `finished` was seen.
    pub finished: bool,
}

impl Report {
    /// The closing line.
    pub fn summary(&self) -> String {
        let verdict = if self.failures.is_empty() {
            "ok"
        } else {
            "FAILED"
        };
        let mut line = format!(
            "test result: {verdict}. {} passed; {} failed",
            self.passed,
            self.failures.len()
        );
        if self.images > 0 {
            line.push_str(&format!("; {} images matched", self.images));
        }
        line
    }
}

/// Why a screen did not match its reference image.
#[derive(Debug, thiserror::Error)]
pub enum ImageCheckError {
    /// The test named an image outside the repository.
    #[error("image path {0:?} must be relative to the repository root, without ..")]
    BadPath(String),
    /// The image could not be read or written.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// The screen differs from the reference image.
    #[error("differs from {}: {difference}{saved} (PRIZM_BLESS=1 accepts it)", reference.display())]
    Differs {
        /// The reference image.
        reference: PathBuf,
        /// How the screen differs.
        difference: Difference,
        /// Where the screen was saved, or why it could not be (`; …`).
        saved: String,
    },
}

/// Compares the screen with a reference image (or blesses it).
fn check_image(
    emu: &Emulator,
    root: &Path,
    name: &str,
    path: &str,
    out: &mut dyn FnMut(&str),
) -> Result<(), ImageCheckError> {
    if Path::new(path).is_absolute() || path.split(['/', '\\']).any(|c| c == "..") {
        return Err(ImageCheckError::BadPath(path.to_owned()));
    }
    let full = root.join(path);
    let frame = emu.vram();
    let bless = std::env::var("PRIZM_BLESS").is_ok_and(|v| v == "1");
    if bless || !full.exists() {
        crate::screenshot::write_png(&full, &frame)?;
        out(&format!("image {name} ... ok (wrote {})", full.display()));
        return Ok(());
    }
    let expected = crate::screenshot::read_png(&full)?;
    match crate::screenshot::compare(&frame, &expected)? {
        None => {
            out(&format!("image {name} ... ok"));
            Ok(())
        }
        Some(diff) => {
            let safe: String = path
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let actual = root
                .join("target")
                .join("prizm-emu-images")
                .join(format!("{safe}.actual.png"));
            let saved = match crate::screenshot::write_png(&actual, &frame) {
                Ok(()) => format!("; the screen is in {}", actual.display()),
                Err(e) => format!("; could not save the screen: {e}"),
            };
            Err(ImageCheckError::Differs {
                reference: full,
                difference: diff,
                saved,
            })
        }
    }
}

/// Runs the test binary in `emu`; prints through `out`; returns the report.
pub fn run_tests(emu: &mut Emulator, root: &Path, out: &mut dyn FnMut(&str)) -> Report {
    let mut report = Report::default();
    let mut consumed = 0usize;
    let mut pending = String::new();
    let mut parser = Parser::default();
    loop {
        let result = loop {
            let result = emu.run_until(Condition::DebugBytes(consumed));
            // A key wait with a timeout ends by itself, as on the
            // calculator: let its time pass instead of failing.
            match (&result, emu.key_wait_time_left()) {
                (Err(error), Some(left)) if matches!(error.kind, RunErrorKind::WaitingForKey) => {
                    let left = left.max(std::time::Duration::from_nanos(1));
                    if let Err(error) = emu.run_until(Condition::Time(left)) {
                        break Err(error);
                    }
                }
                _ => break result,
            }
        };
        let output = emu.debug_output().to_vec();
        if output.len() > consumed {
            pending.push_str(&String::from_utf8_lossy(&output[consumed..]));
            consumed = output.len();
        }
        while let Some(newline) = pending.find('\n') {
            let line: String = pending.drain(..=newline).collect();
            for parsed in parser.feed(&line) {
                match parsed {
                    Line::Passed(name) => {
                        out(&format!("test {name} ... ok"));
                        report.passed += 1;
                    }
                    Line::Failed(name, message) => {
                        out(&format!("test {name} ... FAILED"));
                        report.failures.push((name, message));
                    }
                    Line::Image(name, path) => match check_image(emu, root, &name, &path, out) {
                        Ok(()) => report.images += 1,
                        Err(error) => {
                            out(&format!("image {name} ... FAILED"));
                            report
                                .failures
                                .push((format!("image {name}"), error.to_string()));
                        }
                    },
                    Line::Finished => report.finished = true,
                    Line::Output(text) => out(&text),
                }
            }
        }
        if report.finished {
            break;
        }
        let Err(error) = result else { continue };
        let problem = match &error.kind {
            RunErrorKind::Ended(Outcome::Fault(fault)) => format!("crashed: {fault}"),
            RunErrorKind::Ended(outcome) => {
                format!(
                    "the test binary ended ({}) without reporting `finished`",
                    outcome.short()
                )
            }
            RunErrorKind::BudgetExhausted => format!(
                "the instruction budget of {} ran out (raise it with --budget or PRIZM_EMU_BUDGET)",
                emu.budget()
            ),
            RunErrorKind::WaitingForKey => "the test binary waits for a key".to_string(),
            RunErrorKind::Timeout => "timed out".to_string(),
        };
        // A test that was running when things went wrong gets the blame.
        let running = parser.running().map(str::to_string).or_else(|| {
            pending
                .trim()
                .strip_prefix("test ")
                .and_then(|r| r.split(" ...").next())
                .map(|name| name.trim().to_string())
        });
        match running {
            Some(name) if !name.is_empty() => {
                out(&format!("test {name} ... FAILED"));
                report.failures.push((name, problem));
            }
            _ => {
                out(&format!("error: {problem}"));
                report.failures.push(("(test binary)".to_string(), problem));
            }
        }
        break;
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_lines() {
        assert_eq!(parse_line("test a::b ... ok"), Line::Passed("a::b".into()));
        assert_eq!(
            parse_line("test x ... FAILED: 1 != 2"),
            Line::Failed("x".into(), "1 != 2".into())
        );
        assert_eq!(
            parse_line("test x ... FAILED"),
            Line::Failed("x".into(), String::new())
        );
        assert_eq!(
            parse_line("image logo tests/images/logo.png"),
            Line::Image("logo".into(), "tests/images/logo.png".into())
        );
        assert_eq!(parse_line("finished\r"), Line::Finished);
        assert_eq!(
            parse_line("test x ... maybe"),
            Line::Output("test x ... maybe".into())
        );
        assert_eq!(
            parse_line("image lonely"),
            Line::Output("image lonely".into())
        );
        assert_eq!(parse_line("hello"), Line::Output("hello".into()));
    }

    #[test]
    fn output_inside_a_test() {
        let mut parser = Parser::default();
        assert_eq!(
            parser.feed("test a ... image shot x.png\n"),
            vec![Line::Image("shot".into(), "x.png".into())]
        );
        assert_eq!(parser.running(), Some("a"));
        assert_eq!(parser.feed("printed"), vec![Line::Output("printed".into())]);
        assert_eq!(parser.feed("ok"), vec![Line::Passed("a".into())]);
        assert_eq!(parser.running(), None);
        assert_eq!(parser.feed("test b ... "), vec![]);
        assert_eq!(
            parser.feed("FAILED: boom"),
            vec![Line::Failed("b".into(), "boom".into())]
        );
        assert_eq!(parser.feed("test c ... ok"), vec![Line::Passed("c".into())]);
        assert_eq!(
            parser.feed("ok"),
            vec![Line::Output("ok".into())],
            "no test running"
        );
    }

    #[test]
    fn summary_line() {
        let mut report = Report {
            passed: 3,
            ..Report::default()
        };
        assert_eq!(report.summary(), "test result: ok. 3 passed; 0 failed");
        report.failures.push(("x".into(), "bad".into()));
        assert_eq!(report.summary(), "test result: FAILED. 3 passed; 1 failed");
        report.images = 2;
        assert_eq!(
            report.summary(),
            "test result: FAILED. 3 passed; 1 failed; 2 images matched"
        );
    }
}
