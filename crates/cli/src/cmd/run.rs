//! `powerprune run`: the whole PowerPruning job in one command —
//! characterize a MAC at every given supply voltage, select weights and
//! activations, and write tables, report and plots.
//!
//! With no arguments it runs the shipped 8-bit MAC (signed weights,
//! unsigned activations) on the shipped SG13G2 library at 1.20 V and
//! 1.50 V, from the repository root, into `out/`. Each characterization
//! resumes if interrupted, and is skipped when its directory already holds
//! tables of the same netlist and library.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use characterize::tables::Tables;
use characterize::{Design, Request, RunOptions};

/// Default netlist, relative to the repository root.
const DEFAULT_NETLIST: &str = "netlists/mac8u_sg13g2.v";
/// Default libraries, one per supply voltage.
const DEFAULT_LIBS: [&str; 2] = [
    "liberty/sg13g2_stdcell_typ_1p20V_25C.lib",
    "liberty/sg13g2_stdcell_typ_1p50V_25C.lib",
];

/// Arguments of `powerprune run`.
#[derive(clap::Args)]
pub struct Args {
    /// MAC netlist (default: netlists/mac8u_sg13g2.v).
    #[arg(long, value_name = "FILE")]
    pub netlist: Option<PathBuf>,
    /// One library per supply voltage (default: the shipped SG13G2 at 1.20 V and 1.50 V).
    #[arg(long = "lib", value_name = "LIB")]
    pub libs: Vec<PathBuf>,
    /// Nominal supply voltage, V: that of one of the libraries (default: the
    /// highest, as in `select`).
    #[arg(long, value_name = "V")]
    pub nominal: Option<f64>,
    /// Number of weight values to keep (weight 0 included).
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub keep: usize,
    /// Keep weights in ± pairs.
    #[arg(long)]
    pub symmetric: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bars.
    #[arg(long, short)]
    pub quiet: bool,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

/// Run `powerprune run`.
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.threads == Some(0) {
        anyhow::bail!("--threads 0: expected at least 1");
    }
    let netlist = args
        .netlist
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_NETLIST));
    let libs: Vec<PathBuf> = if args.libs.is_empty() {
        DEFAULT_LIBS.iter().map(PathBuf::from).collect()
    } else {
        args.libs.clone()
    };
    for file in std::iter::once(&netlist).chain(&libs) {
        if !file.exists() {
            anyhow::bail!(
                "{} not found; run from the repository root for the shipped defaults, or give --netlist and --lib",
                file.display()
            );
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let options = RunOptions {
        threads: args.threads,
        progress: !args.quiet,
    };

    let mut sets: Vec<(f64, Tables)> = Vec::new();
    for lib in &libs {
        let design = Design::load(&netlist, lib, None)
            .with_context(|| format!("reading {} with {}", netlist.display(), lib.display()))?;
        let volts = design.lib.nom_voltage_v;
        let dir = args.out.join(format!("tables_{volts}V"));
        let tables = match reusable(&dir, &design) {
            Some(t) => {
                println!(
                    "{}: reusing tables of {} at {volts} V",
                    dir.display(),
                    netlist.display()
                );
                t
            }
            None => {
                println!(
                    "characterizing {} at {volts} V ({}) into {}",
                    netlist.display(),
                    lib.display(),
                    dir.display()
                );
                let outcome =
                    characterize::characterize(&design, &Request::default(), &dir, &options)?;
                println!("  {:.1} s", outcome.runtime_s);
                outcome.tables
            }
        };
        characterize::plot::table_figures(
            &tables,
            &args.out.join("plots").join(format!("{volts}V")),
        )?;
        sets.push((volts, tables));
    }

    let mut opts = prune::Options::new(args.keep);
    opts.symmetric = args.symmetric;
    opts.nominal_vdd_v = args.nominal;
    let report = prune::select(&sets, &opts)?;
    let text = report.to_text();
    prune::report::write_text(&args.out.join("report.txt"), &text)?;
    prune::report::write_text(&args.out.join("report.json"), &report.to_json())?;
    report
        .allowed_sets()
        .save(&args.out.join("allowed_sets.json"))?;
    prune::plot::write_plots(&report, &args.out.join("plots"))?;
    print!("{text}");
    println!(
        "wrote {}: tables_*V/, report.txt, report.json, allowed_sets.json, plots/",
        args.out.display()
    );
    Ok(())
}

/// Tables already in `dir` for this netlist and library (a finished earlier
/// run), so a rerun goes straight to selection.
fn reusable(dir: &Path, design: &Design) -> Option<Tables> {
    let tables = Tables::load(dir).ok()?;
    let meta = tables.meta();
    let full = meta.weights.len() as u64 == 1 << meta.weight_port.width;
    let same = meta.netlist_hash == design.netlist_hash
        && meta.library.name == design.lib.name
        && meta.library.voltage_v == design.lib.nom_voltage_v
        && meta.psum_model == "zero";
    (full && same && !dir.join(characterize::shard::SHARD_FILE).exists()).then_some(tables)
}
