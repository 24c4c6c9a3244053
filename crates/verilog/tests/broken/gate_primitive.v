// expect 3:3: built-in gate primitive `and` is not supported
module m;
  and g1 (y, a, b);
endmodule
