//! The reference netlists (netlists/, byte for byte shared/reference's)
//! against their OpenSTA netlist statistics and their zero-delay simulation
//! outputs (tests/fixtures/reference), and the placed gcd netlist from the
//! OpenROAD flow (when ../shared is there).

mod common;

use common::*;
use liberty::Library;
use netlist::logic::LogicEvaluator;
use netlist::{Driver, Netlist};

fn check_case(case: &str, lib: &Library) {
    let n = Netlist::read(reference(case, "netlist.v"), lib, None).unwrap();
    assert_eq!(n.top, "mac");
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);

    // Structure against OpenSTA's view of the same file.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reference(case, "opensta.json")).unwrap())
            .unwrap();
    let sta = &json["netlist"];
    assert_eq!(
        n.instances.len() as u64,
        sta["cell_count"].as_u64().unwrap()
    );
    let hist = sta["cell_histogram"].as_object().unwrap();
    let counts = n.cell_counts(lib);
    assert_eq!(counts.len(), hist.len());
    for (cell, count) in hist {
        assert_eq!(
            counts.get(cell).copied(),
            Some(count.as_u64().unwrap() as usize),
            "{cell}"
        );
    }
    assert_eq!(
        n.pin_connections() as u64,
        sta["cell_pin_connections"].as_u64().unwrap()
    );
    assert_eq!(n.port_bits() as u64, sta["port_bits"].as_u64().unwrap());
    assert_eq!(n.topo_order.len(), n.instances.len(), "no sequential cells");

    check_worst_path(&n, lib, &json["worst_path"]);

    // Function against the simulation outputs, row by row.
    let (header, rows) = read_csv(&reference(case, "stimulus.csv"));
    let (_, expected) = read_csv(&reference(case, "sim_outputs.csv"));
    assert_eq!(rows.len(), expected.len());
    let ports: Vec<usize> = header.iter().map(|h| input_index(&n, h)).collect();
    let mut vectors = Vec::new();
    for row in &rows {
        let mut v = vec![0u64; n.inputs.len()];
        for (col, &p) in ports.iter().enumerate() {
            v[p] = row[col] as u64; // two's complement; bits above the width are ignored
        }
        vectors.push(v);
    }
    let eval = LogicEvaluator::new(&n, lib).unwrap();
    let out = eval.eval_vectors(&vectors);
    let q = output_index(&n, "p_out");
    let width = n.outputs[q].width();
    for (i, (got, want)) in out.iter().zip(&expected).enumerate() {
        assert_eq!(
            got[q],
            want[0] as u64 & mask(width),
            "row {i}: {:?}",
            rows[i]
        );
    }
}

