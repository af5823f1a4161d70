//! The file browser's state: the folder shown, its sorted entries, the
//! cursor, the selection and the clipboard. Pure; drawn and driven by
//! the screen in `files/mod.rs`.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write;

use super::plan::Operation;
use super::sort::{sort, Order};
use super::tree::{file_name, join, split, Entry, FsError, Tree, ROOT};

/// What was cut or copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clipboard {
    /// Copy or move.
    pub operation: Operation,
    /// Full paths.
    pub paths: Vec<String>,
}

/// The browser.
#[derive(Debug, Clone)]
pub struct Browser {
    /// The folder shown.
    pub dir: String,
    /// Its entries, sorted.
    pub entries: Vec<Entry>,
    /// Selection marks, one per entry.
    pub selected: Vec<bool>,
    /// The highlighted entry.
    pub cursor: usize,
    /// The first entry on screen.
    pub first: usize,
    /// Sort order.
    pub order: Order,
    /// Cut or copied entries.
    pub clipboard: Option<Clipboard>,
}

impl Browser {
    /// A browser at the root, not loaded yet.
    pub fn new(order: Order) -> Browser {
        Browser {
            dir: ROOT.into(),
            entries: Vec::new(),
            selected: Vec::new(),
            cursor: 0,
            first: 0,
            order,
            clipboard: None,
        }
    }

    /// Lists the folder again, keeping the cursor on the same name.
    pub fn reload(&mut self, tree: &mut dyn Tree) -> Result<(), FsError> {
        let keep = self.current().map(|entry| entry.name.clone());
        self.entries = tree.list(&self.dir)?;
        sort(&mut self.entries, self.order);
        self.selected = vec![false; self.entries.len()];
        self.cursor = keep
            .and_then(|name| self.entries.iter().position(|entry| entry.name == name))
            .unwrap_or(0)
            .min(self.entries.len().saturating_sub(1));
        Ok(())
    }

    /// The highlighted entry.
    pub fn current(&self) -> Option<&Entry> {
        self.entries.get(self.cursor)
    }

    /// The highlighted entry's full path.
    pub fn current_path(&self) -> Option<String> {
        self.current().map(|entry| join(&self.dir, &entry.name))
    }

    /// Moves the cursor by `delta` (wrapping at the ends for single
    /// steps, stopping for pages) and scrolls so it shows in `rows`.
    pub fn move_cursor(&mut self, delta: isize, rows: usize) {
        let count = self.entries.len();
        if count == 0 {
            return;
        }
        let last = count - 1;
        self.cursor = match delta {
            -1 if self.cursor == 0 => last,
            1 if self.cursor == last => 0,
            _ => (self.cursor as isize + delta).clamp(0, last as isize) as usize,
        };
        self.scroll(rows);
    }

    /// Keeps the cursor within the `rows` shown.
    pub fn scroll(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.cursor < self.first {
            self.first = self.cursor;
        } else if self.cursor >= self.first + rows {
            self.first = self.cursor + 1 - rows;
        }
    }

    /// Opens the highlighted folder; false if it is a file.
    pub fn enter(&mut self, tree: &mut dyn Tree) -> Result<bool, FsError> {
        let Some(entry) = self.current() else {
            return Ok(false);
        };
        if !entry.is_dir {
            return Ok(false);
        }
        let dir = join(&self.dir, &entry.name);
        let previous = core::mem::replace(&mut self.dir, dir);
        self.cursor = 0;
        self.first = 0;
        if let Err(error) = self.reload(tree) {
            self.dir = previous;
            self.reload(tree)?;
            return Err(error);
        }
        Ok(true)
    }

    /// Goes to the parent folder with the cursor on the folder left;
    /// false at the root.
    pub fn leave(&mut self, tree: &mut dyn Tree) -> Result<bool, FsError> {
        let (Some(parent), name) = split(&self.dir) else {
            return Ok(false);
        };
        let (parent, name): (String, String) = (parent.into(), name.into());
        self.dir = parent;
        self.cursor = 0;
        self.first = 0;
        self.reload(tree)?;
        if let Some(index) = self.entries.iter().position(|entry| entry.name == name) {
            self.cursor = index;
        }
        Ok(true)
    }

    /// Marks or unmarks the highlighted entry.
    pub fn toggle(&mut self) {
        if let Some(mark) = self.selected.get_mut(self.cursor) {
            *mark = !*mark;
        }
    }

