//! The picture screen on the calculator: [`show`] opens a JPEG and runs
//! until EXIT (or AC/ON during a decode).
//!
//! VRAM holds the picture itself; the two overlays (zoom label, position
//! indicator) save the pixels they cover and put them back before the
//! picture moves, so a pan can shift VRAM and decode only the uncovered
//! band. The progress bar is drawn only for the moment VRAM is copied to
//! the screen and then taken away again, for the same reason.
//!
//! A progressive picture has no index: a pan onto block rows never read
//! parses each scan's rows across the whole picture. So once a view of
//! one is on screen, and until a key is pressed, the rows a quarter-screen
//! pan up or down would show are read ahead ([`prepare_pans`]); those pans
//! then start from column checkpoints, as pans sideways do.
//!
//! Keys: + and − zoom, arrows pan a quarter screen, SHIFT+arrows a whole
//! screen, 1–9 jump to a region (laid out like the keypad), F1 information,
//! F2 turn a quarter clockwise, F3 fit, F5/F6 previous/next picture, EXIT back.

use alloc::vec;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use core::fmt::Write as _;

use prizm::display::text::Font;
use prizm::display::{self, Display, HEIGHT, WIDTH};
use prizm::fs::{File, FsError, OpenMode, Path};
use prizm::keyboard::{self, Key, PrgmKey};
use prizm::ui::{self, Frame, Screen, THEME};
use prizm_jpeg::{
    ByteSource, Coding, Decoder, Error, ImageInfo, Index, Options, PixelFormat, Pixels, ReadError,
    Region, Scale, Upsampling, DEFAULT_INPUT_BUFFER_BYTES, DEFAULT_MEMORY_LIMIT,
};

use crate::messages::{self, Message, CANCELLED_CODE};
use crate::orientation::Transform;
use crate::view::{self, ScreenRect, View, Zoom};

/// Which neighbour of the current picture to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The one after it in the caller's order.
    Next,
    /// The one before it.
    Previous,
}

/// What the caller provides: the pictures around the current one, and a
/// place to keep the view (for a resume offer).
pub trait Host {
    /// The picture after or before `current`, or `None` at the end.
    fn neighbour(&mut self, current: &Path, step: Step) -> Option<Path>;
    /// Called when a picture is on screen and when the screen closes.
    fn viewed(&mut self, _path: &Path, _state: &ViewState) {}
}

/// A host with no neighbours and nothing to remember.
pub struct SinglePicture;

impl Host for SinglePicture {
    fn neighbour(&mut self, _current: &Path, _step: Step) -> Option<Path> {
        None
    }
}

/// Enough to show a picture again as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViewState {
    /// Zoom step.
    pub zoom: Zoom,
    /// Quarter turns clockwise the user added (0–3).
    pub turns: u8,
    /// Middle of the view as a fraction of the shown picture (1/65536 units).
    pub centre: (u32, u32),
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            zoom: Zoom::Fit,
            turns: 0,
            centre: (32768, 32768),
        }
    }
}

/// How the screen closed.
#[derive(Debug)]
pub enum Closed {
    /// EXIT after viewing `path`.
    Viewed {
        /// The last picture shown.
        path: Path,
        /// Its view.
        state: ViewState,
    },
    /// AC/ON during a decode.
    Cancelled {
        /// The picture being decoded.
        path: Path,
    },
    /// The picture could not be shown (the message was shown).
    Failed {
        /// The picture.
        path: Path,
    },
}

/// Background around a picture.
const BACKGROUND: u16 = 0x0000;
/// Ticks (1/128 s) a decode runs before a progress bar appears (a quarter
/// second: a bar that flashes up for a fast decode is noise, and each
/// update costs an LCD copy), and between updates.
const PROGRESS_DELAY: u32 = 32;
const PROGRESS_PERIOD: u32 = 16;
/// Where the progress bar goes while it is shown.
const BAR: ScreenRect = ScreenRect {
    x0: 92,
    y0: 196,
    x1: 292,
    y1: 208,
};
/// Largest position indicator.
const INDICATOR_MAX: (u32, u32) = (56, 36);

/// The decode's shared state: the display (borrowed by the rows written
/// and by the progress bar in turn) and the file's progress.
struct Shared<'d> {
    display: RefCell<&'d mut Display>,
    /// Decoding now (AC/ON is watched, the bar may be drawn).
    active: Cell<bool>,
    /// The decode reads ahead for the next pan: any key stops it, and no
    /// progress bar is drawn.
    background: Cell<bool>,
    /// The press that stopped a read-ahead (taken from the OS's queue, to
    /// be given back to the key wait).
    interrupting: Cell<Option<PrgmKey>>,
    /// AC/ON was seen: every later read fails too, so the decoder stops
    /// soon (it carries on past a failed read in progressive scans).
    cancelled: Cell<bool>,
    started: Cell<u32>,
    last_drawn: Cell<u32>,
    position: Cell<u64>,
    size: Cell<u64>,
    saved: RefCell<Vec<u16>>,
    /// Screen rows written since the last progress update (first, last),
    /// if any: only they and the bar go to the LCD then.
    dirty: Cell<Option<(usize, usize)>>,
    /// Where decoded rows go instead of VRAM (a prefetch's screen-sized
    /// canvas), if anywhere.
    offscreen: RefCell<Option<Vec<u16>>>,
    /// One past the lowest screen row written since `start` (rows of an
    /// upright view come top to bottom).
    painted: Cell<i32>,
}

impl<'d> Shared<'d> {
    fn new(display: &'d mut Display) -> Self {
        Shared {
            display: RefCell::new(display),
            active: Cell::new(false),
            background: Cell::new(false),
            interrupting: Cell::new(None),
            cancelled: Cell::new(false),
            started: Cell::new(0),
            last_drawn: Cell::new(0),
            position: Cell::new(0),
            size: Cell::new(0),
            saved: RefCell::new(vec![0; (BAR.width() * BAR.height()) as usize]),
            dirty: Cell::new(None),
            offscreen: RefCell::new(None),
            painted: Cell::new(0),
        }
    }
}

