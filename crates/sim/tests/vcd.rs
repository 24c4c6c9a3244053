//! The VCD writer, read back by a minimal independent VCD reader.

mod common;

use std::collections::HashMap;

use common::{case, liberty};
use netlist::Netlist;
use sim::vcd::VcdWriter;
use sim::{run_stimulus, SimOptions, Simulator, Stimulus};

/// What the reader gathers from a VCD.
struct Vcd {
    timescale: String,
    /// Full scope path (`tb/dut/_21_`) + `/` + reference → identifier code.
    vars: HashMap<String, String>,
    /// Value changes after the initial dump: (time, id, value).
    changes: Vec<(u64, String, char)>,
    /// Initial values from `$dumpvars`.
    initial: HashMap<String, char>,
    end_time: u64,
}

/// The tokens up to the next `$end`.
fn until_end(tokens: &mut std::str::SplitWhitespace) -> Vec<String> {
    let mut body = Vec::new();
    for t in tokens.by_ref() {
        if t == "$end" {
            return body;
        }
        body.push(t.to_string());
    }
    panic!("unterminated section");
}

fn read_vcd(text: &str) -> Vcd {
    let mut tokens = text.split_whitespace();
    let mut vcd = Vcd {
        timescale: String::new(),
        vars: HashMap::new(),
        changes: Vec::new(),
        initial: HashMap::new(),
        end_time: 0,
    };
    let mut scope: Vec<String> = Vec::new();
    // Header.
    while let Some(t) = tokens.next() {
        match t {
            "$version" | "$date" | "$comment" => {
                until_end(&mut tokens);
            }
            "$timescale" => vcd.timescale = until_end(&mut tokens).join(""),
            "$scope" => {
                let body = until_end(&mut tokens);
                assert_eq!(body[0], "module");
                scope.push(body[1].clone());
            }
            "$upscope" => {
                until_end(&mut tokens);
                scope.pop().expect("balanced scopes");
            }
            "$var" => {
                let body = until_end(&mut tokens);
                assert_eq!(
                    (body[0].as_str(), body[1].as_str()),
                    ("wire", "1"),
                    "{body:?}"
                );
                let name = body[3..].concat();
                let path = format!("{}/{name}", scope.join("/"));
                assert!(
                    vcd.vars.insert(path.clone(), body[2].clone()).is_none(),
                    "{path} twice"
                );
            }
            "$enddefinitions" => {
                until_end(&mut tokens);
                break;
            }
            other => panic!("unexpected header token {other}"),
        }
    }
    assert!(scope.is_empty());
    // Body.
    let mut time = None;
    let mut in_dump = false;
    for t in tokens {
        if let Some(stamp) = t.strip_prefix('#') {
            let stamp: u64 = stamp.parse().unwrap();
            assert!(
                time.map_or(true, |prev| stamp > prev),
                "timestamps must increase"
            );
            time = Some(stamp);
            vcd.end_time = stamp;
        } else if t == "$dumpvars" {
            in_dump = true;
        } else if t == "$end" {
            in_dump = false;
        } else {
            let (value, id) = t.split_at(1);
            let value = value.chars().next().unwrap();
            assert!(value == '0' || value == '1', "{t}");
            if in_dump {
                vcd.initial.insert(id.to_string(), value);
            } else {
                vcd.changes
                    .push((time.expect("a timestamp first"), id.to_string(), value));
            }
        }
    }
    vcd
}

#[test]
fn vcd_reads_back_to_the_stimulus_and_outputs() {
    let name = "ref_small_ng45";
    let lib = liberty::read_library(liberty("nangate45_typ.lib.gz")).unwrap();
    let netlist = Netlist::read(case(name).join("netlist.v"), &lib, None).unwrap();
    let stimulus = Stimulus::read(case(name).join("stimulus.csv"), &netlist.inputs).unwrap();
    let mut sim = Simulator::new(&netlist, &lib, &SimOptions::default()).unwrap();
    sim.settle(&stimulus.rows[0]).unwrap();
    let mut writer = VcdWriter::new(Vec::new(), &netlist, &lib, &sim).unwrap();
    let run = run_stimulus(&mut sim, &stimulus, &mut writer).unwrap();
    let text = String::from_utf8(writer.finish(run.steps.len()).unwrap()).unwrap();
    let vcd = read_vcd(&text);

    assert_eq!(vcd.timescale, "1ps");
    assert_eq!(vcd.end_time, stimulus.rows.len() as u64 * 10_000);
    // Every declared id has an initial value; every change is a real change.
    let mut value: HashMap<&str, char> = HashMap::new();
    for id in vcd.vars.values() {
        value.insert(id, *vcd.initial.get(id).expect("initial value"));
    }
    let toggles: u64 = run.steps.iter().map(|s| s.toggles as u64).sum();
    assert_eq!(vcd.changes.len() as u64, toggles);

    // Instance pins share their net's code: `AND3_X1 _21_ (.A1(p_in[0]), ...)`.
    let id = |path: &str| {
        vcd.vars
            .get(path)
            .unwrap_or_else(|| panic!("no var {path}"))
            .as_str()
    };
    assert_eq!(id("tb/dut/_21_/A1"), id("tb/dut/p_in[0]"));
    assert_eq!(id("tb/dut/_23_/ZN"), id("tb/dut/p_out[0]"));
    assert_eq!(id("tb/dut/_23_/A1"), id("tb/dut/_21_/ZN"));

    // Port values at the end of each period: the row, and p_in + w*a.
    let bits = |port: &str, width: usize, value: &HashMap<&str, char>| {
        (0..width).fold(0u64, |v, b| {
            v | ((value[id(&format!("tb/dut/{port}[{b}]"))] == '1') as u64) << b
        })
    };
    let text = std::fs::read_to_string(case(name).join("stimulus.csv")).unwrap();
    let rows: Vec<Vec<u64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    let mut changes = vcd.changes.iter().peekable();
    for (k, row) in rows.iter().enumerate() {
        let end = (k as u64 + 1) * 10_000;
        while let Some((t, id, v)) = changes.peek() {
            if *t >= end {
                break;
            }
            assert_ne!(
                value[id.as_str()],
                *v,
                "a change at {t} must change the value"
            );
            value.insert(id, *v);
            changes.next();
        }
        let (w, a, p_in) = (row[0], row[1], row[2]);
        assert_eq!(
            [
                bits("w", 2, &value),
                bits("a", 2, &value),
                bits("p_in", 4, &value)
            ],
            [w, a, p_in],
            "row {k}"
        );
        assert_eq!(bits("p_out", 5, &value), p_in + w * a, "row {k}");
    }
}
