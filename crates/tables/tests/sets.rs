//! `read_sets`, the one reader of `V=DIR` arguments: voltages from
//! meta.json, directories kept with their sets, and its refusals.

use tables::{read_sets, LabelledDir, Meta, Tables};

/// A 1 × 2 set characterized at `vdd_v`, saved into a new directory.
fn saved(vdd_v: f64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let meta = Meta::synthetic(vec![0], vec![0, 1], vdd_v);
    Tables::new(meta, vec![1.0; 4], vec![0.1; 4], None)
        .unwrap()
        .save(dir.path())
        .unwrap();
    dir
}

fn args(list: &[String]) -> Vec<LabelledDir> {
    list.iter().map(|a| a.parse().unwrap()).collect()
}

#[test]
fn sets_keep_their_order_directory_and_meta_voltage() {
    let (hi, lo) = (saved(1.5), saved(1.2));
    let given = args(&[
        format!("{}", hi.path().display()),
        format!("1.2={}", lo.path().display()),
    ]);
    let sets = read_sets(&given).unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!((sets[0].vdd_v, sets[0].dir.as_path()), (1.5, hi.path()));
    assert_eq!((sets[1].vdd_v, sets[1].dir.as_path()), (1.2, lo.path()));
    assert_eq!(sets[1].tables, Tables::load(lo.path()).unwrap());
}

#[test]
fn a_bad_directory_is_named_before_its_cause() {
    let good = saved(1.2);
    let missing = good.path().join("nowhere");
    let err = read_sets(&args(&[
        format!("{}", good.path().display()),
        format!("{}", missing.display()),
    ]))
    .unwrap_err()
    .to_string();
    let prefix = format!("reading table directory {}: ", missing.display());
    assert!(err.starts_with(&prefix), "{err}");
    assert!(err.contains("meta.json"), "{err}");

    // A label that is not meta.json's voltage: the directory, then why.
    let err = read_sets(&args(&[format!("1.5={}", good.path().display())]))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "reading table directory {}: ",
            good.path().display()
        )) && err.contains("labelled 1.5 V but were characterized at 1.2 V"),
        "{err}"
    );
}

#[test]
fn two_sets_at_one_voltage_are_refused() {
    let (a, b) = (saved(1.2), saved(1.2));
    let err = read_sets(&args(&[
        format!("{}", a.path().display()),
        format!("{}", b.path().display()),
    ]))
    .unwrap_err()
    .to_string();
    assert_eq!(err, "two table sets at 1.2 V");
}
