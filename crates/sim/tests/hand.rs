//! Small circuits on the real NanGate45 library, with hand-chosen arc delays
//! and expectations worked out by hand (library figures quoted from
//! `nangate45_typ.lib.gz`: fF, ns, nW, fJ; nominal 1.10 V).

mod common;

use liberty::Library;
use netlist::Netlist;
use sim::{DelayModel, Error, SimOptions, Simulator, StepResult};
use timing::{ArcDelay, ArcDelays};

fn nangate() -> &'static Library {
    static LIB: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
    LIB.get_or_init(|| liberty::read_library(common::liberty("nangate45_typ.lib.gz")).unwrap())
}

fn elaborate(text: &str) -> Netlist {
    let source = verilog::parse_source(text, "hand.v").unwrap();
    Netlist::elaborate(&source, nangate(), None).unwrap()
}

/// Arc delays for every Liberty arc of every instance: `delay(instance,
/// lib_arc index, related pin)` gives (rise, fall) in ns.
fn hand_arcs(netlist: &Netlist, delay: impl Fn(&str, usize, &str) -> (f64, f64)) -> ArcDelays {
    let lib = nangate();
    let mut out = ArcDelays {
        arcs: Vec::new(),
        inst_start: vec![0],
    };
    for (i, inst) in netlist.instances.iter().enumerate() {
        let cell = &lib.cells[inst.cell];
        for (to, pin) in cell.pins.iter().enumerate() {
            for (j, arc) in pin.timing.iter().enumerate() {
                for related in &arc.related_pins {
                    let (rise_ns, fall_ns) = delay(&inst.name, j, related);
                    out.arcs.push(ArcDelay {
                        inst: netlist::InstId(i as u32),
                        from_pin: cell.pin_id(related).unwrap() as u16,
                        to_pin: to as u16,
                        lib_arc: j as u16,
                        rise_ns,
                        fall_ns,
                        // The first slew index of NanGate45's tables.
                        rise_slew_ns: 0.00117378,
                        fall_slew_ns: 0.00117378,
                    });
                }
            }
        }
        out.inst_start.push(out.arcs.len() as u32);
    }
    out
}

/// Equal to the precision of the simulator's tables (energies are kept as
/// f32, delays in whole fs).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

const INV: &str = "
module inv(a, y);
  input a; output y;
  INV_X1 u1 (.A(a), .ZN(y));
endmodule";

#[test]
fn inverter_energy_matches_table_corners() {
    let netlist = elaborate(INV);
    let arcs = hand_arcs(&netlist, |_, _, _| (0.02, 0.01));
    // Slew and load exactly at the first index points of the Power_7_7 tables,
    // so the expected energies are table entries read off the file.
    let options = SimOptions {
        delay_model: DelayModel::Sdf,
        output_load_pf: 0.365616e-3,
        input_slew_ns: 0.00117378,
        ..SimOptions::default()
    };
    let mut sim = Simulator::with_arc_delays(&netlist, nangate(), &options, &arcs).unwrap();
    sim.settle(&[0]).unwrap();
    // ½ · 0.365616 fF · 1.10² V²
    let switching_fj = 0.5 * 0.365616 * 1.21;

    let up = sim.step(&[1]).unwrap(); // ZN falls
    assert!(close(up.energy.switching_fj, switching_fj), "{up:?}");
    assert!(close(up.energy.internal_fj, -0.000035), "{up:?}"); // fall_power[0][0]
    assert!(
        close(up.energy.leakage_fj, 18.604146 * 10.0 * 1e-3),
        "{up:?}"
    ); // when "A"
    assert!(close(up.delay_ns, 0.01));
    assert_eq!((up.toggles, up.glitches), (2, 0));
    assert_eq!(sim.output_values(), vec![0]);

    let down = sim.step(&[0]).unwrap(); // ZN rises
    assert!(close(down.energy.internal_fj, 1.846618), "{down:?}"); // rise_power[0][0]
    assert!(close(down.energy.leakage_fj, 10.102224 * 10.0 * 1e-3)); // when "!A"
    assert!(close(down.delay_ns, 0.02));
    assert_eq!(sim.output_values(), vec![1]);

    let idle = sim.step(&[0]).unwrap();
    assert_eq!(
        (idle.toggles, idle.energy.switching_fj, idle.delay_ns),
        (0, 0.0, 0.0)
    );
}

