//! Voltage scaling: spend the timing slack freed by the delay stage on a
//! lower supply voltage.
//!
//! The selected sets' worst sensitized delay at nominal VDD is below the
//! clock period (the STA worst delay by default). Lowering VDD slows every
//! transition; the lowest VDD at which the selected sets' worst delay still
//! fits the clock period is kept. Switching energy falls with V², so this is
//! where most of the saving comes from.
//!
//! Voltages with figures ("anchors") are the table sets (the selection's own
//! delay and energy, measured) and [`VoltageCorner`]s: libraries with only
//! an STA run and a sampled characterization, where the selection's delay
//! is its nominal delay times the STA ratio and its energy its nominal
//! energy times the sampled energy ratio. The alpha-power law is fitted
//! through the anchors' delays (α and Vt both with three or more).
//!
//! Candidate voltages, tried from nominal downwards, stopping at the first
//! that fails: the anchors at or below nominal and, when a delay model could
//! be fitted, a grid of `vdd_step_v` (default 10 mV, a typical regulator
//! step) down to `min_vdd_v` (default half the nominal VDD). At a grid
//! voltage V the delay is the delay at the nearest anchor above, V_ref,
//! times the model ratio `d(V)/d(V_ref)`, so the curve passes through the
//! measurements; the switching energy is V_ref's scaled by `(V/V_ref)²`;
//! leakage is interpolated between the anchors' own figures
//! (`tables::vdd_model::interpolate_leakage_w`).
//!
//! Below the lowest anchor the model extrapolates and α decides the answer.
//! Then the search is repeated with α fixed across
//! [`vdd_model::PLAUSIBLE_ALPHA`] (Vt refitted each time), the spread of
//! voltages is reported ([`Extrapolation`]), and, unless α was given, the
//! highest of them (the safe end) is chosen.

use serde::{Deserialize, Serialize};
use tables::vdd_model::{
    self, below_vdd, same_vdd, AlphaPower, Fit, FitOptions, LeakageBasis, Residual, SampledScaling,
    PLAUSIBLE_ALPHA,
};
use tables::{TableSet, Tables};

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
    /// A library with STA and a sampled characterization only
    /// ([`VoltageCorner`]).
    Sampled,
}

/// A supply voltage characterized cheaply: STA and a sampled sweep of the
/// same netlist on that voltage's library, relative to the same at the
/// nominal library (full tables are needed only at nominal).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VoltageCorner {
    /// Supply voltage, V.
    pub vdd_v: f64,
    /// STA worst delay here / STA worst delay at nominal.
    pub delay_ratio: f64,
    /// Sampled mean transition energy here / the same sample at nominal.
    pub energy_ratio: f64,
    /// The library's leakage with all inputs 0, W.
    pub leakage_w: f64,
    /// How the sampled transitions themselves scale from nominal to here,
    /// which measures the error of the two ratios above (absent from files
    /// written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampled: Option<SampledScaling>,
}

/// Settings of the voltage search.
#[derive(Debug, Clone, PartialEq)]
pub struct VoltageOptions {
    /// Parameters of the alpha-power fit held fixed.
    pub fit: FitOptions,
    /// Lowest VDD the model may be used at, V (default: half the nominal).
    pub min_vdd_v: Option<f64>,
    /// Grid step of model voltages, V.
    pub vdd_step_v: f64,
    /// Further voltages with STA and a sampled characterization only (no
    /// full tables), used as anchors of the delay model and the search.
    pub corners: Vec<VoltageCorner>,
}

impl Default for VoltageOptions {
    fn default() -> Self {
        VoltageOptions {
            fit: FitOptions::default(),
            min_vdd_v: None,
            vdd_step_v: 0.01,
            corners: Vec::new(),
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
    /// Measured, sampled or modelled.
    pub source: Source,
    /// Whether it fits the clock period.
    pub fits_clock: bool,
}

/// The voltage found with `α` fixed at one value (extrapolation band).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BandPoint {
    /// Velocity-saturation index, fixed.
    pub alpha: f64,
    /// Threshold voltage refitted with it, V.
    pub vt_v: f64,
    /// Lowest VDD meeting the clock with that model, V.
    pub vdd_v: f64,
}

/// How far the chosen VDD depends on extrapolating the delay law below the
/// lowest characterized voltage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extrapolation {
    /// Lowest voltage with tables or a sampled library, V.
    pub lowest_characterized_vdd_v: f64,
    /// How far the chosen VDD lies below it, mV (0 when the safe end is
    /// at or above it).
    pub below_lowest_mv: f64,
    /// VDD the fitted (or given-α) model alone would choose, V.
    pub model_vdd_v: f64,
    /// The `α` range of the band: the part of
    /// [`vdd_model::PLAUSIBLE_ALPHA`] consistent with the anchors (all of
    /// it with two).
    pub alpha_range: (f64, f64),
    /// Lowest VDD meeting the clock for each `α` in the range.
    pub band: Vec<BandPoint>,
    /// Lowest and highest VDD of the band, V.
    pub vdd_band_v: (f64, f64),
    /// `safe_end` (the highest VDD of the band, the default) or
    /// `given_alpha` (`--alpha` chose the model).
    pub pick: String,
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
    /// Whether `vdd_v` had tables, a sampled library, or was modelled.
    pub source: Source,
    /// How the leakage at `vdd_v` was obtained.
    pub leakage_basis: LeakageBasis,
    /// Every anchor voltage, plus the chosen one when modelled, ascending.
    pub points: Vec<VoltagePoint>,
    /// The fitted delay model, if one could be fitted.
    pub model: Option<Fit>,
    /// The model against each anchor.
    pub residuals: Vec<Residual>,
    /// Why there is no model, when there is none.
    pub model_note: Option<String>,
    /// Present when the model went below the lowest anchor.
    pub extrapolation: Option<Extrapolation>,
}

