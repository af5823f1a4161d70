//! How a picture's stored pixels map to what is shown: the eight EXIF
//! orientations (and the user's quarter turns) as one transform.

/// A mapping from stored pixel `(x, y)` of a `width × height` picture to
/// shown pixel: first an optional swap of the axes (the shown picture is
/// then `height × width`), then optional mirrors of the shown x and y.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Transform {
    /// Axes swapped (a quarter turn, with or without a mirror).
    pub swap: bool,
    /// Shown x mirrored.
    pub flip_x: bool,
    /// Shown y mirrored.
    pub flip_y: bool,
}

impl Transform {
    /// Shown as stored.
    pub const IDENTITY: Transform = Transform {
        swap: false,
        flip_x: false,
        flip_y: false,
    };

    /// The transform that displays a picture tagged with EXIF orientation
    /// `tag` (1–8) upright; anything else counts as 1.
    pub fn from_exif(tag: Option<u8>) -> Transform {
        let (swap, flip_x, flip_y) = match tag {
            Some(2) => (false, true, false),
            Some(3) => (false, true, true),
            Some(4) => (false, false, true),
            Some(5) => (true, false, false),
            Some(6) => (true, true, false),
            Some(7) => (true, true, true),
            Some(8) => (true, false, true),
            _ => (false, false, false),
        };
        Transform {
            swap,
            flip_x,
            flip_y,
        }
    }

    /// This transform followed by a quarter turn clockwise.
    pub fn then_rotate_cw(self) -> Transform {
        // (X, Y) -> (H' - 1 - Y, X): the old y mirror becomes the new x
        // mirror's complement and the old x mirror the new y mirror.
        Transform {
            swap: !self.swap,
            flip_x: !self.flip_y,
            flip_y: self.flip_x,
        }
    }

    /// This transform followed by `turns` quarter turns clockwise.
    pub fn then_rotate(self, turns: u8) -> Transform {
        (0..turns % 4).fold(self, |t, _| t.then_rotate_cw())
    }

    /// Size of the shown picture for a stored `(width, height)`.
    pub fn shown_size(self, (w, h): (u32, u32)) -> (u32, u32) {
        if self.swap {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// Shown position of stored pixel `(x, y)` of a picture of stored size `size`.
    pub fn apply(self, (x, y): (u32, u32), size: (u32, u32)) -> (u32, u32) {
        let (sw, sh) = self.shown_size(size);
        let (a, b) = if self.swap { (y, x) } else { (x, y) };
        let a = if self.flip_x { sw - 1 - a } else { a };
        let b = if self.flip_y { sh - 1 - b } else { b };
        (a, b)
    }

    /// Stored position of shown pixel `(x, y)` (the inverse of [`Transform::apply`]).
    pub fn invert(self, (x, y): (u32, u32), size: (u32, u32)) -> (u32, u32) {
        let (sw, sh) = self.shown_size(size);
        let a = if self.flip_x { sw - 1 - x } else { x };
        let b = if self.flip_y { sh - 1 - y } else { y };
        if self.swap {
            (b, a)
        } else {
            (a, b)
        }
    }

    /// The stored rectangle `[x0, x1) × [y0, y1)` that shows as the shown
    /// rectangle given the same way (non-empty, inside the picture).
    pub fn invert_rect(
        self,
        (x0, y0, x1, y1): (u32, u32, u32, u32),
        size: (u32, u32),
    ) -> (u32, u32, u32, u32) {
        let (ax, ay) = self.invert((x0, y0), size);
        let (bx, by) = self.invert((x1 - 1, y1 - 1), size);
        (ax.min(bx), ay.min(by), ax.max(bx) + 1, ay.max(by) + 1)
    }

    /// A short description for the information screen.
    pub fn describe(self) -> &'static str {
        match (self.swap, self.flip_x, self.flip_y) {
            (false, false, false) => "as stored",
            (false, true, false) => "mirrored",
            (false, true, true) => "upside down",
            (false, false, true) => "flipped",
            (true, false, false) => "transposed",
            (true, true, false) => "turned right",
            (true, true, true) => "transverse",
            (true, false, true) => "turned left",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rotating a 3×2 picture 90° clockwise: the stored top-left pixel
    /// ends top-right, the stored bottom-left ends top-left.
    #[test]
    fn exif_6_turns_clockwise() {
        let t = Transform::from_exif(Some(6));
        assert_eq!(t.shown_size((3, 2)), (2, 3));
        assert_eq!(t.apply((0, 0), (3, 2)), (1, 0));
        assert_eq!(t.apply((0, 1), (3, 2)), (0, 0));
        assert_eq!(t.apply((2, 0), (3, 2)), (1, 2));
    }

    #[test]
    fn exif_8_turns_counter_clockwise_and_3_half_way() {
        let t = Transform::from_exif(Some(8));
        assert_eq!(t.apply((0, 0), (3, 2)), (0, 2));
        assert_eq!(t.apply((2, 0), (3, 2)), (0, 0));
        let half = Transform::from_exif(Some(3));
        assert_eq!(half.apply((0, 0), (3, 2)), (2, 1));
    }

    #[test]
    fn every_transform_is_a_bijection_with_its_inverse() {
        for tag in 1..=8 {
            for turns in 0..4 {
                let t = Transform::from_exif(Some(tag)).then_rotate(turns);
                let size = (5, 3);
                let shown = t.shown_size(size);
                let mut seen = [false; 15];
                for y in 0..3 {
                    for x in 0..5 {
                        let (a, b) = t.apply((x, y), size);
                        assert!(a < shown.0 && b < shown.1);
                        assert!(!seen[(b * shown.0 + a) as usize], "tag {tag} turns {turns}");
                        seen[(b * shown.0 + a) as usize] = true;
                        assert_eq!(t.invert((a, b), size), (x, y));
                    }
                }
            }
        }
    }

    #[test]
    fn four_quarter_turns_are_the_identity_and_one_equals_exif_6() {
        for tag in 1..=8 {
            let t = Transform::from_exif(Some(tag));
            assert_eq!(t.then_rotate(4), t);
            assert_ne!(t.then_rotate(1), t);
        }
        assert_eq!(
            Transform::IDENTITY.then_rotate_cw(),
            Transform::from_exif(Some(6))
        );
        assert_eq!(
            Transform::IDENTITY.then_rotate(2),
            Transform::from_exif(Some(3))
        );
        assert_eq!(
            Transform::IDENTITY.then_rotate(3),
            Transform::from_exif(Some(8))
        );
    }

    #[test]
    fn inverted_rectangles_cover_exactly_the_shown_ones() {
        let size = (7, 4);
        for tag in 1..=8 {
            let t = Transform::from_exif(Some(tag));
            let rect = (1, 2, 3, 6); // shown x 1..3, y 2..6 (shown size 4×7 or 7×4)
            let shown = t.shown_size(size);
            if rect.2 > shown.0 || rect.3 > shown.1 {
                continue;
            }
            let (x0, y0, x1, y1) = t.invert_rect(rect, size);
            assert_eq!((x1 - x0) * (y1 - y0), 8, "tag {tag}");
            for y in y0..y1 {
                for x in x0..x1 {
                    let (a, b) = t.apply((x, y), size);
                    assert!(
                        (rect.0..rect.2).contains(&a) && (rect.1..rect.3).contains(&b),
                        "tag {tag}"
                    );
                }
            }
        }
    }
}
