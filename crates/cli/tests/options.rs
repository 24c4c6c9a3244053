//! One spelling per concept: `--out DIR` for output directories,
//! `-o/--output FILE` for a single output file, `--plots [DIR]` everywhere.

use std::path::Path;
use std::process::Command;

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn ok(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pngs(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
            })
            .count()
        })
        .unwrap_or(0)
}

#[test]
fn plots_dir_is_optional_and_outputs_are_spelled_one_way() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().join("t");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let (netlist, lib) = (
        repo("netlists/mac2u_sg13g2.v"),
        repo("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
    );
    // Bare --plots: into the output directory's plots/.
    ok(&[
        "characterize",
        &netlist,
        "--lib",
        &lib,
        "--quiet",
        "--plots",
        "--out",
        &s(&t),
    ]);
    assert_eq!(pngs(&t.join("plots")), 2);
    // --plots DIR: there.
    let elsewhere = tmp.path().join("figs");
    let t2 = tmp.path().join("t2");
    ok(&[
        "characterize",
        &netlist,
        "--lib",
        &lib,
        "--quiet",
        "--plots",
        &s(&elsewhere),
        "--out",
        &s(&t2),
    ]);
    assert_eq!(pngs(&elsewhere), 2);
    assert_eq!(pngs(&t2.join("plots")), 0);
    // select: the report file is -o/--output (and the older --out).
    let tables = format!("1.2={}", s(&t));
    for flag in ["-o", "--output", "--out"] {
        let report = tmp.path().join(format!("report{flag}.txt"));
        let stdout = ok(&[
            "select",
            "--tables",
            &tables,
            "--keep",
            "2",
            flag,
            &s(&report),
        ]);
        assert!(stdout.is_empty(), "{flag}: report went to stdout");
        let text = std::fs::read_to_string(&report).unwrap();
        assert!(text.starts_with("PowerPruning selection"), "{flag}: {text}");
    }
    let sel_plots = tmp.path().join("sel");
    ok(&[
        "select",
        "--tables",
        &tables,
        "--keep",
        "2",
        "--plots",
        &s(&sel_plots),
    ]);
    assert_eq!(pngs(&sel_plots), 3);
}
