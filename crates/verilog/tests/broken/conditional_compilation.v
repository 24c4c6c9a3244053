// expect 2:1: unsupported compiler directive `ifdef`
`ifdef SYNTH
module m; endmodule
`endif
