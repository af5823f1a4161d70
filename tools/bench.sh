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

echo; echo "== emulator speed before/after: the bench add-in under a baseline build and this one, alternating in one run"
# The baseline is PRIZM_BENCH_BASE (a git revision; default: where this
# branch left main), built in its own target folder with the same features
# and its own revision's build settings; the same add-in ELF (this tree's)
# runs under both. Each round prints the wall-clock figure (host time) and
# MIPS over the CPU time the run got (user + system): on a shared machine
# the second varies much less, so compare those, over several rounds.
# "time split" is this build's division of virtual time between the
# add-in's instructions and the OS's syscalls.
BASE_REV="${PRIZM_BENCH_BASE:-$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD)}"
BASE_SRC="$REPO/target/bench-base/src"
BASE_EMU="$REPO/target/bench-base/target/x86_64-unknown-linux-gnu/release/prizm-emu"
BASE_KEY="$(git rev-parse "$BASE_REV") default-features"
if [ "$BASE_KEY" != "$(cat "$REPO/target/bench-base/rev" 2>/dev/null)" ] || [ ! -x "$BASE_EMU" ]; then
    rm -rf "$BASE_SRC" && mkdir -p "$BASE_SRC"
    git archive "$BASE_REV" | tar -x -C "$BASE_SRC"
    (cd "$BASE_SRC/tools" && CARGO_TARGET_DIR="$REPO/target/bench-base/target" \
        cargo build --release --quiet -p prizm-emu)
    echo "$BASE_KEY" > "$REPO/target/bench-base/rev"
fi
echo "baseline $(git rev-parse --short "$BASE_REV"), this tree $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + changes')"
RUN_DIR="$(mktemp -d)"
trap 'rm -rf "$RUN_DIR"' EXIT
TIMEFORMAT='%U %S'
for round in 1 2 3 4 5; do
    for which in baseline this; do
        emu="$EMU"; [ "$which" = baseline ] && emu="$BASE_EMU"
        { time "$emu" run target/addins/bench.elf --budget 2000000000 >"$RUN_DIR/out" 2>/dev/null; } 2>"$RUN_DIR/time"
        read -r user sys < "$RUN_DIR/time"
        awk -v round="$round" -v which="$which" -v user="$user" -v sys="$sys" '
            /^instructions:/ { n = $2 }
            /^host time:/ { sub(/^host time: */, ""); sub(/ \(the calculator.*/, ""); host = $0 }
            END { printf "round %d, %-9s %s; %.1f MIPS on CPU time\n", round, which ":", host, n / (user + sys) / 1e6 }
        ' "$RUN_DIR/out"
    done
done
"$EMU" run target/addins/bench.elf --budget 2000000000 | grep -E "^(virtual time|time split|syscalls):"

echo; echo "== allocator and add-in benchmarks in the emulator"
"$EMU" run target/addins/bench.elf

echo; echo "== JPEG decoding in the emulator: prizm-jpeg against tjpgdec-rs (cycles at 58 MHz, working memory)"
# The bigger pictures (progressive 1024x768, 4000x3000) are read from the
# emulator's storage memory, a host folder; generated once (deterministic).
JPEG_STORAGE=target/jpegbench-storage
if [[ ! -f "$JPEG_STORAGE/PROG4000.jpg" ]]; then
  cargo +stable run --release --quiet -p prizm-jpeg --target x86_64-unknown-linux-gnu --example bench_images -- \
    target/jpegbench-images "$JPEG_STORAGE" >/dev/null
fi
"$EMU" run --budget 40000000000 --storage "$JPEG_STORAGE" target/addins/jpegbench.elf

echo; echo "== JPEG Viewer in the emulator: EXE in the browser to the fitted picture, pan steps at 1/1 (estimated cycles at 58 MHz)"
(cd tools && cargo test --release --quiet -p emulator-tests --test viewer -- --ignored --nocapture bench 2>&1 | grep -E '^(viewer benchmark|  )')
