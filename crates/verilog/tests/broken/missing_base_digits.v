// expect 3:17: expected digits of the constant, found `;`
module m;
  assign y = 4'h;
endmodule
