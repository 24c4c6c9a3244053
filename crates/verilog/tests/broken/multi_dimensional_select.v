// expect 3:17: multi-dimensional selects are not supported
module m;
  BUF u (.A(a[1][0]), .Y(y));
endmodule
