//! The shipped defaults in `liberty/` are the shared SG13G2 libraries,
//! rewritten by our writer without changing anything the model holds.

mod common;

use common::{assert_same_model, shared_path};
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
        let source = read_library(shared_path(file)).unwrap();
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
