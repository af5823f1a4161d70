//! A user's add-in from `cargo prizm new` to GDB, in a temporary folder
//! outside the repository: new, build, run headless and check the screen,
//! change the text and see the change, `cargo prizm test`, a GDB session
//! on the dev build, and `install` to a folder standing in for the
//! calculator. One add-in is built once (a calculator build of `core` takes
//! minutes) and used by every step; needs the SH-4A toolchain
//! (`tools/build.sh` builds it) and `gdb-multiarch`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GREETING: &str = "Hello, Prizm!";
const CHANGED: &str = "Changed by a test";

fn cargo_prizm(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-prizm"))
        .arg("prizm")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run cargo-prizm");
    eprintln!(
        "$ cargo prizm {}  -> {}\n--- stdout\n{}--- stderr (last lines)\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        last_lines(&String::from_utf8_lossy(&output.stderr), 25)
    );
    output
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n") + "\n"
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn toolkit_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs the add-in headless and checks `text` is on its screen; returns
/// whether the key script's `expect-text` held.
fn screen_shows(addin: &Path, text: &str, screenshot: &Path) -> bool {
    let keys = format!("until-waiting; expect-text \"{text}\"");
    let screenshot = screenshot.to_string_lossy();
    let output = cargo_prizm(
        addin,
        &[
            "run",
            "--headless",
            "--keys",
            &keys,
            "--screenshot",
            &screenshot,
        ],
    );
    let printed = stdout(&output);
    assert!(
        printed.contains("outcome:"),
        "the emulator's run summary is missing: {printed}"
    );
    output.status.success()
}

/// The PNG's size and how many pixels have the given RGB colour.
fn count_color(png_path: &Path, rgb: [u8; 3]) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).expect("screenshot written"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let pixels = buffer[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3] == rgb)
        .count();
    (info.width, info.height, pixels)
}

