//! Hostile nesting and length give errors, not a stack overflow. (The
//! mutation fuzzing of the reader lives in crates/fuzz.)

use liberty::Library;

#[test]
fn hostile_nesting_is_refused_not_overflowed() {
    let deep = "library (x) {\n".to_string() + &"g () {\n".repeat(100_000);
    let err = Library::from_text(&deep, "deep.lib").unwrap_err();
    assert!(err.to_string().contains("nested deeper"), "{err}");
    let long = format!(
        "library (x) {{ nom_voltage : 1; cell (c) {{ pin (Y) {{ direction : output; function : \"{}A\"; }} }} }}",
        "A & ".repeat(50_000)
    );
    let err = Library::from_text(&long, "long.lib").unwrap_err();
    assert!(err.to_string().contains("operators"), "{err}");
}
