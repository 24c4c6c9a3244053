// expect 3:11: expected an integer index, found `]`
module m;
  wire [3:] a;
endmodule
