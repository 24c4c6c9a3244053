//! Delay calculation checked by hand on tiny circuits: the table numbers
//! below are copied from NanGate45's INV_X1 (nangate45_typ.lib.gz, time in
//! ns, capacitance in fF) and interpolated here, independently of the code
//! under test.

use timing::{Conditions, Constraints, Edge, Report};

fn ng45() -> liberty::Library {
    liberty::read_library(testdata::liberty("nangate45_typ.lib.gz")).unwrap()
}

fn elaborate(lib: &liberty::Library, text: &str) -> netlist::Netlist {
    let source = verilog::parse::parse_source(text, "test.v").unwrap();
    netlist::Netlist::elaborate(&source, lib, None).unwrap()
}

/// INV_X1 A → ZN tables: slew axis (ns), load axis (fF), rows by slew.
const SLEW: [f64; 7] = [
    0.00117378, 0.00472397, 0.0171859, 0.0409838, 0.0780596, 0.130081, 0.198535,
];
const LOAD: [f64; 7] = [
    0.365616, 1.897810, 3.795620, 7.591250, 15.182500, 30.365000, 60.730000,
];
const CELL_FALL: [[f64; 7]; 3] = [
    [
        0.00334769, 0.00529785, 0.00763425, 0.0122592, 0.0214710, 0.0398747, 0.0766650,
    ],
    [
        0.00461096, 0.00678237, 0.00912396, 0.0137631, 0.0229885, 0.0413991, 0.0781923,
    ],
    [
        0.00565781, 0.00963029, 0.0133910, 0.0192072, 0.0284937, 0.0468495, 0.0836153,
    ],
];
const FALL_TRANSITION: [[f64; 7]; 3] = [
    [
        0.00146483, 0.00307767, 0.00507790, 0.00907693, 0.0170788, 0.0330804, 0.0650877,
    ],
    [
        0.00208078, 0.00319162, 0.00507788, 0.00907788, 0.0170769, 0.0330758, 0.0650897,
    ],
    [
        0.00453885, 0.00619474, 0.00782158, 0.0104713, 0.0171441, 0.0330755, 0.0650929,
    ],
];
const CELL_RISE: [[f64; 7]; 3] = [
    [
        0.00558495, 0.00952547, 0.0142069, 0.0234111, 0.0416815, 0.0781322, 0.150988,
    ],
    [
        0.00726612, 0.0110313, 0.0156990, 0.0249513, 0.0432921, 0.0797973, 0.152683,
    ],
    [
        0.0117593, 0.0172024, 0.0222810, 0.0312450, 0.0494226, 0.0858830, 0.158767,
    ],
];
/// INV_X1 pin A: rise_capacitance and fall_capacitance, fF.
const A_RISE_CAP_FF: f64 = 1.700230;
const A_FALL_CAP_FF: f64 = 1.549360;

/// Bilinear interpolation (linear extrapolation past the first/last point)
/// over the first three slew rows.
fn table(values: &[[f64; 7]; 3], slew: f64, load_ff: f64) -> f64 {
    let seg = |xs: &[f64], x: f64| {
        let i = (0..xs.len() - 1)
            .find(|&i| x < xs[i + 1])
            .unwrap_or(xs.len() - 2);
        (i, (x - xs[i]) / (xs[i + 1] - xs[i]))
    };
    let (i, u) = seg(&SLEW[..3], slew);
    let (j, v) = seg(&LOAD, load_ff);
    let row = |r: usize| values[r][j] + v * (values[r][j + 1] - values[r][j]);
    row(i) + u * (row(i + 1) - row(i))
}

const CHAIN: &str = "module chain (a, y);\n input a;\n output y;\n wire n;\n\
    INV_X1 u1 (.A(a), .ZN(n));\n INV_X1 u2 (.A(n), .ZN(y));\nendmodule\n";

