#!/usr/bin/env bash
# The clippy gate (run by tools/test.sh): `clippy::all` with warnings denied,
# every `unsafe` block with its `// SAFETY:` note, every public item of the
# prizm crate documented. Four builds, because each compiles code the others
# do not:
#   1. the host tools (tools/ workspace: packager, emulator, end-to-end tests);
#   2. the prizm crate for the host, plain and with its unit tests;
#   3. the add-ins with host-testable logic, with their tests;
#   4. the calculator build of the crate (runtime, global allocator, test
#      runner), its device tests and every add-in; this needs the SH-4
#      toolchain (tools/build.sh).
# Exits non-zero when any build has a warning.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
HOST=x86_64-unknown-linux-gnu
SAFETY=(-D clippy::undocumented_unsafe_blocks)
failed=()

if ! cargo +stable clippy --version >/dev/null 2>&1; then
  echo "clippy is not installed for the stable toolchain: rustup component add clippy --toolchain stable" >&2
  exit 1
fi

echo "-- host tools (tools/ workspace)"
(cd tools && cargo +stable clippy --quiet --workspace --all-targets -- -D warnings "${SAFETY[@]}") ||
  failed+=("host tools")

echo "-- prizm crate, host build"
for profile in dev test; do
  # `--profile test` checks the crate as its unit tests compile it.
  cargo +stable clippy --quiet --lib --profile "$profile" --target "$HOST" -- \
    -D warnings "${SAFETY[@]}" -D missing_docs || failed+=("prizm host ($profile)")
done

echo "-- library crates (crates/), host build with their tests"
cargo +stable clippy --quiet -p prizm-platform -p prizm-jpeg -p prizm-lock -p prizm-image-view --features prizm-lock/prizm --all-targets --target "$HOST" -- \
  -D warnings "${SAFETY[@]}" -D missing_docs || failed+=("crates/ host")

echo "-- add-ins, host build"
for manifest in addins/*/Cargo.toml; do
  name="$(basename "$(dirname "$manifest")")"
  # Only add-ins with host-testable logic build for the host (under cfg(test)).
  grep -q 'cfg_attr(not(test), no_std)' "addins/$name/src/main.rs" || continue
  cargo +stable clippy --quiet -p "$name" --tests --target "$HOST" -- -D warnings "${SAFETY[@]}" ||
    failed+=("$name host")
done

echo "-- calculator build (SH-4 target): prizm with its device tests, every add-in"
# The repository root's default target and toolchain (nightly, the GCC
# backend); clippy only type-checks, so no code is generated. Docs are
# required of the library, not of test functions.
cargo clippy --quiet --release -p prizm --lib -- -D warnings "${SAFETY[@]}" -D missing_docs ||
  failed+=("prizm calculator build")
cargo clippy --quiet --release -p prizm --lib --tests -- -D warnings "${SAFETY[@]}" ||
  failed+=("prizm calculator tests")
cargo clippy --quiet --release --workspace --bins -- -D warnings "${SAFETY[@]}" ||
  failed+=("add-ins calculator build")

if ((${#failed[@]})); then
  echo "clippy gate FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "clippy gate passed"
