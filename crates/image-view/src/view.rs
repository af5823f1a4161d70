//! Zoom steps and the view rectangle: which part of the picture is on
//! screen, at which decoder scale, and what a pan or a zoom changes.
//! Plain arithmetic, tested on the host.

use crate::orientation::Transform;

/// The zoom steps + and − walk through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zoom {
    /// The whole picture on screen (see [`fit`]).
    Fit,
    /// 1/8.
    Eighth,
    /// 1/4.
    Quarter,
    /// 1/2.
    Half,
    /// 1/1: one picture pixel per screen pixel.
    Full,
    /// 2×.
    Double,
    /// 4×.
    Quadruple,
}

/// The fixed steps, smallest first.
pub const STEPS: [Zoom; 6] = [
    Zoom::Eighth,
    Zoom::Quarter,
    Zoom::Half,
    Zoom::Full,
    Zoom::Double,
    Zoom::Quadruple,
];

/// How a zoom is made: the decoder's divisor (1, 2, 4, 8), then a
/// resampling of the decoded pixels by `num / den` (nearest pixel).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scaling {
    /// Decoder scale divisor.
    pub divisor: u32,
    /// Resampling numerator.
    pub num: u32,
    /// Resampling denominator.
    pub den: u32,
}

impl Scaling {
    /// Shown size relative to the picture as a fraction (numerator, denominator).
    pub fn ratio(self) -> (u64, u64) {
        (
            u64::from(self.num),
            u64::from(self.divisor) * u64::from(self.den),
        )
    }

    /// True if `self` shows the picture smaller than `other`.
    pub fn smaller_than(self, other: Scaling) -> bool {
        let (a, b) = self.ratio();
        let (c, d) = other.ratio();
        a * d < c * b
    }

    fn same_size(self, other: Scaling) -> bool {
        !self.smaller_than(other) && !other.smaller_than(self)
    }
}

impl Zoom {
    /// Code kept in the resume record.
    pub fn code(self) -> u8 {
        match self {
            Zoom::Fit => 0,
            Zoom::Eighth => 1,
            Zoom::Quarter => 2,
            Zoom::Half => 3,
            Zoom::Full => 4,
            Zoom::Double => 5,
            Zoom::Quadruple => 6,
        }
    }

    /// The zoom of a code ([`Zoom::code`]); unknown codes give `None`.
    pub fn from_code(code: u8) -> Option<Zoom> {
        [
            Zoom::Fit,
            Zoom::Eighth,
            Zoom::Quarter,
            Zoom::Half,
            Zoom::Full,
            Zoom::Double,
            Zoom::Quadruple,
        ]
        .get(usize::from(code))
        .copied()
    }

    /// The label shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            Zoom::Fit => "Fit",
            Zoom::Eighth => "1/8",
            Zoom::Quarter => "1/4",
            Zoom::Half => "1/2",
            Zoom::Full => "1/1",
            Zoom::Double => "2x",
            Zoom::Quadruple => "4x",
        }
    }

    /// How a fixed step is made (`None` for [`Zoom::Fit`], which depends on the picture).
    pub fn fixed_scaling(self) -> Option<Scaling> {
        let (divisor, num) = match self {
            Zoom::Fit => return None,
            Zoom::Eighth => (8, 1),
            Zoom::Quarter => (4, 1),
            Zoom::Half => (2, 1),
            Zoom::Full => (1, 1),
            Zoom::Double => (1, 2),
            Zoom::Quadruple => (1, 4),
        };
        Some(Scaling {
            divisor,
            num,
            den: 1,
        })
    }
}

