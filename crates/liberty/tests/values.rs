//! Model values checked against the library text by hand. Each expected
//! number quotes the line it comes from in the shared/liberty original, or
//! shows the arithmetic. NanGate45 and SG13G2 are read from their copies in
//! the repository (shipped.rs checks those equal the originals); SKY130 and
//! ASAP7 only when ../shared is there.

mod common;

use liberty::{read_library, Direction, Expr, Library, SequentialKind, TimingSense, Variable};

/// The in-repository copy of a library named as in shared/liberty.
fn repo_lib(name: &str) -> Library {
    read_library(common::repo_path(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
    }};
}

/// Truth table of a cell pin's function over the given input order
/// (input k is bit k of the row).
fn truth(lib: &Library, cell: &str, pin: &str, inputs: &[&str]) -> u64 {
    let f = lib
        .cell(cell)
        .unwrap()
        .pin(pin)
        .unwrap()
        .function
        .clone()
        .unwrap();
    f.truth_table(inputs)[0]
}

/// Truth table of a Rust closure over `n` inputs, the hand-written reference.
fn reference(n: usize, f: impl Fn(&[bool]) -> bool) -> u64 {
    (0..1u64 << n)
        .filter(|row| f(&(0..n).map(|k| row >> k & 1 == 1).collect::<Vec<_>>()))
        .fold(0, |acc, row| acc | 1 << row)
}

#[test]
fn nangate45_units_and_conditions() {
    let lib = repo_lib("nangate45_typ.lib.gz");
    // capacitive_load_unit (1,ff);  → 1 fF = 0.001 pF
    assert_close!(lib.units.capacitance_pf, 0.001);
    // time_unit : "1ns";  leakage_power_unit : "1nW";
    assert_close!(lib.units.time_ns, 1.0);
    assert_close!(lib.units.leakage_power_nw, 1.0);
    // internal power in fF × V² = 1 fJ
    assert_close!(lib.units.energy_fj, 1.0);
    // nom_voltage : 1.10;  nom_temperature : 25.00;  nom_process : 1.00;
    assert_close!(lib.nom_voltage_v, 1.10);
    assert_close!(lib.nom_temperature_c, 25.0);
    assert_close!(lib.nom_process, 1.0);
    assert_eq!(lib.name, "NangateOpenCellLibrary");
    // voltage_map (VDD,1.10);  voltage_map (VSS,0.00);
    assert_eq!(
        lib.voltage_map,
        vec![("VDD".to_string(), 1.10), ("VSS".to_string(), 0.0)]
    );
    assert_eq!(lib.default_operating_conditions.as_deref(), Some("typical"));
    // slew_lower_threshold_pct_rise : 30.00 ; slew_upper_threshold_pct_rise : 70.00 ;
    assert_close!(lib.thresholds.slew_lower_pct_rise, 30.0);
    assert_close!(lib.thresholds.slew_upper_pct_fall, 70.0);
    // default_max_transition : 0.198535;
    assert_close!(lib.default_max_transition_ns.unwrap(), 0.198535);
}

#[test]
fn nangate45_and2_values() {
    let lib = repo_lib("nangate45_typ.lib.gz");
    let and2 = lib.cell("AND2_X1").unwrap();
    // line 310:  area : 1.064000;
    assert_close!(and2.area, 1.064);
    // cell_leakage_power : 25.066064;  (nW)
    assert_close!(and2.leakage_nw.unwrap(), 25.066064);
    // pg_pins VDD/VSS are not signal pins: A1, A2, ZN.
    let names: Vec<&str> = and2.pins.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["A1", "A2", "ZN"]);
    let a1 = and2.pin("A1").unwrap();
    assert_eq!(a1.direction, Direction::Input);
    // line 345: capacitance : 0.918145;  fall_capacitance : 0.874832;  (fF → pF)
    assert_close!(a1.capacitance_pf, 0.000918145);
    assert_close!(a1.fall_capacitance_pf.unwrap(), 0.000874832);
    let zn = and2.pin("ZN").unwrap();
    // max_capacitance : 60.577400;
    assert_close!(zn.max_capacitance_pf.unwrap(), 0.0605774);

    let arc = &zn.timing[0];
    assert_eq!(arc.related_pins, ["A1"]);
    assert_eq!(arc.timing_sense, TimingSense::PositiveUnate);
    let fall = arc.cell_fall.as_ref().unwrap();
    assert_eq!(fall.template, "Timing_7_7");
    // Template Timing_7_7: variable_1 input_net_transition, variable_2 total_output_net_capacitance.
    assert_eq!(fall.axes[0].0, Variable::InputNetTransition);
    assert_eq!(fall.axes[1].0, Variable::TotalOutputNetCapacitance);
    // The table's own index_2 ("0.365616,1.893040,...") overrides the template's (0.0010,...), fF → pF.
    assert_close!(fall.axes[1].1[0], 0.000365616);
    assert_close!(fall.axes[1].1[6], 0.0605774);
    // values ("0.0217822,0.0253224,0.0288237,0.0346827,0.0448323,0.0636086,0.100366", \
    //         "0.0233179,0.0268545,...
    assert_eq!(fall.values.len(), 49);
    assert_close!(fall.values[0], 0.0217822);
    assert_close!(fall.values[7], 0.0233179);

    // Interpolation at the midpoint of the first cell of the grid:
    //   slew = (0.00117378 + 0.00472397) / 2 = 0.002948875 ns
    //   load = (0.365616 + 1.893040) / 2 fF = 1.129328 fF = 0.001129328 pF
    //   bilinear at the centre = mean of the corners
    //   = (0.0217822 + 0.0253224 + 0.0233179 + 0.0268545) / 4 = 0.097277 / 4 = 0.02431925
    assert_close!(fall.lookup(0.002948875, 0.001129328), 0.02431925);
    // Extrapolation one segment past the last load, at the first slew:
    //   load = 60.5774 + (60.5774 - 30.2887) = 90.8661 fF
    //   value = 0.100366 + (0.100366 - 0.0636086) = 0.1371234
    assert_close!(fall.lookup(0.00117378, 0.0908661), 0.1371234);

    // internal_power () { related_pin : "A1"; fall_power(Power_7_7) {
    //   values ("2.707163,2.939134,...  (fF·V² = fJ)
    let ip = zn
        .internal_power
        .iter()
        .find(|p| p.related_pins == ["A1"])
        .unwrap();
    assert_close!(ip.fall_power.as_ref().unwrap().values[0], 2.707163);
    // Power_7_7 declares variable_1 : input_transition_time — the same quantity as input_net_transition.
    assert_eq!(
        ip.fall_power.as_ref().unwrap().axes[0].0,
        Variable::InputNetTransition
    );
}