/// OpenSTA's worst path is a path of our netlist: from the input port bit,
/// through each listed instance (of the listed cell, one level deeper each
/// time), to the output port bit, each step over a net the previous one
/// drives.
fn check_worst_path(n: &Netlist, lib: &Library, path: &serde_json::Value) {
    let steps = path.as_array().unwrap();
    let port_net = |ports: &[netlist::Port], pin: &str| {
        ports
            .iter()
            .flat_map(|p| (0..p.width()).map(move |k| (p.bit_name(k), p.bits[k])))
            .find(|(name, _)| name == pin)
            .unwrap_or_else(|| panic!("no port bit {pin}"))
            .1
    };
    let instance = |step: &serde_json::Value| {
        let pin = step["pin"].as_str().unwrap();
        let inst_name = pin.rsplit_once('/').unwrap().0;
        let i = n
            .instances
            .iter()
            .position(|i| i.name == inst_name)
            .unwrap_or_else(|| panic!("no instance {inst_name}"));
        assert_eq!(
            lib.cells[n.instances[i].cell].name,
            step["cell"].as_str().unwrap(),
            "{pin}"
        );
        i
    };
    let (first, last) = (&steps[0], &steps[steps.len() - 1]);
    assert_eq!(first["cell"], "in");
    assert_eq!(last["cell"], "out");
    let insts: Vec<usize> = steps[1..steps.len() - 1].iter().map(instance).collect();
    // The nets each instance drives (its output pins').
    let driven = |i: usize| -> Vec<netlist::NetId> {
        n.nets
            .iter()
            .enumerate()
            .filter(|(_, net)| matches!(net.driver, Driver::Pin(p) if p.inst.0 as usize == i))
            .map(|(k, _)| netlist::NetId(k as u32))
            .collect()
    };
    let loads_inst = |net: netlist::NetId, i: usize| {
        n.nets[net.0 as usize]
            .loads
            .iter()
            .any(|p| p.inst.0 as usize == i)
    };
    let start = port_net(&n.inputs, first["pin"].as_str().unwrap());
    assert!(
        loads_inst(start, insts[0]),
        "{} does not feed the first cell",
        first["pin"]
    );
    for pair in insts.windows(2) {
        assert!(
            driven(pair[0])
                .into_iter()
                .any(|net| loads_inst(net, pair[1])),
            "no connection {} -> {}",
            n.instances[pair[0]].name,
            n.instances[pair[1]].name
        );
    }
    let end = port_net(&n.outputs, last["pin"].as_str().unwrap());
    assert!(
        driven(insts[insts.len() - 1]).contains(&end),
        "the last cell does not drive {}",
        last["pin"]
    );
    let levels: Vec<u32> = insts.iter().map(|&i| n.level[i]).collect();
    assert!(levels.windows(2).all(|w| w[1] > w[0]), "{levels:?}");
    assert!(n.depth() as usize >= levels.len());
}

#[test]
fn ref_small_ng45_matches_opensta_and_simulation() {
    check_case("ref_small_ng45", nangate45());
}

#[test]
fn ref_mac8u_ng45_matches_opensta_and_simulation() {
    check_case("ref_mac8u_ng45", nangate45());
}

#[test]
fn ref_mac8u_sg13g2_matches_opensta_and_simulation() {
    check_case("ref_mac8u_sg13g2", sg13g2());
}

#[test]
fn ref_small_ng45_is_a_2x2_multiply_add_on_all_inputs() {
    // 256 combinations: p_out = p_in + w*a (all unsigned, no overflow).
    let lib = nangate45();
    let n = Netlist::read(reference("ref_small_ng45", "netlist.v"), lib, None).unwrap();
    let (w, a, p) = (
        input_index(&n, "w"),
        input_index(&n, "a"),
        input_index(&n, "p_in"),
    );
    let q = output_index(&n, "p_out");
    let mut vectors = Vec::new();
    for x in 0..256u64 {
        let mut v = vec![0; 3];
        (v[w], v[a], v[p]) = (x & 3, x >> 2 & 3, x >> 4);
        vectors.push(v);
    }
    let out = LogicEvaluator::new(&n, lib).unwrap().eval_vectors(&vectors);
    for (v, o) in vectors.iter().zip(&out) {
        assert_eq!(o[q], v[p] + v[w] * v[a], "{v:?}");
    }
    // Hand-checked structure: 2+2+4 inputs, 5 outputs, a 26-cell tree.
    assert_eq!(
        n.inputs.iter().map(|p| p.width()).collect::<Vec<_>>(),
        [2, 2, 4]
    );
    assert_eq!(n.outputs[q].bit_name(4), "p_out[4]");
    assert!(n.depth() >= 3 && n.depth() < 26);
}

