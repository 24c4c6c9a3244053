//! Voltage scaling: spend the timing slack freed by the delay stage on a
//! lower supply voltage.
//!
//! The selected sets' worst sensitized delay at nominal VDD is below the
//! clock period (the STA worst delay by default). Lowering VDD slows every
//! transition; the lowest VDD at which the selected sets' worst delay still
//! fits the clock period is kept. Switching energy falls with V², so this is
//! where most of the saving comes from.
//!
//! Candidate voltages, tried from nominal downwards, stopping at the first
//! that fails: the voltages that have tables (their own delays and energies
//! are used as measured) and, when a delay model could be fitted, a grid of
//! `vdd_step_v` (default 10 mV, a typical regulator step) down to `min_vdd_v`
//! (default half the nominal VDD: the alpha-power law is not trusted further
//! from the characterized range). At a grid voltage V the delay is the
//! measured delay at the nearest table voltage above, V_ref, times the model
//! ratio `d(V)/d(V_ref)`, so the curve passes through the measurements; the
//! power is V_ref's switching energy scaled by `(V/V_ref)²` and its leakage
//! scaled by `V/V_ref` (see `characterize::vdd_model`).

use characterize::tables::Tables;
use characterize::vdd_model::{self, AlphaPower, Fit, FitOptions};
use serde::{Deserialize, Serialize};

use crate::actdist::ActWeights;
use crate::power::{self, Power};

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Measured: that voltage has tables.
    Tables,
    /// From the delay model and energy scaling.
    Model,
}

/// Settings of the voltage search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoltageOptions {
    /// Parameters of the alpha-power fit held fixed.
    pub fit: FitOptions,
    /// Lowest VDD the model may be used at, V (default: half the nominal).
    pub min_vdd_v: Option<f64>,
    /// Grid step of model voltages, V.
    pub vdd_step_v: f64,
}

impl Default for VoltageOptions {
    fn default() -> Self {
        VoltageOptions {
            fit: FitOptions::default(),
            min_vdd_v: None,
            vdd_step_v: 0.01,
        }
    }
}

/// The selected sets' worst delay at one voltage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VoltagePoint {
    /// Supply voltage, V.
    pub vdd_v: f64,
    /// Worst sensitized delay of the selected sets, ns.
    pub max_delay_ns: f64,
    /// Measured or modelled.
    pub source: Source,
    /// Whether it fits the clock period.
    pub fits_clock: bool,
}

/// Outcome of the voltage stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoltageScaling {
    /// Chosen supply voltage, V.
    pub vdd_v: f64,
    /// Worst delay of the selected sets there, ns.
    pub max_delay_ns: f64,
    /// Whether that delay fits the clock period (false only when even the
    /// nominal voltage is too slow).
    pub timing_met: bool,
    /// Power of the selected sets at `vdd_v`.
    pub power: Power,
    /// Whether `vdd_v` had tables or was modelled.
    pub source: Source,
    /// Every table voltage, plus the chosen one when modelled, ascending.
    pub points: Vec<VoltagePoint>,
    /// The fitted delay model, if one could be fitted.
    pub model: Option<Fit>,
    /// Why there is no model, when there is none.
    pub model_note: Option<String>,
}

/// One table set with its voltage, and the selection's figures on it.
struct Measured<'a> {
    vdd_v: f64,
    tables: &'a Tables,
    max_delay_ns: f64,
}

