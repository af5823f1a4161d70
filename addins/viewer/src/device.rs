//! The add-in on the calculator: the browser and the resume offer.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use prizm::debug_println;
use prizm::display::text::Font;
use prizm::display::{self, Display};
use prizm::fs::{self, File, OpenMode, Path};
use prizm::keyboard::{self, Key};
use prizm::mcs;
use prizm::ui::{self, FKeyBar, Frame, MenuEvent, MenuState, Rect, Screen, Surface, THEME};
use prizm_image_view::screen::{self, Closed, Host, Prefetched, Step, ViewState};
use prizm_jpeg::Decoder;

use crate::logic::{self, Entry, Memory, Order};

prizm::entry!(main);

const FOLDER: &str = "@JPEGVW";
const ITEM: &str = "State";
/// Rows of the list (the title bar and the F-key bar take the rest).
const ROW_HEIGHT: i32 = 19;

fn load_memory() -> Option<Memory> {
    let folder = mcs::Name::new(FOLDER).ok()?;
    let item = mcs::Name::new(ITEM).ok()?;
    let mut buffer = [0u8; 600];
    let n = mcs::get(&folder, &item, &mut buffer).ok()?;
    Memory::decode(buffer.get(..n)?)
}

fn save_memory(memory: &Memory) {
    let (Ok(folder), Ok(item)) = (mcs::Name::new(FOLDER), mcs::Name::new(ITEM)) else {
        return;
    };
    if mcs::store(&folder, &item, &memory.encode()).is_err() {
        debug_println!("viewer: could not save the state in main memory");
    }
}

/// The browser: one folder's listing, sorted, with a selection.
struct Browser {
    folder: Path,
    entries: Vec<Entry>,
    order: Order,
    state: MenuState,
    error: Option<&'static str>,
}

impl Browser {
    fn new(folder: Path, order: Order, display: &mut Display) -> Browser {
        let mut browser = Browser {
            folder,
            entries: Vec::new(),
            order,
            state: MenuState::new(0, 1),
            error: None,
        };
        browser.load(display);
        browser
    }

