//! The selection report (text and JSON) and the allowed-sets file.

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{PruneError, Result};
use crate::timing::{Removal, ValueKind};
use crate::voltage::{Source, VoltageCorner, VoltageScaling};
use crate::weights::WeightRank;
use crate::ActWeights;

/// Removals a terse report lists one by one.
pub const REMOVALS_LISTED: usize = 8;
use tables::vdd_model::LeakageBasis;

/// Stage names, in pipeline order.
pub const STAGE_NAMES: [&str; 3] = ["weight_selection", "delay_selection", "voltage_scaling"];

/// Power and delay after one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// `baseline`, or one of [`STAGE_NAMES`].
    pub name: String,
    /// Total power, W.
    pub power_w: f64,
    /// Reduction against the baseline, percent.
    pub reduction_pct: f64,
    /// Switching part of `power_w`, W.
    pub dynamic_power_w: f64,
    /// Leakage part of `power_w`, W.
    pub leakage_power_w: f64,
    /// Supply voltage, V.
    pub vdd_v: f64,
    /// Worst sensitized delay of the sets at that voltage, ns.
    pub max_delay_ns: f64,
    /// Number of weights in the set.
    pub weights: usize,
    /// Number of activations in the set.
    pub activations: usize,
}

/// Everything a selection found. Serialized as the `--json` report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Weights kept after all stages, ascending.
    pub kept_weights: Vec<i64>,
    /// Activations allowed after all stages, ascending.
    pub allowed_activations: Vec<i64>,
    /// Chosen supply voltage, V.
    pub vdd_v: f64,
    /// Nominal supply voltage, V.
    pub nominal_vdd_v: f64,
    /// Clock period the delays must fit and power is computed at, ns.
    pub clock_period_ns: f64,
    /// Worst sensitized delay of all weights × all activations at nominal
    /// VDD, ns.
    pub max_delay_ns_before: f64,
    /// Worst sensitized delay of the final sets at nominal VDD, ns.
    pub max_delay_ns_after: f64,
    /// Worst sensitized delay of the final sets at the chosen VDD, ns.
    pub max_delay_ns_at_vdd: f64,
    /// Power of all weights × all activations at nominal VDD, W.
    pub baseline_power_w: f64,
    /// Power after voltage scaling, W.
    pub final_power_w: f64,
    /// Reduction of `final_power_w` against `baseline_power_w`, percent.
    pub reduction_pct: f64,
    /// The baseline as a stage row.
    pub baseline: Stage,
    /// Weight selection, delay selection, voltage scaling.
    pub stages: Vec<Stage>,
    /// `--keep` as given.
    pub keep: usize,
    /// Whether weights were kept in ± pairs.
    pub symmetric: bool,
    /// Weights kept by the power stage, before any timing removal.
    pub weights_after_power_selection: Vec<i64>,
    /// All characterized weights, cheapest first, with mean energies.
    pub weight_ranking: Vec<WeightRank>,
    /// All characterized activations.
    pub all_activations: Vec<i64>,
    /// `uniform`, `histogram` or `transitions`.
    pub act_weighting: String,
    /// Delay target met by the delay stage, ns (none when it was off).
    pub delay_target_ns: Option<f64>,
    /// Values removed by the delay stage, in order, with reasons.
    pub removed: Vec<Removal>,
    /// Details of the voltage stage.
    pub voltage: VoltageScaling,
    /// Whether the final sets fit the clock period at the chosen VDD.
    pub timing_met: bool,
    /// What the figures rest on, one sentence each: the partial sums the
    /// tables were made with, where the clock period comes from, and how
    /// the power averages over weights and activation transitions.
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// Warnings and remarks.
    pub notes: Vec<String>,
}

