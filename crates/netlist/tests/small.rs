//! Hand-made small circuits on NanGate45, checked by truth table and by
//! hand-counted structure.

mod common;

use common::*;
use netlist::logic::LogicEvaluator;
use netlist::{Driver, Error};

/// Half adder from five NAND2s: s = a ^ b (four NANDs), c = a & b (the
/// shared first NAND, inverted by a fifth).
const HALF_ADDER: &str = "
module ha(a, b, s, c);
  input a, b;
  output s, c;
  wire n1, n2, n3;
  NAND2_X1 g1 (.A1(a), .A2(b), .ZN(n1));
  NAND2_X1 g2 (.A1(a), .A2(n1), .ZN(n2));
  NAND2_X1 g3 (.A1(n1), .A2(b), .ZN(n3));
  NAND2_X1 g4 (.A1(n2), .A2(n3), .ZN(s));
  NAND2_X1 g5 (.A1(n1), .A2(n1), .ZN(c));
endmodule
";

#[test]
fn half_adder_from_nands_truth_table() {
    let lib = nangate45();
    let n = elaborate_text(HALF_ADDER, "ha.v", lib).unwrap();
    assert_eq!(n.instances.len(), 5);
    assert_eq!(n.nets.len(), 7); // a b s c n1 n2 n3
                                 // Levels by hand: g1 = 1, g2 g3 g5 = 2, g4 = 3.
    assert_eq!(n.level, [1, 2, 2, 3, 2]);
    assert_eq!(n.depth(), 3);
    // Connections by hand: a and b feed g1 and one of g2/g3 each, n1 feeds
    // g2, g3 and both pins of g5, n2 and n3 feed g4; s and c only the ports.
    let loads = |name: &str| {
        let net = n.nets.iter().find(|net| net.name == name).unwrap();
        (net.loads.len(), net.is_output)
    };
    assert_eq!(loads("a"), (2, false));
    assert_eq!(loads("b"), (2, false));
    assert_eq!(loads("n1"), (4, false));
    assert_eq!(loads("n2"), (1, false));
    assert_eq!(loads("n3"), (1, false));
    assert_eq!(loads("s"), (0, true));
    assert_eq!(loads("c"), (0, true));
    assert_eq!(n.pin_connections(), 5 * 3);

    let mut e = LogicEvaluator::new(&n, lib).unwrap();
    // Lanes 0..4 hold the rows (a, b) = (0,0) (1,0) (0,1) (1,1).
    e.set_input_values(0, &[0, 1, 0, 1]);
    e.set_input_values(1, &[0, 0, 1, 1]);
    e.run();
    let s = e.output_values(0);
    let c = e.output_values(1);
    assert_eq!(&s[..4], &[0, 1, 1, 0]);
    assert_eq!(&c[..4], &[0, 0, 0, 1]);
    // Bit-sliced view of the same: lane j of s is a ^ b.
    assert_eq!(e.output_lanes(0, 0) & 0xF, 0b0110);
    assert_eq!(e.output_lanes(1, 0) & 0xF, 0b1000);
}

#[test]
fn assign_alias_chain_is_one_net() {
    let lib = nangate45();
    let text = "
module top(x, y, z);
  input [1:0] x;
  output [1:0] y;
  output z;
  wire p, q, r;
  wire [1:0] t;
  assign p = x[0];
  assign q = p;
  assign r = q;
  INV_X1 u1 (.A(r), .ZN(z));
  assign t = {x[0], x[1]};
  assign y = t;
endmodule
";
    let n = elaborate_text(text, "alias.v", lib).unwrap();
    // x[0] = p = q = r = t[1] = y[1]; x[1] = t[0] = y[0]; z.
    assert_eq!(n.nets.len(), 3);
    let x = &n.inputs[0];
    let y = &n.outputs[0];
    assert_eq!(y.bits, [x.bits[1], x.bits[0]]);
    let inv_in = n.instances[0].pins[0].unwrap();
    assert_eq!(inv_in, x.bits[0]);
    // The input port bit names the merged net.
    assert_eq!(n.nets[inv_in.0 as usize].name, "x[0]");
    assert!(n.nets[inv_in.0 as usize].is_output);
    let e = LogicEvaluator::new(&n, lib).unwrap();
    for xv in 0..4u64 {
        let out = e.eval_vectors(&[vec![xv]]);
        let swapped = (xv & 1) << 1 | xv >> 1;
        assert_eq!(out[0], [swapped, !xv & 1], "x = {xv}");
    }
}

