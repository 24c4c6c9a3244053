// expect 3:3: unterminated `/*` comment
module m;
  /* never closed
endmodule
