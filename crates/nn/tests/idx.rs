//! The IDX reader on hand-made files, and the installed Fashion-MNIST.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;
use nn::data::{read_idx_u8, FashionMnist, Split, DEFAULT_FASHION_DIR};
use nn::NnError;

/// Header: magic (00 00 08 DD) then big-endian u32 sizes.
fn idx_bytes(magic: u32, dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut v = magic.to_be_bytes().to_vec();
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v.extend_from_slice(data);
    v
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn reads_images_raw_and_gzip() {
    let dir = tempfile::tempdir().unwrap();
    // Two 2×3 images: 0x00000803 = unsigned bytes, 3 dimensions.
    let data: Vec<u8> = (1..=12).collect();
    let raw = idx_bytes(0x0000_0803, &[2, 2, 3], &data);
    assert_eq!(&raw[..4], &[0, 0, 8, 3]);
    for (name, bytes) in [("raw", raw.clone()), ("gz", gz(&raw))] {
        let p = write(dir.path(), name, &bytes);
        let idx = read_idx_u8(&p, 3, None).unwrap();
        assert_eq!(idx.dims, vec![2, 2, 3], "{name}");
        assert_eq!(idx.header_items, 2);
        assert_eq!(idx.data, data, "{name}");
    }
}

#[test]
fn reads_labels_and_cuts_to_max_items() {
    let dir = tempfile::tempdir().unwrap();
    // 0x00000801: unsigned bytes, 1 dimension of 4 labels.
    let p = write(
        dir.path(),
        "l",
        &idx_bytes(0x0000_0801, &[4], &[7, 0, 9, 3]),
    );
    let all = read_idx_u8(&p, 1, None).unwrap();
    assert_eq!(all.data, vec![7, 0, 9, 3]);
    let two = read_idx_u8(&p, 1, Some(2)).unwrap();
    assert_eq!(two.dims, vec![2]);
    assert_eq!(two.header_items, 4);
    assert_eq!(two.data, vec![7, 0]);
}

fn message(e: NnError) -> String {
    e.to_string()
}

#[test]
fn wrong_magic_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // A labels file where images are expected.
    let p = write(dir.path(), "images", &idx_bytes(0x0000_0801, &[1], &[0]));
    let m = message(read_idx_u8(&p, 3, None).unwrap_err());
    assert!(m.contains("images"), "{m}");
    assert!(m.contains("0x00000801") && m.contains("0x00000803"), "{m}");
    // Element type 0x0D (float) is not unsigned bytes.
    let p = write(
        dir.path(),
        "floats",
        &idx_bytes(0x0000_0D01, &[1], &[0, 0, 0, 0]),
    );
    assert!(message(read_idx_u8(&p, 1, None).unwrap_err()).contains("0x00000801"));
}

#[test]
fn short_long_and_empty_files_fail() {
    let dir = tempfile::tempdir().unwrap();
    // Header promises 3 labels, 2 follow.
    let p = write(dir.path(), "short", &idx_bytes(0x0000_0801, &[3], &[1, 2]));
    let m = message(read_idx_u8(&p, 1, None).unwrap_err());
    assert!(m.contains("short") && m.contains("ends early"), "{m}");
    // Header promises 1 label, 2 follow.
    let p = write(dir.path(), "long", &idx_bytes(0x0000_0801, &[1], &[1, 2]));
    assert!(message(read_idx_u8(&p, 1, None).unwrap_err()).contains("longer"));
    // Cut inside the dimension sizes.
    let p = write(dir.path(), "cut", &[0, 0, 8, 3, 0, 0]);
    assert!(message(read_idx_u8(&p, 3, None).unwrap_err()).contains("dimension"));
    let p = write(dir.path(), "empty", &[]);
    assert!(message(read_idx_u8(&p, 1, None).unwrap_err()).contains("magic"));
    let m = message(read_idx_u8(&dir.path().join("absent"), 1, None).unwrap_err());
    assert!(m.contains("absent"), "{m}");
}

#[test]
fn missing_dataset_says_how_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let m = message(
        FashionMnist::new(dir.path())
            .load(Split::Test, Some(1))
            .unwrap_err(),
    );
    assert!(m.contains("apt-get install dataset-fashion-mnist"), "{m}");
    assert!(m.contains("t10k-images-idx3-ubyte"), "{m}");
}

#[test]
fn bad_label_and_count_mismatch_fail() {
    let dir = tempfile::tempdir().unwrap();
    let img = idx_bytes(0x0000_0803, &[2, 1, 1], &[0, 255]);
    write(dir.path(), "t10k-images-idx3-ubyte.gz", &gz(&img));
    // Label 10 is not a class.
    write(
        dir.path(),
        "t10k-labels-idx1-ubyte",
        &idx_bytes(0x0000_0801, &[2], &[3, 10]),
    );
    let m = message(
        FashionMnist::new(dir.path())
            .load(Split::Test, None)
            .unwrap_err(),
    );
    assert!(m.contains("label 10"), "{m}");
    write(
        dir.path(),
        "t10k-labels-idx1-ubyte",
        &idx_bytes(0x0000_0801, &[1], &[3]),
    );
    let m = message(
        FashionMnist::new(dir.path())
            .load(Split::Test, None)
            .unwrap_err(),
    );
    assert!(m.contains("1 labels") && m.contains("2 images"), "{m}");
}

/// Facts of the data set: 60,000 training and 10,000 test images of 28×28,
/// labels 0–9. CI installs Debian's dataset-fashion-mnist.
#[test]
fn installed_fashion_mnist_has_the_published_shape() {
    let fm = FashionMnist::new(DEFAULT_FASHION_DIR);
    let train = fm.load(Split::Train, Some(300)).unwrap();
    let test = fm.load(Split::Test, Some(300)).unwrap();
    assert_eq!((train.file_images, test.file_images), (60_000, 10_000));
    assert_eq!((train.rows, train.cols, train.len()), (28, 28, 300));
    assert_eq!(train.pixels.len(), 300 * 784);
    // 300 images of a balanced 10-class set hold every class.
    for c in 0..10u8 {
        assert!(train.labels.contains(&c), "class {c} missing");
    }
}
