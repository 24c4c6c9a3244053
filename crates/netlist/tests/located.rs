//! Every elaboration error and warning gives `file:line:column`. Each case
//! is a small netlist with the fault at a place counted by hand: an
//! instance's cell name (or, for a later instance of one statement, its
//! name), the pin name of the connection at fault, a declared name, or
//! `assign`. Columns count characters, a tab as one.

mod common;

use common::*;

/// The module every case extends: `a` is declared in column 9 of line 2,
/// `b` in column 12, `y` in column 10 of line 3; `body` starts at line 4.
fn top(body: &str) -> String {
    format!("module top(a, b, y);\n  input a, b;\n  output y;\n{body}endmodule\n")
}

fn error(text: &str) -> String {
    match elaborate_text(text, "t.v", nangate45()) {
        Ok(_) => panic!("elaborated without error:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// The error for `body` starts with `t.v:{at}: ` and contains `needle`.
fn check(body: &str, at: &str, needle: &str) {
    let err = error(&top(body));
    assert!(err.starts_with(&format!("t.v:{at}: ")), "want {at}: {err}");
    assert!(err.contains(needle), "want `{needle}`: {err}");
}

#[test]
fn pin_errors_point_at_the_pin_name() {
    // The second instance of a statement, on its own line: `.Q` of u2.
    check(
        "  wire n;\n  INV_X1 u1 (.A(a), .ZN(n)),\n         u2 (.A(n), .Q(y));\n",
        "6:22",
        "instance `u2`: cell `INV_X1` has no pin `Q` (closest: ",
    );
    // The second `.A`.
    check(
        "  INV_X1 u1 (.A(a), .A(b), .ZN(y));\n",
        "4:22",
        "instance `u1`: pin `A` connected twice",
    );
    // The first positional connection without a pin (NAND2_X1 has three).
    check(
        "  NAND2_X1 u1 (a, b, y, a);\n",
        "4:25",
        "4 positional connections but cell `NAND2_X1` has 3 signal pins",
    );
}

#[test]
fn expression_errors_point_at_their_connection() {
    // After a tab: `\tINV_X1 u1 (` is 12 characters, `A` is the 14th.
    check(
        "\tINV_X1 u1 (.A(c[1]), .ZN(y));\n",
        "4:14",
        "undeclared net `c`",
    );
    check(
        "  INV_X1 u1 (.A(2'b11), .ZN(y));\n",
        "4:15",
        "does not fit in 1 bit(s)",
    );
    check(
        "  INV_X1 u1 (.A({a, b}), .ZN(y));\n",
        "4:15",
        "width mismatch: instance `u1` pin `A` of cell `INV_X1` has 1 bit",
    );
}

#[test]
fn declaration_and_assign_errors_point_at_the_name_or_keyword() {
    check(
        "  wire [1:0] b;\n",
        "4:14",
        "`b` redeclared with a different range",
    );
    check("  assign y = {a, b};\n", "4:3", "width mismatch in assign");
    check("", "3:10", "output `y` has no driver");
}

#[test]
fn driver_errors_point_at_both_drivers() {
    // Input `a` (line 2, column 9) is also driven by u1's `.ZN`.
    check(
        "  INV_X1 u1 (.A(b), .ZN(a));\n  BUF_X1 u2 (.A(a), .Z(y));\n",
        "4:22",
        "net `a` is driven by both input port `a` (line 2, column 9) and `u1/ZN` (INV_X1)",
    );
    // An undriven net: at the pin that reads it.
    check(
        "  wire n;\n  BUF_X1 u2 (.A(a), .Z(y));\n  NAND2_X1 u1 (.A1(b),\n    .A2(n));\n",
        "7:6",
        "net `n` has no driver but feeds `u1/A2` (NAND2_X1)",
    );
    // A loop: at the cell name of its instance.
    check(
        "  wire n;\n  BUF_X1 u2 (.A(a), .Z(y));\n    INV_X1 u1 (.A(n), .ZN(n));\n",
        "6:5",
        "combinational loop through 1 instance(s): u1 → u1",
    );
}

#[test]
fn submodule_errors_point_at_the_connection() {
    let text = "module sub(x, z);\n  input x;\n  output z;\n  INV_X1 i (.A(x), .ZN(z));\nendmodule\n\
                module top(a, y);\n  input a;\n  output y;\n  sub s (.x(a),\n\t.w(y));\nendmodule\n";
    let err = error(text);
    assert!(err.starts_with("t.v:10:3: "), "{err}");
    assert!(err.contains("module `sub` has no port `w`"), "{err}");
    let text = text.replace(".w(y)", ".z(y), .x(a)");
    let err = error(&text);
    // `\t.z(y), .x(a));`: the second `.x`.
    assert!(err.starts_with("t.v:10:10: "), "{err}");
    assert!(err.contains("port `x` connected twice"), "{err}");
    let text =
        "module top(a, y);\n  input a;\n  output y;\n  nosuch u (.x(a), .z(y));\nendmodule\n";
    let err = error(text);
    assert!(err.starts_with("t.v:4:3: "), "{err}");
    assert!(err.contains("unknown cell or module `nosuch`"), "{err}");
}

#[test]
fn warnings_are_located_too() {
    let warnings = |body: &str| {
        elaborate_text(&top(body), "t.v", nangate45())
            .unwrap()
            .warnings
    };
    // An empty connection: at its pin name.
    let w = warnings("  NAND2_X1 u1 (.A1(a), .A2(), .ZN(y));\n");
    assert!(
        w.iter()
            .any(|w| w.starts_with("t.v:4:25: instance `u1` (NAND2_X1): input pin `A2`")),
        "{w:?}"
    );
    // A pin left out: at the instance.
    let w = warnings("  NAND2_X1 u1 (.A1(a), .ZN(y));\n");
    assert!(
        w.iter()
            .any(|w| w.starts_with("t.v:4:3: instance `u1` (NAND2_X1): input pin `A2`")),
        "{w:?}"
    );
    let w = warnings("  INV_X1 u1 (.A(1'bx), .ZN(y));\n");
    assert!(
        w.iter()
            .any(|w| w.starts_with("t.v:4:15: x/z constant bits read as 0")),
        "{w:?}"
    );
}
