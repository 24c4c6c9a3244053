//! `powerprune characterize NETLIST --lib LIB --out DIR`: energy and
//! sensitized delay of every weight × activation transition.

use std::path::PathBuf;

use anyhow::Context as _;
use characterize::psum::DEFAULT_SEED;
use characterize::{Design, PsumSpec, Request, RunOptions, Shard};
use tables::{PsumGiven, PsumModel, TraceDraw};

use super::design::PortArgs;

/// Arguments of `powerprune characterize`.
#[derive(clap::Args)]
#[command(mut_arg("act_signed", |arg| arg.help(
    "Read the activation as two's complement (default unsigned, as after ReLU)"
)))]
pub struct Args {
    /// Gate-level MAC netlist (structural Verilog).
    pub netlist: PathBuf,
    /// Liberty library the netlist is bound to (.lib or .lib.gz).
    #[arg(long, value_name = "LIB")]
    pub lib: PathBuf,
    /// Top module (default: the only module no other instantiates).
    #[arg(long, value_name = "NAME")]
    pub top: Option<String>,
    #[command(flatten)]
    pub ports: PortArgs,
    /// Read the partial sum as two's complement.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub psum_signed: bool,
    /// Weights to characterize, in table order: values and inclusive ranges,
    /// e.g. `-3,0,5` or `-8:7` (default: every value, ascending).
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub weights: Option<String>,
    /// Partial sum around each transition: `zero` (held at 0), `hold` (a
    /// random constant), `random` (random p -> p') or `traced` (a p -> p'
    /// of the PE streams in --psum-trace holding the same weight).
    #[arg(long, value_name = "MODEL", default_value = "zero")]
    pub psum_model: String,
    /// PE trace (from `powerprune nn trace`) the `traced` model draws from;
    /// its SHA-256 is recorded in meta.json.
    #[arg(long, value_name = "FILE")]
    pub psum_trace: Option<PathBuf>,
    /// Psum draws per transition (hold/random/traced): energy and toggles
    /// averaged, the largest delay kept.
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub psum_samples: u32,
    /// Draw traced partial sums from this layer's streams only [default:
    /// every layer of the trace].
    #[arg(long, value_name = "NAME")]
    pub psum_layer: Option<String>,
    /// What each traced draw is conditioned on: `weight` (the streams
    /// holding the weight) or `transition` (also the activation
    /// transition a -> a', falling back to its zero/non-zero pattern, then
    /// the weight, when fewer than --psum-samples pairs were seen).
    #[arg(long, value_name = "GIVEN", default_value = "weight")]
    pub psum_given: String,
    /// With `--psum-given transition`: an entry whose exact a -> a' the
    /// trace saw K..=M times averages every pair seen instead of K draws
    /// (M draws when seen more often), so the transitions a network really
    /// makes carry no sampling noise [default: K draws everywhere].
    #[arg(long, value_name = "M")]
    pub psum_samples_max: Option<u32>,
    /// Seed of the psum draws.
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Clock period: how long each vector is held (leakage) and the period
    /// of the power column, ns [default: the netlist's STA worst delay at
    /// this library, as select, run and nn use].
    #[arg(long, value_name = "NS")]
    pub clock_period: Option<f64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Compute only part i of n of the weights (0 <= i < n), for job
    /// arrays; join the parts with `powerprune merge`.
    #[arg(long, value_name = "i/n")]
    pub shard: Option<String>,
    /// Also draw energy and delay plots (PNG and SVG) into DIR [default:
    /// the output directory's plots/].
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub plots: Option<Option<PathBuf>>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Output table directory (an interrupted run restarted with the same
    /// arguments resumes from DIR/.partial).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The psum model, checked with the flags named (the library speaks of
/// values only).
fn psum_spec(args: &Args) -> anyhow::Result<PsumSpec> {
    let model = PsumModel::parse(&args.psum_model)?;
    if model == PsumModel::Traced && args.psum_trace.is_none() {
        anyhow::bail!("--psum-model traced needs --psum-trace FILE");
    }
    if model != PsumModel::Traced
        && (args.psum_layer.is_some()
            || args.psum_given != "weight"
            || args.psum_samples_max.is_some())
    {
        anyhow::bail!(
            "--psum-layer, --psum-given and --psum-samples-max choose traced draws; they need --psum-model traced"
        );
    }
    if let Some(m) = args.psum_samples_max {
        if args.psum_given != "transition" {
            anyhow::bail!("--psum-samples-max needs --psum-given transition");
        }
        if m < args.psum_samples {
            anyhow::bail!(
                "--psum-samples-max {m} is below --psum-samples {}",
                args.psum_samples
            );
        }
    }
    PsumSpec::new(model, args.psum_samples, args.seed).with_context(|| {
        format!(
            "--psum-model {} --psum-samples {}",
            args.psum_model, args.psum_samples
        )
    })
}

/// Run `powerprune characterize`.
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.threads == Some(0) {
        anyhow::bail!("--threads 0: expected at least 1");
    }
    let psum_trace = match &args.psum_trace {
        Some(path) => {
            let (trace, sha) = tables::trace::PeTrace::load(path)?;
            Some((std::sync::Arc::new(trace), sha))
        }
        None => None,
    };
    let psum = psum_spec(&args)?;
    let psum_draw = TraceDraw {
        layer: args.psum_layer.clone(),
        given: PsumGiven::parse(&args.psum_given).context("--psum-given")?,
        max_samples: args.psum_samples_max,
    };
    let request = Request {
        psum_trace,
        psum_draw,
        roles: args.ports.roles(args.psum_signed),
        weights: args.weights,
        psum,
        clock_period_ns: args.clock_period,
        shard: match &args.shard {
            Some(text) => Shard::parse(text)?,
            None => Shard::ALL,
        },
    };
    let design =
        Design::load(&args.netlist, &args.lib, args.top.as_deref()).with_context(|| {
            format!(
                "reading {} with {}",
                args.netlist.display(),
                args.lib.display()
            )
        })?;
    let options = RunOptions {
        threads: args.threads,
        progress: !args.quiet,
    };
    let outcome = characterize::characterize(&design, &request, &args.out, &options)?;
    for warning in &outcome.warnings {
        eprintln!("warning: {warning}");
    }
    let meta = outcome.tables.meta();
    let transitions = meta.weights.len() * meta.acts.len() * meta.acts.len();
    println!(
        "{}: {} weights x {} x {} activation transitions ({} simulated), {} on {} ({} V)",
        args.out.display(),
        meta.weights.len(),
        meta.acts.len(),
        meta.acts.len(),
        transitions,
        meta.top,
        meta.library.name,
        meta.library.voltage_v
    );
    if outcome.resumed > 0 {
        println!(
            "resumed {} weights from an interrupted run, computed {}",
            outcome.resumed, outcome.computed
        );
    }
    println!(
        "{:.1} s ({:.0} transitions/s), STA worst delay {:.4} ns, leakage {:.4e} W",
        outcome.runtime_s,
        (outcome.computed * meta.acts.len() * meta.acts.len()) as f64 / outcome.runtime_s.max(1e-9),
        meta.sta_worst_delay_ns,
        meta.leakage_w
    );
    if let Some(dir) = super::output::plots_dir(&args.plots, || args.out.join("plots")) {
        for file in characterize::plot::table_figures(&outcome.tables, &dir)? {
            println!("wrote {}", file.display());
        }
    }
    Ok(())
}
