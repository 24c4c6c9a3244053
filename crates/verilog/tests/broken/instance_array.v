// expect 3:8: instance arrays are not supported
module m;
  BUF u[3:0] (.A(a), .Y(y));
endmodule
