//! SDC reading: the commands applied, the units, what is reported as
//! ignored, and located errors.

use timing::{Conditions, Constraints, Report};

fn small() -> (liberty::Library, netlist::Netlist) {
    let lib = liberty::read_library(testdata::liberty("nangate45_typ.lib.gz")).unwrap();
    let nl = netlist::Netlist::read(
        testdata::reference("ref_small_ng45", "netlist.v"),
        &lib,
        None,
    )
    .unwrap();
    (lib, nl)
}

fn apply(lib: &liberty::Library, nl: &netlist::Netlist, text: &str) -> sdc::Result<Constraints> {
    sdc::parse(
        text,
        "t.sdc",
        nl,
        lib,
        Constraints::from_conditions(nl, &Conditions::default()),
    )
}

/// The reference STA Tcl (sta_timing_load10ff.tcl) as SDC gives OpenSTA's
/// numbers: `set_load 10` is 10 fF because NanGate45's capacitive_load_unit
/// is 1 fF.
#[test]
fn reference_constraints_as_sdc_reproduce_opensta() {
    let (lib, nl) = small();
    let text = "create_clock -name vclk -period 10\n\
        set_input_delay 0 -clock vclk [all_inputs]\n\
        set_output_delay 0 -clock vclk [all_outputs]\n\
        set_load 10 [all_outputs]\n";
    let c = apply(&lib, &nl, text).unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert!(c.outputs.iter().all(|o| (o.load_pf - 0.010).abs() < 1e-15));
    let t = timing::analyze(&nl, &lib, &c);
    let r = Report::new(&nl, &lib, &c, &t);
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(testdata::reference("ref_small_ng45", "opensta.json")).unwrap(),
    )
    .unwrap();
    let want = reference["with_load_10ff"]["worst_arrival_ns"]
        .as_f64()
        .unwrap();
    assert!(
        (r.worst_arrival_ns.unwrap() - want).abs() < 2e-6,
        "{:?} vs {want}",
        r.worst_arrival_ns
    );
    assert!((r.worst_slack_ns.unwrap() - (10.0 - want)).abs() < 2e-6);
}

/// SG13G2's capacitive_load_unit is 1 pF, so `set_load 0.01` is 10 fF.
#[test]
fn set_load_follows_the_library_unit() {
    let lib = liberty::read_library(testdata::liberty("sg13g2_stdcell_typ_1p20V_25C.lib")).unwrap();
    let nl = netlist::Netlist::read(
        testdata::reference("ref_mac8u_sg13g2", "netlist.v"),
        &lib,
        None,
    )
    .unwrap();
    let c = apply(&lib, &nl, "set_load 0.01 [get_ports {p_out[*]}]").unwrap();
    assert!(c.outputs.iter().all(|o| (o.load_pf - 0.010).abs() < 1e-15));
}

#[test]
fn openroad_style_sdc_with_variables_and_lists() {
    let (lib, nl) = small();
    let text = r#"
current_design mac
set clk_name  core_clock
set clk_period 4
set clk_io_pct 0.25
create_clock -name $clk_name -period $clk_period -waveform {0 2}
set non_clock_inputs [lsearch -inline -all -not -exact [all_inputs] clk]
set_input_delay  [expr $clk_period * $clk_io_pct] -clock $clk_name $non_clock_inputs
set_input_delay 0.5 -clock [get_clocks core_clock] -rise -max {w[1]}
set_output_delay [expr {$clk_period * $clk_io_pct}] -clock $clk_name [all_outputs]
set_input_transition 0.02 [delete_from_list [all_inputs] [get_ports {a[0]}]]
set_clock_uncertainty -setup 0.1 [get_clocks $clk_name]
set_driving_cell -lib_cell BUF_X1 [all_inputs]
"#;
    let c = apply(&lib, &nl, text).unwrap();
    assert_eq!(c.clocks.len(), 1);
    let k = &c.clocks[0];
    assert_eq!(
        (
            k.name.as_str(),
            k.period_ns,
            k.fall_ns,
            k.uncertainty_setup_ns
        ),
        ("core_clock", 4.0, 2.0, 0.1)
    );
    let bit = |name: &str| c.inputs.iter().find(|b| b.name == name).unwrap();
    assert_eq!(bit("p_in[3]").delay.unwrap().max_ns, [1.0, 1.0]);
    assert_eq!(
        bit("w[1]").delay.unwrap().max_ns,
        [0.5, 1.0],
        "-rise -max only changes the rise max"
    );
    assert_eq!(bit("w[1]").delay.unwrap().min_ns, [1.0, 1.0]);
    assert_eq!(
        bit("a[0]").slew_max_ns,
        [0.0, 0.0],
        "a[0] was deleted from the list"
    );
    assert_eq!(bit("a[1]").slew_max_ns, [0.02, 0.02]);
    assert!(c
        .outputs
        .iter()
        .all(|o| o.delay.unwrap().max_ns == [1.0, 1.0]));
    // Unsupported commands are reported, with their line and column, never
    // dropped silently.
    assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
    assert!(
        c.warnings[0].starts_with("t.sdc:2:1: current_design ignored"),
        "{:?}",
        c.warnings
    );
    assert!(
        c.warnings[1].starts_with("t.sdc:13:1: set_driving_cell ignored"),
        "{:?}",
        c.warnings
    );

    let t = timing::analyze(&nl, &lib, &c);
    let r = Report::new(&nl, &lib, &c, &t);
    let d = r.detail.as_ref().unwrap();
    // required = 4 − 0.1 (uncertainty) − 1 (output delay)
    assert!((d.check.required_ns.unwrap() - 2.9).abs() < 1e-12);
    assert!(
        r.worst_arrival_ns.unwrap() > 1.0,
        "paths start after the 1 ns input delay"
    );
}

