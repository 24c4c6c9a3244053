#!/usr/bin/env bash
# Icarus Verilog's zero-delay time for the transitions `powerprune
# characterize` simulates on the 8-bit MAC: for every weight w and every
# activation pair (a, a'), the circuit sits at (w, a, p_in = 0) and a
# changes to a'. Gate models are zero-delay assigns that Yosys derives from
# the Liberty cell functions (as in netlists/check_equiv.sh).
#
#   bench/iverilog_sweep.sh                # all 256 weights: 2^24 transitions
#   bench/iverilog_sweep.sh 32             # 32 weights spread over the range
#                                          # (w = -128, -120, ..., 120), 1/8 of it
#
# Each transition a -> a' is followed by the return a' -> a, so Icarus
# applies 2 x 256 x 256 vectors per weight; the reported time covers both.
# Installs iverilog and yosys with apt-get when they are missing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
weights="${1:-256}"
if [ "$weights" -lt 1 ] || [ "$weights" -gt 256 ] || [ $((256 % weights)) -ne 0 ]; then
  echo "weights: expected a divisor of 256 (1, 2, 4, ..., 256), got $weights" >&2
  exit 2
fi
stride=$((256 / weights))
netlist="${NETLIST:-$root/netlists/mac8u_sg13g2.v}"
lib="${LIB:-$root/liberty/sg13g2_stdcell_typ_1p20V_25C.lib}"
[ -f "$lib" ] || lib="$root/../shared/liberty/sg13g2_stdcell_typ_1p20V_25C.lib"

need=()
command -v iverilog >/dev/null 2>&1 || need+=(iverilog)
command -v yosys >/dev/null 2>&1 || need+=(yosys)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
yosys -q -p "read_liberty -ignore_miss_func $lib; write_verilog -noattr $tmp/cells.v"

cat >"$tmp/sweep_tb.v" <<'TB'
`timescale 1ns/1ps
module sweep_tb;
  parameter WEIGHTS = 256;
  parameter STRIDE = 1;
  reg  [7:0] w;
  reg  [7:0] a;
  reg  [21:0] p;
  wire [21:0] o;
  mac dut (.w(w), .a(a), .p_in(p), .p_out(o));
  integer iw, ia, ja;
  reg [63:0] sum;
  initial begin
    p = 0;
    sum = 0;
    for (iw = 0; iw < WEIGHTS; iw = iw + 1) begin
      w = iw * STRIDE - 128;
      for (ia = 0; ia < 256; ia = ia + 1)
        for (ja = 0; ja < 256; ja = ja + 1) begin
          a = ia; #1;
          a = ja; #1;
          // Read the output so the simulation cannot be optimized away.
          sum = sum + o;
        end
    end
    $display("transitions %0d checksum %0d", WEIGHTS * 65536, sum);
    $finish;
  end
endmodule
TB

iverilog -g2005 -o "$tmp/sweep.vvp" -Psweep_tb.WEIGHTS="$weights" -Psweep_tb.STRIDE="$stride" "$tmp/sweep_tb.v" "$netlist" "$tmp/cells.v"
echo "iverilog $(iverilog -V 2>&1 | head -1 | awk '{print $4}') zero-delay: $weights weights, $((weights * 65536)) transitions; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time (user + sys) is less disturbed than wall time on a shared machine.
TIMEFORMAT='vvp: wall %R s, user %U s, sys %S s'
time vvp -n "$tmp/sweep.vvp"
