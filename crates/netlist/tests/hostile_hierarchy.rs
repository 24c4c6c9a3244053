//! Hierarchies built to exhaust the elaborator: 10,000 levels deep (one
//! stack frame pair per level) and a doubling hierarchy (2^40 leaf cells)
//! give located errors, not a stack overflow or a hang.

use std::fmt::Write as _;
use std::path::PathBuf;

use netlist::elaborate::{MAX_FLAT_BITS, MAX_HIERARCHY_DEPTH};
use netlist::Netlist;

fn library() -> liberty::Library {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    liberty::read_library(&path).unwrap()
}

/// `m0` (top) instantiates `m1` `fanout` times, ... down to `m{levels}`,
/// which holds one inverter. Each level but the last declares an unused
/// `wire [wide-1:0]` when `wide > 0` (on the same line as `output`).
fn hierarchy(levels: usize, fanout: usize, wide: usize) -> String {
    let mut text = String::new();
    for k in 0..levels {
        let extra = if wide > 0 {
            format!(" wire [{}:0] big;", wide - 1)
        } else {
            String::new()
        };
        writeln!(text, "module m{k}(a, y);\n  input a;\n  output y;{extra}").unwrap();
        for j in 0..fanout {
            writeln!(text, "  m{} u{j} (.a(a), .y(y{j}));", k + 1).unwrap();
        }
        writeln!(text, "  assign y = y0;\nendmodule").unwrap();
    }
    writeln!(
        text,
        "module m{levels}(a, y);\n  input a;\n  output y;\n  sg13g2_inv_1 i (.A(a), .Y(y));\nendmodule"
    )
    .unwrap();
    text
}

fn elaborate(text: &str) -> netlist::Result<Netlist> {
    let source = verilog::parse::parse_source(text, "deep.v")?;
    Netlist::elaborate(&source, &library(), Some("m0"))
}

#[test]
fn ten_thousand_levels_are_a_located_error() {
    let err = elaborate(&hierarchy(10_000, 1, 0)).unwrap_err().to_string();
    assert!(
        err.contains(&format!("deeper than {MAX_HIERARCHY_DEPTH} levels")),
        "{err}"
    );
    // The instance at the limit: module m{limit-1} (6 lines each) is at
    // line 6·(limit-1)+4, its cell name in column 3.
    let line = 6 * (MAX_HIERARCHY_DEPTH - 1) + 4;
    assert!(err.starts_with(&format!("deep.v:{line}:3: ")), "{err}");
}

#[test]
fn the_deepest_allowed_hierarchy_elaborates() {
    let nl = elaborate(&hierarchy(MAX_HIERARCHY_DEPTH - 1, 1, 0)).unwrap();
    assert_eq!(nl.instances.len(), 1);
}

#[test]
fn a_doubling_hierarchy_stops_at_the_size_limit() {
    // 2^40 leaf cells; wide unused wires reach the limit after about
    // a thousand module instances, so the test stays small.
    let err = elaborate(&hierarchy(40, 2, 4096)).unwrap_err().to_string();
    assert!(
        err.contains(&format!("more than {MAX_FLAT_BITS} net bits")),
        "{err}"
    );
}
