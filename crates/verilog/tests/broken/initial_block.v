// expect 3:3: not a structural netlist: `initial` block
module m;
  initial $display("hi");
endmodule
