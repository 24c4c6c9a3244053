// expect 3:17: unterminated string
module m;
  parameter P = "abc;
endmodule
