//! The method end to end on a trained model: selection by the pruning
//! crate, retraining on the kept values, voltage scaling, and the network's
//! accuracy and MAC power after each stage.
//!
//! Stages (rows of the report):
//! 1. `baseline`: the model as trained, every weight and activation, nominal VDD;
//! 2. `weights`: weights projected onto the power-selected set (scales
//!    refitted to it on calibration images), retrained, nominal VDD;
//! 3. `delay`: weights and activations projected onto the sets left by the
//!    delay-aware selection with stage 2's scales, retrained, still at
//!    nominal VDD;
//! 4. `voltage`: the same network at the VDD the freed slack allows.
//!
//! Power is always the network's own, from streaming real test images
//! through the array model; the pruning crate's table-level figures are
//! kept in the report for comparison.

use std::time::Instant;

use prune::{ActWeights, DelayMode, Options};
use tables::vdd_model::same_vdd;
use tables::TableSet;

use crate::data::Dataset;
use crate::error::{NnError, Result};
use crate::infer::IntNet;
use crate::model::{Net, QuantSets, Quantization};
use crate::power::{network_power, NetworkPower, PowerOptions, VddScaling};
use crate::quant::ValueSet;
use crate::report::{FlowReport, RetrainEpoch, StageRow, TableSetInfo};
use crate::store::StoredModel;
use crate::systolic::{ArrayShape, IdleModel};
use crate::table::EnergyTable;
use crate::train::{calibrate, train, TrainConfig};
use crate::train_flow::CALIBRATION_IMAGES;

/// Settings of the flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowOptions {
    /// Weight values to keep (0 included).
    pub keep: usize,
    /// Keep weights in ± pairs.
    pub symmetric: bool,
    /// Delay target of the delay-aware selection, ns (`None`: stage off).
    pub delay_target_ns: Option<f64>,
    /// Weight the selection by the network's activation transitions.
    pub weighted: bool,
    /// Clock period, ns (`None`: the nominal tables' STA worst delay, as
    /// the pruning crate assumes).
    pub clock_period_ns: Option<f64>,
    /// Nominal VDD, V: one of the sets' (`None`: the highest).
    pub nominal_vdd_v: Option<f64>,
    /// Voltage search of the pruning crate.
    pub voltage: prune::VoltageOptions,
    /// Retraining of each stage.
    pub retrain: TrainConfig,
    /// Array size.
    pub array: ArrayShape,
    /// What idle PEs see.
    pub idle: IdleModel,
}

/// Data the flow uses.
#[derive(Debug, Clone, Copy)]
pub struct FlowData<'a> {
    /// Retraining images.
    pub train: &'a Dataset,
    /// Accuracy images.
    pub test: &'a Dataset,
    /// Images streamed for power (one batch).
    pub power: &'a Dataset,
}

/// The flow's results: report and final network.
#[derive(Debug)]
pub struct FlowOutcome {
    /// The report.
    pub report: FlowReport,
    /// The network after the last retraining.
    pub net: Net,
    /// Its quantization (onto the kept and allowed sets).
    pub quantization: Quantization,
}

