//! Damaged real library text never panics: reading returns a model or a
//! located error.

use liberty::Library;
use proptest::prelude::*;

/// The SG13G2 header (units, templates) and its first cell, closed off: a
/// small but real library, so each case parses in about a millisecond.
fn seed() -> String {
    let path = testdata::liberty("sg13g2_stdcell_typ_1p20V_25C.lib");
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.find("\n  cell (").unwrap();
    let second = first + 1 + text[first + 1..].find("\n  cell (").unwrap();
    format!("{}\n}}\n", &text[..second])
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    /// Delete the n-th occurrence (modulo the count) of one of `{}"();`.
    DeleteDelimiter(usize, u8),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (
            any::<usize>(),
            prop::sample::select(b"{}\"();\\,:".to_vec())
        )
            .prop_map(|(n, d)| Mutation::DeleteDelimiter(n, d)),
        (any::<usize>(), 1usize..200).prop_map(|(p, l)| Mutation::Duplicate(p, l)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match *m {
        Mutation::Truncate(p) => bytes.truncate(p % bytes.len()),
        Mutation::Flip(p, b) => {
            let n = bytes.len();
            bytes[p % n] = b;
        }
        Mutation::DeleteDelimiter(n, d) => {
            let hits: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == d)
                .map(|(i, _)| i)
                .collect();
            if !hits.is_empty() {
                bytes.remove(hits[n % hits.len()]);
            }
        }
        Mutation::Duplicate(p, len) => {
            let start = p % bytes.len();
            let end = (start + len).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(start..start, copy);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn damaged_text_reads_or_fails_located(mutations in prop::collection::vec(mutation(), 1..5)) {
        let seed = seed();
        let mut bytes = seed.into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Library::from_text(&text, "mutant.lib") {
            prop_assert!(e.location().is_some(), "{e}");
        }
    }
}

#[test]
fn the_seed_itself_reads() {
    let lib = Library::from_text(&seed(), "seed.lib").unwrap();
    assert_eq!(lib.cells.len(), 1);
}

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
