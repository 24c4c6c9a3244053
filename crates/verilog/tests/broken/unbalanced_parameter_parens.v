// expect 2:11: unbalanced `(`: no matching `)` before end of file
module m #(parameter W = (4) ;
endmodule
