//! Text layout for a pixel width, given a measuring function (the OS's
//! proportional fonts on the calculator, anything in tests): word
//! wrapping and truncation with an ellipsis. No allocation: results are
//! slices of the input.
//!
//! ```
//! use prizm::ui::text::{truncate, wrap};
//! let width = |s: &str| s.len() as i32 * 10; // 10 px per character
//! let lines: Vec<&str> = wrap("the quick brown fox", 100, width).collect();
//! assert_eq!(lines, ["the quick", "brown fox"]);
//! assert_eq!(truncate("the quick brown fox", 100, "...", width), ("the qui", true));
//! ```

use super::Surface;
use crate::display::text::Font;
use crate::display::Rgb565;

/// Lines of `text` at most `max_width` wide: broken at spaces, at `\n`,
/// and inside words longer than a line. See [`wrap`].
pub struct WrapLines<'a, F> {
    rest: Option<&'a str>,
    max_width: i32,
    measure: F,
}

/// Wraps `text` into lines no wider than `max_width` as measured by
/// `measure`. Every line holds at least one character, so a width too
/// small for any still makes progress. Empty text gives no lines.
pub fn wrap<'a, F: FnMut(&str) -> i32>(
    text: &'a str,
    max_width: i32,
    measure: F,
) -> WrapLines<'a, F> {
    WrapLines {
        rest: (!text.is_empty()).then_some(text),
        max_width,
        measure,
    }
}

impl<'a, F: FnMut(&str) -> i32> Iterator for WrapLines<'a, F> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let (paragraph, after) = match rest.find('\n') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        if paragraph.is_empty() || (self.measure)(paragraph) <= self.max_width {
            self.rest = after;
            return Some(paragraph.trim_end_matches(' '));
        }
        let cut = self.break_point(paragraph);
        let line = paragraph[..cut].trim_end_matches(' ');
        let remaining = paragraph[cut..].trim_start_matches(' ');
        self.rest = if remaining.is_empty() {
            after
        } else {
            Some(&rest[paragraph.len() - remaining.len()..])
        };
        Some(line)
    }
}

impl<F: FnMut(&str) -> i32> WrapLines<'_, F> {
    /// Where to end the line taken from `paragraph`, which does not fit
    /// whole: after the last word that fits, or inside the first word.
    fn break_point(&mut self, paragraph: &str) -> usize {
        let mut best = None;
        for (i, c) in paragraph.char_indices() {
            if c != ' ' {
                continue;
            }
            let candidate = paragraph[..i].trim_end_matches(' ');
            if candidate.is_empty() {
                continue;
            }
            if (self.measure)(candidate) <= self.max_width {
                best = Some(i);
            } else {
                break;
            }
        }
        best.unwrap_or_else(|| {
            fitting_prefix(paragraph, self.max_width, &mut self.measure)
                .max(first_char_len(paragraph))
        })
    }
}

fn first_char_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

/// The byte length of the longest prefix of `text` (on a character
/// boundary) that `measure` finds at most `max_width` wide.
fn fitting_prefix(text: &str, max_width: i32, measure: &mut impl FnMut(&str) -> i32) -> usize {
    let mut fits = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if measure(&text[..end]) > max_width {
            break;
        }
        fits = end;
    }
    fits
}

/// `text` cut to fit `max_width` with room for `ellipsis` after it:
/// (the part to show, whether it was cut). Draw the ellipsis after the
/// part when the flag is true.
pub fn truncate<'a>(
    text: &'a str,
    max_width: i32,
    ellipsis: &str,
    mut measure: impl FnMut(&str) -> i32,
) -> (&'a str, bool) {
    if measure(text) <= max_width {
        return (text, false);
    }
    let room = max_width - measure(ellipsis);
    let end = fitting_prefix(text, room, &mut measure);
    (text[..end].trim_end_matches(' '), true)
}

/// Draws `text` in at most `max_width` pixels, ending in "..." when cut.
/// Returns the width drawn.
#[allow(clippy::too_many_arguments)]
pub fn draw_truncated<S: Surface + ?Sized>(
    surface: &mut S,
    x: i32,
    y: i32,
    text: &str,
    max_width: i32,
    font: Font,
    color: Rgb565,
    background: Option<Rgb565>,
) -> i32 {
    let (shown, cut) = truncate(text, max_width, "...", |s| surface.text_width(s, font));
    surface.draw_text(x, y, shown, font, color, background);
    let mut width = surface.text_width(shown, font);
    if cut {
        surface.draw_text(x + width, y, "...", font, color, background);
        width += surface.text_width("...", font);
    }
    width
}

