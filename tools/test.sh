#!/usr/bin/env bash
# Runs every test, each step named after where its tests run:
#   host      the host tools (g3a packager, emulator with its differential
#             test against qemu-sh4eb), the prizm crate's and the add-ins'
#             unit tests, and the clippy gate (tools/clippy.sh);
#   qemu      the crate's SH-4 semantics tests under qemu-sh4eb;
#   emulator  the crate's tests built for the calculator
#             (emulator-tests/on-calculator/, on the fx-CG 20, 10 and 50
#             the emulator presents) and the end-to-end tests of
#             the packaged add-ins (emulator-tests/end-to-end/).
# Builds first (seconds when nothing changed).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
START=$(date +%s)
step() { printf '\n== [%ds] %s\n' $(( $(date +%s) - START )) "$*"; }

tools/build.sh

failed=()
step "host: tools/ workspace tests (g3a packager; emulator, with its differential test against qemu-sh4eb)"
(cd tools && cargo test --release --no-fail-fast --workspace --exclude emulator-tests --exclude cargo-prizm) || failed+=("host tools")

step "host: the library crates (crates/): platform facts; lock; JPEG decoder with its corpus, differential, robustness and bounded fuzz tests (debug build: arithmetic overflow checked)"
cargo +stable test --no-fail-fast -p prizm-platform -p prizm-jpeg -p prizm-lock -p prizm-image-view --features prizm-lock/prizm --target x86_64-unknown-linux-gnu || failed+=("crates/ host tests")

step "host: prizm crate unit tests"
cargo +stable test --lib --target x86_64-unknown-linux-gnu || failed+=("prizm host unit tests")

step "host: add-in logic tests"
for manifest in addins/*/Cargo.toml; do
  name="$(basename "$(dirname "$manifest")")"
  # Add-ins with host-testable logic build for the host under cfg(test).
  grep -q 'cfg_attr(not(test), no_std)' "addins/$name/src/main.rs" || continue
  cargo +stable test -p "$name" --target x86_64-unknown-linux-gnu || failed+=("$name host tests")
done

step "clippy gate: host and calculator builds (tools/clippy.sh)"
tools/clippy.sh || failed+=("clippy gate")

step "qemu: SH-4 semantics tests (prizm crate under qemu-sh4eb)"
tools/sh4-tests/run.sh || failed+=("SH-4 semantics")

# Once per calculator model the emulator presents (PRIZM_EMU_MODEL, read by
# the runner's `prizm-emu test`): the fx-CG 10 and 20 (one OS, told apart
# by their model bytes) and the fx-CG 50 (another VRAM and RAM window, OS 3).
for model in cg20 cg10 cg50; do
  step "emulator ($model), calculator target: prizm unit tests and emulator-tests/on-calculator/ (cargo's runner)"
  PRIZM_EMU_MODEL=$model cargo test --release --no-fail-fast -p prizm --lib --tests || failed+=("prizm on-calculator tests in the emulator ($model)")
  PRIZM_EMU_MODEL=$model cargo test --release --no-fail-fast -p prizm-lock --test lock_sha256 || failed+=("prizm-lock SHA-256 on the calculator target ($model)")
done

step "emulator, end to end: emulator-tests/end-to-end/ on target/addins/*.g3a"
(cd tools && cargo test --release --no-fail-fast -p emulator-tests) || failed+=("end-to-end tests in the emulator")

step "emulator, cargo prizm: a new add-in outside the repository: build, run, change, test, GDB, install"
(cd tools && cargo test --no-fail-fast -p cargo-prizm) || failed+=("cargo prizm")

step "summary"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test suites passed"