#[test]
fn when_condition_of_leakage_state() {
    let lib = repo_lib("nangate45_typ.lib.gz");
    let and2 = lib.cell("AND2_X1").unwrap();
    // leakage_power () { when : "!A1 & !A2"; value : 20.324370; }
    let first = &and2.state_leakage[0];
    assert_close!(first.power_nw, 20.32437);
    let when = first.when.as_ref().unwrap();
    // True only for A1 = 0, A2 = 0: row 0 of a 2-input table.
    assert_eq!(when.truth_table(&["A1", "A2"])[0], 0b0001);
    assert_eq!(and2.state_leakage.len(), 4);
}

#[test]
fn nangate45_truth_tables() {
    let lib = repo_lib("nangate45_typ.lib.gz");
    // AOI21_X1 ZN = !(A | (B1 & B2))
    assert_eq!(
        truth(&lib, "AOI21_X1", "ZN", &["A", "B1", "B2"]),
        reference(3, |x| !(x[0] || (x[1] && x[2])))
    );
    // XOR2_X1 Z = A ^ B
    assert_eq!(truth(&lib, "XOR2_X1", "Z", &["A", "B"]), 0b0110);
    // Full adder: CO is the majority of A, B, CI; S is their parity.
    assert_eq!(
        truth(&lib, "FA_X1", "CO", &["A", "B", "CI"]),
        reference(3, |x| x.iter().filter(|&&b| b).count() >= 2)
    );
    assert_eq!(
        truth(&lib, "FA_X1", "S", &["A", "B", "CI"]),
        reference(3, |x| x.iter().filter(|&&b| b).count() % 2 == 1)
    );
    // MUX2_X1 Z = S ? B : A
    assert_eq!(
        truth(&lib, "MUX2_X1", "Z", &["A", "B", "S"]),
        reference(3, |x| if x[2] { x[1] } else { x[0] })
    );
}

#[test]
fn nangate45_flip_flop() {
    let lib = repo_lib("nangate45_typ.lib.gz");
    let dff = lib.cell("DFF_X1").unwrap();
    // ff ("IQ" , "IQN") { next_state : "D"; clocked_on : "CK"; }
    let seq = dff.sequential.as_ref().unwrap();
    assert_eq!(seq.kind, SequentialKind::FlipFlop);
    assert_eq!(seq.state_vars, ["IQ", "IQN"]);
    assert_eq!(seq.clock, Some(Expr::Var("CK".into())));
    assert_eq!(seq.data, Some(Expr::Var("D".into())));
    // pin (CK) { clock : true; }
    assert!(dff.pin("CK").unwrap().is_clock);
    assert!(!dff.pin("D").unwrap().is_clock);
    assert_eq!(dff.pin("Q").unwrap().function, Some(Expr::Var("IQ".into())));
    assert!(!lib.cell("AND2_X1").unwrap().is_sequential());
}

