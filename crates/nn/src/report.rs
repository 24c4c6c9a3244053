//! Reports of `nn power` and `nn prune`, as text and JSON.

use std::fmt::Write as _;

use serde::Serialize;

use crate::power::NetworkPower;
use crate::systolic::{ArrayShape, IdleModel};
use crate::train::EpochStats;

/// A table set as named in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableSetInfo {
    /// Supply voltage, V.
    pub vdd_v: f64,
    /// Directory.
    pub dir: String,
}

/// One row of the flow's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageRow {
    /// `baseline`, `weights`, `delay` or `voltage`.
    pub name: String,
    /// Test accuracy of the integer network, fraction.
    pub accuracy: f64,
    /// Baseline accuracy minus this one, percentage points.
    pub accuracy_loss_pts: f64,
    /// MAC-array power, W.
    pub power_w: f64,
    /// Power reduction against the baseline, percent.
    pub reduction_pct: f64,
    /// Supply voltage, V.
    pub vdd_v: f64,
    /// Weight values in use.
    pub weights: usize,
    /// Activation values in use.
    pub activations: usize,
    /// The network power in detail.
    pub network: NetworkPower,
}

impl StageRow {
    /// A row, with loss and reduction computed against the baseline.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &str,
        accuracy: f64,
        base_accuracy: f64,
        network: NetworkPower,
        base_power_w: f64,
        vdd_v: f64,
        weights: usize,
        activations: usize,
    ) -> StageRow {
        StageRow {
            name: name.into(),
            accuracy,
            accuracy_loss_pts: 100.0 * (base_accuracy - accuracy),
            power_w: network.power_w,
            reduction_pct: 100.0 * (1.0 - network.power_w / base_power_w),
            vdd_v,
            weights,
            activations,
            network,
        }
    }
}

/// One retraining epoch, with its stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetrainEpoch {
    /// Stage name.
    pub stage: String,
    /// Its figures.
    #[serde(flatten)]
    pub stats: EpochStats,
}

/// Everything `nn prune` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowReport {
    /// Integer accuracy recorded in the model file, if any.
    pub model_accuracy: Option<f64>,
    /// Table sets used.
    pub tables: Vec<TableSetInfo>,
    /// Array size.
    pub array: ArrayShape,
    /// What idle PEs see.
    pub idle: IdleModel,
    /// Clock period of all power figures, ns.
    pub clock_period_ns: f64,
    /// `--keep`.
    pub keep: usize,
    /// Weights kept in ± pairs.
    pub symmetric: bool,
    /// Selection weighted by the network's activation transitions.
    pub weighted: bool,
    /// `--delay-target`, ns.
    pub delay_target_ns: Option<f64>,
    /// Retraining images.
    pub train_images: usize,
    /// Accuracy images.
    pub test_images: usize,
    /// Images streamed for power.
    pub power_images: usize,
    /// Weights in use at the end, ascending.
    pub kept_weights: Vec<i64>,
    /// Activations in use at the end, ascending.
    pub allowed_activations: Vec<i64>,
    /// Chosen supply voltage, V.
    pub vdd_v: f64,
    /// Nominal supply voltage, V.
    pub nominal_vdd_v: f64,
    /// Baseline, weights, delay, voltage.
    pub stages: Vec<StageRow>,
    /// Retraining epochs.
    pub retraining: Vec<RetrainEpoch>,
    /// The pruning crate's table-level report.
    pub selection: prune::Report,
    /// Gate-level replay of the final network's PE streams and the VDD it
    /// validates (`nn prune --validate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<crate::validate::ValidatedVdd>,
    /// Wall time, s.
    pub seconds: f64,
}

/// Power with a unit that keeps 3–4 significant digits readable.
pub fn fmt_power(w: f64) -> String {
    let a = w.abs();
    if a >= 1.0 {
        format!("{w:.4} W")
    } else if a >= 1e-3 {
        format!("{:.4} mW", w * 1e3)
    } else {
        format!("{:.4} µW", w * 1e6)
    }
}

