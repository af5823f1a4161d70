//! Drawing into RGB565 pixel memory with `embedded-graphics`: [`Canvas`]
//! borrows any row-major pixel slice (the VRAM on the calculator),
//! [`Framebuffer`] owns one (for off-screen drawing and host tests). Both
//! implement `DrawTarget<Color = Rgb565>` with whole-row fast paths.

use alloc::vec;
use alloc::vec::Vec;
use core::convert::Infallible;

use embedded_graphics::draw_target::DrawTarget;
use embedded_graphics::geometry::{OriginDimensions, Point, Size};
use embedded_graphics::pixelcolor::raw::RawU16;
use embedded_graphics::pixelcolor::{IntoStorage, Rgb565};
use embedded_graphics::primitives::Rectangle;
use embedded_graphics::Pixel;

/// Converts an `embedded-graphics` colour to the raw RGB565 word VRAM holds.
#[inline]
pub fn to_raw(color: Rgb565) -> u16 {
    color.into_storage()
}

/// Converts a raw RGB565 word (as [`super::rgb`] returns) to a colour.
#[inline]
pub fn from_raw(raw: u16) -> Rgb565 {
    Rgb565::from(RawU16::new(raw))
}

/// A drawing surface over borrowed row-major RGB565 pixels.
///
/// ```
/// use embedded_graphics::{pixelcolor::Rgb565, prelude::*, primitives::{PrimitiveStyle, Rectangle}};
/// use prizm::display::Canvas;
///
/// let mut pixels = [0u16; 8 * 4];
/// let mut canvas = Canvas::new(&mut pixels, 8, 4).unwrap();
/// Rectangle::new(Point::new(2, 1), Size::new(3, 2))
///     .into_styled(PrimitiveStyle::with_fill(Rgb565::RED))
///     .draw(&mut canvas)
///     .unwrap();
/// assert_eq!(canvas.pixel(2, 1), Some(Rgb565::RED));
/// assert_eq!(canvas.pixel(5, 1), Some(Rgb565::BLACK));
/// ```
pub struct Canvas<'a> {
    pixels: &'a mut [u16],
    width: usize,
    height: usize,
}

impl<'a> Canvas<'a> {
    /// Wraps `pixels` as a `width` × `height` image, or `None` when the
    /// slice is too short.
    pub fn new(pixels: &'a mut [u16], width: usize, height: usize) -> Option<Self> {
        let needed = width.checked_mul(height)?;
        if pixels.len() < needed || width > i32::MAX as usize || height > i32::MAX as usize {
            return None;
        }
        Some(Canvas {
            pixels: &mut pixels[..needed],
            width,
            height,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The colour at (`x`, `y`), or `None` outside the canvas.
    pub fn pixel(&self, x: i32, y: i32) -> Option<Rgb565> {
        self.index(x, y).map(|i| from_raw(self.pixels[i]))
    }

    /// Sets the colour at (`x`, `y`); does nothing outside the canvas.
    pub fn set_pixel(&mut self, x: i32, y: i32, color: Rgb565) {
        if let Some(i) = self.index(x, y) {
            self.pixels[i] = to_raw(color);
        }
    }

    /// The raw pixels, row-major.
    pub fn pixels(&self) -> &[u16] {
        self.pixels
    }

    /// The raw pixels, row-major, writable.
    pub fn pixels_mut(&mut self) -> &mut [u16] {
        self.pixels
    }

    fn index(&self, x: i32, y: i32) -> Option<usize> {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return None;
        }
        Some(y as usize * self.width + x as usize)
    }

    fn bounds(&self) -> Rectangle {
        Rectangle::new(
            Point::zero(),
            Size::new(self.width as u32, self.height as u32),
        )
    }
}

impl OriginDimensions for Canvas<'_> {
    fn size(&self) -> Size {
        Size::new(self.width as u32, self.height as u32)
    }
}

/// The visible part of `area` as (x, y, width, height) in pixels, or
/// `None` when nothing of it is on the canvas.
fn clip(area: &Rectangle, bounds: &Rectangle) -> Option<(usize, usize, usize, usize)> {
    let visible = area.intersection(bounds);
    if visible.is_zero_sized() {
        return None;
    }
    Some((
        visible.top_left.x as usize,
        visible.top_left.y as usize,
        visible.size.width as usize,
        visible.size.height as usize,
    ))
}

impl DrawTarget for Canvas<'_> {
    type Color = Rgb565;
    type Error = Infallible;

    fn draw_iter<I>(&mut self, pixels: I) -> Result<(), Self::Error>
    where
        I: IntoIterator<Item = Pixel<Self::Color>>,
    {
        for Pixel(point, color) in pixels {
            self.set_pixel(point.x, point.y, color);
        }
        Ok(())
    }

