//! Gate-level replay of PE streams, and the check of a table set against it.
//!
//! The tables give one number per (w, a → a') with the partial sum modelled
//! ([`crate::psum`]); a real PE sees its own partial sums. Replaying traced
//! streams ([`tables::trace`]) through the event-driven simulator, cycle
//! after cycle from the reset state, with the same simulator settings as the
//! characterization, measures what the tables stand in for: the energy the
//! PE really draws and the sensitized delay of every cycle, whose worst
//! case decides whether a supply voltage makes timing errors.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use tables::trace::{PeStream, PeTrace};
use tables::validation::{LayerCheck, StreamCheck, Validation};
use tables::Tables;

use crate::design::Design;
use crate::engine::Engine;
use crate::ports::{MacPorts, PortRoles};
use crate::{Error, Result};

/// Dynamic energy (switching + internal, fJ) and sensitized delay (ns) of
/// every cycle of one stream.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamCycles {
    /// Energy per cycle, fJ (leakage apart, as in the tables).
    pub energy_fj: Vec<f64>,
    /// Sensitized delay per cycle, ns (0 when no output moved).
    pub delay_ns: Vec<f64>,
}

/// Simulate `stream` on `engine`: settle at (w, a = 0, p_in = 0), the reset
/// state of a freshly loaded tile, then one step per cycle.
pub fn replay_stream<E: Engine>(
    engine: &mut E,
    ports: &MacPorts,
    stream: &PeStream,
) -> Result<StreamCycles> {
    let what = |v: i64, port: &crate::ports::BoundPort, cycle: Option<usize>| {
        Error::Input(format!(
            "trace: layer {} PE {}{}: value {v} does not fit the {}-bit port `{}` ({}..={})",
            stream.layer,
            stream.pe,
            cycle.map(|c| format!(" cycle {c}")).unwrap_or_default(),
            port.encoding.width,
            port.name,
            port.encoding.min(),
            port.encoding.max()
        ))
    };
    if !ports.weight.encoding.contains(stream.weight) {
        return Err(what(stream.weight, &ports.weight, None));
    }
    let mut inputs = vec![0u64; ports.input_count];
    inputs[ports.weight.index] = ports.weight.encoding.bits(stream.weight);
    engine.settle(&inputs)?;
    let mut out = StreamCycles {
        energy_fj: Vec::with_capacity(stream.cycles()),
        delay_ns: Vec::with_capacity(stream.cycles()),
    };
    for (c, (&a, &p)) in stream.acts.iter().zip(&stream.psums).enumerate() {
        if !ports.act.encoding.contains(a) {
            return Err(what(a, &ports.act, Some(c)));
        }
        if !ports.psum.encoding.contains(p) {
            return Err(what(p, &ports.psum, Some(c)));
        }
        inputs[ports.act.index] = ports.act.encoding.bits(a);
        inputs[ports.psum.index] = ports.psum.encoding.bits(p);
        let step = engine.step(&inputs)?;
        out.energy_fj
            .push(step.energy.switching_fj + step.energy.internal_fj);
        out.delay_ns.push(step.delay_ns);
    }
    Ok(out)
}

/// The table's energy for each cycle of `stream` (the transition from the
/// previous cycle's activation, 0 before the first), fJ.
pub fn table_energy_fj(tables: &Tables, stream: &PeStream) -> Result<Vec<f64>> {
    let wi = tables.weight_index(stream.weight).ok_or_else(|| {
        Error::Input(format!(
            "trace: layer {} PE {} holds weight {}, which the tables do not have",
            stream.layer, stream.pe, stream.weight
        ))
    })?;
    let act = |a: i64, c: usize| {
        tables.act_index(a).ok_or_else(|| {
            Error::Input(format!(
                "trace: layer {} PE {} cycle {c}: activation {a} is not in the tables",
                stream.layer, stream.pe
            ))
        })
    };
    let mut prev = act(0, 0)?;
    stream
        .acts
        .iter()
        .enumerate()
        .map(|(c, &a)| {
            let cur = act(a, c)?;
            let e = f64::from(tables.energy_fj(wi, prev, cur));
            prev = cur;
            Ok(e)
        })
        .collect()
}

