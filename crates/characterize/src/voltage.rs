//! The same MAC at several supply voltages (`powerprune sweep-voltage`).
//!
//! Each library is one characterized supply voltage of the same cells. Per
//! library this gives the STA worst delay, the mean dynamic energy of a MAC
//! transition and the per-weight summary; across libraries it fits the
//! alpha-power delay law ([`tables::vdd_model`]) so that delay and energy can
//! be read between and beyond the characterized voltages.
//!
//! The fit uses α and Vt both when three or more libraries are given, and
//! says when it is exact by construction. Requested voltages below the
//! lowest library are extrapolations: each prediction says by how many mV
//! and gives the delay over the plausible α range. Libraries given as
//! `check_libs` are timed but left out of the fit, and the prediction error
//! there is reported (the validation table of bench/README.md).
//!
//! Energies come from the full sweep of every activation transition, or,
//! with `sample`, from the same `sample` randomly drawn transitions for
//! every weight and every library (psum held at 0 throughout), so voltages
//! compare like for like.

use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use tables::vdd_model::{
    alpha_band, interpolate_leakage_w, same_vdd, scale_dynamic_energy, AlphaPower, Fit, FitOptions,
    LeakageBasis, Residual, SampledScaling, PLAUSIBLE_ALPHA,
};
use tables::{LibraryInfo, PerWeight};

use crate::design::Design;
use crate::kernel::{Kernel, WeightRows};
use crate::ports::{MacPorts, PortRoles};
use crate::progress::Progress;
use crate::psum::PsumSpec;
use crate::values::parse_weight_list;
use crate::{Error, Result};

/// What to sweep.
#[derive(Debug, Clone)]
pub struct VoltageRequest {
    /// The MAC netlist.
    pub netlist: PathBuf,
    /// One library per supply voltage (same cells).
    pub libs: Vec<PathBuf>,
    /// Top module.
    pub top: Option<String>,
    /// Port roles.
    pub roles: PortRoles,
    /// Weight list; `None` = every weight.
    pub weights: Option<String>,
    /// Transitions per weight; `None` = all of them.
    pub sample: Option<usize>,
    /// Seed of the transition sample.
    pub seed: u64,
    /// Clock period for power and leakage, ns.
    pub clock_period_ns: f64,
    /// Extra voltages to predict delay and energy at, V.
    pub vdd_v: Vec<f64>,
    /// Parameters of the delay fit held fixed (default: fit what the
    /// points allow).
    pub fit: FitOptions,
    /// Libraries timed (STA only) but left out of the fit, to validate it.
    pub check_libs: Vec<PathBuf>,
    /// Worker threads (`None` = one per core).
    pub threads: Option<usize>,
    /// Show a progress bar.
    pub progress: bool,
}

/// Results at one library's voltage.
#[derive(Debug, Clone, Serialize)]
pub struct VoltagePoint {
    /// The library.
    pub library: LibraryInfo,
    /// Its nominal supply voltage, V.
    pub vdd_v: f64,
    /// STA worst arrival, ns.
    pub sta_worst_delay_ns: f64,
    /// Mean dynamic energy per transition over all weights and simulated transitions, fJ.
    pub mean_energy_fj: f64,
    /// Largest sensitized delay seen, ns.
    pub max_delay_ns: f64,
    /// Leakage with all inputs 0, W.
    pub leakage_w: f64,
    /// Per-weight summary over the simulated transitions.
    pub per_weight: Vec<PerWeight>,
    /// Per weight, the sensitized delays of the simulated transitions (for plots; not serialized).
    #[serde(skip)]
    pub delays_ns: Vec<f32>,
}