#[test]
fn a_new_addin_outside_the_repository_from_new_to_gdb() {
    let work = tempfile::Builder::new()
        .prefix("cargo-prizm-test-")
        .tempdir()
        .unwrap();
    let work_path = work.path().canonicalize().unwrap();
    assert!(
        !work_path.starts_with(toolkit_root()),
        "the test crate must live outside the repository"
    );

    // new
    let output = cargo_prizm(&work_path, &["new", "demo-addin"]);
    assert!(output.status.success(), "new failed: {}", stderr(&output));
    let addin = work_path.join("demo-addin");
    for file in [
        "Cargo.toml",
        "src/main.rs",
        "tests/on_calculator.rs",
        ".cargo/config.toml",
        "rust-toolchain.toml",
    ] {
        assert!(addin.join(file).is_file(), "{file} missing");
    }
    for copied in ["link.ld", "sh4-target.json", "sh-ld"] {
        assert!(
            walk(&addin).iter().all(|p| !p.ends_with(copied)),
            "{copied} was copied into the crate"
        );
    }
    let again = cargo_prizm(&work_path, &["new", "demo-addin"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    // build: the .g3a lands next to the ELF and is a valid add-in.
    let output = cargo_prizm(&addin, &["build"]);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
    let g3a_path = PathBuf::from(stdout(&output).trim());
    assert_eq!(
        g3a_path,
        addin.join("target/sh4-target/debug/demo-addin.g3a")
    );
    let bytes = std::fs::read(&g3a_path).unwrap();
    assert!(g3a::verify(&bytes).is_valid());
    let parsed = g3a::parse(&bytes).unwrap();
    assert_eq!(parsed.names.basic, "Demo Addin");
    assert_eq!(parsed.internal_name, "@DEMOADDIN");

    // run headless: the greeting is on screen, in blue (RGB565 0x001F).
    let shot = work_path.join("first.png");
    assert!(
        screen_shows(&addin, GREETING, &shot),
        "the greeting is not on screen"
    );

    // run with a profile: functions named from the ELF's symbols.
    let profile = work_path.join("profile.txt");
    let output = cargo_prizm(
        &addin,
        &["run", "--keys", "until-waiting", "--profile", &profile.to_string_lossy()],
    );
    assert!(output.status.success(), "profiled run failed: {}", stderr(&output));
    let report = std::fs::read_to_string(&profile).expect("profile written");
    assert!(report.contains(" instructions ("), "{report}");
    assert!(report.contains("  prizm::display::"), "no function named: {report}");
    let (width, height, blue) = count_color(&shot, [0, 0, 255]);
    assert_eq!((width, height), (384, 216));
    assert!(
        blue > 100,
        "only {blue} blue pixels: the greeting was not drawn"
    );
    assert!(!screen_shows(
        &addin,
        CHANGED,
        &work_path.join("unused.png")
    ));

    // change the text, rebuild (run builds first), see the change
    let main_rs = addin.join("src/main.rs");
    let source = std::fs::read_to_string(&main_rs).unwrap();
    assert!(source.contains(GREETING));
    std::fs::write(&main_rs, source.replace(GREETING, CHANGED)).unwrap();
    assert!(
        screen_shows(&addin, CHANGED, &work_path.join("second.png")),
        "the change is not on screen"
    );
    assert!(!screen_shows(
        &addin,
        GREETING,
        &work_path.join("unused.png")
    ));

    // test: the template's tests run on the emulated calculator
    let output = cargo_prizm(&addin, &["test"]);
    assert!(
        output.status.success(),
        "cargo prizm test failed: {}",
        stderr(&output)
    );
    let report = stdout(&output) + &stderr(&output);
    assert!(report.contains("test result: ok. 2 passed"), "{report}");

    // debug: GDB breaks on the user's main and shows its source line
    let output = cargo_prizm(
        &addin,
        &[
            "debug",
            "--headless",
            "--",
            "--batch",
            "-ex",
            "break main",
            "-ex",
            "continue",
            "-ex",
            "step",
            "-ex",
            "next",
        ],
    );
    let session = stdout(&output);
    assert!(output.status.success(), "gdb failed: {}", stderr(&output));
    // The breakpoint stops where the runtime calls the add-in's main; one
    // `step` is on main's first line, `next` on its second.
    let source = std::fs::read_to_string(&main_rs).unwrap();
    let line_of = |text: &str| {
        1 + source
            .lines()
            .position(|line| line.contains(text))
            .unwrap_or_else(|| panic!("{text} not in main.rs"))
    };
    let first = line_of("display::clear();");
    let second = line_of("display::print_xy(1, 1,");
    assert!(
        session.contains("Breakpoint 1, main ("),
        "no breakpoint hit:\n{session}"
    );
    assert!(
        session.contains("demo_addin4main (")
            && session.contains(&format!("at src/main.rs:{first}")),
        "not in main.rs:\n{session}"
    );
    assert!(
        session.contains(&format!("{first}\t    display::clear();")),
        "the source line is not shown:\n{session}"
    );
    assert!(
        session.contains(&format!("{second}\t    display::print_xy(1, 1, \"{CHANGED}\"")),
        "next did not step to the next line:\n{session}"
    );

    // install to a folder standing in for the calculator
    let drive = work_path.join("CASIO");
    std::fs::create_dir_all(drive.join("@MainMem")).unwrap();
    let drive_text = drive.to_string_lossy().into_owned();
    let output = cargo_prizm(&addin, &["install", "--dev", "--to", &drive_text]);
    assert!(
        output.status.success(),
        "install failed: {}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read(drive.join("demo-addin.g3a")).unwrap(),
        std::fs::read(&g3a_path).unwrap()
    );
    let said = stdout(&output);
    assert!(said.contains("read it back: identical"), "{said}");
    assert!(
        said.contains("Eject") && said.contains("main menu"),
        "{said}"
    );

    // install to a drive that is too small (a 8 KiB tmpfs), when this
    // machine lets us mount one (root, or a container allowing it)
    install_to_a_full_drive(&addin, &work_path.join("tiny"));
}

fn install_to_a_full_drive(addin: &Path, mount_point: &Path) {
    std::fs::create_dir_all(mount_point).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8k", "tmpfs"])
        .arg(mount_point)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "note: cannot mount a tmpfs here (not root?); the full-drive case is covered by \
             install::tests::copy_checks_space_and_reads_back with an injected free-space answer"
        );
        return;
    }
    let point = mount_point.to_string_lossy().into_owned();
    let output = cargo_prizm(addin, &["install", "--dev", "--to", &point]);
    let _ = Command::new("umount").arg(mount_point).status();
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("not enough space on"), "{message}");
    assert!(message.contains("KiB are free"), "{message}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(walk(&path));
            } else {
                found.push(path);
            }
        }
    }
    found
}
