//! PowerPruning on characterization tables.
//!
//! In a MAC array, how much power a MAC draws and how slow its sensitized
//! paths are depend on the weight it holds and on which activation
//! transitions pass through it. Given tables of energy and sensitized delay
//! for every weight × activation transition (see the `tables` crate),
//! this crate:
//!
//! 1. **selects weights by power** (module `weights`): ranks weight values by mean
//!    energy per transition (uniform, or weighted by an activation histogram
//!    or transition matrix, [`ActWeights`]) and keeps the N cheapest; 0 is
//!    always kept, optionally in ± pairs;
//! 2. **selects by timing** (module `timing`): greedily removes the activation
//!    values (and, if needed, weights) that take part in the most transitions
//!    slower than a delay target, or finds the lowest target reachable with a
//!    given number of activation removals;
//! 3. **scales the supply voltage** ([`voltage`]): the slack between the
//!    selected sets' worst delay and the clock period (the STA worst delay by
//!    default) is spent on the lowest VDD that still meets it, using tables
//!    at several voltages and an alpha-power delay model in between;
//! 4. **reports** ([`report`], [`plot`]): power after each stage and its
//!    reduction, kept values, delays, VDD, and `allowed_sets.json` for
//!    retraining.
//!
//! Only tables are read, never a netlist: selection is cheap to rerun with
//! other settings once characterization is done. [`select`] runs all stages.
//!
//! Power of a set is its mean switching energy per cycle (uniform over kept
//! weights, weighted over transitions among allowed activations) divided by
//! the clock period, plus the table set's leakage (module `power`).
//!
//! # Example
//! ```
//! use prune::{select, Options};
//! use tables::{Meta, TableSet, Tables};
//!
//! // A hand-made MAC: three weights, two activations. A transition that
//! // changes the activation costs 1 fJ + 10 fJ per unit of |w|; one that
//! // does not costs nothing. Every delay is 0.5 ns (the STA delay is 1 ns).
//! let (weights, acts) = (vec![-2, 0, 1], vec![0, 1]);
//! let mut energy_fj = Vec::new();
//! for &w in &weights {
//!     for &a in &acts {
//!         for &b in &acts {
//!             energy_fj.push(if a == b { 0.0 } else { 1.0 + 10.0 * (w as f32).abs() });
//!         }
//!     }
//! }
//! let delay_ns = vec![0.5; energy_fj.len()];
//! let tables = Tables::new(Meta::synthetic(weights, acts, 1.2), energy_fj, delay_ns, None)?;
//! let set = TableSet { vdd_v: 1.2, dir: "synthetic".into(), tables };
//!
//! let report = select(&[set], &Options::new(2))?;
//! // 0 is always kept; 1 is the cheaper of the other two.
//! assert_eq!(report.kept_weights, [0, 1]);
//! assert!(report.final_power_w < report.baseline_power_w);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod actdist;
mod error;
pub mod plot;
mod power;
pub mod report;
mod timing;
pub mod voltage;
mod weights;

#[cfg(test)]
mod testutil;

use tables::TableSet;

pub use actdist::ActWeights;
pub use error::{PruneError, Result, Setting};
pub use report::{AllowedSets, Report, Stage};
pub use tables::vdd_model::{FitOptions, SampledScaling};
pub use timing::{DelayMode, Removal, ValueKind};
pub use voltage::{VoltageCorner, VoltageOptions};

/// Settings of a selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Number of weight values to keep (weight 0 included).
    pub keep: usize,
    /// Keep weights in ± pairs.
    pub symmetric: bool,
    /// What the delay stage does.
    pub delay: DelayMode,
    /// Nominal VDD, V; one of the given table voltages (default: the highest).
    pub nominal_vdd_v: Option<f64>,
    /// Clock period, ns (default: the nominal tables' `sta_worst_delay_ns`).
    pub clock_period_ns: Option<f64>,
    /// How activation transitions are weighted.
    pub act_weights: ActWeights,
    /// Voltage search settings.
    pub voltage: VoltageOptions,
}

impl Options {
    /// Defaults: keep `keep` weights, no pairs, delay stage off, uniform
    /// weighting, nominal = highest voltage, clock = STA worst delay.
    pub fn new(keep: usize) -> Options {
        Options {
            keep,
            symmetric: false,
            delay: DelayMode::Off,
            nominal_vdd_v: None,
            clock_period_ns: None,
            act_weights: ActWeights::Uniform,
            voltage: VoltageOptions::default(),
        }
    }
}

