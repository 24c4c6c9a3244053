// expect 3:19: digit `2` is not valid in a `'b` constant
module m;
  assign y = 4'b102;
endmodule
