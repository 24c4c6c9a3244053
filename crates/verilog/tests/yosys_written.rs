//! Netlists Yosys writes here and now, with attributes and with hierarchy
//! kept, parse and agree with Yosys' own reading of them.

mod common;

use std::path::PathBuf;

use common::{check_against_yosys, scratch, yosys, yosys_json};

/// Two levels of hierarchy, a parameterised submodule used at two widths,
/// constants, an inverted input and an unconnected output.
const RTL: &str = "
module sub #(parameter W = 2) (input [W-1:0] a, b, output [W-1:0] y, output c);
  assign y = a ^ b;
  assign c = &a;
endmodule
module top (input [3:0] x, input [1:0] z, output [3:0] o, output [1:0] k, output p);
  wire c0, c1;
  sub #(.W(2)) u0 (.a(x[1:0]), .b(z), .y(o[1:0]), .c(c0));
  sub #(.W(2)) u1 (.a(x[3:2]), .b(~z), .y(o[3:2]), .c(c1));
  sub #(.W(1)) u2 (.a(x[0]), .b(1'b1), .y(k[0]), .c());
  assign k[1] = c0 | c1;
  assign p = 1'b0;
endmodule
";

/// Synthesise `RTL` with `flow` (Yosys commands between reading and
/// writing) and return the written file's path and text.
fn write(flow: &str, write_cmd: &str) -> (PathBuf, String) {
    let dir = scratch("yosys-written");
    std::fs::write(dir.join("rtl.v"), RTL).unwrap();
    yosys(
        &format!("read_verilog rtl.v; {flow}; {write_cmd} out.v"),
        &dir,
    );
    let path = dir.join("out.v");
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// Parse `path` and compare it with Yosys; return the parsed source.
fn parse_and_compare(path: &PathBuf) -> verilog::Source {
    let src = verilog::read_file(path).unwrap_or_else(|e| panic!("{e}"));
    let compared = check_against_yosys(&src, &yosys_json(path));
    assert!(compared > 0);
    src
}

/// The top module keeps three submodule instances (hierarchy not
/// flattened), of two derived modules.
fn assert_hierarchy_kept(src: &verilog::Source) {
    let top = src.module("top").expect("module top");
    let subs: Vec<&str> = top
        .instances
        .iter()
        .filter(|i| i.cell.contains("sub"))
        .map(|i| i.cell.as_str())
        .collect();
    assert_eq!(subs.len(), 3, "instances of sub in top: {subs:?}");
    for cell in subs {
        assert!(
            src.module(cell).is_some(),
            "module {cell} defined in the file"
        );
    }
}

#[test]
fn generic_synth_with_attributes_and_hierarchy() {
    let (path, text) = write("synth -top top", "write_verilog -noexpr");
    assert!(text.contains("(* src ="), "attributes were written");
    let src = parse_and_compare(&path);
    assert_hierarchy_kept(&src);
    // Generic gates come out as escaped `$_..._` cell names.
    let top = src.module("top").unwrap();
    assert!(top.instances.iter().any(|i| i.cell.starts_with("$_")));
}

#[test]
fn techmap_flow_with_hierarchy() {
    let (path, text) = write(
        "hierarchy -top top; proc; opt; techmap; opt",
        "write_verilog -noexpr",
    );
    assert!(text.contains("(*"));
    let src = parse_and_compare(&path);
    assert_hierarchy_kept(&src);
}

#[test]
fn liberty_mapped_with_attributes() {
    let lib = testdata::liberty("sg13g2_stdcell_typ_1p20V_25C.lib");
    let (path, text) = write(
        &format!("synth -top top; abc -liberty {}; opt_clean", lib.display()),
        "write_verilog",
    );
    assert!(text.contains("(* src ="));
    let src = parse_and_compare(&path);
    assert_hierarchy_kept(&src);
    let top = src.module("top").unwrap();
    assert!(top.instances.iter().any(|i| i.cell.starts_with("sg13g2_")));
}

#[test]
fn expressions_from_write_verilog_without_noexpr_are_rejected() {
    // Without -noexpr Yosys writes generic gates as operators.
    let (path, text) = write("synth -top top", "write_verilog");
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("assign") && l.contains('^'))
        .expect("an assign with `^`")
        + 1;
    let err = verilog::read_file(&path).unwrap_err();
    let msg = err.to_string();
    match err {
        verilog::Error::At(located) => {
            let at = located.pos.line;
            // The first operator need not be the first `^` line; it is at or
            // before it.
            assert!(at as usize <= line, "{msg}");
        }
        e => panic!("unexpected error {e}"),
    }
    assert!(msg.contains("not a structural netlist"), "{msg}");
}
