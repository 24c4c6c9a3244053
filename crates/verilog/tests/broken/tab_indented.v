// expect 3:3: not a structural netlist: `always` block
module m;
		always @(a) ;
endmodule
