//! Timing of the gate-level replay at a supply voltage: how many cycles of
//! the traced streams would miss the clock, and the lowest voltage at which
//! none does.
//!
//! The replay (`characterize::replay`, results in [`tables::validation`])
//! measures every cycle's sensitized delay at the tables' (nominal)
//! library. At another voltage `V` each delay is multiplied by `d(V) / d(V_nom)` of the alpha-power law
//! ([`tables::vdd_model`]) fitted through the STA worst delays of the
//! table sets (one per characterized voltage), so the ratio is the library's
//! own slowdown, not one path's.
//!
//! Below the lowest characterized voltage the law extrapolates and its
//! exponent α decides the answer, as in `prune::voltage`: the ratio is then
//! the largest over the fits with α fixed across
//! [`vdd_model::PLAUSIBLE_ALPHA`] that the points allow (the safe end), so
//! a voltage is called clean only if it is clean for every plausible α,
//! unless α is given.

use serde::Serialize;
use tables::validation::Validation;
use tables::vdd_model::{self, AlphaPower, Fit, FitOptions, PLAUSIBLE_ALPHA};
use tables::TableSet;

use crate::error::{NnError, Result};

/// Delay ratio between the nominal voltage and others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DelayScaling {
    /// Voltage the replayed delays were measured at, V.
    pub nominal_vdd_v: f64,
    /// Fit through the table sets' (VDD, STA worst delay) points; `None`
    /// with one table set (then only the nominal voltage can be checked).
    pub fit: Option<Fit>,
    /// Lowest characterized voltage, V: below it the law extrapolates.
    pub lowest_characterized_vdd_v: f64,
    /// Fits with α fixed across the plausible range that the points allow
    /// (empty when α was given); below the lowest characterized voltage the
    /// largest ratio among them and `fit` is used.
    pub alpha_band: Vec<Fit>,
}

impl DelayScaling {
    /// Fit through the table sets' STA worst delays plus
    /// `corner_delays` (further `(vdd_v, STA worst delay ns)` points, e.g.
    /// from sampled voltage corners); `nominal_vdd_v` must be one of the
    /// sets. `opts.alpha` fixes the law's exponent (no band); `None` fits
    /// it where the points allow and takes the safe end of the plausible
    /// band when extrapolating.
    pub fn from_sets(
        sets: &[TableSet],
        corner_delays: &[(f64, f64)],
        nominal_vdd_v: f64,
        opts: FitOptions,
    ) -> Result<DelayScaling> {
        let mut points: Vec<(f64, f64)> = sets
            .iter()
            .map(|s| (s.vdd_v, s.tables.meta().sta_worst_delay_ns))
            .collect();
        for &(v, d) in corner_delays {
            if points.iter().all(|p| (p.0 - v).abs() > 1e-9) {
                points.push((v, d));
            }
        }
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let lowest_characterized_vdd_v = points.iter().map(|p| p.0).fold(nominal_vdd_v, f64::min);
        let fit = if points.len() >= 2 {
            Some(AlphaPower::fit(&points, opts).map_err(|e| {
                NnError::Mismatch(format!(
                    "delay-vs-VDD fit through the tables' STA worst delays: {e}"
                ))
            })?)
        } else {
            None
        };
        let alpha_band = if points.len() >= 2 && opts.alpha.is_none() {
            vdd_model::alpha_band(&points, opts.vt_v, PLAUSIBLE_ALPHA, 10)
        } else {
            Vec::new()
        };
        Ok(DelayScaling {
            nominal_vdd_v,
            fit,
            lowest_characterized_vdd_v,
            alpha_band,
        })
    }

    /// `d(vdd_v) / d(nominal)`.
    pub fn scale(&self, vdd_v: f64) -> Result<f64> {
        if vdd_model::same_vdd(vdd_v, self.nominal_vdd_v) {
            return Ok(1.0);
        }
        let fit = self.fit.as_ref().ok_or_else(|| {
            NnError::Invalid(format!(
                "timing at {vdd_v} V needs tables at two or more voltages (for the delay model); only {} V was given",
                self.nominal_vdd_v
            ))
        })?;
        let ratio = |m: &AlphaPower| match (m.delay_ns(vdd_v), m.delay_ns(self.nominal_vdd_v)) {
            (Some(d), Some(d0)) if d0 > 0.0 => Ok(d / d0),
            _ => Err(NnError::Invalid(format!(
                "{vdd_v} V is at or below the fitted threshold voltage {:.3} V",
                m.vt_v
            ))),
        };
        let mut s = ratio(&fit.model)?;
        if vdd_model::below_vdd(vdd_v, self.lowest_characterized_vdd_v) {
            for f in &self.alpha_band {
                s = s.max(ratio(&f.model)?);
            }
        }
        Ok(s)
    }

    /// Lowest voltage of the grid `lo_v + i·step_v` (up to `hi_v`) at which
    /// a delay of `max_delay_ns` at nominal fits `clock_period_ns`; `None`
    /// when none does. Delay falls monotonically with VDD, so the first
    /// fitting grid point from below is the answer.
    pub fn lowest_vdd(
        &self,
        max_delay_ns: f64,
        clock_period_ns: f64,
        lo_v: f64,
        hi_v: f64,
        step_v: f64,
    ) -> Option<f64> {
        let fits = |v: f64| {
            self.scale(v)
                .is_ok_and(|s| max_delay_ns * s <= clock_period_ns)
        };
        let steps = ((hi_v - lo_v) / step_v).round().max(0.0) as usize;
        (0..=steps)
            .map(|i| lo_v + i as f64 * step_v)
            .map(|v| (v * 1e6).round() / 1e6)
            .find(|&v| fits(v))
    }
}

