//! The text viewer and editor screens.
//!
//! The viewer pages a file straight from storage (any size). F5 loads it
//! into memory for editing (refused, with the sizes, when it does not
//! fit); saving replaces the file atomically (`prizm::fs::write_atomic`),
//! and leaving with changes asks whether to save them.
//!
//! Both report their position on the debug channel for the emulator
//! tests: `text: view top=<row> offset=<byte> size=<bytes>` and
//! `text: edit cursor=<byte> row=<row> modified=<bool> size=<bytes>`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use prizm::display::text::Font;
use prizm::fs::{write_atomic, Path};
use prizm::keyboard::{self, Key};
use prizm::ui::{self, FKeyBar, Frame, Input, InputKind, InputState, Rect, Screen, Surface, TitleBar, THEME};
use prizm::Calculator;

use super::editor::Editor;
use super::pager::{Layout, Pager, Source};
use crate::files::device::FileSource;
use crate::files::tree::{file_name, FsError};

/// Rows of text on screen.
const ROWS: usize = 12;
/// Height of a row (the small font's line).
const ROW_HEIGHT: i32 = 12;
/// Left margin.
const LEFT: i32 = 3;
/// Width text may take (a 5-px scroll bar at the right).
const ROW_WIDTH: i32 = 372;

/// The small font's width of every printable byte, measured once.
fn layout(surface: &mut Screen<'_>) -> Layout {
    let mut widths = [0u8; 256];
    let mut buffer = [0u8; 4];
    for byte in 0x20u8..0x7F {
        let text = (byte as char).encode_utf8(&mut buffer);
        widths[byte as usize] = surface.text_width(text, Font::Small).clamp(1, 20) as u8;
    }
    // Shown as '.', so as wide as it.
    let dot = widths[b'.' as usize];
    for (byte, width) in widths.iter_mut().enumerate() {
        if !(0x20..0x7F).contains(&byte) {
            *width = dot;
        }
    }
    Layout {
        widths,
        row_width: ROW_WIDTH as u16,
    }
}

/// What a row's bytes look like on screen: tabs as a space, other
/// control and non-ASCII bytes as '.'.
fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| match byte {
            b'\t' => ' ',
            0x20..=0x7E => byte as char,
            _ => '.',
        })
        .collect()
}

fn report(line: &str, last: &mut String) {
    if prizm::debug::channel_available() && line != last.as_str() {
        prizm::debug_println!("text: {}", line);
        last.clear();
        last.push_str(line);
    }
}

fn draw_rows<S: Source>(
    surface: &mut Screen<'_>,
    pager: &mut Pager<S>,
    top: usize,
    caret: Option<usize>,
) -> Result<(), FsError> {
    let content = Frame::default().content();
    surface.fill_rect(content, THEME.background);
    let mut bytes = Vec::new();
    for index in 0..ROWS {
        let y = content.y + index as i32 * ROW_HEIGHT;
        let Some((start, end)) = pager.row_text(top + index, &mut bytes)? else {
            break;
        };
        let shown = printable(&bytes);
        surface.draw_text(LEFT, y, &shown, Font::Small, THEME.text, None);
        if let Some(cursor) = caret {
            let on_row = cursor >= start && cursor <= end;
            let next_row_takes_it = cursor == end && pager.row_start(top + index + 1)? == Some(cursor);
            if on_row && !next_row_takes_it {
                let before = printable(&bytes[..(cursor - start).min(bytes.len())]);
                let x = LEFT + surface.text_width(&before, Font::Small);
                surface.fill_rect(Rect::new(x, y, 2, ROW_HEIGHT - 1), THEME.accent);
            }
        }
    }
    Ok(())
}

fn scrollbar(surface: &mut Screen<'_>, offset: usize, size: usize) {
    let content = Frame::default().content();
    let track = Rect::new(content.right() - 4, content.y + 2, 3, content.height - 4);
    if size > 0 {
        // Position by bytes: the row count of a large file is not known
        // until it has been read to the end.
        let total = size.max(1);
        ui::draw_scrollbar(surface, track, offset.min(total), total / 20 + 1, total + total / 20 + 1);
    }
}

fn ask_text<const N: usize>(calculator: &mut Calculator, title: &str, prompt: &str, kind: InputKind) -> Option<heapless::String<N>> {
    let mut input = Input::new(title, prompt, InputState::<N>::new(kind));
    input.run(&mut calculator.display).filter(|text| !text.is_empty())
}

