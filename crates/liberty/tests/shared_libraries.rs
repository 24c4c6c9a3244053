//! Every library in shared/liberty loads, with the cell count the file holds
//! (extra cases: skipped, with a notice, when ../shared is not there).

mod common;

use liberty::read_library;

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
        let Some(path) = common::shared_path(file, "cell count") else {
            continue;
        };
        let lib = read_library(path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(lib.cells.len(), cells, "{file}");
        for (k, c) in lib.cells.iter().enumerate() {
            assert_eq!(lib.cell_id(&c.name), Some(k), "{file}: {}", c.name);
        }
    }
}
