//! Size and depth limits: big files parse in linear time, hostile nesting
//! and widths give errors instead of exhausting the stack or memory.

use std::fmt::Write;
use std::time::Instant;

/// A synthetic flat netlist with `n` two-input cells in a chain.
fn chain_netlist(n: usize) -> String {
    let mut text = String::from("module chain(a, y);\n  input a;\n  output y;\n");
    for k in 0..=n {
        writeln!(text, "  wire [1:0] \\n{k}.x ;").unwrap();
    }
    for k in 0..n {
        writeln!(
            text,
            "  (* src = \"chain.v:{k}\" *)\n  sg13g2_nand2_1 _{k}_ (\n    .A(\\n{k}.x [0]),\n    .B(a),\n    .Y(\\n{}.x [0])\n  );",
            k + 1
        )
        .unwrap();
    }
    text.push_str("  assign y = \\n0.x [1];\nendmodule\n");
    text
}

#[test]
fn a_four_megabyte_netlist_parses_quickly() {
    let n = 40_000;
    let text = chain_netlist(n);
    assert!(text.len() > 4_000_000, "{} bytes", text.len());
    let start = Instant::now();
    let src = verilog::parse::parse_source(&text, "chain.v").unwrap();
    let took = start.elapsed();
    let m = &src.modules[0];
    assert_eq!(m.instances.len(), n);
    assert_eq!(m.decls.len(), 2 + n + 1);
    // Line numbers of the last instance: 3 header lines, n + 1 wire lines,
    // then 6 lines per instance with the attribute first.
    assert_eq!(
        m.instances[n - 1].line,
        3 + (n as u32 + 1) + 6 * (n as u32 - 1) + 2
    );
    // Linear parsing takes well under a second here; a quadratic one would
    // take hours. The bound is loose for a loaded CI machine.
    assert!(took.as_secs() < 10, "took {took:?}");
}

#[test]
fn deep_concatenation_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let text = format!(
        "module m;\n  assign y = {}a{};\nendmodule\n",
        "{".repeat(depth),
        "}".repeat(depth)
    );
    let err = verilog::parse::parse_source(&text, "deep.v").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("nested too deeply"), "{msg}");
    assert!(msg.starts_with("deep.v:2:"), "{msg}");
}

#[test]
fn modest_nesting_is_fine() {
    let text = "module m;\n  assign y = {{{{a}}}};\nendmodule\n";
    let src = verilog::parse::parse_source(text, "n.v").unwrap();
    use verilog::Expr::{Concat, Name};
    let a = Name("a".into());
    assert_eq!(
        src.modules[0].assigns[0].rhs,
        Concat(vec![Concat(vec![Concat(vec![Concat(vec![a])])])])
    );
}

#[test]
fn huge_widths_and_counts_are_refused() {
    for (text, want) in [
        ("assign y = 99999999'b0;", "exceeds"),
        ("assign y = {99999999{a}};", "replication count"),
        ("assign y = 99999999999999999999;", "number too large"),
        ("wire [99999999999999999999:0] w;", "number too large"),
    ] {
        let full = format!("module m;\n  {text}\nendmodule\n");
        let err = verilog::parse::parse_source(&full, "big.v").unwrap_err();
        assert!(err.to_string().contains(want), "{text}: {err}");
    }
}