/// The sentences of [`Report::assumptions`], from the nominal tables'
/// metadata and the options the selection ran with.
pub(crate) fn assumptions(
    meta: &tables::Meta,
    clock_period_ns: f64,
    act_weights: &ActWeights,
    corners: &[VoltageCorner],
) -> Vec<String> {
    let psum = meta.psum_assumption();
    // By value, not by who chose it: callers that default to the STA worst
    // delay pass it on as a given period.
    let sta = meta.sta_worst_delay_ns;
    let clock = if (clock_period_ns - sta).abs() <= 1e-9 * sta.abs().max(1.0) {
        format!(
            "clock period: {} ns, the STA worst delay of {} at {} (nominal VDD), so meeting \
             timing means being no slower than the unpruned MAC",
            fmt_num(clock_period_ns),
            meta.netlist_file,
            meta.library.name
        )
    } else {
        format!(
            "clock period: {} ns, as given (the STA worst delay at nominal VDD is {} ns)",
            fmt_num(clock_period_ns),
            fmt_num(sta)
        )
    };
    let acts = match act_weights {
        ActWeights::Uniform => {
            "every transition a -> a' between allowed activations equally likely"
        }
        ActWeights::Histogram(_) => {
            "transitions a -> a' weighted by the given activation histogram, \
             consecutive values taken as independent"
        }
        ActWeights::Transitions(_) => {
            "transitions a -> a' weighted by the given transition frequencies"
        }
    };
    let power = format!(
        "power: mean switching energy per cycle over the kept weights, each equally common, \
         and over activation transitions ({acts}), divided by the clock period, plus the \
         netlist's leakage in its reset state"
    );
    let mut all = vec![psum, clock, power];
    all.extend(corners.iter().map(corner_assumption));
    all
}

/// A voltage known from STA and a sample only: the factors that stand in
/// for its tables, and what the sample says of their error.
fn corner_assumption(c: &VoltageCorner) -> String {
    let mut s = format!(
        "{} V from STA and a sample, not full tables: every delay scaled by the STA ratio {}, \
         every energy by the sample's mean ratio {}",
        fmt_num(c.vdd_v),
        fmt_ratio(c.delay_ratio),
        fmt_ratio(c.energy_ratio)
    );
    match c.sampled {
        Some(x) => {
            let _ = write!(
                s,
                "; on its {} simulated transitions the worst sensitized delay scales by {} \
                 (the STA ratio is {:+.2} % off), single transitions by {}..{}, and one \
                 weight's mean energy by {}..{}",
                x.transitions,
                fmt_ratio(x.worst_delay_ratio),
                100.0 * (c.delay_ratio / x.worst_delay_ratio - 1.0),
                fmt_ratio(x.delay_ratio_range.0),
                fmt_ratio(x.delay_ratio_range.1),
                fmt_ratio(x.energy_ratio_range.0),
                fmt_ratio(x.energy_ratio_range.1)
            );
        }
        None => s.push_str(" (the corners file records no measure of their error)"),
    }
    s
}

/// A ratio to 4 decimals.
fn fmt_ratio(x: f64) -> String {
    format!("{x:.4}")
}

/// The sets a training framework needs: `allowed_sets.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllowedSets {
    /// Allowed weight values, ascending.
    pub weights: Vec<i64>,
    /// Allowed activation values, ascending.
    pub activations: Vec<i64>,
    /// Supply voltage they were selected for, V.
    pub vdd_v: f64,
}

impl AllowedSets {
    /// Reads `allowed_sets.json`; errors name the file.
    pub fn load(path: &Path) -> Result<AllowedSets> {
        let text = std::fs::read_to_string(path).map_err(|source| PruneError::Io {
            path: path.to_path_buf(),
            cause: source,
        })?;
        let sets: AllowedSets = serde_json::from_str(&text).map_err(|e| PruneError::Input {
            path: path.to_path_buf(),
            reason: format!(
                "expected {{\"weights\": [...], \"activations\": [...], \"vdd_v\": V}}: {e}"
            ),
        })?;
        if sets.weights.is_empty() || sets.activations.is_empty() {
            return Err(PruneError::Input {
                path: path.to_path_buf(),
                reason: "expected non-empty `weights` and `activations`".into(),
            });
        }
        Ok(sets)
    }

    /// Writes the file (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        write_json(path, self)
    }
}

/// Writes `value` as pretty JSON with a final newline, atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| PruneError::Input {
        path: path.to_path_buf(),
        reason: format!("cannot serialize: {e}"),
    })?;
    text.push('\n');
    write_text(path, &text)
}