#[test]
fn sg13g2_units_and_values() {
    let lib = repo_lib("sg13g2_stdcell_typ_1p20V_25C.lib");
    // capacitive_load_unit (1,pf);  current_unit : "1uA";  leakage_power_unit : "1pW";  time_unit : "1ns";
    assert_close!(lib.units.capacitance_pf, 1.0);
    assert_close!(lib.units.current_ma, 0.001);
    assert_close!(lib.units.leakage_power_nw, 0.001);
    assert_close!(lib.units.time_ns, 1.0);
    // 1 pF × (1 V)² = 1 pJ = 1000 fJ
    assert_close!(lib.units.energy_fj, 1000.0);
    assert_close!(lib.nom_voltage_v, 1.2);

    let cell = lib.cell("sg13g2_a21oi_1").unwrap();
    // area : 9.072;  cell_leakage_power : 114.475;  (pW → nW)
    assert_close!(cell.area, 9.072);
    assert_close!(cell.leakage_nw.unwrap(), 0.114475);
    // Y = !((A1*A2)+B1)
    assert_eq!(
        truth(&lib, "sg13g2_a21oi_1", "Y", &["A1", "A2", "B1"]),
        reference(3, |x| !((x[0] && x[1]) || x[2]))
    );
    let y = cell.pin("Y").unwrap();
    let rise = y.timing[0].cell_rise.as_ref().unwrap();
    // cell_rise (TIMING_DELAY_7x7ds1) { ... values ( \
    //   "0.0468754, 0.178699, ...", \
    //   "0.0723238, 0.210675, ...", ...
    assert_close!(rise.values[0], 0.0468754);
    assert_close!(rise.values[8], 0.210675);
    // Between the first two slews (0.0186, 0.0966) at the first load (0.001 pF), a quarter of the way:
    //   slew = 0.0186 + 0.25 × 0.078 = 0.0381
    //   value = 0.0468754 + 0.25 × (0.0723238 − 0.0468754) = 0.0468754 + 0.0063621 = 0.0532375
    assert_close!(rise.lookup(0.0381, 0.001), 0.0532375);
    // internal_power () { related_pin : "A1"; rise_power (POWER_7x7ds1) { values ( "0.00352551, ...
    //   0.00352551 pJ = 3.52551 fJ
    let ip = y
        .internal_power
        .iter()
        .find(|p| p.related_pins == ["A1"])
        .unwrap();
    assert_close!(ip.rise_power.as_ref().unwrap().values[0], 3.52551);

    // mux2: function : "(!S*A0)+(S*A1)";
    assert_eq!(
        truth(&lib, "sg13g2_mux2_1", "X", &["A0", "A1", "S"]),
        reference(3, |x| if x[2] { x[1] } else { x[0] })
    );

    let hi = repo_lib("sg13g2_stdcell_typ_1p50V_25C.lib");
    assert_close!(hi.nom_voltage_v, 1.5);
}

#[test]
fn sky130_and_asap7_units() {
    let (Some(sky), Some(asap)) = (
        common::shared_path("sky130hd_tt.lib.gz", "SKY130 units"),
        common::shared_path("asap7_small_ff.lib.gz", "ASAP7 units"),
    ) else {
        return;
    };
    let sky = read_library(sky).unwrap();
    // capacitive_load_unit(1.0000000000, "pf");  leakage_power_unit : "1nW";
    assert_close!(sky.units.capacitance_pf, 1.0);
    assert_close!(sky.units.leakage_power_nw, 1.0);
    assert_close!(sky.nom_voltage_v, 1.8);
    assert_eq!(sky.name, "sky130_fd_sc_hd__tt_025C_1v80");

    let asap = read_library(asap).unwrap();
    // time_unit : "1ps";  capacitive_load_unit (1,ff);  leakage_power_unit : "1pW";
    assert_close!(asap.units.time_ns, 0.001);
    assert_close!(asap.units.capacitance_pf, 0.001);
    assert_close!(asap.units.leakage_power_nw, 0.001);
    let buf = asap.cell("BUFx2_ASAP7_75t_R").unwrap();
    // `area : 0.0729` has no semicolon in the file.
    assert_close!(buf.area, 0.0729);
    let rise = buf.pin("Y").unwrap().timing[0].cell_rise.as_ref().unwrap();
    // index_1 ("5, 10, 20, ...") ps → 0.005 ns; index_2 ("1.44, ...") fF → 0.00144 pF
    assert_close!(rise.axes[0].1[0], 0.005);
    assert_close!(rise.axes[1].1[0], 0.00144);
    // values ( "12.833, ...  ps → 0.012833 ns
    assert_close!(rise.values[0], 0.012833);
    // leakage_power () { value : 104.541; when : "(A * Y)"; related_pg_pin : VDD; }  pW → nW
    let first = &buf.state_leakage[0];
    assert_close!(first.power_nw, 0.104541);
    assert_eq!(first.related_pg_pin.as_deref(), Some("VDD"));
    let dff = asap.cell("DFFHQx4_ASAP7_75t_R").unwrap();
    assert!(dff.is_sequential());
    assert!(dff.pin("CLK").unwrap().is_clock);
}