#[test]
fn inverter_chain_at_an_index_slew_and_a_port_load() {
    let lib = ng45();
    let nl = elaborate(&lib, CHAIN);
    // Input slew on an index point (row 2); 10 fF on the output.
    let conditions = Conditions {
        input_slew_ns: SLEW[2],
        output_load_pf: 0.010,
    };
    let c = Constraints::from_conditions(&nl, &conditions);
    let t = timing::analyze(&nl, &lib, &c);

    // a rises → n falls (load: u2/A fall capacitance) → y rises (10 fF).
    let d1 = table(&CELL_FALL, SLEW[2], A_FALL_CAP_FF);
    let s1 = table(&FALL_TRANSITION, SLEW[2], A_FALL_CAP_FF);
    let d2 = table(&CELL_RISE, s1, 10.0);
    let n = nl.nets.iter().position(|x| x.name == "n").unwrap();
    let y = nl.output("y").unwrap().bits[0];
    assert!((t.arrival_max_ns[n][Edge::Fall.index()] - d1).abs() < 1e-12);
    assert!((t.slew_max_ns[n][Edge::Fall.index()] - s1).abs() < 1e-12);
    assert!((t.arrival(y, Edge::Rise).unwrap() - (d1 + d2)).abs() < 1e-12);
    // Each edge sees its own pin capacitance.
    assert!((t.load_pf[n][Edge::Fall.index()] - A_FALL_CAP_FF / 1000.0).abs() < 1e-15);
    assert!((t.load_pf[n][Edge::Rise.index()] - A_RISE_CAP_FF / 1000.0).abs() < 1e-15);
    // Min analysis has one path per edge here, so min = max.
    assert_eq!(
        t.arrival_min_ns[y.0 as usize],
        t.arrival_max_ns[y.0 as usize]
    );
}

#[test]
fn zero_input_slew_extrapolates_below_the_table() {
    let lib = ng45();
    let nl = elaborate(&lib, CHAIN);
    let c = Constraints::from_conditions(&nl, &Conditions::default());
    let t = timing::analyze(&nl, &lib, &c);
    // n rises when a falls (u1 is negative unate), loaded by u2/A's rise
    // capacitance. Slew 0 lies below the first index (0.00117378): linear
    // extrapolation from the first two rows.
    let d1 = table(&CELL_RISE, 0.0, A_RISE_CAP_FF);
    let n = nl.nets.iter().position(|x| x.name == "n").unwrap();
    let got = t.arrival_max_ns[n][Edge::Rise.index()];
    assert!((got - d1).abs() < 1e-12, "{got} vs {d1}");
    assert!(
        got < table(&CELL_RISE, SLEW[0], A_RISE_CAP_FF),
        "extrapolated, not clamped"
    );
}

#[test]
fn arc_delays_give_rise_and_fall_per_arc() {
    let lib = ng45();
    let nl = elaborate(&lib, CHAIN);
    let d = timing::arc_delays(
        &nl,
        &lib,
        &Conditions {
            input_slew_ns: SLEW[2],
            output_load_pf: 0.0,
        },
    );
    assert_eq!(d.inst_start, vec![0, 1, 2]);
    let u1 = d.of(netlist::InstId(0))[0];
    let cell = &lib.cells[nl.instances[0].cell];
    assert_eq!(cell.pins[u1.from_pin as usize].name, "A");
    assert_eq!(cell.pins[u1.to_pin as usize].name, "ZN");
    // u1 drives u2/A: a rising output sees the rise capacitance.
    assert!((u1.fall_ns - table(&CELL_FALL, SLEW[2], A_FALL_CAP_FF)).abs() < 1e-12);
    assert!((u1.rise_ns - table(&CELL_RISE, SLEW[2], A_RISE_CAP_FF)).abs() < 1e-12);
    assert!((u1.fall_slew_ns - table(&FALL_TRANSITION, SLEW[2], A_FALL_CAP_FF)).abs() < 1e-12);
}

