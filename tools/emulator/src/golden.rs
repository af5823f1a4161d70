//! Golden screenshots: a screen checked against a committed PNG. The one
//! check behind both the device tests (`image` lines of `prizm-emu test`,
//! see [`crate::testrunner`]) and the end-to-end tests in `emulator-tests/`.
//!
//! - The screen matches the golden: the check passes.
//! - It differs: the check fails with the number of differing pixels and
//!   their bounding box, and the screen is saved beside the build output
//!   (see [`actual_image_path`]) for a look.
//! - There is no golden yet: the check fails too (a test that writes its own
//!   expectation proves nothing), and the screen is saved the same way.
//! - Blessing (`PRIZM_BLESS=1`, see [`bless_requested`]) writes the screen
//!   as the golden when it is missing or differs; the check then passes and
//!   the new PNG shows up in review.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::screenshot::{compare, read_png, write_png, Difference};

/// The environment variable that turns failing checks into new goldens.
pub const BLESS_VARIABLE: &str = "PRIZM_BLESS";

/// Whether the run blesses goldens: `PRIZM_BLESS=1`.
pub fn bless_requested() -> bool {
    std::env::var(BLESS_VARIABLE).is_ok_and(|value| value == "1")
}

/// A passed check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passed {
    /// The screen is the golden, pixel for pixel.
    Matched,
    /// Blessing wrote the screen as the golden (it was missing or differed).
    Blessed,
}

/// A failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoldenError {
    /// The golden does not exist.
    Missing {
        /// Where the golden was looked for.
        golden: PathBuf,
        /// Where the screen was saved, or why it could not be.
        actual: Result<PathBuf, String>,
    },
    /// The screen differs from the golden.
    Differs {
        /// The golden.
        golden: PathBuf,
        /// How many pixels differ, and where.
        difference: Difference,
        /// Where the screen was saved, or why it could not be.
        actual: Result<PathBuf, String>,
    },
    /// The golden could not be read (not a PNG, not 384×216), or blessing
    /// could not write it.
    File(String),
}

