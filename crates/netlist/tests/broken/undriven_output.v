// Output bit y[1] is never driven.
module top(a, y);
  input a;
  output [1:0] y;
  INV_X1 u1 (.A(a), .ZN(y[0]));
endmodule
