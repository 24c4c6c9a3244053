//! The VCD writer against the readers that matter: the stimulus and outputs
//! read back, the Icarus Verilog dump that OpenSTA's `read_vcd` read for the
//! reference power reports, and GTKWave's own VCD → FST → VCD conversion.
//! All files are parsed by one small reader written here, independent of
//! the writer.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::{case_file, liberty};
use liberty::Library;
use netlist::Netlist;
use sim::vcd::VcdWriter;
use sim::{run_stimulus, DelayModel, RunSummary, SimOptions, Simulator, Stimulus};

// ---------------------------------------------------------------- reader

/// A VCD as a viewer or OpenSTA sees it: 1-bit signals by scope path.
struct Vcd {
    timescale: String,
    /// Every 1-bit signal, vectors split into their bits, by full scope path
    /// (`tb/dut/p_in[3]`, `tb/dut/_21_/A1`) → (identifier code, position of
    /// its bit in that code's values, MSB first).
    vars: BTreeMap<String, (String, usize)>,
    /// Every value written per identifier code, in file order, as (time,
    /// value padded to the code's width, MSB first); `$dumpvars` included.
    writes: HashMap<String, Vec<(u64, String)>>,
    /// Number of values written outside `$dumpvars`.
    changes: usize,
    /// The last timestamp.
    end_time: u64,
}

impl Vcd {
    /// Every value written for one signal, as (time, value).
    fn writes_of(&self, path: &str) -> Vec<(u64, char)> {
        let (id, bit) = self
            .vars
            .get(path)
            .unwrap_or_else(|| panic!("no var {path}"));
        self.writes.get(id).map_or(Vec::new(), |w| {
            w.iter()
                .map(|(t, v)| (*t, v.as_bytes()[*bit] as char))
                .collect()
        })
    }

    /// What a viewer shows for one signal: the value it holds after each
    /// timestamp it was written at (the last write there wins), kept only
    /// where it differs from the value before. The first entry is the
    /// initial value.
    fn wave(&self, path: &str) -> Vec<(u64, char)> {
        let mut wave: Vec<(u64, char)> = Vec::new();
        for (t, v) in self.writes_of(path) {
            match wave.last_mut() {
                Some(last) if last.0 == t => last.1 = v,
                _ => wave.push((t, v)),
            }
        }
        wave.dedup_by(|later, earlier| later.1 == earlier.1);
        wave
    }

    /// The value of a signal after every write at or before `time`.
    fn value_at(&self, path: &str, time: u64) -> char {
        let writes = self.writes_of(path);
        writes
            .iter()
            .take_while(|(t, _)| *t <= time)
            .last()
            .unwrap_or_else(|| panic!("{path} has no value at {time}"))
            .1
    }

    /// The identifier code of a signal.
    fn id(&self, path: &str) -> &str {
        &self
            .vars
            .get(path)
            .unwrap_or_else(|| panic!("no var {path}"))
            .0
    }
}

/// The tokens up to the next `$end`.
fn until_end<'a>(tokens: &mut impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut body = Vec::new();
    for t in tokens.by_ref() {
        if t == "$end" {
            return body;
        }
        body.push(t);
    }
    panic!("unterminated section");
}

/// `name[msb:lsb]` → (`name`, msb, lsb).
fn split_range(name: &str) -> Option<(&str, i64, i64)> {
    let (base, range) = name.strip_suffix(']')?.rsplit_once('[')?;
    let (msb, lsb) = range.split_once(':')?;
    Some((base, msb.parse().ok()?, lsb.parse().ok()?))
}

