#!/usr/bin/env bash
# Regenerate the shipped MAC netlists from netlists/rtl/ with Yosys.
#
#   netlists/synth.sh                          # every netlist in targets.txt
#   netlists/synth.sh mac3u_sg13g2 mac8u_ng45  # some of them
#   netlists/synth.sh --out DIR [NAME...]      # write to DIR, not netlists/
#
# Paths resolve from the repository root, so it runs from anywhere. The flow
# is the one the reference netlists in shared/reference/ were made with:
# read_verilog, chparam, synth, abc -liberty, opt_clean -purge, hilomap,
# opt_clean -purge, write_verilog -noattr -noexpr. Yosys and ABC are
# deterministic, so re-running reproduces the files byte for byte.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=netlists/lib.sh
. "$root/netlists/lib.sh"

out="$root/netlists"
if [ "${1:-}" = "--out" ]; then
  mkdir -p "$2"
  out="$(cd "$2" && pwd)"
  shift 2
fi
names=("$@")
[ "${#names[@]}" -gt 0 ] || mapfile -t names < <(target_names)

for name in "${names[@]}"; do
  read -r _ ww aw pw asigned lib rtl <<<"$(target_line "$name")"
  libfile="$(liberty_for "$lib")"
  # rtl/mac.v takes its widths through chparam; rtl/umac.v as macros (see there).
  case "${rtl:-mac}" in
    mac) read_rtl="read_verilog netlists/rtl/mac.v
    chparam -set WW $ww -set AW $aw -set PW $pw -set A_SIGNED $asigned mac" ;;
    umac) read_rtl="read_verilog -DWW=$ww -DAW=$aw -DPW=$pw netlists/rtl/umac.v" ;;
    *) echo "unknown rtl '$rtl' for $name in netlists/targets.txt" >&2; exit 1 ;;
  esac
  case "$lib" in
    sg13g2) hilo="-hicell sg13g2_tiehi L_HI -locell sg13g2_tielo L_LO" ;;
    ng45) hilo="-hicell LOGIC1_X1 Z -locell LOGIC0_X1 Z" ;;
    sky130) hilo="-hicell sky130_fd_sc_hd__conb_1 HI -locell sky130_fd_sc_hd__conb_1 LO" ;;
  esac
  echo "$out/$name.v: ${rtl:-mac}, w $ww bits, a $aw bits (signed: $asigned), psum $pw bits, $lib"
  yosys -q -l "$tmp/$name.log" -p "
    $read_rtl
    synth -top mac
    abc -liberty $libfile
    opt_clean -purge
    hilomap $hilo
    opt_clean -purge
    write_verilog -noattr -noexpr $out/$name.v
  "
done
