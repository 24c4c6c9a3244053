// A 3-bit bus on a 2-bit module port.
module inv2(a, y);
  input [1:0] a;
  output [1:0] y;
  INV_X1 u0 (.A(a[0]), .ZN(y[0]));
  INV_X1 u1 (.A(a[1]), .ZN(y[1]));
endmodule

module top(a, y);
  input [2:0] a;
  output [1:0] y;
  inv2 u (.a(a), .y(y));
endmodule