    fn fill_contiguous<I>(&mut self, area: &Rectangle, colors: I) -> Result<(), Self::Error>
    where
        I: IntoIterator<Item = Self::Color>,
    {
        let Some((x, y, width, height)) = clip(area, &self.bounds()) else {
            return Ok(());
        };
        let area_width = area.size.width as usize;
        // Colours of clipped rows and columns are consumed and dropped so
        // that the visible ones line up.
        let skip_left = (x as i64 - area.top_left.x as i64) as usize;
        let skip_right = area_width - skip_left - width;
        let skip_top = (y as i64 - area.top_left.y as i64) as usize;
        let mut colors = colors.into_iter();
        if skip_top > 0 && colors.nth(skip_top * area_width - 1).is_none() {
            return Ok(());
        }
        for row in y..y + height {
            if skip_left > 0 && colors.nth(skip_left - 1).is_none() {
                return Ok(());
            }
            let start = row * self.width + x;
            for (pixel, color) in self.pixels[start..start + width]
                .iter_mut()
                .zip(colors.by_ref())
            {
                *pixel = to_raw(color);
            }
            if skip_right > 0 && colors.nth(skip_right - 1).is_none() {
                return Ok(());
            }
        }
        Ok(())
    }

    fn fill_solid(&mut self, area: &Rectangle, color: Self::Color) -> Result<(), Self::Error> {
        let Some((x, y, width, height)) = clip(area, &self.bounds()) else {
            return Ok(());
        };
        let raw = to_raw(color);
        for row in y..y + height {
            let start = row * self.width + x;
            super::fill_pixels(&mut self.pixels[start..start + width], raw);
        }
        Ok(())
    }

    fn clear(&mut self, color: Self::Color) -> Result<(), Self::Error> {
        super::fill_pixels(self.pixels, to_raw(color));
        Ok(())
    }
}

/// An owned RGB565 image: off-screen drawing, and the stand-in for VRAM in
/// host tests (same trait, same fast paths as [`super::Vram`]).
///
/// ```
/// use embedded_graphics::{pixelcolor::Rgb565, prelude::*};
/// use prizm::display::Framebuffer;
///
/// let mut screen = Framebuffer::screen();
/// screen.clear(Rgb565::WHITE).unwrap();
/// assert_eq!(screen.pixel(383, 215), Some(Rgb565::WHITE));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Framebuffer {
    pixels: Vec<u16>,
    width: usize,
    height: usize,
}

impl core::fmt::Debug for Framebuffer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Framebuffer({}x{})", self.width, self.height)
    }
}

impl Framebuffer {
    /// A black `width` × `height` image.
    pub fn new(width: usize, height: usize) -> Self {
        Framebuffer {
            pixels: vec![0; width * height],
            width,
            height,
        }
    }

    /// A black image the size of the screen (384 × 216).
    pub fn screen() -> Self {
        Self::new(super::WIDTH, super::HEIGHT)
    }

    /// Borrows the image as a [`Canvas`].
    pub fn canvas(&mut self) -> Canvas<'_> {
        Canvas {
            pixels: &mut self.pixels,
            width: self.width,
            height: self.height,
        }
    }

    /// The colour at (`x`, `y`), or `None` outside the image.
    pub fn pixel(&self, x: i32, y: i32) -> Option<Rgb565> {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return None;
        }
        Some(from_raw(self.pixels[y as usize * self.width + x as usize]))
    }

    /// The raw pixels, row-major.
    pub fn pixels(&self) -> &[u16] {
        &self.pixels
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }
}

impl OriginDimensions for Framebuffer {
    fn size(&self) -> Size {
        Size::new(self.width as u32, self.height as u32)
    }
}

/// `DrawTarget` for a pixel buffer type with a `canvas()` method: every
/// call goes to the [`Canvas`] over its pixels (its fast fills included).
macro_rules! draw_through_canvas {
    ($($buffer:tt)*) => {
        impl embedded_graphics::draw_target::DrawTarget for $($buffer)* {
            type Color = embedded_graphics::pixelcolor::Rgb565;
            type Error = core::convert::Infallible;

            fn draw_iter<I>(&mut self, pixels: I) -> Result<(), Self::Error>
            where
                I: IntoIterator<Item = embedded_graphics::Pixel<Self::Color>>,
            {
                self.canvas().draw_iter(pixels)
            }

            fn fill_contiguous<I>(
                &mut self,
                area: &embedded_graphics::primitives::Rectangle,
                colors: I,
            ) -> Result<(), Self::Error>
            where
                I: IntoIterator<Item = Self::Color>,
            {
                self.canvas().fill_contiguous(area, colors)
            }

            fn fill_solid(
                &mut self,
                area: &embedded_graphics::primitives::Rectangle,
                color: Self::Color,
            ) -> Result<(), Self::Error> {
                self.canvas().fill_solid(area, color)
            }

            fn clear(&mut self, color: Self::Color) -> Result<(), Self::Error> {
                self.canvas().clear(color)
            }
        }
    };
}
pub(crate) use draw_through_canvas;

draw_through_canvas!(Framebuffer);

#[cfg(test)]
mod tests {
    use super::*;
    use embedded_graphics::prelude::*;
    use embedded_graphics::primitives::{Circle, Line, PrimitiveStyle};

