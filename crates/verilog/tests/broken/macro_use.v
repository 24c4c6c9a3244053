// expect 4:9: unsupported compiler directive `W`
`define W 4
module m;
  wire [`W-1:0] a;
endmodule
