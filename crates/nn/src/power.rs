//! Network power: the integer network run on real images, its MAC layers
//! streamed through the systolic array model, energies from the tables.

use rayon::prelude::*;
use serde::Serialize;
use tables::vdd_model::{scale_dynamic_energy, scale_leakage_power};

use crate::data::Dataset;
use crate::error::{NnError, Result};
use crate::infer::IntNet;
use crate::systolic::{ActIndex, ArrayShape, IdleModel, LayerSim};
use crate::table::EnergyTable;

/// Images whose lowered inputs are held at once (bounds memory while the
/// forward passes run in parallel).
const CHUNK_IMAGES: usize = 32;

/// Power of one layer, per inference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerPower {
    /// Layer name.
    pub name: String,
    /// Multiply-accumulates with a real weight.
    pub macs: f64,
    /// Weight tiles loaded.
    pub tiles: usize,
    /// Array cycles.
    pub cycles: f64,
    /// Energy of PEs holding weights of the layer, fJ.
    pub active_energy_fj: f64,
    /// Energy of idle PEs, fJ.
    pub idle_energy_fj: f64,
    /// `active_energy_fj + idle_energy_fj`, fJ.
    pub energy_fj: f64,
    /// This layer's part of the network's average power: its energy over
    /// the whole inference time plus the leakage of its cycles, W. The
    /// layers' `power_w` add up to the network's.
    pub power_w: f64,
}

/// Activation transitions seen by the PEs holding weights: `counts[i * A + j]`
/// is how often a PE saw `acts[i]` followed by `acts[j]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransitionStats {
    /// Activation value of each index (the tables' order).
    pub acts: Vec<i64>,
    /// Counts, `[A, A]` row-major.
    pub counts: Vec<u64>,
}

/// MAC-array power of the network, per inference, averaged over images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkPower {
    /// Table directory.
    pub tables: String,
    /// Layers estimated with their own tables: layer name → directory.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub layer_tables: std::collections::BTreeMap<String, String>,
    /// Array size.
    pub array: ArrayShape,
    /// What idle PEs see.
    pub idle: IdleModel,
    /// Images streamed (one batch).
    pub images: usize,
    /// Clock period, ns.
    pub clock_period_ns: f64,
    /// The partial sums the tables assume (the array's own partial sums
    /// change every cycle; the energies are the tables').
    #[serde(default)]
    pub psum_assumption: String,
    /// Voltage scaling applied to the tables' figures, if any.
    pub vdd: Option<VddScaling>,
    /// Array cycles per inference.
    pub cycles: f64,
    /// Switching energy per inference, fJ.
    pub energy_fj: f64,
    /// Switching energy over inference time, W.
    pub dynamic_power_w: f64,
    /// Leakage of all PEs, W.
    pub leakage_power_w: f64,
    /// `dynamic_power_w + leakage_power_w`, W.
    pub power_w: f64,
    /// `power_w` per PE, W.
    pub pe_power_w: f64,
    /// Per layer, in order.
    pub layers: Vec<LayerPower>,
    /// Transition statistics over all layers.
    #[serde(skip)]
    pub transitions: TransitionStats,
}

/// Supply-voltage scaling of a table set's figures to a voltage without
/// tables of its own (the pruning crate's model: switching energy ∝ V²;
/// leakage from the libraries' own figures when given, else ∝ V).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VddScaling {
    /// Voltage the tables were characterized at, V.
    pub ref_vdd_v: f64,
    /// Voltage the power is wanted at, V.
    pub vdd_v: f64,
    /// Leakage of one MAC at `vdd_v`, W, interpolated between libraries
    /// ([`tables::vdd_model::interpolate_leakage_w`]); `None` scales
    /// the reference tables' leakage as I·V.
    pub leakage_w: Option<f64>,
}

/// How the network's power is computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PowerOptions {
    /// Array size.
    pub array: ArrayShape,
    /// What idle PEs see.
    pub idle: IdleModel,
    /// Clock period, ns.
    pub clock_period_ns: f64,
    /// Scale the tables' figures to another voltage.
    pub vdd: Option<VddScaling>,
}

/// Stream the first `data.len()` images, as one batch, through the array
/// and sum the energies.
pub fn network_power(
    net: &IntNet,
    table: &EnergyTable,
    opts: &PowerOptions,
    data: &Dataset,
) -> Result<NetworkPower> {
    network_power_by_layer(net, table, &[], opts, data)
}