impl Shared<'_> {
    /// Runs `f` on the pixels a decode writes: the off-screen canvas if
    /// there is one, else VRAM.
    fn with_canvas<R>(&self, f: impl FnOnce(&mut [u16]) -> R) -> R {
        if let Some(canvas) = self.offscreen.borrow_mut().as_mut() {
            return f(canvas);
        }
        f(self.display.borrow_mut().pixels())
    }

    /// After a decode in the background (any key stopped it): the press
    /// that stopped it, if any, goes back to the key wait.
    fn end_background(&self) {
        self.background.set(false);
        self.active.set(false);
        self.cancelled.set(false);
        if let Some(key) = self.interrupting.take() {
            keyboard::give_back(key);
        }
    }

    fn start(&self) {
        self.active.set(true);
        self.cancelled.set(false);
        let now = prizm::time::ticks();
        self.started.set(now);
        self.last_drawn.set(now);
        self.dirty.set(None);
    }

    /// Notes that screen rows `first..=last` changed.
    fn touch(&self, first: usize, last: usize) {
        let (a, b) = self.dirty.get().unwrap_or((first, last));
        self.dirty.set(Some((a.min(first), b.max(last))));
        self.painted.set(self.painted.get().max(last as i32 + 1));
    }

    /// Copies the rows written since the last update and the progress bar
    /// on top of them to the screen, then takes the bar away again in
    /// VRAM. (A whole-screen copy at each update cost about 9 % of a long
    /// decode: 11 ms eight times a second.)
    fn show_progress(&self) {
        let Ok(mut display) = self.display.try_borrow_mut() else {
            return;
        };
        let Ok(mut saved) = self.saved.try_borrow_mut() else {
            return;
        };
        let pixels = display.pixels();
        save_rect(pixels, &BAR, &mut saved);
        let done = self.position.get().min(self.size.get());
        fill(pixels, &BAR, 0xFFFF);
        let inner = ScreenRect {
            x0: BAR.x0 + 2,
            y0: BAR.y0 + 2,
            x1: BAR.x1 - 2,
            y1: BAR.y1 - 2,
        };
        fill(pixels, &inner, 0x0000);
        let width = ui::filled_width(
            done as u32,
            self.size.get().max(1) as u32,
            inner.width() as i32,
        );
        fill(
            pixels,
            &ScreenRect {
                x1: inner.x0 + width,
                ..inner
            },
            0x07E0,
        );
        let bar = (BAR.y0 as usize, BAR.y1 as usize - 1);
        match self.dirty.take() {
            // Rows close to the bar go in one copy with it.
            Some((first, last)) if last + 16 >= bar.0 => {
                display::put_display_rows(first.min(bar.0), last.max(bar.1))
            }
            Some((first, last)) => {
                display::put_display_rows(first, last);
                display::put_display_rows(bar.0, bar.1);
            }
            None => display::put_display_rows(bar.0, bar.1),
        }
        restore_rect(pixels, &BAR, &saved);
    }
}

/// The file being shown, read through the decoder, watching AC/ON.
struct WatchedFile<'s, 'd> {
    file: File,
    shared: &'s Shared<'d>,
}

impl WatchedFile<'_, '_> {
    /// Before each read of a decode: fails if AC/ON cancelled it, shows
    /// the progress bar once the decode has taken long enough.
    fn watch(&self) -> Result<(), ReadError> {
        let shared = self.shared;
        if shared.active.get() {
            let stop = if shared.background.get() {
                // Taken, not peeked: a press the key matrix showed would not
                // reach GetKey afterwards.
                let press = keyboard::poll_key();
                if press.is_some() {
                    shared.interrupting.set(press);
                }
                press.is_some()
            } else {
                keyboard::held_key() == Some(PrgmKey::AcOn)
            };
            if shared.cancelled.get() || stop {
                shared.cancelled.set(true);
                return Err(cancelled());
            }
            if shared.background.get() {
                return Ok(());
            }
            let now = prizm::time::ticks();
            if prizm::time::ticks_between(shared.started.get(), now) >= PROGRESS_DELAY
                && prizm::time::ticks_between(shared.last_drawn.get(), now) >= PROGRESS_PERIOD
            {
                shared.last_drawn.set(now);
                shared.show_progress();
            }
        }
        Ok(())
    }
}

/// What a read of a decode that AC/ON cancelled reports.
fn cancelled() -> ReadError {
    ReadError {
        message: "cancelled",
        code: CANCELLED_CODE,
    }
}

impl ByteSource for WatchedFile<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ReadError> {
        self.watch()?;
        let n = ByteSource::read(&mut self.file, buf)?;
        let shared = self.shared;
        shared.position.set(shared.position.get() + n as u64);
        Ok(n)
    }

    fn seek(&mut self, position: u64) -> Result<(), ReadError> {
        if self.shared.cancelled.get() {
            return Err(cancelled());
        }
        ByteSource::seek(&mut self.file, position)?;
        self.shared.position.set(position);
        Ok(())
    }

    fn read_at(&mut self, buf: &mut [u8], position: u64) -> Result<usize, ReadError> {
        self.watch()?;
        let n = ByteSource::read_at(&mut self.file, buf, position)?;
        self.shared.position.set(position + n as u64);
        Ok(n)
    }

    /// Between MCU rows: a small file is read whole at once, so its reads
    /// alone would notice a key only at the end.
    fn proceed(&mut self) -> Result<(), ReadError> {
        self.watch()
    }
}