/// One voltage with the selection's figures on it.
struct Anchor {
    vdd_v: f64,
    max_delay_ns: f64,
    energy_fj: f64,
    leakage_w: f64,
    source: Source,
}

/// A candidate choice: voltage, anchor index at or above it, whether it is
/// that anchor, and the selection's worst delay there.
#[derive(Clone, Copy)]
struct Choice {
    vdd_v: f64,
    anchor: usize,
    exact: bool,
    delay_ns: f64,
}

/// Finds the lowest VDD at which the selection (`weights`, `acts`) meets
/// `clock_period_ns`. `sets` are table sets with identical value lists;
/// `nominal` indexes the nominal set; `corners` are further voltages with
/// STA and sampled figures only.
#[allow(clippy::too_many_arguments)]
pub fn scale(
    sets: &[TableSet],
    nominal: usize,
    corners: &[VoltageCorner],
    weights: &[i64],
    acts: &[i64],
    act_weights: &ActWeights,
    clock_period_ns: f64,
    opts: &VoltageOptions,
) -> VoltageScaling {
    let nominal_v = sets[nominal].vdd_v;
    let energy_of = |tables: &Tables| {
        let probs =
            act_weights.transition_probs(&tables.meta().acts, &power::act_mask(tables, acts));
        power::mean_energy_fj(tables, &power::weight_indices(tables, weights), &probs)
    };
    let delay_of = |tables: &Tables| {
        power::max_delay_ns(
            tables,
            &power::weight_indices(tables, weights),
            &power::act_mask(tables, acts),
        )
    };
    let mut anchors: Vec<Anchor> = sets
        .iter()
        .map(|s| Anchor {
            vdd_v: s.vdd_v,
            max_delay_ns: delay_of(&s.tables),
            energy_fj: energy_of(&s.tables),
            leakage_w: s.tables.meta().leakage_w,
            source: Source::Tables,
        })
        .collect();
    let (nom_delay, nom_energy) = (anchors[nominal].max_delay_ns, anchors[nominal].energy_fj);
    anchors.extend(
        corners
            .iter()
            .filter(|c| sets.iter().all(|s| !same_vdd(s.vdd_v, c.vdd_v)))
            .map(|c| Anchor {
                vdd_v: c.vdd_v,
                max_delay_ns: nom_delay * c.delay_ratio,
                energy_fj: nom_energy * c.energy_ratio,
                leakage_w: c.leakage_w,
                source: Source::Sampled,
            }),
    );
    anchors.sort_by(|a, b| a.vdd_v.total_cmp(&b.vdd_v));
    let nominal_idx = anchors
        .iter()
        .position(|a| same_vdd(a.vdd_v, nominal_v) && a.source == Source::Tables)
        .expect("nominal set is among the anchors");

    let points: Vec<(f64, f64)> = anchors
        .iter()
        .filter(|a| a.max_delay_ns > 0.0)
        .map(|a| (a.vdd_v, a.max_delay_ns))
        .collect();
    let (model, model_note) = match AlphaPower::fit(&points, opts.fit) {
        Ok(fit) => (Some(fit), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let residuals = model.map(|f| f.residuals(&points)).unwrap_or_default();

    let nominal_choice = Choice {
        vdd_v: nominal_v,
        anchor: nominal_idx,
        exact: true,
        delay_ns: anchors[nominal_idx].max_delay_ns,
    };
    let timing_met = nominal_choice.delay_ns <= clock_period_ns;
    let search =
        |m: Option<&AlphaPower>| lowest_fitting(&anchors, nominal_choice, m, clock_period_ns, opts);
    let mut chosen = if timing_met {
        search(model.as_ref().map(|f| &f.model))
    } else {
        nominal_choice
    };

    let lowest_v = anchors[0].vdd_v;
    let extrapolation = (timing_met && below_vdd(chosen.vdd_v, lowest_v)).then(|| {
        let model_vdd_v = chosen.vdd_v;
        let band: Vec<(BandPoint, Choice)> =
            vdd_model::alpha_band(&points, opts.fit.vt_v, PLAUSIBLE_ALPHA, 10)
                .into_iter()
                .map(|f| {
                    let c = search(Some(&f.model));
                    let p = BandPoint {
                        alpha: f.model.alpha,
                        vt_v: f.model.vt_v,
                        vdd_v: c.vdd_v,
                    };
                    (p, c)
                })
                .collect();
        let given = opts.fit.alpha.is_some();
        if !given {
            if let Some((_, c)) = band
                .iter()
                .max_by(|a, b| a.1.vdd_v.total_cmp(&b.1.vdd_v))
                .filter(|(_, c)| c.vdd_v > chosen.vdd_v)
            {
                chosen = *c;
            }
        }
        let alpha_range = if band.is_empty() {
            PLAUSIBLE_ALPHA
        } else {
            band.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), b| {
                (lo.min(b.0.alpha), hi.max(b.0.alpha))
            })
        };
        let lo = band.iter().map(|b| b.0.vdd_v).fold(model_vdd_v, f64::min);
        let hi = band.iter().map(|b| b.0.vdd_v).fold(model_vdd_v, f64::max);
        Extrapolation {
            lowest_characterized_vdd_v: lowest_v,
            below_lowest_mv: ((lowest_v - chosen.vdd_v) * 1e3).max(0.0),
            model_vdd_v,
            alpha_range,
            band: band.into_iter().map(|b| b.0).collect(),
            vdd_band_v: (lo, hi),
            pick: if given { "given_alpha" } else { "safe_end" }.into(),
        }
    });

    let a = &anchors[chosen.anchor];
    let leak_points: Vec<(f64, f64)> = anchors.iter().map(|a| (a.vdd_v, a.leakage_w)).collect();
    let (leakage_w, leakage_basis) = vdd_model::interpolate_leakage_w(&leak_points, chosen.vdd_v)
        .unwrap_or((a.leakage_w, LeakageBasis::Library));
    let energy_fj = if chosen.exact {
        a.energy_fj
    } else {
        vdd_model::scale_dynamic_energy(a.energy_fj, a.vdd_v, chosen.vdd_v)
    };
    let power = Power::new(energy_fj, leakage_w, clock_period_ns);

    let mut out_points: Vec<VoltagePoint> = anchors
        .iter()
        .map(|a| VoltagePoint {
            vdd_v: a.vdd_v,
            max_delay_ns: a.max_delay_ns,
            source: a.source,
            fits_clock: a.max_delay_ns <= clock_period_ns,
        })
        .collect();
    let source = if chosen.exact {
        a.source
    } else {
        Source::Model
    };
    if !chosen.exact {
        out_points.push(VoltagePoint {
            vdd_v: chosen.vdd_v,
            max_delay_ns: chosen.delay_ns,
            source: Source::Model,
            fits_clock: true,
        });
        out_points.sort_by(|a, b| a.vdd_v.total_cmp(&b.vdd_v));
    }

    VoltageScaling {
        vdd_v: chosen.vdd_v,
        max_delay_ns: chosen.delay_ns,
        timing_met,
        power,
        source,
        leakage_basis,
        points: out_points,
        model,
        residuals,
        model_note,
        extrapolation,
    }
}

