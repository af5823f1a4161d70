//! The file manager's screens: the folder list, the F6 menu, file
//! information with hashes, search results, and the questions a paste
//! asks.
//!
//! Keys: arrows move (LEFT/RIGHT by pages), EXE opens, EXIT goes up (and
//! leaves at the root), F1 marks, F2 copies, F3 cuts, F4 pastes, F5
//! deletes, F6 more (rename, new folder, sort, search, invert selection,
//! statistics, information), OPTN file information.
//!
//! The screen reports itself on the debug channel for the emulator tests:
//! `files: dir=<path> cursor=<name> marked=<n> clipboard=<n>`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use prizm::display::text::Font;
use prizm::keyboard::{self, Key, PrgmKey};
use prizm::ui::{
    self, draw_progress, FKeyBar, Frame, Input, InputKind, InputState, Menu, Rect, Screen, Surface, TitleBar, THEME,
};
use prizm::Calculator;

use super::browser::{count, format_size, kind_of, Browser, FileKind};
use super::device::Storage;
use super::hash::{hash_file, hex};
use super::plan::{self, Conflict, Operation, Plan};
use super::search::{self, Outcome, Query};
use super::sort::Order;
use super::tree::{display, file_name, join, split, Tree};

/// Rows of entries on screen.
const ROWS: usize = 6;
/// Height of a row.
const ROW_HEIGHT: i32 = 24;
/// The main-memory item keeping the sort order.
const SORT_ITEM: &str = "FMSORT";

fn saved_order() -> Order {
    let mut byte = [0u8; 1];
    match crate::system::store::read(SORT_ITEM, &mut byte) {
        Some(1) => Order::ALL.get(byte[0] as usize).copied().unwrap_or(Order::NameAscending),
        _ => Order::NameAscending,
    }
}

/// Asks for a sort order and keeps it; `None` on EXIT.
fn ask_sort(calculator: &mut Calculator, current: Order) -> Option<Order> {
    let labels: Vec<&str> = Order::ALL.iter().map(|order| order.label()).collect();
    let mut menu = Menu::new("Sort order", &labels);
    menu.state.select(Order::ALL.iter().position(|&o| o == current).unwrap_or(0));
    let index = menu.run(&mut calculator.display)?;
    let _ = crate::system::store::write(SORT_ITEM, &[index as u8]);
    Some(Order::ALL[index])
}

/// The sort order setting on its own (for the settings screen).
pub fn choose_sort(calculator: &mut Calculator) {
    let _ = ask_sort(calculator, saved_order());
}

/// Runs the file manager until EXIT at the root.
pub fn run(calculator: &mut Calculator) {
    if let Some(path) = super::journal::recover_pending() {
        prizm::debug_println!("files: recovered {}", path);
    }
    let mut tree = Storage;
    let mut browser = Browser::new(saved_order());
    if let Err(error) = browser.reload(&mut tree) {
        ui::message_box(&mut calculator.display, "Files", error.message());
        return;
    }
    let mut last = String::new();
    let mut notice: Option<String> = None;
    loop {
        draw(&mut Screen::new(&mut calculator.display), &browser, notice.take().as_deref());
        report(&browser, &mut last);
        let result = match keyboard::get_key() {
            key @ (Key::Up | Key::Down | Key::Left | Key::Right) => {
                let page = ROWS as isize;
                let delta = match key {
                    Key::Up => -1,
                    Key::Down => 1,
                    Key::Left => -page,
                    _ => page,
                };
                browser.move_cursor(delta, ROWS);
                Ok(())
            }
            Key::Exit => match browser.leave(&mut tree) {
                Ok(false) => return,
                other => other.map(|_| ()),
            },
            Key::Exe => open(calculator, &mut tree, &mut browser),
            Key::F1 => {
                browser.toggle();
                browser.move_cursor(1, ROWS);
                Ok(())
            }
            key @ (Key::F2 | Key::F3) => {
                let operation = if key == Key::F2 { Operation::Copy } else { Operation::Move };
                let count = browser.to_clipboard(operation);
                let verb = if key == Key::F2 { "Copied" } else { "Cut" };
                notice = Some(format!("{verb} {count}: open a folder, [F4] pastes."));
                Ok(())
            }
            Key::Optn => info(calculator, &mut tree, &mut browser),
            Key::F4 => paste(calculator, &mut tree, &mut browser).map(|text| notice = text),
            Key::F5 => delete(calculator, &mut tree, &mut browser).map(|text| notice = text),
            Key::F6 => more(calculator, &mut tree, &mut browser).map(|text| notice = text),
            _ => Ok(()),
        };
        if let Err(error) = result {
            notice = Some(error.message().into());
            let _ = browser.reload(&mut tree);
        }
    }
}

