// expect 4:1: expected `endmodule` before the next `module` (module `a` opened at line 2)
module a;
  wire x;
module b;
endmodule