/// Timing errors of the replayed cycles at one voltage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimingAtVdd {
    /// Supply voltage, V.
    pub vdd_v: f64,
    /// Clock period, ns.
    pub clock_period_ns: f64,
    /// Delay ratio to the nominal voltage.
    pub delay_scale: f64,
    /// Largest cycle delay at this voltage, ns.
    pub max_delay_ns: f64,
    /// Per layer `(name, cycles with delay > clock period, fraction)`.
    pub layers: Vec<LayerTiming>,
    /// All layers.
    pub total: LayerTiming,
}

/// Timing errors of one layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerTiming {
    /// Layer name.
    pub layer: String,
    /// Cycles whose scaled delay exceeds the clock period.
    pub timing_errors: u64,
    /// Their fraction of the cycles.
    pub timing_error_rate: f64,
}

/// Timing errors of `v`'s cycles at `vdd_v`.
pub fn timing_at(
    v: &Validation,
    scaling: &DelayScaling,
    vdd_v: f64,
    clock_period_ns: f64,
) -> Result<TimingAtVdd> {
    let s = scaling.scale(vdd_v)?;
    let one = |l: &tables::validation::LayerCheck| LayerTiming {
        layer: l.layer.clone(),
        timing_errors: l.timing_errors(s, clock_period_ns),
        timing_error_rate: l.timing_error_rate(s, clock_period_ns),
    };
    Ok(TimingAtVdd {
        vdd_v,
        clock_period_ns,
        delay_scale: s,
        max_delay_ns: v.total.max_delay_ns * s,
        layers: v.layers.iter().map(one).collect(),
        total: one(&v.total),
    })
}

/// Text of a validation with its timing at one voltage.
pub fn validation_text(v: &Validation, t: &TimingAtVdd) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "gate-level replay vs tables {} (psum model {}, {} V): {} cycles in {:.1} s",
        v.tables, v.psum_model, v.vdd_v, v.total.cycles, v.seconds
    );
    for l in &v.layers {
        if let Some(dir) = &l.tables {
            let _ = writeln!(s, "  layer {} estimated with tables {dir}", l.layer);
        }
    }
    let _ = writeln!(
        s,
        "timing at {:.3} V (delays x{:.4}), clock {:.4} ns",
        t.vdd_v, t.delay_scale, t.clock_period_ns
    );
    let _ = writeln!(
        s,
        "{:<8} {:>4} {:>9} {:>14} {:>14} {:>8} {:>9} {:>10} {:>11}",
        "layer",
        "PEs",
        "cycles",
        "table fJ",
        "sim fJ",
        "error %",
        "max ns",
        "p99.9 ns",
        "t.err rate"
    );
    for (l, lt) in v
        .layers
        .iter()
        .chain([&v.total])
        .zip(t.layers.iter().chain([&t.total]))
    {
        let _ = writeln!(
            s,
            "{:<8} {:>4} {:>9} {:>14.1} {:>14.1} {:>+8.2} {:>9.4} {:>10.4} {:>11.3e}",
            l.layer,
            l.pes,
            l.cycles,
            l.table_energy_fj,
            l.sim_energy_fj,
            l.error_pct,
            l.max_delay_ns,
            l.p999_delay_ns,
            lt.timing_error_rate
        );
    }
    let _ = writeln!(
        s,
        "(max and p99.9: per-cycle sensitized delay at {} V; error: (table - sim) / sim)",
        v.vdd_v
    );
    s
}

/// The supply voltage a flow may report once the replay has been checked:
/// the selection's, raised on a grid until no replayed cycle misses the
/// clock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedVdd {
    /// The table check and the per-cycle delays behind it.
    pub validation: Validation,
    /// How delays were scaled to other voltages.
    pub delay_scaling: DelayScaling,
    /// Timing at the selection's VDD.
    pub at_selection: TimingAtVdd,
    /// The validated VDD, V: the lowest grid voltage at or above the
    /// selection's with no timing errors.
    pub vdd_v: f64,
    /// Timing there (0 errors by construction).
    pub at_validated: TimingAtVdd,
    /// MAC power of the final network at `vdd_v`, W.
    pub power_w: f64,
    /// Its reduction from the baseline, percent.
    pub reduction_pct: f64,
}

/// Raise `selection_vdd_v` by `step_v` until the replayed cycles of `v`
/// meet `clock_period_ns`, at most to `max_vdd_v`; returns the voltage and
/// the timing at the selection's and at that voltage.
pub fn raise_until_clean(
    v: &Validation,
    scaling: &DelayScaling,
    selection_vdd_v: f64,
    max_vdd_v: f64,
    step_v: f64,
    clock_period_ns: f64,
) -> Result<(f64, TimingAtVdd, TimingAtVdd)> {
    let at_selection = timing_at(v, scaling, selection_vdd_v, clock_period_ns)?;
    let vdd_v = scaling
        .lowest_vdd(
            v.total.max_delay_ns,
            clock_period_ns,
            selection_vdd_v,
            max_vdd_v,
            step_v,
        )
        .ok_or_else(|| {
            NnError::Mismatch(format!(
                "the replayed streams miss the {clock_period_ns} ns clock even at {max_vdd_v} V \
                 (worst cycle {:.4} ns at {} V)",
                v.total.max_delay_ns, v.vdd_v
            ))
        })?;
    let at_validated = timing_at(v, scaling, vdd_v, clock_period_ns)?;
    Ok((vdd_v, at_selection, at_validated))
}