/// Run the flow on `model` with table sets `sets` (one MAC, one set per
/// voltage).
pub fn run_flow(
    model: &StoredModel,
    sets: &[TableSet],
    data: FlowData<'_>,
    opts: &FlowOptions,
    log: &mut dyn FnMut(&str),
) -> Result<FlowOutcome> {
    let start = Instant::now();
    if sets.is_empty() {
        return Err(NnError::Invalid("give at least one table set".into()));
    }
    let nominal = prune::nominal_set(sets, opts.nominal_vdd_v)
        .map_err(|e| NnError::Invalid(e.to_string()))?;
    let nom_vdd_v = sets[nominal].vdd_v;
    let nom_meta = sets[nominal].tables.meta();
    let clock_period_ns =
        prune::clock_period_ns(opts.clock_period_ns, nom_meta).map_err(|e| match &e {
            prune::PruneError::Setting { setting, .. } => NnError::Setting {
                setting: *setting,
                message: e.to_string(),
            },
            _ => NnError::Mismatch(format!("{}: {e}", sets[nominal].dir.display())),
        })?;
    let nom_table = EnergyTable::from_set(&sets[nominal]);
    let power_at = |net: &IntNet, table: &EnergyTable, vdd: Option<VddScaling>| {
        let popts = PowerOptions {
            array: opts.array,
            idle: opts.idle,
            clock_period_ns,
            vdd,
        };
        network_power(net, table, &popts, data.power)
    };

    // Baseline.
    let base_net = IntNet::new(&model.net, &model.file.quantization)?;
    let base_acc = base_net.evaluate(data.test)?.accuracy;
    let base_power = power_at(&base_net, &nom_table, None)?;
    log(&format!(
        "baseline: accuracy {:.2}%, MAC power {:.4} mW",
        100.0 * base_acc,
        1e3 * base_power.power_w
    ));

    // Selection on the tables.
    let act_weights = if opts.weighted {
        ActWeights::Transitions(
            base_power
                .transitions
                .counts
                .iter()
                .map(|&c| c as f64)
                .collect(),
        )
    } else {
        ActWeights::Uniform
    };
    let mut popts = Options::new(opts.keep);
    popts.symmetric = opts.symmetric;
    popts.act_weights = act_weights;
    popts.clock_period_ns = Some(clock_period_ns);
    popts.nominal_vdd_v = Some(nom_vdd_v);
    popts.voltage = opts.voltage.clone();
    if let Some(d) = opts.delay_target_ns {
        popts.delay = DelayMode::Target {
            delay_ns: d,
            max_act_removed: None,
        };
    }
    let selection = prune::select(sets, &popts).map_err(|e| match &e {
        prune::PruneError::Mismatch { vdd_v, .. } => {
            let dir = sets
                .iter()
                .find(|s| same_vdd(s.vdd_v, *vdd_v))
                .map(|s| s.dir.display().to_string())
                .unwrap_or_default();
            NnError::Mismatch(format!("selection: table directory {dir}: {e}"))
        }
        prune::PruneError::Setting { setting, .. } => NnError::Setting {
            setting: *setting,
            message: e.to_string(),
        },
        _ => NnError::Mismatch(format!("selection: {e}")),
    })?;
    log(&format!(
        "selection: {} weights, {} activations, {:.3} V",
        selection.kept_weights.len(),
        selection.allowed_activations.len(),
        selection.vdd_v
    ));

    let full_acts = model.file.quantization.act_set()?;
    let calib = data.train.head(CALIBRATION_IMAGES);
    let mut retraining = Vec::new();
    // Stage 1: power-aware weight selection + retraining.
    let net = model.net.duplicate()?;
    let ctx = StageContext {
        net: &net,
        data,
        calib: &calib,
        retrain: &opts.retrain,
    };
    let (q1, int1, acc1) = ctx.retrain(
        "weights",
        Scales::Calibrate,
        &selection.weights_after_power_selection,
        &full_acts,
        &mut retraining,
        log,
    )?;
    let p1 = power_at(&int1, &nom_table, None)?;
    log(&format!(
        "weights: accuracy {:.2}%, MAC power {:.4} mW",
        100.0 * acc1,
        1e3 * p1.power_w
    ));

    // Stage 2: delay-aware selection + retraining, then voltage scaling.
    let allowed = ValueSet::new(selection.allowed_activations.clone())?;
    let (q2, int2, acc2) = ctx.retrain(
        "delay",
        Scales::Keep(&q1),
        &selection.kept_weights,
        &allowed,
        &mut retraining,
        log,
    )?;
    let p2 = power_at(&int2, &nom_table, None)?;
    let (ref_set, scaling) = reference_set(sets, selection.vdd_v)?;
    let ref_table = EnergyTable::from_set(&sets[ref_set]);
    let p3 = power_at(&int2, &ref_table, scaling)?;
    log(&format!(
        "delay + voltage: accuracy {:.2}%, MAC power {:.4} mW at nominal, {:.4} mW at {:.3} V",
        100.0 * acc2,
        1e3 * p2.power_w,
        1e3 * p3.power_w,
        selection.vdd_v
    ));

    let row = |name: &str, acc: f64, p: NetworkPower, vdd_v: f64, weights: usize, acts: usize| {
        StageRow::new(
            name,
            acc,
            base_acc,
            p,
            base_power.power_w,
            vdd_v,
            weights,
            acts,
        )
    };
    let n_w = model.file.quantization.weights.len();
    let n_a = full_acts.values().len();
    let stages = vec![
        row(
            "baseline",
            base_acc,
            base_power.clone(),
            nom_vdd_v,
            n_w,
            n_a,
        ),
        row(
            "weights",
            acc1,
            p1,
            nom_vdd_v,
            selection.weights_after_power_selection.len(),
            n_a,
        ),
        row(
            "delay",
            acc2,
            p2,
            nom_vdd_v,
            selection.kept_weights.len(),
            selection.allowed_activations.len(),
        ),
        row(
            "voltage",
            acc2,
            p3,
            selection.vdd_v,
            selection.kept_weights.len(),
            selection.allowed_activations.len(),
        ),
    ];
    let report = FlowReport {
        model_accuracy: model.file.accuracy.quantized,
        tables: sets
            .iter()
            .map(|s| TableSetInfo {
                vdd_v: s.vdd_v,
                dir: s.dir.display().to_string(),
            })
            .collect(),
        array: opts.array,
        idle: opts.idle,
        clock_period_ns,
        keep: opts.keep,
        symmetric: opts.symmetric,
        weighted: opts.weighted,
        delay_target_ns: opts.delay_target_ns,
        train_images: data.train.len(),
        test_images: data.test.len(),
        power_images: data.power.len(),
        kept_weights: selection.kept_weights.clone(),
        allowed_activations: selection.allowed_activations.clone(),
        vdd_v: selection.vdd_v,
        nominal_vdd_v: nom_vdd_v,
        stages,
        retraining,
        selection,
        validation: None,
        seconds: start.elapsed().as_secs_f64(),
    };
    Ok(FlowOutcome {
        report,
        net,
        quantization: q2,
    })
}

