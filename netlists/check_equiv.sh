#!/usr/bin/env bash
# Simulate shipped MAC netlists with Icarus Verilog against the arithmetic
# p_out = p_in + w*a (equiv_tb.v), using gate models Yosys derives from the
# Liberty cell functions.
#
#   netlists/check_equiv.sh                      # every netlist in targets.txt
#   netlists/check_equiv.sh mac3u_sg13g2         # one of them
#   netlists/check_equiv.sh mac3u_sg13g2 x.v     # x.v in place of its netlist
#
# Prints "NAME: checked N vectors, M mismatches" per netlist; exits non-zero
# if any mismatch or if a simulation did not report.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=netlists/lib.sh
. "$root/netlists/lib.sh"

if [ "$#" -eq 2 ]; then
  names=("$1")
  override="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
else
  names=("$@")
  override=""
  [ "${#names[@]}" -gt 0 ] || mapfile -t names < <(target_names)
fi

status=0
for name in "${names[@]}"; do
  read -r _ ww aw pw asigned lib rtl <<<"$(target_line "$name")"
  unsigned=0
  if [ "${rtl:-mac}" = umac ]; then unsigned=1; fi
  netlist="${override:-$root/netlists/$name.v}"
  cells="$tmp/cells_$lib.v"
  if [ ! -f "$cells" ]; then
    # Zero-delay continuous assigns from each cell's Liberty `function`.
    yosys -q -p "read_liberty -ignore_miss_func $(models_liberty_for "$lib"); write_verilog -noattr $cells"
  fi
  exhaustive=0
  [ $((ww + aw + pw)) -le 16 ] && exhaustive=1
  iverilog -g2005 -o "$tmp/$name.vvp" \
    -Pequiv_tb.WW="$ww" -Pequiv_tb.AW="$aw" -Pequiv_tb.PW="$pw" \
    -Pequiv_tb.A_SIGNED="$asigned" -Pequiv_tb.UNSIGNED="$unsigned" \
    -Pequiv_tb.EXHAUSTIVE="$exhaustive" \
    "$root/netlists/equiv_tb.v" "$netlist" "$cells"
  out="$(vvp -n "$tmp/$name.vvp")"
  summary="$(grep -E '^checked [0-9]+ vectors, [0-9]+ mismatches$' <<<"$out" || true)"
  grep MISMATCH <<<"$out" | sed "s/^/$name: /" || true
  if [ -z "$summary" ]; then
    echo "$name: simulation gave no summary"
    echo "$out"
    status=1
    continue
  fi
  echo "$name: $summary"
  [[ "$summary" == *", 0 mismatches" ]] || status=1
done
exit "$status"
