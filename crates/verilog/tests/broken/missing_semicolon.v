// expect 4:3: expected `,` or `;` or `=`, found `wire`
module m;
  wire a
  wire b;
endmodule