#[test]
fn leakage_follows_the_state_in_time() {
    let netlist = elaborate(
        "module chain(a, y); input a; output y; wire n;
           INV_X1 u1 (.A(a), .ZN(n)); INV_X1 u2 (.A(n), .ZN(y)); endmodule",
    );
    // u1 falls after 2 ns: u2 sees A = 1 for 2 ns, then A = 0 for 8 ns.
    let arcs = hand_arcs(
        &netlist,
        |inst, _, _| if inst == "u1" { (1.0, 2.0) } else { (1.0, 1.0) },
    );
    let mut sim =
        Simulator::with_arc_delays(&netlist, nangate(), &SimOptions::default(), &arcs).unwrap();
    let r = sim.step(&[1]).unwrap();
    let u1_nw_ns = 18.604146 * 10.0;
    let u2_nw_ns = 18.604146 * 2.0 + 10.102224 * 8.0;
    assert!(
        close(r.energy.leakage_fj, (u1_nw_ns + u2_nw_ns) * 1e-3),
        "{r:?}"
    );
    assert!(close(r.delay_ns, 3.0));
}

const HAZARD: &str = "
module hazard(a, y);
  input a; output y;
  wire n1, n2;
  INV_X1 u1 (.A(a), .ZN(n1));
  INV_X1 u2 (.A(n1), .ZN(n2));
  XOR2_X1 u3 (.A(a), .B(n2), .Z(y));
endmodule";

/// XOR2_X1's arcs to Z in file order: A when !B, A when B, B when !A, B when A.
fn hazard_sim(xor_ns: [f64; 4], options: SimOptions) -> (StepResult, StepResult) {
    let netlist = elaborate(HAZARD);
    let arcs = hand_arcs(&netlist, |inst, j, _| match inst {
        "u3" => (xor_ns[j], xor_ns[j]),
        _ => (0.1, 0.1),
    });
    let mut sim = Simulator::with_arc_delays(&netlist, nangate(), &options, &arcs).unwrap();
    let up = sim.step(&[1]).unwrap();
    assert_eq!(sim.output_values(), vec![0], "a ^ !!a settles to 0");
    let down = sim.step(&[0]).unwrap();
    assert_eq!(sim.output_values(), vec![0]);
    (up, down)
}

#[test]
fn glitch_passes_when_wider_than_the_gate_delay() {
    let (up, down) = hazard_sim([0.05, 0.07, 0.06, 0.08], SimOptions::default());
    // a↑ at 0: y↑ at 0.05 (A when !B); n1↓ 0.1; n2↑ 0.2; y↓ at 0.28 (B when A).
    assert_eq!((up.toggles, up.glitches), (5, 2), "{up:?}");
    assert!(close(up.delay_ns, 0.28), "{up:?}");
    // a↓ at 0: y↑ at 0.07 (A when B); n2↓ at 0.2; y↓ at 0.26 (B when !A).
    assert_eq!((down.toggles, down.glitches), (5, 2), "{down:?}");
    assert!(close(down.delay_ns, 0.26), "{down:?}");
}

#[test]
fn probes_past_two_to_the_32_femtoseconds() {
    // The glitch of `glitch_passes_when_wider_than_the_gate_delay` with
    // every delay 20 000 times longer: y falls at 0.28 ns × 2e4 = 5.6 µs,
    // past 2^32 fs (4.29 µs), where a 32-bit time in the probes would wrap.
    // Probes from one state build on each other (the reusing probe); each
    // must still see it.
    let scale = 2e4;
    let xor_ns = [0.05, 0.07, 0.06, 0.08].map(|d| d * scale);
    let netlist = elaborate(HAZARD);
    let arcs = hand_arcs(&netlist, |inst, j, _| match inst {
        "u3" => (xor_ns[j], xor_ns[j]),
        _ => (0.1 * scale, 0.1 * scale),
    });
    let mut sim =
        Simulator::with_arc_delays(&netlist, nangate(), &SimOptions::default(), &arcs).unwrap();
    sim.settle(&[0]).unwrap();
    for inputs in [[1], [0], [1], [1]] {
        let probe = sim.probe_step(&inputs).unwrap();
        if inputs == [0] {
            assert_eq!(probe.toggles, 0, "{probe:?}");
            continue;
        }
        assert_eq!((probe.toggles, probe.glitches), (5, 2), "{probe:?}");
        assert!(close(probe.delay_ns, 0.28 * scale), "{probe:?}");
    }
}

