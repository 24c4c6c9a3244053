//! A real place-and-route netlist no one here wrote: OpenROAD's gcd on
//! SKY130 HD, with its SDC (Tcl variables, `expr`, brace lists with bus
//! wildcards, `[all_outputs]`), flip-flops, clock buffers and tap cells.
//! Extra cases: they need ../shared and are skipped, with a notice, without.

use std::path::PathBuf;

use timing::{check, Conditions, Constraints, Endpoint, Report};

struct Design {
    lib: liberty::Library,
    nl: netlist::Netlist,
    dir: PathBuf,
}

/// The library and design from ../shared, or `None` (with a skip notice).
fn design() -> Option<Design> {
    let lib = testdata::shared("liberty/sky130hd_tt.lib.gz", "gcd_sky130hd")?;
    let dir = testdata::shared("reference/gcd_sky130hd", "gcd_sky130hd")?;
    let lib = liberty::read_library(lib).unwrap();
    let nl = netlist::Netlist::read(dir.join("gcd_sky130hd.v"), &lib, None).unwrap();
    Some(Design { lib, nl, dir })
}

#[test]
fn gcd_times_with_its_sdc() {
    let Some(d) = design() else {
        return;
    };
    let base = Constraints::from_conditions(&d.nl, &Conditions::default());
    let c = sdc::read(d.dir.join("gcd_sky130hd.sdc"), &d.nl, &d.lib, base).unwrap();
    // The SDC: `set period 5`, `create_clock -period $period [get_ports clk]`,
    // input/output delays of `$period * .2` = 1 ns, input transition 0.1 ns.
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert_eq!(c.clocks.len(), 1);
    assert_eq!(c.clocks[0].name, "clk");
    assert_eq!(c.clocks[0].period_ns, 5.0);
    for bit in &c.inputs {
        assert_eq!(bit.slew_max_ns, [0.1, 0.1], "{}", bit.name);
        if bit.name == "clk" {
            assert!(bit.delay.is_none());
        } else {
            let delay = bit
                .delay
                .unwrap_or_else(|| panic!("{} has no input delay", bit.name));
            assert_eq!(delay.max_ns, [1.0, 1.0], "{}", bit.name);
        }
    }
    assert!(c
        .outputs
        .iter()
        .all(|o| o.delay.map(|d| d.max_ns) == Some([1.0, 1.0])));

    let t = timing::analyze(&d.nl, &d.lib, &c);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    let registers = (0..d.nl.instances.len())
        .filter(|&i| t.reg_clock[i].is_some())
        .count();
    // `grep -cE "^ sky130_fd_sc_hd__dfxtp" gcd_sky130hd.v` gives 35.
    assert_eq!(
        registers, 35,
        "dfxtp_1/2/4 instances all clocked through the clock tree"
    );

    let checks = check::setup_checks(&d.nl, &d.lib, &c, &t);
    assert!(checks
        .iter()
        .all(|k| k.arrival_ns > 0.0 && k.slack_ns.is_some()));
    let r = Report::new(&d.nl, &d.lib, &c, &t);
    let worst = r.detail.as_ref().unwrap();
    let arrival = r.worst_arrival_ns.unwrap();
    assert!(arrival > 0.5 && arrival < 5.0, "{arrival}");
    // Its endpoint is a register data pin or an output port.
    match worst.check.endpoint {
        Endpoint::Output(o) => assert_eq!(
            Some(c.outputs[o as usize].name.as_str()),
            r.worst_endpoint.as_deref()
        ),
        Endpoint::Register { inst, pin } => {
            let i = &d.nl.instances[inst.0 as usize];
            assert_eq!(d.lib.cells[i.cell].pins[pin as usize].name, "D");
        }
    }
    // Slack by hand from the report's fields: period − arrival − setup (or
    // output delay) − uncertainty.
    let k = worst.check;
    let slack = 5.0 - arrival - k.setup_ns - k.uncertainty_ns;
    assert!((r.worst_slack_ns.unwrap() - slack).abs() < 1e-9);
    assert!(checks
        .iter()
        .all(|c| c.slack_ns.unwrap() >= r.worst_slack_ns.unwrap()));
    // The path's arrivals add up and it starts at a clocked register or a
    // constrained input (which arrives at its 1 ns input delay).
    let path = &worst.path.points;
    for w in path.windows(2) {
        assert!(
            (w[1].arrival_ns - w[0].arrival_ns - w[1].incr_ns).abs() < 1e-9,
            "{} → {}",
            w[0].pin,
            w[1].pin
        );
        assert!(w[1].incr_ns >= 0.0);
    }
    assert!(path[0].cell.contains("dfxtp") || (path[0].cell == "in" && path[0].arrival_ns == 1.0));
    let text = r.text(4, false);
    assert!(
        text.contains("slack (MET)") || text.contains("slack (VIOLATED)"),
        "{text}"
    );
}

/// Register-to-register checks against Liberty setup tables, with clock
/// uncertainty: each register endpoint's slack equals the period minus its
/// arrival, the setup time and the uncertainty, and the setup time is the
/// library's setup_rising table at the D slew and an ideal (0) clock slew.
#[test]
fn gcd_register_setup_checks() {
    let Some(d) = design() else {
        return;
    };
    let sdc_text = "set period 5\ncreate_clock -period $period [get_ports clk]\n\
        set_input_delay 1 -clock clk [delete_from_list [all_inputs] [get_ports clk]]\n\
        set_output_delay 1 -clock clk [all_outputs]\nset_clock_uncertainty 0.25 [get_clocks clk]\n";
    let base = Constraints::from_conditions(&d.nl, &Conditions::default());
    let c = sdc::parse(sdc_text, "inline.sdc", &d.nl, &d.lib, base).unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert_eq!(c.clocks[0].uncertainty_setup_ns, 0.25);
    let t = timing::analyze(&d.nl, &d.lib, &c);
    let checks = check::setup_checks(&d.nl, &d.lib, &c, &t);
    let mut reg = 0;
    for k in &checks {
        let Endpoint::Register { inst, pin } = k.endpoint else {
            continue;
        };
        reg += 1;
        let i = &d.nl.instances[inst.0 as usize];
        let cell = &d.lib.cells[i.cell];
        let setup_arc = cell.pins[pin as usize]
            .timing
            .iter()
            .find(|a| a.timing_type == liberty::TimingType::SetupRising)
            .unwrap();
        let table = match k.edge {
            timing::Edge::Rise => setup_arc.rise_constraint.as_ref().unwrap(),
            timing::Edge::Fall => setup_arc.fall_constraint.as_ref().unwrap(),
        };
        let d_slew = t.slew_max_ns[k.net.0 as usize][k.edge.index()];
        let setup = table.lookup_with(|v| match v {
            liberty::Variable::RelatedPinTransition => 0.0,
            _ => d_slew,
        });
        assert!((k.setup_ns - setup).abs() < 1e-12);
        assert!(setup > 0.0 && setup < 0.5, "{setup}");
        assert_eq!(k.uncertainty_ns, 0.25);
        assert!((k.slack_ns.unwrap() - (5.0 - 0.25 - setup - k.arrival_ns)).abs() < 1e-9);
    }
    assert!(reg > 0);
}
