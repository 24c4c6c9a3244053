// expect 3:3: `supply0` nets are not supported
module m;
  supply0 gnd;
endmodule
