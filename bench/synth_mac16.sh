#!/usr/bin/env bash
# Synthesize the 16-bit MAC the STA bench times: p_out = p_in + w*a with a
# signed 16-bit w, an unsigned 16-bit a and a signed 40-bit partial sum, from
# netlists/rtl/mac.v, to IHP SG13G2 typ 1.20 V with the flow of
# netlists/synth.sh. Writes target/bench/mac16u_sg13g2.v (gitignored).
#
#   bench/synth_mac16.sh [OUT.v]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${POWERPRUNE_SHARED:-$root/../shared}"
out="${1:-$root/target/bench/mac16u_sg13g2.v}"
lib="$shared/liberty/sg13g2_stdcell_typ_1p20V_25C.lib"
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
yosys -q -l "$tmp/yosys.log" -p "
  read_verilog $root/netlists/rtl/mac.v
  chparam -set WW 16 -set AW 16 -set PW 40 -set A_SIGNED 0 mac
  synth -top mac
  abc -liberty $lib
  opt_clean -purge
  hilomap -hicell sg13g2_tiehi L_HI -locell sg13g2_tielo L_LO
  opt_clean -purge
  write_verilog -noattr -noexpr $out.tmp
"
mv "$out.tmp" "$out"
echo "$out: $(grep -c 'sg13g2_' "$out") cell instances"