fn report(browser: &Browser, last: &mut String) {
    if !prizm::debug::channel_available() {
        return;
    }
    let mut line = String::new();
    let _ = write!(
        line,
        "dir={} cursor={} marked={} clipboard={} entries={}",
        browser.dir,
        browser.current().map_or("", |entry| entry.name.as_str()),
        browser.marked(),
        browser.clipboard.as_ref().map_or(0, |clipboard| clipboard.paths.len()),
        browser.entries.len()
    );
    if line != *last {
        prizm::debug_println!("files: {}", line);
        *last = line;
    }
}

fn icon(surface: &mut Screen<'_>, x: i32, y: i32, kind: FileKind) {
    use prizm::display::Rgb565;
    let (color, label) = match kind {
        FileKind::Folder => (Rgb565::new(30, 48, 4), ""),
        FileKind::Text => (Rgb565::new(6, 24, 28), "T"),
        FileKind::Picture => (Rgb565::new(4, 42, 8), "P"),
        FileKind::AddIn => (Rgb565::new(26, 10, 6), "A"),
        FileKind::CasioData => (Rgb565::new(18, 12, 26), "C"),
        FileKind::Other => (Rgb565::new(16, 32, 16), ""),
    };
    if kind == FileKind::Folder {
        // A tab over a body.
        surface.fill_rect(Rect::new(x, y + 2, 8, 3), color);
        surface.fill_rect(Rect::new(x, y + 4, 18, 12), color);
        return;
    }
    surface.fill_rect(Rect::new(x + 2, y, 14, 17), color);
    surface.fill_rect(Rect::new(x + 4, y + 2, 10, 13), THEME.background);
    if !label.is_empty() {
        surface.draw_text(x + 6, y + 3, label, Font::Small, color, None);
    }
}

fn draw(surface: &mut Screen<'_>, browser: &Browser, notice: Option<&str>) {
    let frame = Frame::default();
    let mut status: heapless::String<24> = heapless::String::new();
    if browser.marked() > 0 {
        let _ = write!(status, "{} marked", browser.marked());
    } else {
        let _ = status.push_str(&count(browser.entries.len() as u64, "item"));
    }
    ui::draw_screen(surface, &frame, "");
    TitleBar::new(display(&browser.dir)).with_status(&status).draw(surface, frame.title());
    let content = frame.content();
    if browser.entries.is_empty() {
        surface.draw_text(10, content.y + 10, "Empty folder.", Font::Medium, THEME.dim_text, None);
    }
    let end = (browser.first + ROWS).min(browser.entries.len());
    for (row, index) in (browser.first..end).enumerate() {
        let entry = &browser.entries[index];
        let y = content.y + row as i32 * ROW_HEIGHT;
        let selected = index == browser.cursor;
        let marked = browser.selected.get(index).copied().unwrap_or(false);
        let (foreground, background) = match (selected, marked) {
            (true, _) => (THEME.selection_text, THEME.selection_background),
            (false, true) => (THEME.text, THEME.field_background),
            (false, false) => (THEME.text, THEME.background),
        };
        surface.fill_rect(Rect::new(0, y, content.width - 6, ROW_HEIGHT), background);
        if marked {
            // A bar at the left edge, visible on the highlight too.
            let bar = if selected { THEME.selection_text } else { THEME.accent };
            surface.fill_rect(Rect::new(1, y + 3, 4, ROW_HEIGHT - 6), bar);
        }
        icon(surface, 8, y + 3, kind_of(&entry.name, entry.is_dir));
        let size = if entry.is_dir { heapless::String::new() } else { format_size(u64::from(entry.size)) };
        let size_width = surface.text_width(&size, Font::Small);
        let right = content.width - 10;
        ui::text::draw_truncated(
            surface,
            32,
            y + 3,
            &entry.name,
            right - size_width - 40,
            Font::Medium,
            foreground,
            None,
        );
        surface.draw_text(right - size_width, y + 6, &size, Font::Small, foreground, None);
    }
    let track = Rect::new(content.right() - 4, content.y + 2, 3, content.height - 4);
    ui::draw_scrollbar(surface, track, browser.first, ROWS, browser.entries.len());
    match notice {
        Some(text) => ui::draw_hint_bar(surface, text, THEME.field_background, THEME.text),
        None => {
            let mut bar = FKeyBar::new()
                .with(0, "Mark")
                .with(1, "Copy")
                .with(2, "Cut")
                .with(4, "Delete")
                .with(5, "More");
            if browser.clipboard.is_some() {
                bar = bar.with(3, "Paste");
            }
            bar.draw(surface)
        }
    }
}