/// Views the file at `path` (a full path), with editing on F5.
pub fn view(calculator: &mut Calculator, path: &str) {
    let mut last = String::new();
    let mut top = 0usize;
    let mut layout_cache: Option<Layout> = None;
    loop {
        let source = match FileSource::open(path) {
            Ok(source) => source,
            Err(error) => {
                ui::message_box(&mut calculator.display, "Text", error.message());
                return;
            }
        };
        let size = source.len();
        let layout = match &layout_cache {
            Some(layout) => layout.clone(),
            None => {
                let measured = layout(&mut Screen::new(&mut calculator.display));
                layout_cache = Some(measured.clone());
                measured
            }
        };
        let mut pager = Pager::new(source, layout.clone());
        match view_pages(calculator, path, &mut pager, &mut top, &mut last) {
            ViewEnd::Leave => return,
            ViewEnd::Edit => {
                drop(pager);
                let mut data = Vec::new();
                let loaded = data
                    .try_reserve_exact(size + 256)
                    .map_err(|_| None)
                    .and_then(|()| {
                        data.resize(size, 0);
                        crate::files::tree::Tree::read_at(&mut crate::files::device::Storage, path, 0, &mut data)
                            .map_err(Some)
                    });
                match loaded {
                    Ok(read) => {
                        data.truncate(read);
                        edit(calculator, path, data, layout, &mut last);
                    }
                    Err(None) => {
                        let mut text: heapless::String<120> = heapless::String::new();
                        let free = prizm::allocator::stats().largest_free;
                        let _ = write!(
                            text,
                            "Too large to edit: {} needs {}, {} free.",
                            file_name(path),
                            crate::files::browser::format_size(size as u64 + 256),
                            crate::files::browser::format_size(free as u64)
                        );
                        ui::message_box(&mut calculator.display, "Text", &text);
                    }
                    Err(Some(error)) => ui::message_box(&mut calculator.display, "Text", error.message()),
                }
            }
        }
    }
}

enum ViewEnd {
    Leave,
    Edit,
}

fn view_pages(
    calculator: &mut Calculator,
    path: &str,
    pager: &mut Pager<FileSource>,
    top: &mut usize,
    last: &mut String,
) -> ViewEnd {
    let size = pager.source.len();
    let mut notice: Option<&'static str> = None;
    loop {
        // A file may have shrunk since the last view (after an edit).
        while *top > 0 && matches!(pager.row_start(*top), Ok(None)) {
            *top -= 1;
        }
        let offset = pager.row_start(*top).ok().flatten().unwrap_or(0);
        {
            let mut surface = Screen::new(&mut calculator.display);
            let mut status: heapless::String<16> = heapless::String::new();
            let percent = if size == 0 { 100 } else { (offset as u64 * 100 / size as u64) as u32 };
            let _ = write!(status, "{percent}%");
            TitleBar::new(file_name(path)).with_status(&status).draw(&mut surface, Frame::default().title());
            if let Err(error) = draw_rows(&mut surface, pager, *top, None) {
                notice = Some(error.message());
            }
            scrollbar(&mut surface, offset, size);
            match notice.take() {
                Some(text) => ui::draw_hint_bar(&mut surface, text, THEME.fkey_background, THEME.fkey_text),
                None => FKeyBar::new()
                    .with(0, "Find")
                    .with(1, "Line")
                    .with(2, "Top")
                    .with(3, "End")
                    .with(4, "Edit")
                    .draw(&mut surface),
            }
        }
        let mut line: heapless::String<80> = heapless::String::new();
        let _ = write!(line, "view top={} offset={} size={}", *top, offset, size);
        report(&line, last);
        match keyboard::get_key() {
            Key::Exit => return ViewEnd::Leave,
            Key::Up => *top = top.saturating_sub(1),
            Key::Down => {
                if matches!(pager.row_start(*top + ROWS), Ok(Some(_))) {
                    *top += 1;
                }
            }
            Key::Left => *top = top.saturating_sub(ROWS - 1),
            Key::Right => {
                for _ in 0..ROWS - 1 {
                    if !matches!(pager.row_start(*top + ROWS), Ok(Some(_))) {
                        break;
                    }
                    *top += 1;
                }
            }
            Key::F3 => *top = 0,
            Key::F4 => {
                if let Ok(rows) = pager.rows() {
                    *top = rows.saturating_sub(ROWS);
                }
            }
            Key::F1 => {
                if let Some(needle) = ask_text::<32>(calculator, "Find", "Text to find:", InputKind::Text) {
                    let from = pager.row_start(*top + 1).ok().flatten().unwrap_or(size);
                    match pager.find(needle.as_bytes(), from, false) {
                        Ok(Some(found)) => *top = pager.row_of(found).unwrap_or(*top),
                        Ok(None) => notice = Some("Not found below."),
                        Err(error) => notice = Some(error.message()),
                    }
                }
            }
            Key::F2 => {
                if let Some(number) = ask_text::<9>(calculator, "Go to line", "Line number:", InputKind::Digits) {
                    let line_number = number.parse::<usize>().unwrap_or(0);
                    match pager.line_start(line_number) {
                        Ok(Some(start)) => *top = pager.row_of(start).unwrap_or(*top),
                        Ok(None) => notice = Some("The file has fewer lines."),
                        Err(error) => notice = Some(error.message()),
                    }
                }
            }
            Key::F5 => return ViewEnd::Edit,
            _ => {}
        }
    }
}

