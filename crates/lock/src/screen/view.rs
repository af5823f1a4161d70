//! Drawing the screens. Everything is drawn with `embedded-graphics` on
//! any RGB565 target: the VRAM on the calculator, a plain framebuffer in
//! host tests. The title and F-key bars are the crate's UI kit
//! (`prizm::ui`) on a [`BitmapSurface`]; the big clock digits and the lock
//! icon are primitives; text uses embedded-graphics' bitmap fonts, so the
//! picture is the same on the calculator and in the emulator.

use embedded_graphics::mono_font::ascii::{FONT_10X20, FONT_7X13, FONT_9X15, FONT_9X18_BOLD};
use embedded_graphics::mono_font::{MonoFont, MonoTextStyle};
use embedded_graphics::pixelcolor::Rgb565;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Arc, Circle, PrimitiveStyle, Rectangle, RoundedRectangle};
use embedded_graphics::text::{Alignment, Baseline, Text, TextStyleBuilder};
use heapless::String;
use prizm::ui::{
    draw_hint_bar, BitmapFonts, BitmapSurface, FKeyBar, FieldBox, Frame, Rect, TitleBar,
};

use crate::screen::app::{App, Field, Purpose, Screen, Tone};
use crate::backoff::format_wait;
use crate::screen::clock::{format_date, format_time, from_seconds_since_2000};
use crate::secret::SecretKind;
use crate::settings::SettingItem;

/// Screen size.
pub const WIDTH: i32 = 384;
/// Screen size.
pub const HEIGHT: i32 = 216;
const FOOTER_TOP: i32 = HEIGHT - 24;
/// Top of the two-line notice area above the footer.
const NOTICE_TOP: i32 = FOOTER_TOP - 28;

/// The kit's fonts in CGlock: bold titles, 9×15 key labels.
const FONTS: BitmapFonts = BitmapFonts {
    large: &FONT_10X20,
    medium: &FONT_9X18_BOLD,
    small: &FONT_9X15,
};

/// The palette.
pub mod color {
    use embedded_graphics::pixelcolor::Rgb565;
    /// Background.
    pub const PAPER: Rgb565 = Rgb565::new(31, 63, 31);
    /// Main text.
    pub const INK: Rgb565 = Rgb565::new(0, 0, 0);
    /// Secondary text.
    pub const MUTED: Rgb565 = Rgb565::new(12, 25, 12);
    /// Header while unlocked, selection.
    pub const ACCENT: Rgb565 = Rgb565::new(3, 14, 14);
    /// Header while locked, errors.
    pub const ALARM: Rgb565 = Rgb565::new(22, 6, 3);
    /// Information notices.
    pub const INFO: Rgb565 = Rgb565::new(0, 24, 12);
    /// Text fields and the footer's keys.
    pub const FIELD: Rgb565 = Rgb565::new(28, 57, 28);
    /// The lock icon.
    pub const METAL: Rgb565 = Rgb565::new(25, 42, 4);
}

fn fill<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    x: i32,
    y: i32,
    width: u32,
    height: u32,
    color: Rgb565,
) {
    let _ = target.fill_solid(
        &Rectangle::new(Point::new(x, y), Size::new(width, height)),
        color,
    );
}

fn text_at<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    text: &str,
    position: Point,
    font: &'static MonoFont<'static>,
    color: Rgb565,
    alignment: Alignment,
) {
    let character = MonoTextStyle::new(font, color);
    let layout = TextStyleBuilder::new()
        .alignment(alignment)
        .baseline(Baseline::Top)
        .build();
    let _ = Text::with_text_style(text, position, character, layout).draw(target);
}

fn text<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    text: &str,
    x: i32,
    y: i32,
    font: &'static MonoFont<'static>,
    color: Rgb565,
) {
    text_at(target, text, Point::new(x, y), font, color, Alignment::Left);
}

fn centered<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    text: &str,
    y: i32,
    font: &'static MonoFont<'static>,
    color: Rgb565,
) {
    text_at(
        target,
        text,
        Point::new(WIDTH / 2, y),
        font,
        color,
        Alignment::Center,
    );
}

