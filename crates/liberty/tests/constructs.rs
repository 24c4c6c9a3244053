//! Liberty constructs the shared libraries do not use (buses, latches,
//! reversed template axes, scalar tables, continued lines), on small
//! hand-written libraries whose expected values are worked out here.

use liberty::{Direction, Expr, Library, SequentialKind, TimingSense, TimingType, Variable};

const LIB: &str = r#"
/* leading comment */
library (hand) {
  define (my_attr, cell, string);
  time_unit : "100ps" ;
  capacitive_load_unit (10, ff) ;
  voltage_unit : "1mV";
  leakage_power_unit : 1uW
  nom_voltage : 900 ;
  default_input_pin_cap : 0.5 ;
  type (bus4) { base_type : array ; data_type : bit ; bit_width : 4 ; bit_from : 3 ; bit_to : 0 ; downto : true ; }
  lu_table_template (load_first) {
    variable_1 : total_output_net_capacitance ;
    variable_2 : input_net_transition ;
    index_1 ("1, 3") ;
    index_2 ("2, 4") ;
  }
  power_lut_template (slew_only) { variable_1 : input_transition_time ; index_1 ("1, 2, 3") ; }
  cell (REG4) {
    my_attr : "kept" ;
    area : 12.5 ;
    cell_leakage_power : 0.25 ;
    ff (IQ, IQN) { clocked_on : "CK" ; next_state : "D" ; clear : "!RN" ; }
    pin (CK, CK2) { direction : input ; clock : true ; capacitance : 0.2 ; }
    pin (RN) { direction : input ; }
    bus (D) {
      bus_type : bus4 ;
      direction : input ;
      capacitance : 0.1 ;
      pin (D[0]) { capacitance : 0.3 ; }
      pin (D[2:1]) { capacitance : 0.4 ; }
      internal_power () { power (slow_only_missing_is_fine) { values ("1") ; } }
    }
    pin (Q) {
      direction : output ;
      function : "IQ" ;
      timing () {
        related_pin : "CK CK2" ;
        timing_type : rising_edge ;
        cell_rise (load_first) {
          index_2 ("2, 6") ;
          values ("10, 20", \
                  "30, 40") ;
        }
        cell_fall (scalar) { values ("5") ; }
      }
      internal_power () {
        related_pin : CK ;
        rise_power (slew_only) { values ("1, 2, 3") ; }
      }
    }
  }
  cell (LAT) {
    latch (IQ, IQN) { enable : "G" ; data_in : "D" ; preset : "S'" ; }
    pin (G) { direction : input ; }
    pin (D) { direction : input ; }
    pin (S) { direction : input ; }
    pin (Q) { direction : output ; function : "IQ" ; }
    pin (Z) {
      direction : output ; function : "D G" ; three_state : "!G" ;
      timing () { related_pin : "D" ; cell_rise (scalar) { values ("1") ; } }
      timing () { related_pin : "G" ; timing_sense : non_unate ; }
    }
  }
}
"#;