impl fmt::Display for GoldenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let saved = |actual: &Result<PathBuf, String>| match actual {
            Ok(path) => format!("the screen is in {}", path.display()),
            Err(error) => format!("the screen could not be saved: {error}"),
        };
        match self {
            GoldenError::Missing { golden, actual } => write!(
                f,
                "no golden image {}; {}; {BLESS_VARIABLE}=1 writes it (then look at it and commit it)",
                golden.display(),
                saved(actual)
            ),
            GoldenError::Differs {
                golden,
                difference,
                actual,
            } => write!(
                f,
                "the screen differs from {}: {difference}; {}; {BLESS_VARIABLE}=1 accepts it",
                golden.display(),
                saved(actual)
            ),
            GoldenError::File(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GoldenError {}

/// Where the screen of a failed check of `golden` (a path relative to the
/// repository root `root`) is saved: under `<root>/target/prizm-emu-images/`,
/// named after the golden's path so two goldens never share a file.
pub fn actual_image_path(root: &Path, golden: &str) -> PathBuf {
    let name: String = golden
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    root.join("target")
        .join("prizm-emu-images")
        .join(format!("{name}.actual.png"))
}

/// Checks `frame` (384×216 RGB565) against the PNG `golden`; on failure the
/// frame is saved as `actual`. With `bless`, a missing or differing golden
/// is overwritten with the frame instead (an unchanged one is left alone,
/// byte for byte).
pub fn check(
    frame: &[u16],
    golden: &Path,
    actual: &Path,
    bless: bool,
) -> Result<Passed, GoldenError> {
    let difference = if golden.exists() {
        let compared = read_png(golden)
            .map_err(|e| e.to_string())
            .and_then(|image| compare(frame, &image).map_err(|e| e.to_string()));
        match compared {
            Ok(None) => {
                // A screen saved by an earlier failing run is stale now.
                let _ = std::fs::remove_file(actual);
                return Ok(Passed::Matched);
            }
            Ok(Some(difference)) => Some(difference),
            // Blessing replaces an unreadable golden; otherwise say why.
            Err(_) if bless => None,
            Err(message) => {
                return Err(GoldenError::File(format!(
                    "{message} (golden {})",
                    golden.display()
                )))
            }
        }
    } else {
        None
    };
    if bless {
        write_png(golden, frame)
            .map_err(|e| GoldenError::File(format!("cannot bless {}: {e}", golden.display())))?;
        let _ = std::fs::remove_file(actual);
        return Ok(Passed::Blessed);
    }
    let saved = write_png(actual, frame)
        .map(|()| actual.to_path_buf())
        .map_err(|e| e.to_string());
    let golden = golden.to_path_buf();
    Err(match difference {
        Some(difference) => GoldenError::Differs {
            golden,
            difference,
            actual: saved,
        },
        None => GoldenError::Missing {
            golden,
            actual: saved,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};

    fn white() -> Vec<u16> {
        vec![0xFFFF; SCREEN_WIDTH * SCREEN_HEIGHT]
    }

    #[test]
    fn a_matching_screen_passes_and_clears_a_stale_actual_image() {
        let dir = tempfile::tempdir().unwrap();
        let (golden, actual) = (dir.path().join("golden.png"), dir.path().join("actual.png"));
        write_png(&golden, &white()).unwrap();
        std::fs::write(&actual, b"from an earlier run").unwrap();
        assert_eq!(
            check(&white(), &golden, &actual, false),
            Ok(Passed::Matched)
        );
        assert!(!actual.exists());
    }

    #[test]
    fn a_differing_screen_fails_with_count_and_box_and_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let (golden, actual) = (
            dir.path().join("golden.png"),
            dir.path().join("out/actual.png"),
        );
        write_png(&golden, &white()).unwrap();
        let golden_bytes = std::fs::read(&golden).unwrap();
        let mut frame = white();
        frame[SCREEN_WIDTH * 10 + 20] = 0;
        frame[SCREEN_WIDTH * 12 + 25] = 0xF800;
        let error = check(&frame, &golden, &actual, false).unwrap_err();
        let GoldenError::Differs {
            difference,
            actual: saved,
            ..
        } = &error
        else {
            panic!("expected Differs, got {error:?}");
        };
        assert_eq!(difference.pixels, 2);
        assert_eq!(difference.bounds, (20, 10, 25, 12));
        assert_eq!(saved.as_ref(), Ok(&actual));
        assert_eq!(
            check(&frame, &actual, &dir.path().join("x.png"), false),
            Ok(Passed::Matched)
        );
        assert_eq!(
            std::fs::read(&golden).unwrap(),
            golden_bytes,
            "the golden is untouched"
        );
        let message = error.to_string();
        assert!(
            message.contains("2 pixels differ, within x 20..=25, y 10..=12"),
            "{message}"
        );
        assert!(message.contains("PRIZM_BLESS=1"), "{message}");
    }

    #[test]
    fn a_missing_golden_fails_and_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let (golden, actual) = (dir.path().join("golden.png"), dir.path().join("actual.png"));
        let error = check(&white(), &golden, &actual, false).unwrap_err();
        assert_eq!(
            error,
            GoldenError::Missing {
                golden: golden.clone(),
                actual: Ok(actual.clone()),
            }
        );
        assert!(!golden.exists());
        assert!(actual.exists(), "the screen is saved for a look");
        assert!(error.to_string().starts_with("no golden image"), "{error}");
    }

    #[test]
    fn blessing_writes_a_missing_or_differing_golden() {
        let dir = tempfile::tempdir().unwrap();
        let (golden, actual) = (
            dir.path().join("sub/golden.png"),
            dir.path().join("actual.png"),
        );
        assert_eq!(check(&white(), &golden, &actual, true), Ok(Passed::Blessed));
        assert_eq!(
            check(&white(), &golden, &actual, false),
            Ok(Passed::Matched)
        );
        let mut frame = white();
        frame[0] = 0;
        assert!(check(&frame, &golden, &actual, false).is_err());
        assert_eq!(check(&frame, &golden, &actual, true), Ok(Passed::Blessed));
        assert!(!actual.exists(), "blessing leaves no stale actual image");
        assert_eq!(check(&frame, &golden, &actual, false), Ok(Passed::Matched));
        // Blessing a screen that already matches leaves the file alone.
        assert_eq!(check(&frame, &golden, &actual, true), Ok(Passed::Matched));
    }

    #[test]
    fn an_unreadable_golden_fails_unless_blessed() {
        let dir = tempfile::tempdir().unwrap();
        let (golden, actual) = (dir.path().join("golden.png"), dir.path().join("actual.png"));
        std::fs::write(&golden, b"not a png").unwrap();
        let error = check(&white(), &golden, &actual, false).unwrap_err();
        assert!(matches!(error, GoldenError::File(_)), "{error:?}");
        assert!(error.to_string().contains("golden.png"), "{error}");
        assert_eq!(check(&white(), &golden, &actual, true), Ok(Passed::Blessed));
        assert_eq!(
            check(&white(), &golden, &actual, false),
            Ok(Passed::Matched)
        );
    }

    #[test]
    fn actual_images_are_named_after_the_golden_path() {
        let root = Path::new("/repo");
        assert_eq!(
            actual_image_path(root, "emulator-tests/screenshots/hello.png"),
            Path::new(
                "/repo/target/prizm-emu-images/emulator-tests_screenshots_hello.png.actual.png"
            )
        );
    }
}