/// Runs power-aware weight selection, timing-aware selection and voltage
/// scaling on table sets of one MAC at distinct supply voltages.
pub fn select(sets: &[TableSet], opts: &Options) -> Result<Report> {
    let mut notes = Vec::new();
    let nominal = check_sets(sets, opts.nominal_vdd_v, &mut notes)?;
    let (nominal_v, nt) = (sets[nominal].vdd_v, &sets[nominal].tables);
    let meta = nt.meta();
    let clock_period_ns = clock_period_ns(opts.clock_period_ns, meta)?;
    check_act_weights(&opts.act_weights, nt.num_acts())?;
    check_voltage_options(&opts.voltage)?;

    let all_acts = meta.acts.clone();
    let all_mask = vec![true; all_acts.len()];
    let all_idx: Vec<usize> = (0..nt.num_weights()).collect();
    let probs_all = opts.act_weights.transition_probs(&all_acts, &all_mask);
    let leakage_w = meta.leakage_w;

    // Baseline: every weight, every activation, nominal VDD.
    let base_power = power::Power::new(
        power::mean_energy_fj(nt, &all_idx, &probs_all),
        leakage_w,
        clock_period_ns,
    );
    let max_delay_before = power::max_delay_ns(nt, &all_idx, &all_mask);
    let stage =
        |name: &str, p: power::Power, vdd_v, max_delay_ns, weights: usize, acts: usize| Stage {
            name: name.into(),
            power_w: p.total_w,
            reduction_pct: power::reduction_pct(base_power.total_w, p.total_w),
            dynamic_power_w: p.dynamic_w,
            leakage_power_w: p.leakage_w,
            vdd_v,
            max_delay_ns,
            weights,
            activations: acts,
        };
    let baseline = stage(
        "baseline",
        base_power,
        nominal_v,
        max_delay_before,
        all_idx.len(),
        all_acts.len(),
    );

    // 1. Power-aware weight selection.
    let per_weight: Vec<f64> = all_idx
        .iter()
        .map(|&w| power::mean_energy_fj(nt, &[w], &probs_all))
        .collect();
    let ranking = weights::rank(&meta.weights, &per_weight);
    let kept = weights::keep_cheapest(&ranking, opts.keep, opts.symmetric)?;
    if opts.keep > meta.weights.len() {
        notes.push(format!(
            "keeping {} weights is more than the {} characterized: all are kept",
            opts.keep,
            meta.weights.len()
        ));
    }
    if nt.weight_index(0).is_none() {
        notes.push("weight 0 was not characterized, so it cannot be kept".into());
    }
    let kept_idx = power::weight_indices(nt, &kept);
    let s1_power = power::Power::new(
        power::mean_energy_fj(nt, &kept_idx, &probs_all),
        leakage_w,
        clock_period_ns,
    );
    let s1 = stage(
        STAGE_WEIGHTS,
        s1_power,
        nominal_v,
        power::max_delay_ns(nt, &kept_idx, &all_mask),
        kept.len(),
        all_acts.len(),
    );

    // 2. Timing-aware selection at nominal VDD.
    let delay_sel = timing::select(nt, &kept, opts.delay)?;
    let idx2 = power::weight_indices(nt, &delay_sel.weights);
    let mask2 = power::act_mask(nt, &delay_sel.acts);
    let probs2 = opts.act_weights.transition_probs(&all_acts, &mask2);
    let max_delay_after = power::max_delay_ns(nt, &idx2, &mask2);
    let s2 = stage(
        STAGE_DELAY,
        power::Power::new(
            power::mean_energy_fj(nt, &idx2, &probs2),
            leakage_w,
            clock_period_ns,
        ),
        nominal_v,
        max_delay_after,
        delay_sel.weights.len(),
        delay_sel.acts.len(),
    );

    // 3. Voltage scaling.
    let vs = voltage::scale(
        sets,
        nominal,
        &opts.voltage.corners,
        &delay_sel.weights,
        &delay_sel.acts,
        &opts.act_weights,
        clock_period_ns,
        &opts.voltage,
    );
    if !vs.timing_met {
        notes.push(format!(
            "the selected sets' worst delay {} ns exceeds the clock period {} ns even at nominal VDD",
            vs.max_delay_ns, clock_period_ns
        ));
    }
    if let Some(note) = &vs.model_note {
        notes.push(format!("no delay model between voltages: {note}"));
    }
    if let Some(x) = &vs.extrapolation {
        notes.push(voltage_extrapolation_note(x));
    }
    let s3 = stage(
        STAGE_VOLTAGE,
        vs.power,
        vs.vdd_v,
        vs.max_delay_ns,
        delay_sel.weights.len(),
        delay_sel.acts.len(),
    );

    let mut report = Report {
        kept_weights: delay_sel.weights.clone(),
        allowed_activations: delay_sel.acts.clone(),
        vdd_v: vs.vdd_v,
        nominal_vdd_v: nominal_v,
        clock_period_ns,
        max_delay_ns_before: max_delay_before,
        max_delay_ns_after: max_delay_after,
        max_delay_ns_at_vdd: vs.max_delay_ns,
        baseline_power_w: base_power.total_w,
        final_power_w: s3.power_w,
        reduction_pct: s3.reduction_pct,
        baseline,
        stages: vec![s1, s2, s3],
        keep: opts.keep,
        symmetric: opts.symmetric,
        weights_after_power_selection: kept,
        weight_ranking: ranking,
        all_activations: all_acts,
        act_weighting: opts.act_weights.kind().into(),
        delay_target_ns: delay_sel.target_ns,
        removed: delay_sel.removed,
        timing_met: vs.timing_met,
        voltage: vs,
        assumptions: report::assumptions(
            meta,
            clock_period_ns,
            &opts.act_weights,
            &opts.voltage.corners,
        ),
        notes,
    };
    if let Some(warning) = report.sparse_warning() {
        report.notes.push(warning);
    }
    Ok(report)
}

