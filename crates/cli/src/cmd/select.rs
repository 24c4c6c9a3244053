//! `powerprune select`: PowerPruning selection on characterization tables.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tables::{LabelledDir, TableSet};

/// The table sets of one MAC at several supply voltages, which one is
/// nominal, and the clock period: what `select`, `nn validate` and `nn
/// prune` read the same way.
#[derive(clap::Args)]
pub struct TableSetArgs {
    /// Table directory at one supply voltage, as `V=DIR` (V in volts) or
    /// `DIR` (V taken from meta.json's library.voltage_v; a V that differs
    /// from it by more than 1 mV is an error). Repeat for more voltages.
    #[arg(long = "tables", value_name = "V=DIR", required = true)]
    pub tables: Vec<LabelledDir>,
    /// Nominal supply voltage, V: one of the given ones (default: highest).
    #[arg(long, value_name = "V")]
    pub nominal: Option<f64>,
    /// Clock period, ns (default: the nominal tables' STA worst delay).
    #[arg(long, value_name = "NS")]
    pub clock_period: Option<f64>,
}

impl TableSetArgs {
    /// Read every set (`tables::read_sets`) and find the nominal one.
    pub fn read(&self) -> anyhow::Result<(Vec<TableSet>, usize)> {
        let sets = tables::read_sets(&self.tables)?;
        let nom = prune::nominal_set(&sets, self.nominal)?;
        Ok((sets, nom))
    }
}

/// Arguments of `powerprune select`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub sets: TableSetArgs,
    /// Number of weight values to keep (weight 0 included).
    #[arg(long, value_name = "N")]
    pub keep: usize,
    /// Keep weights in ± pairs.
    #[arg(long)]
    pub symmetric: bool,
    #[command(flatten)]
    pub delay: super::select::DelayStageArgs,
    /// Activation histogram (A values) or transition matrix (A x A values), .npy or .csv.
    #[arg(long, value_name = "FILE")]
    pub act_weights: Option<PathBuf>,
    #[command(flatten)]
    pub voltage: VoltageArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// List every removed value (a report written with --output always does).
    #[arg(long, short)]
    pub verbose: bool,
    /// Write plots (PNG and SVG) into DIR [default: ./plots].
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub plots: Option<Option<PathBuf>>,
    /// Write the report to this file instead of standard output (`--out`
    /// is an older spelling).
    #[arg(short = 'o', long, alias = "out", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the allowed sets ({"weights", "activations", "vdd_v"}) here.
    #[arg(long, value_name = "FILE")]
    pub allowed_sets: Option<PathBuf>,
}

/// The delay stage's settings (shared by `select` and `run`).
#[derive(clap::Args)]
pub struct DelayStageArgs {
    /// Delay target, ns: remove activations (then weights) until every
    /// transition meets it.
    #[arg(long, value_name = "NS")]
    pub delay_target: Option<f64>,
    /// Alone: find the lowest delay target reachable by removing at most K
    /// activations. With --delay-target: remove at most K activations, then
    /// weights.
    #[arg(long, value_name = "K")]
    pub max_act_removed: Option<usize>,
}

impl DelayStageArgs {
    /// The delay stage these settings ask for.
    pub fn mode(&self) -> prune::DelayMode {
        match (self.delay_target, self.max_act_removed) {
            (Some(delay_ns), max_act_removed) => prune::DelayMode::Target {
                delay_ns,
                max_act_removed,
            },
            (None, Some(max_act_removed)) => prune::DelayMode::LowestTarget { max_act_removed },
            (None, None) => prune::DelayMode::Off,
        }
    }
}

