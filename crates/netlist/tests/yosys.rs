//! Fresh Yosys output: synthesize netlists/rtl/mac.v with small parameters
//! (the flow of netlists/synth.sh) and read what Yosys writes with and
//! without attributes, flat and with hierarchy kept; check the function
//! exhaustively with the evaluator.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use liberty::Library;
use netlist::logic::LogicEvaluator;
use netlist::Netlist;

const WW: usize = 3;
const AW: usize = 3;
const PW: usize = 8;

/// The SG13G2 library Yosys maps to (uncompressed), as netlists/lib.sh picks it.
fn lib_path() -> PathBuf {
    testdata::liberty("sg13g2_stdcell_typ_1p20V_25C.lib")
}

fn lib() -> &'static Library {
    static LIB: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
    LIB.get_or_init(|| liberty::read_library(lib_path()).unwrap())
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("yosys_{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run a Yosys script; panics with its log on failure.
fn yosys(script: &str, dir: &Path) {
    let out = Command::new("yosys")
        .current_dir(dir)
        .args(["-q", "-p", script])
        .output()
        .expect("yosys is installed (CI installs it)");
    assert!(
        out.status.success(),
        "yosys failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `read; chparam; synth; map; tie cells` as in netlists/synth.sh, for `top`.
fn flow(read: &str, top: &str, extra: &str) -> String {
    format!(
        "{read}
         synth -top {top}
         abc -liberty {lib}
         opt_clean -purge
         hilomap -hicell sg13g2_tiehi L_HI -locell sg13g2_tielo L_LO
         opt_clean -purge
         {extra}",
        lib = lib_path().display()
    )
}

fn chparam(module: &str) -> String {
    format!(
        "read_verilog {rtl}
         chparam -set WW {WW} -set AW {AW} -set PW {PW} -set A_SIGNED 0 {module}",
        rtl = repo().join("netlists/rtl/mac.v").display()
    )
}

/// p_in + times * w * a mod 2^PW, w signed and a unsigned.
fn expected(w: u64, a: u64, p_in: u64, times: i64) -> u64 {
    let prod = sign_extend(w, WW) * a as i64;
    (p_in as i64 + times * prod) as u64 & mask(PW)
}

/// Every input combination of a netlist with ports w, a, p_in, p_out.
fn check_function(n: &Netlist, times: i64) {
    let (w, a, p) = (
        input_index(n, "w"),
        input_index(n, "a"),
        input_index(n, "p_in"),
    );
    let q = output_index(n, "p_out");
    assert_eq!(
        [
            n.inputs[w].width(),
            n.inputs[a].width(),
            n.inputs[p].width()
        ],
        [WW, AW, PW]
    );
    let vectors: Vec<Vec<u64>> = (0..1u64 << (WW + AW + PW))
        .map(|x| {
            let mut v = vec![0; 3];
            v[w] = x & mask(WW);
            v[a] = x >> WW & mask(AW);
            v[p] = x >> (WW + AW);
            v
        })
        .collect();
    let out = LogicEvaluator::new(n, lib())
        .unwrap()
        .eval_vectors(&vectors);
    for (v, o) in vectors.iter().zip(&out) {
        assert_eq!(o[q], expected(v[w], v[a], v[p], times), "{v:?}");
    }
}

#[test]
fn flat_netlist_with_and_without_attributes() {
    let dir = scratch("flat");
    yosys(
        &flow(
            &chparam("mac"),
            "mac",
            "write_verilog -noattr -noexpr noattr.v\nwrite_verilog -noexpr attr.v",
        ),
        &dir,
    );
    let attr_text = std::fs::read_to_string(dir.join("attr.v")).unwrap();
    assert!(
        attr_text.contains("(*"),
        "the attributed netlist has attributes"
    );
    let plain = Netlist::read(dir.join("noattr.v"), lib(), None).unwrap();
    let attr = Netlist::read(dir.join("attr.v"), lib(), None).unwrap();
    assert_eq!(plain.cell_counts(lib()), attr.cell_counts(lib()));
    assert_eq!(plain.instances.len(), attr.instances.len());
    check_function(&plain, 1);
    check_function(&attr, 1);
}

#[test]
fn hierarchical_netlist_is_flattened() {
    let dir = scratch("hier");
    // Two chained MACs: p_out = p_in + 2 * w * a.
    let wrapper = format!(
        "module top(input signed [{w1}:0] w, input [{a1}:0] a, input signed [{p1}:0] p_in,
                    output signed [{p1}:0] p_out);
           wire [{p1}:0] mid;
           mac #(.WW({WW}), .AW({AW}), .PW({PW})) first (.w(w), .a(a), .p_in(p_in), .p_out(mid));
           mac #(.WW({WW}), .AW({AW}), .PW({PW})) second (.w(w), .a(a), .p_in(mid), .p_out(p_out));
         endmodule
",
        w1 = WW - 1,
        a1 = AW - 1,
        p1 = PW - 1
    );
    std::fs::write(dir.join("top.v"), wrapper).unwrap();
    let read = format!(
        "read_verilog {}\nread_verilog top.v",
        repo().join("netlists/rtl/mac.v").display()
    );
    yosys(
        &flow(&read, "top", "write_verilog -noattr -noexpr hier.v"),
        &dir,
    );
    let source = verilog::read_file(dir.join("hier.v")).unwrap();
    assert_eq!(source.modules.len(), 2, "hierarchy kept: top and the mac");
    let n = Netlist::elaborate(&source, lib(), None).unwrap();
    assert_eq!(n.top, "top");
    assert!(n.instances.iter().any(|i| i.name.starts_with("first/")));
    assert!(n.instances.iter().any(|i| i.name.starts_with("second/")));
    let mac = source.modules.iter().find(|m| m.name != "top").unwrap();
    let leaf_count = mac.instances.len() * 2
        + source
            .module("top")
            .unwrap()
            .instances
            .iter()
            .filter(|i| i.cell != mac.name)
            .count();
    assert_eq!(n.instances.len(), leaf_count);
    check_function(&n, 2);
}