/// The scaling that shows a picture of shown size `(w, h)` whole in a
/// `viewport`: the largest decoder scale (1/1 … 1/8) at which it fits,
/// never enlarged; a picture still too large at 1/8 is reduced further by
/// resampling to touch the viewport's sides.
pub fn fit(size: (u32, u32), viewport: (u32, u32)) -> Scaling {
    let (w, h) = (size.0.max(1), size.1.max(1));
    for divisor in [1, 2, 4, 8] {
        if w.div_ceil(divisor) <= viewport.0 && h.div_ceil(divisor) <= viewport.1 {
            return Scaling {
                divisor,
                num: 1,
                den: 1,
            };
        }
    }
    let (sw, sh) = (w.div_ceil(8), h.div_ceil(8));
    // The tighter side decides: viewport.0 / sw or viewport.1 / sh.
    if u64::from(viewport.0) * u64::from(sh) <= u64::from(viewport.1) * u64::from(sw) {
        Scaling {
            divisor: 8,
            num: viewport.0.max(1),
            den: sw,
        }
    } else {
        Scaling {
            divisor: 8,
            num: viewport.1.max(1),
            den: sh,
        }
    }
}

/// [`fit`] for a decoder that must not go below 1/`min_divisor` (a
/// progressive picture whose coefficients at a larger scale would not fit
/// in memory): the same shown size, decoded at 1/`min_divisor` and
/// enlarged by whole pixels.
pub fn fit_from(size: (u32, u32), viewport: (u32, u32), min_divisor: u32) -> Scaling {
    let s = fit(size, viewport);
    if s.divisor >= min_divisor || !matches!(min_divisor, 2 | 4 | 8) {
        return s;
    }
    Scaling {
        divisor: min_divisor,
        num: min_divisor / s.divisor,
        den: 1,
    }
}

/// The smallest decoder divisor at which a progressive picture's
/// coefficients (64 per block at 1/1–1/4, 2 bytes each; DC only at 1/8)
/// stay within `limit` bytes, for a picture of `blocks` 8×8 blocks in all
/// components: 1 if they fit, else 8.
pub fn progressive_min_divisor(blocks: u64, limit: u64) -> u32 {
    if blocks * 64 * 2 <= limit {
        1
    } else {
        8
    }
}

/// The zoom one step larger (`bigger`) or smaller than `current` for a
/// picture whose fit is `fit`: the fixed steps and Fit in order of size,
/// a step of the same size as Fit counted once (as Fit). Stays put at the ends.
pub fn step(current: Zoom, fit: Scaling, bigger: bool) -> Zoom {
    // The ladder: every step, Fit in its place, duplicates of Fit dropped.
    let mut ladder: heapless::Vec<(Zoom, Scaling), 7> = heapless::Vec::new();
    let mut fit_placed = false;
    for zoom in STEPS {
        let Some(s) = zoom.fixed_scaling() else {
            continue;
        };
        if !fit_placed && !s.smaller_than(fit) {
            let _ = ladder.push((Zoom::Fit, fit));
            fit_placed = true;
            if s.same_size(fit) {
                continue;
            }
        }
        let _ = ladder.push((zoom, s));
    }
    if !fit_placed {
        let _ = ladder.push((Zoom::Fit, fit));
    }
    let position = ladder.iter().position(|(z, _)| *z == current).or_else(|| {
        // A fixed step dropped as Fit's duplicate acts as Fit.
        ladder.iter().position(|(z, _)| *z == Zoom::Fit)
    });
    let Some(i) = position else { return current };
    let j = if bigger {
        (i + 1).min(ladder.len() - 1)
    } else {
        i.saturating_sub(1)
    };
    ladder[j].0
}

/// A rectangle on screen, `[x0, x1) × [y0, y1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenRect {
    /// Left.
    pub x0: i32,
    /// Top.
    pub y0: i32,
    /// Right (exclusive).
    pub x1: i32,
    /// Bottom (exclusive).
    pub y1: i32,
}

impl ScreenRect {
    /// True when it holds no pixel.
    pub fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }

    /// The common part (possibly empty).
    pub fn intersect(&self, other: &ScreenRect) -> ScreenRect {
        ScreenRect {
            x0: self.x0.max(other.x0),
            y0: self.y0.max(other.y0),
            x1: self.x1.min(other.x1),
            y1: self.y1.min(other.y1),
        }
    }

    /// Width in pixels (0 if empty).
    pub fn width(&self) -> u32 {
        (self.x1 - self.x0).max(0) as u32
    }

    /// Height in pixels (0 if empty).
    pub fn height(&self) -> u32 {
        (self.y1 - self.y0).max(0) as u32
    }
}

