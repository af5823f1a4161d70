#!/usr/bin/env bash
# Builds the SH-4A toolchain this project compiles Rust with, from nothing but
# Debian's packages and crates.io: binutils 2.40 + GCC 12.2 (C and libgccjit)
# for sh3eb-elf, and rustc's GCC backend from the installed nightly's sources.
#
# Everything goes into a cache outside the repository, keyed by the recipe
# (RECIPE_VERSION below and the patches) and by the exact nightly, so a
# changed recipe rebuilds and an unchanged one returns in seconds.
#
#   PRIZM_TOOLCHAIN_CACHE  cache root (default: ~/.cache/prizm-rs)
#   PRIZM_JOBS             parallel make jobs (default: number of CPUs)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PRIZM_TOOLCHAIN_CACHE:-$HOME/.cache/prizm-rs}"
JOBS="${PRIZM_JOBS:-$(nproc)}"
TARGET=sh3eb-elf
# The folder rustc_codegen_gcc looks in for libgccjit.so is named after the
# target spec's "llvm-target"; keep this in step with sh4-target.json.
SPEC_LLVM_TARGET=sh4a-prizm-elf
NIGHTLY=nightly
# Bump when the configure flags or build steps of binutils/GCC change (patch
# changes are picked up by their hash).
RECIPE_VERSION=2
# Not part of the cache key: adding a package here rebuilds nothing.
# gdb-multiarch is for `cargo prizm debug` and the emulator's GDB stub.
APT_PACKAGES=(gcc-12-source binutils-source libgmp-dev libmpfr-dev libmpc-dev
  flex bison texinfo xz-utils patch make gcc g++ qemu-user gdb-multiarch)

START=$(date +%s)
STAGE=""
LOG=""

elapsed() { local s=$(( $(date +%s) - START )); printf '%d:%02d' $((s / 60)) $((s % 60)); }
say() { printf '[toolchain %s] %s\n' "$(elapsed)" "$*"; }

fail() {
  # $1: what went wrong, $2: how to fix it
  printf '\n[toolchain] FAILED in stage "%s": %s\n' "$STAGE" "$1" >&2
  if [[ -n "$LOG" && -f "$LOG" ]]; then
    printf '[toolchain] last lines of %s:\n' "$LOG" >&2
    tail -n 25 "$LOG" | sed 's/^/    /' >&2
  fi
  printf '[toolchain] how to fix: %s\n' "$2" >&2
  exit 1
}

on_error() {
  fail "a command failed (exit $1)" \
    "read the log above; the stage restarts from scratch on the next run (a half-built stage is never marked complete)"
}
trap 'on_error $?' ERR

# Runs a long step with its output in a log file, printing a heartbeat.
run_logged() {
  local log="$1"; shift
  LOG="$log"
  "$@" >>"$log" 2>&1 &
  local pid=$! seconds=0
  # Check every second, so the next step starts as soon as this one ends;
  # say every minute that it is still running.
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( ++seconds % 60 == 0 )) && kill -0 "$pid" 2>/dev/null; then
      say "  … $STAGE still running (log: $log)"
    fi
  done
  wait "$pid"
}

hash_files() { cat "$@" | sha256sum | cut -c1-16; }

# ---------------------------------------------------------------- packages
STAGE="Debian packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  mkdir -p "$CACHE/logs"; LOG="$CACHE/logs/apt.log"; : >"$LOG"
  $SUDO apt-get update >>"$LOG" 2>&1 ||
    fail "apt-get update failed" "check that Debian's package mirror is reachable, then rerun"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}" >>"$LOG" 2>&1 ||
    fail "could not install ${missing[*]}" "install them by hand (apt-get install ${missing[*]}) and rerun"
fi

# ---------------------------------------------------------------- nightly
STAGE="Rust nightly"
command -v rustup >/dev/null || fail "rustup not found" "install rustup with a 'nightly' toolchain"
rustc +$NIGHTLY -vV >/dev/null 2>&1 ||
  fail "no '$NIGHTLY' toolchain" "install it: rustup toolchain install nightly"
