//! A table directory is whole or refused: the manifest written last, the
//! checksums, negative energies and the voltage label.

use testdata::file_names;

use tables::{
    LabelledDir, Meta, Tables, DELAY_FILE, ENERGY_FILE, MANIFEST_FILE, META_FILE, PER_WEIGHT_FILE,
    TOGGLES_FILE,
};

fn meta(voltage_v: f64) -> Meta {
    Meta::synthetic(vec![0, 1], vec![0, 1], voltage_v)
}

/// 2 weights × 2 acts, energies `scale·(1..8)` fJ, delays a tenth of 1..8 ns.
fn tables(voltage_v: f64, scale: f32) -> Tables {
    let energy = (1..=8).map(|i| scale * i as f32).collect();
    let delay = (1..=8).map(|i| i as f32 / 10.0).collect();
    Tables::new(meta(voltage_v), energy, delay, Some(vec![1.0; 8])).unwrap()
}

#[test]
fn a_saved_set_is_exactly_its_files_and_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    // A temporary a killed earlier save left behind goes away.
    std::fs::write(dir.path().join(".tmpXYZ"), b"half").unwrap();
    tables(1.2, 1.0).save(dir.path()).unwrap();
    assert_eq!(
        file_names(dir.path()),
        [
            DELAY_FILE,
            ENERGY_FILE,
            MANIFEST_FILE,
            META_FILE,
            PER_WEIGHT_FILE,
            TOGGLES_FILE
        ]
    );
    assert_eq!(Tables::load(dir.path()).unwrap(), tables(1.2, 1.0));
}

/// What a kill between the renames of a second save leaves: some files of
/// the new set among the old ones. Without a manifest (a save removes it
/// first) the set is refused as incomplete; with a manifest left over, the
/// checksums catch the mix.
#[test]
fn a_mixed_set_is_refused() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tables(1.2, 1.0).save(old.path()).unwrap();
    tables(1.2, 2.0).save(new.path()).unwrap();
    std::fs::copy(new.path().join(ENERGY_FILE), old.path().join(ENERGY_FILE)).unwrap();

    let err = Tables::load(old.path()).unwrap_err().to_string();
    assert!(
        err.contains(ENERGY_FILE) && err.contains("SHA-256"),
        "{err}"
    );

    std::fs::remove_file(old.path().join(MANIFEST_FILE)).unwrap();
    let err = Tables::load(old.path()).unwrap_err().to_string();
    assert!(
        err.contains(MANIFEST_FILE) && err.contains("incomplete"),
        "{err}"
    );
}

#[test]
fn a_directory_without_tables_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let err = Tables::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("not a table directory"), "{err}");
}

#[test]
fn a_stray_toggles_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let t = tables(1.2, 1.0);
    let no_toggles = Tables::new(
        t.meta().clone(),
        t.energy_fj_array().to_vec(),
        t.delay_ns_array().to_vec(),
        None,
    )
    .unwrap();
    no_toggles.save(dir.path()).unwrap();
    std::fs::write(dir.path().join(TOGGLES_FILE), b"x").unwrap();
    let err = Tables::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains(TOGGLES_FILE), "{err}");
}

/// Non-finite energies are refused when read; so is a weight whose mean
/// energy is negative (it would give a negative power baseline). A single
/// negative transition is real (SKY130's internal power makes some) and
/// stays.
#[test]
fn negative_mean_and_non_finite_energies_are_refused() {
    for bad in [f32::NAN, f32::INFINITY] {
        let dir = tempfile::tempdir().unwrap();
        tables(1.2, 1.0).save(dir.path()).unwrap();
        let mut energy = vec![1.0f32; 8];
        energy[5] = bad;
        let bytes = tables::npy_f32_bytes(&[2, 2, 2], &energy).unwrap();
        std::fs::write(dir.path().join(ENERGY_FILE), bytes).unwrap();
        tables::seal(dir.path()).unwrap();
        let err = Tables::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(ENERGY_FILE) && err.contains("flat index 5"),
            "{bad}: {err}"
        );
    }
    // Weight 1 (flat 4..8): mean (1 + 1 - 5 + 1) / 4 = -0.5 fJ.
    let dir = tempfile::tempdir().unwrap();
    tables(1.2, 1.0).save(dir.path()).unwrap();
    let mut energy = vec![1.0f32; 8];
    energy[6] = -5.0;
    let bytes = tables::npy_f32_bytes(&[2, 2, 2], &energy).unwrap();
    std::fs::write(dir.path().join(ENERGY_FILE), bytes).unwrap();
    tables::seal(dir.path()).unwrap();
    let err = Tables::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains(ENERGY_FILE) && err.contains("weight 1: mean energy per transition -0.5 fJ"),
        "{err}"
    );
    let err = Tables::new(meta(1.2), vec![-0.5; 8], vec![0.0; 8], None).unwrap_err();
    assert!(err.to_string().contains("weight 0: mean energy"), "{err}");
    // One negative transition in a weight whose mean is positive: kept.
    let mut energy = vec![1.0f32; 8];
    energy[6] = -2.0;
    let t = Tables::new(meta(1.2), energy, vec![0.0; 8], None).unwrap();
    assert_eq!(t.energy_fj(1, 1, 0), -2.0);
    assert!((t.per_weight()[1].mean_energy_fj - 0.25).abs() < 1e-12);
}

/// `--tables V=DIR`: the label must agree with meta.json to 1 mV; the
/// voltage used is meta.json's.
#[test]
fn voltage_label_must_agree_with_meta() {
    let dir = tempfile::tempdir().unwrap();
    tables(1.2, 1.0).save(dir.path()).unwrap();
    let d = dir.path().display();
    for ok in [format!("{d}"), format!("1.2={d}"), format!("1.2004={d}")] {
        let set = ok.parse::<LabelledDir>().unwrap().load().unwrap();
        assert_eq!(set.vdd_v, 1.2, "{ok}");
    }
    for bad in ["1.5", "0.5", "1.202", "NaN"] {
        let err = format!("{bad}={d}")
            .parse::<LabelledDir>()
            .unwrap()
            .load()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("labelled {bad} V")) && err.contains("1.2 V"),
            "{err}"
        );
    }
    let err = format!("1,2={d}").parse::<LabelledDir>().unwrap_err();
    assert!(err.contains("expected V=DIR"), "{err}");
}