impl VoltagePoint {
    /// How this point's sample scales against `reference`'s (the same
    /// transitions at another library): the measure of one delay factor and
    /// one energy factor standing in for tables here. None when the two
    /// did not simulate the same transitions, or none moved at both.
    pub fn scaling_from(&self, reference: &VoltagePoint) -> Option<SampledScaling> {
        let same_weights = self.per_weight.len() == reference.per_weight.len()
            && self
                .per_weight
                .iter()
                .zip(&reference.per_weight)
                .all(|(a, b)| a.weight == b.weight);
        if !same_weights
            || self.delays_ns.len() != reference.delays_ns.len()
            || reference.max_delay_ns <= 0.0
        {
            return None;
        }
        let delay_ratios: Vec<f64> = reference
            .delays_ns
            .iter()
            .zip(&self.delays_ns)
            .filter(|&(&a, &b)| a > 0.0 && b > 0.0)
            .map(|(&a, &b)| f64::from(b) / f64::from(a))
            .collect();
        let energy_ratios: Vec<f64> = reference
            .per_weight
            .iter()
            .zip(&self.per_weight)
            .filter(|(a, _)| a.mean_energy_fj > 0.0)
            .map(|(a, b)| b.mean_energy_fj / a.mean_energy_fj)
            .collect();
        if delay_ratios.is_empty() || energy_ratios.is_empty() {
            return None;
        }
        Some(SampledScaling {
            transitions: self.delays_ns.len() as u64,
            worst_delay_ratio: self.max_delay_ns / reference.max_delay_ns,
            delay_ratio_range: span(&delay_ratios),
            energy_ratio_range: span(&energy_ratios),
        })
    }
}

/// Delay and energy read off the models at a requested voltage.
#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    /// Supply voltage, V.
    pub vdd_v: f64,
    /// Worst delay from the alpha-power fit, ns (`None`: at or below Vt, or no fit).
    pub sta_worst_delay_ns: Option<f64>,
    /// How far below the lowest library it lies, mV (0: not an extrapolation).
    pub below_lowest_mv: f64,
    /// Below the lowest library: the delay's range over the α in
    /// [`PLAUSIBLE_ALPHA`] consistent with the libraries (Vt refitted for
    /// each; see [`alpha_band`]), ns.
    pub delay_band_ns: Option<(f64, f64)>,
    /// The α range behind `delay_band_ns`.
    pub band_alpha: Option<(f64, f64)>,
    /// Mean dynamic energy per transition, scaled as C·V² from the library nearest in voltage, fJ.
    pub mean_energy_fj: f64,
    /// Leakage, interpolated between the libraries (I·V outside them), W.
    pub leakage_w: f64,
    /// How `leakage_w` was obtained.
    pub leakage_basis: LeakageBasis,
    /// Voltage of the library the energy was scaled from, V.
    pub from_vdd_v: f64,
}

/// A library left out of the fit: its STA delay against the prediction.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// The library.
    pub library: LibraryInfo,
    /// Its voltage, V.
    pub vdd_v: f64,
    /// STA worst delay with it, ns.
    pub sta_worst_delay_ns: f64,
    /// The fit's prediction, ns (`None`: at or below Vt, or no fit).
    pub predicted_ns: Option<f64>,
    /// predicted / STA − 1, percent.
    pub error_pct: Option<f64>,
    /// `interpolation` inside the fitted voltages, `extrapolation` outside.
    pub kind: String,
}

/// The whole sweep.
#[derive(Debug, Clone, Serialize)]
pub struct VoltageReport {
    /// Netlist file.
    pub netlist: String,
    /// Top module.
    pub top: String,
    /// What the energies average over.
    pub energy_basis: String,
    /// Transitions simulated per weight and library.
    pub transitions_per_weight: usize,
    /// Clock period behind the power figures, ns.
    pub clock_period_ns: f64,
    /// One entry per library, ascending voltage.
    pub points: Vec<VoltagePoint>,
    /// The fitted delay law, when the points allow one.
    pub fit: Option<Fit>,
    /// Why there is no fit.
    pub fit_error: Option<String>,
    /// Fit against each library.
    pub residuals: Vec<Residual>,
    /// Requested voltages.
    pub predictions: Vec<Prediction>,
    /// Libraries left out of the fit and how well it predicts them.
    pub validation: Vec<Validation>,
}

