//! `powerprune nn {train,power,prune}` on a slice of Fashion-MNIST (CI
//! installs Debian's dataset-fashion-mnist) and synthetic 3-bit × 2-bit
//! tables written by `Tables::save`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tables::{LibraryInfo, Meta, PortInfo, Tables};

fn powerprune(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .expect("powerprune runs")
}

fn ok(args: &[&str]) -> String {
    let out = powerprune(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = powerprune(args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

/// `nn train` of a 3-bit-weight, 2-bit-activation LeNet-5 for one float
/// and one QAT epoch on 200 training images; returns the JSON report.
fn train_small(model: &Path, test_images: usize) -> String {
    ok(&[
        "nn",
        "train",
        "--out",
        model.to_str().unwrap(),
        "--epochs",
        "1",
        "--qat-epochs",
        "1",
        "--train-images",
        "200",
        "--test-images",
        &test_images.to_string(),
        "--weight-bits",
        "3",
        "--act-bits",
        "2",
        "--batch",
        "32",
        "--json",
    ])
}

/// Weights −4..=3, activations 0..=3; E = 10·(1 + |w|) + a' fJ and
/// D = 0.5 + 0.2·a' ns at 1.2 V; energies × 0.5625 and delays × 1.3 at 0.9 V.
fn write_tables(dir: &Path, vdd_v: f64) {
    let port = |name: &str, width, signed| PortInfo {
        name: name.into(),
        width,
        signed,
    };
    let weights: Vec<i64> = (-4..=3).collect();
    let acts: Vec<i64> = (0..=3).collect();
    let (es, ds) = if vdd_v > 1.0 {
        (1.0, 1.0)
    } else {
        (0.5625, 1.3)
    };
    let (mut e, mut d) = (Vec::new(), Vec::new());
    for &w in &weights {
        for _a in &acts {
            for &b in &acts {
                e.push((es * (10.0 * (1 + w.abs()) as f64 + b as f64)) as f32);
                d.push((ds * (0.5 + 0.2 * b as f64)) as f32);
            }
        }
    }
    let meta = Meta {
        netlist_hash: "ab".repeat(32),
        netlist_file: "mac.v".into(),
        top: "mac".into(),
        library: LibraryInfo {
            name: "synthetic".into(),
            voltage_v: vdd_v,
            file: "synthetic.lib".into(),
        },
        weight_port: port("w", 3, true),
        act_port: port("a", 2, false),
        psum_port: port("p", 8, true),
        weights,
        acts,
        psum_model: tables::PsumModel::Zero,
        psum_samples: 1,
        seed: 1,
        psum_trace_sha256: None,
        psum_trace_draw: None,
        clock_period_ns: 2.0,
        sta_worst_delay_ns: 1.1,
        leakage_w: 0.0,
        units: Default::default(),
        tool_version: "test".into(),
        runtime_s: 0.0,
    };
    Tables::new(meta, e, d, None).unwrap().save(dir).unwrap();
}

#[test]
fn train_power_and_prune_small() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("model");
    let model_s = model.to_str().unwrap();
    let train = train_small(&model, 100);
    let t: Value = serde_json::from_str(&train).unwrap();
    assert_eq!(t["train_images"], 200);
    assert_eq!(t["test_images"], 100);
    // A share of the 100 test images: a whole number of them.
    let acc = t["quantized_accuracy"].as_f64().unwrap();
    let correct = acc * 100.0;
    assert!((0.0..=100.0).contains(&correct), "{acc}");
    assert!((correct - correct.round()).abs() < 1e-9, "{acc}");
    // Parameters as NPY beside the description.
    for f in [
        "model.json",
        "conv1.weight.npy",
        "conv1.bias.npy",
        "fc3.weight.npy",
    ] {
        assert!(model.join(f).is_file(), "{f}");
    }

    let hi = tmp.path().join("t12");
    let lo = tmp.path().join("t09");
    write_tables(&hi, 1.2);
    write_tables(&lo, 0.9);
    let stats = tmp.path().join("transitions.npy");
    // `nn power` of the model on 10 images through an 8×8 array, as JSON.
    let power = |extra: &[&str]| -> Value {
        let mut args = vec!["nn", "power", "--model", model_s, "--tables"];
        args.extend([hi.to_str().unwrap(), "--images", "10", "--array", "8x8"]);
        args.extend(extra);
        args.push("--json");
        serde_json::from_str(&ok(&args)).unwrap()
    };
    let p = power(&["--transitions", stats.to_str().unwrap()]);
    assert_eq!(p["images"], 10);
    assert!(
        p["psum_assumption"]
            .as_str()
            .unwrap()
            .contains("psum model `zero`"),
        "{p}"
    );
    // Not meta's clock_period_ns (2.0): every command defaults to the STA
    // worst delay (1.1 in these tables).
    assert_eq!(p["clock_period_ns"], 1.1);
    let layers = p["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 5);
    let sum: f64 = layers.iter().map(|l| l["power_w"].as_f64().unwrap()).sum();
    let total = p["power_w"].as_f64().unwrap();
    assert!((sum - total).abs() <= 1e-9 * total, "{sum} vs {total}");
    // Conv1 of LeNet-5 (pad 2): 28·28 positions × 25 taps × 6 channels.
    assert_eq!(layers[0]["macs"], 117_600.0);
    // The same streams at half the tables' 1.2 V: switching energy goes
    // with V², so a quarter of the power (leakage is 0 in these tables).
    let half = power(&["--vdd", "0.6"]);
    assert_eq!(half["vdd"]["ref_vdd_v"], 1.2);
    assert_eq!(half["vdd"]["vdd_v"], 0.6);
    let full_w = p["dynamic_power_w"].as_f64().unwrap();
    let half_w = half["dynamic_power_w"].as_f64().unwrap();
    assert!(full_w > 0.0);
    assert!(
        (half_w - 0.25 * full_w).abs() <= 1e-12 * full_w,
        "{half_w} vs {full_w}"
    );
    let err = fails(&[
        "nn",
        "power",
        "--model",
        model_s,
        "--tables",
        hi.to_str().unwrap(),
        "--vdd",
        "0",
    ]);
    assert!(err.contains("--vdd must be a positive voltage"), "{err}");
    let freq = tables::read_npy_f64(&stats).unwrap();
    assert_eq!(freq.shape, vec![4, 4]);
    assert!((freq.data.iter().sum::<f64>() - 1.0).abs() < 1e-5);

    let out = tmp.path().join("pruned");
    let prune = ok(&[
        "nn",
        "prune",
        "--model",
        model_s,
        "--tables",
        &format!("1.2={}", hi.display()),
        "--tables",
        &format!("0.9={}", lo.display()),
        "--keep",
        "3",
        "--delay-target",
        "0.95",
        "--weighted",
        "--epochs",
        "1",
        "--train-images",
        "200",
        "--test-images",
        "100",
        "--power-images",
        "5",
        "--array",
        "8x8",
        "--vdd-step",
        "0",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let r: Value = serde_json::from_str(&prune).unwrap();
    let stages = r["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 4);
    let base_power = stages[0]["power_w"].as_f64().unwrap();
    let base_acc = stages[0]["accuracy"].as_f64().unwrap();
    for s in stages {
        let pw = s["power_w"].as_f64().unwrap();
        let red = s["reduction_pct"].as_f64().unwrap();
        assert!((red - 100.0 * (1.0 - pw / base_power)).abs() < 1e-9);
        let loss = s["accuracy_loss_pts"].as_f64().unwrap();
        assert!((loss - 100.0 * (base_acc - s["accuracy"].as_f64().unwrap())).abs() < 1e-9);
    }
    // E grows with |w|: keep 0, −1, 1. Target 0.95 ns: a' ≤ 2 (0.9 ns).
    assert_eq!(r["kept_weights"], serde_json::json!([-1, 0, 1]));
    assert_eq!(r["allowed_activations"], serde_json::json!([0, 1, 2]));
    // Worst delay 0.9 × 1.3 = 1.17 > 1.1 ns clock at 0.9 V: VDD stays.
    assert_eq!(r["vdd_v"], 1.2);
    // The selection's assumptions travel with the flow's report.
    let assumptions = r["selection"]["assumptions"].as_array().unwrap();
    assert!(assumptions[0].as_str().unwrap().contains("`zero`"), "{r}");
    assert!(
        assumptions[1]
            .as_str()
            .unwrap()
            .contains("1.1 ns, the STA worst delay"),
        "{r}"
    );
    // The retrained model and the report were written.
    assert!(out.join("model.json").is_file() && out.join("report.json").is_file());
    let text = ok(&[
        "nn",
        "power",
        "--model",
        out.to_str().unwrap(),
        "--tables",
        hi.to_str().unwrap(),
        "--images",
        "3",
    ]);
    assert!(text.contains("MAC power"), "{text}");
    // The tables were written with psum model `zero`, and the text says so.
    assert!(text.contains("tables' partial sums: held at 0"), "{text}");
}

#[test]
fn missing_dataset_and_bad_arguments_are_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("m");
    let err = fails(&[
        "nn",
        "train",
        "--out",
        out.to_str().unwrap(),
        "--data",
        tmp.path().to_str().unwrap(),
    ]);
    assert!(
        err.contains("apt-get install dataset-fashion-mnist"),
        "{err}"
    );
    let err = fails(&[
        "nn", "power", "--model", "m", "--tables", "t", "--array", "64by64",
    ]);
    assert!(err.contains("ROWSxCOLS"), "{err}");
    let err = fails(&[
        "nn",
        "power",
        "--model",
        tmp.path().to_str().unwrap(),
        "--tables",
        "t",
    ]);
    assert!(err.contains("model.json"), "{err}");
}

/// `nn prune --validate` on tables of a real netlist (the shipped 3-bit ×
/// 2-bit MAC with a 16-bit partial sum, at both SG13G2 libraries): the
/// validated VDD is one at which the replayed streams of the pruned network
/// make no timing errors, and `nn trace` + `nn validate` on the written
/// model agree with it.
#[test]
fn prune_validate_raises_vdd_until_the_replay_is_clean() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let netlist = repo.join("netlists/mac3w2a_sg13g2.v");
    let tmp = tempfile::tempdir().unwrap();
    let dir = |n: &str| tmp.path().join(n);
    for (v, lib) in [("1.2", "1p20V"), ("1.5", "1p50V")] {
        ok(&[
            "characterize",
            netlist.to_str().unwrap(),
            "--lib",
            repo.join(format!("liberty/sg13g2_stdcell_typ_{lib}_25C.lib"))
                .to_str()
                .unwrap(),
            "--quiet",
            "--out",
            dir(&format!("t{v}")).to_str().unwrap(),
        ]);
    }
    let model = dir("model");
    train_small(&model, 50);
    let t12 = format!("1.2={}", dir("t1.2").display());
    let t15 = format!("1.5={}", dir("t1.5").display());
    let pruned = dir("pruned");
    let prune = ok(&[
        "nn",
        "prune",
        "--model",
        model.to_str().unwrap(),
        "--tables",
        &t12,
        "--tables",
        &t15,
        "--nominal",
        "1.2",
        "--keep",
        "4",
        "--delay-target",
        "1.0",
        "--epochs",
        "1",
        "--train-images",
        "200",
        "--test-images",
        "50",
        "--power-images",
        "2",
        "--array",
        "8x8",
        "--validate",
        "--validate-pes",
        "2",
        "--json",
        "--out",
        pruned.to_str().unwrap(),
    ]);
    let r: Value = serde_json::from_str(&prune).unwrap();
    let v = &r["validation"];
    let selection_vdd = r["vdd_v"].as_f64().unwrap();
    let validated_vdd = v["vdd_v"].as_f64().unwrap();
    let clock = r["clock_period_ns"].as_f64().unwrap();
    eprintln!("selection {selection_vdd} V, validated {validated_vdd} V, clock {clock} ns");
    assert!(validated_vdd >= selection_vdd - 1e-9, "{v}");
    // The clock is the nominal library's STA worst delay, an upper bound on
    // every sensitized delay there, so the nominal voltage is always clean.
    assert!(validated_vdd <= 1.2 + 1e-9, "{v}");
    assert_eq!(v["at_validated"]["total"]["timing_errors"], 0, "{v}");
    let sel_errors = v["at_selection"]["total"]["timing_errors"]
        .as_u64()
        .unwrap();
    if validated_vdd > selection_vdd + 1e-9 {
        assert!(sel_errors > 0, "raised without errors: {v}");
    } else {
        assert_eq!(sel_errors, 0, "{v}");
    }
    // The replay ran on real streams of the pruned network (a floor, so
    // that the replay is not vacuous; the count depends on the layers).
    let cycles = v["validation"]["total"]["cycles"].as_u64().unwrap();
    assert!(cycles > 100, "{v}");
    assert!(v["validation"]["total"]["max_delay_ns"].as_f64().unwrap() <= clock);

    // The same PEs traced from the written model and replayed by
    // `nn validate` give the same verdict at the validated VDD.
    let trace = dir("trace.csv");
    ok(&[
        "nn",
        "trace",
        "--model",
        pruned.to_str().unwrap(),
        "-o",
        trace.to_str().unwrap(),
        "--images",
        "2",
        "--pes",
        "2",
        "--array",
        "8x8",
    ]);
    let check = |vdd: f64| -> Value {
        let out = ok(&[
            "nn",
            "validate",
            "--trace",
            trace.to_str().unwrap(),
            "--tables",
            &t12,
            "--tables",
            &t15,
            "--nominal",
            "1.2",
            "--vdd",
            &format!("{vdd}"),
            "--clock-period",
            &format!("{clock}"),
            "--json",
        ]);
        serde_json::from_str(&out).unwrap()
    };
    let at = check(validated_vdd);
    assert_eq!(at["validation"]["total"]["cycles"].as_u64(), Some(cycles));
    assert_eq!(at["timing"]["total"]["timing_errors"], 0);
    if validated_vdd > selection_vdd + 1e-9 {
        let below = check(validated_vdd - 0.01);
        assert!(below["timing"]["total"]["timing_errors"].as_u64().unwrap() > 0);
    }

    // Per-layer tables drawn from this very trace, given the transition,
    // every transition seen averaged over all its pairs: the estimate of
    // the trace equals its gate-level replay in every layer.
    let weights: Vec<String> = r["kept_weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.to_string())
        .collect();
    let lib12 = repo.join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    let mut layer_args = Vec::new();
    for l in at["validation"]["layers"].as_array().unwrap() {
        let layer = l["layer"].as_str().unwrap();
        let out = dir(&format!("layer_{layer}"));
        ok(&[
            "characterize",
            netlist.to_str().unwrap(),
            "--lib",
            lib12.to_str().unwrap(),
            "--weights",
            &weights.join(","),
            "--psum-model",
            "traced",
            "--psum-trace",
            trace.to_str().unwrap(),
            "--psum-layer",
            layer,
            "--psum-given",
            "transition",
            "--psum-samples-max",
            "1000000",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        layer_args.push("--layer-tables".to_string());
        layer_args.push(format!("{layer}={}", out.display()));
    }
    let mut args = vec!["nn", "validate", "--trace", trace.to_str().unwrap()];
    args.extend(["--tables", &t12, "--json"]);
    args.extend(layer_args.iter().map(String::as_str));
    let v: Value = serde_json::from_str(&ok(&args)).unwrap();
    for l in v["validation"]["layers"].as_array().unwrap() {
        assert!(l["tables"].as_str().unwrap().contains("layer_"), "{l}");
        assert!(l["sim_energy_fj"].as_f64().unwrap() > 0.0, "{l}");
        assert!(l["error_pct"].as_f64().unwrap().abs() < 1e-4, "{l}");
    }
    // A traced option without the traced model is refused, naming it.
    let e = fails(&[
        "characterize",
        netlist.to_str().unwrap(),
        "--lib",
        lib12.to_str().unwrap(),
        "--psum-layer",
        "conv1",
        "--out",
        dir("refused").to_str().unwrap(),
    ]);
    assert!(e.contains("need --psum-model traced"), "{e}");
}
