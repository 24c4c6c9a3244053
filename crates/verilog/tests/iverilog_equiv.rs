//! The shipped MAC netlists compute p_out = p_in + w*a: Icarus Verilog
//! simulates each with Yosys' gate models of the Liberty cells against the
//! arithmetic in netlists/equiv_tb.v (netlists/check_equiv.sh does the work).

mod common;

use std::process::Command;

use common::{repo_root, scratch};

/// Run check_equiv.sh; returns (success, stdout).
fn check_equiv(args: &[&str]) -> (bool, String) {
    let out = Command::new("bash")
        .arg(repo_root().join("netlists/check_equiv.sh"))
        .args(args)
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (out.status.success(), format!("{stdout}{stderr}"))
}

/// Vectors equiv_tb.v applies: every (w, a, p_in) when that is at most 2^16,
/// else every w against 4 activation corners, every a against 5 weight
/// corners, 5*4*5 corner combinations and 20000 random vectors.
fn vectors(ww: u32, aw: u32, pw: u32) -> u64 {
    if ww + aw + pw <= 16 {
        1 << (ww + aw + pw)
    } else {
        (1 << ww) * 4 + (1 << aw) * 5 + 5 * 4 * 5 + 20_000
    }
}

fn assert_equivalent(name: &str, ww: u32, aw: u32, pw: u32) {
    let (ok, out) = check_equiv(&[name]);
    let want = format!(
        "{name}: checked {} vectors, 0 mismatches",
        vectors(ww, aw, pw)
    );
    assert!(ok && out.contains(&want), "want `{want}`, got:\n{out}");
}

#[test]
fn mac2u_sg13g2_exhaustive() {
    assert_equivalent("mac2u_sg13g2", 2, 2, 6);
}

#[test]
fn mac3u_sg13g2_exhaustive() {
    assert_equivalent("mac3u_sg13g2", 3, 3, 8);
}

#[test]
fn mac3w2a_sg13g2_corners_and_random() {
    assert_equivalent("mac3w2a_sg13g2", 3, 2, 16);
}

#[test]
fn mac8u_sg13g2_corners_and_random() {
    assert_equivalent("mac8u_sg13g2", 8, 8, 22);
}

#[test]
fn mac8s_sg13g2_corners_and_random() {
    assert_equivalent("mac8s_sg13g2", 8, 8, 22);
}

#[test]
fn mac8u_ng45_corners_and_random() {
    assert_equivalent("mac8u_ng45", 8, 8, 22);
}

#[test]
fn ref_small_ng45_exhaustive() {
    // rtl/umac.v: all unsigned, p_out one bit wider than p_in.
    assert_equivalent("ref_small_ng45", 2, 2, 4);
}

#[test]
fn ref_mac8u_ng45_corners_and_random() {
    assert_equivalent("ref_mac8u_ng45", 8, 8, 20);
}

#[test]
fn a_wrong_gate_is_caught() {
    // Control: the check must fail when one NAND becomes a NOR (same pins).
    let text = std::fs::read_to_string(repo_root().join("netlists/mac3u_sg13g2.v")).unwrap();
    assert!(text.contains("sg13g2_nand2_1 "));
    let broken = text.replacen("sg13g2_nand2_1 ", "sg13g2_nor2_1 ", 1);
    let dir = scratch("equiv-mutant");
    let path = dir.join("mutant.v");
    std::fs::write(&path, broken).unwrap();
    let (ok, out) = check_equiv(&["mac3u_sg13g2", path.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!ok, "{out}");
    assert!(out.contains("MISMATCH"), "{out}");
    assert!(!out.contains(", 0 mismatches"), "{out}");
}
