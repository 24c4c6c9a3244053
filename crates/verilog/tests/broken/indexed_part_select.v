// expect 3:14: indexed part-selects (`+:`, `-:`) are not supported
module m;
  BUF u (.A(a[0+:2]), .Y(y));
endmodule