/// Walks the candidates from nominal downwards (anchors as measured, grid
/// voltages through `model` from the nearest anchor above) and returns the
/// last that fits the clock; `start` (nominal) when none below does.
fn lowest_fitting(
    anchors: &[Anchor],
    start: Choice,
    model: Option<&AlphaPower>,
    clock_period_ns: f64,
    opts: &VoltageOptions,
) -> Choice {
    let nominal_v = start.vdd_v;
    let mut candidates: Vec<(f64, usize, bool)> = anchors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.vdd_v < nominal_v)
        .map(|(i, a)| (a.vdd_v, i, true))
        .collect();
    if model.is_some() && opts.vdd_step_v > 0.0 {
        let floor = opts.min_vdd_v.unwrap_or(0.5 * nominal_v);
        for k in 1u32.. {
            // Round to 1 µV so grid voltages print cleanly.
            let v = ((nominal_v - f64::from(k) * opts.vdd_step_v) * 1e6).round() / 1e6;
            if v < floor || v <= 0.0 {
                break;
            }
            if anchors.iter().any(|a| same_vdd(a.vdd_v, v)) {
                continue;
            }
            let above = (0..anchors.len())
                .filter(|&i| anchors[i].vdd_v > v)
                .min_by(|&a, &b| anchors[a].vdd_v.total_cmp(&anchors[b].vdd_v));
            if let Some(i) = above {
                candidates.push((v, i, false));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let delay_at = |(v, i, exact): (f64, usize, bool)| -> Option<f64> {
        let a = &anchors[i];
        if exact {
            return Some(a.max_delay_ns);
        }
        let m = model?;
        Some(a.max_delay_ns * m.delay_ns(v)? / m.delay_ns(a.vdd_v)?)
    };
    let mut chosen = start;
    for c in candidates {
        match delay_at(c) {
            Some(d) if d <= clock_period_ns => {
                chosen = Choice {
                    vdd_v: c.0,
                    anchor: c.1,
                    exact: c.2,
                    delay_ns: d,
                };
            }
            _ => break,
        }
    }
    chosen
}

#[cfg(test)]
mod tests;
