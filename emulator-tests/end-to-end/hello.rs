//! `hello` draws its text and a colour gradient, and leaves on EXIT.

use emulator_tests::{addin, assert_screen, builder, pixel};
use prizm_emu::{Condition, Key, Outcome};

#[test]
fn hello_draws_text_and_gradient_then_leaves_on_exit() {
    let mut emu = builder("hello").budget(50_000_000).open(addin("hello")).unwrap();
    emu.run_until(Condition::WaitingForKey).unwrap();
    assert!(emu.screen_contains_text("Hello, Prizm!"), "text on screen: {:?}", emu.text_on_screen());
    assert!(emu.screen_contains_text("[EXIT] to leave"));
    assert_screen(&emu, "hello");

    // The gradient: a hue sweep left to right on rows 96..168, darker
    // towards the bottom.
    let (r, g, b) = pixel(&emu, 2, 100);
    assert!(r > 200 && g < 40 && b < 40, "red at the left edge, got {:?}", (r, g, b));
    let (r, g, b) = pixel(&emu, 128, 100);
    assert!(g > 200 && r < 60 && b < 60, "green a third of the way, got {:?}", (r, g, b));
    let (r, g, b) = pixel(&emu, 256, 100);
    assert!(b > 200 && r < 60 && g < 60, "blue two thirds of the way, got {:?}", (r, g, b));
    let top = pixel(&emu, 128, 97).1;
    let bottom = pixel(&emu, 128, 165).1;
    assert!(bottom < top, "darker downwards: {top} then {bottom}");
    // Outside the gradient, the background stays white.
    assert_eq!(pixel(&emu, 380, 200), (255, 255, 255));

    // Keys other than EXIT/EXE keep it running; EXIT returns to the OS.
    emu.press(Key::Up);
    emu.run_until(Condition::WaitingForKey).unwrap();
    assert!(emu.outcome().is_none());
    emu.press(Key::Exit);
    emu.run_until(Condition::Exited).unwrap();
    assert!(matches!(emu.outcome(), Some(Outcome::ReturnedToOs { .. })), "{:?}", emu.outcome());
}

#[test]
fn hello_leaves_through_menu() {
    let mut emu = builder("hello-menu").budget(50_000_000).open(addin("hello")).unwrap();
    emu.run_until(Condition::WaitingForKey).unwrap();
    emu.press(Key::Menu);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::LeftToMainMenu));
}