/// A non-unate arc (SG13G2's mux2 select → X) makes each output edge from
/// both input edges, each at its own slew, and takes the worse; STA's
/// arrival is the worst over all arcs, conditional ones included.
#[test]
fn non_unate_arc_takes_the_worse_input_edge() {
    let lib = liberty::read_library(testdata::liberty("sg13g2_stdcell_typ_1p20V_25C.lib")).unwrap();
    let nl = elaborate(
        &lib,
        "module m (a0, a1, s, y);\n input a0, a1, s;\n output y;\n\
         sg13g2_mux2_1 u (.A0(a0), .A1(a1), .S(s), .X(y));\nendmodule\n",
    );
    let mut c = Constraints::from_conditions(&nl, &Conditions::default());
    // Rising inputs are fast, falling ones slow.
    const SLEWS: [f64; 2] = [0.01, 0.4];
    for bit in &mut c.inputs {
        bit.slew_max_ns = SLEWS;
    }
    let t = timing::analyze(&nl, &lib, &c);
    let delays = t.arc_delays(&nl, &lib);
    let cell = &lib.cells[nl.instances[0].cell];
    let x = cell.pin("X").unwrap();
    let s_pin = cell.pin_id("S").unwrap() as u16;
    let non_unate: Vec<_> = delays
        .of(netlist::InstId(0))
        .iter()
        .filter(|d| {
            d.from_pin == s_pin
                && x.timing[d.lib_arc as usize].timing_sense == liberty::TimingSense::NonUnate
        })
        .collect();
    assert_eq!(non_unate.len(), 1);
    let arc = &x.timing[non_unate[0].lib_arc as usize];
    for (edge, got) in [
        (Edge::Rise, non_unate[0].rise_ns),
        (Edge::Fall, non_unate[0].fall_ns),
    ] {
        let table = match edge {
            Edge::Rise => arc.cell_rise.as_ref().unwrap(),
            Edge::Fall => arc.cell_fall.as_ref().unwrap(),
        };
        // Output port load 0.
        let (from_rise, from_fall) = (table.lookup(SLEWS[0], 0.0), table.lookup(SLEWS[1], 0.0));
        assert!((got - from_rise.max(from_fall)).abs() < 1e-12, "{edge:?}");
        assert!(
            from_fall > from_rise,
            "the slow falling select is the worse edge"
        );
    }
    // Every arc's own delay is at most the STA arrival, and one reaches it.
    let y = nl.output("y").unwrap().bits[0];
    for edge in Edge::BOTH {
        let arrival = t.arrival(y, edge).unwrap();
        let worst = delays
            .of(netlist::InstId(0))
            .iter()
            .map(|d| {
                if edge == Edge::Rise {
                    d.rise_ns
                } else {
                    d.fall_ns
                }
            })
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(
            (arrival - worst).abs() < 1e-12,
            "{edge:?}: {arrival} vs {worst}"
        );
    }
    let r = Report::new(&nl, &lib, &c, &t);
    assert_eq!(r.worst_slack_ns, None, "no clock: unconstrained");
    assert!(r.text(4, false).contains("(Path is unconstrained)"));
}

/// Min and max arrival split on reconvergent paths: `a` reaches the AND
/// directly and through two inverters; the min arrival takes the short
/// path, the max the long one.
#[test]
fn min_and_max_arrival_take_the_short_and_long_paths() {
    let lib = ng45();
    let nl = elaborate(
        &lib,
        "module r (a, y);\n input a;\n output y;\n wire n1, n2;\n\
         INV_X1 i1 (.A(a), .ZN(n1));\n INV_X1 i2 (.A(n1), .ZN(n2));\n\
         AND2_X1 g (.A1(a), .A2(n2), .ZN(y));\nendmodule\n",
    );
    let c = Constraints::from_conditions(&nl, &Conditions::default());
    let t = timing::analyze(&nl, &lib, &c);
    let and2 = lib.cell("AND2_X1").unwrap();
    let zn = and2.pin("ZN").unwrap();
    let arc_from = |pin: &str| zn.timing.iter().find(|a| a.related_pins[0] == pin).unwrap();
    let n2 = nl.nets.iter().position(|x| x.name == "n2").unwrap();
    let y = nl.output("y").unwrap().bits[0].0 as usize;
    for edge in Edge::BOTH {
        let e = edge.index();
        let table = |pin: &str| match edge {
            Edge::Rise => arc_from(pin).cell_rise.clone().unwrap(),
            Edge::Fall => arc_from(pin).cell_fall.clone().unwrap(),
        };
        // Positive unate AND: the same edge at both inputs; output load 0.
        let short = table("A1").lookup(0.0, 0.0);
        let long = t.arrival_max_ns[n2][e] + table("A2").lookup(t.slew_max_ns[n2][e], 0.0);
        assert!(long > short);
        assert!(
            (t.arrival_max_ns[y][e] - long).abs() < 1e-12,
            "{edge:?} max"
        );
        assert!(
            (t.arrival_min_ns[y][e] - short).abs() < 1e-12,
            "{edge:?} min"
        );
    }
}
