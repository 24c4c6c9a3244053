// Unsigned multiply-add, the shape of the small hand-checkable reference
// case (shared/reference/ref_small_ng45):
//
//   p_out = p_in + w * a    (all unsigned, p_out one bit wider than p_in)
//
// The widths come in as macros (`read_verilog -DWW=.. -DAW=.. -DPW=..`), not
// through chparam: re-deriving the module with chparam makes Yosys order the
// multiplier's operands differently, and the netlist would no longer be the
// reference one byte for byte.
module mac #(
  parameter WW = `WW,  // weight bits (unsigned)
  parameter AW = `AW,  // activation bits (unsigned)
  parameter PW = `PW   // p_in bits (unsigned); p_out has PW + 1
) (
  input  [WW-1:0] w,
  input  [AW-1:0] a,
  input  [PW-1:0] p_in,
  output [PW:0]   p_out
);
  assign p_out = p_in + w * a;
endmodule