fn lib() -> Library {
    // The bus's internal_power names a template that does not exist: it must be an error,
    // so the main fixture drops that line; `unknown_power_template_is_an_error` keeps it.
    let text = LIB.replace(
        "      internal_power () { power (slow_only_missing_is_fine) { values (\"1\") ; } }\n",
        "",
    );
    Library::from_text(&text, "hand.lib").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn units_scale_everything() {
    let lib = lib();
    // "100ps" = 0.1 ns; (10, ff) = 10 fF = 0.01 pF; "1mV" = 0.001 V; 1uW = 1000 nW.
    assert_eq!(lib.units.time_ns, 0.1);
    assert_eq!(lib.units.capacitance_pf, 0.01);
    assert_eq!(lib.units.voltage_v, 0.001);
    assert_eq!(lib.units.leakage_power_nw, 1000.0);
    // energy unit: 0.01 pF × (0.001 V)² = 1e-8 pJ = 1e-5 fJ
    assert!((lib.units.energy_fj - 1e-5).abs() < 1e-18);
    // nom_voltage : 900 (mV) = 0.9 V
    assert!((lib.nom_voltage_v - 0.9).abs() < 1e-12);
    // default_input_pin_cap : 0.5 (× 10 fF) = 5 fF = 0.005 pF
    assert!((lib.default_input_pin_cap_pf - 0.005).abs() < 1e-15);
    assert!(lib.preamble.contains("leading comment"));
}

#[test]
fn buses_expand_with_per_bit_overrides() {
    let lib = lib();
    let reg = lib.cell("REG4").unwrap();
    let names: Vec<&str> = reg.pins.iter().map(|p| p.name.as_str()).collect();
    // `pin (CK, CK2)` gives two pins; bus_type bus4 runs bit_from 3 down to bit_to 0.
    assert_eq!(
        names,
        ["CK", "CK2", "RN", "D[3]", "D[2]", "D[1]", "D[0]", "Q"]
    );
    let cap = |n: &str| reg.pin(n).unwrap().capacitance_pf;
    // Bus-wide 0.1 → 1 fF = 0.001 pF; D[0] overrides 0.3 → 0.003; D[2:1] give 0.4 → 0.004.
    assert!((cap("D[3]") - 0.001).abs() < 1e-15);
    assert!((cap("D[2]") - 0.004).abs() < 1e-15);
    assert!((cap("D[1]") - 0.004).abs() < 1e-15);
    assert!((cap("D[0]") - 0.003).abs() < 1e-15);
    assert_eq!(reg.pin("D[1]").unwrap().direction, Direction::Input);
    // RN has no capacitance: default_input_pin_cap, 0.005 pF.
    assert!((cap("RN") - 0.005).abs() < 1e-15);
    assert!(reg.pin("CK2").unwrap().is_clock);
    // area 12.5; leakage 0.25 µW = 250 nW
    assert_eq!(reg.area, 12.5);
    assert_eq!(reg.leakage_nw, Some(250.0));
}

#[test]
fn reversed_template_axes_and_index_overrides() {
    let lib = lib();
    let q = lib.cell("REG4").unwrap().pin("Q").unwrap();
    let arc = &q.timing[0];
    assert_eq!(arc.related_pins, ["CK", "CK2"]);
    assert_eq!(arc.timing_type, TimingType::RisingEdge);
    // Not combinational and no timing_sense: non-unate.
    assert_eq!(arc.timing_sense, TimingSense::NonUnate);
    let t = arc.cell_rise.as_ref().unwrap();
    // variable_1 is the load: index_1 ("1, 3") × 0.01 pF = [0.01, 0.03];
    // variable_2 the slew, overridden in the table: index_2 ("2, 6") × 0.1 ns = [0.2, 0.6].
    assert_eq!(t.axes[0].0, Variable::TotalOutputNetCapacitance);
    assert_eq!(t.axes[1].0, Variable::InputNetTransition);
    assert!((t.axes[0].1[1] - 0.03).abs() < 1e-15);
    assert!((t.axes[1].1[1] - 0.6).abs() < 1e-15);
    // values ("10, 20", "30, 40") × 0.1 ns: rows (by load) [1, 2] and [3, 4] ns.
    // lookup(slew 0.4 ns, load 0.02 pF) is mid-way on both axes: the mean (1 + 2 + 3 + 4) / 4 = 2.5 ns.
    assert!((t.lookup(0.4, 0.02) - 2.5).abs() < 1e-12);
    // slew 0.2 (first column), load 0.01 (first row) → 1.0
    assert!((t.lookup(0.2, 0.01) - 1.0).abs() < 1e-12);
    // cell_fall (scalar) { values ("5") } → 0.5 ns for any slew and load.
    let f = arc.cell_fall.as_ref().unwrap();
    assert!(f.axes.is_empty());
    assert!((f.lookup(9.0, 9.0) - 0.5).abs() < 1e-12);
    // rise_power (slew_only) values 1, 2, 3 × 1e-5 fJ, on a slew axis 0.1, 0.2, 0.3 ns:
    // at 0.25 ns, half-way between 2 and 3 → 2.5e-5 fJ.
    let p = q.internal_power[0].rise_power.as_ref().unwrap();
    assert_eq!(p.axes[0].0, Variable::InputNetTransition);
    assert!((p.lookup(0.25, 0.0) - 2.5e-5).abs() < 1e-18);
}

#[test]
fn flip_flop_and_latch() {
    let lib = lib();
    let ff = lib.cell("REG4").unwrap().sequential.clone().unwrap();
    assert_eq!(ff.kind, SequentialKind::FlipFlop);
    assert_eq!(ff.clear, Some(!Expr::var("RN")));
    let lat = lib.cell("LAT").unwrap();
    let seq = lat.sequential.as_ref().unwrap();
    assert_eq!(seq.kind, SequentialKind::Latch);
    assert_eq!(seq.clock, Some(Expr::Var("G".into())));
    assert_eq!(seq.data, Some(Expr::Var("D".into())));
    // preset : "S'" — postfix complement.
    assert_eq!(seq.preset, Some(!Expr::var("S")));
    let z = lat.pin("Z").unwrap();
    // function "D G" is D AND G (juxtaposition); positive unate in D, derived.
    assert_eq!(
        z.function.as_ref().unwrap().truth_table(&["D", "G"])[0],
        0b1000
    );
    assert_eq!(z.timing[0].timing_sense, TimingSense::PositiveUnate);
    assert_eq!(z.timing[1].timing_sense, TimingSense::NonUnate);
    assert_eq!(z.three_state, Some(!Expr::var("G")));
}

#[test]
fn unknown_attributes_survive_in_the_tree_and_the_writer() {
    let lib = lib();
    let cell = lib.ast.groups_of("cell").next().unwrap();
    assert_eq!(cell.value("my_attr").map(|v| v.as_str()), Some("kept"));
    let text = liberty::write_library(&lib, None);
    assert!(text.contains("my_attr : \"kept\" ;"), "{text}");
    assert!(text.contains("define (my_attr, cell, string) ;"), "{text}");
    let again = Library::from_text(&text, "again.lib").unwrap();
    assert!(again.cells == lib.cells);
}

#[test]
fn unknown_power_template_is_an_error() {
    let err = Library::from_text(LIB, "hand.lib").unwrap_err();
    // The text begins with a newline, so `library (hand)` is line 3 and the bus's
    // `      internal_power () { power (slow_only_missing_is_fine) ...` is line 32:
    // 6 blanks, `internal_power` (7-20), `()` (22-23), `{` (25), `power` (27-31),
    // `(` (33), so the template name starts at column 34.
    assert_eq!(err.location(), Some((32, 34)), "{err}");
    assert!(err
        .to_string()
        .contains("unknown table template `slow_only_missing_is_fine`"));
}
