//! Hand-written snippets, one syntax feature each, with the expected tree
//! written out by hand.

use verilog::Bit::{One, Zero, X, Z};
use verilog::Expr::{BitSelect, Concat, Const, Fill, Name, PartSelect, Unconnected};
use verilog::{Assign, Bit, Connections, Decl, DeclKind, Expr, Instance, Module, Pos};

fn parse(text: &str) -> verilog::Source {
    verilog::parse::parse_source(text, "snippet.v").unwrap_or_else(|e| panic!("{e}"))
}

fn only_module(text: &str) -> Module {
    let mut src = parse(text);
    assert_eq!(src.modules.len(), 1);
    src.modules.remove(0)
}

/// A declaration whose name is at `line`, `col` (counted by hand).
fn decl(kind: DeclKind, name: &str, range: Option<(i64, i64)>, (line, col): (u32, u32)) -> Decl {
    Decl {
        kind,
        name: name.into(),
        range,
        line,
        col,
    }
}

/// Positions on one line.
fn on_line(line: u32, cols: &[u32]) -> Vec<Pos> {
    cols.iter().map(|&col| Pos { line, col }).collect()
}

fn n(s: &str) -> Expr {
    Name(s.into())
}

fn named(pins: &[(&str, Expr)]) -> Connections {
    Connections::Named(
        pins.iter()
            .map(|(p, e)| (p.to_string(), e.clone()))
            .collect(),
    )
}

/// The constant of a one-line `assign y = <text>;`.
fn constant(text: &str) -> Expr {
    let m = only_module(&format!("module m; assign y = {text}; endmodule"));
    m.assigns[0].rhs.clone()
}

/// Bits from a string written most significant first, like Verilog.
fn bits(msb_first: &str) -> Expr {
    Const(
        msb_first
            .chars()
            .rev()
            .map(|c| match c {
                '0' => Zero,
                '1' => One,
                'x' => X,
                'z' => Z,
                _ => unreachable!(),
            })
            .collect::<Vec<Bit>>(),
    )
}

#[test]
fn non_ansi_module_with_declarations() {
    let m = only_module(
        "module top(a, y, io);\n\
         input [3:0] a;\n\
         input wire signed [0:1] b2, c;\n\
         output y;\n\
         inout io;\n\
         wire [7:4] bus, t;\n\
         endmodule\n",
    );
    assert_eq!(m.name, "top");
    assert_eq!((m.line, m.col), (1, 1));
    assert_eq!(m.ports, ["a", "y", "io"]);
    assert_eq!(
        m.decls,
        vec![
            decl(DeclKind::Input, "a", Some((3, 0)), (2, 13)),
            decl(DeclKind::Input, "b2", Some((0, 1)), (3, 25)),
            decl(DeclKind::Input, "c", Some((0, 1)), (3, 29)),
            decl(DeclKind::Output, "y", None, (4, 8)),
            decl(DeclKind::Inout, "io", None, (5, 7)),
            decl(DeclKind::Wire, "bus", Some((7, 4)), (6, 12)),
            decl(DeclKind::Wire, "t", Some((7, 4)), (6, 17)),
        ]
    );
    assert!(m.instances.is_empty() && m.assigns.is_empty());
}

#[test]
fn ansi_ports_inherit_the_previous_declaration() {
    let m = only_module(
        "module m (input wire [3:0] a, b,\n  output signed [1:0] y, inout z);\nendmodule",
    );
    assert_eq!(m.ports, ["a", "b", "y", "z"]);
    assert_eq!(
        m.decls,
        vec![
            decl(DeclKind::Input, "a", Some((3, 0)), (1, 28)),
            decl(DeclKind::Input, "b", Some((3, 0)), (1, 31)),
            decl(DeclKind::Output, "y", Some((1, 0)), (2, 23)),
            decl(DeclKind::Inout, "z", None, (2, 32)),
        ]
    );
}

#[test]
fn empty_and_missing_port_lists() {
    let src = parse("module a(); endmodule\nmodule b; endmodule\n");
    assert_eq!(src.modules.len(), 2);
    assert!(src.modules.iter().all(|m| m.ports.is_empty()));
    assert_eq!(src.module("b").unwrap().pos(), Pos { line: 2, col: 1 });
}

#[test]
fn several_modules_in_order() {
    let src = parse(
        "module leaf(x); input x; endmodule\n\
         module top(y); output y; leaf u (.x(y)); endmodule\n",
    );
    let names: Vec<_> = src.modules.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["leaf", "top"]);
    assert_eq!(src.file, "snippet.v");
    assert_eq!(src.module("top").unwrap().instances[0].cell, "leaf");
    assert!(src.module("nope").is_none());
}

