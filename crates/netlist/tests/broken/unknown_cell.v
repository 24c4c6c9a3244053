// An instance of a cell NanGate45 does not have (there is no X9 drive).
module top(a, b, y);
  input a, b;
  output y;
  NAND2_X9 u1 (.A1(a), .A2(b), .ZN(y));
endmodule
