// Two inverter outputs on the same net.
module top(a, b, y);
  input a, b;
  output y;
  INV_X1 u1 (.A(a), .ZN(y));
  INV_X1 u2 (.A(b), .ZN(y));
endmodule