fn save_rect(pixels: &[u16], r: &ScreenRect, out: &mut Vec<u16>) {
    out.clear();
    for y in r.y0.max(0)..r.y1.min(HEIGHT as i32) {
        let row = y as usize * WIDTH;
        if let Some(part) =
            pixels.get(row + r.x0.max(0) as usize..row + r.x1.min(WIDTH as i32) as usize)
        {
            out.extend_from_slice(part);
        }
    }
}

fn restore_rect(pixels: &mut [u16], r: &ScreenRect, saved: &[u16]) {
    let width = (r.x1.min(WIDTH as i32) - r.x0.max(0)).max(0) as usize;
    for (i, y) in (r.y0.max(0)..r.y1.min(HEIGHT as i32)).enumerate() {
        let row = y as usize * WIDTH + r.x0.max(0) as usize;
        if let (Some(dst), Some(src)) = (
            pixels.get_mut(row..row + width),
            saved.get(i * width..(i + 1) * width),
        ) {
            dst.copy_from_slice(src);
        }
    }
}

fn fill(pixels: &mut [u16], r: &ScreenRect, color: u16) {
    for y in r.y0.max(0)..r.y1.min(HEIGHT as i32) {
        let row = y as usize * WIDTH;
        if let Some(part) = pixels.get_mut(
            row + r.x0.max(0) as usize..row + r.x1.min(WIDTH as i32).max(r.x0.max(0)) as usize,
        ) {
            prizm::display::fill_pixels(part, color);
        }
    }
}

/// Moves the whole screen's content by `(-dx, -dy)` (what a pan of `(dx, dy)` does).
fn scroll(pixels: &mut [u16], dx: i32, dy: i32) {
    let (w, h) = (WIDTH, HEIGHT);
    if dy > 0 && (dy as usize) < h {
        pixels.copy_within(dy as usize * w..h * w, 0);
    } else if dy < 0 && ((-dy) as usize) < h {
        pixels.copy_within(0..(h - (-dy) as usize) * w, (-dy) as usize * w);
    }
    if dx != 0 && dx.unsigned_abs() < w as u32 {
        for row in pixels.chunks_exact_mut(w) {
            if dx > 0 {
                row.copy_within(dx as usize.., 0);
            } else {
                row.copy_within(..w - (-dx) as usize, (-dx) as usize);
            }
        }
    }
}

/// Checkpoints of a picture's index (about 20 bytes each, allocated at its
/// first decode, baseline pictures only): a 4000×3000 photo gets every MCU
/// row with a checkpoint every 16 MCUs (256 pixels at 1/1), so a pan
/// decodes little more than the new strip of each row.
const INDEX_CHECKPOINTS: usize = 4096;

/// The input buffer of a sequential picture: each file read costs about
/// 1 ms besides its bytes, and fitting a 4000×3000 photo reads all of its
/// megabytes (8 KiB reads: ~0.4 s of calls). Progressive pictures keep the
/// decoder's default: their coefficients need the memory.
const SEQUENTIAL_INPUT_BUFFER: usize = 32 * 1024;

/// Memory a sequential picture's decodes may take beyond the default limit
/// and the larger input buffer: the decoder's 11-bit skip tables (4 KiB
/// each instead of 1 KiB) fit then at every zoom.
const SEQUENTIAL_SPEED_TABLES: u32 = 16 * 1024;

/// An opened picture.
struct Picture<'s, 'd> {
    path: Path,
    decoder: Decoder<WatchedFile<'s, 'd>>,
    index: Index,
    info: ImageInfo,
    file_size: u64,
    /// The decoder's memory limit for a sequential picture: the default
    /// plus what its larger input buffer and the wide skip tables take.
    memory_limit: u32,
}

enum OpenError {
    File(FsError),
    Jpeg(Error),
}

fn open<'s, 'd>(shared: &'s Shared<'d>, path: &Path) -> Result<Picture<'s, 'd>, OpenError> {
    let file = File::open(path, OpenMode::Read).map_err(OpenError::File)?;
    let size = file.size().map_err(OpenError::File)? as u64;
    shared.position.set(0);
    shared.size.set(size);
    let mut decoder = Decoder::new(WatchedFile { file, shared }).map_err(OpenError::Jpeg)?;
    let info = decoder.info();
    let mut memory_limit = DEFAULT_MEMORY_LIMIT;
    // Without the memory for the larger buffer the default one serves.
    if info.single_scan && decoder.set_input_buffer(SEQUENTIAL_INPUT_BUFFER).is_ok() {
        memory_limit += (SEQUENTIAL_INPUT_BUFFER - DEFAULT_INPUT_BUFFER_BYTES) as u32;
        // And the wide skip tables (6 KiB more), which a screenful at 1/1
        // would otherwise miss by a few KiB: the viewer has the RAM.
        memory_limit += SEQUENTIAL_SPEED_TABLES;
    }
    Ok(Picture {
        path: path.clone(),
        decoder,
        index: Index::with_capacity(INDEX_CHECKPOINTS),
        info,
        file_size: size,
        memory_limit,
    })
}

/// Overlays drawn over the picture, with the pixels they cover.
#[derive(Default)]
struct Overlays {
    saved: Vec<(ScreenRect, Vec<u16>)>,
}

impl Overlays {
    /// Puts back the picture under the overlays.
    fn remove(&mut self, pixels: &mut [u16]) {
        while let Some((rect, saved)) = self.saved.pop() {
            restore_rect(pixels, &rect, &saved);
        }
    }

    fn cover(&mut self, pixels: &[u16], rect: ScreenRect) {
        let mut saved = Vec::new();
        save_rect(pixels, &rect, &mut saved);
        self.saved.push((rect, saved));
    }

