// expect 4:3: not a structural netlist: `always` block
module m(a, y);
  input a; output y;
  always @(*) y = a;
endmodule
