//! Malformed input gives a located error (file, line, column, expectation,
//! the offending line and a caret), never a panic and never a number.

use liberty::{Error, Library};

/// A small valid library; the tests break one line of it at a time.
/// Line numbers are 1-based; each line's columns are counted from its first character.
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

/// Replace the unique `from` in GOOD by `to` and read the result.
fn read_with(from: &str, to: &str) -> Error {
    assert_eq!(GOOD.matches(from).count(), 1, "{from}");
    let text = GOOD.replace(from, to);
    Library::from_text(&text, "bad.lib").expect_err("should fail")
}

fn assert_at(err: &Error, line: u32, column: u32, expected: &str) {
    let shown = err.to_string();
    assert_eq!(err.location(), Some((line, column)), "{shown}");
    assert!(
        shown.starts_with(&format!("bad.lib:{line}:{column}: ")),
        "{shown}"
    );
    assert!(
        shown.contains(expected),
        "message lacks `{expected}`:\n{shown}"
    );
    // The offending line is quoted and a caret marks the column.
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 3, "{shown}");
    assert_eq!(lines[2].trim_start().len(), 1, "caret line: {shown}");
    assert_eq!(
        lines[2].len() - 2,
        column as usize,
        "caret under column: {shown}"
    );
}

#[test]
fn good_library_reads() {
    let lib = Library::from_text(GOOD, "good.lib").unwrap();
    // values ("1, 2", "3, 4") with 1ns time unit
    assert_eq!(
        lib.cells[0].pins[1].timing[0]
            .cell_rise
            .as_ref()
            .unwrap()
            .values,
        [1.0, 2.0, 3.0, 4.0]
    );
}

#[test]
fn truncated_file() {
    // Cut after line 12 (`    area : 1.0;`): the end of the file is line 13, column 1.
    let cut = GOOD.find("    pin (A)").unwrap();
    let err = Library::from_text(&GOOD[..cut], "bad.lib").unwrap_err();
    assert_eq!(err.location(), Some((13, 1)), "{err}");
    assert!(
        err.to_string()
            .contains("expected `}` to close `cell (INV)` opened at line 11"),
        "{err}"
    );
}

#[test]
fn bad_number() {
    // Line 12 becomes `    area : 1.0x;` — the value starts at column 12.
    let err = read_with("area : 1.0;", "area : 1.0x;");
    assert_at(&err, 12, 12, "expected a number for `area`, found `1.0x`");
}

#[test]
fn bad_number_in_table() {
    // Line 20 becomes `          values ("1, 2x", "3, 4");` — `2x` is at column 23.
    let err = read_with(r#"values ("1, 2", "3, 4")"#, r#"values ("1, 2x", "3, 4")"#);
    assert_at(&err, 20, 23, "expected a number in `values`, found `2x`");
}

#[test]
fn stray_closing_brace() {
    // A `}` after the library's last one, on line 26, column 1.
    let text = format!("{GOOD}}}\n");
    let err = Library::from_text(&text, "bad.lib").unwrap_err();
    assert_eq!(err.location(), Some((26, 1)), "{err}");
    assert!(
        err.to_string().contains("expected the end of the file"),
        "{err}"
    );
}

#[test]
fn missing_closing_brace_inside() {
    // Dropping line 21's `}` closes groups one level early, so the library's
    // own `}` is missing at the end: line 25 has the last `}`, the end is line 26 column 1.
    let err = read_with("        }\n      }\n", "      }\n");
    assert_eq!(err.location(), Some((25, 1)), "{err}");
    assert!(
        err.to_string()
            .contains("expected `}` to close `library (t)`"),
        "{err}"
    );
}

#[test]
fn unknown_template() {
    // Line 19: `        cell_rise (t3) {` — `t3` is at column 20.
    let err = read_with("cell_rise (t2)", "cell_rise (t3)");
    assert_at(&err, 19, 20, "unknown table template `t3`");
}

#[test]
fn wrong_value_count() {
    // 2 × 2 axes need 4 values; three given. Line 20, `values` at column 11.
    let err = read_with(r#"values ("1, 2", "3, 4")"#, r#"values ("1, 2", "3")"#);
    assert_at(&err, 20, 11, "expected 4 values (2 × 2), found 3");
}

#[test]
fn bad_expression() {
    // Line 16: `      function : "!A & ";` — the expression starts at column 19
    // (after the quote at 18); the operand after `&` is missing at offset 5 → column 24.
    let err = read_with(r#"function : "!A";"#, r#"function : "!A & ";"#);
    assert_at(&err, 16, 24, "in `function`: expected a pin name");
}

#[test]
fn unbalanced_parenthesis_in_expression() {
    // `      function : "!(A";` — `!` at column 19, `(` at 20, `A` at 21: the `)`
    // is expected at column 22, where the string ends.
    let err = read_with(r#"function : "!A";"#, r#"function : "!(A";"#);
    assert_at(&err, 16, 22, "expected `)`");
}

#[test]
fn unterminated_string_and_comment() {
    let text = GOOD.replacen(r#"  time_unit : "1ns";"#, "  /* note", 1);
    let err = Library::from_text(&text, "bad.lib").unwrap_err();
    // `  /* note` — the comment opens at column 3 and has no `*/`.
    assert_eq!(err.location(), Some((2, 3)), "{err}");
    assert!(err.to_string().contains("unterminated comment"), "{err}");

    // Line 25 becomes `  comment : "abc` with no closing quote: the error
    // points at the opening quote, column 13.
    let text = format!("{}  comment : \"abc\n", &GOOD[..GOOD.len() - 2]);
    let err = Library::from_text(&text, "bad.lib").unwrap_err();
    assert_eq!(err.location(), Some((25, 13)), "{err}");
    assert!(err.to_string().contains("unterminated string"), "{err}");
}

#[test]
fn bad_unit_and_direction() {
    // Line 2: `  time_unit : "1xs";` — the value text starts at column 16.
    let err = read_with(r#""1ns""#, r#""1xs""#);
    assert_at(&err, 2, 16, "expected a unit like \"1s\"");
    // Line 15: `      direction : outptu;` — value at column 19.
    let err = read_with("direction : output;", "direction : outptu;");
    assert_at(
        &err,
        15,
        19,
        "expected input, output, inout or internal, found `outptu`",
    );
}

#[test]
fn missing_colon() {
    // Line 12: `    area 1.0;` — after the name, column 10 has neither `:` nor `(`.
    let err = read_with("area : 1.0;", "area 1.0;");
    assert_at(&err, 12, 10, "expected `:` or `(` after `area`");
}

#[test]
fn io_error_names_the_file() {
    let err = liberty::read_library("/nonexistent/x.lib").unwrap_err();
    assert!(err.to_string().starts_with("/nonexistent/x.lib: "), "{err}");
}

#[test]
fn top_level_must_be_a_library() {
    // `/* c */ cell (x) { }` — the group starts at column 9 of line 1.
    let err = Library::from_text("/* c */ cell (x) { }\n", "bad.lib").unwrap_err();
    assert_eq!(err.location(), Some((1, 9)), "{err}");
    assert!(
        err.to_string().contains("expected `library (NAME) {`"),
        "{err}"
    );
    // An empty file ends at line 1, column 1.
    let err = Library::from_text("", "bad.lib").unwrap_err();
    assert_eq!(err.location(), Some((1, 1)), "{err}");
}

/// Replace the unique `from` in GOOD by `to`; the error text.
fn error(from: &str, to: &str) -> String {
    read_with(from, to).to_string()
}

// Semantics: text that parses but contradicts itself (issue 15).

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
