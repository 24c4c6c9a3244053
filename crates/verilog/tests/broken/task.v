// expect 3:3: not a structural netlist: task
module m;
  task t; endtask
endmodule