    /// Marks every entry that is not marked and unmarks the others.
    pub fn invert(&mut self) {
        for mark in &mut self.selected {
            *mark = !*mark;
        }
    }

    /// How many entries are marked.
    pub fn marked(&self) -> usize {
        self.selected.iter().filter(|&&mark| mark).count()
    }

    /// The marked entries' paths, or the highlighted one's if none is.
    pub fn chosen(&self) -> Vec<String> {
        if self.marked() == 0 {
            return self.current_path().into_iter().collect();
        }
        self.entries
            .iter()
            .zip(&self.selected)
            .filter(|(_, &mark)| mark)
            .map(|(entry, _)| join(&self.dir, &entry.name))
            .collect()
    }

    /// Puts the chosen entries on the clipboard; returns how many.
    pub fn to_clipboard(&mut self, operation: Operation) -> usize {
        let paths = self.chosen();
        let count = paths.len();
        self.clipboard = (count > 0).then_some(Clipboard { operation, paths });
        self.selected.iter_mut().for_each(|mark| *mark = false);
        count
    }

    /// The files of this folder (not folders), for previous/next in the
    /// file information screen: the index of `name` among them.
    pub fn file_neighbours(&self, name: &str) -> (Option<&Entry>, Option<&Entry>) {
        let files: Vec<&Entry> = self.entries.iter().filter(|entry| !entry.is_dir).collect();
        let Some(index) = files.iter().position(|entry| entry.name == name) else {
            return (None, None);
        };
        let previous = index.checked_sub(1).map(|i| files[i]);
        (previous, files.get(index + 1).copied())
    }

    /// The title: the folder's name ("\" for the root).
    pub fn title(&self) -> &str {
        if split(&self.dir).0.is_none() {
            "\\"
        } else {
            file_name(&self.dir)
        }
    }
}

/// "1 file", "2 files".
pub fn count(number: u64, singular: &str) -> alloc::string::String {
    let mut text = alloc::format!("{number} {singular}");
    if number != 1 {
        text.push('s');
    }
    text
}

/// "999 B", "1.5 KB", "12 KB", "3.2 MB".
pub fn format_size(bytes: u64) -> heapless::String<16> {
    let mut out = heapless::String::new();
    let tenths = |value: u64, unit: u64| (value * 10 + unit / 2) / unit;
    if bytes < 1000 {
        let _ = write!(out, "{bytes} B");
    } else if bytes < 1024 * 1000 {
        let t = tenths(bytes, 1024);
        if t < 100 {
            let _ = write!(out, "{}.{} KB", t / 10, t % 10);
        } else {
            let _ = write!(out, "{} KB", (t + 5) / 10);
        }
    } else {
        let t = tenths(bytes, 1024 * 1024);
        if t < 100 {
            let _ = write!(out, "{}.{} MB", t / 10, t % 10);
        } else {
            let _ = write!(out, "{} MB", (t + 5) / 10);
        }
    }
    out
}

/// What kind of file a name is, for its icon and how it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A folder.
    Folder,
    /// Text (opens in the text viewer).
    Text,
    /// A JPEG picture (opens in the picture viewer).
    Picture,
    /// An add-in.
    AddIn,
    /// Calculator data (g3m, g3p, g3e, g3b…).
    CasioData,
    /// Anything else (opens in the text viewer).
    Other,
}