#[test]
fn constant_ties() {
    let lib = nangate45();
    let text = "
module top(a, y, z);
  input a;
  output [2:0] y;
  output z;
  assign y[0] = 1'b1;
  assign y[2:1] = 2'b01;
  NAND2_X1 u1 (.A1(a), .A2(1'b1), .ZN(z));
endmodule
";
    let n = elaborate_text(text, "tie.v", lib).unwrap();
    let y = &n.outputs[0];
    assert_eq!(n.nets[y.bits[0].0 as usize].driver, Driver::Const(true));
    assert_eq!(n.nets[y.bits[1].0 as usize].driver, Driver::Const(true));
    assert_eq!(n.nets[y.bits[2].0 as usize].driver, Driver::Const(false));
    let a2 = n.instances[0].pins[1].unwrap();
    assert_eq!(n.nets[a2.0 as usize].driver, Driver::Const(true));
    let e = LogicEvaluator::new(&n, lib).unwrap();
    // NAND with one input tied high inverts.
    assert_eq!(
        e.eval_vectors(&[vec![0], vec![1]]),
        [[0b011, 1], [0b011, 0]]
    );
}

#[test]
fn hierarchy_flattens_with_named_and_positional_connections() {
    let lib = nangate45();
    // Positional connections to a library cell follow its Liberty pin
    // order (NAND2_X1: A1, A2, ZN).
    let text = format!(
        "{HALF_ADDER}
module fa(a, b, ci, s, co);
  input a, b, ci;
  output s, co;
  wire s1, c1, c2;
  ha h1 (a, b, s1, c1);
  ha h2 (.a(s1), .b(ci), .s(s), .c(c2));
  OR2_X1 g (.A1(c1), .A2(c2), .ZN(co));
endmodule
"
    );
    let n = elaborate_text(&text, "fa.v", lib).unwrap();
    assert_eq!(n.top, "fa");
    assert_eq!(n.instances.len(), 11);
    assert!(n.instances.iter().any(|i| i.name == "h2/g4"));
    // Internal nets are named by their hierarchical path; nets that are
    // ports of the submodule take the parent's (shallower) name.
    assert!(n.nets.iter().any(|net| net.name == "h1/n1"));
    assert!(n.nets.iter().any(|net| net.name == "s1"));
    assert!(!n.nets.iter().any(|net| net.name == "h2/a"));
    let e = LogicEvaluator::new(&n, lib).unwrap();
    let vectors: Vec<Vec<u64>> = (0..8).map(|x| vec![x & 1, x >> 1 & 1, x >> 2]).collect();
    for (v, out) in vectors.iter().zip(e.eval_vectors(&vectors)) {
        let sum = v[0] + v[1] + v[2];
        assert_eq!(out, [sum & 1, sum >> 1], "{v:?}");
    }
}

#[test]
fn top_must_be_unique_or_named() {
    let lib = nangate45();
    let text = "
module m1(a, y);
  input a; output y;
  INV_X1 u (.A(a), .ZN(y));
endmodule
module m2(a, y);
  input a; output y;
  BUF_X1 u (.A(a), .Z(y));
endmodule
";
    let source = verilog::parse::parse_source(text, "two.v").unwrap();
    let err = netlist::Netlist::elaborate(&source, lib, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`m1`") && err.contains("`m2`"), "{err}");
    let n = netlist::Netlist::elaborate(&source, lib, Some("m2")).unwrap();
    assert_eq!(n.top, "m2");
    let err = netlist::Netlist::elaborate(&source, lib, Some("m3"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no module `m3`") && err.contains("`m1`"),
        "{err}"
    );
}

#[test]
fn flip_flop_is_cut_and_holds_state() {
    let lib = nangate45();
    // A toggle flop: D = !Q.
    let text = "
module t(clk, q);
  input clk;
  output q;
  wire d;
  DFF_X1 r (.D(d), .CK(clk), .Q(q), .QN());
  INV_X1 i (.A(q), .ZN(d));
endmodule
";
    let n = elaborate_text(text, "t.v", lib).unwrap();
    assert_eq!(n.sequential_instances(), [netlist::InstId(0)]);
    assert_eq!(n.topo_order, [netlist::InstId(1)]);
    assert_eq!(n.level, [0, 1]);
    let mut e = LogicEvaluator::new(&n, lib).unwrap();
    e.run();
    assert_eq!(e.output_lanes(0, 0), 0, "initial state 0");
    let mut seen = Vec::new();
    for _ in 0..4 {
        e.clock();
        e.run();
        seen.push(e.output_lanes(0, 0));
    }
    assert_eq!(seen, [!0, 0, !0, 0]);
    assert!(e.set_state(netlist::InstId(0), 0b10));
    assert!(!e.set_state(netlist::InstId(1), 1));
    e.run();
    assert_eq!(e.output_lanes(0, 0), 0b10);
    assert_eq!(e.state(netlist::InstId(0)), Some(0b10));
}

#[test]
fn unconnected_input_warns_and_reads_zero() {
    let lib = nangate45();
    let text = "
module top(a, y);
  input a;
  output y;
  NAND2_X1 u1 (.A1(a), .A2(), .ZN(y));
endmodule
";
    let n = elaborate_text(text, "open.v", lib).unwrap();
    assert_eq!(n.instances[0].pins[1], None);
    assert!(
        n.warnings
            .iter()
            .any(|w| w.starts_with("open.v:5:25: ") && w.contains("A2")),
        "{:?}",
        n.warnings
    );
    let e = LogicEvaluator::new(&n, lib).unwrap();
    assert_eq!(e.eval_vectors(&[vec![0], vec![1]]), [[1], [1]]);
}

#[test]
fn power_pins_are_not_signal_pins() {
    // Placed SKY130 netlists may connect the pg_pins explicitly.
    let lib = sky130hd();
    let text = "
module top(a, y, vdd, vss);
  input a, vdd, vss;
  output y;
  sky130_fd_sc_hd__inv_1 u (.A(a), .Y(y), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
endmodule
";
    let n = elaborate_text(text, "pg.v", lib).unwrap();
    assert_eq!(n.instances[0].pins.iter().flatten().count(), 2);
    let e = LogicEvaluator::new(&n, lib).unwrap();
    assert_eq!(e.eval_vectors(&[vec![1, 1, 0]])[0], [0]);
    // A pin that is neither a signal nor a power pin is still an error.
    let bad = text.replace(".VNB(vss)", ".VNX(vss)");
    let err = elaborate_text(&bad, "pg.v", lib).unwrap_err().to_string();
    assert!(err.contains("no pin `VNX`"), "{err}");
}

#[test]
fn errors_never_panic_on_odd_but_parseable_input() {
    let lib = nangate45();
    // Recursive instantiation with an explicit top.
    let text = "
module a(x, y);
  input x; output y;
  b u (.x(x), .y(y));
endmodule
module b(x, y);
  input x; output y;
  a u (.x(x), .y(y));
endmodule
";
    let source = verilog::parse::parse_source(text, "rec.v").unwrap();
    let err = netlist::Netlist::elaborate(&source, lib, None).unwrap_err();
    assert!(matches!(err, Error::Design(_)), "{err}");
    let err = netlist::Netlist::elaborate(&source, lib, Some("a")).unwrap_err();
    match err {
        Error::At(at) => {
            assert_eq!((at.pos.line, at.pos.col), (8, 3));
            assert!(at.message.contains("recursive"), "{}", at.message);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn isolation_buffer_with_sleep_pin() {
    // SKY130's isobufsrc has a SLEEP control pin: X = A & !SLEEP.
    let lib = sky130hd();
    let text = "
module top(a, sleep, x);
  input a, sleep;
  output x;
  sky130_fd_sc_hd__lpflow_isobufsrc_1 iso (.A(a), .SLEEP(sleep), .X(x));
endmodule
";
    let n = elaborate_text(text, "iso.v", lib).unwrap();
    let e = LogicEvaluator::new(&n, lib).unwrap();
    let rows: Vec<Vec<u64>> = (0..4).map(|r| vec![r & 1, r >> 1]).collect();
    let out: Vec<u64> = e.eval_vectors(&rows).into_iter().map(|o| o[0]).collect();
    assert_eq!(out, [0, 1, 0, 0]);
}
