#!/usr/bin/env bash
# Per-layer traced tables for a pruned network, and their gate-level check.
#
#   bench/traced_layers.sh PRUNED_MODEL NOMINAL_TABLES OUT [CORNERS_JSON]
#
# PRUNED_MODEL: `nn prune --out` directory (report.json lists the kept
# weights); NOMINAL_TABLES: the tables it was pruned with (netlist, library
# and clock come from their meta.json); OUT: a new directory.
#
# Steps (every number depends only on the seeds below):
# 1. Traces the tables draw from, on test images 100.. (the validation
#    replays images 0..): every sampled PE of the conv layers over 4
#    images, and 256 PEs of each fc layer over 100 images (an fc PE sees
#    one activation per image).
# 2. One table directory per layer: the kept weights only, partial sums
#    drawn from that layer's streams given the activation transition; an
#    entry the trace saw 4..=256 times is the mean over every pair seen.
# 3. `nn validate` on three held-out traces (images 0..): the 16 PEs per
#    layer that `nn prune --validate` replays, 64 PEs per layer, and a
#    near-census (up to 2400 PEs per layer, 20 images).
# 4. `nn power` of the pruned network with the per-layer tables.
set -euo pipefail

[ $# -ge 3 ] || { sed -n 2,20p "$0"; exit 2; }
model="$1" nominal="$2" out="$3" corners="${4:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release -q -p powerprune --manifest-path "$root/Cargo.toml"
pp="${CARGO_TARGET_DIR:-$root/target}/release/powerprune"
mkdir "$out"

meta="$nominal/meta.json"
field() { python3 -c "import json,sys; m=json.load(open('$meta')); print($1)"; }
netlist="$(field "m['netlist_file']")"
lib="$(field "m['library']['file']")"
weights="$(python3 -c "import json; print(','.join(map(str, json.load(open('$model/report.json'))['kept_weights'])))")"
layers="$(python3 -c "import json; print(' '.join(f['name'] for f in json.load(open('$model/model.json'))['files']))")"
echo "kept weights $weights; layers $layers; $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"

conv="$(echo $layers | tr ' ' '\n' | grep '^conv' | paste -sd,)"
fc="$(echo $layers | tr ' ' '\n' | grep -v '^conv' | paste -sd,)"
"$pp" nn trace --model "$model" -o "$out/draw_conv.csv" --first-image 100 --images 4 --pes 256 --seed 7 --layers "$conv"
"$pp" nn trace --model "$model" -o "$out/draw_fc.csv" --first-image 100 --images 100 --pes 256 --seed 7 --layers "$fc"

layer_args=()
for l in $layers; do
  case "$l" in conv*) trace="$out/draw_conv.csv" ;; *) trace="$out/draw_fc.csv" ;; esac
  /usr/bin/time -f "$l: %e s wall, %U s user" "$pp" characterize "$netlist" --lib "$lib" \
    --weights "$weights" --psum-model traced --psum-trace "$trace" --psum-layer "$l" \
    --psum-given transition --psum-samples 4 --psum-samples-max 256 --quiet --out "$out/tables_$l"
  layer_args+=(--layer-tables "$l=$out/tables_$l")
done

check=(--tables "$nominal" "${layer_args[@]}")
[ -n "$corners" ] && check+=(--corners "$corners")
for v in "16 100" "64 100" "2400 20"; do
  set -- $v
  "$pp" nn trace --model "$model" -o "$out/val_$1.csv" --images "$2" --pes "$1" --seed 1
  "$pp" nn validate --trace "$out/val_$1.csv" "${check[@]}" | tee "$out/validate_$1.txt"
done
"$pp" nn power --model "$model" --tables "$nominal" "${layer_args[@]}" | tee "$out/power.txt"
