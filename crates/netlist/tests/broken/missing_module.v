// `half_adder` is neither a module of this file nor a library cell.
module top(a, b, s, c);
  input a, b;
  output s, c;
  half_adder ha (.a(a), .b(b), .s(s), .c(c));
endmodule
