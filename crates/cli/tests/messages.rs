//! What a user sees when something goes wrong: each cause once, no panics
//! on a closed pipe.

use std::io::Read;
use std::process::{Command, Stdio};

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn powerprune(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .unwrap()
}

/// The OS's wording for ENOENT, as std renders it.
fn not_found_text() -> String {
    std::fs::read("/nonexistent/powerprune-probe")
        .unwrap_err()
        .to_string()
}

#[test]
fn a_missing_file_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.lib");
    let missing = missing.to_str().unwrap();
    let lib = repo("liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    let netlist = repo("netlists/mac3u_sg13g2.v");
    let tables = format!("1.2={missing}");
    let cases: Vec<Vec<&str>> = vec![
        vec!["lib", missing],
        vec!["netlist", &netlist, "--lib", missing],
        vec!["netlist", missing, "--lib", &lib],
        vec!["sta", missing, "--lib", &lib],
        vec!["sim", &netlist, "--lib", &lib, "--stimulus", missing],
        vec!["select", "--tables", &tables, "--keep", "4"],
    ];
    let enoent = not_found_text();
    for args in cases {
        let out = powerprune(&args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.matches(&enoent).count(),
            1,
            "{args:?}: the cause should appear exactly once:\n{err}"
        );
        assert!(
            err.contains("missing.lib"),
            "{args:?}: names the file:\n{err}"
        );
        assert!(!err.contains("panicked"), "{args:?}:\n{err}");
    }
}

#[test]
fn an_unknown_cell_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("netlists/mac3u_sg13g2.v")).unwrap();
    let bad = text.replacen("sg13g2_xor2_1 ", "sg13g2_xor2_9 ", 1);
    assert_ne!(bad, text, "the netlist uses sg13g2_xor2_1");
    let path = dir.path().join("bad.v");
    std::fs::write(&path, bad).unwrap();
    let lib = repo("liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    let path = path.to_str().unwrap();
    for args in [
        vec!["netlist", path, "--lib", &lib],
        vec!["sta", path, "--lib", &lib],
    ] {
        let out = powerprune(&args);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.matches("sg13g2_xor2_9").count(), 1, "{args:?}:\n{err}");
        assert!(err.contains("sg13g2_xor2_1"), "names the candidate:\n{err}");
    }
}

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    // 3000 simulated steps print about 250 kB, far more than a pipe buffer;
    // the reader takes one byte and closes its end, as `| head -c1` would.
    let dir = tempfile::tempdir().unwrap();
    let stimulus = dir.path().join("steps.csv");
    let mut csv = String::from("w,a,p_in\n");
    for i in 0..3000i64 {
        csv.push_str(&format!(
            "{},{},{}\n",
            i % 8 - 4,
            (i * 5) % 8,
            (i * 37) % 256 - 128
        ));
    }
    std::fs::write(&stimulus, csv).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args([
            "sim",
            &repo("netlists/mac3u_sg13g2.v"),
            "--lib",
            &repo("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
            "--stimulus",
            stimulus.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "nothing on stderr, found:\n{err}");
}
