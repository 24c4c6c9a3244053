//! Tests of the table-directory format. Expected values are worked out by
//! hand in the comments next to them.

use super::*;

fn meta(weights: Vec<i64>, acts: Vec<i64>) -> Meta {
    Meta {
        netlist_hash: "00".repeat(32),
        netlist_file: "mac.v".into(),
        top: "mac".into(),
        library: LibraryInfo {
            name: "lib".into(),
            voltage_v: 0.8,
            file: "lib.lib".into(),
        },
        weight_port: PortInfo {
            name: "w".into(),
            width: 2,
            signed: true,
        },
        act_port: PortInfo {
            name: "a".into(),
            width: 2,
            signed: false,
        },
        psum_port: PortInfo {
            name: "p".into(),
            width: 8,
            signed: true,
        },
        weights,
        acts,
        psum_model: crate::psum::PsumModel::Zero,
        psum_samples: 1,
        seed: 7,
        psum_trace_sha256: None,
        psum_trace_draw: None,
        clock_period_ns: 2.0,
        sta_worst_delay_ns: 1.5,
        leakage_w: 1e-6,
        units: [("energy".to_string(), "fJ".to_string())].into(),
        tool_version: "test".into(),
        runtime_s: 0.0,
    }
}

/// 2 weights × 2 acts: energy = 1..8 fJ in row-major order, delay = a tenth
/// of that.
fn small() -> Tables {
    let energy: Vec<f32> = (1..=8).map(|i| i as f32).collect();
    let delay: Vec<f32> = (1..=8).map(|i| i as f32 / 10.0).collect();
    Tables::new(meta(vec![0, -1], vec![0, 1]), energy, delay, None).unwrap()
}

#[test]
fn accessors_index_row_major() {
    let t = small();
    // Flat index (wi·A + ai)·A + aj with A = 2: (1,0,1) → 5 → value 6.
    assert_eq!(t.energy_fj(1, 0, 1), 6.0);
    // (0,1,0) → 2 → value 3, delay 0.3.
    assert_eq!(t.delay_ns(0, 1, 0), 0.3);
    assert_eq!(t.toggles(0, 0, 0), None);
    assert_eq!(t.weight_index(-1), Some(1));
    assert_eq!(t.act_index(1), Some(1));
    assert_eq!(t.act_index(5), None);
}

#[test]
fn per_weight_rows_by_hand() {
    let t = small();
    // Weight 0: energies 1,2,3,4 → mean 2.5 fJ; period 2 ns →
    // 2.5 fJ / 2 ns = 1.25e-6 W. Delays 0.1..0.4: max 0.4; p99 rank
    // ceil(0.99·4) = 4 → 0.4 (as f32, widened).
    let r = &t.per_weight()[0];
    assert_eq!(r.weight, 0);
    assert_eq!(r.mean_energy_fj, 2.5);
    assert!((r.mean_power_w - 1.25e-6).abs() < 1e-18);
    assert_eq!(r.max_delay_ns, f64::from(0.4f32));
    assert_eq!(r.p99_delay_ns, f64::from(0.4f32));
    assert_eq!(r.mean_toggles, None);
    // Weight -1: energies 5..8 → mean 6.5 fJ.
    assert_eq!(t.per_weight()[1].mean_energy_fj, 6.5);
}

#[test]
fn nearest_rank_by_hand() {
    let v: Vec<f32> = (1..=100).map(|i| i as f32).collect();
    // n = 100: p99 → rank 99 → 99; p100 → 100; p1 → rank 1 → 1.
    assert_eq!(nearest_rank_percentile(&v, 99.0), 99.0);
    assert_eq!(nearest_rank_percentile(&v, 100.0), 100.0);
    assert_eq!(nearest_rank_percentile(&v, 1.0), 1.0);
    // n = 4, unsorted input: p50 → rank ceil(2) = 2 → second smallest = 2;
    // p0 → rank clamped to 1 → 1.
    let w = [4.0f32, 1.0, 3.0, 2.0];
    assert_eq!(nearest_rank_percentile(&w, 50.0), 2.0);
    assert_eq!(nearest_rank_percentile(&w, 0.0), 1.0);
    // n = 3, p99 → rank ceil(2.97) = 3 → max.
    assert_eq!(nearest_rank_percentile(&[0.5, 0.0, 0.2], 99.0), 0.5);
    assert_eq!(nearest_rank_percentile(&[], 99.0), 0.0);
}

