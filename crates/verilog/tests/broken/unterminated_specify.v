// expect 3:3: `specify` without `endspecify`
module m;
  specify (a => y) = 1;
endmodule