    /// Draws the zoom label and, when the picture is larger than the
    /// screen, the position indicator.
    fn draw(&mut self, display: &mut Display, view: &View) {
        let mut label: heapless::String<24> = heapless::String::new();
        let _ = write!(label, "{}", view.zoom.label());
        if view.zoom == Zoom::Fit {
            let (num, den) = view.scaling.ratio();
            let _ = write!(label, " {}%", (num * 100 / den.max(1)).max(1));
        }
        let width = display::text::measure(Font::Small, &label);
        let label_rect = ScreenRect {
            x0: 0,
            y0: 0,
            x1: width + 6,
            y1: 14,
        };
        self.cover(display.pixels(), label_rect);
        fill(display.pixels(), &label_rect, 0x0000);
        display::text::print(
            Font::Small,
            3,
            1,
            &label,
            display::from_raw(0xFFFF),
            Some(display::from_raw(0x0000)),
        );
        if !view.shows_all() {
            let (outline, inner) = view.indicator(INDICATOR_MAX);
            let dx = WIDTH as i32 - 4 - outline.x1;
            let dy = HEIGHT as i32 - 4 - outline.y1;
            let shift = |r: ScreenRect, m: i32| ScreenRect {
                x0: r.x0 + dx - m,
                y0: r.y0 + dy - m,
                x1: r.x1 + dx + m,
                y1: r.y1 + dy + m,
            };
            let frame = shift(outline, 1);
            self.cover(display.pixels(), frame);
            let pixels = display.pixels();
            fill(pixels, &frame, 0xFFFF);
            fill(pixels, &shift(outline, 0), 0x4208);
            fill(
                pixels,
                &shift(inner, 0).intersect(&shift(outline, 0)),
                0xFD20,
            );
        }
    }
}

/// How the screen decodes `region` (x, y, width, height at the view's
/// decoder scale).
fn screen_options(picture: &Picture<'_, '_>, view: &View, region: (u32, u32, u32, u32)) -> Options {
    let (x, y, width, height) = region;
    Options {
        scale: Scale::from_divisor(view.scaling.divisor).unwrap_or(Scale::Eighth),
        region: Some(Region {
            x,
            y,
            width,
            height,
        }),
        format: PixelFormat::Rgb565Dithered,
        // Chroma repeated over the pixels it covers instead of filtered: on
        // this dithered RGB565 screen the difference does not show, and the
        // filter was the largest single cost of showing a 4:2:0 photo at 1/1.
        upsampling: Upsampling::Fast,
        memory_limit: picture.memory_limit,
        ..Options::default()
    }
}

/// Strips read ahead: the decoder divisor and the region (at that divisor).
type Strips = heapless::Vec<(u32, (u32, u32, u32, u32)), 4>;

/// Reads ahead, until a key is pressed, where each quarter-screen pan
/// from `view` would start, in a progressive picture: a pan onto rows
/// never read parses each scan's rows whole (a 4000-pixel-wide photo: 500
/// blocks a row, most of a pan's time), and a pan along rows read starts
/// each of them at the checkpoint left of its band, which the read-ahead
/// puts at the band's edge. Each read-ahead is a decode of a
/// one-pixel-wide strip at the band's left edge, its pixels dropped. The
/// screen is shown first (the key wait would show it only after this).
/// `done`: the strips read ahead last, not read again. A key pressed meanwhile goes back to the key wait; MENU then
/// comes as a plain key (see [`keyboard::give_back`]) and needs pressing
/// again.
fn prepare_pans(shared: &Shared<'_>, picture: &mut Picture<'_, '_>, view: &View, done: &mut Strips) {
    // Turned a quarter, screen rows run along picture columns, which the
    // view's rows already cover.
    if picture.info.single_scan || view.transform.swap {
        return;
    }
    let (across, down) = (view.viewport.0 as i32 / 4, view.viewport.1 as i32 / 4);
    let divisor = view.scaling.divisor;
    let mut strips = Strips::new();
    // New rows first: a pan there costs most without.
    for (dx, dy) in [(0, down), (0, -down), (-across, 0), (across, 0)] {
        let mut next = *view;
        let moved = next.pan(dx, dy);
        if moved == (0, 0) {
            continue;
        }
        if let Some(band) = next.uncovered(moved).first().and_then(|r| next.band(r)) {
            let (x, y, _, height) = band.region;
            let _ = strips.push((divisor, (x, y, 1, height)));
        }
    }
    if strips.iter().all(|strip| done.contains(strip)) {
        return;
    }
    done.clear();
    display::put_display();
    prizm::debug_println!("image-view: on screen");
    shared.start();
    shared.background.set(true);
    for (divisor, strip) in strips {
        let options = screen_options(picture, view, strip);
        match picture.decoder.decode(&options, None, |_, _| {}) {
            Ok(summary) => {
                let _ = done.push((divisor, strip));
                prizm::debug_println!(
                    "image-view: read ahead column {} rows {}..{} from MCU row {} column {}",
                    strip.0,
                    strip.1,
                    strip.1 + strip.3,
                    summary.start_row,
                    summary.start_column
                );
            }
            Err(_) => {
                let why = if shared.cancelled.get() { " by a key" } else { "" };
                prizm::debug_println!("image-view: read-ahead stopped{}", why);
                break;
            }
        }
    }
    shared.end_background();
}

