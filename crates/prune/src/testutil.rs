//! Small synthetic tables for tests.

use tables::{LibraryInfo, Meta, PortInfo, TableSet, Tables};

/// Metadata for a synthetic MAC with the given values, clock period and
/// leakage (everything else is filler).
pub fn meta(weights: &[i64], acts: &[i64], sta_ns: f64, leakage_w: f64, vdd_v: f64) -> Meta {
    let port = |name: &str, signed| PortInfo {
        name: name.into(),
        width: 4,
        signed,
    };
    Meta {
        netlist_hash: "ab".repeat(32),
        netlist_file: "mac.v".into(),
        top: "mac".into(),
        library: LibraryInfo {
            name: "synthetic".into(),
            voltage_v: vdd_v,
            file: "synthetic.lib".into(),
        },
        weight_port: port("w", true),
        act_port: port("a", false),
        psum_port: port("p", true),
        weights: weights.to_vec(),
        acts: acts.to_vec(),
        psum_model: tables::PsumModel::Zero,
        psum_samples: 1,
        seed: 1,
        psum_trace_sha256: None,
        psum_trace_draw: None,
        clock_period_ns: sta_ns,
        sta_worst_delay_ns: sta_ns,
        leakage_w,
        units: Default::default(),
        tool_version: "test".into(),
        runtime_s: 0.0,
    }
}

/// Tables whose entry for (weight value, act before, act after) is
/// `f(w, a, b) = (energy_fj, delay_ns)`.
pub fn tables(
    weights: &[i64],
    acts: &[i64],
    sta_ns: f64,
    leakage_w: f64,
    vdd_v: f64,
    f: impl Fn(i64, i64, i64) -> (f32, f32),
) -> Tables {
    let mut energy = Vec::new();
    let mut delay = Vec::new();
    for &w in weights {
        for &a in acts {
            for &b in acts {
                let (e, d) = f(w, a, b);
                energy.push(e);
                delay.push(d);
            }
        }
    }
    Tables::new(
        meta(weights, acts, sta_ns, leakage_w, vdd_v),
        energy,
        delay,
        None,
    )
    .expect("synthetic tables are well formed")
}

/// `tables` as the set at `vdd_v` V, from a made-up directory named after
/// the voltage.
pub fn set(vdd_v: f64, tables: Tables) -> TableSet {
    TableSet {
        vdd_v,
        dir: format!("tables_{vdd_v}V").into(),
        tables,
    }
}