/// Writes text atomically (temporary file in the same directory, then rename).
pub fn write_text(path: &Path, text: &str) -> Result<()> {
    Ok(tables::write_atomic(path, text.as_bytes())?)
}

impl Report {
    /// The allowed sets of this report.
    pub fn allowed_sets(&self) -> AllowedSets {
        AllowedSets {
            weights: self.kept_weights.clone(),
            activations: self.allowed_activations.clone(),
            vdd_v: self.vdd_v,
        }
    }

    /// Pretty JSON, newline-terminated.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a report is plain data");
        s.push('\n');
        s
    }

    /// A selection that leaves (almost) only the values that are never
    /// removed (weight 0, activation 0) computes nothing useful, however
    /// large its power reduction: fewer than 2 weights or 4 activation
    /// values (a 2-bit code already has 4). Then this says so, for the
    /// notes and for the CLI to print as a warning.
    pub fn sparse_warning(&self) -> Option<String> {
        let (w, a, all) = (
            self.kept_weights.len(),
            self.allowed_activations.len(),
            self.all_activations.len(),
        );
        if w >= 2 && a >= 4.min(all) {
            return None;
        }
        let target = self.delay_target_ns.map_or(String::new(), |t| {
            format!(" at the {} ns delay target", fmt_num(t))
        });
        Some(format!(
            "only {w} weight(s) and {a} of {all} activation values are left{target}; \
             the power reduction is not meaningful for a network (relax the delay target \
             or the limit on removed activations)"
        ))
    }

    /// The human-readable report, every removal listed.
    pub fn to_text(&self) -> String {
        self.text(true)
    }

    /// The human-readable report; unless `verbose`, removal lists longer
    /// than [`REMOVALS_LISTED`] are summarized in one line.
    pub fn text(&self, verbose: bool) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "PowerPruning selection");
        let _ = writeln!(
            s,
            "  nominal VDD {} V, clock period {} ns, activation weighting: {}",
            self.nominal_vdd_v,
            fmt_num(self.clock_period_ns),
            self.act_weighting
        );
        let _ = writeln!(
            s,
            "  weights kept ({} of {}): {}",
            self.kept_weights.len(),
            self.weight_ranking.len(),
            ranges(&self.kept_weights)
        );
        let _ = writeln!(
            s,
            "  activations allowed ({} of {}): {}",
            self.allowed_activations.len(),
            self.all_activations.len(),
            ranges(&self.allowed_activations)
        );
        match self.delay_target_ns {
            Some(t) => {
                let _ = writeln!(s, "  delay target {} ns", fmt_num(t));
            }
            None => {
                let _ = writeln!(s, "  delay selection off");
            }
        }
        let listed = if verbose || self.removed.len() <= REMOVALS_LISTED {
            &self.removed[..]
        } else {
            let count = |k: ValueKind| self.removed.iter().filter(|r| r.kind == k).count();
            let _ = writeln!(
                s,
                "    removed {} activation(s) and {} weight(s) (the verbose report lists them)",
                count(ValueKind::Activation),
                count(ValueKind::Weight)
            );
            &[][..]
        };
        for r in listed {
            let kind = match r.kind {
                ValueKind::Activation => "activation",
                ValueKind::Weight => "weight",
            };
            let _ = writeln!(
                s,
                "    removed {kind} {}: {} violating transitions, worst {} ns",
                r.value,
                r.violations,
                fmt_num(r.worst_delay_ns)
            );
        }
        let v = &self.voltage;
        let source = match v.source {
            Source::Tables => "from tables",
            Source::Sampled => "from STA and a sampled characterization",
            Source::Model => "delay modelled",
        };
        let _ = writeln!(
            s,
            "  VDD {} V ({source}; leakage {})",
            fmt_num(self.vdd_v),
            match v.leakage_basis {
                LeakageBasis::Library => "of that library",
                LeakageBasis::Interpolated => "interpolated between libraries",
                LeakageBasis::CurrentTimesVdd => "scaled as I*V from the nearest library",
            }
        );
        if let Some(x) = &v.extrapolation {
            let _ = writeln!(
                s,
                "    extrapolated: {} mV below the lowest characterized {} V; alpha {}..{} gives VDD {}..{} V; {}",
                fmt_num(x.below_lowest_mv),
                fmt_num(x.lowest_characterized_vdd_v),
                fmt_num(x.alpha_range.0),
                fmt_num(x.alpha_range.1),
                fmt_num(x.vdd_band_v.0),
                fmt_num(x.vdd_band_v.1),
                if x.pick == "safe_end" {
                    "picked the safe (highest) end"
                } else {
                    "picked with the given alpha"
                }
            );
        }
        match (&v.model, &v.model_note) {
            (Some(fit), _) => {
                let _ = writeln!(
                    s,
                    "    alpha-power fit ({}): Vt {} V, alpha {}, k {}, {}",
                    if fit.free_parameters >= 3 {
                        "Vt and alpha fitted"
                    } else {
                        "alpha fixed or solved"
                    },
                    fmt_num(fit.model.vt_v),
                    fmt_num(fit.model.alpha),
                    fmt_num(fit.model.k),
                    fit.quality()
                );
                if !fit.exact_by_construction() {
                    for r in &v.residuals {
                        let _ = writeln!(
                            s,
                            "      at {} V: measured {} ns, fitted {} ns ({:+.2} %)",
                            fmt_num(r.vdd_v),
                            fmt_num(r.measured_ns),
                            fmt_num(r.fitted_ns),
                            100.0 * r.relative_error
                        );
                    }
                }
            }
            (None, Some(note)) => {
                let _ = writeln!(s, "    no delay model: {note}");
            }
            (None, None) => {}
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<18} {:>8} {:>7} {:>5} {:>14} {:>12} {:>10}",
            "stage", "VDD (V)", "weights", "acts", "max delay (ns)", "power (W)", "reduction"
        );
        for st in std::iter::once(&self.baseline).chain(&self.stages) {
            let _ = writeln!(
                s,
                "{:<18} {:>8} {:>7} {:>5} {:>14} {:>12} {:>9.1}%",
                st.name.replace('_', " "),
                fmt_num(st.vdd_v),
                st.weights,
                st.activations,
                fmt_num(st.max_delay_ns),
                format!("{:.4e}", st.power_w),
                st.reduction_pct
            );
        }
        if !self.assumptions.is_empty() {
            let _ = writeln!(s, "assumptions:");
            for a in &self.assumptions {
                let _ = writeln!(s, "  - {a}");
            }
        }
        for note in &self.notes {
            let _ = writeln!(s, "note: {note}");
        }
        s
    }
}

