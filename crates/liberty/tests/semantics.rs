//! Liberty files that parse but contradict themselves give located errors:
//! a conflicting second unit, a template defined twice, index breakpoints
//! out of order, a supply voltage that is not positive.

use liberty::Library;

const GOOD: &str = r#"library (t) {
  time_unit : "1ns";
  capacitive_load_unit (1, pf);
  nom_voltage : 1.0;
  lu_table_template (t2) {
    variable_1 : input_net_transition;
    variable_2 : total_output_net_capacitance;
    index_1 ("0.1, 0.2");
    index_2 ("0.01, 0.02");
  }
  cell (INV) {
    area : 1.0;
    pin (A) { direction : input; capacitance : 0.002; }
    pin (Y) {
      direction : output;
      function : "!A";
      timing () {
        related_pin : "A";
        cell_rise (t2) {
          values ("1, 2", "3, 4");
        }
      }
    }
  }
}
"#;

/// Replace the unique `from` in GOOD by `to`; the error text.
fn error(from: &str, to: &str) -> String {
    assert_eq!(GOOD.matches(from).count(), 1, "{from}");
    let text = GOOD.replace(from, to);
    Library::from_text(&text, "bad.lib")
        .expect_err("should fail")
        .to_string()
}

#[test]
fn the_base_library_reads() {
    let lib = Library::from_text(GOOD, "good.lib").unwrap();
    assert_eq!(lib.nom_voltage_v, 1.0);
}

#[test]
fn a_conflicting_second_time_unit_is_refused() {
    let err = error(
        "  nom_voltage : 1.0;\n",
        "  nom_voltage : 1.0;\n  time_unit : \"1ps\";\n",
    );
    assert!(err.starts_with("bad.lib:5:3:"), "{err}");
    assert!(
        err.contains("conflicting second `time_unit` (1ps; line 2 gives 1ns)"),
        "{err}"
    );
    // The same value twice is harmless.
    let text = GOOD.replace(
        "  nom_voltage : 1.0;\n",
        "  nom_voltage : 1.0;\n  time_unit : \"1ns\";\n",
    );
    Library::from_text(&text, "ok.lib").unwrap();
}

#[test]
fn a_duplicate_template_is_refused() {
    let err = error(
        "  cell (INV) {",
        "  lu_table_template (t2) {\n    variable_1 : input_net_transition;\n  }\n  cell (INV) {",
    );
    assert!(err.starts_with("bad.lib:11:"), "{err}");
    assert!(
        err.contains("duplicate lu_table_template `t2` (first defined at line 5)"),
        "{err}"
    );
}

#[test]
fn non_increasing_index_is_refused() {
    let err = error("index_1 (\"0.1, 0.2\");", "index_1 (\"0.2, 0.1\");");
    assert!(err.starts_with("bad.lib:8:5:"), "{err}");
    assert!(
        err.contains("`index_1` must be strictly increasing, found 0.1 after 0.2"),
        "{err}"
    );
    // In a table's own index too, repeated breakpoints included.
    let err = error(
        "values (\"1, 2\", \"3, 4\");",
        "index_2 (\"0.02, 0.02\");\n          values (\"1, 2\", \"3, 4\");",
    );
    assert!(err.starts_with("bad.lib:20:11:"), "{err}");
    assert!(
        err.contains("`index_2` must be strictly increasing"),
        "{err}"
    );
}

#[test]
fn non_positive_nominal_voltage_is_refused() {
    for bad in ["-1.2", "0"] {
        let err = error("nom_voltage : 1.0;", &format!("nom_voltage : {bad};"));
        assert!(err.starts_with("bad.lib:4:3:"), "{err}");
        assert!(err.contains("`nom_voltage` must be a number > 0"), "{err}");
    }
}