/// Text form of a network power report.
pub fn power_text(p: &NetworkPower) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "MAC array {} (idle PEs {:?}) at {} ns clock, {} images; tables {}",
        p.array, p.idle, p.clock_period_ns, p.images, p.tables
    );
    for (layer, dir) in &p.layer_tables {
        let _ = writeln!(s, "  layer {layer}: tables {dir}");
    }
    if !p.psum_assumption.is_empty() {
        let _ = writeln!(s, "  tables' {}", p.psum_assumption);
    }
    if let Some(v) = p.vdd {
        let leakage = match v.leakage_w {
            Some(_) => "leakage interpolated between the libraries",
            None => "leakage × V (fixed leakage current)",
        };
        let _ = writeln!(
            s,
            "scaled from {} V to {} V: switching energy × (V/V_tables)², {leakage}",
            v.ref_vdd_v, v.vdd_v
        );
    }
    let _ = writeln!(
        s,
        "{:<8} {:>12} {:>7} {:>12} {:>16} {:>16} {:>13}",
        "layer", "MACs", "tiles", "cycles", "active_fJ", "idle_fJ", "power"
    );
    for l in &p.layers {
        let _ = writeln!(
            s,
            "{:<8} {:>12.0} {:>7} {:>12.0} {:>16.1} {:>16.1} {:>13}",
            l.name,
            l.macs,
            l.tiles,
            l.cycles,
            l.active_energy_fj,
            l.idle_energy_fj,
            fmt_power(l.power_w)
        );
    }
    let _ = writeln!(
        s,
        "per inference: {:.1} fJ switching in {:.0} cycles",
        p.energy_fj, p.cycles
    );
    let _ = writeln!(
        s,
        "MAC power: {} ({} switching + {} leakage), {} per PE",
        fmt_power(p.power_w),
        fmt_power(p.dynamic_power_w),
        fmt_power(p.leakage_power_w),
        fmt_power(p.pe_power_w)
    );
    s
}

impl FlowReport {
    /// The table in the shape of the paper's, then the kept sets.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "PowerPruning on the network: array {}, clock {} ns, {} test images, power over {} images",
            self.array, self.clock_period_ns, self.test_images, self.power_images
        );
        let _ = writeln!(
            s,
            "{:<34} {:>9} {:>9} {:>14} {:>10} {:>8} {:>8} {:>6}",
            "stage", "accuracy", "loss_pts", "MAC power", "reduction", "VDD_V", "weights", "acts"
        );
        for r in &self.stages {
            let label = match r.name.as_str() {
                "baseline" => "baseline (all values, nominal VDD)",
                "weights" => "weight selection + retraining",
                "delay" => "+ delay selection + retraining",
                "voltage" => "+ voltage scaling",
                other => other,
            };
            let _ = writeln!(
                s,
                "{:<34} {:>8.2}% {:>9.2} {:>14} {:>9.1}% {:>8.3} {:>8} {:>6}",
                label,
                100.0 * r.accuracy,
                r.accuracy_loss_pts,
                fmt_power(r.power_w),
                r.reduction_pct,
                r.vdd_v,
                r.weights,
                r.activations
            );
        }
        let _ = writeln!(
            s,
            "kept weights ({}): {:?}",
            self.kept_weights.len(),
            self.kept_weights
        );
        let _ = writeln!(
            s,
            "allowed activations ({}): {}",
            self.allowed_activations.len(),
            ranges(&self.allowed_activations)
        );
        let _ = writeln!(
            s,
            "VDD: {} V (nominal {} V)",
            self.vdd_v, self.nominal_vdd_v
        );
        if !self.selection.assumptions.is_empty() {
            let _ = writeln!(s, "assumptions of the selection:");
            for a in &self.selection.assumptions {
                let _ = writeln!(s, "  - {a}");
            }
        }
        for n in &self.selection.notes {
            let _ = writeln!(s, "note: {n}");
        }
        if let Some(v) = &self.validation {
            let _ = writeln!(
                s,
                "validation: {} timing errors in {} replayed cycles at the selection's {:.3} V (rate {:.3e}); \
                 validated VDD {:.3} V (0 errors, worst cycle {:.4} ns against {:.4} ns): MAC power {} ({:.1}% reduction)",
                v.at_selection.total.timing_errors,
                v.validation.total.cycles,
                v.at_selection.vdd_v,
                v.at_selection.total.timing_error_rate,
                v.vdd_v,
                v.at_validated.max_delay_ns,
                v.at_validated.clock_period_ns,
                fmt_power(v.power_w),
                v.reduction_pct
            );
            s.push_str(&crate::validate::validation_text(
                &v.validation,
                &v.at_selection,
            ));
        }
        s
    }
}

/// `0..=3, 5, 7..=9`: sorted integers as runs.
pub fn ranges(v: &[i64]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}..={}", v[i], v[j])
        } else {
            v[i].to_string()
        });
        i = j + 1;
    }
    parts.join(", ")
}