/// The extrapolation in one sentence for the notes.
fn voltage_extrapolation_note(x: &voltage::Extrapolation) -> String {
    let pick = if x.pick == "safe_end" {
        "the safe (highest) end is used; a fixed alpha picks a model instead".to_string()
    } else {
        "the given alpha chose the model".to_string()
    };
    format!(
        "VDD extrapolated below the lowest characterized {} V: for alpha {}..{} the lowest VDD meeting the clock spans {:.3}..{:.3} V; {pick}",
        x.lowest_characterized_vdd_v, x.alpha_range.0, x.alpha_range.1, x.vdd_band_v.0, x.vdd_band_v.1
    )
}

const STAGE_WEIGHTS: &str = report::STAGE_NAMES[0];
const STAGE_DELAY: &str = report::STAGE_NAMES[1];
const STAGE_VOLTAGE: &str = report::STAGE_NAMES[2];

/// Checks that the sets describe one MAC at distinct voltages and returns
/// the index of the nominal one.
fn check_sets(sets: &[TableSet], nominal: Option<f64>, notes: &mut Vec<String>) -> Result<usize> {
    let Some(TableSet { tables: first, .. }) = sets.first() else {
        return Err(PruneError::Options("no table sets given".into()));
    };
    let mismatch = |vdd_v: f64, reason: String| PruneError::Mismatch { vdd_v, reason };
    for (
        i,
        TableSet {
            vdd_v: v,
            tables: t,
            ..
        },
    ) in sets.iter().enumerate()
    {
        if !(v.is_finite() && *v > 0.0) {
            return Err(PruneError::Options(format!(
                "supply voltage {v} V: expected a finite number > 0"
            )));
        }
        if sets[..i].iter().any(|u| u.vdd_v == *v) {
            return Err(PruneError::Options(format!("two table sets at {v} V")));
        }
        let (m, f) = (t.meta(), first.meta());
        if m.weights != f.weights {
            return Err(mismatch(
                *v,
                "weight values differ from the first set's".into(),
            ));
        }
        if m.acts != f.acts {
            return Err(mismatch(
                *v,
                "activation values differ from the first set's".into(),
            ));
        }
        if m.netlist_hash != f.netlist_hash {
            return Err(mismatch(
                *v,
                "netlist hash differs from the first set's".into(),
            ));
        }
        if (m.psum_model, m.psum_samples) != (f.psum_model, f.psum_samples) {
            notes.push(format!(
                "tables at {v} V assume psum model {}, those at {} V {}: \
                 their delays and energies rest on different partial sums",
                m.psum_label(),
                sets[0].vdd_v,
                f.psum_label()
            ));
        }
        if !tables::vdd_model::same_vdd(m.library.voltage_v, *v) {
            notes.push(format!(
                "tables given as {v} V name library voltage {} V in meta.json",
                m.library.voltage_v
            ));
        }
    }
    nominal_set(sets, nominal)
}

