//! The check of a table set against a gate-level replay of PE streams:
//! what `characterize::replay` measures and `nn` turns into timing-error
//! rates and reports.
//!
//! The replay needs the netlist and the simulator; its results do not, so
//! they live here, where the stages that must not read a netlist can take
//! them.

use serde::Serialize;

use crate::{nearest_rank_percentile, PsumModel};

/// Table estimate against simulation for one layer (or all of them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerCheck {
    /// Layer name (`total` for the sum).
    pub layer: String,
    /// Table directory whose energies give this layer's estimate (absent
    /// for the total, and for layers estimated with the nominal tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tables: Option<String>,
    /// Streams (sampled PEs).
    pub pes: usize,
    /// Cycles simulated.
    pub cycles: u64,
    /// Energy the tables give for these cycles, fJ.
    pub table_energy_fj: f64,
    /// Energy the simulator measured, fJ.
    pub sim_energy_fj: f64,
    /// `(table − sim) / sim`, percent.
    pub error_pct: f64,
    /// Largest per-cycle sensitized delay at the tables' voltage, ns.
    pub max_delay_ns: f64,
    /// 99.9th percentile (nearest rank) of the per-cycle delay, ns.
    pub p999_delay_ns: f64,
    /// Every cycle's delay, ascending, ns.
    #[serde(skip)]
    pub delays_ns: Vec<f32>,
}

impl LayerCheck {
    /// The check of `layer` from its streams: the energies summed, the
    /// delays of every cycle pooled and sorted; `tables` unset.
    pub fn new(layer: &str, parts: &[&StreamCheck]) -> LayerCheck {
        let table: f64 = parts.iter().map(|p| p.table_energy_fj).sum();
        let sim: f64 = parts.iter().map(|p| p.sim_energy_fj).sum();
        let mut delays: Vec<f32> = parts
            .iter()
            .flat_map(|p| p.delays_ns.iter().copied())
            .collect();
        delays.sort_by(f32::total_cmp);
        LayerCheck {
            layer: layer.to_string(),
            tables: None,
            pes: parts.len(),
            cycles: delays.len() as u64,
            table_energy_fj: table,
            sim_energy_fj: sim,
            error_pct: if sim != 0.0 {
                100.0 * (table - sim) / sim
            } else {
                0.0
            },
            max_delay_ns: delays.last().map_or(0.0, |&d| f64::from(d)),
            p999_delay_ns: nearest_rank_percentile(&delays, 99.9),
            delays_ns: delays,
        }
    }

    /// Cycles whose delay, multiplied by `delay_scale` (the delay-model
    /// ratio from the tables' voltage to the one of interest), exceeds
    /// `clock_period_ns`.
    pub fn timing_errors(&self, delay_scale: f64, clock_period_ns: f64) -> u64 {
        let first_bad = self
            .delays_ns
            .partition_point(|&d| f64::from(d) * delay_scale <= clock_period_ns);
        (self.delays_ns.len() - first_bad) as u64
    }

    /// [`LayerCheck::timing_errors`] as a fraction of the cycles.
    pub fn timing_error_rate(&self, delay_scale: f64, clock_period_ns: f64) -> f64 {
        self.timing_errors(delay_scale, clock_period_ns) as f64 / self.cycles.max(1) as f64
    }
}

/// One replayed stream: what a [`LayerCheck`] is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamCheck {
    /// Energy the tables give for the stream's cycles, fJ.
    pub table_energy_fj: f64,
    /// Energy the simulator measured over them, fJ.
    pub sim_energy_fj: f64,
    /// Sensitized delay of each cycle, ns.
    pub delays_ns: Vec<f32>,
}

/// The check of a table set against the gate-level replay of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// Table directory.
    pub tables: String,
    /// Psum model of the tables.
    pub psum_model: PsumModel,
    /// Supply voltage of the tables' library, V.
    pub vdd_v: f64,
    /// Per layer, in the trace's order.
    pub layers: Vec<LayerCheck>,
    /// All layers together.
    pub total: LayerCheck,
    /// Wall time of the simulation, s.
    pub seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_sums_its_streams_and_pools_their_delays() {
        let a = StreamCheck {
            table_energy_fj: 30.0,
            sim_energy_fj: 20.0,
            delays_ns: vec![0.5, 0.1],
        };
        let b = StreamCheck {
            table_energy_fj: 10.0,
            sim_energy_fj: 20.0,
            delays_ns: vec![0.3],
        };
        let c = LayerCheck::new("conv1", &[&a, &b]);
        assert_eq!((c.pes, c.cycles), (2, 3));
        assert_eq!((c.table_energy_fj, c.sim_energy_fj), (40.0, 40.0));
        assert_eq!(c.error_pct, 0.0);
        assert_eq!(c.delays_ns, [0.1, 0.3, 0.5]);
        assert_eq!(c.max_delay_ns, f64::from(0.5f32));
        // At twice the delay, 0.3 and 0.5 ns cycles miss a 0.5 ns clock.
        assert_eq!(c.timing_errors(2.0, 0.5), 2);
        assert_eq!(c.timing_errors(1.0, 0.5), 0);
        assert!((c.timing_error_rate(2.0, 0.5) - 2.0 / 3.0).abs() < 1e-12);
        // 20 fJ estimated against 10 fJ measured: 100 % over.
        let over = StreamCheck {
            table_energy_fj: 20.0,
            sim_energy_fj: 10.0,
            delays_ns: Vec::new(),
        };
        assert_eq!(LayerCheck::new("fc", &[&over]).error_pct, 100.0);
        let empty = LayerCheck::new("none", &[]);
        assert_eq!(
            (empty.cycles, empty.max_delay_ns, empty.error_pct),
            (0, 0.0, 0.0)
        );
    }
}
