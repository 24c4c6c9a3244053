//! Property tests: mutated real netlists never panic and always give either a
//! tree or a well-formed located error; constants read back the value that
//! was formatted into them.

mod common;

use proptest::prelude::*;
use verilog::{Bit, Expr};

fn netlist_text(case: &str) -> String {
    std::fs::read_to_string(testdata::reference(case, "netlist.v")).unwrap()
}

/// One edit to a text.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Replace { at: usize, len: usize, text: String },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

/// Fragments that are likely to confuse a Verilog reader.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~\t\n]{0,6}",
        Just("(*".to_string()),
        Just("*)".to_string()),
        Just("/*".to_string()),
        Just("//".to_string()),
        Just("\\".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("`".to_string()),
        Just("[".to_string()),
        Just("{".to_string()),
        Just("endmodule".to_string()),
        Just("module".to_string()),
        Just("always".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("1048577'b0".to_string()),
        Just("'hx".to_string()),
        Just("é".to_string()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    // Positions are fractions of the text length, scaled when applied.
    let pos = 0usize..1_000_000;
    prop_oneof![
        (pos.clone(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (pos.clone(), fragment()).prop_map(|(at, text)| Edit::Insert { at, text }),
        (pos.clone(), 1usize..10, fragment()).prop_map(|(at, len, text)| Edit::Replace {
            at,
            len,
            text
        }),
        (pos.clone(), 1usize..200).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        pos.prop_map(|at| Edit::Truncate { at }),
    ]
}

/// Apply `e` at a character boundary.
fn apply(text: &mut String, e: &Edit) {
    let boundary = |t: &String, frac: usize| {
        let mut k = (t.len() as u128 * frac as u128 / 1_000_000) as usize;
        while !t.is_char_boundary(k) {
            k -= 1;
        }
        k
    };
    let end = |t: &String, start: usize, len: usize| {
        let mut k = (start + len).min(t.len());
        while !t.is_char_boundary(k) {
            k += 1;
        }
        k
    };
    match e {
        Edit::Delete { at, len } => {
            let a = boundary(text, *at);
            let b = end(text, a, *len);
            text.replace_range(a..b, "");
        }
        Edit::Insert { at, text: s } => {
            let a = boundary(text, *at);
            text.insert_str(a, s);
        }
        Edit::Replace { at, len, text: s } => {
            let a = boundary(text, *at);
            let b = end(text, a, *len);
            text.replace_range(a..b, s);
        }
        Edit::Duplicate { at, len } => {
            let a = boundary(text, *at);
            let b = end(text, a, *len);
            let copy = text[a..b].to_string();
            text.insert_str(b, &copy);
        }
        Edit::Truncate { at } => {
            let a = boundary(text, *at);
            text.truncate(a);
        }
    }
}

/// Parse and check the outcome is a tree or a sane located error.
fn parse_is_well_behaved(text: &str) -> Result<(), TestCaseError> {
    match verilog::parse::parse_source(text, "mutant.v") {
        Ok(_) => Ok(()),
        Err(verilog::Error::At(at)) => {
            let (file, line, column, message) = (at.file, at.pos.line, at.pos.col, at.message);
            let Some(excerpt) = at.excerpt else {
                return Err(TestCaseError::fail("a syntax error without its line"));
            };
            let (line_text, caret) = (excerpt.line_text, excerpt.caret);
            let lines = text.split('\n').count() as u32;
            prop_assert_eq!(file, "mutant.v");
            prop_assert!(line >= 1 && line <= lines, "line {} of {}", line, lines);
            prop_assert!(column >= 1);
            prop_assert!(!message.is_empty());
            let want = text.split('\n').nth(line as usize - 1).unwrap();
            prop_assert_eq!(line_text.as_str(), want.trim_end_matches('\r'));
            prop_assert_eq!(caret.chars().count(), column as usize);
            prop_assert!(column as usize <= line_text.chars().count() + 1);
            Ok(())
        }
        Err(e) => Err(TestCaseError::fail(format!("unexpected error kind: {e}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn mutated_small_netlist_never_panics(edits in prop::collection::vec(edit(), 1..4)) {
        let mut text = netlist_text("ref_small_ng45");
        for e in &edits {
            apply(&mut text, e);
        }
        parse_is_well_behaved(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn mutated_mac_netlist_never_panics(edits in prop::collection::vec(edit(), 1..3)) {
        let mut text = netlist_text("ref_mac8u_sg13g2");
        for e in &edits {
            apply(&mut text, e);
        }
        parse_is_well_behaved(&text)?;
    }
}

/// Bits of `value` (at most 64 significant) as `width` bits, LSB first.
fn value_bits(value: u64, width: usize) -> Vec<Bit> {
    (0..width)
        .map(|k| {
            if k < 64 && (value >> k) & 1 == 1 {
                Bit::One
            } else {
                Bit::Zero
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn sized_constants_read_back_their_value(
        value in any::<u64>(),
        extra in 0usize..8,
        base in 0usize..4,
    ) {
        let needed = (64 - value.leading_zeros() as usize).max(1);
        let width = needed + extra;
        let literal = match base {
            0 => format!("{width}'b{value:b}"),
            1 => format!("{width}'o{value:o}"),
            2 => format!("{width}'d{value}"),
            _ => format!("{width}'h{value:X}"),
        };
        let text = format!("module m; assign y = {literal}; endmodule");
        let src = verilog::parse::parse_source(&text, "c.v").unwrap();
        prop_assert_eq!(
            &src.modules[0].assigns[0].rhs,
            &Expr::Const(value_bits(value, width)),
            "{}", literal
        );
    }
}