/// Splits `text` into lines of at most `columns` characters, at spaces
/// where possible.
pub fn wrap(text: &str, columns: usize) -> impl Iterator<Item = &str> {
    let mut rest = text.trim_start();
    core::iter::from_fn(move || {
        if rest.is_empty() || columns == 0 {
            return None;
        }
        if rest.len() <= columns {
            let line = rest;
            rest = "";
            return Some(line);
        }
        let cut = match rest[..=columns].rfind(' ') {
            Some(space) if space > 0 => space,
            _ => columns,
        };
        let (line, tail) = rest.split_at(cut);
        rest = tail.trim_start();
        Some(line.trim_end())
    })
}

/// The segments lit for each digit: bit 0 = top, 1 = top right,
/// 2 = bottom right, 3 = bottom, 4 = bottom left, 5 = top left, 6 = middle.
pub fn segments(digit: u8) -> u8 {
    const TABLE: [u8; 10] = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];
    TABLE.get(digit as usize).copied().unwrap_or(0x40)
}

/// Size of the big clock's characters.
#[derive(Debug, Clone, Copy)]
pub struct DigitSize {
    /// Width of a digit.
    pub width: i32,
    /// Height of a digit.
    pub height: i32,
    /// Thickness of a segment.
    pub stroke: i32,
    /// Space after each character.
    pub gap: i32,
}

/// The lock screen's clock digits.
pub const BIG_DIGITS: DigitSize = DigitSize {
    width: 40,
    height: 70,
    stroke: 9,
    gap: 10,
};

/// Draws one seven-segment digit with its top left corner at (`x`, `y`).
pub fn draw_digit<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    digit: u8,
    x: i32,
    y: i32,
    size: DigitSize,
    color: Rgb565,
) {
    let DigitSize {
        width: w,
        height: h,
        stroke: t,
        ..
    } = size;
    let upper = (h - 3 * t) / 2;
    let lower = h - 3 * t - upper;
    let horizontal = (w - 2 * t).max(0) as u32;
    let lit = segments(digit);
    let parts: [(i32, i32, u32, u32); 7] = [
        (x + t, y, horizontal, t as u32),
        (x + w - t, y + t, t as u32, upper as u32),
        (x + w - t, y + 2 * t + upper, t as u32, lower as u32),
        (x + t, y + h - t, horizontal, t as u32),
        (x, y + 2 * t + upper, t as u32, lower as u32),
        (x, y + t, t as u32, upper as u32),
        (x + t, y + t + upper, horizontal, t as u32),
    ];
    for (index, &(px, py, pw, ph)) in parts.iter().enumerate() {
        if lit & (1 << index) != 0 {
            fill(target, px, py, pw, ph, color);
        }
    }
}

/// Width of `text` ("09:41") drawn with [`draw_big_text`].
pub fn big_text_width(text: &str, size: DigitSize) -> i32 {
    text.bytes()
        .map(|c| {
            if c == b':' {
                size.stroke + size.gap
            } else {
                size.width + size.gap
            }
        })
        .sum::<i32>()
        - size.gap
}

/// Draws digits and colons in seven-segment style from (`x`, `y`).
pub fn draw_big_text<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    text: &str,
    x: i32,
    y: i32,
    size: DigitSize,
    color: Rgb565,
) {
    let mut left = x;
    for character in text.bytes() {
        if character == b':' {
            let dot = size.stroke as u32;
            fill(
                target,
                left,
                y + size.height / 3 - size.stroke / 2,
                dot,
                dot,
                color,
            );
            fill(
                target,
                left,
                y + 2 * size.height / 3 - size.stroke / 2,
                dot,
                dot,
                color,
            );
            left += size.stroke + size.gap;
        } else {
            draw_digit(target, character.wrapping_sub(b'0'), left, y, size, color);
            left += size.width + size.gap;
        }
    }
}

