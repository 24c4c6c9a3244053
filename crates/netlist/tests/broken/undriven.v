// `n` is read by u2 but nothing drives it.
module top(a, y, z);
  input a;
  output y, z;
  wire n;
  INV_X1 u1 (.A(a), .ZN(y));
  INV_X1 u2 (.A(n), .ZN(z));
endmodule
