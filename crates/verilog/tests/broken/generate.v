// expect 3:3: not a structural netlist: `generate` region
module m;
  generate genvar i; endgenerate
endmodule