/// Decodes the part of the picture under `rect` straight into VRAM (or
/// the prefetch's canvas).
fn paint(
    shared: &Shared<'_>,
    picture: &mut Picture<'_, '_>,
    view: &View,
    rect: &ScreenRect,
) -> Result<(), Error> {
    let Some(band) = view.band(rect) else {
        return Ok(());
    };
    let (rx, ry, rw, rh) = band.region;
    let (tx0, ty0, tx1, ty1) = band.shown;
    let columns: Vec<u16> = (tx0..tx1)
        .map(|t| (view.source_of(t) - rx) as u16)
        .collect();
    let identity_columns = view.scaling.num == view.scaling.den;
    // Screen steps for one resampled column: along a screen row or column.
    let t = view.transform;
    let step: isize = match (t.swap, t.flip_x, t.flip_y) {
        (false, false, _) => 1,
        (false, true, _) => -1,
        (true, _, false) => WIDTH as isize,
        (true, _, true) => -(WIDTH as isize),
    };
    let options = screen_options(picture, view, (rx, ry, rw, rh));
    let mut next = ty0;
    let index = picture.info.single_scan.then_some(&mut picture.index);
    shared.start();
    let result = picture.decoder.decode(&options, index, |y, row| {
        let Pixels::Rgb565(row) = row else { return };
        shared.with_canvas(|pixels| {
            while next < ty1 {
                let wanted = view.source_of(next);
                if wanted > y {
                    break;
                }
                if wanted == y {
                    let (sx, sy) = view.screen_of((tx0, next));
                    let base = sy as isize * WIDTH as isize + sx as isize;
                    // The screen rows this picture row lands on: one, or a
                    // column's worth when the view is turned.
                    let first = sy.max(0) as usize;
                    if step.unsigned_abs() == 1 {
                        shared.touch(first, first);
                    } else {
                        let end = (base + (columns.len() as isize - 1) * step) / WIDTH as isize;
                        let end = end.max(0) as usize;
                        shared.touch(first.min(end), first.max(end));
                    }
                    if step == 1 && identity_columns {
                        if let (Some(dst), Some(src)) = (
                            pixels.get_mut(base as usize..base as usize + columns.len()),
                            row.get(columns[0] as usize..),
                        ) {
                            let n = dst.len().min(src.len());
                            dst[..n].copy_from_slice(&src[..n]);
                        }
                    } else {
                        for (i, &c) in columns.iter().enumerate() {
                            let at = base + i as isize * step;
                            if let (Some(dst), Some(&p)) =
                                (pixels.get_mut(at as usize), row.get(usize::from(c)))
                            {
                                *dst = p;
                            }
                        }
                    }
                }
                next += 1;
            }
        });
    });
    shared.active.set(false);
    if shared.cancelled.get() {
        return Err(Error {
            kind: prizm_jpeg::ErrorKind::Read(cancelled()),
            offset: shared.position.get(),
            marker: None,
            rows_output: 0,
        });
    }
    if let Ok(summary) = &result {
        // For the tests: which region was decoded, from which MCU, and how
        // many MCUs were entropy-decoded.
        prizm::debug_println!(
            "image-view: decoded {},{} {}x{} at 1/{} from MCU row {} column {} ({} MCUs)",
            rx,
            ry,
            rw,
            rh,
            view.scaling.divisor,
            summary.start_row,
            summary.start_column,
            summary.mcus_decoded
        );
    }
    result.map(|_| ())
}

/// 8×8 blocks in all components of a picture.
fn block_count(info: &ImageInfo) -> u64 {
    let components = usize::from(info.components).min(4);
    let hmax = info.sampling[..components]
        .iter()
        .map(|s| u64::from(s.0))
        .max()
        .unwrap_or(1)
        .max(1);
    let vmax = info.sampling[..components]
        .iter()
        .map(|s| u64::from(s.1))
        .max()
        .unwrap_or(1)
        .max(1);
    info.sampling[..components]
        .iter()
        .map(|&(h, v)| {
            let w = (u64::from(info.width) * u64::from(h)).div_ceil(hmax);
            let hgt = (u64::from(info.height) * u64::from(v)).div_ceil(vmax);
            w.div_ceil(8) * hgt.div_ceil(8)
        })
        .sum()
}

/// Draws the info screen and waits for a key.
fn show_info(display: &mut Display, picture: &Picture<'_, '_>, view: &View) {
    let info = &picture.info;
    let mut lines: Vec<heapless::String<64>> = Vec::new();
    let mut line = |f: core::fmt::Arguments<'_>| {
        let mut s = heapless::String::new();
        let _ = s.write_fmt(f);
        lines.push(s);
    };
    line(format_args!("{}", picture.path.file_name()));
    line(format_args!("{} x {} pixels", info.width, info.height));
    line(format_args!("File: {} bytes", picture.file_size));
    let coding = match info.coding {
        Coding::Baseline => "Baseline",
        Coding::ExtendedSequential => "Extended sequential",
        Coding::Progressive => "Progressive",
    };
    line(format_args!("{coding}, {}", messages::colour_name(info)));
    let exif = &info.exif;
    line(format_args!(
        "Taken: {}",
        exif.date_time.as_ref().map_or("-", |d| d.as_str())
    ));
    line(format_args!(
        "Camera: {} {}",
        exif.make.as_ref().map_or("-", |m| m.as_str()),
        exif.model.as_ref().map_or("", |m| m.as_str())
    ));
    match exif.orientation {
        Some(tag) => line(format_args!(
            "EXIF: {tag}, {}",
            Transform::from_exif(Some(tag)).describe()
        )),
        None => line(format_args!("EXIF orientation: none")),
    }
    line(format_args!(
        "Shown {}, zoom {}",
        view.transform.describe(),
        view.zoom.label()
    ));
    let frame = Frame::new(false, false);
    let mut screen = Screen::new(display);
    ui::draw_screen(&mut screen, &frame, "Picture information");
    let body = frame.content();
    for (i, text) in lines.iter().enumerate() {
        let y = body.y + 2 + i as i32 * 18;
        ui::text::draw_truncated(
            &mut screen,
            body.x + 6,
            y,
            text,
            body.width - 12,
            Font::Medium,
            THEME.text,
            None,
        );
    }
    ui::draw_hint_bar(
        &mut screen,
        "+/-: zoom  F2: turn  F3: fit  F5/F6: previous/next",
        THEME.fkey_background,
        THEME.fkey_text,
    );
    keyboard::get_key();
}

