// expect 4:3: not a structural netlist: `reg` declaration
module m(q);
  output q;
  reg q;
endmodule
