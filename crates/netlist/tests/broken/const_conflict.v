// One net tied to a constant and driven by a cell.
module top(a, y);
  input a;
  output y;
  assign y = 1'b0;
  INV_X1 u1 (.A(a), .ZN(y));
endmodule
