#!/usr/bin/env bash
# Runs the prizm crate's unit tests compiled for SH-4 as Linux programs
# under qemu-sh4eb: the guard against miscompilation by the GCC backend.
# Usage: tools/sh4-tests/run.sh [--release|--debug]   (default: both)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
command -v qemu-sh4eb >/dev/null ||
  { echo "error: qemu-sh4eb not found; install Debian's qemu-user (apt-get install qemu-user)" >&2; exit 1; }

profiles=("$@"); ((${#profiles[@]})) || profiles=(--release "")
status=0
for profile in "${profiles[@]}"; do
  [[ "$profile" == --debug ]] && profile=""
  echo "== SH-4 semantics tests under qemu-sh4eb (${profile:---debug})"
  # A target dir of its own: the link layout differs from an add-in's and
  # cargo would not relink for a changed environment variable.
  PRIZM_LINK_SCRIPT="$REPO/tools/sh4-tests/linux-test.ld" \
  CARGO_TARGET_DIR="$REPO/target/sh4-qemu" \
  CARGO_TARGET_SH4_TARGET_RUNNER="qemu-sh4eb -cpu sh7785" \
    cargo test -p prizm --lib $profile || status=1
done
exit $status