#[test]
fn named_connections_with_selects_concats_and_unconnected_pins() {
    let m = only_module(
        "module m(a, y);\n\
         input [3:0] a; output [1:0] y; wire w;\n\
         CELL u1 (.A(a[2]), .B(a[3:1]), .C({w, a[0]}), .D(), .Y(y));\n\
         endmodule",
    );
    assert_eq!(
        m.instances,
        vec![Instance {
            cell: "CELL".into(),
            name: "u1".into(),
            connections: named(&[
                ("A", BitSelect("a".into(), 2)),
                ("B", PartSelect("a".into(), 3, 1)),
                ("C", Concat(vec![n("w"), BitSelect("a".into(), 0)])),
                ("D", Unconnected),
                ("Y", n("y")),
            ]),
            line: 3,
            col: 1,
            // The pin names, counted along the line.
            connection_pos: on_line(3, &[11, 21, 33, 48, 54]),
        }]
    );
}

#[test]
fn positional_connections_with_an_empty_slot() {
    let m = only_module("module m; sub u (x, , y[0], 1'b1); sub v (); endmodule");
    assert_eq!(
        m.instances[0].connections,
        Connections::Positional(vec![
            n("x"),
            Unconnected,
            BitSelect("y".into(), 0),
            bits("1")
        ])
    );
    assert_eq!(m.instances[1].connections, Connections::Positional(vec![]));
    // The expressions; the empty slot is where its `,` is.
    assert_eq!(m.instances[0].connection_pos, on_line(1, &[18, 21, 23, 29]));
    assert_eq!(m.instances[0].pos(), Pos { line: 1, col: 11 });
    assert_eq!(m.instances[1].pos(), Pos { line: 1, col: 36 });
}

#[test]
fn several_instances_in_one_statement_and_parameter_overrides() {
    let m = only_module(
        "module m;\n\
         INV #(.W(2), .S(\"a;b)\")) i1 (.A(x), .Y(y)),\n\
         i2 (.A(y), .Y(z));\n\
         endmodule",
    );
    let names: Vec<_> = m
        .instances
        .iter()
        .map(|i| (i.cell.as_str(), i.name.as_str(), i.line, i.col))
        .collect();
    // The first instance is where the cell name is, a later one at its name.
    assert_eq!(names, [("INV", "i1", 2, 1), ("INV", "i2", 3, 1)]);
    assert_eq!(m.instances[1].connection_pos, on_line(3, &[6, 13]));
}

#[test]
fn assigns_with_concatenation_on_the_left_and_replication() {
    let m = only_module(
        "module m;\n\
         assign {c, s[1:0]} = {a, 2'b01}, t = u;\n\
         assign r = {2{x, 1'b0}};\n\
         wire k = j;\n\
         endmodule",
    );
    assert_eq!(
        m.assigns,
        vec![
            Assign {
                lhs: Concat(vec![n("c"), PartSelect("s".into(), 1, 0)]),
                rhs: Concat(vec![n("a"), bits("01")]),
                line: 2,
                col: 1,
            },
            Assign {
                lhs: n("t"),
                rhs: n("u"),
                line: 2,
                col: 1,
            },
            Assign {
                lhs: n("r"),
                rhs: Concat(vec![n("x"), bits("0"), n("x"), bits("0")]),
                line: 3,
                col: 1,
            },
            // `wire k = j;`: at the declared name.
            Assign {
                lhs: n("k"),
                rhs: n("j"),
                line: 4,
                col: 6,
            },
        ]
    );
    assert_eq!(m.decls, vec![decl(DeclKind::Wire, "k", None, (4, 6))]);
}

#[test]
fn sized_constants_in_every_base() {
    assert_eq!(constant("1'b0"), bits("0"));
    assert_eq!(constant("1'b1"), bits("1"));
    assert_eq!(constant("4'b1x0z"), bits("1x0z"));
    assert_eq!(constant("4'B1_0"), bits("0010"));
    assert_eq!(constant("3'o5"), bits("101"));
    assert_eq!(constant("6'o7"), bits("000111"));
    assert_eq!(constant("8'hA5"), bits("10100101"));
    assert_eq!(constant("8'hx"), bits("xxxxxxxx"));
    assert_eq!(constant("8'hzF"), bits("zzzz1111"));
    assert_eq!(constant("4'd10"), bits("1010"));
    assert_eq!(constant("5'dx"), bits("xxxxx"));
    assert_eq!(constant("8'sd5"), bits("00000101"));
    assert_eq!(constant("8 'h F_F"), bits("11111111"));
    // Truncating to the size is fine when only padding is lost.
    assert_eq!(constant("1'hx"), bits("x"));
    assert_eq!(constant("2'h3"), bits("11"));
    // Wider than 64 bits: 2^64 + 3.
    let mut wide = vec![Zero; 70];
    wide[0] = One;
    wide[1] = One;
    wide[64] = One;
    assert_eq!(constant("70'd18446744073709551619"), Const(wide));
}

