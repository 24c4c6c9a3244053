//! Helpers shared by the integration tests: paths, scratch directories and
//! an independent oracle (Yosys' own reading of the same file, as JSON).

#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use verilog::{Bit, Connections, DeclKind, Expr, Source};

/// This crate's directory.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    manifest_dir().join("../..")
}

/// A fresh scratch directory unique to this call (tests run in parallel).
pub fn scratch(tag: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("verilog-test-{}-{k}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

/// Run a Yosys script in `cwd`; panics with Yosys' output if it fails.
pub fn yosys(script: &str, cwd: &Path) {
    let out = Command::new("yosys")
        .args(["-q", "-p", script])
        .current_dir(cwd)
        .output()
        .expect("run yosys (Debian package `yosys`; .ci/run installs it)");
    assert!(
        out.status.success(),
        "yosys failed on `{script}`:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Yosys' reading of `netlist` as its JSON netlist.
pub fn yosys_json(netlist: &Path) -> Value {
    let dir = scratch(&format!(
        "json-{}",
        netlist.file_stem().unwrap().to_string_lossy()
    ));
    let json = dir.join("netlist.json");
    yosys(
        &format!(
            "read_verilog {}; write_json {}",
            netlist.display(),
            json.display()
        ),
        &dir,
    );
    let text = std::fs::read_to_string(&json).expect("read yosys json");
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(&text).expect("parse yosys json")
}

/// Yosys' JSON key for a public name: it keeps a backslash before names
/// starting with `$` so they differ from its internal names.
fn jkey(name: &str) -> String {
    if name.starts_with('$') {
        format!("\\{name}")
    } else {
        name.to_string()
    }
}

/// One bit of a connection as written: a net bit or a constant.
#[derive(Debug, Clone, PartialEq)]
enum BitRef {
    Net(String, Option<i64>),
    Const(Bit),
}

/// Bits of `e`, least significant first, using the module's declarations.
fn expand(e: &Expr, ranges: &std::collections::HashMap<&str, Option<(i64, i64)>>) -> Vec<BitRef> {
    let span = |msb: i64, lsb: i64| -> Vec<i64> {
        if msb >= lsb {
            (lsb..=msb).collect()
        } else {
            (msb..=lsb).rev().collect()
        }
    };
    match e {
        Expr::Name(n) => match ranges.get(n.as_str()).copied().flatten() {
            Some((msb, lsb)) => span(msb, lsb)
                .into_iter()
                .map(|k| BitRef::Net(n.clone(), Some(k)))
                .collect(),
            None => vec![BitRef::Net(n.clone(), None)],
        },
        Expr::BitSelect(n, k) => vec![BitRef::Net(n.clone(), Some(*k))],
        Expr::PartSelect(n, msb, lsb) => span(*msb, *lsb)
            .into_iter()
            .map(|k| BitRef::Net(n.clone(), Some(k)))
            .collect(),
        Expr::Concat(parts) => parts.iter().rev().flat_map(|p| expand(p, ranges)).collect(),
        Expr::Const(bits) => bits.iter().map(|b| BitRef::Const(*b)).collect(),
        Expr::Unconnected => Vec::new(),
        Expr::Fill(_) => panic!("Yosys never writes unbased fills"),
    }
}

/// Yosys' id (a number, or a constant string) for one bit.
fn yosys_bit(b: &BitRef, netnames: &Value) -> Value {
    match b {
        BitRef::Const(bit) => Value::String(
            match bit {
                Bit::Zero => "0",
                Bit::One => "1",
                Bit::X => "x",
                Bit::Z => "z",
            }
            .into(),
        ),
        BitRef::Net(name, idx) => {
            let net = &netnames[jkey(name).as_str()];
            assert!(!net.is_null(), "Yosys has no net `{name}`");
            let bits = net["bits"].as_array().unwrap();
            let offset = net["offset"].as_i64().unwrap_or(0);
            let upto = net["upto"].as_i64().unwrap_or(0) == 1;
            let pos = match idx {
                None => 0,
                Some(i) if upto => bits.len() as i64 - 1 - (i - offset),
                Some(i) => i - offset,
            };
            assert!(
                (0..bits.len() as i64).contains(&pos),
                "bit {idx:?} of `{name}` is outside Yosys' net"
            );
            bits[pos as usize].clone()
        }
    }
}

/// Assert that our tree of every module matches Yosys' reading of the same
/// file: module names, ports and directions, instance names and cell types,
/// and every connected pin bit (after Yosys merges `assign` aliases, so an
/// assign's two sides must be the same Yosys bit). Returns the number of
/// pin bits compared.
pub fn check_against_yosys(src: &Source, json: &Value) -> usize {
    let jmods = json["modules"].as_object().expect("modules");
    let ours: std::collections::BTreeSet<&str> =
        src.modules.iter().map(|m| m.name.as_str()).collect();
    let ours: std::collections::BTreeSet<String> = ours.into_iter().map(jkey).collect();
    let theirs: std::collections::BTreeSet<String> = jmods.keys().cloned().collect();
    assert_eq!(ours, theirs, "module names");
    let mut compared = 0;
    for m in &src.modules {
        let jm = &jmods[&jkey(&m.name)];
        let netnames = &jm["netnames"];
        let mut ranges = std::collections::HashMap::new();
        for d in &m.decls {
            ranges.insert(d.name.as_str(), d.range);
        }

        let jports = jm["ports"].as_object().unwrap();
        let mut our_ports: Vec<String> = m.ports.iter().map(|p| jkey(p)).collect();
        our_ports.sort();
        let their_ports: Vec<String> = jports.keys().cloned().collect();
        assert_eq!(our_ports, their_ports, "ports of `{}`", m.name);
        for d in &m.decls {
            let want = match d.kind {
                DeclKind::Input => "input",
                DeclKind::Output => "output",
                DeclKind::Inout => "inout",
                DeclKind::Wire => continue,
            };
            assert_eq!(
                jports[&jkey(&d.name)]["direction"],
                want,
                "direction of `{}`",
                d.name
            );
        }

        for a in &m.assigns {
            let l = expand(&a.lhs, &ranges);
            let r = expand(&a.rhs, &ranges);
            assert_eq!(l.len(), r.len(), "assign widths at line {}", a.line);
            for (lb, rb) in l.iter().zip(&r) {
                assert_eq!(
                    yosys_bit(lb, netnames),
                    yosys_bit(rb, netnames),
                    "assign at line {}: {lb:?} = {rb:?}",
                    a.line
                );
                compared += 1;
            }
        }

        let jcells = jm["cells"].as_object().unwrap();
        assert_eq!(m.instances.len(), jcells.len(), "instances in `{}`", m.name);
        for inst in &m.instances {
            let jc = &jcells[&jkey(&inst.name)];
            assert!(!jc.is_null(), "Yosys has no instance `{}`", inst.name);
            assert_eq!(
                jc["type"],
                jkey(&inst.cell).as_str(),
                "cell of `{}`",
                inst.name
            );
            let conns = &jc["connections"];
            let pins: Vec<(String, &Expr)> = match &inst.connections {
                Connections::Named(v) => v.iter().map(|(p, e)| (p.clone(), e)).collect(),
                Connections::Positional(v) => v
                    .iter()
                    .enumerate()
                    .map(|(k, e)| (format!("${}", k + 1), e))
                    .collect(),
            };
            for (pin, e) in pins {
                let ours: Vec<Value> = expand(e, &ranges)
                    .iter()
                    .map(|b| yosys_bit(b, netnames))
                    .collect();
                let theirs = conns[&pin].as_array().cloned().unwrap_or_default();
                assert_eq!(
                    ours, theirs,
                    "pin {pin} of `{}` (line {})",
                    inst.name, inst.line
                );
                compared += ours.len();
            }
        }
    }
    compared
}

/// Lines of `text` that start an instance of a cell whose name begins with
/// `prefix`: an independent count for the instance totals.
pub fn count_lines_starting_with(text: &str, prefix: &str) -> usize {
    text.lines()
        .filter(|l| l.trim_start().starts_with(prefix))
        .count()
}
