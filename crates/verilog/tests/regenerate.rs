//! The shipped netlists are what netlists/synth.sh makes from the RTL today,
//! so a change to the RTL or the flow cannot leave them stale.

mod common;

use std::process::Command;

use common::{repo_root, scratch};

#[test]
fn synth_sh_reproduces_every_shipped_netlist() {
    let dir = scratch("regenerate");
    let targets = std::fs::read_to_string(repo_root().join("netlists/targets.txt")).unwrap();
    let lines: Vec<Vec<&str>> = targets
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let names: Vec<&str> = lines.iter().map(|f| f[0]).collect();
    assert_eq!(
        names,
        [
            "mac8u_sg13g2",
            "mac8s_sg13g2",
            "mac8u_ng45",
            "mac2u_sg13g2",
            "mac3u_sg13g2",
            "mac8u_sky130",
            "mac3w2a_sg13g2",
            "ref_mac8u_ng45",
            "ref_small_ng45"
        ]
    );
    // Synthesis maps onto the whole library, so the NanGate45 targets need
    // the full library from ../shared; the SG13G2 one ships in liberty/.
    let full_ng45 = testdata::shared("liberty/nangate45_typ.lib.gz", "NanGate45 synthesis");
    let names: Vec<&str> = lines
        .iter()
        .filter(|f| f[5] != "ng45" || full_ng45.is_some())
        .map(|f| f[0])
        .collect();
    let out = Command::new("bash")
        .arg(repo_root().join("netlists/synth.sh"))
        .arg("--out")
        .arg(&dir)
        .args(&names)
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "synth.sh failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for name in names {
        let fresh = std::fs::read(dir.join(format!("{name}.v"))).unwrap();
        let shipped = std::fs::read(repo_root().join(format!("netlists/{name}.v"))).unwrap();
        assert!(
            fresh == shipped,
            "netlists/{name}.v differs from what netlists/synth.sh makes now"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
