//! `powerprune sweep-voltage NETLIST --lib LIB1 --lib LIB2 ...`: delay and
//! energy of one MAC at several supply voltages, with an alpha-power
//! delay-vs-VDD fit to read between and beyond them.

use std::path::PathBuf;

use anyhow::Context as _;
use characterize::psum::DEFAULT_SEED;
use characterize::voltage::{sweep_voltage, VoltageReport, VoltageRequest};
use tables::vdd_model::{LeakageBasis, PLAUSIBLE_ALPHA};

use super::design::PortArgs;

/// Arguments of `powerprune sweep-voltage`.
#[derive(clap::Args)]
#[command(mut_arg("psum", |arg| arg.help("Partial-sum input port (held at 0)")))]
pub struct Args {
    /// Gate-level MAC netlist (structural Verilog).
    pub netlist: PathBuf,
    /// One Liberty library per supply voltage, same cells (repeat).
    #[arg(long = "lib", value_name = "LIB", required = true)]
    pub libs: Vec<PathBuf>,
    /// Top module.
    #[arg(long, value_name = "NAME")]
    pub top: Option<String>,
    #[command(flatten)]
    pub ports: PortArgs,
    /// Voltages to predict delay and energy at from the fitted models, V (repeat).
    #[arg(long = "vdd", value_name = "V")]
    pub vdd: Vec<f64>,
    /// A library timed (STA only) but left out of the fit, to check the
    /// fit's prediction at its voltage (repeat).
    #[arg(long = "check-lib", value_name = "LIB")]
    pub check_libs: Vec<PathBuf>,
    #[command(flatten)]
    pub fit: super::select::FitArgs,
    /// Weights (e.g. `-3,0,5`, `-8:7`; default: all).
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub weights: Option<String>,
    /// Simulate N random activation transitions per weight (the same ones
    /// at every voltage) instead of all of them.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Seed of the transition sample.
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Clock period for power and leakage, ns.
    #[arg(long, value_name = "NS", default_value_t = 10.0)]
    pub clock_period: f64,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write plots (PNG and SVG) into DIR [default: ./plots].
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub plots: Option<Option<PathBuf>>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run `powerprune sweep-voltage`.
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.threads == Some(0) {
        anyhow::bail!("--threads 0: expected at least 1");
    }
    // The library checks these too, in words of values; here they get
    // their flags.
    if let Some(v) = args.vdd.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
        anyhow::bail!("--vdd {v}: expected a voltage > 0");
    }
    if args.sample == Some(0) {
        anyhow::bail!("--sample 0: expected at least one transition per weight");
    }
    let request = VoltageRequest {
        netlist: args.netlist.clone(),
        libs: args.libs.clone(),
        top: args.top.clone(),
        roles: args.ports.roles(true),
        weights: args.weights.clone(),
        sample: args.sample,
        seed: args.seed,
        clock_period_ns: args.clock_period,
        vdd_v: args.vdd.clone(),
        fit: args.fit.options(),
        check_libs: args.check_libs.clone(),
        threads: args.threads,
        progress: !args.quiet,
    };
    let report = sweep_voltage(&request)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).context("encoding the report")?
        );
    } else {
        print!("{}", text(&report));
    }
    if let Some(dir) = super::output::plots_dir(&args.plots, || PathBuf::from("plots")) {
        for file in plots(&report, &dir)? {
            eprintln!("wrote {}", file.display());
        }
    }
    Ok(())
}

