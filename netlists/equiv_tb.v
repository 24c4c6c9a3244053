// Checks a MAC netlist (module mac) against p_out = p_in + w*a mod 2^PW
// (UNSIGNED = 1: every operand unsigned and p_out PW+1 bits, rtl/umac.v),
// computed here with explicit two's-complement arithmetic on 64-bit values
// rather than with the RTL's signed operators, so a misreading of Verilog's
// signedness rules in rtl/mac.v cannot hide in both.
`timescale 1ns/1ps
module equiv_tb;
  parameter WW = 8;          // weight bits (signed)
  parameter AW = 8;          // activation bits
  parameter PW = 22;         // partial-sum bits (signed)
  parameter A_SIGNED = 0;    // activation read as two's complement
  parameter UNSIGNED = 0;    // 1: w and p_in unsigned too, p_out PW+1 bits
  parameter EXHAUSTIVE = 0;  // 1: every (w, a, p_in) combination
  parameter RANDOM = 20000;  // random vectors (when not exhaustive)
  parameter SEED = 12345;

  reg  [WW-1:0] w;
  reg  [AW-1:0] a;
  reg  [PW-1:0] p;
  localparam OW = UNSIGNED ? PW + 1 : PW;  // p_out bits
  wire [OW-1:0] o;
  mac dut (.w(w), .a(a), .p_in(p), .p_out(o));

  integer checked, errors, seed, iw, ia, ip, k;
  reg [63:0] ew, ea, ep, e;

  // The n-bit field v read as two's complement, as a 64-bit pattern.
  function [63:0] sx(input [63:0] v, input integer n);
    sx = v[n-1] ? v - (64'd1 << n) : v;
  endfunction

  task check;
    begin
      #1;
      ew = UNSIGNED ? w : sx(w, WW);
      ea = A_SIGNED ? sx(a, AW) : a;
      ep = UNSIGNED ? p : sx(p, PW);
      // Ring arithmetic mod 2^64 agrees with the exact result mod 2^OW.
      e = ep + ew * ea;
      if (o !== e[OW-1:0]) begin
        errors = errors + 1;
        if (errors <= 5)
          $display("MISMATCH w=%b a=%b p_in=%b netlist=%b expected=%b", w, a, p, o, e[OW-1:0]);
      end
      checked = checked + 1;
    end
  endtask

  initial begin
    checked = 0;
    errors = 0;
    seed = SEED;
    if (EXHAUSTIVE) begin
      for (iw = 0; iw < (1 << WW); iw = iw + 1)
        for (ia = 0; ia < (1 << AW); ia = ia + 1)
          for (ip = 0; ip < (1 << PW); ip = ip + 1) begin
            w = iw; a = ia; p = ip; check;
          end
    end else begin
      // Every weight against the activation extremes and every activation
      // against the weight extremes, with p_in = 0: each multiplier row and
      // column is exercised.
      p = 0;
      for (iw = 0; iw < (1 << WW); iw = iw + 1)
        for (ia = 0; ia < 4; ia = ia + 1) begin
          w = iw; a = corner(ia, AW); check;
        end
      for (ia = 0; ia < (1 << AW); ia = ia + 1)
        for (iw = 0; iw < 5; iw = iw + 1) begin
          w = corner(iw, WW); a = ia; check;
        end
      // Extremes of every operand, where sign and wrap-around bugs live.
      for (iw = 0; iw < 5; iw = iw + 1)
        for (ia = 0; ia < 4; ia = ia + 1)
          for (ip = 0; ip < 5; ip = ip + 1) begin
            w = corner(iw, WW); a = corner(ia, AW); p = corner(ip, PW); check;
          end
      for (k = 0; k < RANDOM; k = k + 1) begin
        w = $random(seed); a = $random(seed); p = {$random(seed), $random(seed)};
        check;
      end
    end
    $display("checked %0d vectors, %0d mismatches", checked, errors);
    $finish;
  end

  // Corner k of an n-bit field: 0, 1, all ones (-1), 100..0 (min), 011..1 (max).
  function [63:0] corner(input integer k, input integer n);
    case (k)
      0: corner = 0;
      1: corner = 1;
      2: corner = (64'd1 << n) - 1;
      3: corner = 64'd1 << (n - 1);
      default: corner = (64'd1 << (n - 1)) - 1;
    endcase
  endfunction
endmodule
