#!/usr/bin/env bash
# Prints the project's benchmark figures (nothing here asserts timings; the
# machine is shared and noisy, so compare figures from one run):
#   - g3a packager: time to pack a 2 MiB payload;
#   - emulator: emulated MIPS on a CPU-bound add-in (the bench add-in);
#   - allocator: capacity and cycles per alloc/free, measured inside the
#     emulator (virtual clock at 58 MHz): ours, the OS heap (emulated in
#     host code, so its figure is not the real OS's cost) and
#     linked_list_allocator;
#   - cycles per SHA-256 block and per PBKDF2 iteration, prizm-lock's SH-4A
#     assembly beside RustCrypto's portable code, and CGlock's calibrated
#     iteration count;
#   - JPEG Viewer: emulated time from EXE in its browser to the fitted
#     picture and per pan step at 1/1 (emulator-tests/end-to-end/viewer.rs).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
tools/build.sh >/dev/null
EMU=tools/target/x86_64-unknown-linux-gnu/release/prizm-emu

echo "== g3a packager"
(cd tools && cargo run --release --quiet -p prizm-g3a --example bench_pack)

echo; echo "== emulator speed (CPU core alone, then the bench add-in)"
(cd tools && cargo run --release --quiet -p prizm-emu --example bench_cpu)
(cd tools && cargo run --release --quiet -p prizm-emu --example bench_mips -- "$REPO/target/addins/bench.elf")

echo; echo "== allocator and add-in benchmarks in the emulator"
"$EMU" run target/addins/bench.elf

echo; echo "== JPEG decoding in the emulator: prizm-jpeg against tjpgdec-rs (cycles at 58 MHz, working memory)"
"$EMU" run target/addins/jpegbench.elf

echo; echo "== JPEG Viewer in the emulator: EXE in the browser to the fitted picture, pan steps at 1/1 (estimated cycles at 58 MHz)"
(cd tools && cargo test --release --quiet -p emulator-tests --test viewer -- --ignored --nocapture bench 2>&1 | grep -E '^(viewer benchmark|  )')
