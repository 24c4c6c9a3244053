//! Every library in shared/liberty loads, with the cell count the file holds.

use liberty::read_library;

fn shared(name: &str) -> String {
    format!(
        "{}/../../../shared/liberty/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Cell counts from shared/README.md's table (and `grep -c '^ *cell *('` on the files).
const LIBRARIES: [(&str, usize); 8] = [
    ("nangate45_typ.lib.gz", 134),
    ("nangate45_slow.lib.gz", 134),
    ("nangate45_fast.lib.gz", 134),
    ("sg13g2_stdcell_typ_1p20V_25C.lib", 78),
    ("sg13g2_stdcell_typ_1p50V_25C.lib", 78),
    ("sky130hd_tt.lib.gz", 428),
    ("asap7_small_ff.lib.gz", 3),
    ("asap7_small_ss.lib.gz", 3),
];

#[test]
fn every_shared_library_loads_with_its_cell_count() {
    for (file, cells) in LIBRARIES {
        let lib = read_library(shared(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(lib.cells.len(), cells, "{file}");
        for (k, c) in lib.cells.iter().enumerate() {
            assert_eq!(lib.cell_id(&c.name), Some(k), "{file}: {}", c.name);
        }
    }
}
