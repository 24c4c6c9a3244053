// expect 3:13: cannot mix positional and named connections
module m;
  BUF u (a, .Y(y));
endmodule