/// Run the sweep.
pub fn sweep_voltage(request: &VoltageRequest) -> Result<VoltageReport> {
    if request.libs.is_empty() {
        return Err(Error::Input(
            "voltage sweep: expected at least one library".into(),
        ));
    }
    if !(request.clock_period_ns.is_finite() && request.clock_period_ns > 0.0) {
        return Err(Error::Input(format!(
            "clock period {} ns: expected a number > 0",
            request.clock_period_ns
        )));
    }
    if let Some(v) = request.vdd_v.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
        return Err(Error::Input(format!(
            "predicted VDD {v}: expected a voltage > 0"
        )));
    }
    if request.sample == Some(0) {
        return Err(Error::Input(
            "sample of 0 transitions: expected at least one transition per weight".into(),
        ));
    }
    let mut points = Vec::new();
    let mut top = String::new();
    let mut first_ports: Option<MacPorts> = None;
    let mut transitions_per_weight = 0;
    for lib in &request.libs {
        let design = Design::load(&request.netlist, lib, request.top.as_deref())?;
        let ports = MacPorts::bind(&design.netlist, &request.roles)?;
        match &first_ports {
            Some(p) if *p != ports => {
                return Err(Error::Input(format!(
                    "{} binds the ports differently from {}; expected the same cells at another voltage",
                    lib.display(),
                    request.libs[0].display()
                )))
            }
            _ => first_ports = Some(ports.clone()),
        }
        top = design.netlist.top.clone();
        let weights = match &request.weights {
            Some(text) => parse_weight_list(text, ports.weight.encoding)?,
            None => ports.weight.encoding.ascending(),
        };
        let acts = ports.act.encoding.ascending();
        let pairs = transition_pairs(acts.len(), request.sample, request.seed);
        transitions_per_weight = pairs.len();
        let point = characterize_library(&design, &ports, &weights, &acts, &pairs, request)?;
        points.push(point);
    }
    points.sort_by(|a, b| a.vdd_v.total_cmp(&b.vdd_v));
    if let Some(pair) = points.windows(2).find(|p| same_vdd(p[0].vdd_v, p[1].vdd_v)) {
        return Err(Error::Input(format!(
            "libraries {} and {} have the same voltage {} V; expected one library per voltage",
            pair[0].library.file, pair[1].library.file, pair[0].vdd_v
        )));
    }
    let measured: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.vdd_v, p.sta_worst_delay_ns))
        .collect();
    let (fit, fit_error) = match AlphaPower::fit(&measured, request.fit) {
        Ok(fit) => (Some(fit), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let residuals = fit.map(|f| f.residuals(&measured)).unwrap_or_default();
    let lowest_v = points[0].vdd_v;
    let band = alpha_band(&measured, request.fit.vt_v, PLAUSIBLE_ALPHA, 10);
    let leakage: Vec<(f64, f64)> = points.iter().map(|p| (p.vdd_v, p.leakage_w)).collect();
    let predictions = request
        .vdd_v
        .iter()
        .map(|&v| {
            let nearest = points
                .iter()
                .min_by(|a, b| (a.vdd_v - v).abs().total_cmp(&(b.vdd_v - v).abs()))
                .expect("at least one library");
            let below = v < lowest_v - 1e-9;
            let band_delays: Vec<f64> = band.iter().filter_map(|f| f.model.delay_ns(v)).collect();
            let (leakage_w, leakage_basis) = interpolate_leakage_w(&leakage, v)
                .unwrap_or((nearest.leakage_w, LeakageBasis::Library));
            Prediction {
                vdd_v: v,
                sta_worst_delay_ns: fit.and_then(|f| f.model.delay_ns(v)),
                below_lowest_mv: if below { (lowest_v - v) * 1e3 } else { 0.0 },
                delay_band_ns: (below && !band_delays.is_empty()).then(|| span(&band_delays)),
                band_alpha: (below && !band.is_empty())
                    .then(|| span(&band.iter().map(|f| f.model.alpha).collect::<Vec<_>>())),
                mean_energy_fj: scale_dynamic_energy(nearest.mean_energy_fj, nearest.vdd_v, v),
                leakage_w,
                leakage_basis,
                from_vdd_v: nearest.vdd_v,
            }
        })
        .collect();
    let highest_v = points[points.len() - 1].vdd_v;
    let mut validation = Vec::new();
    for lib in &request.check_libs {
        let design = Design::load(&request.netlist, lib, request.top.as_deref())?;
        let (v, sta) = (design.lib.nom_voltage_v, design.sta_worst_delay_ns());
        let predicted_ns = fit.and_then(|f| f.model.delay_ns(v));
        validation.push(Validation {
            library: design.library_info(),
            vdd_v: v,
            sta_worst_delay_ns: sta,
            predicted_ns,
            error_pct: predicted_ns.map(|p| 100.0 * (p / sta - 1.0)),
            kind: if (lowest_v..=highest_v).contains(&v) {
                "interpolation"
            } else {
                "extrapolation"
            }
            .into(),
        });
    }
    validation.sort_by(|a, b| a.vdd_v.total_cmp(&b.vdd_v));
    let energy_basis = match request.sample {
        Some(n) => format!(
            "sample: the same {n} activation transitions (a -> a', drawn with seed {}) for every weight and library, psum held at 0",
            request.seed
        ),
        None => "full sweep: every activation transition a -> a' for every weight, psum held at 0".into(),
    };
    Ok(VoltageReport {
        netlist: request.netlist.display().to_string(),
        top,
        energy_basis,
        transitions_per_weight,
        clock_period_ns: request.clock_period_ns,
        points,
        fit,
        fit_error,
        residuals,
        predictions,
        validation,
    })
}

/// (min, max) of non-empty `values`.
fn span(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// (a index, a' index) pairs to simulate, sorted by a index so settled
/// states are shared: all of them, or `sample` drawn uniformly with replacement.
pub fn transition_pairs(acts: usize, sample: Option<usize>, seed: u64) -> Vec<(u32, u32)> {
    let n = acts as u32;
    let mut pairs: Vec<(u32, u32)> = match sample {
        None => (0..n).flat_map(|i| (0..n).map(move |j| (i, j))).collect(),
        Some(k) => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..k)
                .map(|_| (rng.gen_range(0..n), rng.gen_range(0..n)))
                .collect()
        }
    };
    pairs.sort_unstable();
    pairs
}

