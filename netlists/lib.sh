# Shared by synth.sh and check_equiv.sh (sourced, not run): locate the
# uncompressed Liberty files Yosys needs and read targets.txt.
# Expects $root (repository root) and $tmp (a scratch directory) to be set.

shared="${POWERPRUNE_SHARED:-$root/../shared}"

# Yosys reads only uncompressed Liberty. The repository's own SG13G2 copy is
# preferred; shared/ holds the same figures.
sg13g2_lib="$root/liberty/sg13g2_stdcell_typ_1p20V_25C.lib"
[ -f "$sg13g2_lib" ] || sg13g2_lib="$shared/liberty/sg13g2_stdcell_typ_1p20V_25C.lib"

# Path of the Liberty file for library key $1, unpacking NanGate45 once.
liberty_for() {
  case "$1" in
    sg13g2) echo "$sg13g2_lib" ;;
    sky130)
      # The shipped ss -40 C 1.76 V subset (liberty/sky130_subset.sh).
      [ -f "$tmp/sky130_ss_1v76.lib" ] ||
        gunzip -c "$root/liberty/sky130_fd_sc_hd__ss_n40C_1v76.subset.lib.gz" >"$tmp/sky130_ss_1v76.lib"
      echo "$tmp/sky130_ss_1v76.lib"
      ;;
    ng45)
      [ -f "$tmp/nangate45_typ.lib" ] ||
        gunzip -c "$shared/liberty/nangate45_typ.lib.gz" >"$tmp/nangate45_typ.lib"
      echo "$tmp/nangate45_typ.lib"
      ;;
    *) echo "unknown library key '$1' in netlists/targets.txt" >&2; return 1 ;;
  esac
}

# A Liberty file with the cells of library key $1, for gate models only (not
# for synthesis: ABC would map to a subset differently). Without the shared
# NanGate45 this is the repository's subset (tests/fixtures/liberty), which
# holds every cell the NanGate45 netlists here use.
models_liberty_for() {
  if [ "$1" = ng45 ] && [ ! -f "$shared/liberty/nangate45_typ.lib.gz" ]; then
    [ -f "$tmp/nangate45_typ_subset.lib" ] ||
      gunzip -c "$root/tests/fixtures/liberty/nangate45_typ_subset.lib.gz" >"$tmp/nangate45_typ_subset.lib"
    echo "$tmp/nangate45_typ_subset.lib"
  else
    liberty_for "$1"
  fi
}

# The targets.txt line for netlist $1 ("name WW AW PW A_SIGNED lib [rtl]"), or fail.
target_line() {
  local line
  line="$(grep -E "^$1[[:space:]]" "$root/netlists/targets.txt" || true)"
  if [ -z "$line" ]; then
    echo "no netlist '$1' in netlists/targets.txt" >&2
    return 1
  fi
  echo "$line"
}

# Names of all targets, in file order.
target_names() {
  grep -vE '^[[:space:]]*(#|$)' "$root/netlists/targets.txt" | awk '{print $1}'
}
