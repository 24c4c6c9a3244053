// n1 -> u2 -> n2 -> u1 -> n1: a combinational loop (an SR-style ring).
module top(a, y);
  input a;
  output y;
  wire n1, n2;
  NAND2_X1 u1 (.A1(a), .A2(n2), .ZN(n1));
  INV_X1 u2 (.A(n1), .ZN(n2));
  BUF_X1 u3 (.A(n2), .Z(y));
endmodule