/// Draws a padlock in a `size`-wide box at (`x`, `y`) (height 1.4 × size),
/// closed or with its shackle open.
pub fn draw_lock_icon<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    x: i32,
    y: i32,
    size: u32,
    closed: bool,
    color: Rgb565,
) {
    let size_i = size as i32;
    let stroke = (size / 7).max(2);
    let shackle = size * 2 / 3;
    let shackle_x = x + (size_i - shackle as i32) / 2;
    // Open: the shackle rises and only its left leg stays in the body.
    let lift = if closed { 0 } else { size_i / 4 };
    let top = y - lift;
    let style = PrimitiveStyle::with_stroke(color, stroke);
    let _ = Arc::new(
        Point::new(shackle_x, top),
        shackle,
        Angle::from_degrees(180.0),
        Angle::from_degrees(180.0),
    )
    .into_styled(style)
    .draw(target);
    let legs_top = top + shackle as i32 / 2;
    let body_top = y + size_i * 2 / 5;
    let leg_bottom = body_top + stroke as i32;
    let leg_height = (leg_bottom - legs_top).max(0) as u32;
    fill(target, shackle_x, legs_top, stroke, leg_height, color);
    let right_leg = shackle_x + shackle as i32 - stroke as i32;
    if closed {
        fill(target, right_leg, legs_top, stroke, leg_height, color);
    } else {
        fill(
            target,
            right_leg,
            legs_top,
            stroke,
            (size_i / 8).max(2) as u32,
            color,
        );
    }
    let body = Rectangle::new(Point::new(x, body_top), Size::new(size, size));
    let _ = RoundedRectangle::with_equal_corners(body, Size::new(size / 8, size / 8))
        .into_styled(PrimitiveStyle::with_fill(color))
        .draw(target);
    // The keyhole.
    let hole = (size / 5).max(3);
    let center_x = x + size_i / 2;
    let hole_top = body_top + size_i / 3;
    let _ = Circle::new(Point::new(center_x - hole as i32 / 2, hole_top), hole)
        .into_styled(PrimitiveStyle::with_fill(color::PAPER))
        .draw(target);
    fill(
        target,
        center_x - (hole as i32 / 6).max(1),
        hole_top + hole as i32 / 2,
        (hole / 3).max(2),
        hole,
        color::PAPER,
    );
}

/// The crate's UI kit drawing on `target` in CGlock's fonts.
fn kit<D: DrawTarget<Color = Rgb565>>(target: &mut D) -> BitmapSurface<'_, D> {
    BitmapSurface::new(target).with_fonts(FONTS)
}

/// The title bar (no OS status bar above it): red while locked.
fn header<D: DrawTarget<Color = Rgb565>>(target: &mut D, title: &str, locked: bool) {
    let band = if locked { color::ALARM } else { color::ACCENT };
    let state = match (locked, title) {
        (true, _) => "LOCKED",
        (false, "CGlock") => "Unlocked",
        (false, _) => "CGlock",
    };
    TitleBar::new(title)
        .with_status(state)
        .with_colors(band, color::PAPER)
        .draw(&mut kit(target), Frame::new(false, true).title());
}

/// F-key labels along the bottom: `labels[i]` for F(i+1); empty = none.
fn footer<D: DrawTarget<Color = Rgb565>>(target: &mut D, labels: [&str; 6]) {
    let labels = labels.map(|label| (!label.is_empty()).then_some(label));
    FKeyBar::from_labels(labels)
        .with_colors(color::ACCENT, color::PAPER)
        .draw(&mut kit(target));
}

/// A line of hints in the footer's place ("[EXE] next  [EXIT] back").
fn footer_hint<D: DrawTarget<Color = Rgb565>>(target: &mut D, hint: &str) {
    draw_hint_bar(&mut kit(target), hint, color::FIELD, color::INK);
}

fn notice<D: DrawTarget<Color = Rgb565>>(target: &mut D, app: &App) {
    let Some(notice) = app.notice() else { return };
    let ink = match notice.tone {
        Tone::Info => color::INFO,
        Tone::Error => color::ALARM,
    };
    for (index, line) in wrap(notice.text.as_str(), 54).take(2).enumerate() {
        centered(
            target,
            line,
            NOTICE_TOP + index as i32 * 14,
            &FONT_7X13,
            ink,
        );
    }
}

