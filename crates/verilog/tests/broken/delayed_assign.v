// expect 3:10: not a structural netlist: delayed `assign`
module m;
  assign #1 y = a;
endmodule