/// The message box for a picture that cannot be shown.
fn report(display: &mut Display, path: &Path, text: &str) {
    let mut message: heapless::String<200> = heapless::String::new();
    let _ = write!(message, "{}: {}", path.file_name(), text);
    prizm::debug_println!("image-view: cannot show {}", message);
    ui::message_box(display, "Cannot show picture", &message);
}

fn open_error_text(error: &OpenError) -> Message {
    match error {
        OpenError::File(e) => {
            let mut m = Message::new();
            let _ = write!(m, "cannot open the file: {}", e.message());
            m
        }
        OpenError::Jpeg(e) => messages::describe(e, None),
    }
}

/// What drawing the whole view led to.
enum Drawn {
    Ok,
    Cancelled,
    /// Nothing could be shown (message given).
    Failed,
    /// The decoder needs more memory than it may have for this view
    /// (message given): go back to the view before.
    Refused,
}

/// Shows `path` (at `start`, or fitted) and runs the picture screen until
/// EXIT; F5/F6 open the host's neighbours. Returns the last picture and its view.
/// `prefetched`: what [`prefetch`] decoded of `path` (used when it is
/// shown fitted).
pub fn show(
    display: &mut Display,
    path: &Path,
    start: Option<ViewState>,
    host: &mut dyn Host,
    prefetched: Option<Prefetched>,
) -> Closed {
    let shared = Shared::new(display);
    let mut path = path.clone();
    let mut start = start;
    let mut prefetched = prefetched;
    'pictures: loop {
        // A prefetched fit goes to VRAM and its canvas back to the
        // allocator before the picture's decoder takes memory around it.
        let fitted = start.is_none_or(|s| s == ViewState::default());
        let ready = prefetched
            .take()
            .filter(|p| fitted && p.path == path && !p.canvas.is_empty())
            .map(|p| p.onto(&mut shared.display.borrow_mut()));
        let mut picture = match open(&shared, &path) {
            Ok(p) => p,
            Err(e) => {
                let text = open_error_text(&e);
                report(&mut shared.display.borrow_mut(), &path, &text);
                return Closed::Failed { path };
            }
        };
        let state = start.take().unwrap_or_default();
        let mut view = first_view(&picture, &state);
        let mut turns = state.turns % 4;
        let mut overlays = Overlays::default();
        let mut damaged = false;
        let current = |view: &View, turns: u8| ViewState {
            zoom: view.zoom,
            turns,
            centre: view.centre(),
        };
        let ready = ready.filter(|r| r.file_size == picture.file_size);
        let drawn = match ready {
            Some(ready) => draw_prefetched(&shared, &mut picture, &view, ready, &mut overlays, &mut damaged),
            None => redraw(&shared, &mut picture, &view, &mut overlays, &mut damaged, true),
        };
        match drawn {
            Drawn::Ok => {}
            Drawn::Cancelled => return Closed::Cancelled { path },
            Drawn::Failed | Drawn::Refused => return Closed::Failed { path },
        }
        host.viewed(&path, &current(&view, turns));
        let mut drawn = true;
        let mut read_ahead = Strips::new();
        loop {
            if core::mem::take(&mut drawn) && !damaged {
                prepare_pans(&shared, &mut picture, &view, &mut read_ahead);
            }
            // GetKey shows VRAM itself (one 11 ms LCD copy, not two).
            let key = keyboard::get_key();
            let previous = (view, turns);
            let quarter = (view.viewport.0 as i32 / 4, view.viewport.1 as i32 / 4);
            let whole = (view.viewport.0 as i32, view.viewport.1 as i32);
            let pan = match key {
                Key::Left => Some((-quarter.0, 0)),
                Key::Right => Some((quarter.0, 0)),
                Key::Up => Some((0, -quarter.1)),
                Key::Down => Some((0, quarter.1)),
                Key::ShiftLeft => Some((-whole.0, 0)),
                Key::ShiftRight => Some((whole.0, 0)),
                Key::PageUp => Some((0, -whole.1)),
                Key::PageDown => Some((0, whole.1)),
                _ => None,
            };
            let outcome = if let Some((dx, dy)) = pan {
                let moved = view.pan(dx, dy);
                if moved == (0, 0) {
                    continue;
                }
                pan_view(
                    &shared,
                    &mut picture,
                    &view,
                    moved,
                    &mut overlays,
                    &mut damaged,
                )
            } else {
                match key {
                    Key::Exit => {
                        let state = current(&view, turns);
                        host.viewed(&path, &state);
                        return Closed::Viewed { path, state };
                    }
                    Key::Plus | Key::Minus => {
                        let zoom = view::step(view.zoom, view.fit(), key == Key::Plus);
                        if zoom == view.zoom {
                            continue;
                        }
                        view.set_zoom(zoom);
                        redraw(
                            &shared,
                            &mut picture,
                            &view,
                            &mut overlays,
                            &mut damaged,
                            false,
                        )
                    }
                    Key::F3 => {
                        view.set_zoom(Zoom::Fit);
                        redraw(
                            &shared,
                            &mut picture,
                            &view,
                            &mut overlays,
                            &mut damaged,
                            false,
                        )
                    }
                    Key::F2 => {
                        view.rotate_cw();
                        turns = (turns + 1) % 4;
                        redraw(
                            &shared,
                            &mut picture,
                            &view,
                            &mut overlays,
                            &mut damaged,
                            false,
                        )
                    }
                    Key::F1 => {
                        show_info(&mut shared.display.borrow_mut(), &picture, &view);
                        redraw(
                            &shared,
                            &mut picture,
                            &view,
                            &mut overlays,
                            &mut damaged,
                            false,
                        )
                    }
                    Key::F5 | Key::F6 => {
                        let step = if key == Key::F6 {
                            Step::Next
                        } else {
                            Step::Previous
                        };
                        if let Some(next) = host.neighbour(&path, step) {
                            host.viewed(&path, &current(&view, turns));
                            path = next;
                            drop(picture);
                            continue 'pictures;
                        }
                        continue;
                    }
                    _ => match key.as_char().and_then(|c| c.to_digit(10)) {
                        Some(d) if d >= 1 => {
                            let d = d as u8;
                            let before = view.offset;
                            view.jump(d);
                            if view.offset == before {
                                continue;
                            }
                            let moved = (view.offset.0 - before.0, view.offset.1 - before.1);
                            pan_view(
                                &shared,
                                &mut picture,
                                &view,
                                moved,
                                &mut overlays,
                                &mut damaged,
                            )
                        }
                        _ => continue,
                    },
                }
            };
            let outcome = match outcome {
                Drawn::Refused => {
                    (view, turns) = previous;
                    redraw(
                        &shared,
                        &mut picture,
                        &view,
                        &mut overlays,
                        &mut damaged,
                        false,
                    )
                }
                other => other,
            };
            match outcome {
                Drawn::Ok | Drawn::Failed | Drawn::Refused => {
                    host.viewed(&path, &current(&view, turns))
                }
                Drawn::Cancelled => return Closed::Cancelled { path },
            }
            drawn = true;
        }
    }
}

