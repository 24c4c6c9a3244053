// expect 3:3: not a structural netlist: function
module m;
  function f; input x; f = x; endfunction
endmodule
