//! SDC that Tcl would reject, values with no physical meaning and nesting
//! built to exhaust the stack give errors naming the file, line and column,
//! on the shipped 2-bit MAC and SG13G2 library.

use std::path::PathBuf;
use std::sync::OnceLock;

use liberty::Library;
use netlist::Netlist;
use timing::constraints::Constraints;
use timing::Conditions;

fn design() -> &'static (Library, Netlist) {
    static DESIGN: OnceLock<(Library, Netlist)> = OnceLock::new();
    DESIGN.get_or_init(|| {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let lib =
            liberty::read_library(repo.join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib")).unwrap();
        let nl = Netlist::read(repo.join("netlists/mac2u_sg13g2.v"), &lib, None).unwrap();
        (lib, nl)
    })
}

fn apply(text: &str) -> sdc::Result<Constraints> {
    let (lib, nl) = design();
    let base = Constraints::from_conditions(
        nl,
        &Conditions {
            input_slew_ns: 0.0,
            output_load_pf: 0.0,
        },
    );
    sdc::parse(text, "h.sdc", nl, lib, base)
}

fn error(sdc: &str) -> String {
    apply(sdc).unwrap_err().to_string()
}

/// `[get_ports p_in[0]]` unbraced: Tcl runs `[0]` as a command and stops;
/// applying the constraint to the whole bus instead would be a silent
/// wrong number.
#[test]
fn an_unbraced_bus_bit_is_an_error() {
    let err =
        error("create_clock -period 2 -name c\nset_input_delay 0.5 -clock c [get_ports p_in[0]]\n");
    // The `0` of `p_in[0]`.
    assert!(err.starts_with("h.sdc:2:46: "), "{err}");
    assert!(err.contains("invalid command name \"0\""), "{err}");
    assert!(err.contains("{p[0]}"), "{err}");
    // Braced or escaped, it is the one bit.
    for ok in ["{p_in[0]}", "p_in\\[0\\]"] {
        let c = apply(&format!(
            "create_clock -period 2 -name c\nset_input_delay 0.5 -clock c [get_ports {ok}]\n"
        ))
        .unwrap();
        let delayed = c.inputs.iter().filter(|b| b.delay.is_some()).count();
        assert_eq!(delayed, 1, "{ok}");
    }
    // A part select too; `current_design` (an object the reader does not
    // model) stays a warning.
    let err = error("set_load 0.1 [get_ports p_out[3:0]]\n");
    assert!(err.starts_with("h.sdc:1:31: "), "{err}");
    assert!(err.contains("\"3:0\""), "{err}");
    let c = apply("set_max_fanout 8 [current_design]\n").unwrap();
    assert!(c
        .warnings
        .iter()
        .any(|w| w.contains("current_design ignored")));
}

#[test]
fn deep_expr_nesting_is_an_error() {
    for (what, text) in [
        (
            "parens",
            format!("expr {{{}1{}}}", "(".repeat(30_000), ")".repeat(30_000)),
        ),
        ("minuses", format!("expr {{{}1}}", "-".repeat(100_000))),
        ("powers", format!("expr {{{}1}}", "2**".repeat(50_000))),
    ] {
        let err = error(&format!("set x 1\n{text}\n"));
        // At the expression: the `{` after `expr `.
        assert!(err.starts_with("h.sdc:2:6: "), "{what}: {err}");
        assert!(err.contains("nested deeper than 256"), "{what}: {err}");
    }
    // Modest nesting still computes: -(-(3)) · (2 + (1)) = 9.
    apply("set_load [expr {-(-(3)) * (2 + (1)) / 1000.0}] [get_ports p_out]\n").unwrap();
}

#[test]
fn negative_values_are_refused() {
    // The column is the value's.
    for (cmd, col, what) in [
        (
            "set_load -1 [get_ports p_out]",
            10,
            "set_load: the capacitance must be >= 0",
        ),
        (
            "set_input_transition -0.1 [get_ports a]",
            22,
            "set_input_transition: the transition must be >= 0",
        ),
        (
            "create_clock -period 2 -name c\nset_clock_uncertainty -0.2 [get_clocks c]",
            23,
            "set_clock_uncertainty: the value must be >= 0",
        ),
        (
            "create_clock -period 2 -name c\nset_clock_transition -0.2 [get_clocks c]",
            22,
            "set_clock_transition: the value must be >= 0",
        ),
    ] {
        let err = error(&format!("{cmd}\n"));
        assert!(err.contains(what), "{cmd}: {err}");
        let line = cmd.lines().count();
        assert!(err.starts_with(&format!("h.sdc:{line}:{col}: ")), "{err}");
    }
}

#[test]
fn a_transition_beyond_the_tables_is_warned_about() {
    let c = apply("set_input_transition 1e30 [get_ports a]\n").unwrap();
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("beyond the library's largest transition breakpoint")),
        "{:?}",
        c.warnings
    );
    let c = apply("set_input_transition 0.1 [get_ports a]\n").unwrap();
    assert!(
        !c.warnings.iter().any(|w| w.contains("beyond")),
        "{:?}",
        c.warnings
    );
}