/// Run `powerprune select`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let sets = tables::read_sets(&args.sets.tables)?;
    let mut inputs: Vec<&Path> = args.sets.tables.iter().map(|t| t.dir.as_path()).collect();
    inputs.extend(args.act_weights.as_deref());
    let plots = super::output::plots_dir(&args.plots, || PathBuf::from("plots"));
    for (flag, out) in [
        ("--output", &args.output),
        ("--allowed-sets", &args.allowed_sets),
        ("--plots", &plots),
    ] {
        if let Some(out) = out {
            super::output::refuse_input_overwrite(flag, out, &inputs)?;
        }
    }

    let mut opts = prune::Options::new(args.keep);
    opts.symmetric = args.symmetric;
    opts.nominal_vdd_v = args.sets.nominal;
    opts.clock_period_ns = args.sets.clock_period;
    opts.delay = args.delay.mode();
    if let Some(path) = &args.act_weights {
        opts.act_weights = prune::ActWeights::load(path, sets[0].tables.num_acts())?;
    }
    opts.voltage = args.voltage.options()?;

    let report = prune::select(&sets, &opts).map_err(|e| match &e {
        prune::PruneError::Mismatch { vdd_v, .. } => {
            let dir = sets
                .iter()
                .find(|s| tables::vdd_model::same_vdd(s.vdd_v, *vdd_v))
                .map(|s| s.dir.display().to_string())
                .unwrap_or_default();
            anyhow::Error::new(e).context(format!("table directory {dir}"))
        }
        _ => setting_flag_context(e),
    })?;

    if let Some(warning) = report.sparse_warning() {
        eprintln!("warning: {warning}");
    }
    // A report file keeps every removal; the terminal gets them with --verbose.
    let text = match (args.json, &args.output) {
        (true, _) => report.to_json(),
        (false, Some(_)) => report.to_text(),
        (false, None) => report.text(args.verbose),
    };
    match &args.output {
        Some(path) => prune::report::write_text(path, &text)?,
        None => print!("{text}"),
    }
    if let Some(path) = &args.allowed_sets {
        report.allowed_sets().save(path)?;
    }
    if let Some(dir) = &plots {
        prune::plot::write_plots(&report, dir)?;
    }
    Ok(())
}

/// A pruning error with the flag named when it is about one setting: the
/// library speaks of the value, the flag is ours (shared by `select` and
/// `run`).
pub fn setting_flag_context(e: prune::PruneError) -> anyhow::Error {
    match &e {
        prune::PruneError::Setting { setting, .. } => {
            let flag = setting_flag(*setting);
            anyhow::Error::new(e).context(flag)
        }
        _ => anyhow::Error::new(e),
    }
}

/// `--clock-period` or the nominal tables' default ([`prune::clock_period_ns`]).
pub fn clock_period(given: Option<f64>, nominal: &tables::Meta) -> anyhow::Result<f64> {
    prune::clock_period_ns(given, nominal).map_err(setting_flag_context)
}

/// The command-line flag of a selection setting.
pub fn setting_flag(setting: prune::Setting) -> &'static str {
    use prune::Setting;
    match setting {
        Setting::Keep => "--keep",
        Setting::ClockPeriod => "--clock-period",
        Setting::DelayTarget => "--delay-target",
        Setting::Alpha => "--alpha",
        Setting::Vt => "--vt",
        Setting::MinVdd => "--min-vdd",
        Setting::VddStep => "--vdd-step",
    }
}

/// Delay-model parameters to hold fixed, shared by `select`, `run`,
/// `sweep-voltage` and `nn prune`.
#[derive(clap::Args)]
pub struct FitArgs {
    /// Fix the alpha-power law's velocity-saturation index (default: fitted
    /// with three or more voltages; below the lowest voltage the safe end of
    /// alpha 1..2 is used).
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f64>,
    /// Fix the alpha-power law's threshold voltage, V (needed with one voltage).
    #[arg(long, value_name = "V")]
    pub vt: Option<f64>,
}

impl FitArgs {
    /// The fit options.
    pub fn options(&self) -> prune::FitOptions {
        prune::FitOptions {
            alpha: self.alpha,
            vt_v: self.vt,
        }
    }
}

/// Voltage-model options shared by `select`, `run` and `nn prune`.
#[derive(clap::Args)]
pub struct VoltageArgs {
    #[command(flatten)]
    pub fit: FitArgs,
    /// Lowest modelled VDD, V (default: half the nominal).
    #[arg(long, value_name = "V")]
    pub min_vdd: Option<f64>,
    /// Step of modelled VDDs, V (0: table voltages only).
    #[arg(long, value_name = "V", default_value_t = 0.01)]
    pub vdd_step: f64,
    /// Further voltages without full tables: the `voltage_corners.json`
    /// that `powerprune run` writes (STA and sampled energy ratios against
    /// the nominal library, and each library's leakage).
    #[arg(long, value_name = "FILE")]
    pub corners: Option<PathBuf>,
}

impl VoltageArgs {
    /// The pruning crate's voltage-scaling options (reads `--corners`).
    pub fn options(&self) -> anyhow::Result<prune::VoltageOptions> {
        Ok(prune::VoltageOptions {
            fit: self.fit.options(),
            min_vdd_v: self.min_vdd,
            vdd_step_v: self.vdd_step,
            corners: read_corners(self.corners.as_deref())?,
        })
    }
}

/// The voltage corners of a `voltage_corners.json` (none without a file).
pub fn read_corners(path: Option<&std::path::Path>) -> anyhow::Result<Vec<prune::VoltageCorner>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: expected a JSON list of {{\"vdd_v\", \"delay_ratio\", \"energy_ratio\", \"leakage_w\"}}",
            path.display()
        )
    })
}