fn text(r: &VoltageReport) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{} ({})", r.netlist, r.top);
    let _ = writeln!(
        s,
        "energy basis: {} ({} transitions per weight)",
        r.energy_basis, r.transitions_per_weight
    );
    let _ = writeln!(
        s,
        "{:>8} {:>14} {:>16} {:>16} {:>12}  library",
        "VDD_V", "sta_delay_ns", "mean_energy_fJ", "max_sens_delay_ns", "leakage_W"
    );
    for p in &r.points {
        let _ = writeln!(
            s,
            "{:>8.3} {:>14.6} {:>16.4} {:>16.6} {:>12.4e}  {} ({})",
            p.vdd_v,
            p.sta_worst_delay_ns,
            p.mean_energy_fj,
            p.max_delay_ns,
            p.leakage_w,
            p.library.name,
            p.library.file
        );
    }
    match (&r.fit, &r.fit_error) {
        (Some(f), _) => {
            let _ = writeln!(
                s,
                "alpha-power fit d(V) = k*V/(V-Vt)^alpha: k = {:.6} ns*V^(alpha-1), Vt = {:.4} V, alpha = {:.4} ({:?}; {})",
                f.model.k, f.model.vt_v, f.model.alpha, f.method, f.quality()
            );
            for res in r.residuals.iter().filter(|_| !f.exact_by_construction()) {
                let _ = writeln!(
                    s,
                    "  residual at {:.3} V: measured {:.6} ns, fitted {:.6} ns ({:+.3e} relative)",
                    res.vdd_v, res.measured_ns, res.fitted_ns, res.relative_error
                );
            }
        }
        (None, Some(e)) => {
            let _ = writeln!(s, "no delay fit: {e}");
        }
        (None, None) => {}
    }
    for p in &r.predictions {
        let delay = p
            .sta_worst_delay_ns
            .map_or("n/a (at or below Vt, or no fit)".to_string(), |d| {
                format!("{d:.6} ns")
            });
        let _ = writeln!(
            s,
            "predicted at {:.3} V: STA delay {delay}, mean energy {:.4} fJ (C*V^2 from {:.3} V), leakage {:.4e} W ({})",
            p.vdd_v,
            p.mean_energy_fj,
            p.from_vdd_v,
            p.leakage_w,
            match p.leakage_basis {
                LeakageBasis::Library => "that library's",
                LeakageBasis::Interpolated => "interpolated between libraries",
                LeakageBasis::CurrentTimesVdd => "I*V from the nearest library",
            }
        );
        if p.below_lowest_mv > 0.0 {
            let band = p
                .delay_band_ns
                .map_or("n/a".to_string(), |(lo, hi)| format!("{lo:.6}..{hi:.6} ns"));
            let (a_lo, a_hi) = p.band_alpha.unwrap_or(PLAUSIBLE_ALPHA);
            let _ = writeln!(
                s,
                "  extrapolated {:.0} mV below the lowest library: delay for alpha {a_lo:.1}..{a_hi:.1} (those of {}..{} consistent with the libraries): {band}",
                p.below_lowest_mv, PLAUSIBLE_ALPHA.0, PLAUSIBLE_ALPHA.1
            );
        }
    }
    if !r.validation.is_empty() {
        let _ = writeln!(s, "validation (libraries left out of the fit):");
        let _ = writeln!(
            s,
            "{:>8} {:>14} {:>14} {:>9}  kind",
            "VDD_V", "sta_delay_ns", "predicted_ns", "error_%"
        );
        for c in &r.validation {
            let _ = writeln!(
                s,
                "{:>8.3} {:>14.6} {:>14} {:>9}  {} ({})",
                c.vdd_v,
                c.sta_worst_delay_ns,
                c.predicted_ns.map_or("n/a".into(), |p| format!("{p:.6}")),
                c.error_pct.map_or("n/a".into(), |e| format!("{e:+.2}")),
                c.kind,
                c.library.file
            );
        }
    }
    let _ = writeln!(s, "per weight (mean energy fJ / max delay ns):");
    for (k, row) in r
        .points
        .first()
        .map(|p| p.per_weight.as_slice())
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let cells: Vec<String> = r
            .points
            .iter()
            .map(|p| {
                format!(
                    "{:.3} V: {:.4} / {:.4}",
                    p.vdd_v, p.per_weight[k].mean_energy_fj, p.per_weight[k].max_delay_ns
                )
            })
            .collect();
        let _ = writeln!(s, "  w={:>5}  {}", row.weight, cells.join("   "));
    }
    s
}

fn plots(r: &VoltageReport, dir: &std::path::Path) -> anyhow::Result<Vec<PathBuf>> {
    use characterize::plot;
    let measured: Vec<(f64, f64)> = r
        .points
        .iter()
        .map(|p| (p.vdd_v, p.sta_worst_delay_ns))
        .collect();
    let predicted: Vec<(f64, f64)> = r
        .predictions
        .iter()
        .filter_map(|p| p.sta_worst_delay_ns.map(|d| (p.vdd_v, d)))
        .collect();
    let mut files = plot::delay_vs_vdd(
        &format!("STA worst delay vs VDD: {}", r.top),
        &measured,
        r.fit.map(|f| f.model),
        &predicted,
        &dir.join("delay_vs_vdd"),
    )?;
    let series: Vec<(String, &[tables::PerWeight])> = r
        .points
        .iter()
        .map(|p| (format!("{} V", p.vdd_v), p.per_weight.as_slice()))
        .collect();
    files.extend(plot::energy_per_weight(
        &format!("Mean energy per weight: {}", r.top),
        &series,
        &dir.join("energy_per_weight"),
    )?);
    for p in &r.points {
        let weights: Vec<i64> = p.per_weight.iter().map(|w| w.weight).collect();
        files.extend(plot::delay_distribution(
            &format!("Sensitized delay per weight at {} V: {}", p.vdd_v, r.top),
            &weights,
            &p.delays_ns,
            p.sta_worst_delay_ns,
            &dir.join(format!("delay_distribution_{}V", p.vdd_v)),
        )?);
    }
    Ok(files)
}
