//! The shipped defaults in `liberty/` and the NanGate45 subset in
//! `tests/fixtures/liberty/` are the shared libraries, rewritten by our writer
//! without changing anything the model holds (extra cases: they need the
//! sources in ../shared).

mod common;

use common::{assert_same_model, assert_same_settings, repo_path, shared_path};
use liberty::read_library;

#[test]
fn shipped_sg13g2_libraries_match_their_sources() {
    for file in [
        "sg13g2_stdcell_typ_1p20V_25C.lib",
        "sg13g2_stdcell_typ_1p50V_25C.lib",
    ] {
        let shipped = read_library(format!(
            "{}/../../liberty/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let Some(source) = shared_path(file, "shipped library source") else {
            continue;
        };
        let source = read_library(source).unwrap();
        assert_same_model(&shipped, &source);
        // The Apache-2.0 notice of the source comes along.
        assert!(
            shipped
                .preamble
                .contains("Licensed under the Apache License, Version 2.0"),
            "{file}"
        );
        assert_eq!(
            shipped.preamble.lines().next(),
            source.preamble.lines().next()
        );
    }
}

#[test]
fn nangate45_fixture_subset_matches_its_source() {
    let subset = read_library(repo_path("nangate45_typ.lib.gz")).unwrap();
    // The cells tests/fixtures/make_fixtures.sh keeps, in the source's order.
    assert_eq!(subset.cells.len(), 27);
    assert!(subset.preamble.contains("Nangate"));
    let Some(source) = shared_path("nangate45_typ.lib.gz", "NanGate45 subset source") else {
        return;
    };
    let source = read_library(source).unwrap();
    assert_same_settings(&subset, &source);
    for cell in &subset.cells {
        let theirs = source
            .cell(&cell.name)
            .unwrap_or_else(|| panic!("{} not in the source", cell.name));
        assert!(cell == theirs, "{} differs from the source", cell.name);
    }
}