/// A vector value padded on the left to `width` bits (IEEE 1364 §18.2.1:
/// with `0` after a leading `0` or `1`, else with the leading `x` or `z`).
fn pad(value: &str, width: usize) -> String {
    let value = value.to_ascii_lowercase();
    assert!(
        !value.is_empty() && value.len() <= width,
        "{value} for {width} bits"
    );
    assert!(value.bytes().all(|b| b"01xz".contains(&b)), "{value}");
    let fill = match value.as_bytes()[0] {
        b'x' => 'x',
        b'z' => 'z',
        _ => '0',
    };
    let mut padded: String = std::iter::repeat_n(fill, width - value.len()).collect();
    padded.push_str(&value);
    padded
}

fn read_vcd(text: &str) -> Vcd {
    let mut tokens = text.split_whitespace();
    let mut vcd = Vcd {
        timescale: String::new(),
        vars: BTreeMap::new(),
        writes: HashMap::new(),
        changes: 0,
        end_time: 0,
    };
    let mut widths: HashMap<String, usize> = HashMap::new();
    let mut scope: Vec<&str> = Vec::new();
    // Header.
    while let Some(t) = tokens.next() {
        match t {
            "$version" | "$date" | "$comment" => {
                until_end(&mut tokens);
            }
            "$timescale" => vcd.timescale = until_end(&mut tokens).concat(),
            "$scope" => scope.push(until_end(&mut tokens)[1]),
            "$upscope" => {
                until_end(&mut tokens);
                scope.pop().expect("balanced scopes");
            }
            "$var" => {
                let body = until_end(&mut tokens);
                let width: usize = body[1].parse().unwrap();
                let id = body[2].to_string();
                let name = body[3..].concat();
                let prefix = scope.join("/");
                // One path per bit: `p_in [3:0]` is p_in[3] .. p_in[0].
                let bits: Vec<String> = match split_range(&name) {
                    Some((base, msb, lsb)) => {
                        assert_eq!(msb.abs_diff(lsb) as usize + 1, width, "{body:?}");
                        let step = if msb >= lsb { -1 } else { 1 };
                        (0..width as i64)
                            .map(|j| format!("{prefix}/{base}[{}]", msb + step * j))
                            .collect()
                    }
                    None => {
                        assert_eq!(width, 1, "a vector without a range: {body:?}");
                        vec![format!("{prefix}/{name}")]
                    }
                };
                if let Some(w) = widths.insert(id.clone(), width) {
                    assert_eq!(w, width, "{id} declared with two widths");
                }
                for (pos, path) in bits.into_iter().enumerate() {
                    assert!(
                        vcd.vars.insert(path.clone(), (id.clone(), pos)).is_none(),
                        "{path} twice"
                    );
                }
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
    while let Some(t) = tokens.next() {
        let (value, id) = match t.as_bytes()[0] {
            b'#' => {
                let stamp: u64 = t[1..].parse().unwrap();
                assert!(
                    time.is_none_or(|prev| stamp > prev),
                    "timestamps must increase"
                );
                time = Some(stamp);
                vcd.end_time = stamp;
                continue;
            }
            b'$' => {
                match t {
                    "$dumpvars" | "$dumpall" | "$dumpon" | "$dumpoff" => in_dump = true,
                    "$end" => in_dump = false,
                    "$comment" => {
                        until_end(&mut tokens);
                    }
                    other => panic!("unexpected keyword {other}"),
                }
                continue;
            }
            b'b' | b'B' => (
                &t[1..],
                tokens.next().expect("an identifier after a vector"),
            ),
            b'0' | b'1' | b'x' | b'X' | b'z' | b'Z' => t.split_at(1),
            _ => panic!("unexpected value change {t}"),
        };
        let width = *widths
            .get(id)
            .unwrap_or_else(|| panic!("undeclared identifier {id}"));
        vcd.writes
            .entry(id.to_string())
            .or_default()
            .push((time.expect("a timestamp first"), pad(value, width)));
        if !in_dump {
            vcd.changes += 1;
        }
    }
    vcd
}

// ---------------------------------------------------------------- helpers

/// A reference case: library, netlist and stimulus.
struct Case {
    name: &'static str,
    lib: Library,
    netlist: Netlist,
    stimulus: Stimulus,
}

impl Case {
    fn load(name: &'static str, lib_file: &str) -> Case {
        let lib = liberty::read_library(liberty(lib_file)).unwrap();
        let netlist = Netlist::read(case_file(name, "netlist.v"), &lib, None).unwrap();
        let stimulus = Stimulus::read(case_file(name, "stimulus.csv"), &netlist.inputs).unwrap();
        Case {
            name,
            lib,
            netlist,
            stimulus,
        }
    }

    /// Our VCD of the stimulus under `delay_model`, 10 ns per row (as in the
    /// reference testbench), and the run.
    fn vcd(&self, delay_model: DelayModel) -> (String, RunSummary) {
        let options = SimOptions {
            delay_model,
            period_ns: 10.0,
            ..SimOptions::default()
        };
        let mut sim = Simulator::new(&self.netlist, &self.lib, &options).unwrap();
        sim.settle(&self.stimulus.rows[0]).unwrap();
        let mut writer = VcdWriter::new(Vec::new(), &self.netlist, &self.lib, &sim).unwrap();
        let run = run_stimulus(&mut sim, &self.stimulus, &mut writer).unwrap();
        let bytes = writer.finish(run.steps.len()).unwrap();
        (String::from_utf8(bytes).unwrap(), run)
    }

    /// The reference `sim.vcd.gz` (Icarus Verilog) that OpenSTA read: in
    /// tests/fixtures for ref_small_ng45; the 8-bit ones (1 MB each) only in
    /// ../shared, `None` (with a skip notice) without it.
    fn reference_vcd(name: &str) -> Option<Vcd> {
        let path = if name == "ref_small_ng45" {
            case_file(name, "sim.vcd.gz")
        } else {
            testdata::shared(&format!("reference/{name}/sim.vcd.gz"), "Icarus VCD")?
        };
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Some(read_vcd(&text))
    }

    /// The signals of a dump of `tb.dut` that describe the netlist: port
    /// bits, top-level nets and instance pins. Icarus also dumps the nets
    /// inside its Yosys-generated cell models (`_0_`, ...); those are not
    /// pins of the cell and are left out.
    fn design_signals(&self, vcd: &Vcd) -> BTreeSet<String> {
        let instances: HashMap<&str, usize> = self
            .netlist
            .instances
            .iter()
            .map(|inst| (inst.name.as_str(), inst.cell))
            .collect();
        let mut signals = BTreeSet::new();
        for path in vcd.vars.keys() {
            let rest = path
                .strip_prefix("tb/dut/")
                .unwrap_or_else(|| panic!("{path} outside tb/dut"));
            match rest.rsplit_once('/') {
                None => {
                    signals.insert(path.clone());
                }
                Some((inst, name)) => {
                    let cell = instances
                        .get(inst)
                        .unwrap_or_else(|| panic!("{path}: no instance {inst}"));
                    if self.lib.cells[*cell].pins.iter().any(|p| p.name == name) {
                        signals.insert(path.clone());
                    }
                }
            }
        }
        signals
    }
}

/// Assert two sets of signal paths are equal, naming a few differences.
fn assert_same_paths(ours: &BTreeSet<String>, theirs: &BTreeSet<String>, what: &str) {
    let missing: Vec<&String> = theirs.difference(ours).take(5).collect();
    let extra: Vec<&String> = ours.difference(theirs).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: ours lacks {missing:?}, has extra {extra:?} ({} vs {} signals)",
        ours.len(),
        theirs.len()
    );
}

/// Assert `f(path)` agrees for every path, naming the first difference.
fn assert_same_per_signal(
    ours: &Vcd,
    theirs: &Vcd,
    paths: &BTreeSet<String>,
    what: &str,
    f: impl Fn(&Vcd, &str) -> Vec<(u64, char)>,
) {
    for path in paths {
        let (a, b) = (f(ours, path), f(theirs, path));
        if a != b {
            let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            panic!(
                "{what}: {path} differs at entry {at}: ours {:?}, theirs {:?} ({} vs {} entries)",
                a.get(at),
                b.get(at),
                a.len(),
                b.len()
            );
        }
    }
}

/// Run a GTKWave conversion tool, failing with the package to install if it
/// is missing.
fn gtkwave_tool(name: &str, args: &[&Path]) {
    let output = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name}: {e}; install Debian's `gtkwave` package (.ci/run does)")
    });
    assert!(
        output.status.success(),
        "{name} {args:?}: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Our VCD converted by GTKWave's `vcd2fst` to FST and back by `fst2vcd`.
fn through_fst(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (vcd, fst, back) = (
        dir.path().join("ours.vcd"),
        dir.path().join("ours.fst"),
        dir.path().join("back.vcd"),
    );
    std::fs::write(&vcd, text).unwrap();
    gtkwave_tool("vcd2fst", &[&vcd, &fst]);
    gtkwave_tool("fst2vcd", &[Path::new("-o"), &back, &fst]);
    std::fs::read_to_string(&back).unwrap()
}

// ---------------------------------------------------------------- tests

/// The waveform carries the stimulus and the right outputs: reading each
/// period's final port values back gives the stimulus row and
/// `p_in + w*a`, and instance pins share their net's identifier code, so a
/// reader needs no netlist to annotate pins.
#[test]
fn vcd_reads_back_to_the_stimulus_and_outputs() {
    let c = Case::load("ref_small_ng45", "nangate45_typ.lib.gz");
    let (text, run) = c.vcd(DelayModel::Sdf);
    let vcd = read_vcd(&text);

    assert_eq!(vcd.timescale, "1ps");
    assert_eq!(vcd.end_time, c.stimulus.rows.len() as u64 * 10_000);
    // Every signal has an initial value; every later write is a real change.
    for path in vcd.vars.keys() {
        let writes = vcd.writes_of(path);
        assert_eq!(writes.first().map(|w| w.0), Some(0), "{path}");
        assert!(
            writes.windows(2).all(|w| w[0].1 != w[1].1),
            "{path}: a write that changes nothing"
        );
    }
    let toggles: u64 = run.steps.iter().map(|s| s.toggles as u64).sum();
    assert_eq!(vcd.changes as u64, toggles);

    // Instance pins share their net's code: `AND3_X1 _21_ (.A1(p_in[0]), ...)`.
    assert_eq!(vcd.id("tb/dut/_21_/A1"), vcd.id("tb/dut/p_in[0]"));
    assert_eq!(vcd.id("tb/dut/_23_/ZN"), vcd.id("tb/dut/p_out[0]"));
    assert_eq!(vcd.id("tb/dut/_23_/A1"), vcd.id("tb/dut/_21_/ZN"));

    // Port values at the end of each period: the row, and p_in + w*a.
    let bits = |port: &str, width: usize, time: u64| {
        (0..width).fold(0u64, |v, b| {
            v | ((vcd.value_at(&format!("tb/dut/{port}[{b}]"), time) == '1') as u64) << b
        })
    };
    let text = std::fs::read_to_string(case_file(c.name, "stimulus.csv")).unwrap();
    for (k, line) in text.lines().skip(1).enumerate() {
        let row: Vec<u64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        let last = (k as u64 + 1) * 10_000 - 1;
        let (w, a, p_in) = (row[0], row[1], row[2]);
        assert_eq!(
            [
                bits("w", 2, last),
                bits("a", 2, last),
                bits("p_in", 4, last)
            ],
            [w, a, p_in],
            "row {k}"
        );
        assert_eq!(bits("p_out", 5, last), p_in + w * a, "row {k}");
    }
}

/// Our zero-delay VCD describes the same waveforms, under the same names,
/// as the Icarus Verilog dump (`$dumpvars(0, tb.dut)`, row k at k·10 ns)
/// that OpenSTA's `read_vcd -scope tb/dut` annotated every pin from for the
/// reference `report_power`: same timescale, same port bits (Icarus dumps
/// buses as vectors, we per bit), top-level nets and instance pins under
/// the same scope paths, the same initial values and changes at the same
/// times, and the same end time (OpenSTA divides by the time span).
fn agrees_with_reference_dump(name: &'static str, lib_file: &str) {
    let Some(theirs) = Case::reference_vcd(name) else {
        return;
    };
    let c = Case::load(name, lib_file);
    let (text, _) = c.vcd(DelayModel::Zero);
    let ours = read_vcd(&text);

    assert_eq!(ours.timescale, theirs.timescale, "{name}");
    assert_eq!(ours.end_time, theirs.end_time, "{name}: end time");
    let signals = c.design_signals(&theirs);
    let our_signals: BTreeSet<String> = ours.vars.keys().cloned().collect();
    assert_same_paths(&our_signals, &signals, name);
    assert_same_per_signal(&ours, &theirs, &signals, name, Vcd::wave);
    eprintln!(
        "{name}: {} signals, {} value changes agree",
        signals.len(),
        signals
            .iter()
            .map(|p| theirs.wave(p).len() - 1)
            .sum::<usize>()
    );
}

/// The hand-checkable case (NanGate45, 26 cells).
#[test]
fn zero_delay_vcd_matches_icarus_dump_small_ng45() {
    agrees_with_reference_dump("ref_small_ng45", "nangate45_typ.lib.gz");
}

/// A full 8-bit MAC on the shipped library family (SG13G2), 1000 rows
/// (extra case: the reference VCD is only in ../shared).
#[test]
fn zero_delay_vcd_matches_icarus_dump_mac8u_sg13g2() {
    agrees_with_reference_dump("ref_mac8u_sg13g2", "sg13g2_stdcell_typ_1p20V_25C.lib");
}

/// GTKWave reads our VCD: converted by its `vcd2fst` to FST and back by
/// `fst2vcd`, every var comes back under the same scope path and every
/// written value at the same time, and the file ends at the same time.
fn survives_gtkwave(text: &str, what: &str) {
    let ours = read_vcd(text);
    let back = read_vcd(&through_fst(text));
    assert_eq!(back.timescale, ours.timescale, "{what}");
    assert_eq!(back.end_time, ours.end_time, "{what}: end time");
    let paths: BTreeSet<String> = ours.vars.keys().cloned().collect();
    let back_paths: BTreeSet<String> = back.vars.keys().cloned().collect();
    assert_same_paths(&paths, &back_paths, what);
    assert_same_per_signal(&ours, &back, &paths, what, Vcd::writes_of);
}

/// A timed (SDF delay model) run has glitches and transitions between whole
/// nanoseconds; GTKWave must keep all of them.
#[test]
fn timed_vcd_survives_gtkwave_fst_round_trip() {
    let c = Case::load("ref_small_ng45", "nangate45_typ.lib.gz");
    let (text, run) = c.vcd(DelayModel::Sdf);
    let vcd = read_vcd(&text);
    assert!(run.steps.iter().any(|s| s.glitches > 0), "no glitches");
    assert!(
        vcd.writes.values().flatten().any(|(t, _)| t % 1000 != 0),
        "no transition off a whole ns"
    );
    survives_gtkwave(&text, "timed");
}

/// The zero-delay VCD (the kind OpenSTA reads) also survives GTKWave.
#[test]
fn zero_delay_vcd_survives_gtkwave_fst_round_trip() {
    let c = Case::load("ref_small_ng45", "nangate45_typ.lib.gz");
    let (text, _) = c.vcd(DelayModel::Zero);
    survives_gtkwave(&text, "zero-delay");
}