/// Numbers for text: up to 4 decimals, trailing zeros dropped.
fn fmt_num(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" || s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Sorted values as runs: `-2..0, 3, 5..9` (runs of three or more).
pub fn ranges(values: &[i64]) -> String {
    let mut v = values.to_vec();
    v.sort_unstable();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}..{}", v[i], v[j]));
        } else {
            parts.extend(v[i..=j].iter().map(|x| x.to_string()));
        }
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_compress_runs_of_three() {
        assert_eq!(
            ranges(&[3, -2, -1, 0, 5, 6, 8, 9, 10]),
            "-2..0, 3, 5, 6, 8..10"
        );
        assert_eq!(ranges(&[]), "");
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(2.0), "2");
        assert_eq!(fmt_num(1.23456), "1.2346");
        assert_eq!(fmt_num(-0.00001), "0");
    }

    #[test]
    fn allowed_sets_round_trip_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("allowed_sets.json");
        let sets = AllowedSets {
            weights: vec![-1, 0, 1],
            activations: vec![0, 2],
            vdd_v: 0.7,
        };
        sets.save(&p).unwrap();
        assert_eq!(AllowedSets::load(&p).unwrap(), sets);
        // The exact layout a Python reader sees.
        let text = std::fs::read_to_string(&p).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"weights": [-1, 0, 1], "activations": [0, 2], "vdd_v": 0.7})
        );
        std::fs::write(&p, "{\"weights\": []}").unwrap();
        let e = AllowedSets::load(&p).unwrap_err().to_string();
        assert!(e.contains("allowed_sets.json"), "{e}");
    }
}
