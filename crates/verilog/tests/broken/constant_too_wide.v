// expect 3:14: constant does not fit in 2 bits
module m;
  assign y = 2'd7;
endmodule
