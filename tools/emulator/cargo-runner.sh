#!/usr/bin/env bash
# cargo's `runner` for the calculator target (.cargo/config.toml):
#   cargo run --bin hello   → the add-in in the emulator's window (headless
#                             with a screenshot when there is no display)
#   cargo test              → test binaries (the crate's unit tests and the
#                             device tests in emulator-tests/on-calculator/)
#                             run headless by `prizm-emu test`, screens
#                             checked against their goldens
# cargo passes the ELF path first, then any arguments.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EMU="$REPO/tools/target/x86_64-unknown-linux-gnu/release/prizm-emu"
if [[ ! -x "$EMU" || -n "$(find "$REPO/tools/emulator/src" -newer "$EMU" -print -quit 2>/dev/null)" ]]; then
  # The outer cargo's environment (nightly, rustc wrapper) must not leak
  # into this host build.
  (cd "$REPO/tools" && env -u RUSTUP_TOOLCHAIN -u RUSTC -u RUSTDOC -u RUSTC_WRAPPER \
    -u CARGO_ENCODED_RUSTFLAGS -u RUSTFLAGS -u CARGO_MAKEFLAGS cargo +stable build --release --quiet --bin prizm-emu) >&2
fi
elf="$1"; shift
case "$elf" in
  */deps/*) exec "$EMU" test "$elf" "$@" ;;      # unit and integration tests
esac
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec "$EMU" window "$elf" "$@"
fi
echo "no display: running headless; screenshot in target/last-run.png" >&2
exec "$EMU" run "$elf" --screenshot "$REPO/target/last-run.png" "$@"