fn lines<D: DrawTarget<Color = Rgb565>>(target: &mut D, top: i32, rows: &[&str]) {
    for (index, row) in rows.iter().enumerate() {
        text(
            target,
            row,
            12,
            top + index as i32 * 22,
            &FONT_10X20,
            color::INK,
        );
    }
}

/// A text field box at `y`, with the typing mode shown at its right.
fn field_box<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    app: &App,
    field: &Field,
    y: i32,
    letters: bool,
) {
    field_box_at(target, app, field, 12, y, letters);
}

/// A text field box from `x` to the right margin.
fn field_box_at<D: DrawTarget<Color = Rgb565>>(
    target: &mut D,
    app: &App,
    field: &Field,
    x: i32,
    y: i32,
    letters: bool,
) {
    let typing = app.typing();
    let mut mode: String<8> = String::new();
    if typing.shift {
        let _ = mode.push_str("S ");
    }
    if letters {
        let _ = mode.push_str(typing.mode.indicator());
    }
    let mut field_box = FieldBox::new().with_colors(color::FIELD, color::INK, color::ACCENT);
    if !mode.is_empty() {
        field_box = field_box.with_indicator(&mode);
    }
    let rect = Rect::new(x, y, WIDTH - 12 - x, 26);
    field_box.draw(&mut kit(target), rect, field);
}

fn secret_rules(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::Pin => "4 to 16 digits.",
        SecretKind::Passphrase => "4 to 32 characters. [ALPHA]: A/a/1",
    }
}

/// The clock, date and icon shared by the lock and home screens.
fn clock_face<D: DrawTarget<Color = Rgb565>>(target: &mut D, app: &App, locked: bool) {
    let moment = from_seconds_since_2000(app.now());
    let mut time: String<8> = String::new();
    format_time(&moment, &mut time);
    let width = big_text_width(&time, BIG_DIGITS);
    let left = 100 + (WIDTH - 100 - width) / 2;
    draw_big_text(target, &time, left, 32, BIG_DIGITS, color::INK);
    let mut seconds: String<4> = String::new();
    let _ = core::fmt::Write::write_fmt(&mut seconds, format_args!("{:02}", moment.time.second));
    text(
        target,
        &seconds,
        left + width + 6,
        82,
        &FONT_10X20,
        color::MUTED,
    );
    draw_lock_icon(
        target,
        28,
        38,
        48,
        locked,
        if locked { color::ALARM } else { color::METAL },
    );
    let mut date: String<32> = String::new();
    format_date(&moment, &mut date);
    centered(target, &date, 108, &FONT_10X20, color::INK);
}