#[test]
fn gcd_sky130hd_elaborates_with_flops_and_skipped_taps() {
    let Some((lib, path)) = gcd_sky130hd() else {
        return;
    };
    let n = Netlist::read(&path, lib, None).unwrap();
    assert_eq!(n.top, "gcd");
    // 1292 instances in the file, 1040 of them tap cells the library lacks.
    let taps = 1040;
    assert_eq!(n.instances.len(), 1292 - taps);
    let tap_warning = n
        .warnings
        .iter()
        .find(|w| w.contains("sky130_fd_sc_hd__tapvpwrvgnd_1"))
        .expect("a warning about the tap cells");
    assert!(tap_warning.contains(&taps.to_string()), "{tap_warning}");
    let seq = n.sequential_instances();
    // `grep -cE "^ sky130_fd_sc_hd__dfxtp" gcd_sky130hd.v` gives 35.
    assert_eq!(seq.len(), 35);
    assert!(seq.iter().all(|i| lib.cells[n.instances[i.0 as usize].cell]
        .name
        .contains("dfxtp")));
    assert_eq!(n.topo_order.len() + seq.len(), n.instances.len());
    assert!(seq.iter().all(|i| n.level[i.0 as usize] == 0));
    // Ports as declared.
    let widths: Vec<(&str, usize)> = n
        .inputs
        .iter()
        .map(|p| (p.name.as_str(), p.width()))
        .collect();
    assert_eq!(
        widths,
        [
            ("clk", 1),
            ("req_val", 1),
            ("reset", 1),
            ("resp_rdy", 1),
            ("req_msg", 32)
        ]
    );
    let widths: Vec<(&str, usize)> = n
        .outputs
        .iter()
        .map(|p| (p.name.as_str(), p.width()))
        .collect();
    assert_eq!(widths, [("req_rdy", 1), ("resp_val", 1), ("resp_msg", 16)]);
    // The evaluator compiles every cell (flop outputs from their state).
    LogicEvaluator::new(&n, lib).unwrap();
}

/// Euclid, the independent model of what the gcd unit computes.
fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[test]
fn gcd_sky130hd_computes_gcd_cycle_by_cycle() {
    // 64 requests in parallel, one per lane, through the flip-flop state:
    // reset, present {a, b} with req_val, clock until resp_val everywhere.
    let Some((lib, path)) = gcd_sky130hd() else {
        return;
    };
    let n = Netlist::read(path, lib, None).unwrap();
    let port = |name: &str| input_index(&n, name);
    let (reset, req_val, resp_rdy, req_msg) = (
        port("reset"),
        port("req_val"),
        port("resp_rdy"),
        port("req_msg"),
    );
    let (resp_val, resp_msg) = (output_index(&n, "resp_val"), output_index(&n, "resp_msg"));
    let mut e = LogicEvaluator::new(&n, lib).unwrap();
    let ones = [1u64; 64];
    let zeros = [0u64; 64];

    e.set_input_values(reset, &ones);
    e.set_input_values(req_val, &zeros);
    e.set_input_values(resp_rdy, &zeros);
    e.run();
    e.clock();
    e.set_input_values(reset, &zeros);
    e.run();
    assert_eq!(
        e.output_lanes(output_index(&n, "req_rdy"), 0),
        !0,
        "idle after reset"
    );

    let mut state = 0x9e3779b97f4a7c15u64;
    let mut operands = [(0u64, 0u64); 64];
    for o in operands.iter_mut() {
        // Small operands keep the subtractive algorithm short (< 512 cycles).
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *o = ((state >> 33) % 255 + 1, (state >> 45) % 255 + 1);
    }
    let msgs: Vec<u64> = operands.iter().map(|&(a, b)| a << 16 | b).collect();
    e.set_input_values(req_msg, &msgs);
    e.set_input_values(req_val, &ones);
    e.run();
    e.clock();
    e.set_input_values(req_val, &zeros);
    e.run();
    let mut cycles = 0;
    while e.output_lanes(resp_val, 0) != !0 {
        e.clock();
        e.run();
        cycles += 1;
        assert!(cycles < 1000, "no response after {cycles} cycles");
    }
    let results = e.output_values(resp_msg);
    for (j, &(a, b)) in operands.iter().enumerate() {
        assert_eq!(results[j], gcd(a, b), "lane {j}: gcd({a}, {b})");
    }
}
