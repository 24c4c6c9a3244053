// expect 2:1: expected `module`, found `endmodule`
endmodule