/// Draws the whole screen for `app`.
pub fn draw<D: DrawTarget<Color = Rgb565>>(target: &mut D, app: &App) {
    let _ = target.clear(color::PAPER);
    let kind_noun = app.field_kind().unwrap_or(SecretKind::Pin).noun();
    match app.screen() {
        Screen::Locked { prompt_open } => {
            header(target, "CGlock", true);
            clock_face(target, app, true);
            let settings = app.settings();
            let wait = app.wait_remaining();
            if *prompt_open {
                let label = if app.field_kind() == Some(SecretKind::Passphrase) {
                    "Passphrase:"
                } else {
                    "PIN:"
                };
                text(target, label, 12, 137, &FONT_10X20, color::INK);
                let letters = app.field_kind() == Some(SecretKind::Passphrase);
                field_box_at(
                    target,
                    app,
                    app.field(),
                    12 + label.len() as i32 * 10 + 8,
                    134,
                    letters,
                );
            } else {
                for (index, line) in wrap(settings.owner_message.as_str(), 42)
                    .take(2)
                    .enumerate()
                {
                    centered(
                        target,
                        line,
                        134 + index as i32 * 16,
                        &FONT_9X15,
                        color::ACCENT,
                    );
                }
                let mut hint: String<48> = String::new();
                let _ = core::fmt::Write::write_fmt(
                    &mut hint,
                    format_args!("Type your {kind_noun} to unlock."),
                );
                if app.notice().is_none() {
                    centered(target, &hint, 170, &FONT_7X13, color::MUTED);
                }
            }
            if app.notice().is_some() {
                notice(target, app);
            } else if wait > 0 && *prompt_open {
                let mut shown: String<16> = String::new();
                format_wait(wait, &mut shown);
                let mut line: String<48> = String::new();
                let _ = core::fmt::Write::write_fmt(
                    &mut line,
                    format_args!("Wait {shown} before the next try."),
                );
                centered(target, &line, NOTICE_TOP + 7, &FONT_7X13, color::ALARM);
            }
            fill(target, 0, FOOTER_TOP, WIDTH as u32, 24, color::ALARM);
            let mut status: String<48> = String::new();
            let failures = app.failures();
            if wait > 0 {
                let mut shown: String<16> = String::new();
                format_wait(wait, &mut shown);
                let _ = core::fmt::Write::write_fmt(
                    &mut status,
                    format_args!("Failed attempts: {failures}  Wait {shown}"),
                );
            } else {
                let _ = core::fmt::Write::write_fmt(
                    &mut status,
                    format_args!("Failed attempts: {failures}"),
                );
            }
            centered(target, &status, FOOTER_TOP + 5, &FONT_9X15, color::PAPER);
        }
        Screen::Home => {
            header(target, "CGlock", false);
            clock_face(target, app, false);
            let settings = app.settings();
            for (index, line) in wrap(settings.owner_message.as_str(), 42)
                .take(1)
                .enumerate()
            {
                centered(
                    target,
                    line,
                    134 + index as i32 * 16,
                    &FONT_9X15,
                    color::ACCENT,
                );
            }
            let hint = if settings.lock_on_exe {
                "[F1] or [EXE] locks. [EXIT] quits."
            } else {
                "[F1] locks. [EXIT] quits."
            };
            centered(target, hint, 152, &FONT_7X13, color::MUTED);
            notice(target, app);
            footer(target, ["Lock", "", "", "", "", "Setup"]);
        }
        Screen::ChooseKind(purpose) => {
            let (title, first) = match purpose {
                Purpose::Setup => ("Welcome", "Lock this calculator with:"),
                Purpose::Change => ("New secret", "Unlock from now on with:"),
            };
            header(target, title, false);
            lines(
                target,
                34,
                &[
                    first,
                    "[F1] a PIN (4-16 digits)",
                    "[F2] a passphrase (4-32 characters)",
                ],
            );
            let leave = match purpose {
                Purpose::Setup => "[EXIT] quits without a lock.",
                Purpose::Change => "[EXIT] keeps the current one.",
            };
            text(target, leave, 12, 106, &FONT_9X15, color::MUTED);
            notice(target, app);
            footer(target, ["PIN", "Phrase", "", "", "", ""]);
        }
        Screen::NewSecret { kind, .. } | Screen::ConfirmSecret { kind, .. } => {
            let confirming = matches!(app.screen(), Screen::ConfirmSecret { .. });
            header(target, if confirming { "Confirm" } else { "Choose" }, false);
            let mut prompt: String<40> = String::new();
            if confirming {
                let _ = core::fmt::Write::write_fmt(
                    &mut prompt,
                    format_args!("Type the {} again:", kind.noun()),
                );
            } else {
                let _ = core::fmt::Write::write_fmt(
                    &mut prompt,
                    format_args!("Choose a {}:", kind.noun()),
                );
            }
            lines(target, 34, &[&prompt]);
            text(
                target,
                secret_rules(*kind),
                12,
                58,
                &FONT_9X15,
                color::MUTED,
            );
            field_box(
                target,
                app,
                app.field(),
                82,
                *kind == SecretKind::Passphrase,
            );
            notice(target, app);
            footer_hint(target, "[EXE] OK  [DEL] erase  [EXIT] back");
        }
        Screen::VerifyForSettings | Screen::VerifyCurrentSecret => {
            header(target, "Settings", false);
            let mut prompt: String<40> = String::new();
            let _ =
                core::fmt::Write::write_fmt(&mut prompt, format_args!("Your current {kind_noun}:"));
            lines(target, 34, &[&prompt]);
            let letters = app.field_kind() == Some(SecretKind::Passphrase);
            field_box(target, app, app.field(), 62, letters);
            let wait = app.wait_remaining();
            if wait > 0 {
                let mut shown: String<16> = String::new();
                format_wait(wait, &mut shown);
                let mut line: String<48> = String::new();
                let _ = core::fmt::Write::write_fmt(
                    &mut line,
                    format_args!("Wait {shown} before the next try."),
                );
                text(target, &line, 12, 96, &FONT_9X15, color::ALARM);
            }
            notice(target, app);
            footer_hint(target, "[EXE] OK  [EXIT] back");
        }
        Screen::Settings { cursor } => {
            header(target, "Settings", false);
            let settings = app.settings();
            for (index, item) in SettingItem::ALL.iter().enumerate() {
                // Seven rows of 20 pixels fit above the notice line.
                let y = 26 + index as i32 * 20;
                let selected = index == *cursor;
                if selected {
                    fill(target, 6, y, (WIDTH - 12) as u32, 20, color::ACCENT);
                }
                let ink = if selected { color::PAPER } else { color::INK };
                let mut label: String<40> = String::new();
                let _ = core::fmt::Write::write_fmt(
                    &mut label,
                    format_args!("{} {}", index + 1, item.label()),
                );
                text(target, &label, 12, y, &FONT_10X20, ink);
                if let Some(value) = item.value(&settings) {
                    text_at(
                        target,
                        value,
                        Point::new(WIDTH - 14, y),
                        &FONT_10X20,
                        ink,
                        Alignment::Right,
                    );
                }
            }
            notice(target, app);
            footer_hint(target, "[EXE] change  [EXIT] back");
        }
        Screen::EditOwner => {
            header(target, "Owner message", false);
            lines(target, 34, &["Shown on the lock screen:"]);
            text(
                target,
                "Up to 40 characters. [ALPHA]: A/a/1",
                12,
                58,
                &FONT_9X15,
                color::MUTED,
            );
            field_box(target, app, app.field(), 82, true);
            notice(target, app);
            footer_hint(target, "[EXE] save  [DEL] erase  [EXIT] cancel");
        }
        Screen::Unusable(error) => {
            header(target, "Record unusable", false);
            let mut reason: String<96> = String::new();
            let _ = core::fmt::Write::write_fmt(
                &mut reason,
                format_args!("The lock record can't be used: {error}."),
            );
            for (index, line) in wrap(&reason, 37).take(3).enumerate() {
                text(
                    target,
                    line,
                    12,
                    32 + index as i32 * 22,
                    &FONT_10X20,
                    color::ALARM,
                );
            }
            // No PIN can be checked, so no new one is offered here.
            lines(
                target,
                104,
                &[
                    "To start again: RESET, then",
                    "MEMORY, delete @CGLOCK.",
                ],
            );
            notice(target, app);
            footer_hint(target, "[EXIT] quit");
        }
    }
}