/// The clock period every command uses, ns: `given` when set (a finite
/// number > 0), else the nominal tables' STA worst delay, the netlist's
/// worst arrival at their library, so that "meets timing" means "no slower
/// than the unpruned MAC at nominal VDD".
pub fn clock_period_ns(given: Option<f64>, nominal: &tables::Meta) -> Result<f64> {
    match given {
        Some(t) if t.is_finite() && t > 0.0 => Ok(t),
        Some(t) => Err(PruneError::Setting {
            setting: Setting::ClockPeriod,
            reason: format!("clock period must be a finite number of ns > 0, found {t}"),
        }),
        None if nominal.sta_worst_delay_ns > 0.0 => Ok(nominal.sta_worst_delay_ns),
        None => Err(PruneError::Options(
            "the nominal tables' meta.json has sta_worst_delay_ns = 0; give a clock period".into(),
        )),
    }
}

/// Index of the nominal set among `sets`: the one at `nominal` V, or with
/// `None` the highest voltage (the convention of `select`). An error names
/// the voltages given.
pub fn nominal_set(sets: &[TableSet], nominal: Option<f64>) -> Result<usize> {
    match nominal {
        Some(n) => sets
            .iter()
            .position(|s| (s.vdd_v - n).abs() < 1e-9)
            .ok_or_else(|| {
                let given: Vec<String> = sets.iter().map(|s| format!("{} V", s.vdd_v)).collect();
                PruneError::Options(format!(
                    "nominal VDD {n} V is not one of the given table voltages ({})",
                    given.join(", ")
                ))
            }),
        None => Ok((0..sets.len())
            .max_by(|&a, &b| sets[a].vdd_v.total_cmp(&sets[b].vdd_v))
            .unwrap_or(0)),
    }
}

/// User-fixed model parameters and search settings are checked up front, so
/// a bad value is an error rather than a silently skipped model.
fn check_voltage_options(v: &VoltageOptions) -> Result<()> {
    if let Some(a) = v.fit.alpha {
        if !(a.is_finite() && a >= 1.0) {
            return Err(PruneError::Setting {
                setting: Setting::Alpha,
                reason: format!("alpha must be a finite number >= 1, found {a}"),
            });
        }
    }
    if let Some(vt) = v.fit.vt_v {
        if !(vt.is_finite() && vt >= 0.0) {
            return Err(PruneError::Setting {
                setting: Setting::Vt,
                reason: format!("threshold voltage vt must be a finite voltage >= 0, found {vt}"),
            });
        }
    }
    if let Some(m) = v.min_vdd_v {
        if !(m.is_finite() && m > 0.0) {
            return Err(PruneError::Setting {
                setting: Setting::MinVdd,
                reason: format!("lowest modelled VDD must be a finite voltage > 0, found {m}"),
            });
        }
    }
    for c in &v.corners {
        let ok = [c.vdd_v, c.delay_ratio, c.energy_ratio]
            .iter()
            .all(|x| x.is_finite() && *x > 0.0)
            && c.leakage_w.is_finite()
            && c.leakage_w >= 0.0;
        if !ok {
            return Err(PruneError::Options(format!(
                "voltage corner at {} V: expected finite vdd_v, delay_ratio, energy_ratio > 0 and leakage_w >= 0, found {c:?}",
                c.vdd_v
            )));
        }
    }
    // A step below 0.1 mV would only multiply the work, not the precision
    // any regulator offers.
    let step = v.vdd_step_v;
    if !(step.is_finite() && (step == 0.0 || step >= 1e-4)) {
        return Err(PruneError::Setting {
            setting: Setting::VddStep,
            reason: format!(
                "VDD step must be 0 (table voltages only) or at least 0.0001 V, found {step}"
            ),
        });
    }
    Ok(())
}

fn check_act_weights(w: &ActWeights, num_acts: usize) -> Result<()> {
    let (len, want) = match w {
        ActWeights::Uniform => return Ok(()),
        ActWeights::Histogram(h) => (h.len(), num_acts),
        ActWeights::Transitions(m) => (m.len(), num_acts * num_acts),
    };
    if len != want {
        return Err(PruneError::Options(format!(
            "activation weights ({}) have {len} entries, expected {want} for {num_acts} activations",
            w.kind()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
