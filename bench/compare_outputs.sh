#!/usr/bin/env bash
# Do two powerprune binaries write the same files? For refactorings that
# must not change a byte: runs both on the shipped designs (lib, netlist,
# sta, sdf, sim with VCD and JSON, characterize at 1.20 and 1.50 V, select
# with a delay target, and some bad inputs) and compares every output with
# cmp. Only what must differ between two runs is left out: meta.json's
# runtime_s, the manifest entry that hashes meta.json, and the lock file's
# pid.
#
#   bench/compare_outputs.sh OLD_BINARY NEW_BINARY
#
# e.g. an older commit's binary built in a `git worktree`, against
# target/debug/powerprune. Exits 1 and lists the files that differ.
set -euo pipefail

[ $# -eq 2 ] || { sed -n '2,13p' "$0"; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
old="$(realpath "$1")"
new="$(realpath "$2")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

l12=liberty/sg13g2_stdcell_typ_1p20V_25C.lib
l15=liberty/sg13g2_stdcell_typ_1p50V_25C.lib
ng45=tests/fixtures/liberty/nangate45_typ_subset.lib.gz

# Every output of binary $1 into directory $2 (paths in texts as OUT).
outputs() {
  local bin=$1 out=$2
  mkdir -p "$out"
  printf 'w,a,p_in\n1,2,0\n3,1,5\n-2,3,7\n0,0,0\n' >"$out/st3.csv"
  printf 'w,a,p_in\n17,200,5\n-77,3,1000\n127,255,0\n0,0,0\n' >"$out/st8.csv"
  for spec in "mac8u_sg13g2 $l12 st8" "mac8u_ng45 $ng45 st8" "mac3w2a_sg13g2 $l12 st3"; do
    set -- $spec
    local n=$1 lib=$2 st=$out/$3.csv
    # A failing command is an output too: its message and status are compared.
    { "$bin" lib "$lib"; echo "status $?"; } >"$out/lib_$n.txt" 2>&1 || true
    { "$bin" netlist "netlists/$n.v" --lib "$lib"; echo "status $?"; } >"$out/netlist_$n.txt" 2>&1 || true
    { "$bin" sta "netlists/$n.v" --lib "$lib"; echo "status $?"; } >"$out/sta_$n.txt" 2>&1 || true
    { "$bin" sdf "netlists/$n.v" --lib "$lib" -o "$out/$n.sdf"; echo "status $?"; } >"$out/sdf_$n.txt" 2>&1 || true
    { "$bin" sim "netlists/$n.v" --lib "$lib" --stimulus "$st" --vcd "$out/$n.vcd" --outputs; echo "status $?"; } >"$out/sim_$n.txt" 2>&1 || true
    { "$bin" sim "netlists/$n.v" --lib "$lib" --stimulus "$st" --json --delay-model unit; echo "status $?"; } >"$out/sim_unit_$n.json" 2>&1 || true
  done
  "$bin" characterize netlists/mac3w2a_sg13g2.v --lib "$l12" --out "$out/t12" --plots >/dev/null 2>&1
  "$bin" characterize netlists/mac3w2a_sg13g2.v --lib "$l15" --out "$out/t15" >/dev/null 2>&1
  { "$bin" select --tables "1.2=$out/t12" --tables "1.5=$out/t15" --keep 3 \
      --delay-target 0.3 --plots "$out/select_plots"; echo "status $?"; } >"$out/select.txt" 2>&1 || true
  printf 'library (x) {\n  cell (A) { area : oops; }\n}\n' >"$out/bad.lib"
  printf 'module m(input a, output y);\n  FOO u1 (.A(a), .Y(y));\nendmodule\n' >"$out/bad.v"
  { "$bin" lib "$out/bad.lib"; echo "status $?"; } >"$out/err_lib.txt" 2>&1 || true
  { "$bin" netlist "$out/bad.v" --lib "$l12"; echo "status $?"; } >"$out/err_netlist.txt" 2>&1 || true
  { "$bin" sta no/such.v --lib "$l12"; echo "status $?"; } >"$out/err_missing.txt" 2>&1 || true
  { "$bin" select --tables 1.2=no/dir --keep 3; echo "status $?"; } >"$out/err_select.txt" 2>&1 || true
  sed -i "s#$out#OUT#g; /^wrote /d; s/in [0-9.]* s\b/in N s/g" "$out"/*.txt "$out"/*.json
  rm -f "$out"/t*/.lock "$out"/t*/manifest.json
  sed -i '/"runtime_s"/d' "$out"/t*/meta.json
}

outputs "$old" "$work/old"
outputs "$new" "$work/new"
differ=0
while IFS= read -r f; do
  if ! cmp -s "$work/old/$f" "$work/new/$f"; then
    echo "differs: $f"
    differ=1
  fi
done < <(cd "$work/old" && find . -type f | sort)
(cd "$work/new" && find . -type f | sort) | diff <(cd "$work/old" && find . -type f | sort) - \
  || { echo "the two binaries wrote different sets of files"; differ=1; }
n=$(cd "$work/old" && find . -type f | wc -l)
[ "$differ" -eq 0 ] && echo "identical: $n files"
exit "$differ"
