// A 2-bit bus on a 1-bit cell pin.
module top(a, y);
  input [1:0] a;
  output y;
  INV_X1 u1 (.A(a), .ZN(y));
endmodule