#[test]
fn inertial_delay_filters_a_short_pulse() {
    // y↑ would land at 0.25, but at 0.2 the XOR goes back to 0: cancelled.
    let (up, _) = hazard_sim([0.25, 0.07, 0.06, 0.08], SimOptions::default());
    assert_eq!(
        (up.toggles, up.glitches, up.delay_ns),
        (3, 0, 0.0),
        "{up:?}"
    );
}

#[test]
fn transport_delay_keeps_the_short_pulse() {
    let transport = SimOptions {
        transport: true,
        ..SimOptions::default()
    };
    let (up, _) = hazard_sim([0.25, 0.07, 0.06, 0.08], transport.clone());
    // y↑ at 0.25, y↓ at 0.2 + 0.08.
    assert_eq!((up.toggles, up.glitches), (5, 2), "{up:?}");
    assert!(close(up.delay_ns, 0.28), "{up:?}");
    // A fall scheduled at 0.2 + 0.01 = 0.21 removes the rise pending at 0.25.
    let (up, _) = hazard_sim([0.25, 0.07, 0.06, 0.01], transport);
    assert_eq!(
        (up.toggles, up.glitches, up.delay_ns),
        (3, 0, 0.0),
        "{up:?}"
    );
}

#[test]
fn unit_and_zero_delay_models() {
    let unit = SimOptions {
        delay_model: DelayModel::Unit,
        ..SimOptions::default()
    };
    let (up, _) = hazard_sim([9.0; 4], unit);
    // y↑ at 1 ns, n1 at 1, n2 at 2, y↓ at 3.
    assert_eq!((up.toggles, up.glitches), (5, 2));
    assert!(close(up.delay_ns, 3.0));

    let zero = SimOptions {
        delay_model: DelayModel::Zero,
        ..SimOptions::default()
    };
    let (up, down) = hazard_sim([9.0; 4], zero);
    // Levelized: y is evaluated once, after n2, and does not move.
    assert_eq!((up.toggles, up.glitches, up.delay_ns), (3, 0, 0.0));
    assert_eq!((down.toggles, down.glitches), (3, 0));
    // n1 and n2 each toggle once; a is a primary input (no switching). n1
    // drives INV_X1.A: max(rise 1.700230, fall 1.549360) fF; n2 drives
    // XOR2_X1.B: max(rise 2.363548, fall 2.411453) fF.
    assert!(
        close(up.energy.switching_fj, 0.5 * (1.700230 + 2.411453) * 1.21),
        "{up:?}"
    );
}

#[test]
fn three_toggles_that_change_the_value_are_two_glitches() {
    // y = pulse(a) ^ (a delayed by four inverters): y rises, falls, rises.
    let netlist = elaborate(
        "module g(a, y); input a; output y; wire n1, n2, m, q1, q2, q3, q4;
           INV_X1 u1 (.A(a), .ZN(n1)); INV_X1 u2 (.A(n1), .ZN(n2));
           XOR2_X1 u3 (.A(a), .B(n2), .Z(m));
           INV_X1 d1 (.A(a), .ZN(q1)); INV_X1 d2 (.A(q1), .ZN(q2));
           INV_X1 d3 (.A(q2), .ZN(q3)); INV_X1 d4 (.A(q3), .ZN(q4));
           XOR2_X1 u4 (.A(m), .B(q4), .Z(y)); endmodule",
    );
    let arcs = hand_arcs(&netlist, |inst, _, _| {
        if inst.starts_with('u') && inst != "u1" && inst != "u2" {
            (0.05, 0.05)
        } else {
            (0.1, 0.1)
        }
    });
    let mut sim =
        Simulator::with_arc_delays(&netlist, nangate(), &SimOptions::default(), &arcs).unwrap();
    let r = sim.step(&[1]).unwrap();
    // m: ↑0.05 ↓0.25 (2 glitches); y: ↑0.1 ↓0.3 ↑0.45 (3 toggles, changed: 2).
    assert_eq!(r.glitches, 4, "{r:?}");
    assert_eq!(r.toggles, 1 + 2 + 2 + 4 + 3, "{r:?}");
    assert!(close(r.delay_ns, 0.45), "{r:?}");
    assert_eq!(sim.output_values(), vec![1]);
}

