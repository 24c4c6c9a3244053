//! A name declared or instantiated twice in one module is a located error
//! (file:line:column at the second one), not two cells that SDF, VCD and
//! reports cannot tell apart.

use verilog::parse::parse_source;

fn error(body: &str) -> String {
    let text = format!("module m(a, y);\n  input a;\n  output y;\n{body}endmodule\n");
    parse_source(&text, "dup.v").unwrap_err().to_string()
}

#[test]
fn duplicate_instance_names_are_refused() {
    let err = error("  INV u1 (.A(a), .Y(n));\n  INV u1 (.A(n), .Y(y));\n");
    assert!(err.starts_with("dup.v:5:7:"), "{err}");
    assert!(
        err.contains("duplicate instance name `u1` (first at line 4, column 7)"),
        "{err}"
    );
    // In one statement, and as an escaped name (`\u1 ` is `u1`).
    let err = error("  INV u1 (.A(a), .Y(n)), u1 (.A(n), .Y(y));\n");
    assert!(err.starts_with("dup.v:4:26:"), "{err}");
    let err = error("  INV u1 (.A(a), .Y(n));\n  INV \\u1  (.A(n), .Y(y));\n");
    assert!(err.contains("duplicate instance name `u1`"), "{err}");
}

#[test]
fn duplicate_declarations_are_refused() {
    let err = error("  wire n;\n  wire [1:0] n;\n");
    assert!(err.starts_with("dup.v:5:14:"), "{err}");
    assert!(
        err.contains("`n` is declared as `wire` twice (first at line 4, column 8)"),
        "{err}"
    );
    let err = error("  wire p, q, p;\n");
    assert!(err.starts_with("dup.v:4:14:"), "{err}");
    let err = error("  input a;\n");
    assert!(err.contains("`a` is declared as `input` twice"), "{err}");
}

#[test]
fn a_port_direction_and_a_wire_for_one_name_are_fine() {
    let text = "module m(a, y);\n  input a;\n  output y;\n  wire a;\n  wire y;\n  INV u1 (.A(a), .Y(y));\nendmodule\nmodule n;\n  wire a;\n  INV u1 ();\nendmodule\n";
    let src = parse_source(text, "ok.v").unwrap();
    assert_eq!(src.modules.len(), 2);
}
