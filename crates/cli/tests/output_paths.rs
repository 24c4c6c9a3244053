//! No writer replaces one of its own command's inputs, and `run` writes only
//! into a new, empty or earlier-`run` folder. Inputs are copies of the
//! shipped netlist and library in a temporary folder, so a failing check
//! cannot damage the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tables::{Meta, Tables};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn powerprune(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .expect("run powerprune")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Copies of the shipped 2-bit MAC and 1.20 V library in `dir`.
fn inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let netlist = dir.join("mac2u.v");
    let lib = dir.join("lib.lib");
    std::fs::copy(repo().join("netlists/mac2u_sg13g2.v"), &netlist).unwrap();
    std::fs::copy(
        repo().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
        &lib,
    )
    .unwrap();
    (netlist, lib)
}

/// The command fails, its message names `flag` and the input, and every
/// file in `kept` has its old bytes.
fn refused(args: &[&str], flag: &str, input: &Path, kept: &[&Path]) {
    let before: Vec<Vec<u8>> = kept.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let out = powerprune(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(
        err.contains(flag) && err.contains("refusing to overwrite"),
        "{args:?}: {err}"
    );
    assert!(
        err.contains(input.file_name().unwrap().to_str().unwrap()),
        "{err}"
    );
    for (p, b) in kept.iter().zip(before) {
        assert_eq!(std::fs::read(p).unwrap(), b, "{} changed", p.display());
    }
}

#[test]
fn sim_vcd_does_not_overwrite_the_netlist() {
    let tmp = tempfile::tempdir().unwrap();
    let (netlist, lib) = inputs(tmp.path());
    let stimulus = tmp.path().join("s.csv");
    std::fs::write(&stimulus, "w,a,p_in\n0,0,0\n1,1,1\n").unwrap();
    for target in [&netlist, &stimulus] {
        refused(
            &[
                "sim",
                s(&netlist),
                "--lib",
                s(&lib),
                "--stimulus",
                s(&stimulus),
                "--vcd",
                s(target),
            ],
            "--vcd",
            target,
            &[&netlist, &stimulus],
        );
    }
    // The same file by another spelling.
    let dotted = tmp.path().join(".").join("mac2u.v");
    refused(
        &[
            "sim",
            s(&netlist),
            "--lib",
            s(&lib),
            "--stimulus",
            s(&stimulus),
            "--vcd",
            s(&dotted),
        ],
        "--vcd",
        &netlist,
        &[&netlist],
    );
}

#[test]
fn sdf_does_not_overwrite_library_or_netlist() {
    let tmp = tempfile::tempdir().unwrap();
    let (netlist, lib) = inputs(tmp.path());
    let base = ["sdf", s(&netlist), "--lib", s(&lib)];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter()
            .chain(extra)
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
    };
    let run = |args: Vec<String>, flag: &str, input: &Path| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, flag, input, &[&netlist, &lib]);
    };
    run(with(&["-o", s(&lib)]), "-o", &lib);
    let sdf = tmp.path().join("out.sdf");
    run(
        with(&["-o", s(&sdf), "--models", s(&netlist)]),
        "--models",
        &netlist,
    );
    // A hard link to the library is the library.
    let link = tmp.path().join("link.lib");
    std::fs::hard_link(&lib, &link).unwrap();
    run(with(&["-o", s(&link)]), "-o", &link);
    // A fresh output is fine.
    let ok = powerprune(
        &with(&["-o", s(&sdf)])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

fn one_set(dir: &Path) {
    let mut meta = Meta::synthetic(vec![0, 1], vec![0, 1], 1.2);
    meta.sta_worst_delay_ns = 0.5;
    let energy = (1..=8).map(|i| i as f32).collect();
    let delay = vec![0.25; 8];
    Tables::new(meta, energy, delay, None)
        .unwrap()
        .save(dir)
        .unwrap();
}

#[test]
fn select_does_not_write_into_a_table_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("t");
    one_set(&dir);
    let meta = dir.join("meta.json");
    refused(
        &[
            "select",
            "--tables",
            s(&dir),
            "--keep",
            "1",
            "--out",
            s(&meta),
        ],
        "--out",
        &dir,
        &[&meta],
    );
    refused(
        &[
            "select",
            "--tables",
            s(&dir),
            "--keep",
            "1",
            "--plots",
            s(&dir.join("plots")),
        ],
        "--plots",
        &dir,
        &[&meta],
    );
    Tables::load(&dir).unwrap();
}

/// A wrong `V=` label stops `select` with both voltages named.
#[test]
fn select_refuses_a_wrong_voltage_label() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("t");
    one_set(&dir);
    let arg = format!("0.5={}", dir.display());
    let out = powerprune(&["select", "--tables", &arg, "--keep", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("labelled 0.5 V") && err.contains("1.2 V"),
        "{err}"
    );
}

#[test]
fn run_refuses_a_foreign_folder_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let (netlist, lib) = inputs(tmp.path());
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("thesis.tex"), "mine").unwrap();
    let o = powerprune(&[
        "run",
        "--netlist",
        s(&netlist),
        "--lib",
        s(&lib),
        "--out",
        s(&out),
        "--quiet",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("thesis.tex") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.tex")).unwrap(),
        "mine"
    );
}