    /// Reads the folder (and, for the date order, each picture's EXIF date).
    fn load(&mut self, display: &mut Display) {
        self.entries.clear();
        self.error = None;
        match fs::read_dir(&self.folder) {
            Ok(listing) => {
                for entry in listing {
                    match entry {
                        // The OS tells folders only by a size of 0, so an
                        // empty JPEG file would look like a folder: a
                        // JPEG name counts as a file.
                        Ok(e) if e.is_dir() || logic::is_jpeg(e.name()) => {
                            self.entries.push(Entry {
                                name: String::from(e.name()),
                                size: e.size(),
                                is_dir: e.is_dir() && !logic::is_jpeg(e.name()),
                                date: None,
                            })
                        }
                        Ok(_) => {}
                        Err(e) => {
                            self.error = Some(e.message());
                            break;
                        }
                    }
                }
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.apply_order(display);
        debug_println!(
            "viewer: browser {} {} entries",
            self.folder.as_str(),
            self.entries.len()
        );
    }

    fn apply_order(&mut self, display: &mut Display) {
        if self.order == Order::Date {
            // Each file's headers are read: say so in a folder of many.
            let total = self.entries.len() as u32;
            for (i, entry) in self.entries.iter_mut().enumerate() {
                if entry.is_dir || entry.date.is_some() {
                    continue;
                }
                if total > 20 && i % 10 == 0 {
                    ui::show_progress(display, "Reading dates", i as u32, total);
                }
                entry.date = self
                    .folder
                    .join(&entry.name)
                    .ok()
                    .and_then(|p| exif_date(&p));
            }
        }
        logic::sort(&mut self.entries, self.order);
        self.state.set_len(self.entries.len());
    }

    /// The selected entry, when it is a picture small enough to prefetch.
    fn selected_picture(&self) -> Option<Path> {
        let entry = self.entries.get(self.state.selected())?;
        if entry.is_dir || u64::from(entry.size) > screen::PREFETCH_MAX_BYTES {
            return None;
        }
        self.folder.join(&entry.name).ok()
    }

    fn select_name(&mut self, name: &str) {
        if let Some(i) = self.entries.iter().position(|e| e.name == name) {
            self.state.select(i);
        }
    }

    fn draw(&mut self, display: &mut Display) {
        let frame = Frame::new(false, true);
        let content = frame.content();
        let rows = (content.height / ROW_HEIGHT).max(1) as usize;
        self.state.set_visible_rows(rows);
        let mut screen = Screen::new(display);
        let mut title: heapless::String<80> = heapless::String::new();
        let _ = write!(title, "{} ({})", self.folder.as_str(), self.order.label());
        ui::draw_screen(&mut screen, &frame, &title);
        if let Some(error) = self.error {
            screen.draw_text(
                content.x + 6,
                content.y + 6,
                error,
                Font::Medium,
                THEME.text,
                None,
            );
        } else if self.entries.is_empty() {
            screen.draw_text(
                content.x + 6,
                content.y + 6,
                "No folders or JPEG files here",
                Font::Medium,
                THEME.dim_text,
                None,
            );
        }
        let scrollbar = self.entries.len() > rows;
        let width = content.width - if scrollbar { 6 } else { 0 };
        for (row, index) in self.state.visible_range().enumerate() {
            let Some(entry) = self.entries.get(index) else {
                break;
            };
            let rect = Rect::new(
                content.x,
                content.y + row as i32 * ROW_HEIGHT,
                width,
                ROW_HEIGHT,
            );
            let selected = index == self.state.selected();
            let (fg, bg) = if selected {
                (THEME.selection_text, THEME.selection_background)
            } else {
                (THEME.text, THEME.background)
            };
            screen.fill_rect(rect, bg);
            let y = rect.y + 1;
            let size = if entry.is_dir {
                heapless::String::try_from("folder").unwrap_or_default()
            } else {
                logic::size_text(entry.size)
            };
            let size_width = screen.text_width(&size, Font::Medium);
            let size_x = rect.right() - 4 - size_width;
            screen.draw_text(
                size_x,
                y,
                &size,
                Font::Medium,
                if selected { fg } else { THEME.dim_text },
                None,
            );
            let mut name: heapless::String<260> = heapless::String::new();
            let _ = write!(
                name,
                "{}{}",
                if entry.is_dir { "\\" } else { "" },
                entry.name
            );
            ui::text::draw_truncated(
                &mut screen,
                rect.x + 4,
                y,
                &name,
                size_x - rect.x - 12,
                Font::Medium,
                fg,
                None,
            );
        }
        let track = Rect::new(content.right() - 4, content.y + 2, 3, content.height - 4);
        ui::draw_scrollbar(
            &mut screen,
            track,
            self.state.first_visible(),
            rows,
            self.entries.len(),
        );
        FKeyBar::new()
            .with(0, "Name")
            .with(1, "Date")
            .with(2, "Size")
            .draw(&mut screen);
    }
}

/// The EXIF date of a JPEG file (headers only), for the date order.
fn exif_date(path: &Path) -> Option<heapless::String<20>> {
    let file = File::open(path, OpenMode::Read).ok()?;
    let decoder = Decoder::new(file).ok()?;
    let info = decoder.info();
    let date = info.exif.date_time?;
    heapless::String::try_from(date.as_str()).ok()
}

/// Next and previous pictures come from the browser's listing.
struct BrowserHost<'a> {
    browser: &'a Browser,
    memory: &'a mut Memory,
}

impl Host for BrowserHost<'_> {
    fn neighbour(&mut self, current: &Path, step: Step) -> Option<Path> {
        let folder = current.parent()?;
        if folder != self.browser.folder {
            return None;
        }
        let next = logic::neighbour(
            &self.browser.entries,
            current.file_name(),
            step == Step::Next,
        )?;
        folder.join(&next.name).ok()
    }

    fn viewed(&mut self, path: &Path, state: &ViewState) {
        debug_println!(
            "viewer: view {} zoom={} turns={}",
            path.file_name(),
            state.zoom.label(),
            state.turns
        );
        self.memory.picture = Some((String::from(path.as_str()), *state));
        save_memory(self.memory);
    }
}