/// A box in the middle of the screen saying a slow step is running.
pub fn draw_busy<D: DrawTarget<Color = Rgb565>>(target: &mut D, message: &str) {
    let width = (message.len() as i32 * 9 + 32).min(WIDTH - 8);
    let left = (WIDTH - width) / 2;
    fill(target, left, 88, width as u32, 40, color::ACCENT);
    centered(target, message, 100, &FONT_9X15, color::PAPER);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::app::{Environment, Event};
    use crate::record::Record;
    use crate::storage::{CopyHealth, Opened, StoreError};
    use prizm::keyboard::PrgmKey;

    /// The screen-sized framebuffer the crate tests its drawing on.
    type Frame = prizm::display::Framebuffer;

    /// What the tests ask of a drawn frame.
    trait Inspect {
        fn at(&self, x: i32, y: i32) -> Rgb565;
        fn count(&self, x: i32, y: i32, width: i32, height: i32, color: Rgb565) -> usize;
    }

    impl Inspect for Frame {
        fn at(&self, x: i32, y: i32) -> Rgb565 {
            self.pixel(x, y).expect("a pixel on the screen")
        }
        fn count(&self, x: i32, y: i32, width: i32, height: i32, color: Rgb565) -> usize {
            (y..y + height)
                .flat_map(|row| (x..x + width).map(move |column| (column, row)))
                .filter(|&(column, row)| self.at(column, row) == color)
                .count()
        }
    }

    /// Keys of a first run that sets the PIN 1234 and confirms it.
    const SET_PIN_1234: [PrgmKey; 11] = {
        use PrgmKey::*;
        [
            F1, Digit1, Digit2, Digit3, Digit4, Exe, Digit1, Digit2, Digit3, Digit4, Exe,
        ]
    };

    struct Quiet;
    impl Environment for Quiet {
        fn now(&mut self) -> u32 {
            // 2026-11-23 09:41:07.
            848_742_067
        }
        fn save(&mut self, _: &Record) -> Result<(), StoreError> {
            Ok(())
        }
        fn record_in_place(&mut self) -> bool {
            true
        }
        fn free_main_memory(&mut self) -> Option<u32> {
            Some(60_000)
        }
        fn erase(&mut self) -> Result<(), StoreError> {
            Ok(())
        }
        fn random_salt(&mut self) -> [u8; 16] {
            [1; 16]
        }
        fn device_id(&mut self) -> [u8; 8] {
            [2; 8]
        }
        fn calibrate(&mut self) -> u32 {
            500
        }
        fn set_leaving_blocked(&mut self, _: bool) {}
        fn auto_power_off_seconds(&mut self) -> u32 {
            0
        }
        fn show_busy(&mut self, _: &str) {}
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        let lines: Vec<&str> = wrap("Wrong PIN. Failed attempts: 12. Wait 4:00.", 20).collect();
        assert_eq!(lines, ["Wrong PIN. Failed", "attempts: 12. Wait", "4:00."]);
        let lines: Vec<&str> = wrap("abcdefghij", 4).collect();
        assert_eq!(lines, ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10).count(), 0);
    }

    #[test]
    fn seven_segment_table() {
        assert_eq!(segments(8), 0x7F);
        assert_eq!(segments(1), 0b000_0110);
        assert_eq!(segments(0) & 0x40, 0, "zero has no middle bar");
        assert_eq!(segments(42), 0x40, "anything else is a dash");
    }

    #[test]
    fn big_digits_light_their_segments() {
        let mut frame = Frame::screen();
        let size = BIG_DIGITS;
        draw_digit(&mut frame, 1, 0, 0, size, Rgb565::RED);
        // 1: right segments only.
        assert_eq!(frame.at(size.width - 1, size.height / 4), Rgb565::RED);
        assert_eq!(frame.at(0, size.height / 4), Rgb565::BLACK);
        assert_eq!(frame.at(size.width / 2, 2), Rgb565::BLACK);
        draw_digit(&mut frame, 8, 100, 0, size, Rgb565::RED);
        assert_eq!(frame.at(100 + size.width / 2, 2), Rgb565::RED, "top bar");
        assert_eq!(
            frame.at(100 + size.width / 2, size.height / 2),
            Rgb565::RED,
            "middle bar"
        );
        assert_eq!(big_text_width("12:34", size), 4 * 40 + 9 + 4 * 10);
    }

    #[test]
    fn the_lock_icon_is_drawn() {
        let mut frame = Frame::screen();
        draw_lock_icon(&mut frame, 10, 20, 48, true, Rgb565::RED);
        let body = frame.count(10, 40, 48, 48, Rgb565::RED);
        assert!(body > 1500, "body {body}");
        let shackle = frame.count(10, 20, 48, 19, Rgb565::RED);
        assert!(shackle > 100, "shackle {shackle}");
        assert_eq!(frame.at(34, 60), color::PAPER, "keyhole");
    }

    fn drive(keys: &[PrgmKey]) -> (App, Quiet) {
        let mut env = Quiet;
        let mut app = App::start(Opened::Fresh, &mut env);
        for &key in keys {
            app.handle(Event::Key(key), &mut env);
        }
        (app, env)
    }

    #[test]
    fn every_screen_draws() {
        use PrgmKey::*;
        let setup = SET_PIN_1234;
        let mut sequences: Vec<Vec<PrgmKey>> = vec![
            vec![],
            vec![F1, Digit1],
            vec![F2, Alpha, Log],
            vec![F1, Digit1, Digit2, Digit3, Digit4, Exe],
            setup.to_vec(),
        ];
        let after_setup: [&[PrgmKey]; 7] = [
            &[F1],
            &[F1, Digit5],
            &[F1, Exe, Exe],
            &[F6],
            &[F6, Digit4],
            &[F6, Exe],
            &[F6, Exe, Exit],
        ];
        for extra in after_setup {
            let mut keys = setup.to_vec();
            keys.extend_from_slice(extra);
            sequences.push(keys);
        }
        for keys in sequences {
            let (app, _) = drive(&keys);
            let mut frame = Frame::screen();
            draw(&mut frame, &app);
            let paper = frame.count(0, 0, WIDTH, HEIGHT, color::PAPER);
            assert!(
                paper > (WIDTH * HEIGHT) as usize / 3,
                "{:?}: the screen was drawn",
                app.screen()
            );
            assert!(
                frame.count(0, 0, WIDTH, prizm::ui::BAR_HEIGHT, color::PAPER) > 50,
                "header text"
            );
        }
        let mut frame = Frame::screen();
        let mut env = Quiet;
        let damaged = App::start(
            Opened::Unusable {
                first: CopyHealth::Damaged(crate::record::RecordError::BadChecksum),
                second: CopyHealth::Missing,
            },
            &mut env,
        );
        draw(&mut frame, &damaged);
        assert!(
            frame.count(0, 30, WIDTH, 60, color::ALARM) > 100,
            "the reason is shown in red"
        );
    }

    #[test]
    fn the_lock_screen_shows_a_red_header_and_the_clock() {
        use PrgmKey::*;
        let mut setup = SET_PIN_1234.to_vec();
        setup.push(F1); // lock
        let (app, _) = drive(&setup);
        assert!(app.is_locked());
        let mut frame = Frame::screen();
        draw(&mut frame, &app);
        assert_eq!(frame.at(200, 1), color::ALARM);
        assert!(
            frame.count(100, 32, WIDTH - 100, 70, color::INK) > 2000,
            "big digits"
        );
        assert!(
            frame.count(20, 30, 70, 80, color::ALARM) > 1000,
            "the lock icon"
        );
    }

    #[test]
    fn masked_field_never_draws_the_pin() {
        use PrgmKey::*;
        // With "show last character" off, the drawn field is stars only:
        // compare with a frame where the same number of other digits was typed.
        let mut setup = SET_PIN_1234.to_vec();
        setup.push(F1); // lock
        let mut first = setup.to_vec();
        first.extend_from_slice(&[Digit1, Digit2, Digit3]);
        let mut second = setup.to_vec();
        second.extend_from_slice(&[Digit9, Digit8, Digit7]);
        let (a, _) = drive(&first);
        let (b, _) = drive(&second);
        let (mut frame_a, mut frame_b) = (Frame::screen(), Frame::screen());
        draw(&mut frame_a, &a);
        draw(&mut frame_b, &b);
        assert!(
            frame_a.pixels() == frame_b.pixels(),
            "the screen does not depend on which digits were typed"
        );
    }

    #[test]
    fn busy_box() {
        let mut frame = Frame::screen();
        draw_busy(&mut frame, "Checking...");
        assert_eq!(frame.at(WIDTH / 2, 90), color::ACCENT);
    }
}
