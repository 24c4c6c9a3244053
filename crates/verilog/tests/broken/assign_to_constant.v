// expect 3:10: the left side of `assign` cannot be a constant
module m;
  assign 1'b0 = a;
endmodule
