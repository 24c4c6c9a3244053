//! Real netlists, reference and shipped, parse; their instance counts match
//! numbers recorded by other tools, and every connection matches Yosys'
//! own reading of the same file.

mod common;

use common::{check_against_yosys, repo_root, yosys_json};
use verilog::{Connections, DeclKind};

/// `netlist.cell_count` from a reference case's opensta.json (written by
/// the reference flow, not by us).
fn reference_cell_count(case: &str) -> usize {
    let path = testdata::reference(case, "opensta.json");
    let text = std::fs::read_to_string(&path).expect("read opensta.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("parse opensta.json");
    json["netlist"]["cell_count"].as_u64().expect("cell_count") as usize
}

fn check_reference(case: &str) {
    let path = testdata::reference(case, "netlist.v");
    let src = verilog::read_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(src.modules.len(), 1);
    let m = src.module("mac").expect("module mac");
    assert_eq!(m.ports, ["w", "a", "p_in", "p_out"]);
    assert_eq!(m.instances.len(), reference_cell_count(case));
    assert!(m.assigns.is_empty(), "the README says: no assigns");
    let compared = check_against_yosys(&src, &yosys_json(&path));
    assert!(compared > 2 * m.instances.len());
}

#[test]
fn ref_small_ng45_parses_and_matches_yosys() {
    check_reference("ref_small_ng45");
}

#[test]
fn ref_mac8u_ng45_parses_and_matches_yosys() {
    check_reference("ref_mac8u_ng45");
}

#[test]
fn ref_mac8u_sg13g2_parses_and_matches_yosys() {
    check_reference("ref_mac8u_sg13g2");
}

#[test]
fn ref_small_ng45_first_instance_by_hand() {
    // Read off netlist.v lines 33-38:
    //   AND3_X1 _21_ ( .A1(p_in[0]), .A2(a[0]), .A3(w[0]), .ZN(_00_) );
    use verilog::Expr::{BitSelect, Name};
    let path = testdata::reference("ref_small_ng45", "netlist.v");
    let src = verilog::read_file(&path).unwrap();
    let m = &src.modules[0];
    let first = &m.instances[0];
    assert_eq!(first.cell, "AND3_X1");
    assert_eq!(first.name, "_21_");
    assert_eq!((first.line, first.col), (33, 3));
    // `    .A1(p_in[0]),` and the next three lines: the pin names in column 6.
    let pins: Vec<(u32, u32)> = first
        .connection_pos
        .iter()
        .map(|p| (p.line, p.col))
        .collect();
    assert_eq!(pins, [(34, 6), (35, 6), (36, 6), (37, 6)]);
    assert_eq!(
        first.connections,
        Connections::Named(vec![
            ("A1".into(), BitSelect("p_in".into(), 0)),
            ("A2".into(), BitSelect("a".into(), 0)),
            ("A3".into(), BitSelect("w".into(), 0)),
            ("ZN".into(), Name("_00_".into())),
        ])
    );
    // Lines 25-26 (`grep -n 'a;'`): `input [1:0] a;` then `wire [1:0] a;`.
    let a: Vec<_> = m.decls.iter().filter(|d| d.name == "a").collect();
    assert_eq!(a.len(), 2);
    assert_eq!(
        (a[0].kind, a[0].range, a[0].line, a[0].col),
        (DeclKind::Input, Some((1, 0)), 25, 15)
    );
    assert_eq!(
        (a[1].kind, a[1].range, a[1].line, a[1].col),
        (DeclKind::Wire, Some((1, 0)), 26, 14)
    );
}

#[test]
fn gcd_sky130hd_parses_and_matches_yosys() {
    // OpenROAD output: one-space indent, escaped names with bit-selects after
    // the space (`\dpath.a_lt_b$in1[0] `), clock-tree buffers.
    // `grep -cE "^ sky130_fd_sc_hd__" gcd_sky130hd.v` gives 1292, and
    // `grep -cE "^ [A-Za-z_\\][^ ]* [^ ]+ \(" gcd_sky130hd.v` also gives 1292,
    // so every instance is a sky130 cell.
    let Some(path) = testdata::shared("reference/gcd_sky130hd/gcd_sky130hd.v", "gcd parse") else {
        return;
    };
    let src = verilog::read_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let m = src.module("gcd").expect("module gcd");
    assert_eq!(m.instances.len(), 1292);
    assert!(m
        .instances
        .iter()
        .all(|i| i.cell.starts_with("sky130_fd_sc_hd__")));
    assert_eq!(
        m.ports,
        ["clk", "req_rdy", "req_val", "reset", "resp_rdy", "resp_val", "req_msg", "resp_msg"]
    );
    // Line 213: ` wire \ctrl.state.out[1] ;` is a scalar with brackets in its name.
    let d = m
        .decls
        .iter()
        .find(|d| d.line == 213)
        .expect("decl on line 213");
    assert_eq!((d.name.as_str(), d.range), ("ctrl.state.out[1]", None));
    check_against_yosys(&src, &yosys_json(&path));
}

/// Shipped netlist `name`: parses, matches Yosys, and has the port widths
/// its README promises.
fn check_shipped(name: &str, ww: i64, aw: i64, pw: i64) {
    let path = repo_root().join("netlists").join(format!("{name}.v"));
    let src = verilog::read_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let m = src.module("mac").expect("module mac");
    for (port, width) in [("w", ww), ("a", aw), ("p_in", pw), ("p_out", pw)] {
        let d = m
            .decls
            .iter()
            .find(|d| d.name == port && d.kind != DeclKind::Wire)
            .unwrap_or_else(|| panic!("no port {port}"));
        assert_eq!(d.range, Some((width - 1, 0)), "width of {port}");
    }
    let compared = check_against_yosys(&src, &yosys_json(&path));
    assert!(compared > m.instances.len());
}

#[test]
fn shipped_netlists_parse_and_match_yosys() {
    check_shipped("mac2u_sg13g2", 2, 2, 6);
    check_shipped("mac3u_sg13g2", 3, 3, 8);
    check_shipped("mac3w2a_sg13g2", 3, 2, 16);
    check_shipped("mac8u_sg13g2", 8, 8, 22);
    check_shipped("mac8s_sg13g2", 8, 8, 22);
    check_shipped("mac8u_ng45", 8, 8, 22);
    check_shipped("ref_mac8u_ng45", 8, 8, 20);
}

#[test]
fn shipped_netlists_are_the_reference_netlists() {
    // Same RTL function and flow as shared/reference/CASE, so the OpenSTA
    // numbers recorded in tests/fixtures/reference/CASE apply to the
    // shipped files unchanged.
    for (ours, case) in [
        ("mac8u_sg13g2", "ref_mac8u_sg13g2"),
        ("ref_mac8u_ng45", "ref_mac8u_ng45"),
        ("ref_small_ng45", "ref_small_ng45"),
    ] {
        let Some(reference) =
            testdata::shared(&format!("reference/{case}/netlist.v"), "reference netlist")
        else {
            continue;
        };
        let text = std::fs::read(repo_root().join(format!("netlists/{ours}.v"))).unwrap();
        assert!(
            text == std::fs::read(reference).unwrap(),
            "netlists/{ours}.v differs from the reference"
        );
    }
}
