//! Drawing on a 384×216 RGB565 frame buffer stored big-endian, as VRAM is.

use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};

/// RGB565 white.
pub const WHITE: u16 = 0xFFFF;
/// RGB565 black.
pub const BLACK: u16 = 0x0000;

/// The 8 indexed text colours (`TEXT_COLOR_BLACK` 0 … `TEXT_COLOR_WHITE` 7).
pub const TEXT_COLORS: [u16; 8] = [
    0x0000, // black
    0x001F, // blue
    0x07E0, // green
    0x07FF, // cyan
    0xF800, // red
    0xF81F, // purple
    0xFFE0, // yellow
    0xFFFF, // white
];

/// An indexed text colour as RGB565 (out-of-range indices are black).
pub fn text_color(index: u32) -> u16 {
    TEXT_COLORS.get(index as usize).copied().unwrap_or(BLACK)
}

/// A rectangle, `x`/`y` inclusive, `w`/`h` in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
}

impl Rect {
    /// A rectangle from corner and size.
    pub fn new(x: i32, y: i32, w: i32, h: i32) -> Rect {
        Rect { x, y, w, h }
    }

    /// A rectangle from two inclusive corners in any order.
    pub fn from_corners(x1: i32, y1: i32, x2: i32, y2: i32) -> Rect {
        let (x1, x2) = (x1.min(x2), x1.max(x2));
        let (y1, y2) = (y1.min(y2), y1.max(y2));
        Rect {
            x: x1,
            y: y1,
            w: x2.saturating_sub(x1).saturating_add(1),
            h: y2.saturating_sub(y1).saturating_add(1),
        }
    }

    /// The part on screen, if any.
    pub fn clipped(self) -> Option<Rect> {
        let x1 = self.x.max(0);
        let y1 = self.y.max(0);
        let x2 = self.x.saturating_add(self.w).min(SCREEN_WIDTH as i32);
        let y2 = self.y.saturating_add(self.h).min(SCREEN_HEIGHT as i32);
        (x1 < x2 && y1 < y2).then(|| Rect {
            x: x1,
            y: y1,
            w: x2 - x1,
            h: y2 - y1,
        })
    }

    /// Whether the two rectangles overlap.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.x.saturating_add(other.w)
            && other.x < self.x.saturating_add(self.w)
            && self.y < other.y.saturating_add(other.h)
            && other.y < self.y.saturating_add(self.h)
    }
}

/// A frame buffer view.
pub struct Canvas<'a> {
    bytes: &'a mut [u8],
}

impl<'a> Canvas<'a> {
    /// Wraps 384×216×2 bytes (shorter buffers simply clip).
    pub fn new(bytes: &'a mut [u8]) -> Canvas<'a> {
        Canvas { bytes }
    }

    /// Sets a pixel; off-screen pixels are ignored.
    #[inline]
    pub fn set(&mut self, x: i32, y: i32, color: u16) {
        if x >= 0 && y >= 0 && (x as usize) < SCREEN_WIDTH && (y as usize) < SCREEN_HEIGHT {
            let at = 2 * (y as usize * SCREEN_WIDTH + x as usize);
            if let Some(px) = self.bytes.get_mut(at..at + 2) {
                px.copy_from_slice(&color.to_be_bytes());
            }
        }
    }

    /// Reads a pixel (off-screen reads 0).
    pub fn get(&self, x: i32, y: i32) -> u16 {
        if x >= 0 && y >= 0 && (x as usize) < SCREEN_WIDTH && (y as usize) < SCREEN_HEIGHT {
            let at = 2 * (y as usize * SCREEN_WIDTH + x as usize);
            if let Some(px) = self.bytes.get(at..at + 2) {
                return u16::from_be_bytes([px[0], px[1]]);
            }
        }
        0
    }

    /// Fills a rectangle (clipped).
    pub fn fill(&mut self, rect: Rect, color: u16) {
        let Some(r) = rect.clipped() else { return };
        let [hi, lo] = color.to_be_bytes();
        for y in r.y..r.y + r.h {
            let start = 2 * (y as usize * SCREEN_WIDTH + r.x as usize);
            let end = start + 2 * r.w as usize;
            if let Some(row) = self.bytes.get_mut(start..end) {
                for px in row.chunks_exact_mut(2) {
                    px[0] = hi;
                    px[1] = lo;
                }
            }
        }
    }

    /// Draws a one-pixel outline.
    pub fn outline(&mut self, rect: Rect, color: u16) {
        if rect.w <= 0 || rect.h <= 0 {
            return;
        }
        let right = rect.x.saturating_add(rect.w - 1);
        let bottom = rect.y.saturating_add(rect.h - 1);
        self.fill(Rect::new(rect.x, rect.y, rect.w, 1), color);
        self.fill(Rect::new(rect.x, bottom, rect.w, 1), color);
        self.fill(Rect::new(rect.x, rect.y, 1, rect.h), color);
        self.fill(Rect::new(right, rect.y, 1, rect.h), color);
    }

    /// Inverts the colours of a rectangle.
    pub fn invert(&mut self, rect: Rect) {
        let Some(r) = rect.clipped() else { return };
        for y in r.y..r.y + r.h {
            for x in r.x..r.x + r.w {
                let c = self.get(x, y);
                self.set(x, y, !c);
            }
        }
    }

    /// A hash of the pixels of a rectangle (for noticing that something
    /// drew over it).
    pub fn hash(&self, rect: Rect) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        if let Some(r) = rect.clipped() {
            for y in r.y..r.y + r.h {
                let start = 2 * (y as usize * SCREEN_WIDTH + r.x as usize);
                let end = start + 2 * r.w as usize;
                for b in self.bytes.get(start..end).unwrap_or(&[]) {
                    h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
                }
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawing_clips() {
        let mut buf = vec![0u8; SCREEN_WIDTH * SCREEN_HEIGHT * 2];
        let mut c = Canvas::new(&mut buf);
        c.fill(Rect::new(-10, -10, 20, 20), 0x1234);
        assert_eq!(c.get(0, 0), 0x1234);
        assert_eq!(c.get(9, 9), 0x1234);
        assert_eq!(c.get(10, 10), 0);
        c.set(-1, 5, 1);
        c.set(384, 5, 1);
        c.fill(Rect::new(380, 210, 100, 100), 0xFFFF);
        assert_eq!(c.get(383, 215), 0xFFFF);
        c.fill(Rect::new(i32::MAX - 1, 0, i32::MAX, 5), 1);
        c.outline(Rect::new(100, 100, 3, 3), 7);
        c.outline(Rect::new(i32::MAX - 1, i32::MIN, i32::MAX, i32::MAX), 7);
        c.outline(
            Rect::from_corners(i32::MIN, i32::MIN, i32::MAX, i32::MAX),
            7,
        );
        assert_eq!(c.get(101, 101), 0);
        assert_eq!(c.get(102, 100), 7);
        assert_eq!(buf[0..2], [0x12, 0x34]);
    }

    #[test]
    fn rect_helpers() {
        assert_eq!(Rect::from_corners(5, 6, 1, 2), Rect::new(1, 2, 5, 5));
        assert!(Rect::new(0, 0, 10, 10).intersects(&Rect::new(9, 9, 5, 5)));
        assert!(!Rect::new(0, 0, 10, 10).intersects(&Rect::new(10, 0, 5, 5)));
        assert_eq!(Rect::new(400, 0, 10, 10).clipped(), None);
        assert_eq!(text_color(4), 0xF800);
        assert_eq!(text_color(99), BLACK);
    }
}
