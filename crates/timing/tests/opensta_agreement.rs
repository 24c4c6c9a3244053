//! Agreement with the OpenSTA 3.1.0 reports of shared/reference/ (figures
//! recorded in tests/fixtures/reference, netlists in netlists/): worst
//! arrival within 1 %, every output's arrival within 2 %, with and without a
//! 10 fF load on every output, under the reference STA conditions (input
//! slew 0, no parasitics, a 10 ns clock with zero input/output delays).

use serde_json::Value;
use timing::{Conditions, Constraints, Report};

struct Case {
    dir: &'static str,
    lib: &'static str,
    json: &'static str,
}

const CASES: &[Case] = &[
    Case {
        dir: "ref_small_ng45",
        lib: "nangate45_typ.lib.gz",
        json: "opensta.json",
    },
    Case {
        dir: "ref_mac8u_ng45",
        lib: "nangate45_typ.lib.gz",
        json: "opensta.json",
    },
    Case {
        dir: "ref_mac8u_sg13g2",
        lib: "sg13g2_stdcell_typ_1p20V_25C.lib",
        json: "opensta.json",
    },
    Case {
        dir: "ref_mac8u_sg13g2",
        lib: "sg13g2_stdcell_typ_1p50V_25C.lib",
        json: "opensta_1p50V.json",
    },
];

fn rel(ours: f64, theirs: f64) -> f64 {
    (ours - theirs).abs() / theirs.abs()
}

/// Runs one case at one load; returns (worst error, max output error).
fn check(
    case: &Case,
    lib: &liberty::Library,
    nl: &netlist::Netlist,
    reference: &Value,
    load_pf: f64,
) -> (f64, f64) {
    let conditions = Conditions {
        input_slew_ns: 0.0,
        output_load_pf: load_pf,
    };
    let constraints = Constraints::with_clock_period(nl, lib, &conditions, 10.0);
    let timing = timing::analyze(nl, lib, &constraints);
    let report = Report::new(nl, lib, &constraints, &timing);
    let what = format!("{} {} load {load_pf} pF", case.dir, case.json);

    let want = reference["worst_arrival_ns"].as_f64().unwrap();
    let got = report.worst_arrival_ns.unwrap();
    let worst_err = rel(got, want);
    assert!(
        worst_err < 0.01,
        "{what}: worst arrival {got} vs OpenSTA {want}"
    );
    assert_eq!(
        report
            .worst_slack_ns
            .map(|s| (s - (10.0 - got)).abs() < 1e-9),
        Some(true),
        "{what}: slack"
    );

    let outputs = reference["output_arrival_ns"].as_object().unwrap();
    assert_eq!(
        outputs.len(),
        report.output_arrival_ns.len(),
        "{what}: output count"
    );
    let mut out_err: f64 = 0.0;
    for (name, got) in &report.output_arrival_ns {
        let want = outputs[name.as_str()].as_f64().unwrap();
        let got = got.unwrap_or(f64::NAN);
        let e = rel(got, want);
        assert!(e < 0.02, "{what}: {name} arrival {got} vs OpenSTA {want}");
        out_err = out_err.max(e);
    }
    eprintln!(
        "{what}: worst {got:.6} vs {want:.6} ({:.4} %), outputs max error {:.4} %",
        worst_err * 100.0,
        out_err * 100.0
    );
    (worst_err, out_err)
}

/// The case's library, netlist and recorded OpenSTA figures.
fn load(case: &Case) -> (liberty::Library, netlist::Netlist, Value) {
    let lib = liberty::read_library(testdata::liberty(case.lib)).unwrap();
    let netlist_v = testdata::reference(case.dir, "netlist.v");
    let nl = netlist::Netlist::read(netlist_v, &lib, Some("mac")).unwrap();
    let json = std::fs::read_to_string(testdata::reference(case.dir, case.json)).unwrap();
    (lib, nl, serde_json::from_str(&json).unwrap())
}

#[test]
fn arrivals_agree_with_opensta() {
    for case in CASES {
        let (lib, nl, reference) = load(case);
        check(case, &lib, &nl, &reference, 0.0);
        let loaded = &reference["with_load_10ff"];
        assert_eq!(loaded["output_load_pf"].as_f64(), Some(0.01));
        check(case, &lib, &nl, loaded, 0.01);
    }
}

/// The worst path itself, stage by stage, matches the reference report
/// (same pins and edges; delays, slews and loads within 1 %).
#[test]
fn worst_path_stages_match_opensta_detail() {
    for case in CASES {
        let (lib, nl, reference) = load(case);
        let constraints = Constraints::with_clock_period(&nl, &lib, &Conditions::default(), 10.0);
        let timing = timing::analyze(&nl, &lib, &constraints);
        let report = Report::new(&nl, &lib, &constraints, &timing);
        assert_eq!(
            report.worst_startpoint.as_deref(),
            reference["worst_startpoint"].as_str()
        );
        assert_eq!(
            report.worst_endpoint.as_deref(),
            reference["worst_endpoint"].as_str()
        );
        let detail = report.detail.as_ref().unwrap();
        let want = reference["worst_path_detail"].as_array().unwrap();
        assert_eq!(
            detail.path.points.len(),
            want.len(),
            "{}: path length",
            case.dir
        );
        for (p, w) in detail.path.points.iter().zip(want) {
            let at = format!("{} {}", case.dir, p.pin);
            assert_eq!(p.pin, w["pin"].as_str().unwrap(), "{at}");
            assert_eq!(p.cell, w["cell"].as_str().unwrap(), "{at}");
            assert_eq!(p.edge.name(), w["edge"].as_str().unwrap(), "{at}");
            let close = |a: f64, b: f64| (a - b).abs() <= 0.01 * b.abs() + 2e-6;
            let (incr, slew) = (
                w["incr_ns"].as_f64().unwrap(),
                w["slew_ns"].as_f64().unwrap(),
            );
            assert!(close(p.incr_ns, incr), "{at}: incr {} vs {incr}", p.incr_ns);
            assert!(close(p.slew_ns, slew), "{at}: slew {} vs {slew}", p.slew_ns);
            if let Some(cap) = w["cap_pf"].as_f64() {
                let ours = p.load_pf.unwrap();
                assert!(close(ours, cap), "{at}: load {ours} vs {cap}");
                assert_eq!(
                    p.fanout,
                    w["fanout"].as_u64().map(|f| f as u32),
                    "{at}: fanout"
                );
            }
        }
    }
}