SYSROOT="$(rustc +$NIGHTLY --print sysroot)"
RUSTC_VERSION="$(rustc +$NIGHTLY -vV)"
RUSTC_RELEASE="$(sed -n 's/^release: //p' <<<"$RUSTC_VERSION")"
RUSTC_COMMIT="$(sed -n 's/^commit-hash: //p' <<<"$RUSTC_VERSION")"
BACKEND_SRC="$SYSROOT/lib/rustlib/rustc-src/rust/compiler/rustc_codegen_gcc"
if [[ ! -d "$BACKEND_SRC" || ! -d "$SYSROOT/lib/rustlib/src/rust/library" ]]; then
  say "adding nightly components rustc-dev, rust-src, llvm-tools"
  rustup component add rustc-dev rust-src llvm-tools --toolchain $NIGHTLY >/dev/null 2>&1 ||
    fail "rustup could not add rustc-dev/rust-src/llvm-tools to '$NIGHTLY'" \
      "these components must exist for your nightly; run: rustup component add rustc-dev rust-src llvm-tools --toolchain nightly"
fi
[[ -d "$BACKEND_SRC" ]] ||
  fail "this nightly ($RUSTC_RELEASE) ships no rustc_codegen_gcc sources" \
    "use a nightly whose rustc-dev component contains compiler/rustc_codegen_gcc"

# ---------------------------------------------------------------- keys
GCC_KEY="gcc12.2-binutils2.40-r$RECIPE_VERSION-$(hash_files "$HERE"/patches/*.patch)"
GCC_PREFIX="$CACHE/$GCC_KEY"
BACKEND_DIR="$CACHE/backend-${RUSTC_COMMIT:0:12}-${GCC_KEY##*-}-$(hash_files "$HERE"/backend-patches/*.patch)"
mkdir -p "$CACHE/logs" "$CACHE/build"

# The tools themselves are built optimised but without debug information:
# the default "-g -O2" spends about a third of GCC's build time on it.
HOST_FLAGS="-O2 -g0"

# ---------------------------------------------------------------- binutils
if [[ ! -f "$GCC_PREFIX/.binutils-complete" ]]; then
  STAGE="binutils 2.40"
  say "building binutils 2.40 for $TARGET (about 3 minutes)"
  src=$(ls /usr/src/binutils/binutils-*.tar.xz 2>/dev/null | head -1)
  [[ -n "$src" ]] || fail "binutils source tarball not found" "apt-get install binutils-source"
  b="$CACHE/build/binutils"; rm -rf "$b"; mkdir -p "$b"
  LOG="$CACHE/logs/binutils.log"; : >"$LOG"
  tar -C "$b" -xf "$src"
  mkdir "$b/obj"
  (cd "$b/obj" && run_logged "$LOG" "$b"/binutils-*/configure --target=$TARGET --prefix="$GCC_PREFIX" \
    CFLAGS="$HOST_FLAGS" CXXFLAGS="$HOST_FLAGS" --disable-nls --disable-werror --disable-gdb --disable-sim --disable-gprofng --with-endian=big)
  (cd "$b/obj" && run_logged "$LOG" make -j"$JOBS")
  (cd "$b/obj" && run_logged "$LOG" make install)
  touch "$GCC_PREFIX/.binutils-complete"
  rm -rf "$b"
fi