/// A picture's view when the screen opens it at `state`.
fn first_view(picture: &Picture<'_, '_>, state: &ViewState) -> View {
    let transform = Transform::from_exif(picture.info.exif.orientation).then_rotate(state.turns);
    let mut view = View::new(
        (picture.info.width, picture.info.height),
        transform,
        state.zoom,
        (WIDTH as u32, HEIGHT as u32),
    );
    if !picture.info.single_scan {
        // Fitting at 1/2 or 1/4 would decode in many bands, each reading
        // the whole file again: decode DC only and enlarge instead.
        view.set_min_divisor(view::progressive_min_divisor(
            block_count(&picture.info),
            u64::from(prizm_jpeg::DEFAULT_PROGRESSIVE_MEMORY_LIMIT),
        ));
    }
    if state.zoom != Zoom::Fit {
        view.set_centre(state.centre);
    }
    view
}

/// Files [`prefetch`] decodes ahead: up to about half a second's decode
/// (a 1024×768 baseline photo fits in 0.38 s); a larger one would rarely
/// be ready before EXE, and its idle decoding would only drain the battery.
pub const PREFETCH_MAX_BYTES: u64 = 512 * 1024;

/// A picture's fitted view decoded ahead, off screen ([`prefetch`]), for
/// [`show`].
pub struct Prefetched {
    path: Path,
    file_size: u64,
    /// The screen as the fitted view leaves it (before its overlays), or
    /// empty when the picture is not prefetched (too large, no memory, an
    /// error: [`show`] then decodes and reports as usual).
    canvas: Vec<u16>,
    /// Screen rows from the top of `canvas` that are final.
    rows_done: i32,
    /// The picture's index (baseline), to go on from `rows_done`.
    index: Index,
}

impl Prefetched {
    fn given_up(path: &Path) -> Prefetched {
        Prefetched {
            path: path.clone(),
            file_size: 0,
            canvas: Vec::new(),
            rows_done: 0,
            index: Index::new(),
        }
    }

    /// Whether nothing is left to do: all rows are decoded, or none will be.
    fn finished(&self) -> bool {
        self.canvas.is_empty() || self.rows_done >= HEIGHT as i32
    }

    /// Puts the canvas in VRAM and frees it; what is left to do.
    fn onto(self, display: &mut Display) -> OnScreen {
        let pixels = display.pixels();
        let n = pixels.len().min(self.canvas.len());
        pixels[..n].copy_from_slice(&self.canvas[..n]);
        OnScreen {
            file_size: self.file_size,
            rows_done: self.rows_done,
            index: self.index,
        }
    }
}

/// A prefetched fit once in VRAM: the rows below `rows_done` are left.
struct OnScreen {
    file_size: u64,
    rows_done: i32,
    index: Index,
}

/// Decodes the fitted view of the picture at `path` off screen, while the
/// caller's screen (shown first) waits for a key, so that [`show`] opens
/// it at once. Stops at the first key, which goes back to the key wait;
/// called again for the same picture, it goes on where it stopped
/// (`kept`). For JPEG files up to [`PREFETCH_MAX_BYTES`]; the canvas takes
/// a screen's worth of RAM (162 KiB) until `kept` is dropped. A key
/// pressed meanwhile comes back to the key wait as a plain key: MENU then
/// needs pressing again (see [`keyboard::give_back`]).
pub fn prefetch(display: &mut Display, path: &Path, kept: &mut Option<Prefetched>) {
    if kept.as_ref().is_some_and(|k| k.path != *path) {
        *kept = None;
    }
    if kept.as_ref().is_some_and(Prefetched::finished) {
        return;
    }
    prizm::debug_println!("image-view: prefetch {}?", path.file_name());
    // A key typed ahead: the key wait takes it at once.
    if let Some(key) = keyboard::poll_key() {
        keyboard::give_back(key);
        return;
    }
    // The caller's screen first: the decode is for later.
    display::put_display();
    let rows_done = kept.as_ref().map_or(0, |k| k.rows_done);
    prizm::debug_println!(
        "image-view: prefetching {} from screen row {}",
        path.file_name(),
        rows_done
    );
    let shared = Shared::new(display);
    let mut picture = match open(&shared, path) {
        Ok(picture) if picture.file_size <= PREFETCH_MAX_BYTES => picture,
        _ => {
            *kept = Some(Prefetched::given_up(path));
            return;
        }
    };
    let view = first_view(&picture, &ViewState::default());
    let mut ahead = match kept.take() {
        Some(kept) if kept.file_size == picture.file_size => kept,
        _ => {
            let mut canvas = Vec::new();
            if canvas.try_reserve_exact(WIDTH * HEIGHT).is_err() {
                *kept = Some(Prefetched::given_up(path));
                return;
            }
            canvas.resize(WIDTH * HEIGHT, BACKGROUND);
            Prefetched {
                path: path.clone(),
                file_size: picture.file_size,
                canvas,
                rows_done: 0,
                index: Index::with_capacity(INDEX_CHECKPOINTS),
            }
        }
    };
    // Only an upright view's rows come top to bottom: a turned or flipped
    // one is redone whole if it was stopped.
    let upright = !view.transform.swap && !view.transform.flip_y;
    if !upright {
        ahead.rows_done = 0;
    }
    core::mem::swap(&mut picture.index, &mut ahead.index);
    *shared.offscreen.borrow_mut() = Some(core::mem::take(&mut ahead.canvas));
    shared.painted.set(ahead.rows_done);
    shared.background.set(true);
    let mut rect = view.viewport_rect();
    rect.y0 = rect.y0.max(ahead.rows_done);
    let result = paint(&shared, &mut picture, &view, &rect);
    ahead.canvas = shared.offscreen.borrow_mut().take().unwrap_or_default();
    core::mem::swap(&mut picture.index, &mut ahead.index);
    let stopped = shared.interrupting.get().is_some();
    match result {
        Ok(()) => ahead.rows_done = HEIGHT as i32,
        Err(_) if stopped && upright => ahead.rows_done = shared.painted.get(),
        Err(_) if stopped => {}
        // `show` decodes it again and says what is wrong.
        Err(_) => ahead = Prefetched::given_up(path),
    }
    prizm::debug_println!(
        "image-view: prefetched {} down to screen row {}{}",
        path.file_name(),
        ahead.rows_done,
        if stopped { ", stopped by a key" } else { "" }
    );
    *kept = Some(ahead);
    drop(picture);
    shared.end_background();
}

