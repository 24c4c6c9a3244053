#!/usr/bin/env bash
# Wall time of the full characterization sweep of the shipped 8-bit MAC:
# 256 weights x 256 x 256 activation transitions = 2^24 event-driven
# simulations with SDF-style delays, psum held at 0.
#
#   bench/characterize_sweep.sh              # full sweep, all cores
#   bench/characterize_sweep.sh -16:15       # a weight subset (--weights)
#   THREADS=1 bench/characterize_sweep.sh    # one worker thread
#
# Builds the release binary first (not timed). The tables go to a temporary
# directory that is removed afterwards.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
lib="$root/liberty/sg13g2_stdcell_typ_1p20V_25C.lib"
[ -f "$lib" ] || lib="$root/../shared/liberty/sg13g2_stdcell_typ_1p20V_25C.lib"
cargo build --release -q -p powerprune
bin="${CARGO_TARGET_DIR:-$root/target}/release/powerprune"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
args=(characterize netlists/mac8u_sg13g2.v --lib "$lib" --quiet --out "$out/tables")
[ -n "${1:-}" ] && args+=("--weights=$1")
[ -n "${THREADS:-}" ] && args+=(--threads "$THREADS")

echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Whole process: reading netlist and library, the sweep, writing the tables.
# CPU time (user + sys) is less disturbed than wall time on a shared machine.
TIMEFORMAT='process: wall %R s, user %U s, sys %S s'
time "$bin" "${args[@]}"
