// expect 3:9: expected `(`, found `.`
module m;
  BUF u .A(a);
endmodule