/// Finds the lowest VDD at which the selection (`weights`, `acts`) meets
/// `clock_period_ns`. `sets` are (VDD, tables) with identical value lists;
/// `nominal` indexes the nominal set.
pub fn scale(
    sets: &[(f64, &Tables)],
    nominal: usize,
    weights: &[i64],
    acts: &[i64],
    act_weights: &ActWeights,
    clock_period_ns: f64,
    opts: &VoltageOptions,
) -> VoltageScaling {
    let nominal_v = sets[nominal].0;
    let mut measured: Vec<Measured> = sets
        .iter()
        .map(|&(vdd_v, tables)| Measured {
            vdd_v,
            tables,
            max_delay_ns: power::max_delay_ns(
                tables,
                &power::weight_indices(tables, weights),
                &power::act_mask(tables, acts),
            ),
        })
        .collect();
    measured.sort_by(|a, b| a.vdd_v.total_cmp(&b.vdd_v));

    let points: Vec<(f64, f64)> = measured
        .iter()
        .filter(|m| m.max_delay_ns > 0.0)
        .map(|m| (m.vdd_v, m.max_delay_ns))
        .collect();
    let (model, model_note) = match AlphaPower::fit(&points, opts.fit) {
        Ok(fit) => (Some(fit), None),
        Err(e) => (None, Some(e.to_string())),
    };

    // Candidates from nominal downwards: (VDD, index of the nearest table
    // set at or above it, whether it *is* that set).
    let mut candidates: Vec<(f64, usize, bool)> = measured
        .iter()
        .enumerate()
        .filter(|(_, m)| m.vdd_v <= nominal_v)
        .map(|(i, m)| (m.vdd_v, i, true))
        .collect();
    if model.is_some() && opts.vdd_step_v > 0.0 {
        let floor = opts.min_vdd_v.unwrap_or(0.5 * nominal_v);
        let mut k = 1u32;
        loop {
            // Round to 1 µV so grid voltages print cleanly.
            let v = ((nominal_v - f64::from(k) * opts.vdd_step_v) * 1e6).round() / 1e6;
            if v < floor || v <= 0.0 {
                break;
            }
            let is_table = measured.iter().any(|m| (m.vdd_v - v).abs() < 1e-9);
            if !is_table {
                let above = (0..measured.len())
                    .filter(|&i| measured[i].vdd_v > v)
                    .min_by(|&a, &b| measured[a].vdd_v.total_cmp(&measured[b].vdd_v));
                if let Some(i) = above {
                    candidates.push((v, i, false));
                }
            }
            k += 1;
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));

    let delay_at = |&(v, i, exact): &(f64, usize, bool)| -> Option<f64> {
        let m = &measured[i];
        if exact {
            return Some(m.max_delay_ns);
        }
        let fit = model.as_ref()?;
        let ratio = fit.model.delay_ns(v)? / fit.model.delay_ns(m.vdd_v)?;
        Some(m.max_delay_ns * ratio)
    };

    let nominal_idx = measured
        .iter()
        .position(|m| m.vdd_v == nominal_v)
        .expect("nominal set is among the sets");
    let mut chosen = (nominal_v, nominal_idx, true);
    let mut chosen_delay = measured[nominal_idx].max_delay_ns;
    let timing_met = chosen_delay <= clock_period_ns;
    if timing_met {
        for c in &candidates {
            match delay_at(c) {
                Some(d) if d <= clock_period_ns => {
                    chosen = *c;
                    chosen_delay = d;
                }
                _ => break,
            }
        }
    }

    let (v, i, exact) = chosen;
    let m = &measured[i];
    let probs =
        act_weights.transition_probs(&m.tables.meta().acts, &power::act_mask(m.tables, acts));
    let energy_fj =
        power::mean_energy_fj(m.tables, &power::weight_indices(m.tables, weights), &probs);
    let leakage_w = m.tables.meta().leakage_w;
    let power = if exact {
        Power::new(energy_fj, leakage_w, clock_period_ns)
    } else {
        Power::new(
            vdd_model::scale_dynamic_energy(energy_fj, m.vdd_v, v),
            vdd_model::scale_leakage_power(leakage_w, m.vdd_v, v),
            clock_period_ns,
        )
    };

    let mut out_points: Vec<VoltagePoint> = measured
        .iter()
        .map(|m| VoltagePoint {
            vdd_v: m.vdd_v,
            max_delay_ns: m.max_delay_ns,
            source: Source::Tables,
            fits_clock: m.max_delay_ns <= clock_period_ns,
        })
        .collect();
    if !exact {
        out_points.push(VoltagePoint {
            vdd_v: v,
            max_delay_ns: chosen_delay,
            source: Source::Model,
            fits_clock: true,
        });
        out_points.sort_by(|a, b| a.vdd_v.total_cmp(&b.vdd_v));
    }

    VoltageScaling {
        vdd_v: v,
        max_delay_ns: chosen_delay,
        timing_met,
        power,
        source: if exact { Source::Tables } else { Source::Model },
        points: out_points,
        model,
        model_note,
    }
}

#[cfg(test)]
mod tests;