/// The kind of entry `name`.
pub fn kind_of(name: &str, is_dir: bool) -> FileKind {
    if is_dir {
        return FileKind::Folder;
    }
    let extension = super::sort::extension(name);
    let is = |candidates: &[&str]| candidates.iter().any(|c| extension.eq_ignore_ascii_case(c));
    if is(&["jpg", "jpeg", "jfif"]) {
        FileKind::Picture
    } else if is(&["txt", "csv", "ini", "log", "md", "c", "h", "rs", "py", "lua", "bas", "htm", "html", "xml", "json", "ics", "pce"]) {
        FileKind::Text
    } else if is(&["g3a"]) {
        FileKind::AddIn
    } else if extension.len() == 3 && extension[..2].eq_ignore_ascii_case("g3") {
        FileKind::CasioData
    } else {
        FileKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::super::tree::memory::MemoryTree;
    use super::*;

    fn p(rest: &str) -> String {
        format!("\\\\fls0\\{rest}")
    }

    fn tree() -> MemoryTree {
        let mut tree = MemoryTree::new();
        tree.dir(&p("docs")).file(&p("docs\\a.txt"), b"a").file(&p("docs\\b.txt"), b"bb").dir(&p("docs\\inner"));
        tree.file(&p("z.g3a"), b"zzz").file(&p("m.jpg"), b"");
        tree
    }

    #[test]
    fn browsing_in_and_out() {
        let mut tree = tree();
        let mut browser = Browser::new(Order::NameAscending);
        browser.reload(&mut tree).unwrap();
        assert_eq!(browser.title(), "\\");
        let names: Vec<&str> = browser.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["docs", "m.jpg", "z.g3a"]);
        assert!(browser.enter(&mut tree).unwrap());
        assert_eq!(browser.dir, p("docs"));
        assert_eq!(browser.title(), "docs");
        assert_eq!(browser.current().unwrap().name, "inner");
        browser.move_cursor(1, 6);
        assert_eq!(browser.current().unwrap().name, "a.txt");
        assert!(!browser.enter(&mut tree).unwrap(), "a file is not entered");
        assert!(browser.leave(&mut tree).unwrap());
        assert_eq!(browser.current().unwrap().name, "docs", "back on the folder left");
        assert!(!browser.leave(&mut tree).unwrap(), "nothing above the root");
    }

    #[test]
    fn cursor_wraps_and_scrolls() {
        let mut tree = MemoryTree::new();
        for n in 0..300 {
            tree.file(&p(&format!("f{n:03}")), b"");
        }
        let mut browser = Browser::new(Order::NameAscending);
        browser.reload(&mut tree).unwrap();
        assert_eq!(browser.entries.len(), 300, "no item limit");
        browser.move_cursor(-1, 6);
        assert_eq!((browser.cursor, browser.first), (299, 294));
        browser.move_cursor(1, 6);
        assert_eq!((browser.cursor, browser.first), (0, 0));
        browser.move_cursor(6, 6);
        assert_eq!((browser.cursor, browser.first), (6, 1));
        browser.move_cursor(1000, 6);
        assert_eq!(browser.cursor, 299);
    }

    #[test]
    fn selection_and_clipboard() {
        let mut tree = tree();
        let mut browser = Browser::new(Order::NameAscending);
        browser.reload(&mut tree).unwrap();
        assert_eq!(browser.chosen(), vec![p("docs")], "nothing marked: the cursor's entry");
        browser.toggle();
        browser.invert();
        assert_eq!(browser.marked(), 2);
        assert_eq!(browser.chosen(), vec![p("m.jpg"), p("z.g3a")]);
        assert_eq!(browser.to_clipboard(Operation::Move), 2);
        assert_eq!(browser.marked(), 0);
        let clipboard = browser.clipboard.clone().unwrap();
        assert_eq!(clipboard.operation, Operation::Move);
        assert_eq!(clipboard.paths, vec![p("m.jpg"), p("z.g3a")]);
    }

    #[test]
    fn neighbours_skip_folders() {
        let mut tree = tree();
        let mut browser = Browser::new(Order::NameAscending);
        browser.dir = p("docs");
        browser.reload(&mut tree).unwrap();
        let (previous, next) = browser.file_neighbours("a.txt");
        assert_eq!((previous.map(|e| e.name.as_str()), next.map(|e| e.name.as_str())), (None, Some("b.txt")));
        let (previous, next) = browser.file_neighbours("b.txt");
        assert_eq!((previous.map(|e| e.name.as_str()), next.map(|e| e.name.as_str())), (Some("a.txt"), None));
    }

    #[test]
    fn sizes() {
        for (bytes, text) in [(0, "0 B"), (999, "999 B"), (1000, "1.0 KB"), (1536, "1.5 KB"), (20_480, "20 KB"), (1_048_576, "1.0 MB"), (16_252_928, "16 MB")] {
            assert_eq!(format_size(bytes).as_str(), text, "{bytes}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(0, "folder"), "0 folders");
        assert_eq!(count(12, "item"), "12 items");
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("x", true), FileKind::Folder);
        assert_eq!(kind_of("PHOTO.JPG", false), FileKind::Picture);
        assert_eq!(kind_of("notes.txt", false), FileKind::Text);
        assert_eq!(kind_of("Game.g3a", false), FileKind::AddIn);
        assert_eq!(kind_of("prog.g3m", false), FileKind::CasioData);
        assert_eq!(kind_of("data.bin", false), FileKind::Other);
    }
}