#[test]
fn round_trip_and_deterministic_bytes() {
    let t = small();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    t.save(a.path()).unwrap();
    t.save(b.path()).unwrap();
    let back = Tables::load(a.path()).unwrap();
    assert_eq!(back, t);
    for f in [ENERGY_FILE, DELAY_FILE, PER_WEIGHT_FILE, META_FILE] {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        assert_eq!(x, y, "{f} differs between two saves");
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn toggles_round_trip_and_stale_file_removed() {
    let base = small();
    let toggles: Vec<f32> = vec![0.0, 1.0, 2.0, 3.0, 4.0, 4.0, 4.0, 4.0];
    let t = Tables::new(
        base.meta().clone(),
        base.energy_fj_array().to_vec(),
        base.delay_ns_array().to_vec(),
        Some(toggles),
    )
    .unwrap();
    // Weight 0: toggles 0,1,2,3 → mean 1.5; weight -1: all 4 → 4.
    assert_eq!(t.per_weight()[0].mean_toggles, Some(1.5));
    assert_eq!(t.per_weight()[1].mean_toggles, Some(4.0));
    let dir = tempfile::tempdir().unwrap();
    t.save(dir.path()).unwrap();
    assert_eq!(Tables::load(dir.path()).unwrap(), t);
    // Saving tables without toggles over it must not leave the old file.
    base.save(dir.path()).unwrap();
    assert!(!dir.path().join(TOGGLES_FILE).exists());
    assert_eq!(Tables::load(dir.path()).unwrap(), base);
}

#[test]
fn per_weight_csv_text() {
    let t = small();
    // Weight 0: 2.5 fJ, 1.25e-6 W (2.5/2·1e-6 computed as 1.25·1e-6, which
    // is exactly what the code prints), max = p99 = 0.4f32 widened to f64.
    // Weight -1: energies 5..8 → 6.5 fJ → 3.25e-6 W, delays 0.5..0.8 → 0.8f32.
    let w0 = format!(
        "0,2.5,{},{},{},",
        2.5f64 / 2.0 * 1e-6,
        f64::from(0.4f32),
        f64::from(0.4f32)
    );
    let w1 = format!(
        "-1,6.5,{},{},{},",
        6.5f64 / 2.0 * 1e-6,
        f64::from(0.8f32),
        f64::from(0.8f32)
    );
    assert_eq!(
        t.per_weight_csv(),
        format!("{PER_WEIGHT_HEADER}\n{w0}\n{w1}\n")
    );
}

/// The NPY 1.0 layout, checked byte by byte against the format description:
/// magic `\x93NUMPY`, version 1.0, u16 little-endian header length, an ASCII
/// Python dict literal padded with spaces and ended by `\n` so that the data
/// starts at a multiple of 64 bytes, then the raw little-endian values.
#[test]
fn npy_header_bytes_follow_the_spec() {
    let values: Vec<f32> = (0..18).map(|i| i as f32).collect();
    let bytes = npy_f32_bytes(&[2, 3, 3], &values).unwrap();
    assert_eq!(&bytes[0..6], b"\x93NUMPY");
    assert_eq!(bytes[6], 1, "major version");
    assert_eq!(bytes[7], 0, "minor version");
    // Dict: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 3, ), }`
    // counted: "{'descr': " 10 + "'<f4'" 5 + ", 'fortran_order': " 19
    // + "False" 5 + ", 'shape': (" 12 + "2, 3, 3, " 9 + "), }" 4 = 64 chars.
    // (The trailing comma in the tuple is valid Python; numpy parses it
    // with its literal evaluator.) 10 preamble bytes + 64 = 74, so padding
    // to 128 needs 128 − 74 = 54 bytes: 53 spaces and the newline. The
    // header length field is therefore 64 + 54 = 118 = 0x76.
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 118);
    let dict = b"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 3, ), }";
    assert_eq!(dict.len(), 64);
    assert_eq!(&bytes[10..74], &dict[..]);
    assert!(bytes[74..127].iter().all(|&b| b == b' '));
    assert_eq!(bytes[127], b'\n');
    // Data: 18 f32 = 72 bytes from offset 128. 1.0f32 = 0x3F80_0000, stored
    // little-endian as 00 00 80 3F at offset 128 + 4.
    assert_eq!(bytes.len(), 128 + 72);
    assert_eq!(&bytes[128..132], &[0, 0, 0, 0]);
    assert_eq!(&bytes[132..136], &[0x00, 0x00, 0x80, 0x3F]);
    // 17.0 = 1.0625 · 2^4: exponent 127 + 4 = 131 = 0x83, mantissa
    // 0.0625 = 2^-4 → bit 19 → 0x41880000 → 00 00 88 41.
    assert_eq!(&bytes[196..200], &[0x00, 0x00, 0x88, 0x41]);
}

#[test]
fn npy_bytes_refuse_wrong_length() {
    assert!(matches!(
        npy_f32_bytes(&[2, 2], &[1.0; 3]),
        Err(TablesError::Data { .. })
    ));
}

fn err_text(e: TablesError) -> String {
    e.to_string()
}

#[test]
fn missing_array_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    small().save(dir.path()).unwrap();
    std::fs::remove_file(dir.path().join(DELAY_FILE)).unwrap();
    let e = Tables::load(dir.path()).unwrap_err();
    assert!(matches!(e, TablesError::Io { .. }));
    assert!(err_text(e).contains(DELAY_FILE));
}