/// EXE: a folder opens here, a JPEG in the picture viewer, anything else
/// in the text viewer.
fn open(calculator: &mut Calculator, tree: &mut Storage, browser: &mut Browser) -> Result<(), super::tree::FsError> {
    if browser.enter(tree)? {
        return Ok(());
    }
    let (Some(entry), Some(path)) = (browser.current().cloned(), browser.current_path()) else {
        return Ok(());
    };
    if kind_of(&entry.name, false) == FileKind::Picture {
        let pictures: Vec<String> = browser
            .entries
            .iter()
            .filter(|e| !e.is_dir && kind_of(&e.name, false) == FileKind::Picture)
            .map(|e| e.name.clone())
            .collect();
        if super::open_picture(calculator, &path, &pictures) {
            return Ok(());
        }
    }
    crate::text::view(calculator, &path);
    browser.reload(tree)
}

fn ask_name(calculator: &mut Calculator, title: &str, current: &str) -> Option<heapless::String<64>> {
    let state = InputState::<64>::new(InputKind::Text).with_text(current);
    Input::new(title, "Name:", state)
        .run(&mut calculator.display)
        .filter(|name| !name.is_empty())
}

/// Runs `plan` with a progress box; AC/ON stops between steps.
fn carry_out(calculator: &mut Calculator, tree: &mut Storage, title: &str, plan: &Plan) -> Option<String> {
    let mut stopped = false;
    let result = plan::execute(tree, plan, &mut |done, total| {
        draw_progress(&mut Screen::new(&mut calculator.display), title, done as u32, total as u32);
        prizm::display::put_display();
        if keyboard::poll_key() == Some(PrgmKey::AcOn) {
            stopped = true;
            return false;
        }
        true
    });
    Some(match result {
        Ok(done) if stopped => format!("Stopped after {done} of {} steps.", plan.steps.len()),
        Ok(_) => format!("{title}: done."),
        Err((done, error)) => format!("Step {} failed: {}", done + 1, error.message()),
    })
}