/// One decode that paints a screen rectangle: the region to ask the
/// decoder for (in decoder-scaled pixels) and the rectangle of resampled
/// (not yet oriented) pixels it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    /// Decoder region: x, y, width, height at [`Scaling::divisor`].
    pub region: (u32, u32, u32, u32),
    /// Resampled pixels `[x0, x1) × [y0, y1)` before orientation.
    pub shown: (u32, u32, u32, u32),
}

/// Which part of a picture is on screen and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
    /// Stored picture size in pixels.
    pub image: (u32, u32),
    /// Orientation (EXIF, then the user's turns).
    pub transform: Transform,
    /// The zoom step.
    pub zoom: Zoom,
    /// Screen area the picture is shown in (from the top-left corner).
    pub viewport: (u32, u32),
    /// How the zoom is made for this picture.
    pub scaling: Scaling,
    /// Smallest decoder divisor the fit may use (see [`fit_from`]).
    pub min_divisor: u32,
    /// Decoded size (stored orientation) at the decoder's divisor.
    pub decoded: (u32, u32),
    /// Resampled size (stored orientation).
    pub resampled: (u32, u32),
    /// Shown position of the screen's top-left pixel (negative when the
    /// picture is narrower than the viewport and centred).
    pub offset: (i32, i32),
}

impl View {
    /// A view of a `image`-sized picture at `zoom`, centred.
    pub fn new(image: (u32, u32), transform: Transform, zoom: Zoom, viewport: (u32, u32)) -> View {
        let mut view = View {
            image: (image.0.max(1), image.1.max(1)),
            transform,
            zoom,
            viewport,
            scaling: Scaling {
                divisor: 1,
                num: 1,
                den: 1,
            },
            min_divisor: 1,
            decoded: (1, 1),
            resampled: (1, 1),
            offset: (0, 0),
        };
        view.rescale();
        let (w, h) = view.shown_size();
        view.offset = (
            w as i32 / 2 - viewport.0 as i32 / 2,
            h as i32 / 2 - viewport.1 as i32 / 2,
        );
        view.clamp();
        view
    }

    fn rescale(&mut self) {
        self.scaling = match self.zoom.fixed_scaling() {
            Some(s) => s,
            None => fit_from(
                self.transform.shown_size(self.image),
                self.viewport,
                self.min_divisor,
            ),
        };
        let d = self.scaling.divisor;
        self.decoded = (self.image.0.div_ceil(d), self.image.1.div_ceil(d));
        let (num, den) = (
            u64::from(self.scaling.num),
            u64::from(self.scaling.den.max(1)),
        );
        let resample =
            |n: u32| ((u64::from(n) * num / den).clamp(1, u64::from(u32::MAX >> 2))) as u32;
        self.resampled = (resample(self.decoded.0), resample(self.decoded.1));
    }

    /// The shown (oriented, resampled) picture's size.
    pub fn shown_size(&self) -> (u32, u32) {
        self.transform.shown_size(self.resampled)
    }

    /// The fit of this picture in this viewport.
    pub fn fit(&self) -> Scaling {
        fit_from(
            self.transform.shown_size(self.image),
            self.viewport,
            self.min_divisor,
        )
    }

    fn clamp_axis(offset: i32, shown: u32, screen: u32) -> i32 {
        if shown <= screen {
            -((screen - shown) as i32 / 2)
        } else {
            offset.clamp(0, (shown - screen) as i32)
        }
    }

    /// Keeps the view inside the picture (centred along a side that fits).
    pub fn clamp(&mut self) {
        let (w, h) = self.shown_size();
        self.offset = (
            Self::clamp_axis(self.offset.0, w, self.viewport.0),
            Self::clamp_axis(self.offset.1, h, self.viewport.1),
        );
    }