#[test]
fn misshaped_array_names_file_and_shape() {
    let dir = tempfile::tempdir().unwrap();
    small().save(dir.path()).unwrap();
    // meta says 2 weights × 2 acts → [2, 2, 2]; write [2, 4] instead.
    let bad = npy_f32_bytes(&[2, 4], &[0.0; 8]).unwrap();
    std::fs::write(dir.path().join(ENERGY_FILE), bad).unwrap();
    seal(dir.path()).unwrap();
    let text = err_text(Tables::load(dir.path()).unwrap_err());
    assert!(text.contains(ENERGY_FILE), "{text}");
    assert!(text.contains("expected shape [2, 2, 2]"), "{text}");
}

#[test]
fn garbage_npy_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    small().save(dir.path()).unwrap();
    std::fs::write(dir.path().join(ENERGY_FILE), b"not numpy").unwrap();
    seal(dir.path()).unwrap();
    let e = Tables::load(dir.path()).unwrap_err();
    assert!(matches!(e, TablesError::Npy { .. }), "{e}");
    assert!(err_text(e).contains(ENERGY_FILE));
}

#[test]
fn truncated_npy_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    small().save(dir.path()).unwrap();
    let full = std::fs::read(dir.path().join(DELAY_FILE)).unwrap();
    std::fs::write(dir.path().join(DELAY_FILE), &full[..full.len() - 4]).unwrap();
    let text = err_text(Tables::load(dir.path()).unwrap_err());
    assert!(text.contains(DELAY_FILE), "{text}");
}

#[test]
fn meta_field_errors_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    small().save(dir.path()).unwrap();
    let meta_path = dir.path().join(META_FILE);
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    json["acts"] = serde_json::json!([1, 0]);
    std::fs::write(&meta_path, json.to_string()).unwrap();
    seal(dir.path()).unwrap();
    let e = Tables::load(dir.path()).unwrap_err();
    assert!(matches!(e, TablesError::Meta { field: "acts", .. }), "{e}");
    assert!(err_text(e).contains(META_FILE));

    json.as_object_mut().unwrap().remove("clock_period_ns");
    std::fs::write(&meta_path, json.to_string()).unwrap();
    seal(dir.path()).unwrap();
    let text = err_text(Tables::load(dir.path()).unwrap_err());
    assert!(text.contains("clock_period_ns"), "{text}");
    assert!(text.contains(META_FILE), "{text}");
}

