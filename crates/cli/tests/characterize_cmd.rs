//! `powerprune characterize`, `merge` and `sweep-voltage` end to end on the
//! shipped small MACs, checked against separate simulations, OpenSTA's
//! reference figures and each other.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tables::Tables;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn netlist(name: &str) -> PathBuf {
    repo().join("netlists").join(name)
}

fn lib(volts: &str) -> PathBuf {
    testdata::liberty(&format!("sg13g2_stdcell_typ_{volts}V_25C.lib"))
}

fn powerprune(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .expect("run powerprune")
}

fn ok(args: &[&str]) -> String {
    let out = powerprune(args);
    assert!(
        out.status.success(),
        "powerprune {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn err(args: &[&str]) -> String {
    let out = powerprune(args);
    assert!(!out.status.success(), "powerprune {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn same_files(a: &Path, b: &Path) {
    for name in [
        "energy_fj.npy",
        "delay_ns.npy",
        "toggles.npy",
        "per_weight.csv",
    ] {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn tables_match_separate_simulations_and_per_weight_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t");
    let n = netlist("mac2u_sg13g2.v");
    let l = lib("1p20");
    let stdout = ok(&[
        "characterize",
        s(&n),
        "--lib",
        s(&l),
        "--weights=-2,1",
        "--threads",
        "2",
        "--quiet",
        "--out",
        s(&out),
    ]);
    assert!(stdout.contains("2 weights x 4 x 4"), "{stdout}");
    let t = Tables::load(&out).unwrap();
    assert_eq!(t.meta().weights, vec![-2, 1]);
    assert_eq!(t.meta().psum_model, tables::PsumModel::Zero);
    // Every entry against a fresh simulator settled at (w, a, 0) and stepped to a'.
    let library = liberty::read_library(&l).unwrap();
    let net = netlist::Netlist::read(&n, &library, None).unwrap();
    let order: Vec<&str> = net.inputs.iter().map(|p| p.name.as_str()).collect();
    let vec = |w: i64, a: i64| -> Vec<u64> {
        order
            .iter()
            .map(|&name| match name {
                "w" => (w as u64) & 3,
                "a" => a as u64,
                _ => 0,
            })
            .collect()
    };
    let options = sim::SimOptions {
        period_ns: 10.0,
        ..sim::SimOptions::default()
    };
    for (wi, &w) in t.meta().weights.iter().enumerate() {
        for a in 0..4i64 {
            for a2 in 0..4i64 {
                let mut simulator = sim::Simulator::new(&net, &library, &options).unwrap();
                simulator.settle(&vec(w, a)).unwrap();
                let step = simulator.step(&vec(w, a2)).unwrap();
                let (i, j) = (a as usize, a2 as usize);
                assert_eq!(
                    t.energy_fj(wi, i, j),
                    (step.energy.switching_fj + step.energy.internal_fj) as f32
                );
                assert_eq!(t.delay_ns(wi, i, j), step.delay_ns as f32);
            }
        }
    }
    // The default clock is the netlist's STA worst delay, as select, run and
    // nn use.
    let clock_ns = t.meta().clock_period_ns;
    assert!(t.meta().sta_worst_delay_ns > 0.0);
    assert_eq!(clock_ns, t.meta().sta_worst_delay_ns);
    // per_weight.csv by hand for w = 1: mean over the 16 entries, power at that clock.
    let csv = std::fs::read_to_string(out.join("per_weight.csv")).unwrap();
    let row: Vec<f64> = csv
        .lines()
        .nth(2)
        .unwrap()
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();
    let energies: Vec<f64> = (0..16)
        .map(|k| f64::from(t.energy_fj(1, k / 4, k % 4)))
        .collect();
    let mean = energies.iter().sum::<f64>() / 16.0;
    assert_eq!(row[0], 1.0);
    assert!((row[1] - mean).abs() < 1e-9 * mean.abs().max(1.0));
    assert!((row[2] - mean * 1e-15 / (clock_ns * 1e-9)).abs() < 1e-12 * mean.abs().max(1.0));
    let max_delay = (0..16)
        .map(|k| t.delay_ns(1, k / 4, k % 4))
        .fold(0.0f32, f32::max);
    assert_eq!(row[3], f64::from(max_delay));
}

#[test]
fn shards_merged_by_the_cli_equal_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (n, l) = (netlist("mac3u_sg13g2.v"), lib("1p20"));
    let whole = tmp.path().join("whole");
    let common = [
        "--psum-model",
        "hold",
        "--psum-samples",
        "2",
        "--seed",
        "9",
        "--quiet",
    ];
    let mut args = vec!["characterize", s(&n), "--lib", s(&l), "--out", s(&whole)];
    args.extend(common);
    ok(&args);
    let shards: Vec<PathBuf> = (0..3)
        .map(|i| tmp.path().join(format!("shard{i}")))
        .collect();
    for (i, dir) in shards.iter().enumerate() {
        let spec = format!("{i}/3");
        let mut args = vec![
            "characterize",
            s(&n),
            "--lib",
            s(&l),
            "--shard",
            &spec,
            "--threads",
            "1",
            "--out",
            s(dir),
        ];
        args.extend(common);
        ok(&args);
        assert!(dir.join("shard.json").exists());
    }
    let merged = tmp.path().join("merged");
    let stdout = ok(&[
        "merge",
        s(&shards[1]),
        s(&shards[0]),
        s(&shards[2]),
        "--out",
        s(&merged),
    ]);
    assert!(stdout.contains("3 shards merged"), "{stdout}");
    same_files(&whole, &merged);
    let e = err(&["merge", s(&shards[1]), s(&shards[0]), "--out", s(&merged)]);
    assert!(e.contains("missing shard(s) 2/3"), "{e}");
    let e = err(&["merge", s(&whole), "--out", s(&merged)]);
    assert!(e.contains("shard.json"), "{e}");
}

#[test]
fn bad_arguments_say_what_was_expected() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let (n, l) = (netlist("mac2u_sg13g2.v"), lib("1p20"));
    let base = |extra: &[&str]| {
        let mut v = vec![
            "characterize".to_string(),
            s(&n).into(),
            "--lib".into(),
            s(&l).into(),
            "--out".into(),
            s(&out).into(),
        ];
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let run = |extra: &[&str]| {
        let args = base(extra);
        err(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    assert!(run(&["--weight", "wt"]).contains("weight port `wt` is not an input"));
    assert!(run(&["--weights", "5"]).contains("does not fit a signed 2-bit weight"));
    assert!(run(&["--psum-model", "walk"]).contains("expected zero, hold, random or traced"));
    assert!(run(&["--shard", "3/3"]).contains("expected i/n"));
    assert!(run(&["--psum-samples", "3"]).contains("psum model zero"));
    assert!(run(&["--clock-period", "0"]).contains("expected a number > 0"));
    assert!(!out.join("energy_fj.npy").exists());
    let e = err(&[
        "characterize",
        "/nonexistent.v",
        "--lib",
        s(&l),
        "--out",
        s(&out),
    ]);
    assert!(e.contains("/nonexistent.v"), "{e}");
}

#[test]
fn sweep_voltage_reproduces_opensta_delays_and_fits_them() {
    let tmp = tempfile::tempdir().unwrap();
    let plots = tmp.path().join("plots");
    let n = netlist("mac8u_sg13g2.v");
    let (l12, l15) = (lib("1p20"), lib("1p50"));
    let stdout = ok(&[
        "sweep-voltage",
        s(&n),
        "--lib",
        s(&l15),
        "--lib",
        s(&l12),
        "--vdd",
        "1.0",
        "--vdd",
        "1.35",
        "--weights=-77,0,5",
        "--sample",
        "8",
        "--json",
        "--quiet",
        "--plots",
        s(&plots),
    ]);
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let points = r["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    // Ascending voltage, and OpenSTA's worst arrival for each library.
    let reference = |file: &str| -> f64 {
        let text = std::fs::read_to_string(testdata::reference("ref_mac8u_sg13g2", file)).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["worst_arrival_ns"]
            .as_f64()
            .unwrap()
    };
    let (d12, d15) = (
        points[0]["sta_worst_delay_ns"].as_f64().unwrap(),
        points[1]["sta_worst_delay_ns"].as_f64().unwrap(),
    );
    assert_eq!(
        (points[0]["vdd_v"].as_f64(), points[1]["vdd_v"].as_f64()),
        (Some(1.2), Some(1.5))
    );
    assert!((d12 - reference("opensta.json")).abs() < 1e-3, "{d12}");
    assert!(
        (d15 - reference("opensta_1p50V.json")).abs() < 1e-3,
        "{d15}"
    );
    assert_eq!(points[0]["per_weight"].as_array().unwrap().len(), 3);
    assert_eq!(r["transitions_per_weight"], 8);
    assert!(r["energy_basis"].as_str().unwrap().starts_with("sample"));
    // Switching the same capacitance costs more at the higher voltage.
    assert!(
        points[1]["mean_energy_fj"].as_f64().unwrap()
            > points[0]["mean_energy_fj"].as_f64().unwrap()
    );
    // Two points, two free parameters: the fit passes through both.
    for res in r["residuals"].as_array().unwrap() {
        assert!(
            res["relative_error"].as_f64().unwrap().abs() < 1e-6,
            "{res}"
        );
    }
    let predictions = r["predictions"].as_array().unwrap();
    let p10 = predictions[0]["sta_worst_delay_ns"].as_f64().unwrap();
    let p135 = predictions[1]["sta_worst_delay_ns"].as_f64().unwrap();
    assert!(p10 > d12 && d15 < p135 && p135 < d12, "{p10} {p135}");
    // Energy at 1.0 V scaled as V² from the nearest library (1.2 V).
    let e12 = points[0]["mean_energy_fj"].as_f64().unwrap();
    let e10 = predictions[0]["mean_energy_fj"].as_f64().unwrap();
    assert!((e10 - e12 * (1.0f64 / 1.2).powi(2)).abs() < 1e-9 * e12);
    for name in [
        "delay_vs_vdd.png",
        "delay_vs_vdd.svg",
        "energy_per_weight.png",
        "delay_distribution_1.2V.svg",
    ] {
        assert!(plots.join(name).exists(), "{name}");
    }
}

#[test]
fn entries_equal_powerprune_sim_on_a_two_row_stimulus() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t");
    let (n, l) = (netlist("mac3u_sg13g2.v"), lib("1p20"));
    ok(&[
        "characterize",
        s(&n),
        "--lib",
        s(&l),
        "--weights=-4,3",
        "--clock-period",
        "8",
        "--quiet",
        "--out",
        s(&out),
    ]);
    let t = Tables::load(&out).unwrap();
    for (wi, w, a, a2) in [
        (0usize, -4i64, 0i64, 7i64),
        (0, -4, 5, 2),
        (1, 3, 7, 0),
        (1, 3, 6, 6),
        (1, 3, 1, 6),
    ] {
        let stimulus = tmp.path().join(format!("s{wi}{a}{a2}.csv"));
        std::fs::write(&stimulus, format!("w,a,p_in\n{w},{a},0\n{w},{a2},0\n")).unwrap();
        let json = ok(&[
            "sim",
            s(&n),
            "--lib",
            s(&l),
            "--stimulus",
            s(&stimulus),
            "--clock-period",
            "8",
            "--json",
        ]);
        let r: serde_json::Value = serde_json::from_str(&json).unwrap();
        let step = &r["per_step"][1];
        let energy = step["switching_fj"].as_f64().unwrap() + step["internal_fj"].as_f64().unwrap();
        let what = format!("w={w} {a}->{a2}");
        assert_eq!(
            t.energy_fj(wi, a as usize, a2 as usize),
            energy as f32,
            "{what}"
        );
        assert_eq!(
            t.delay_ns(wi, a as usize, a2 as usize),
            step["delay_ns"].as_f64().unwrap() as f32,
            "{what}"
        );
        assert_eq!(
            t.toggles(wi, a as usize, a2 as usize),
            Some(step["toggles"].as_u64().unwrap() as f32),
            "{what}"
        );
    }
}

#[test]
fn run_characterizes_every_voltage_then_selects() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (n, l12, l15) = (netlist("mac3u_sg13g2.v"), lib("1p20"), lib("1p50"));
    // The same design, libraries, keep count and output each time; `extra`
    // adds options.
    let run_args = |extra: &[&'static str]| {
        let mut args = vec![
            "run",
            "--netlist",
            s(&n),
            "--lib",
            s(&l12),
            "--lib",
            s(&l15),
            "--keep",
            "4",
            "--full-tables",
            "--quiet",
            "--out",
            s(&out),
        ];
        args.extend_from_slice(extra);
        args
    };
    let stdout = ok(&run_args(&[]));
    assert!(stdout.contains("report.txt"), "{stdout}");
    // The tables are those `characterize` writes for the same netlist and library.
    let alone = tmp.path().join("alone");
    ok(&[
        "characterize",
        s(&n),
        "--lib",
        s(&l15),
        "--quiet",
        "--out",
        s(&alone),
    ]);
    same_files(&out.join("tables_1.5V"), &alone);
    assert!(out.join("tables_1.2V/meta.json").exists());
    let allowed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("allowed_sets.json")).unwrap())
            .unwrap();
    let weights = allowed["weights"].as_array().unwrap();
    assert_eq!(weights.len(), 4, "{allowed}");
    assert!(
        weights.iter().any(|w| w == 0),
        "weight 0 is always kept: {allowed}"
    );
    for f in [
        "report.txt",
        "report.json",
        "plots/1.2V/energy_per_weight.png",
        "plots/1.5V/delay_distribution.svg",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let nominal = |out: &std::path::Path| {
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        report["nominal_vdd_v"].as_f64().unwrap()
    };
    // Nominal VDD: the first library's own.
    assert_eq!(nominal(&out), 1.2);
    // A second run reuses the finished tables; --nominal picks the other one.
    let again = ok(&run_args(&["--nominal", "1.5"]));
    assert!(again.contains("reusing tables"), "{again}");
    assert_eq!(nominal(&out), 1.5);
    let e = err(&run_args(&["--nominal", "1.3"]));
    assert!(
        e.contains("nominal VDD 1.3 V") && e.contains("(1.2 V, 1.5 V)"),
        "{e}"
    );
    let e = err(&["run", "--netlist", "/nonexistent/mac.v", "--out", s(&out)]);
    assert!(e.contains("/nonexistent/mac.v not found"), "{e}");
}