/// Where a retraining stage's scales come from.
enum Scales<'a> {
    /// Fit weight and activation scales to the new sets on calibration
    /// images.
    Calibrate,
    /// Keep these (the previous stage's): the kept weights and allowed
    /// activations are subsets of its integer codes, so the network it
    /// trained against stays valid and only the projection narrows. A
    /// refit would see float weights that drifted under the
    /// straight-through estimator and can move every scale at once.
    Keep(&'a Quantization),
}

/// What every retraining stage shares.
struct StageContext<'a> {
    /// The network every stage retrains in place.
    net: &'a Net,
    data: FlowData<'a>,
    calib: &'a Dataset,
    retrain: &'a TrainConfig,
}

impl StageContext<'_> {
    /// Quantize the network onto `weights` and `acts` (scales from `scales`),
    /// retrain it in place, and return the quantization, the integer
    /// network and its test accuracy.
    fn retrain(
        &self,
        name: &str,
        scales: Scales<'_>,
        weights: &[i64],
        acts: &ValueSet,
        epochs: &mut Vec<RetrainEpoch>,
        log: &mut dyn FnMut(&str),
    ) -> Result<(Quantization, IntNet, f64)> {
        let wset = ValueSet::new(weights.to_vec())?;
        let q = match scales {
            Scales::Calibrate => calibrate(self.net, self.calib, &wset, acts)?,
            Scales::Keep(prev) => Quantization {
                weights: wset.values().to_vec(),
                acts: acts.values().to_vec(),
                ..prev.clone()
            },
        };
        let qs = QuantSets::new(q.clone())?;
        let stats = train(
            self.net,
            self.data.train,
            Some(&qs),
            self.retrain,
            &mut |s| {
                log(&format!(
                    "{name}: retraining epoch {}: loss {:.4}, train accuracy {:.2}%, {:.1} s",
                    s.epoch,
                    s.loss,
                    100.0 * s.train_accuracy,
                    s.seconds
                ))
            },
        )?;
        epochs.extend(stats.into_iter().map(|stats| RetrainEpoch {
            stage: name.to_string(),
            stats,
        }));
        let int = IntNet::new(self.net, &q)?;
        let acc = int.evaluate(self.data.test)?.accuracy;
        Ok((q, int, acc))
    }
}

/// The table set whose figures give the power at `vdd_v`: the set at that
/// voltage, or else the nearest one above it with V² energy scaling and
/// leakage interpolated between the sets' libraries (the pruning crate's
/// voltage model).
pub fn reference_set(sets: &[TableSet], vdd_v: f64) -> Result<(usize, Option<VddScaling>)> {
    if let Some(i) = sets.iter().position(|s| same_vdd(s.vdd_v, vdd_v)) {
        return Ok((i, None));
    }
    let i = (0..sets.len())
        .filter(|&i| sets[i].vdd_v > vdd_v)
        .min_by(|&a, &b| sets[a].vdd_v.total_cmp(&sets[b].vdd_v))
        .ok_or_else(|| NnError::Mismatch(format!("no table set at or above {vdd_v} V")))?;
    let leakage_points: Vec<(f64, f64)> = sets
        .iter()
        .map(|s| (s.vdd_v, s.tables.meta().leakage_w))
        .collect();
    Ok((
        i,
        Some(VddScaling {
            ref_vdd_v: sets[i].vdd_v,
            vdd_v,
            leakage_w: tables::vdd_model::interpolate_leakage_w(&leakage_points, vdd_v)
                .map(|(w, _)| w),
        }),
    ))
}