/// [`network_power`] with some layers' energies from their own tables,
/// `(layer name, table)`: tables characterized with the partial sums of
/// that layer (`characterize --psum-layer`). They must have the activation
/// values of `table`; leakage comes from `table`.
pub fn network_power_by_layer(
    net: &IntNet,
    table: &EnergyTable,
    by_layer: &[(&str, &EnergyTable)],
    opts: &PowerOptions,
    data: &Dataset,
) -> Result<NetworkPower> {
    for (i, (name, t)) in by_layer.iter().enumerate() {
        if !net.layers.iter().any(|l| l.spec.name == *name) {
            let names: Vec<&str> = net.layers.iter().map(|l| l.spec.name.as_str()).collect();
            return Err(NnError::Invalid(format!(
                "tables {} are for layer `{name}`, which the network does not have; it has {}",
                t.source.display(),
                names.join(", ")
            )));
        }
        if by_layer[..i].iter().any(|(o, _)| o == name) {
            return Err(NnError::Invalid(format!("two tables for layer `{name}`")));
        }
        if t.acts != table.acts {
            return Err(NnError::Mismatch(format!(
                "tables {} (layer {name}) have other activation values than {}",
                t.source.display(),
                table.source.display()
            )));
        }
    }
    let table_of = |name: &str| {
        by_layer
            .iter()
            .find(|(l, _)| *l == name)
            .map_or(table, |(_, t)| *t)
    };
    let array = opts.array;
    if !(opts.clock_period_ns.is_finite() && opts.clock_period_ns > 0.0) {
        return Err(NnError::Invalid(format!(
            "clock period must be a finite number of ns > 0, found {}",
            opts.clock_period_ns
        )));
    }
    if data.is_empty() {
        return Err(NnError::Invalid(
            "network power needs at least one image".into(),
        ));
    }
    net.check_input(data)?;
    let acts = ActIndex::new(table, net.acts.values())?;
    let tables: Vec<&EnergyTable> = net.layers.iter().map(|l| table_of(&l.spec.name)).collect();
    let mut sims: Vec<LayerSim> = net
        .layers
        .iter()
        .zip(&tables)
        .map(|(l, t)| LayerSim::new(l, t, &acts, array, opts.idle))
        .collect::<Result<_>>()?;
    // Each layer consumes a chunk's images in order, layers in parallel
    // (their streams are independent).
    net.lowered_chunks(data, CHUNK_IMAGES, &mut |lowered| {
        sims.par_iter_mut().enumerate().for_each(|(li, sim)| {
            for img in lowered {
                sim.observe(&img[li], tables[li], &acts);
            }
        });
    });
    let n_img = data.len() as f64;
    let totals: Vec<_> = sims.iter().zip(&tables).map(|(s, t)| s.totals(t)).collect();
    let cycles: f64 = totals.iter().map(|t| t.cycles as f64).sum::<f64>() / n_img;
    let time_ns = cycles * opts.clock_period_ns;
    let pes = (array.rows * array.cols) as f64;
    let (energy_scale, leakage_w) = match opts.vdd {
        Some(v) => (
            scale_dynamic_energy(1.0, v.ref_vdd_v, v.vdd_v),
            v.leakage_w
                .unwrap_or_else(|| scale_leakage_power(table.leakage_w, v.ref_vdd_v, v.vdd_v)),
        ),
        None => (1.0, table.leakage_w),
    };
    let leakage_power_w = pes * leakage_w;
    // fJ / ns = µW.
    let to_w = |energy_fj: f64| energy_fj / time_ns * 1e-6;
    let layers: Vec<LayerPower> = totals
        .iter()
        .map(|t| {
            let energy_fj = (t.active_energy_fj + t.idle_energy_fj) / n_img * energy_scale;
            let layer_cycles = t.cycles as f64 / n_img;
            LayerPower {
                name: t.name.clone(),
                macs: t.macs as f64 / n_img,
                tiles: t.tiles,
                cycles: layer_cycles,
                active_energy_fj: t.active_energy_fj / n_img * energy_scale,
                idle_energy_fj: t.idle_energy_fj / n_img * energy_scale,
                energy_fj,
                power_w: to_w(energy_fj) + leakage_power_w * layer_cycles / cycles,
            }
        })
        .collect();
    let energy_fj: f64 = layers.iter().map(|l| l.energy_fj).sum();
    let dynamic_power_w = to_w(energy_fj);
    let power_w = dynamic_power_w + leakage_power_w;
    let na = table.num_acts();
    let mut counts = vec![0u64; na * na];
    for s in &sims {
        for (c, &x) in counts.iter_mut().zip(s.transitions()) {
            *c += x;
        }
    }
    Ok(NetworkPower {
        tables: table.source.display().to_string(),
        layer_tables: by_layer
            .iter()
            .map(|(l, t)| (l.to_string(), t.source.display().to_string()))
            .collect(),
        array,
        idle: opts.idle,
        images: data.len(),
        clock_period_ns: opts.clock_period_ns,
        psum_assumption: table.psum_assumption.clone(),
        vdd: opts.vdd,
        cycles,
        energy_fj,
        dynamic_power_w,
        leakage_power_w,
        power_w,
        pe_power_w: power_w / pes,
        layers,
        transitions: TransitionStats {
            acts: table.acts.clone(),
            counts,
        },
    })
}
