// expect 3:16: not a structural netlist: expression with operator `&`
module m;
  assign y = a & b;
endmodule
