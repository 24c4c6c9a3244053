// RTL, not a gate-level netlist.
module top(clk, d, q);
  input clk, d;
  output reg q;
  always @(posedge clk)
    q <= d;
endmodule
