// expect 3:11: expected `endmodule` before end of file (module `m` opened at line 2)
module m(a);
  input a;
