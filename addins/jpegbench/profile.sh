#!/usr/bin/env bash
# Instructions per function of prizm-jpeg decodes (384x216 at 1/1 in RGB888,
# RGB565 and dithered RGB565 with smooth and fast chroma upsampling, 1024x768
# at 1/4 and 1/8) in the emulator: builds jpegbench with the `profile`
# feature, traces every instruction and counts them per symbol.
# Usage: addins/jpegbench/profile.sh [SYMBOL]   (SYMBOL: also write its disassembly
# with per-instruction counts to target/jpegbench-profile.txt)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
TC="${PRIZM_TOOLCHAIN:-${PRIZM_TOOLCHAIN_CACHE:-$HOME/.cache/prizm-rs}/current}"
cargo build --release --quiet -p jpegbench --features profile
ELF=target/sh4-target/release/jpegbench
cp "$ELF" target/jpegbench-profile.elf
"$TC/bin/sh3eb-elf-nm" -n -C target/jpegbench-profile.elf > target/jpegbench-profile.nm
FIFO="$(mktemp -u)"; mkfifo "$FIFO"
trap 'rm -f "$FIFO"' EXIT
python3 "$REPO/addins/jpegbench/profile.py" target/jpegbench-profile.nm "${1:-}" \
  "$TC/bin/sh3eb-elf-objdump" target/jpegbench-profile.elf target/jpegbench-profile.txt < "$FIFO" &
tools/target/x86_64-unknown-linux-gnu/release/prizm-emu run --quiet --budget 200000000 \
  --trace "$FIFO" --trace-limit 200000000 target/jpegbench-profile.elf > /dev/null
wait
