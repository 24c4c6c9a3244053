//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use liberty::Library;

/// Path of the in-repository copy of a library named as in shared/liberty:
/// the shipped SG13G2 files, or the NanGate45 subset in tests/fixtures.
pub fn repo_path(name: &str) -> String {
    testdata::liberty(name).display().to_string()
}

/// Path of a library in ../shared/liberty, or `None` (with a skip notice
/// naming `case`) when the shared data is not there.
pub fn shared_path(name: &str, case: &str) -> Option<String> {
    testdata::shared(&format!("liberty/{name}"), case).map(|p| p.display().to_string())
}

/// Assert two libraries agree on every attribute the model holds (the syntax
/// tree and source name aside), cell by cell so a failure names the cell.
pub fn assert_same_model(a: &Library, b: &Library) {
    assert_same_settings(a, b);
    assert_eq!(a.cells.len(), b.cells.len(), "cell count");
    for (x, y) in a.cells.iter().zip(&b.cells) {
        assert!(x == y, "cell {} differs:\n{x:#?}\nvs\n{y:#?}", x.name);
    }
}

/// Assert two libraries agree on every library-level attribute the model
/// holds (name, units, conditions, thresholds, defaults), cells aside.
pub fn assert_same_settings(a: &Library, b: &Library) {
    assert_eq!(a.name, b.name);
    assert_eq!(a.units, b.units);
    assert_eq!(a.nom_voltage_v, b.nom_voltage_v);
    assert_eq!(a.nom_temperature_c, b.nom_temperature_c);
    assert_eq!(a.nom_process, b.nom_process);
    assert_eq!(a.operating_conditions, b.operating_conditions);
    assert_eq!(
        a.default_operating_conditions,
        b.default_operating_conditions
    );
    assert_eq!(a.voltage_map, b.voltage_map);
    assert_eq!(a.thresholds, b.thresholds);
    assert_eq!(a.default_input_pin_cap_pf, b.default_input_pin_cap_pf);
    assert_eq!(a.default_max_transition_ns, b.default_max_transition_ns);
}