#[test]
fn unsized_constants() {
    // Plain decimals and unsized based numbers are 32 bits wide.
    let mut five = vec![Zero; 32];
    five[0] = One;
    five[2] = One;
    assert_eq!(constant("5"), Const(five.clone()));
    assert_eq!(constant("'h5"), Const(five));
    assert_eq!(constant("'bx"), Const(vec![X; 32]));
    // Unbased fills take the width of their context.
    assert_eq!(constant("'0"), Fill(Zero));
    assert_eq!(constant("'1"), Fill(One));
    assert_eq!(constant("'x"), Fill(X));
    assert_eq!(constant("'z"), Fill(Z));
}

#[test]
fn escaped_identifiers_end_at_whitespace() {
    let m = only_module(
        "module \\top$1 (\\a+b , y);\n\
         input \\a+b ;\n\
         wire [3:0] \\u_mac.acc ;\n\
         \\$_AND_ \\u/g[0] (.A(\\u_mac.acc [3]), .B(\\a+b ), .Y(\\u_mac.acc [1:0]));\n\
         endmodule",
    );
    assert_eq!(m.name, "top$1");
    assert_eq!(m.ports, ["a+b", "y"]);
    assert_eq!(
        m.decls[1],
        decl(DeclKind::Wire, "u_mac.acc", Some((3, 0)), (3, 12))
    );
    assert_eq!(m.instances[0].cell, "$_AND_");
    assert_eq!(m.instances[0].name, "u/g[0]");
    assert_eq!(
        m.instances[0].connections,
        named(&[
            ("A", BitSelect("u_mac.acc".into(), 3)),
            ("B", n("a+b")),
            ("Y", PartSelect("u_mac.acc".into(), 1, 0)),
        ])
    );
}

#[test]
fn attributes_comments_and_directives_are_skipped() {
    let m = only_module(
        "`timescale 1ns / 1ps\n\
         `default_nettype none\n\
         /* Generated by hand\n   over two lines */\n\
         (* top = 1, src = \"a.v:1.2-3.4 *) tricky\" *)\n\
         module m (* keep *) (a, y); // trailing comment\n\
         (* src = \"a.v:2\" *) input a;\n\
         output y;\n\
         (* keep *) (* src = \"a.v:4\" *)\n\
         BUF b (.A(a), (* unused *) .Y(y));\n\
         endmodule\n",
    );
    assert_eq!(m.pos(), Pos { line: 6, col: 1 });
    assert_eq!(m.ports, ["a", "y"]);
    assert_eq!(m.instances[0].pos(), Pos { line: 10, col: 1 });
    // `.Y` comes after a 12-character attribute.
    assert_eq!(m.instances[0].connection_pos, on_line(10, &[9, 29]));
    assert_eq!(
        m.instances[0].connections,
        named(&[("A", n("a")), ("Y", n("y"))])
    );
}

#[test]
fn parameters_defparams_and_specify_blocks_are_skipped() {
    let m = only_module(
        "module m #(parameter W = 4, parameter [1:0] S = 2'b10) (a);\n\
         parameter P = \"x;y\";\n\
         localparam Q = P + 1;\n\
         input a;\n\
         defparam u.W = 3;\n\
         specify\n  (a => y) = (1.0, 2.0);\n  specparam T = 1;\nendspecify\n\
         BUF u (.A(a));\n\
         endmodule",
    );
    assert_eq!(m.decls, vec![decl(DeclKind::Input, "a", None, (4, 7))]);
    assert_eq!(m.instances.len(), 1);
    assert_eq!(m.instances[0].line, 10);
}

#[test]
fn crlf_line_endings() {
    let m = only_module("module m(a);\r\ninput a;\r\nBUF u (.A(a));\r\nendmodule\r\n");
    assert_eq!(m.decls, vec![decl(DeclKind::Input, "a", None, (2, 7))]);
    assert_eq!(m.instances[0].line, 3);
    assert_eq!(m.instances[0].connection_pos, on_line(3, &[9]));
}

/// Columns count characters: a tab is one, and so is `é` (two bytes).
#[test]
fn columns_count_characters() {
    let m = only_module(
        "module m(\\é , y);\n\
         \tinput \\é ;\n\
         \toutput y;\n\
         \tBUF \\ü (.A(\\é ), .Y(y));\n\
         endmodule\n",
    );
    assert_eq!(m.decls[0], decl(DeclKind::Input, "é", None, (2, 8)));
    assert_eq!(m.decls[1], decl(DeclKind::Output, "y", None, (3, 9)));
    assert_eq!(m.instances[0].pos(), Pos { line: 4, col: 2 });
    assert_eq!(m.instances[0].connection_pos, on_line(4, &[11, 20]));
}

#[test]
fn an_empty_file_has_no_modules() {
    assert!(parse("").modules.is_empty());
    assert!(parse("// nothing\n/* here */\n").modules.is_empty());
}
