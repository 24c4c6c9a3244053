// expect 3:14: not a structural netlist: expression with operator `~`
module m;
  assign y = ~a;
endmodule
