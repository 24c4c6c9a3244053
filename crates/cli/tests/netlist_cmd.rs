//! `powerprune netlist` against OpenSTA's statistics of the reference netlists.

use std::process::Command;

use serde_json::Value;

fn powerprune(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .unwrap()
}

fn json_of(case: &str, lib: &str, extra: &[&str]) -> Value {
    let netlist = testdata::reference(case, "netlist.v");
    let lib = testdata::liberty(lib);
    let mut args = vec![
        "netlist",
        netlist.to_str().unwrap(),
        "--lib",
        lib.to_str().unwrap(),
        "--json",
    ];
    args.extend(extra);
    let out = powerprune(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// "signed [21:0]" → 22.
fn width_of(decl: &str) -> u64 {
    let inner = &decl[decl.find('[').unwrap() + 1..decl.find(']').unwrap()];
    let (msb, lsb) = inner.split_once(':').unwrap();
    msb.trim().parse::<u64>().unwrap() - lsb.trim().parse::<u64>().unwrap() + 1
}

#[test]
fn json_matches_opensta_netlist_section() {
    for (case, lib) in [
        ("ref_mac8u_sg13g2", "sg13g2_stdcell_typ_1p20V_25C.lib"),
        ("ref_small_ng45", "nangate45_typ.lib.gz"),
    ] {
        let got = json_of(case, lib, &[]);
        let sta: Value = serde_json::from_str(
            &std::fs::read_to_string(testdata::reference(case, "opensta.json")).unwrap(),
        )
        .unwrap();
        let nl = &sta["netlist"];
        assert_eq!(got["top"], sta["top_module"]);
        assert_eq!(got["instances"], nl["cell_count"]);
        assert_eq!(got["cell_counts"], nl["cell_histogram"]);
        assert_eq!(got["pin_connections"], nl["cell_pin_connections"]);
        assert_eq!(got["port_bits"], nl["port_bits"]);
        assert_eq!(got["sequential"], 0);
        for (port, decl) in sta["ports"].as_object().unwrap() {
            let side = if port == "p_out" { "outputs" } else { "inputs" };
            assert_eq!(
                got[side][port].as_u64(),
                Some(width_of(decl.as_str().unwrap())),
                "{case} {port}"
            );
        }
        assert_eq!(got["inputs"].as_object().unwrap().len(), 3);
        assert_eq!(got["outputs"].as_object().unwrap().len(), 1);
        let depth = got["depth"].as_u64().unwrap();
        assert!(
            depth > 1 && depth < got["instances"].as_u64().unwrap(),
            "{case}: depth {depth}"
        );
        assert!(got["nets"].as_u64().unwrap() > got["instances"].as_u64().unwrap());
    }
}

#[test]
fn output_load_adds_to_every_output_bit() {
    let case = "ref_small_ng45";
    let base = json_of(case, "nangate45_typ.lib.gz", &[]);
    let loaded = json_of(case, "nangate45_typ.lib.gz", &["--output-load", "0.01"]);
    let added = loaded["total_load_pf"].as_f64().unwrap() - base["total_load_pf"].as_f64().unwrap();
    // p_out has 5 bits, each on its own net.
    assert!((added - 5.0 * 0.01).abs() < 1e-12, "{added}");
}

#[test]
fn text_summary_and_errors() {
    let netlist = testdata::reference("ref_small_ng45", "netlist.v");
    let lib = testdata::liberty("nangate45_typ.lib.gz");
    let out = powerprune(&[
        "netlist",
        netlist.to_str().unwrap(),
        "--lib",
        lib.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("top:          mac"), "{text}");
    assert!(text.contains("p_out[5]"), "{text}");
    assert!(text.contains("instances:    26"), "{text}");

    // The NanGate45 netlist does not bind to SG13G2: a located error, exit 1.
    let sg = testdata::liberty("sg13g2_stdcell_typ_1p20V_25C.lib");
    let out = powerprune(&[
        "netlist",
        netlist.to_str().unwrap(),
        "--lib",
        sg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        // The first instance, line 33, its cell name in column 3.
        err.contains("ref_small_ng45.v:33:3: instance `_21_`: unknown cell or module `AND3_X1`"),
        "{err}"
    );
    assert!(
        err.contains("sg13g2_and3_1"),
        "closest candidates named: {err}"
    );

    let out = powerprune(&[
        "netlist",
        netlist.to_str().unwrap(),
        "--lib",
        lib.to_str().unwrap(),
        "--top",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no module `nope`"));
}