fn characterize_library(
    design: &Design,
    ports: &MacPorts,
    weights: &[i64],
    acts: &[i64],
    pairs: &[(u32, u32)],
    request: &VoltageRequest,
) -> Result<VoltagePoint> {
    let kernel = Kernel::new(ports, acts, PsumSpec::default());
    let per = pairs.len();
    let mut energy = vec![0f32; weights.len() * per];
    let mut delay = vec![0f32; weights.len() * per];
    let mut toggles = vec![0f32; weights.len() * per];
    let label = format!("{} V", design.lib.nom_voltage_v);
    let progress = if request.progress {
        Progress::new((weights.len() * per) as u64, &label, true)
    } else {
        Progress::hidden()
    };
    let threads = request.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Input(format!("cannot start {threads} threads: {e}")))?;
    // Contiguous blocks of weights, one simulator per block.
    let blocks = pool.current_num_threads().max(1);
    let per_block = weights.len().div_ceil(blocks).max(1);
    let results: Vec<Result<()>> = pool.install(|| {
        use rayon::prelude::*;
        energy
            .par_chunks_mut(per * per_block)
            .zip(delay.par_chunks_mut(per * per_block))
            .zip(toggles.par_chunks_mut(per * per_block))
            .zip(weights.par_chunks(per_block))
            .map(|(((e, d), t), ws)| -> Result<()> {
                let mut engine = design.simulator(request.clock_period_ns)?;
                let mut inputs = kernel.input_buffer();
                for (k, &w) in ws.iter().enumerate() {
                    let r = k * per..(k + 1) * per;
                    let mut rows = WeightRows {
                        energy_fj: &mut e[r.clone()],
                        delay_ns: &mut d[r.clone()],
                        toggles: &mut t[r],
                    };
                    kernel.run_pairs(&mut engine, &mut inputs, w, pairs, &mut rows)?;
                    progress.inc(per as u64);
                }
                Ok(())
            })
            .collect()
    });
    progress.finish();
    results.into_iter().collect::<Result<Vec<()>>>()?;
    let per_weight: Vec<PerWeight> = weights
        .iter()
        .enumerate()
        .map(|(k, &w)| {
            let r = k * per..(k + 1) * per;
            PerWeight::compute(
                w,
                &energy[r.clone()],
                &delay[r.clone()],
                Some(&toggles[r]),
                request.clock_period_ns,
            )
        })
        .collect();
    let mean_energy_fj =
        per_weight.iter().map(|p| p.mean_energy_fj).sum::<f64>() / per_weight.len().max(1) as f64;
    let mut engine = design.simulator(request.clock_period_ns)?;
    let zeros = kernel.input_buffer();
    crate::engine::Engine::settle(&mut engine, &zeros)?;
    let quiet = crate::engine::Engine::step(&mut engine, &zeros)?;
    Ok(VoltagePoint {
        library: design.library_info(),
        vdd_v: design.lib.nom_voltage_v,
        sta_worst_delay_ns: design.sta_worst_delay_ns(),
        mean_energy_fj,
        max_delay_ns: per_weight
            .iter()
            .map(|p| p.max_delay_ns)
            .fold(0.0, f64::max),
        // fJ / ns = 1e-6 W.
        leakage_w: quiet.energy.leakage_fj / request.clock_period_ns * 1e-6,
        per_weight,
        delays_ns: delay,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_all_transitions_or_a_repeatable_sorted_sample() {
        let all = transition_pairs(4, None, 1);
        assert_eq!(all.len(), 16);
        assert_eq!((all[0], all[15]), ((0, 0), (3, 3)));
        let s = transition_pairs(16, Some(50), 3);
        assert_eq!(s.len(), 50);
        assert!(s.windows(2).all(|p| p[0] <= p[1]));
        assert!(s.iter().all(|&(a, b)| a < 16 && b < 16));
        assert_eq!(s, transition_pairs(16, Some(50), 3));
        assert_ne!(s, transition_pairs(16, Some(50), 4));
    }

    /// Two weights, two transitions each, worked out by hand: delays
    /// (1, 2 | 0, 4) ns at the reference, (0.5, 1.5 | 0, 3.2) ns at the
    /// other library; mean energies (2, 4) and (3, 5) fJ.
    #[test]
    fn scaling_between_two_samples() {
        let point = |delays: [f32; 4], energies: [f32; 4]| {
            let per_weight = (0..2)
                .map(|k| {
                    let r = 2 * k..2 * k + 2;
                    PerWeight::compute(k as i64, &energies[r.clone()], &delays[r], None, 1.0)
                })
                .collect::<Vec<_>>();
            VoltagePoint {
                library: LibraryInfo {
                    name: "lib".into(),
                    voltage_v: 1.0,
                    file: "lib.lib".into(),
                },
                vdd_v: 1.0,
                sta_worst_delay_ns: 4.0,
                mean_energy_fj: 0.0,
                max_delay_ns: delays.iter().fold(0.0f64, |m, &d| m.max(f64::from(d))),
                leakage_w: 0.0,
                per_weight,
                delays_ns: delays.to_vec(),
            }
        };
        let reference = point([1.0, 2.0, 0.0, 4.0], [1.0, 3.0, 3.0, 5.0]);
        let other = point([0.5, 1.5, 0.0, 3.2], [2.0, 4.0, 4.0, 6.0]);
        let s = other.scaling_from(&reference).unwrap();
        assert_eq!(s.transitions, 4);
        // Worst 3.2 / 4; single transitions 0.5/1, 1.5/2, 3.2/4 (the one
        // at 0 ns moves at neither); energies 3/2 and 5/4.
        assert!((s.worst_delay_ratio - 0.8).abs() < 1e-6, "{s:?}");
        assert!((s.delay_ratio_range.0 - 0.5).abs() < 1e-6, "{s:?}");
        assert!((s.delay_ratio_range.1 - 0.8).abs() < 1e-6, "{s:?}");
        assert_eq!(s.energy_ratio_range, (1.25, 1.5));
        // Another sample size is not comparable.
        let short = VoltagePoint {
            delays_ns: vec![1.0],
            ..point([1.0; 4], [1.0; 4])
        };
        assert!(short.scaling_from(&reference).is_none());
    }
}