/// The first drawing of a picture that [`prefetch`] decoded (its canvas
/// already in VRAM): the rows it had not reached are decoded.
fn draw_prefetched(
    shared: &Shared<'_>,
    picture: &mut Picture<'_, '_>,
    view: &View,
    ready: OnScreen,
    overlays: &mut Overlays,
    damaged: &mut bool,
) -> Drawn {
    let OnScreen { rows_done, index, .. } = ready;
    overlays.saved.clear();
    picture.index = index;
    prizm::debug_println!("image-view: shown from the prefetch down to screen row {}", rows_done);
    let mut rect = view.viewport_rect();
    rect.y0 = rect.y0.max(rows_done);
    let result = if rect.y0 < rect.y1 {
        paint(shared, picture, view, &rect)
    } else {
        Ok(())
    };
    finish(shared, picture, view, overlays, damaged, result, rows_done == 0)
}

/// Clears the screen and decodes everything on it. `first`: the first
/// drawing of a picture (an error with nothing shown fails the screen).
fn redraw(
    shared: &Shared<'_>,
    picture: &mut Picture<'_, '_>,
    view: &View,
    overlays: &mut Overlays,
    damaged: &mut bool,
    first: bool,
) -> Drawn {
    {
        let mut display = shared.display.borrow_mut();
        overlays.saved.clear();
        prizm::display::fill_pixels(display.pixels(), BACKGROUND);
    }
    let result = paint(shared, picture, view, &view.viewport_rect());
    finish(shared, picture, view, overlays, damaged, result, first)
}

/// Shows what a pan of `moved` uncovered: the picture on screen shifts,
/// only the uncovered band is decoded (a diagonal or long jump redraws).
fn pan_view(
    shared: &Shared<'_>,
    picture: &mut Picture<'_, '_>,
    view: &View,
    moved: (i32, i32),
    overlays: &mut Overlays,
    damaged: &mut bool,
) -> Drawn {
    let (dx, dy) = moved;
    if (dx != 0 && dy != 0)
        || dx.unsigned_abs() >= view.viewport.0
        || dy.unsigned_abs() >= view.viewport.1
    {
        return redraw(shared, picture, view, overlays, damaged, false);
    }
    let bands = view.uncovered(moved);
    {
        let mut display = shared.display.borrow_mut();
        let pixels = display.pixels();
        overlays.remove(pixels);
        scroll(pixels, dx, dy);
        for band in &bands {
            fill(pixels, band, BACKGROUND);
        }
    }
    let mut result = Ok(());
    for band in &bands {
        result = paint(shared, picture, view, band);
        if result.is_err() {
            break;
        }
    }
    finish(shared, picture, view, overlays, damaged, result, false)
}

fn finish(
    shared: &Shared<'_>,
    picture: &Picture<'_, '_>,
    view: &View,
    overlays: &mut Overlays,
    damaged: &mut bool,
    result: Result<(), Error>,
    first: bool,
) -> Drawn {
    let mut display = shared.display.borrow_mut();
    match result {
        Ok(()) => {}
        Err(e) if messages::is_cancel(&e) => return Drawn::Cancelled,
        Err(e)
            if !first
                && matches!(
                    e.kind,
                    prizm_jpeg::ErrorKind::TooLarge { .. }
                        | prizm_jpeg::ErrorKind::OutOfMemory { .. }
                ) =>
        {
            display::put_display();
            let text = messages::describe(&e, Some(picture.info.coding));
            report(&mut display, &picture.path, &text);
            return Drawn::Refused;
        }
        Err(e) => {
            let nothing_shown = first && e.rows_output == 0;
            if nothing_shown || !*damaged {
                // Say it once per picture; later decodes show what they can.
                *damaged = true;
                display::put_display();
                let text = messages::describe(&e, Some(picture.info.coding));
                report(&mut display, &picture.path, &text);
                if nothing_shown {
                    return Drawn::Failed;
                }
            }
        }
    }
    overlays.draw(&mut display, view);
    Drawn::Ok
}