    /// The middle of the viewport in shown pixels, as a fraction of the
    /// shown picture in units of 1/65536 (survives zoom and picture changes).
    pub fn centre(&self) -> (u32, u32) {
        let (w, h) = self.shown_size();
        let at = |offset: i32, screen: u32, size: u32| {
            let c = (i64::from(offset) + i64::from(screen / 2)).clamp(0, i64::from(size)) as u64;
            ((c * 65536) / u64::from(size.max(1))) as u32
        };
        (
            at(self.offset.0, self.viewport.0, w),
            at(self.offset.1, self.viewport.1, h),
        )
    }

    /// Puts the middle of the viewport at `centre` (see [`View::centre`]), clamped.
    pub fn set_centre(&mut self, centre: (u32, u32)) {
        let (w, h) = self.shown_size();
        let place = |c: u32, size: u32, screen: u32| {
            (u64::from(c.min(65536)) * u64::from(size) / 65536) as i32 - (screen / 2) as i32
        };
        self.offset = (
            place(centre.0, w, self.viewport.0),
            place(centre.1, h, self.viewport.1),
        );
        self.clamp();
    }

    /// Sets the smallest divisor the fit may use ([`fit_from`]), keeping the middle.
    pub fn set_min_divisor(&mut self, min_divisor: u32) {
        let centre = self.centre();
        self.min_divisor = min_divisor;
        self.rescale();
        self.set_centre(centre);
    }

    /// Changes the zoom, keeping the middle of the view where it was.
    pub fn set_zoom(&mut self, zoom: Zoom) {
        let centre = self.centre();
        self.zoom = zoom;
        self.rescale();
        self.set_centre(centre);
    }

    /// Turns the picture a quarter clockwise, keeping the same part in the middle.
    pub fn rotate_cw(&mut self) {
        let (cx, cy) = self.centre();
        self.transform = self.transform.then_rotate_cw();
        self.rescale();
        // The old middle (cx, cy) is now at (1 - cy, cx).
        self.set_centre((65536 - cy.min(65536), cx));
    }

    /// Moves the view by `(dx, dy)` shown pixels (clamped); returns the move made.
    pub fn pan(&mut self, dx: i32, dy: i32) -> (i32, i32) {
        let before = self.offset;
        self.offset = (before.0.saturating_add(dx), before.1.saturating_add(dy));
        self.clamp();
        (self.offset.0 - before.0, self.offset.1 - before.1)
    }

    /// Jumps to one of nine regions laid out like the keypad's digits:
    /// 7 8 9 along the top, 4 5 6 across the middle, 1 2 3 along the
    /// bottom. Other digits do nothing.
    pub fn jump(&mut self, digit: u8) {
        if !(1..=9).contains(&digit) {
            return;
        }
        let column = i32::from((digit - 1) % 3);
        let row = 2 - i32::from((digit - 1) / 3);
        let (w, h) = self.shown_size();
        let target = |part: i32, size: u32, screen: u32| {
            (size.saturating_sub(screen) as i64 * i64::from(part) / 2) as i32
        };
        self.offset = (
            target(column, w, self.viewport.0),
            target(row, h, self.viewport.1),
        );
        self.clamp();
    }

    /// The viewport as a screen rectangle.
    pub fn viewport_rect(&self) -> ScreenRect {
        ScreenRect {
            x0: 0,
            y0: 0,
            x1: self.viewport.0 as i32,
            y1: self.viewport.1 as i32,
        }
    }

    /// Where the picture lies on screen, within the viewport.
    pub fn picture_rect(&self) -> ScreenRect {
        let (w, h) = self.shown_size();
        let picture = ScreenRect {
            x0: -self.offset.0,
            y0: -self.offset.1,
            x1: w as i32 - self.offset.0,
            y1: h as i32 - self.offset.1,
        };
        picture.intersect(&self.viewport_rect())
    }

    /// Decoded pixel shown at resampled position `t` along one axis.
    pub fn source_of(&self, t: u32) -> u32 {
        (u64::from(t) * u64::from(self.scaling.den) / u64::from(self.scaling.num.max(1))) as u32
    }