    /// The reference: what the default, pixel-by-pixel trait methods do.
    struct Slow(Framebuffer);
    impl OriginDimensions for Slow {
        fn size(&self) -> Size {
            self.0.size()
        }
    }
    impl DrawTarget for Slow {
        type Color = Rgb565;
        type Error = Infallible;
        fn draw_iter<I: IntoIterator<Item = Pixel<Rgb565>>>(
            &mut self,
            pixels: I,
        ) -> Result<(), Infallible> {
            self.0.draw_iter(pixels)
        }
    }

    fn color(i: u32) -> Rgb565 {
        from_raw((i.wrapping_mul(2_654_435_761) >> 16) as u16)
    }

    prizm_test! {
        /// Every start and length (aligned or not for the 32-bit stores)
        /// gets exactly its pixels filled, nothing around them.
        fn fill_pixels_fills_exactly_the_slice_at_any_alignment() {
            for start in 0..5 {
                for len in 0..12 {
                    let mut pixels = [0x1234u16; 20];
                    super::super::fill_pixels(&mut pixels[start..start + len], 0xF81F);
                    for (i, &p) in pixels.iter().enumerate() {
                        let inside = (start..start + len).contains(&i);
                        assert_eq!(p, if inside { 0xF81F } else { 0x1234 }, "start {start} len {len} at {i}");
                    }
                }
            }
        }
    }

    prizm_test! {
        fn fill_solid_matches_pixel_by_pixel_with_clipping() {
            let areas = [(-5, -5, 10, 10), (10, 3, 4, 100), (0, 0, 32, 16), (30, 14, 10, 10), (40, 0, 3, 3), (3, 3, 0, 5)];
            for (i, &(x, y, w, h)) in areas.iter().enumerate() {
                let area = Rectangle::new(Point::new(x, y), Size::new(w, h));
                let mut fast = Framebuffer::new(32, 16);
                let mut slow = Slow(Framebuffer::new(32, 16));
                fast.fill_solid(&area, color(i as u32 + 1)).unwrap();
                slow.fill_solid(&area, color(i as u32 + 1)).unwrap();
                assert!(fast == slow.0, "area {i}");
            }
        }
    }

    prizm_test! {
        fn fill_contiguous_matches_pixel_by_pixel_with_clipping() {
            let areas = [(-5, -3, 10, 10), (28, 10, 10, 10), (0, 0, 32, 16), (-40, 0, 3, 3), (4, -2, 30, 30), (5, 5, 2, 2)];
            for (i, &(x, y, w, h)) in areas.iter().enumerate() {
                let area = Rectangle::new(Point::new(x, y), Size::new(w, h));
                let colors = (0..w * h).map(color);
                let mut fast = Framebuffer::new(32, 16);
                let mut slow = Slow(Framebuffer::new(32, 16));
                fast.fill_contiguous(&area, colors.clone()).unwrap();
                slow.fill_contiguous(&area, colors).unwrap();
                assert!(fast == slow.0, "area {i}");
                // Too few colours: stops early, never panics.
                fast.fill_contiguous(&area, (0..3).map(color)).unwrap();
            }
        }
    }

    prizm_test! {
        fn primitives_draw_the_same_as_the_reference() {
            let mut fast = Framebuffer::screen();
            let mut slow = Slow(Framebuffer::screen());
            let circle = Circle::new(Point::new(-20, 100), 90).into_styled(PrimitiveStyle::with_fill(Rgb565::GREEN));
            let line = Line::new(Point::new(0, 0), Point::new(383, 215)).into_styled(PrimitiveStyle::with_stroke(Rgb565::RED, 3));
            let rect = Rectangle::new(Point::new(300, 180), Size::new(200, 100))
                .into_styled(PrimitiveStyle::with_stroke(Rgb565::BLUE, 2));
            circle.draw(&mut fast).unwrap();
            line.draw(&mut fast).unwrap();
            rect.draw(&mut fast).unwrap();
            circle.draw(&mut slow).unwrap();
            line.draw(&mut slow).unwrap();
            rect.draw(&mut slow).unwrap();
            assert!(fast == slow.0);
            assert_eq!(fast.pixel(0, 0), Some(Rgb565::RED));
            assert_eq!(fast.pixel(10, 140), Some(Rgb565::GREEN));
        }
    }

    prizm_test! {
        fn canvas_rejects_short_slices_and_clears() {
            let mut pixels = [7u16; 10];
            assert!(Canvas::new(&mut pixels, 4, 3).is_none());
            let mut canvas = Canvas::new(&mut pixels, 3, 3).unwrap();
            canvas.clear(Rgb565::WHITE).unwrap();
            assert_eq!(canvas.pixel(2, 2), Some(Rgb565::WHITE));
            assert_eq!(canvas.pixel(3, 0), None);
            canvas.set_pixel(-1, 0, Rgb565::RED);
            assert_eq!(pixels[9], 7, "only width*height pixels are used");
        }
    }

    prizm_test! {
        fn raw_conversion_matches_rgb() {
            assert_eq!(to_raw(Rgb565::new(31, 0, 0)), super::super::rgb(255, 0, 0));
            assert_eq!(to_raw(from_raw(0x1234)), 0x1234);
        }
    }
}