#[test]
fn non_finite_and_negative_values_rejected() {
    let m = meta(vec![0], vec![0]);
    let e = Tables::new(m.clone(), vec![f32::NAN], vec![0.0], None).unwrap_err();
    assert!(err_text(e).contains("finite"));
    let e = Tables::new(m.clone(), vec![1.0], vec![-0.5], None).unwrap_err();
    assert!(err_text(e).contains(">= 0"));
    let e = Tables::new(m, vec![1.0, 2.0], vec![0.0], None).unwrap_err();
    assert!(err_text(e).contains("expected weights × acts × acts = 1"));
}

#[test]
fn f64_arrays_are_accepted() {
    use npyz::WriterBuilder;
    let dir = tempfile::tempdir().unwrap();
    let t = small();
    t.save(dir.path()).unwrap();
    // What `np.save` writes by default: '<f8'.
    let mut out = Vec::new();
    let mut w = npyz::WriteOptions::<f64>::new()
        .dtype(npyz::DType::parse("'<f8'").unwrap())
        .shape(&[2, 2, 2])
        .writer(&mut out)
        .begin_nd()
        .unwrap();
    w.extend((1..=8).map(f64::from)).unwrap();
    w.finish().unwrap();
    std::fs::write(dir.path().join(ENERGY_FILE), out).unwrap();
    seal(dir.path()).unwrap();
    assert_eq!(Tables::load(dir.path()).unwrap(), t);
}

#[test]
fn read_npy_f64_reads_ints_and_reports_shape() {
    use npyz::WriterBuilder;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.npy");
    let mut out = Vec::new();
    let mut w = npyz::WriteOptions::<i64>::new()
        .dtype(npyz::DType::parse("'<i8'").unwrap())
        .shape(&[3])
        .writer(&mut out)
        .begin_nd()
        .unwrap();
    w.extend([5i64, 0, 7]).unwrap();
    w.finish().unwrap();
    std::fs::write(&path, out).unwrap();
    let a = read_npy_f64(&path).unwrap();
    assert_eq!(a.shape, vec![3]);
    assert_eq!(a.data, vec![5.0, 0.0, 7.0]);
}

#[test]
fn failed_atomic_write_names_the_file_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/x.npy");
    let err = write_atomic(&missing, b"new").unwrap_err().to_string();
    assert!(err.contains(&missing.display().to_string()), "{err}");
    // A directory in the way: the rename fails, it stays, no temporary is left.
    let busy = dir.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("old"), "old").unwrap();
    let err = write_atomic(&busy, b"new").unwrap_err().to_string();
    assert!(err.contains(&busy.display().to_string()), "{err}");
    assert_eq!(std::fs::read_to_string(busy.join("old")).unwrap(), "old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Outputs are shared: an atomically written file gets the same mode as one
/// made by `File::create` in the same place (0o666 less the umask), not the
/// owner-only mode temporary files are created with.
#[cfg(unix)]
#[test]
fn atomic_write_gives_the_mode_of_a_created_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    std::fs::File::create(&plain).unwrap();
    let atomic = dir.path().join("atomic.npy");
    write_atomic(&atomic, b"x").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&atomic), mode(&plain));
}

/// Each psum model reads as its own sentence; a trace hash that is not
/// plain hex is shortened by characters, never cut inside one.
#[test]
fn psum_assumption_names_the_model() {
    let mut m = meta(vec![0], vec![0, 1]);
    m.psum_trace_sha256 = Some("ééééééééééééééé".into());
    for (model, samples, expected) in [
        (PsumModel::Zero, 1, "held at 0"),
        (
            PsumModel::Random,
            8,
            "(psum model `random`), the mean of 8 samples",
        ),
        (PsumModel::Hold, 1, "(psum model `hold`), one sample"),
        (PsumModel::Traced, 4, "stream (SHA-256 éééééééééééé…)"),
    ] {
        m.psum_model = model;
        m.psum_samples = samples;
        let sentence = m.psum_assumption();
        assert!(sentence.contains(expected), "{sentence}");
    }
}
