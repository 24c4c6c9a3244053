// expect 3:10: arrays of nets are not supported
module m;
  wire a [0:3];
endmodule
