//! Sizes in an IDX header are checked against the data before anything is
//! allocated: a header promising 0xFFFFFFFF items is a clear error.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use nn::data::read_idx_u8;

#[test]
fn a_lying_item_count_is_an_error_not_an_allocation() {
    let dir = tempfile::tempdir().unwrap();
    // Labels (1 dimension) and images (3 dimensions of 28 × 28).
    for (dims, header) in [
        (1usize, vec![0x0000_0801u32, 0xFFFF_FFFF]),
        (3, vec![0x0000_0803, 0xFFFF_FFFF, 28, 28]),
        (3, vec![0x0000_0803, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]),
    ] {
        let mut bytes: Vec<u8> = header.iter().flat_map(|d| d.to_be_bytes()).collect();
        bytes.extend_from_slice(&[7u8; 100]);
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&bytes).unwrap();
        for (name, data) in [("raw", bytes.clone()), ("gz", gz.finish().unwrap())] {
            let p = dir.path().join(name);
            std::fs::write(&p, &data).unwrap();
            let err = read_idx_u8(&p, dims, None).unwrap_err().to_string();
            assert!(err.contains(name), "{err}");
            assert!(
                err.contains("ends early") || err.contains("overflow"),
                "{dims} {name}: {err}"
            );
        }
    }
}