/// Columns are counted by hand: the word at fault where there is one, else
/// the command word.
#[test]
fn bad_sdc_names_file_line_column_and_expectation() {
    let (lib, nl) = small();
    let err = |text: &str| apply(&lib, &nl, text).unwrap_err().to_string();
    assert_eq!(
        err("create_clock -name c -period 10\n\nset_input_delay abc -clock c [all_inputs]\n"),
        "t.sdc:3:17: expected a number for the delay, found \"abc\""
    );
    assert!(err("set_input_delay 1 -clock nope [all_inputs]")
        .starts_with("t.sdc:1:26: unknown clock \"nope\""));
    assert!(err("create_clock -period 10 -bogus 1 [get_ports a]")
        .starts_with("t.sdc:1:25: create_clock: unknown option -bogus"));
    assert!(err("create_clock -period -5 -name c")
        .starts_with("t.sdc:1:22: create_clock: period must be positive"));
    assert!(err("create_clock -name c").starts_with("t.sdc:1:1: create_clock: -period is required"));
    assert_eq!(
        err("set_load 1 [get_ports x"),
        "t.sdc:1:12: missing close-bracket"
    );
    assert!(err("set x [expr 1 +]").starts_with("t.sdc:1:13: expr \"1 +\""));
    // A continued line: `x` is on line 2 after four blanks and `-period `.
    assert!(err("create_clock -name c \\\n    -period x\n")
        .starts_with("t.sdc:2:13: expected a number for -period, found \"x\""));
    // Columns count characters, a tab as one.
    assert!(err("\tset_load\t1 [get_ports p_out] 2")
        .starts_with("t.sdc:1:2: set_load: expected a capacitance and a port list"));
    // A port that does not exist is a warning (as in OpenSTA), not a number,
    // located at the pattern.
    let c = apply(&lib, &nl, "set_load 3 [get_ports nosuch]").unwrap();
    assert_eq!(
        c.warnings,
        ["t.sdc:1:23: get_ports: no port matches nosuch"],
        "{:?}",
        c.warnings
    );
    assert!(c.outputs.iter().all(|o| o.load_pf == 0.0));
}

/// Inside `[...]` the result of a command is used, so an unknown one is an
/// error (Tcl's "invalid command name") rather than an empty list that would
/// silently drop objects from a constraint. The few object queries the reader
/// deliberately answers with nothing stay warnings, and so do unknown
/// commands at the top level, whose result nothing uses.
#[test]
fn unknown_commands_inside_brackets_are_errors() {
    let (lib, nl) = small();
    let err = |text: &str| apply(&lib, &nl, text).unwrap_err().to_string();
    let e = err("set_load 0.1 [foo_ports p_out]");
    assert!(
        e.starts_with("t.sdc:1:15: invalid command name \"foo_ports\""),
        "{e}"
    );
    // In a variable, on a later line, and in a braced `expr` (`foo` is the
    // 18th character of the line).
    let e = err("set x 1\nset ports [all_outputs]\nset more [lsort $ports]\n");
    assert!(
        e.starts_with("t.sdc:3:11: invalid command name \"lsort\""),
        "{e}"
    );
    let e = err("set_load [expr {[foo] * 2}] [get_ports p_out]");
    assert!(
        e.starts_with("t.sdc:1:18: invalid command name \"foo\""),
        "{e}"
    );

    // Object queries for objects the reader does not model: warnings.
    let c = apply(
        &lib,
        &nl,
        "set_max_fanout 8 [current_design]\nset_false_path -through [get_pins u1/A]\n",
    )
    .unwrap();
    assert_eq!(
        c.warnings,
        [
            "t.sdc:1:19: current_design ignored (not supported)",
            "t.sdc:1:1: set_max_fanout ignored (not supported)",
            "t.sdc:2:26: get_pins: only port and clock objects are supported; returns nothing",
            "t.sdc:2:1: set_false_path ignored (not supported)",
        ],
    );
    // An unknown command at the top level: a warning.
    let c = apply(&lib, &nl, "  foo_bar 1 2\nset_load 0.01 [all_outputs]\n").unwrap();
    assert_eq!(c.warnings, ["t.sdc:1:3: foo_bar ignored (not supported)"]);
    assert!(c
        .outputs
        .iter()
        .all(|o| (o.load_pf - 0.01e-3).abs() < 1e-15));
}