# ---------------------------------------------------------------- gcc
if [[ ! -f "$GCC_PREFIX/.gcc-complete" ]]; then
  STAGE="GCC 12.2 + libgccjit"
  say "building GCC 12.2 (C, libgccjit) for $TARGET, default CPU SH-4A no FPU (about 13 minutes)"
  src=/usr/src/gcc-12/gcc-12.2.0-dfsg.tar.xz
  [[ -f "$src" ]] || fail "$src not found" "apt-get install gcc-12-source"
  b="$CACHE/build/gcc"; rm -rf "$b"; mkdir -p "$b"
  LOG="$CACHE/logs/gcc.log"; : >"$LOG"
  tar -C "$b" -xf "$src"
  for p in "$HERE"/patches/*.patch; do
    say "  applying $(basename "$p")"
    patch -d "$b/gcc-12.2.0" -p1 --forward <"$p" >>"$LOG" 2>&1 ||
      fail "patch $(basename "$p") does not apply" "the GCC source changed; refresh the patch under tools/toolchain/patches"
  done
  mkdir "$b/obj"
  export PATH="$GCC_PREFIX/bin:$PATH"
  # --with-cpu makes both cc1 and the assembler default to SH-4A without FPU;
  # without it the driver passes --isa=sh3 to `as` and SH-4A opcodes fail.
  (cd "$b/obj" && run_logged "$LOG" ../gcc-12.2.0/configure --target=$TARGET --prefix="$GCC_PREFIX" \
    CFLAGS="$HOST_FLAGS" CXXFLAGS="$HOST_FLAGS" --enable-languages=c,jit --enable-host-shared --disable-bootstrap --without-headers \
    --with-newlib --disable-nls --disable-shared --disable-threads --disable-libssp \
    --disable-libquadmath --disable-libgomp --disable-multilib \
    --with-endian=big --with-cpu=m4a-nofpu)
  (cd "$b/obj" && run_logged "$LOG" make -j"$JOBS" all-gcc all-target-libgcc)
  (cd "$b/obj" && run_logged "$LOG" make install-gcc install-target-libgcc)
  touch "$GCC_PREFIX/.gcc-complete"
  rm -rf "$b"
fi

# ---------------------------------------------------------------- backend
if [[ ! -f "$BACKEND_DIR/.complete" ]]; then
  STAGE="rustc_codegen_gcc"
  say "building rustc's GCC backend from the nightly's sources ($RUSTC_RELEASE)"
  b="$CACHE/build/backend"; rm -rf "$b" "$BACKEND_DIR"; mkdir -p "$b" "$BACKEND_DIR"
  LOG="$CACHE/logs/backend.log"; : >"$LOG"
  cp -r "$BACKEND_SRC/." "$b/"
  rm -f "$b/rust-toolchain" "$b/rust-toolchain.toml"
  for p in "$HERE"/backend-patches/*.patch; do
    say "  applying $(basename "$p")"
    patch -d "$b" -p1 --forward <"$p" >>"$LOG" 2>&1 ||
      fail "patch $(basename "$p") does not apply to this nightly's backend" \
        "the nightly changed rustc_codegen_gcc; refresh tools/toolchain/backend-patches or use the nightly the project was made with (rustc 1.97.0-nightly 2026-05-19)"
  done
  # Stock libgccjit 12 lacks the fork's entry points, hence no `master`.
  (cd "$b" && CARGO_TARGET_DIR="$b/target" run_logged "$LOG" \
    cargo +$NIGHTLY build --release --no-default-features) ||
    fail "the backend did not build" "if crates.io was unreachable, retry when it is; otherwise see the log"
  cp "$b/target/release/librustc_codegen_gcc.so" "$BACKEND_DIR/"
  touch "$BACKEND_DIR/.complete"
  rm -rf "$b"
fi

# ---------------------------------------------------------------- install
STAGE="install"
# rustc_codegen_gcc dlopens <sysroot>/lib/rustlib/<host>/codegen-backends/lib/<llvm-target>/libgccjit.so.
host=$(sed -n 's/^host: //p' <<<"$RUSTC_VERSION")
jitdir="$SYSROOT/lib/rustlib/$host/codegen-backends/lib/$SPEC_LLVM_TARGET"
mkdir -p "$jitdir"
ln -sfn "$GCC_PREFIX/lib/libgccjit.so.0" "$jitdir/libgccjit.so"
# `-Zcodegen-backend=gcc` finds librustc_codegen_gcc-<release>.so here.
ln -sfn "$BACKEND_DIR/librustc_codegen_gcc.so" \
  "$SYSROOT/lib/rustlib/$host/codegen-backends/librustc_codegen_gcc-$RUSTC_RELEASE.so"
ln -sfn "$GCC_PREFIX" "$CACHE/current.tmp" && mv -Tf "$CACHE/current.tmp" "$CACHE/current"
[[ -x "$CACHE/current/bin/$TARGET-gcc" ]] || fail "GCC missing from $CACHE/current" "delete $CACHE and rerun"

# Cargo does not notice a rebuilt backend; tools/build.sh compares this id
# with the one its last build used and cleans the calculator targets.
echo "$GCC_KEY $(basename "$BACKEND_DIR")" >"$CACHE/current-id"
say "toolchain ready: $CACHE/current (GCC $GCC_KEY, backend for rustc $RUSTC_RELEASE)"