/// Tables that estimate one layer's energy in place of the nominal ones:
/// typically characterized with partial sums drawn from that layer's
/// streams (`characterize --psum-layer`), since the layers of a network see
/// partial sums of different size and activity.
#[derive(Debug, Clone, Copy)]
pub struct LayerTables<'a> {
    /// Layer name, as in the trace.
    pub layer: &'a str,
    /// The tables.
    pub tables: &'a Tables,
    /// Their directory (for messages and the report).
    pub dir: &'a Path,
}

/// Replay every stream of `trace` on `design` (the netlist and library the
/// tables were made from) and compare with the table estimate: `tables`
/// for every layer not in `by_layer`. Streams run in parallel on `threads`
/// threads (`None`: one per core).
pub fn validate(
    design: &Design,
    tables: &Tables,
    tables_dir: &Path,
    by_layer: &[LayerTables<'_>],
    trace: &PeTrace,
    threads: Option<usize>,
) -> Result<Validation> {
    let start = Instant::now();
    let meta = tables.meta();
    let trace_layers = trace.layers();
    for (t, dir) in [(tables, tables_dir)]
        .into_iter()
        .chain(by_layer.iter().map(|l| (l.tables, l.dir)))
    {
        let m = t.meta();
        if m.netlist_hash != design.netlist_hash || m.library.name != design.lib.name {
            return Err(Error::Input(format!(
                "{}: the tables were made from {} on library {}, not from {} on {}",
                dir.display(),
                m.netlist_file,
                m.library.name,
                design.netlist_file.display(),
                design.lib.name
            )));
        }
    }
    for (i, l) in by_layer.iter().enumerate() {
        if !trace_layers.iter().any(|t| t == l.layer) {
            return Err(Error::Input(format!(
                "tables {} are for layer `{}`, which the trace does not have; it has {}",
                l.dir.display(),
                l.layer,
                trace_layers.join(", ")
            )));
        }
        if by_layer[..i].iter().any(|o| o.layer == l.layer) {
            return Err(Error::Input(format!(
                "two table directories for layer `{}`",
                l.layer
            )));
        }
    }
    let tables_of = |layer: &str| {
        by_layer
            .iter()
            .find(|l| l.layer == layer)
            .map_or(tables, |l| l.tables)
    };
    let roles = PortRoles {
        weight: meta.weight_port.name.clone(),
        act: meta.act_port.name.clone(),
        psum: meta.psum_port.name.clone(),
        weight_signed: meta.weight_port.signed,
        act_signed: meta.act_port.signed,
        psum_signed: meta.psum_port.signed,
    };
    let ports = MacPorts::bind(&design.netlist, &roles)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Input(format!("cannot start threads: {e}")))?;
    let results: Vec<StreamCheck> = pool.install(|| {
        trace
            .streams
            .par_iter()
            .map(|s| {
                let table = table_energy_fj(tables_of(&s.layer), s)?;
                let mut sim = design.simulator(meta.clock_period_ns)?;
                let cycles = replay_stream(&mut sim, &ports, s)?;
                Ok(StreamCheck {
                    table_energy_fj: table.iter().sum(),
                    sim_energy_fj: cycles.energy_fj.iter().sum(),
                    delays_ns: cycles.delay_ns.iter().map(|&d| d as f32).collect(),
                })
            })
            .collect::<Result<_>>()
    })?;
    let layers = trace_layers
        .iter()
        .map(|name| {
            let parts: Vec<_> = trace
                .streams
                .iter()
                .zip(&results)
                .filter(|(s, _)| &s.layer == name)
                .map(|(_, r)| r)
                .collect();
            let mut check = LayerCheck::new(name, &parts);
            check.tables = by_layer
                .iter()
                .find(|l| l.layer == name)
                .map(|l| l.dir.display().to_string());
            check
        })
        .collect();
    let all: Vec<_> = results.iter().collect();
    Ok(Validation {
        tables: tables_dir.display().to_string(),
        psum_model: meta.psum_model,
        vdd_v: meta.library.voltage_v,
        layers,
        total: LayerCheck::new("total", &all),
        seconds: start.elapsed().as_secs_f64(),
    })
}
