//! Hello: draws a title and a colour gradient, and leaves on EXIT or MENU.
#![no_std]
#![no_main]

use prizm::display::{self, rgb, Display, TextColor, WIDTH};
use prizm::Calculator;

prizm::entry!(main);

fn main(mut calculator: Calculator) {
    display::clear();
    draw_gradient(&mut calculator.display);
    display::print_xy(1, 1, "Hello, Prizm!", TextColor::Blue);
    display::print_xy(1, 2, "Written in Rust.", TextColor::Black);
    display::print_xy(1, 7, "[EXIT] to leave", TextColor::Black);
    display::put_display();
    prizm::keyboard::wait_for_exit();
}

/// Fills rows 96..168 with a hue sweep left to right, darkening downwards.
/// VRAM is borrowed from the display for this function only.
fn draw_gradient(display: &mut Display) {
    let vram = display.pixels();
    for y in 96..168 {
        let shade = 255 - ((y - 96) * 3) as u32;
        let row = &mut vram[y * WIDTH..(y + 1) * WIDTH];
        for (x, pixel) in row.iter_mut().enumerate() {
            let (r, g, b) = hue(x as u32 * 1536 / WIDTH as u32);
            *pixel = rgb(
                (r * shade / 255) as u8,
                (g * shade / 255) as u8,
                (b * shade / 255) as u8,
            );
        }
    }
}

/// A fully saturated colour at `position` in 0..1536 around the colour wheel.
fn hue(position: u32) -> (u32, u32, u32) {
    let step = position % 256;
    match position / 256 {
        0 => (255, step, 0),
        1 => (255 - step, 255, 0),
        2 => (0, 255, step),
        3 => (0, 255 - step, 255),
        4 => (step, 0, 255),
        _ => (255, 0, 255 - step),
    }
}