    /// The decode that paints `rect` (clipped to the picture), or `None` if
    /// no picture pixel lies there.
    pub fn band(&self, rect: &ScreenRect) -> Option<Band> {
        let r = rect.intersect(&self.picture_rect());
        if r.is_empty() {
            return None;
        }
        let shown = (
            (r.x0 + self.offset.0) as u32,
            (r.y0 + self.offset.1) as u32,
            (r.x1 + self.offset.0) as u32,
            (r.y1 + self.offset.1) as u32,
        );
        let (x0, y0, x1, y1) = self.transform.invert_rect(shown, self.resampled);
        let (sx0, sy0) = (self.source_of(x0), self.source_of(y0));
        let (sx1, sy1) = (self.source_of(x1 - 1) + 1, self.source_of(y1 - 1) + 1);
        let sx1 = sx1.min(self.decoded.0);
        let sy1 = sy1.min(self.decoded.1);
        if sx0 >= sx1 || sy0 >= sy1 {
            return None;
        }
        Some(Band {
            region: (sx0, sy0, sx1 - sx0, sy1 - sy0),
            shown: (x0, y0, x1, y1),
        })
    }

    /// Screen position of resampled pixel `(x, y)` (stored orientation).
    pub fn screen_of(&self, p: (u32, u32)) -> (i32, i32) {
        let (a, b) = self.transform.apply(p, self.resampled);
        (a as i32 - self.offset.0, b as i32 - self.offset.1)
    }

    /// The screen rectangles a pan of `(dx, dy)` uncovers after the
    /// picture already on screen moved by `(-dx, -dy)`: a pan along one
    /// axis by less than the viewport uncovers one band.
    pub fn uncovered(&self, (dx, dy): (i32, i32)) -> heapless::Vec<ScreenRect, 2> {
        let v = self.viewport_rect();
        let mut out = heapless::Vec::new();
        if dx > 0 {
            let _ = out.push(ScreenRect { x0: v.x1 - dx, ..v });
        } else if dx < 0 {
            let _ = out.push(ScreenRect { x1: -dx, ..v });
        }
        if dy > 0 {
            let _ = out.push(ScreenRect { y0: v.y1 - dy, ..v });
        } else if dy < 0 {
            let _ = out.push(ScreenRect { y1: -dy, ..v });
        }
        out
    }

    /// True when the whole picture is on screen (no position indicator needed).
    pub fn shows_all(&self) -> bool {
        let (w, h) = self.shown_size();
        w <= self.viewport.0 && h <= self.viewport.1
    }

