#!/usr/bin/env bash
# Builds everything: the SH-4A toolchain (first run only, ~20 minutes), the
# host tools, and every add-in under addins/ as ELF, flat binary and .g3a
# in target/addins/.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
START=$(date +%s)
step() { printf '\n== [%ds] %s\n' $(( $(date +%s) - START )) "$*"; }

step "toolchain"
tools/toolchain/bootstrap.sh
CACHE="${PRIZM_TOOLCHAIN_CACHE:-$HOME/.cache/prizm-rs}"
TC="${PRIZM_TOOLCHAIN:-$CACHE/current}"
# Objects compiled by another backend build must not be reused.
if ! cmp -s "$CACHE/current-id" target/.toolchain-id 2>/dev/null; then
  rm -rf target/sh4-target target/sh4-qemu
  mkdir -p target && cp "$CACHE/current-id" target/.toolchain-id
fi

step "host tools (g3a packager, emulator, cargo prizm)"
(cd tools && cargo build --release --quiet --bin g3a --bin prizm-emu --bin cargo-prizm)
G3A="$REPO/tools/target/x86_64-unknown-linux-gnu/release/g3a"

step "add-ins"
cargo build --release --workspace --bins

OUT="$REPO/target/addins"
mkdir -p "$OUT"
for manifest in addins/*/Cargo.toml; do
  dir="$(dirname "$manifest")"
  name="$(basename "$dir")"
  elf="target/sh4-target/release/$name"
  [[ -f "$elf" ]] || { echo "error: $elf was not built" >&2; exit 1; }
  cp "$elf" "$OUT/$name.elf"
  "$TC/bin/sh3eb-elf-objcopy" -O binary "$elf" "$OUT/$name.bin"
  entry=$("$TC/bin/sh3eb-elf-readelf" -h "$elf" | awk '/Entry point/ {print $4}')
  if [[ "$entry" != "0x300000" ]]; then
    echo "error: $name's entry point is $entry, not 0x300000 (check link.ld and crt0.S)" >&2; exit 1
  fi
  "$G3A" pack --manifest "$manifest" -o "$OUT/$name.g3a" "$elf"
  printf '   %-10s %8d bytes code+data, %8d bytes g3a\n' "$name" \
    "$(stat -c %s "$OUT/$name.bin")" "$(stat -c %s "$OUT/$name.g3a")"
done
step "done: add-ins in $OUT"
