// expect 4:1: expected `,` or `)`, found `endmodule`
module m;
  BUF u (.A(a), .Y(y)
endmodule
