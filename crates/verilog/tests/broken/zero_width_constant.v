// expect 3:14: constant width must be at least 1
module m;
  assign y = 0'b0;
endmodule