/// Draws `text` wrapped to `max_width`, `max_lines` lines at most from
/// (`x`, `y`); returns how many lines it drew.
#[allow(clippy::too_many_arguments)]
pub fn draw_wrapped<S: Surface + ?Sized>(
    surface: &mut S,
    x: i32,
    y: i32,
    text: &str,
    max_width: i32,
    max_lines: usize,
    font: Font,
    color: Rgb565,
) -> usize {
    let mut count = 0;
    let mut line_y = y;
    // Measuring borrows the surface; collect the line bounds first.
    let mut lines: heapless::Vec<(usize, usize), 16> = heapless::Vec::new();
    for line in wrap(text, max_width, |s| surface.text_width(s, font)).take(max_lines.min(16)) {
        let start = line.as_ptr() as usize - text.as_ptr() as usize;
        let _ = lines.push((start, start + line.len()));
    }
    for (start, end) in lines {
        surface.draw_text(x, line_y, &text[start..end], font, color, None);
        line_y += font.line_height();
        count += 1;
    }
    count
}

/// How many lines `text` takes wrapped to `max_width`.
pub fn line_count(text: &str, max_width: i32, measure: impl FnMut(&str) -> i32) -> usize {
    wrap(text, max_width, measure).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn ten(s: &str) -> i32 {
        s.chars().count() as i32 * 10
    }

    fn lines(text: &str, width: i32) -> Vec<&str> {
        wrap(text, width, ten).collect()
    }

    prizm_test! {
        fn wraps_at_spaces() {
            assert_eq!(lines("the quick brown fox", 100), ["the quick", "brown fox"]);
            assert_eq!(lines("the quick brown fox", 1000), ["the quick brown fox"]);
            assert_eq!(lines("a b c d", 30), ["a b", "c d"]);
            assert_eq!(lines("one  two", 40), ["one", "two"]);
            assert_eq!(lines("trailing   ", 80), ["trailing"]);
        }
    }

    prizm_test! {
        fn breaks_long_words_and_always_progresses() {
            assert_eq!(lines("abcdefghij", 40), ["abcd", "efgh", "ij"]);
            assert_eq!(lines("ab verylongword cd", 50), ["ab", "veryl", "ongwo", "rd cd"]);
            assert_eq!(lines("xyz", 5), ["x", "y", "z"]);
            assert_eq!(lines("héllo", 20), ["hé", "ll", "o"]);
        }
    }

    prizm_test! {
        fn newlines_and_empty_text() {
            assert_eq!(lines("one\ntwo", 1000), ["one", "two"]);
            assert_eq!(lines("one\n\ntwo\n", 1000), ["one", "", "two", ""]);
            assert!(lines("", 100).is_empty());
            assert_eq!(line_count("aa bb cc", 20, ten), 3);
        }
    }

    prizm_test! {
        fn every_line_fits_and_no_text_is_lost() {
            let text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor";
            for width in [10, 35, 60, 95, 200] {
                let wrapped = lines(text, width);
                for line in &wrapped {
                    assert!(ten(line) <= width.max(10), "{line:?} wider than {width}");
                    assert!(!line.is_empty());
                }
                let joined: alloc::string::String = wrapped.concat();
                let original: alloc::string::String = text.chars().filter(|&c| c != ' ').collect();
                assert_eq!(joined.replace(' ', ""), original, "width {width}");
            }
        }
    }

    prizm_test! {
        fn truncation() {
            assert_eq!(truncate("short", 100, "...", ten), ("short", false));
            assert_eq!(truncate("exactly ten", 110, "...", ten), ("exactly ten", false));
            assert_eq!(truncate("a longer title", 100, "...", ten), ("a longe", true));
            assert_eq!(truncate("a long title", 90, "...", ten), ("a long", true));
            assert_eq!(truncate("abc", 20, "...", ten), ("", true));
            assert_eq!(truncate("word next", 70, "...", ten), ("word", true));
        }
    }

    prizm_test! {
        fn drawing_helpers() {
            let mut surface = super::super::RecordingSurface::new();
            let width = draw_truncated(&mut surface, 0, 0, "a long menu entry", 100, Font::Medium, Rgb565::new(0, 0, 0), None);
            assert_eq!(surface.text_log(), "a long|...");
            assert!(width <= 100);
            let mut surface = super::super::RecordingSurface::new();
            let drawn = draw_wrapped(&mut surface, 5, 30, "one two three four", 90, 2, Font::Medium, Rgb565::new(0, 0, 0));
            assert_eq!(drawn, 2);
            assert_eq!(surface.text_log(), "one two|three");
            assert_eq!(surface.texts[1].y, 30 + Font::Medium.line_height());
        }
    }
}
