//! A sweep whose stderr is not a terminal (a batch log) reports progress
//! as plain lines, not a bar and not silence.

use std::process::Command;

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn characterize(out: &std::path::Path, every_secs: Option<&str>, quiet: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_powerprune"));
    cmd.args([
        "characterize",
        &repo("netlists/mac3u_sg13g2.v"),
        "--lib",
        &repo("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
        "--threads",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    if quiet {
        cmd.arg("--quiet");
    }
    cmd.env_remove("POWERPRUNE_PROGRESS_SECS");
    if let Some(secs) = every_secs {
        cmd.env("POWERPRUNE_PROGRESS_SECS", secs);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn progress_lines_in_a_log() {
    let dir = tempfile::tempdir().unwrap();
    // Interval 0: a line after every finished row of transitions.
    let err = characterize(&dir.path().join("a"), Some("0"), false);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(" transitions ("))
        .collect();
    assert!(lines.len() >= 2, "expected progress lines, got:\n{err}");
    // 8 weights x 8 x 8 activations of the 3-bit MAC.
    assert!(
        lines.iter().all(|l| l.contains("/512 transitions (")),
        "{err}"
    );
    assert!(lines.iter().all(|l| l.contains("/s, ETA ")), "{err}");
    assert!(!err.contains('\u{1b}'), "no terminal escape codes in a log");
}

#[test]
fn short_or_quiet_runs_print_no_progress() {
    let dir = tempfile::tempdir().unwrap();
    // The default interval (10 s) is longer than this run.
    let err = characterize(&dir.path().join("b"), None, false);
    assert!(!err.contains(" transitions ("), "{err}");
    let err = characterize(&dir.path().join("c"), Some("0"), true);
    assert!(!err.contains(" transitions ("), "{err}");
}
