#!/usr/bin/env bash
# Re-emit the SKY130 ss -40 C cell subsets shipped in liberty/ from the full
# libraries in ../shared/liberty/sky130hd_vdd/ with the project's own
# Liberty writer, then gzip them (gzip -n: no name or time stamp, so a
# re-run gives the same bytes).
#
#   liberty/sky130_subset.sh [POWERPRUNE_BINARY]
#
# The cells are the ones netlists/mac8u_sky130.v uses, plus inv_1 and buf_1
# (ABC needs an inverter and a buffer to map at all) and conb_1 (hilomap's
# tie cell). They were chosen by synthesizing the MAC against the full
# library without the lpflow_* isolation cells (their extra SLEEP pins are
# not MAC logic) and keeping what ABC used.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${POWERPRUNE_SHARED:-$root/../shared}"
bin="${1:-$root/target/release/powerprune}"
cells="a21bo_1 a21o_1 a21oi_1 a22o_1 a22oi_1 a2bb2oi_1 a311oi_1 and2_0 and3_1
and4_1 buf_1 clkinv_1 conb_1 inv_1 maj3_1 mux2i_1 nand2_1 nand2b_1 nand3_1
nand4_1 nor2_1 nor2b_1 nor3_1 nor4_1 o21a_1 o21ai_0 o21bai_1 or3_1 xnor2_1
xnor3_1 xor2_1 xor3_1"
list="$(for c in $cells; do printf 'sky130_fd_sc_hd__%s,' "$c"; done)"
list="${list%,}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for v in 1v28 1v44 1v60 1v76; do
  name="sky130_fd_sc_hd__ss_n40C_$v"
  "$bin" lib "$shared/liberty/sky130hd_vdd/$name.lib.gz" --write "$tmp/$name.lib" --subset "$list"
  gzip -n9 -c "$tmp/$name.lib" >"$root/liberty/$name.subset.lib.gz"
done
