//! Procedural default icons: a rounded gradient tile carrying the add-in's
//! initials, with a highlighted variant for the selected state.
//!
//! The tile colour is derived from the name, so different add-ins get
//! different (but stable) colours.

use crate::font::{self, GLYPH_HEIGHT, GLYPH_WIDTH};
use crate::icon::{rgb565, Icon};
use crate::layout::{ICON_HEIGHT, ICON_WIDTH};

type Rgb = [f32; 3];

/// The `(unselected, selected)` default icons for an add-in called `name`.
pub fn default_icons(name: &str) -> (Icon, Icon) {
    let hue = hue_of(name);
    let initials = initials(name);
    (draw(hue, &initials, false), draw(hue, &initials, true))
}

/// Up to two initials: the first letters of the first two words (a word
/// boundary is a non-alphanumeric character or a lower-to-upper-case step),
/// or the first letter of a single word.
pub fn initials(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let starts_word = c.is_ascii_alphanumeric()
            && match previous {
                None => true,
                Some(p) => {
                    !p.is_ascii_alphanumeric() || (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                }
            };
        if starts_word {
            out.push(c.to_ascii_uppercase());
            if out.len() == 2 {
                break;
            }
        }
        previous = Some(c);
    }
    if out.is_empty() {
        out.push('?');
    }
    out
}

fn hue_of(name: &str) -> f32 {
    // FNV-1a: stable across runs and platforms.
    let hash = name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (hash % 360) as f32
}

fn hsv(hue: f32, saturation: f32, value: f32) -> Rgb {
    let sector = (hue / 60.0).rem_euclid(6.0);
    let chroma = value * saturation;
    let second = chroma * (1.0 - ((sector % 2.0) - 1.0).abs());
    let (r, g, b) = match sector as u32 {
        0 => (chroma, second, 0.0),
        1 => (second, chroma, 0.0),
        2 => (0.0, chroma, second),
        3 => (0.0, second, chroma),
        4 => (second, 0.0, chroma),
        _ => (chroma, 0.0, second),
    };
    let m = value - chroma;
    [r + m, g + m, b + m]
}

fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// Coverage (0..1) of pixel centre `(px, py)` by a rounded rectangle.
fn rounded_rect_coverage(px: f32, py: f32, inset: f32, radius: f32) -> f32 {
    let (left, top) = (inset, inset);
    let (right, bottom) = (ICON_WIDTH as f32 - inset, ICON_HEIGHT as f32 - inset);
    let cx = px.clamp(left + radius, right - radius);
    let cy = py.clamp(top + radius, bottom - radius);
    let distance = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt();
    let edge =
        if px < left + radius || px > right - radius || py < top + radius || py > bottom - radius {
            radius - distance
        } else {
            (px - left).min(right - px).min(py - top).min(bottom - py)
        };
    (edge + 0.5).clamp(0.0, 1.0)
}

