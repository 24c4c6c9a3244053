// expect 2:17: not a structural netlist: `reg` declaration
module m(output reg q);
endmodule