fn paste(calculator: &mut Calculator, tree: &mut Storage, browser: &mut Browser) -> Result<Option<String>, super::tree::FsError> {
    let Some(clipboard) = browser.clipboard.clone() else {
        return Ok(Some("The clipboard is empty: [F2] copies, [F3] cuts.".into()));
    };
    let target = browser.dir.clone();
    let planned = {
        let display = &mut calculator.display;
        plan::plan_paste(tree, clipboard.operation, &clipboard.paths, &target, &mut |path, is_dir| {
            let title = format!("{} exists", file_name(path));
            let replace = if is_dir { "Merge into it" } else { "Replace it" };
            let items = ["Skip", replace, "Keep both"];
            let answer = Menu::new(&title, &items).run(display)?;
            Some([Conflict::Skip, Conflict::Replace, Conflict::KeepBoth][answer])
        })
    };
    let plan = match planned {
        Ok(plan) => plan,
        Err(error) => return Ok(Some(error.message().into())),
    };
    if plan.steps.is_empty() {
        return Ok(Some("Nothing to paste.".into()));
    }
    // Each copy needs its size free while the old target still exists.
    if let Ok(free) = prizm::fs::free_space() {
        let largest = plan
            .steps
            .iter()
            .map(|step| match step {
                plan::Step::CopyFile { size, .. } => u64::from(*size),
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        let needed = if clipboard.operation == Operation::Move { largest } else { plan.bytes() };
        if needed > u64::from(free) {
            return Ok(Some(format!("Needs {}, {} free.", format_size(needed), format_size(u64::from(free)))));
        }
    }
    let title = if clipboard.operation == Operation::Move { "Moving" } else { "Copying" };
    let message = carry_out(calculator, tree, title, &plan);
    if clipboard.operation == Operation::Move {
        browser.clipboard = None;
    }
    browser.reload(tree)?;
    Ok(message)
}

fn delete(calculator: &mut Calculator, tree: &mut Storage, browser: &mut Browser) -> Result<Option<String>, super::tree::FsError> {
    let chosen = browser.chosen();
    if chosen.is_empty() {
        return Ok(None);
    }
    let question = if chosen.len() == 1 {
        format!("Delete {}?", file_name(&chosen[0]))
    } else {
        format!("Delete {} items?", chosen.len())
    };
    if !ui::confirm(&mut calculator.display, "Delete", &question) {
        return Ok(None);
    }
    let plan = match plan::plan_delete(tree, &chosen) {
        Ok(plan) => plan,
        Err(error) => return Ok(Some(error.message().into())),
    };
    let message = carry_out(calculator, tree, "Deleting", &plan);
    browser.reload(tree)?;
    Ok(message)
}

const MORE: [&str; 8] = [
    "Rename",
    "New folder",
    "Sort order",
    "Search",
    "Invert selection",
    "Folder statistics",
    "File information",
    "Clear clipboard",
];

fn more(calculator: &mut Calculator, tree: &mut Storage, browser: &mut Browser) -> Result<Option<String>, super::tree::FsError> {
    let Some(choice) = Menu::new("Files", &MORE).run(&mut calculator.display) else {
        return Ok(None);
    };
    match choice {
        0 => {
            let Some(entry) = browser.current().cloned() else {
                return Ok(None);
            };
            let Some(name) = ask_name(calculator, "Rename", &entry.name) else {
                return Ok(None);
            };
            // One OS call: the entry has its old name or its new one.
            tree.rename(&join(&browser.dir, &entry.name), &join(&browser.dir, &name))?;
            browser.reload(tree)?;
            if let Some(index) = browser.entries.iter().position(|e| e.name == name.as_str()) {
                browser.cursor = index;
                browser.scroll(ROWS);
            }
            Ok(None)
        }
        1 => {
            let Some(name) = ask_name(calculator, "New folder", "") else {
                return Ok(None);
            };
            tree.make_dir(&join(&browser.dir, &name))?;
            browser.reload(tree)?;
            if let Some(index) = browser.entries.iter().position(|e| e.name == name.as_str()) {
                browser.cursor = index;
                browser.scroll(ROWS);
            }
            Ok(None)
        }
        2 => {
            if let Some(order) = ask_sort(calculator, browser.order) {
                browser.order = order;
                browser.reload(tree)?;
            }
            Ok(None)
        }
        3 => find(calculator, tree, browser),
        4 => {
            browser.invert();
            Ok(None)
        }
        5 => {
            let stats = search::statistics(tree, &browser.dir)?;
            let text = format!(
                "{}, {}\n{} in files\nLargest file: {}",
                count(u64::from(stats.files), "file"),
                count(u64::from(stats.folders), "folder"),
                format_size(stats.bytes),
                format_size(u64::from(stats.largest))
            );
            ui::message_box(&mut calculator.display, display(&browser.dir), &text);
            Ok(None)
        }
        6 => info(calculator, tree, browser).map(|()| None),
        _ => {
            browser.clipboard = None;
            Ok(Some("Clipboard cleared.".into()))
        }
    }
}

/// Search: the text, then its options, then the results (EXE goes to
/// one). AC/ON stops a running search.
fn find(calculator: &mut Calculator, tree: &mut Storage, browser: &mut Browser) -> Result<Option<String>, super::tree::FsError> {
    let Some(text) = Input::new("Search", "Find:", InputState::<32>::new(InputKind::Text))
        .run(&mut calculator.display)
        .filter(|text| !text.is_empty())
    else {
        return Ok(None);
    };
    let mut query = Query {
        text: text.as_str().into(),
        names: true,
        contents: true,
        match_case: false,
        recursive: true,
    };
    loop {
        let on = |flag: bool| if flag { "on" } else { "off" };
        let items = [
            String::from("Start search"),
            format!("In names: {}", on(query.names)),
            format!("In contents: {}", on(query.contents)),
            format!("Match case: {}", on(query.match_case)),
            format!("In subfolders: {}", on(query.recursive)),
        ];
        let labels: Vec<&str> = items.iter().map(String::as_str).collect();
        match Menu::new("Search options", &labels).run(&mut calculator.display) {
            None => return Ok(None),
            Some(0) => break,
            Some(1) => query.names = !query.names,
            Some(2) => query.contents = !query.contents,
            Some(3) => query.match_case = !query.match_case,
            _ => query.recursive = !query.recursive,
        }
    }
    let mut hits: Vec<String> = Vec::new();
    draw_progress(&mut Screen::new(&mut calculator.display), "Searching ([AC] stops)", 0, 1);
    prizm::display::put_display();
    let outcome = search::search(
        tree,
        &browser.dir,
        &query,
        &mut || keyboard::poll_key() == Some(PrgmKey::AcOn),
        &mut |path| hits.push(path.into()),
    )?;
    prizm::debug_println!("files: search hits={} aborted={}", hits.len(), outcome == Outcome::Aborted);
    if hits.is_empty() {
        return Ok(Some(if outcome == Outcome::Aborted { "Search stopped.".into() } else { "Nothing found.".into() }));
    }
    let labels: Vec<&str> = hits.iter().map(|path| display(path)).collect();
    let title = format!("{} found{}", hits.len(), if outcome == Outcome::Aborted { " (stopped)" } else { "" });
    let Some(choice) = Menu::new(&title, &labels).run(&mut calculator.display) else {
        return Ok(None);
    };
    let (Some(parent), name) = split(&hits[choice]) else {
        return Ok(None);
    };
    let name = String::from(name);
    browser.dir = parent.into();
    browser.reload(tree)?;
    if let Some(index) = browser.entries.iter().position(|entry| entry.name == name) {
        browser.cursor = index;
        browser.first = index.saturating_sub(ROWS - 1);
    }
    Ok(None)
}

/// File information: name, folder, size, kind; F1 computes SHA-1 and
/// SHA-256; LEFT/RIGHT (or F5/F6) go to the previous/next file; EXE
/// opens it.
fn info(calculator: &mut Calculator, tree: &mut Storage, browser: &mut Browser) -> Result<(), super::tree::FsError> {
    let Some(mut entry) = browser.current().cloned() else {
        return Ok(());
    };
    let mut digests: Option<super::hash::Digests> = None;
    loop {
        {
            let mut surface = Screen::new(&mut calculator.display);
            let frame = Frame::default();
            ui::draw_screen(&mut surface, &frame, "File information");
            let content = frame.content();
            let kind = match kind_of(&entry.name, entry.is_dir) {
                FileKind::Folder => "Folder",
                FileKind::Text => "Text",
                FileKind::Picture => "JPEG picture",
                FileKind::AddIn => "Add-in",
                FileKind::CasioData => "Calculator data",
                FileKind::Other => "File",
            };
            let size = format!("{} ({} bytes)", format_size(u64::from(entry.size)), entry.size);
            let lines: [(&str, &str); 4] = [("Name", &entry.name), ("Folder", display(&browser.dir)), ("Size", &size), ("Type", kind)];
            for (index, (label, value)) in lines.iter().enumerate() {
                let y = content.y + 4 + index as i32 * 16;
                surface.draw_text(6, y, label, Font::Small, THEME.dim_text, None);
                ui::text::draw_truncated(&mut surface, 60, y, value, 316, Font::Small, THEME.text, None);
            }
            if let Some(found) = &digests {
                let sha1 = hex::<40>(&found.sha1);
                let sha256 = hex::<64>(&found.sha256);
                let y = content.y + 4 + 4 * 16;
                surface.draw_text(6, y, "SHA-1", Font::Small, THEME.dim_text, None);
                surface.draw_text(60, y, &sha1, Font::Small, THEME.text, None);
                surface.draw_text(6, y + 14, "SHA-256", Font::Small, THEME.dim_text, None);
                surface.draw_text(60, y + 14, &sha256[..32], Font::Small, THEME.text, None);
                surface.draw_text(60, y + 28, &sha256[32..], Font::Small, THEME.text, None);
            }
            let mut bar = FKeyBar::new().with(4, "Prev").with(5, "Next");
            if !entry.is_dir {
                bar = bar.with(0, "Hash");
            }
            bar.draw(&mut surface);
        }
        match keyboard::get_key() {
            Key::Exit => return Ok(()),
            Key::F1 if !entry.is_dir => {
                let path = join(&browser.dir, &entry.name);
                let size = entry.size.max(1);
                let display = &mut calculator.display;
                digests = hash_file(tree, &path, &mut |done| {
                    draw_progress(&mut Screen::new(display), "Hashing ([AC] stops)", done as u32, size);
                    prizm::display::put_display();
                    keyboard::poll_key() == Some(PrgmKey::AcOn)
                })?;
                if let Some(found) = &digests {
                    prizm::debug_println!(
                        "files: hash {} sha1={} sha256={}",
                        entry.name,
                        hex::<40>(&found.sha1),
                        hex::<64>(&found.sha256)
                    );
                }
            }
            key @ (Key::Left | Key::Right | Key::F5 | Key::F6) => {
                let (previous, next) = browser.file_neighbours(&entry.name);
                let target = if matches!(key, Key::Left | Key::F5) { previous } else { next };
                if let Some(found) = target.cloned() {
                    if let Some(index) = browser.entries.iter().position(|e| e.name == found.name) {
                        browser.cursor = index;
                        browser.scroll(ROWS);
                    }
                    entry = found;
                    digests = None;
                }
            }
            Key::Exe => {
                open(calculator, tree, browser)?;
                return Ok(());
            }
            _ => {}
        }
    }
}