fn draw(hue: f32, initials: &str, selected: bool) -> Icon {
    let white = [1.0, 1.0, 1.0];
    let (top_colour, bottom_colour) = if selected {
        (hsv(hue, 0.45, 1.0), hsv(hue, 0.85, 0.80))
    } else {
        (hsv(hue, 0.55, 0.85), hsv(hue, 0.90, 0.50))
    };
    // Amber frame for the selected state, or deep blue on tiles that are
    // themselves close to amber.
    let hue_distance = ((hue - 38.0).abs() % 360.0).min(360.0 - (hue - 38.0).abs() % 360.0);
    let highlight = if hue_distance < 50.0 {
        hsv(215.0, 0.9, 0.75)
    } else {
        hsv(38.0, 0.95, 1.0)
    };
    let shadow = hsv(hue, 0.9, 0.25);

    let mut canvas = vec![white; ICON_WIDTH * ICON_HEIGHT];
    for y in 0..ICON_HEIGHT {
        for x in 0..ICON_WIDTH {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let t = py / ICON_HEIGHT as f32;
            let mut colour = mix(top_colour, bottom_colour, t);
            // A soft sheen across the upper half.
            if py < ICON_HEIGHT as f32 * 0.45 {
                colour = mix(colour, white, 0.12);
            }
            let pixel = &mut canvas[y * ICON_WIDTH + x];
            if selected {
                let frame = rounded_rect_coverage(px, py, 0.0, 12.0);
                *pixel = mix(*pixel, highlight, frame);
                let tile = rounded_rect_coverage(px, py, 4.0, 9.0);
                *pixel = mix(*pixel, colour, tile);
            } else {
                let tile = rounded_rect_coverage(px, py, 3.0, 10.0);
                *pixel = mix(*pixel, colour, tile);
            }
        }
    }

    // Initials: one large letter or two smaller ones, with a drop shadow.
    let count = initials.chars().count();
    let scale = if count == 1 { 5 } else { 4 };
    let gap = scale;
    let text_width = count * GLYPH_WIDTH * scale + (count - 1) * gap;
    let text_height = GLYPH_HEIGHT * scale;
    let left = (ICON_WIDTH - text_width) / 2;
    let top = (ICON_HEIGHT - text_height) / 2;
    let shadow_offset = scale / 2;
    for (offset, colour) in [(shadow_offset, shadow), (0, white)] {
        for (index, c) in initials.chars().enumerate() {
            let glyph_left = left + index * (GLYPH_WIDTH * scale + gap);
            for gy in 0..GLYPH_HEIGHT {
                for gx in 0..GLYPH_WIDTH {
                    if !font::is_set(c, gx, gy) {
                        continue;
                    }
                    for dy in 0..scale {
                        for dx in 0..scale {
                            let x = glyph_left + gx * scale + dx + offset;
                            let y = top + gy * scale + dy + offset;
                            if x < ICON_WIDTH && y < ICON_HEIGHT {
                                let pixel = &mut canvas[y * ICON_WIDTH + x];
                                *pixel = if offset > 0 {
                                    mix(*pixel, colour, 0.6)
                                } else {
                                    colour
                                };
                            }
                        }
                    }
                }
            }
        }
    }

    let mut icon = Icon::filled(0xFFFF);
    for (i, colour) in canvas.iter().enumerate() {
        let channel = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        icon.set_pixel(
            i % ICON_WIDTH,
            i / ICON_WIDTH,
            rgb565(channel(colour[0]), channel(colour[1]), channel(colour[2])),
        );
    }
    icon
}

/// A selected-state variant of a user-supplied icon: the same picture
/// inside a 3-pixel amber frame, for when only one icon is given.
pub fn highlighted(icon: &Icon) -> Icon {
    let [r, g, b] = hsv(38.0, 0.95, 1.0).map(|v| (v * 255.0).round() as u8);
    let frame = rgb565(r, g, b);
    let mut out = icon.clone();
    for y in 0..ICON_HEIGHT {
        for x in 0..ICON_WIDTH {
            let edge = x.min(y).min(ICON_WIDTH - 1 - x).min(ICON_HEIGHT - 1 - y);
            if edge < 3 {
                out.set_pixel(x, y, frame);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_from_names() {
        assert_eq!(initials("Sample"), "S");
        assert_eq!(initials("Image Viewer"), "IV");
        assert_eq!(initials("imageViewer"), "IV");
        assert_eq!(initials("my-cool_app"), "MC");
        assert_eq!(initials("2048 game"), "2G");
        assert_eq!(initials(""), "?");
        assert_eq!(initials("∑∫"), "?");
    }

    #[test]
    fn icons_are_stable_and_distinct() {
        let (unselected, selected) = default_icons("Sample");
        assert_eq!(
            default_icons("Sample"),
            (unselected.clone(), selected.clone())
        );
        assert_ne!(unselected, selected);
        assert_ne!(default_icons("Other").0, unselected);
        // Corners stay white (the tile is rounded), the centre is drawn on.
        assert_eq!(unselected.pixel(0, 0), Some(0xFFFF));
        assert_ne!(
            selected.pixel(1, 32),
            Some(0xFFFF),
            "selected frame reaches the edge"
        );
        let framed = highlighted(&unselected);
        assert_ne!(framed.pixel(0, 0), unselected.pixel(0, 0));
        assert_eq!(framed.pixel(46, 32), unselected.pixel(46, 32));
    }
}
