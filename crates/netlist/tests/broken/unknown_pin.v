// NAND2_X1's inputs are A1 and A2, not B.
module top(a, b, y);
  input a, b;
  output y;
  NAND2_X1 u1 (
    .A1(a),
    .B(b),
    .ZN(y)
  );
endmodule
