// expect 3:18: not a structural netlist: expression with operator `+`
module m;
  ADD u (.A(a[0] + b), .Y(y));
endmodule