#[test]
fn snapshot_restore_repeats_a_step_exactly() {
    let netlist = elaborate(HAZARD);
    let arcs = hand_arcs(&netlist, |_, _, _| (0.1, 0.07));
    let mut sim =
        Simulator::with_arc_delays(&netlist, nangate(), &SimOptions::default(), &arcs).unwrap();
    sim.settle(&[1]).unwrap();
    let saved = sim.snapshot();
    let first = sim.step(&[0]).unwrap();
    assert_eq!(sim.output_values(), vec![0]);
    sim.restore(&saved);
    let again = sim.step(&[0]).unwrap();
    assert_eq!(first, again);
    assert!(first.toggles > 0);
}

#[test]
fn bad_vectors_and_designs_are_errors() {
    let netlist = elaborate(INV);
    let arcs = hand_arcs(&netlist, |_, _, _| (0.1, 0.1));
    let mut sim =
        Simulator::with_arc_delays(&netlist, nangate(), &SimOptions::default(), &arcs).unwrap();
    let e = sim.step(&[1, 0]).unwrap_err();
    assert!(matches!(e, Error::Input(_)));
    assert_eq!(e.to_string(), "expected 1 input values (a), got 2");

    let bad_period = SimOptions {
        period_ns: 0.0,
        ..SimOptions::default()
    };
    assert!(Simulator::with_arc_delays(&netlist, nangate(), &bad_period, &arcs).is_err());

    let flop = elaborate(
        "module f(d, ck, q); input d, ck; output q; wire qn;
           DFF_X1 r (.D(d), .CK(ck), .Q(q), .QN(qn)); endmodule",
    );
    let arcs = hand_arcs(&flop, |_, _, _| (0.1, 0.1));
    let e = Simulator::with_arc_delays(&flop, nangate(), &SimOptions::default(), &arcs)
        .err()
        .expect("sequential cells are rejected");
    assert!(
        e.to_string()
            .contains("instance r: cell DFF_X1 is sequential"),
        "{e}"
    );
}

const FULL_ADDER: &str = "
module fa(a, b, ci, s, co);
  input a, b, ci; output s, co;
  FA_X1 u1 (.A(a), .B(b), .CI(ci), .S(s), .CO(co));
endmodule";

/// A two-output cell (FA_X1: S and CO) walked through all eight input
/// combinations in Gray order, one input changing per step. With arcs from
/// A, B, CI of 0.1, 0.2, 0.3 ns to both outputs, each step's outputs are the
/// sum bits, every output that changes does so once at the changed input's
/// delay, and nothing glitches — in the inertial and the transport model.
#[test]
fn two_output_cell_follows_its_function_and_arcs() {
    let netlist = elaborate(FULL_ADDER);
    let input_ns = |related: &str| match related {
        "A" => 0.1,
        "B" => 0.2,
        "CI" => 0.3,
        other => panic!("unexpected related pin {other}"),
    };
    let arcs = hand_arcs(&netlist, |_, _, related| {
        (input_ns(related), input_ns(related))
    });
    let sum = |v: [u64; 3]| {
        let total = v[0] + v[1] + v[2];
        vec![total & 1, total >> 1]
    };
    for transport in [false, true] {
        let options = SimOptions {
            transport,
            ..SimOptions::default()
        };
        let mut sim = Simulator::with_arc_delays(&netlist, nangate(), &options, &arcs).unwrap();
        let mut prev = [0u64; 3];
        sim.settle(&prev).unwrap();
        // Gray order over (a, b, ci): the input that changes each step.
        for changed in [2, 1, 2, 0, 2, 1, 2] {
            let mut next = prev;
            next[changed] ^= 1;
            let r = sim.step(&next).unwrap();
            let (before, after) = (sum(prev), sum(next));
            assert_eq!(sim.output_values(), after, "{prev:?} -> {next:?}");
            let moved = before.iter().zip(&after).filter(|(x, y)| x != y).count();
            let expected_ns = if moved > 0 {
                [0.1, 0.2, 0.3][changed]
            } else {
                0.0
            };
            assert_eq!(
                (r.toggles as usize, r.glitches),
                (1 + moved, 0),
                "{prev:?} -> {next:?}: {r:?}"
            );
            assert!(
                close(r.delay_ns, expected_ns),
                "{prev:?} -> {next:?}: {r:?}"
            );
            prev = next;
        }
    }
}