/// Shows `path` and returns to the browser with the last picture selected.
fn view(
    display: &mut Display,
    browser: &mut Browser,
    memory: &mut Memory,
    path: &Path,
    start: Option<ViewState>,
    prefetched: Option<Prefetched>,
) {
    let closed = {
        let mut host = BrowserHost { browser, memory };
        screen::show(display, path, start, &mut host, prefetched)
    };
    let (how, last) = match &closed {
        Closed::Viewed { path, .. } => ("viewed", path),
        Closed::Cancelled { path } => ("cancelled", path),
        Closed::Failed { path } => ("failed", path),
    };
    debug_println!("viewer: closed {} {}", how, last.file_name());
    if last.parent().as_ref() == Some(&browser.folder) {
        browser.select_name(last.file_name());
    }
}

fn main(mut calculator: prizm::Calculator) {
    let display = &mut calculator.display;
    display::status_bar::hide();
    let mut memory = load_memory().unwrap_or(Memory {
        folder: String::from(fs::ROOT),
        order: Order::Name,
        picture: None,
    });
    let folder = Path::new(&memory.folder)
        .ok()
        .filter(|p| fs::is_dir(p).unwrap_or(false))
        .unwrap_or_else(Path::root);
    let mut browser = Browser::new(folder, memory.order, display);
    if let Some((picture, state)) = memory.picture.clone() {
        if let Ok(path) = Path::new(&picture) {
            if fs::exists(&path).unwrap_or(false) {
                let mut question: heapless::String<200> = heapless::String::new();
                let _ = write!(question, "Reopen {} where you left it?", path.file_name());
                browser.draw(display);
                if ui::confirm(display, "Resume", &question) {
                    if let Some(parent) = path.parent() {
                        if parent != browser.folder {
                            browser = Browser::new(parent, memory.order, display);
                        }
                    }
                    view(display, &mut browser, &mut memory, &path, Some(state), None);
                }
            }
        }
    }
    // The selected picture's fitted view, decoded while the browser waits.
    let mut prefetched: Option<Prefetched> = None;
    loop {
        browser.draw(display);
        match browser.selected_picture() {
            Some(path) => screen::prefetch(display, &path, &mut prefetched),
            None => prefetched = None,
        }
        let key = keyboard::get_key();
        if key != Key::Exe {
            // Its RAM goes back before a listing or a sort needs it.
            prefetched = None;
        }
        match key {
            Key::F1 | Key::F2 | Key::F3 => {
                browser.order = match key {
                    Key::F1 => Order::Name,
                    Key::F2 => Order::Date,
                    _ => Order::Size,
                };
                let selected = browser
                    .entries
                    .get(browser.state.selected())
                    .map(|e| e.name.clone());
                browser.apply_order(display);
                if let Some(name) = selected {
                    browser.select_name(&name);
                }
                memory.order = browser.order;
                save_memory(&memory);
            }
            Key::Exit => {
                if let Some(parent) = browser.folder.parent() {
                    let child = String::from(browser.folder.file_name());
                    browser.folder = parent;
                    browser.load(display);
                    browser.select_name(&child);
                    memory.folder = String::from(browser.folder.as_str());
                    save_memory(&memory);
                }
            }
            // Digits would choose rows directly: not in a file list.
            Key::Up
            | Key::Down
            | Key::Left
            | Key::Right
            | Key::PageUp
            | Key::PageDown
            | Key::Exe => {
                let MenuEvent::Chosen(i) = browser.state.handle_key(key) else {
                    continue;
                };
                let Some(entry) = browser.entries.get(i).cloned() else {
                    continue;
                };
                let Ok(path) = browser.folder.join(&entry.name) else {
                    continue;
                };
                if entry.is_dir {
                    browser.folder = path;
                    browser.load(display);
                    browser.state.select(0);
                    memory.folder = String::from(browser.folder.as_str());
                    save_memory(&memory);
                } else {
                    view(display, &mut browser, &mut memory, &path, None, prefetched.take());
                }
            }
            _ => {}
        }
    }
}
