//! `sim --signed`: two's-complement ports take only their signed range and
//! print signed, checked on the 3-bit MAC against p_in + w·a by hand.

use std::process::Command;

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn sim(stimulus: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.csv");
    std::fs::write(&path, stimulus).unwrap();
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args([
            "sim",
            &repo("netlists/mac3u_sg13g2.v"),
            "--lib",
            &repo("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
            "--stimulus",
            path.to_str().unwrap(),
        ])
        .args(extra)
        .output()
        .unwrap()
}

/// p_out = p_in + w·a wrapped to the 8-bit signed range.
fn mac(w: i64, a: i64, p: i64) -> i64 {
    (p + w * a + 128).rem_euclid(256) - 128
}

#[test]
fn signed_outputs_print_signed() {
    // w: signed 3-bit, a: unsigned 3-bit, p_in/p_out: signed 8-bit.
    let rows = [(-4, 7, 0), (3, 7, 120), (-1, 1, -128), (2, 5, -20)];
    let mut csv = String::from("w,a,p_in\n");
    for (w, a, p) in rows {
        csv.push_str(&format!("{w},{a},{p}\n"));
    }
    let out = sim(&csv, &["--signed", "w,p_in,p_out", "--outputs", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (k, (w, a, p)) in rows.into_iter().enumerate() {
        assert_eq!(
            v["per_step"][k]["outputs"]["p_out"].as_i64(),
            Some(mac(w, a, p)),
            "row {k}"
        );
    }
    // -28 (row 0) is printed as such, not as its bits 228.
    assert_eq!(v["per_step"][0]["outputs"]["p_out"].as_i64(), Some(-28));
}

#[test]
fn out_of_range_signed_values_and_unknown_ports_are_errors() {
    let out = sim("w,a,p_in\n5,1,0\n", &["--signed", "w"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("s.csv:2: port `w`: `5` is out of range (signed 3-bit port takes -4..=3)"),
        "{err}"
    );
    let out = sim("w,a,p_in\n1,1,0\n", &["--signed", "weight"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--signed weight: no such port (ports: ") && err.contains("p_out"),
        "{err}"
    );
}
