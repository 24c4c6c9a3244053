// Bit 4 of a 4-bit bus does not exist.
module top(a, y);
  input [3:0] a;
  output y;
  INV_X1 u1 (.A(a[4]), .ZN(y));
endmodule
