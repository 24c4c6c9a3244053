// expect 3:3: unterminated `(*` attribute
module m;
  (* keep = 1
  wire a;
endmodule