    /// The position indicator fitting in `max` (width, height): the
    /// picture's outline scaled down and, inside it, the part on screen.
    pub fn indicator(&self, max: (u32, u32)) -> (ScreenRect, ScreenRect) {
        let (w, h) = self.shown_size();
        let (w64, h64) = (u64::from(w.max(1)), u64::from(h.max(1)));
        // Scale so the outline touches max on its tighter side.
        let (ow, oh) = if u64::from(max.0) * h64 <= u64::from(max.1) * w64 {
            (max.0, ((u64::from(max.0) * h64 / w64) as u32).max(4))
        } else {
            (((u64::from(max.1) * w64 / h64) as u32).max(4), max.1)
        };
        let outline = ScreenRect {
            x0: 0,
            y0: 0,
            x1: ow as i32,
            y1: oh as i32,
        };
        let scale = |v: i64, size: u64, out: u32| {
            (v.clamp(0, size as i64) as u64 * u64::from(out) / size) as i32
        };
        let (x0, y0) = (i64::from(self.offset.0), i64::from(self.offset.1));
        let inner = ScreenRect {
            x0: scale(x0, w64, ow),
            y0: scale(y0, h64, oh),
            x1: scale(x0 + i64::from(self.viewport.0), w64, ow).max(scale(x0, w64, ow) + 1),
            y1: scale(y0 + i64::from(self.viewport.1), h64, oh).max(scale(y0, h64, oh) + 1),
        };
        (outline, inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: (u32, u32) = (384, 216);

    #[test]
    fn fit_picks_the_largest_decoder_scale_that_fits() {
        assert_eq!(
            fit((384, 216), SCREEN),
            Scaling {
                divisor: 1,
                num: 1,
                den: 1
            }
        );
        assert_eq!(
            fit((100, 50), SCREEN),
            Scaling {
                divisor: 1,
                num: 1,
                den: 1
            }
        );
        assert_eq!(
            fit((1024, 768), SCREEN),
            Scaling {
                divisor: 4,
                num: 1,
                den: 1
            }
        ); // 256×192
        assert_eq!(
            fit((768, 432), SCREEN),
            Scaling {
                divisor: 2,
                num: 1,
                den: 1
            }
        );
        assert_eq!(
            fit((769, 432), SCREEN),
            Scaling {
                divisor: 4,
                num: 1,
                den: 1
            }
        );
    }

    #[test]
    fn fit_resamples_pictures_too_large_even_at_one_eighth() {
        // 4000×3000 at 1/8 is 500×375: height decides, 216/375.
        let s = fit((4000, 3000), SCREEN);
        assert_eq!(
            s,
            Scaling {
                divisor: 8,
                num: 216,
                den: 375
            }
        );
        let v = View::new((4000, 3000), Transform::IDENTITY, Zoom::Fit, SCREEN);
        assert_eq!(v.resampled, (288, 216));
        assert!(v.shows_all());
        // A wide panorama: width decides.
        let v = View::new((12000, 1000), Transform::IDENTITY, Zoom::Fit, SCREEN);
        assert_eq!(v.resampled.0, 384);
        assert!(v.resampled.1 <= 216);
        // Turned a quarter, a tall picture uses the screen's width.
        let v = View::new(
            (3000, 4000),
            Transform::from_exif(Some(6)),
            Zoom::Fit,
            SCREEN,
        );
        assert_eq!(v.shown_size(), (288, 216));
    }

    #[test]
    fn fitted_pictures_are_centred() {
        let v = View::new((1024, 768), Transform::IDENTITY, Zoom::Fit, SCREEN);
        assert_eq!(
            v.picture_rect(),
            ScreenRect {
                x0: 64,
                y0: 12,
                x1: 320,
                y1: 204
            }
        );
        assert_eq!(v.offset, (-64, -12));
    }

    #[test]
    fn progressive_pictures_too_large_for_memory_fit_from_one_eighth() {
        // 1024×768 4:2:0: 18 432 blocks, 2.3 MB of coefficients at 1/4.
        assert_eq!(progressive_min_divisor(18_432, 350 * 1024), 8);
        assert_eq!(progressive_min_divisor(1_000, 350 * 1024), 1);
        assert_eq!(
            fit_from((1024, 768), SCREEN, 8),
            Scaling {
                divisor: 8,
                num: 2,
                den: 1
            }
        );
        assert_eq!(fit_from((1024, 768), SCREEN, 1), fit((1024, 768), SCREEN));
        assert_eq!(fit_from((4000, 3000), SCREEN, 8), fit((4000, 3000), SCREEN));
        let mut v = View::new((1024, 768), Transform::IDENTITY, Zoom::Fit, SCREEN);
        v.set_min_divisor(8);
        assert_eq!((v.decoded, v.resampled), ((128, 96), (256, 192)));
        assert_eq!(
            v.picture_rect(),
            ScreenRect {
                x0: 64,
                y0: 12,
                x1: 320,
                y1: 204
            }
        );
        assert_eq!(v.source_of(255), 127);
        // The ladder still puts Fit where 1/4 would be.
        assert_eq!(step(Zoom::Fit, v.fit(), true), Zoom::Half);
        assert_eq!(step(Zoom::Fit, v.fit(), false), Zoom::Eighth);
    }

    #[test]
    fn zoom_ladder_places_fit_among_the_steps() {
        let big = fit((4000, 3000), SCREEN);
        assert_eq!(step(Zoom::Fit, big, true), Zoom::Eighth);
        assert_eq!(step(Zoom::Fit, big, false), Zoom::Fit);
        assert_eq!(step(Zoom::Eighth, big, false), Zoom::Fit);
        // 1024×768: Fit is 1/4, so 1/4 is not a separate step.
        let mid = fit((1024, 768), SCREEN);
        assert_eq!(step(Zoom::Fit, mid, true), Zoom::Half);
        assert_eq!(step(Zoom::Fit, mid, false), Zoom::Eighth);
        assert_eq!(step(Zoom::Half, mid, false), Zoom::Fit);
        assert_eq!(step(Zoom::Quarter, mid, true), Zoom::Half);
        // A small picture: Fit is 1/1.
        let small = fit((200, 100), SCREEN);
        assert_eq!(step(Zoom::Half, small, true), Zoom::Fit);
        assert_eq!(step(Zoom::Fit, small, true), Zoom::Double);
        assert_eq!(step(Zoom::Double, small, true), Zoom::Quadruple);
        assert_eq!(step(Zoom::Quadruple, small, true), Zoom::Quadruple);
        assert_eq!(step(Zoom::Eighth, small, false), Zoom::Eighth);
    }

    #[test]
    fn zoom_codes_round_trip() {
        for z in [
            Zoom::Fit,
            Zoom::Eighth,
            Zoom::Quarter,
            Zoom::Half,
            Zoom::Full,
            Zoom::Double,
            Zoom::Quadruple,
        ] {
            assert_eq!(Zoom::from_code(z.code()), Some(z));
        }
        assert_eq!(Zoom::from_code(7), None);
    }

    #[test]
    fn zooming_keeps_the_middle() {
        let mut v = View::new((1024, 768), Transform::IDENTITY, Zoom::Full, SCREEN);
        v.jump(3); // bottom right
        assert_eq!(v.offset, (1024 - 384, 768 - 216));
        let before = v.centre();
        v.set_zoom(Zoom::Double);
        assert_eq!(v.resampled, (2048, 1536));
        let after = v.centre();
        assert!(
            before.0.abs_diff(after.0) < 100 && before.1.abs_diff(after.1) < 100,
            "{before:?} {after:?}"
        );
        v.set_zoom(Zoom::Full);
        assert_eq!(v.offset, (1024 - 384, 768 - 216));
    }

    #[test]
    fn pans_are_clamped_to_the_picture() {
        let mut v = View::new((1024, 768), Transform::IDENTITY, Zoom::Full, SCREEN);
        assert_eq!(v.offset, (320, 276));
        assert_eq!(v.pan(96, 0), (96, 0));
        assert_eq!(v.pan(1000, 0), (1024 - 384 - 416, 0));
        assert_eq!(v.offset.0, 640);
        assert_eq!(v.pan(0, -1000), (0, -276));
        // A side that fits does not move.
        let mut small = View::new((300, 600), Transform::IDENTITY, Zoom::Full, SCREEN);
        assert_eq!(small.pan(50, 0), (0, 0));
        assert_eq!(small.offset.0, -42);
        assert_eq!(small.pan(0, 54), (0, 54));
    }

    #[test]
    fn regions_follow_the_keypad() {
        let mut v = View::new((1000, 1000), Transform::IDENTITY, Zoom::Full, SCREEN);
        v.jump(7);
        assert_eq!(v.offset, (0, 0));
        v.jump(9);
        assert_eq!(v.offset, (616, 0));
        v.jump(5);
        assert_eq!(v.offset, (308, 392));
        v.jump(1);
        assert_eq!(v.offset, (0, 784));
        v.jump(0);
        assert_eq!(v.offset, (0, 784));
    }

    #[test]
    fn bands_cover_the_rectangle_in_decoder_pixels() {
        let v = View::new((1024, 768), Transform::IDENTITY, Zoom::Full, SCREEN);
        let b = v
            .band(&ScreenRect {
                x0: 288,
                y0: 0,
                x1: 384,
                y1: 216,
            })
            .unwrap();
        assert_eq!(b.region, (320 + 288, 276, 96, 216));
        // At 2×, each decoded pixel covers two: a 96-wide strip needs 48 of them.
        let v = View::new((1024, 768), Transform::IDENTITY, Zoom::Double, SCREEN);
        let b = v.band(&v.viewport_rect()).unwrap();
        assert_eq!((b.region.2, b.region.3), (192, 108));
        // Fit of a huge picture: the whole 1/8 picture.
        let v = View::new((4000, 3000), Transform::IDENTITY, Zoom::Fit, SCREEN);
        let b = v.band(&v.viewport_rect()).unwrap();
        // Nearest-pixel reduction by 216/375 never samples the last decoded row and column.
        assert_eq!(b.region, (0, 0, v.source_of(287) + 1, v.source_of(215) + 1));
        assert_eq!(b.region, (0, 0, 499, 374));
        // Nothing outside the picture.
        let v = View::new((100, 100), Transform::IDENTITY, Zoom::Full, SCREEN);
        assert_eq!(
            v.band(&ScreenRect {
                x0: 0,
                y0: 0,
                x1: 100,
                y1: 216
            }),
            None
        );
    }

    #[test]
    fn bands_of_a_turned_picture_are_turned_back() {
        // Stored 768 wide and 1024 tall, shown turned (1024×768 on screen).
        let v = View::new(
            (768, 1024),
            Transform::from_exif(Some(6)),
            Zoom::Full,
            SCREEN,
        );
        assert_eq!(v.shown_size(), (1024, 768));
        let b = v.band(&v.viewport_rect()).unwrap();
        // The screen's 384 columns are stored rows, its 216 rows stored columns.
        assert_eq!((b.region.2, b.region.3), (216, 384));
        // Every screen pixel of the viewport comes from inside the band.
        for (x, y) in [(0, 0), (383, 0), (0, 215), (383, 215)] {
            let shown = ((x + v.offset.0) as u32, (y + v.offset.1) as u32);
            let stored = v.transform.invert(shown, v.resampled);
            assert!(
                stored.0 >= b.shown.0
                    && stored.0 < b.shown.2
                    && stored.1 >= b.shown.1
                    && stored.1 < b.shown.3
            );
            assert_eq!(v.screen_of(stored), (x, y));
        }
    }

    #[test]
    fn turning_keeps_the_middle_and_swaps_the_sides() {
        let mut v = View::new((1024, 768), Transform::IDENTITY, Zoom::Full, SCREEN);
        v.jump(7);
        v.rotate_cw();
        assert_eq!(v.shown_size(), (768, 1024));
        // The old middle (192, 108) of 1024×768 is now at (768 - 108, 192):
        // pushed against the right side, 84 rows down.
        assert_eq!(v.offset, (768 - 384, 192 - 108));
    }

    #[test]
    fn a_pan_uncovers_one_band() {
        let v = View::new((1024, 768), Transform::IDENTITY, Zoom::Full, SCREEN);
        let r = v.uncovered((96, 0));
        assert_eq!(
            r.as_slice(),
            &[ScreenRect {
                x0: 288,
                y0: 0,
                x1: 384,
                y1: 216
            }]
        );
        let r = v.uncovered((0, -54));
        assert_eq!(
            r.as_slice(),
            &[ScreenRect {
                x0: 0,
                y0: 0,
                x1: 384,
                y1: 54
            }]
        );
    }

    #[test]
    fn indicator_shows_where_the_view_is() {
        let mut v = View::new((1536, 864), Transform::IDENTITY, Zoom::Full, SCREEN);
        v.jump(7);
        let (outline, inner) = v.indicator((48, 32));
        assert_eq!(
            outline,
            ScreenRect {
                x0: 0,
                y0: 0,
                x1: 48,
                y1: 27
            }
        );
        assert_eq!(
            inner,
            ScreenRect {
                x0: 0,
                y0: 0,
                x1: 12,
                y1: 6
            }
        );
        v.jump(3);
        let (_, inner) = v.indicator((48, 32));
        assert_eq!((inner.x1, inner.y1), (48, 27));
    }

    #[test]
    fn resampling_maps_shown_pixels_to_decoded_ones() {
        let v = View::new((4000, 3000), Transform::IDENTITY, Zoom::Fit, SCREEN);
        assert_eq!(v.source_of(0), 0);
        assert_eq!(v.source_of(215), 215 * 375 / 216);
        assert!(v.source_of(v.resampled.0 - 1) < v.decoded.0);
        let v = View::new((100, 100), Transform::IDENTITY, Zoom::Quadruple, SCREEN);
        assert_eq!(v.source_of(7), 1);
    }
}
