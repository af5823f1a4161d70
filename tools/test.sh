#!/usr/bin/env bash
# Runs every test: host tools (g3a packager, emulator with its differential
# test against qemu-sh4eb), the crate's SH-4 semantics tests under qemu, the
# crate's on-target tests in the emulator, and the end-to-end add-in tests.
# Builds first (seconds when nothing changed).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
START=$(date +%s)
step() { printf '\n== [%ds] %s\n' $(( $(date +%s) - START )) "$*"; }

tools/build.sh

failed=()
step "host tools and end-to-end tests (tools/ workspace)"
(cd tools && cargo test --release --workspace --exclude cargo-prizm) || failed+=("host tools / emulator-tests")

step "cargo prizm: a new add-in outside the repository: build, run, change, test, GDB, install"
(cd tools && cargo test -p cargo-prizm) || failed+=("cargo prizm")

step "prizm crate unit tests on the host"
cargo +stable test --lib --target x86_64-unknown-linux-gnu || failed+=("prizm host unit tests")

step "platform facts crate (prizm-platform) on the host"
cargo +stable test -p prizm-platform --target x86_64-unknown-linux-gnu || failed+=("prizm-platform host tests")

step "documentation and SAFETY notes (clippy on the host build)"
if cargo +stable clippy --version >/dev/null 2>&1; then
  # Every public item documented, every unsafe block explained.
  cargo +stable clippy --lib --target x86_64-unknown-linux-gnu --quiet -- \
    -A clippy::all -D clippy::undocumented_unsafe_blocks -D missing_docs ||
    failed+=("missing docs or SAFETY notes")
  cargo +stable clippy -p prizm-platform --lib --target x86_64-unknown-linux-gnu --quiet -- \
    -D clippy::all -D missing_docs || failed+=("prizm-platform clippy")
else
  echo "clippy not installed for the stable toolchain: skipped (rustup component add clippy)"
fi

step "library crates' tests on the host (crates/)"
cargo +stable test -p prizm-lock --target x86_64-unknown-linux-gnu || failed+=("prizm-lock host tests")

step "add-in logic tests on the host"
for manifest in addins/*/Cargo.toml; do
  name="$(basename "$(dirname "$manifest")")"
  # Add-ins with host-testable logic build for the host under cfg(test).
  grep -q 'cfg_attr(not(test), no_std)' "addins/$name/src/main.rs" || continue
  cargo +stable test -p "$name" --target x86_64-unknown-linux-gnu || failed+=("$name host tests")
done

step "SH-4 semantics tests (prizm crate under qemu-sh4eb)"
tools/sh4-tests/run.sh || failed+=("SH-4 semantics")

step "prizm crate tests on the calculator target, in the emulator (cargo's runner): unit tests and tests/device_*.rs"
cargo test --release -p prizm --lib --tests || failed+=("prizm on-target tests in the emulator")
cargo test --release -p prizm-lock --test device_sha256 || failed+=("prizm-lock SHA-256 on the calculator target")

step "summary"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test suites passed"
