// expect 3:13: not a structural netlist: parenthesised expression
module m;
  BUF u (.A((a)), .Y(y));
endmodule
