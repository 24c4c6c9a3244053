// Parametric multiply-accumulate unit, the PowerPruning characterization target.
//
//   p_out = p_in + w * a    (two's complement, wraps modulo 2^PW)
//
// The weight w and the partial sums are signed. The activation a is unsigned
// (zero-extended, so it never reads as negative) unless A_SIGNED is 1.
// Purely combinational: the registers of a systolic array sit outside it.
module mac #(
  parameter WW = 8,       // weight bits (signed)
  parameter AW = 8,       // activation bits
  parameter PW = 22,      // partial-sum bits (signed), p_in and p_out
  parameter A_SIGNED = 0  // 1: activation is two's complement; 0: unsigned
) (
  input  signed [WW-1:0] w,
  input         [AW-1:0] a,
  input  signed [PW-1:0] p_in,
  output signed [PW-1:0] p_out
);
  generate
    if (A_SIGNED) begin : g_signed_a
      assign p_out = p_in + w * $signed(a);
    end else begin : g_unsigned_a
      // A leading zero makes the activation a non-negative signed operand,
      // so the whole expression stays signed and sign-extends to PW bits.
      assign p_out = p_in + w * $signed({1'b0, a});
    end
  endgenerate
endmodule