/// Edits `data` (the contents of `path`); saves on F6 or when leaving
/// with changes and the answer is Yes.
fn edit(calculator: &mut Calculator, path: &str, data: Vec<u8>, layout: Layout, last: &mut String) {
    // New lines as the file has them.
    let line_break: &[u8] = if data.windows(2).any(|w| w == b"\r\n") { b"\r\n" } else { b"\n" };
    let mut editor = Editor::new(data, layout);
    let mut top = 0usize;
    let mut notice: Option<&'static str> = None;
    loop {
        let (row, _) = editor.position().unwrap_or((0, 0));
        if row < top {
            top = row;
        } else if row >= top + ROWS {
            top = row + 1 - ROWS;
        }
        {
            let mut surface = Screen::new(&mut calculator.display);
            let mut title: heapless::String<80> = heapless::String::new();
            let _ = write!(title, "{}{}", if editor.modified { "*" } else { "" }, file_name(path));
            TitleBar::new(&title).with_status("Edit").draw(&mut surface, Frame::default().title());
            if let Err(error) = draw_rows(&mut surface, &mut editor.pager, top, Some(editor.cursor)) {
                notice = Some(error.message());
            }
            scrollbar(&mut surface, editor.cursor, editor.text().len());
            match notice.take() {
                Some(text) => ui::draw_hint_bar(&mut surface, text, THEME.fkey_background, THEME.fkey_text),
                None => FKeyBar::new().with(0, "Find").with(1, "Line").with(5, "Save").draw(&mut surface),
            }
        }
        let mut line: heapless::String<96> = heapless::String::new();
        let _ = write!(
            line,
            "edit cursor={} row={} modified={} size={}",
            editor.cursor,
            row,
            editor.modified,
            editor.text().len()
        );
        report(&line, last);
        let key = keyboard::get_key();
        match key {
            Key::Exit => {
                if editor.modified && ui::confirm(&mut calculator.display, "Text", "Save changes?") {
                    if let Err(error) = save(path, editor.text()) {
                        ui::message_box(&mut calculator.display, "Not saved", error.message());
                        continue;
                    }
                }
                return;
            }
            Key::F6 => match save(path, editor.text()) {
                Ok(()) => {
                    editor.modified = false;
                    notice = Some("Saved.");
                }
                Err(error) => notice = Some(error.message()),
            },
            Key::Left => editor.step(false),
            Key::Right => editor.step(true),
            Key::Up => {
                let _ = editor.vertical(false);
            }
            Key::Down => {
                let _ = editor.vertical(true);
            }
            Key::Del => editor.delete_back(),
            Key::Exe => {
                if editor.insert(line_break).is_err() {
                    notice = Some("Memory is full.");
                }
            }
            Key::F1 => {
                if let Some(needle) = ask_text::<32>(calculator, "Find", "Text to find:", InputKind::Text) {
                    match editor.pager.find(needle.as_bytes(), editor.cursor + 1, false) {
                        Ok(Some(found)) => editor.cursor = found,
                        _ => notice = Some("Not found below."),
                    }
                }
            }
            Key::F2 => {
                if let Some(number) = ask_text::<9>(calculator, "Go to line", "Line number:", InputKind::Digits) {
                    match editor.pager.line_start(number.parse::<usize>().unwrap_or(0)) {
                        Ok(Some(start)) => editor.cursor = start,
                        _ => notice = Some("The file has fewer lines."),
                    }
                }
            }
            other => {
                if let Some(character) = other.as_char() {
                    let mut buffer = [0u8; 4];
                    if editor.insert(character.encode_utf8(&mut buffer).as_bytes()).is_err() {
                        notice = Some("Memory is full.");
                    }
                }
            }
        }
    }
}

/// Replaces the file atomically: a power cut leaves the old or the new
/// text, never half of it.
fn save(path: &str, text: &[u8]) -> Result<(), FsError> {
    crate::files::journal::begin(path);
    write_atomic(&Path::new(path)?, text)?;
    crate::files::journal::end();
    Ok(())
}
