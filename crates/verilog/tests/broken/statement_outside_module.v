// expect 2:1: expected `module`, found `wire`
wire a;
module m; endmodule
