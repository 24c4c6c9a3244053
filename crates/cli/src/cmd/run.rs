//! `powerprune run`: the whole PowerPruning job in one command —
//! characterize a MAC at its nominal supply voltage, time it and sample it
//! at every further voltage, select weights and activations, and write
//! tables, report and plots.
//!
//! Full tables are needed only at the nominal voltage: the delay-vs-VDD
//! model and the energy and leakage at further libraries come from STA and
//! a sampled characterization there ([`prune::VoltageCorner`]), so adding
//! voltages costs seconds. `--full-tables` characterizes every library in
//! full instead. The first library is the nominal one unless `--nominal`
//! names another.
//!
//! Built-in designs (`--design`), run from the repository root:
//! - `sg13g2` (default): `netlists/mac8u_sg13g2.v` on IHP SG13G2 typical,
//!   1.20 V (nominal) and 1.50 V;
//! - `sky130`: `netlists/mac8u_sky130.v` on the SKY130 ss -40 C subsets,
//!   1.76 V (nominal), 1.60, 1.44 and 1.28 V, so that the scaled VDD lies
//!   between libraries instead of below them.
//!
//! Each characterization resumes if interrupted, and is skipped when its
//! directory already holds tables of the same netlist and library.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use characterize::voltage::{sweep_voltage, VoltageRequest};
use characterize::{Design, Request, RunOptions};
use tables::{TableSet, Tables};

use super::select::VoltageArgs;

/// A shipped netlist with its libraries, nominal first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BuiltIn {
    /// 8-bit MAC on IHP SG13G2 typical 25 C at 1.20 V (nominal) and 1.50 V.
    Sg13g2,
    /// 8-bit MAC on SKY130 HD ss -40 C at 1.76 V (nominal), 1.60, 1.44 and 1.28 V.
    Sky130,
}

impl BuiltIn {
    /// (netlist, libraries with the nominal one first), from the repository root.
    fn files(self) -> (&'static str, &'static [&'static str]) {
        match self {
            BuiltIn::Sg13g2 => (
                "netlists/mac8u_sg13g2.v",
                &[
                    "liberty/sg13g2_stdcell_typ_1p20V_25C.lib",
                    "liberty/sg13g2_stdcell_typ_1p50V_25C.lib",
                ],
            ),
            BuiltIn::Sky130 => (
                "netlists/mac8u_sky130.v",
                &[
                    "liberty/sky130_fd_sc_hd__ss_n40C_1v76.subset.lib.gz",
                    "liberty/sky130_fd_sc_hd__ss_n40C_1v60.subset.lib.gz",
                    "liberty/sky130_fd_sc_hd__ss_n40C_1v44.subset.lib.gz",
                    "liberty/sky130_fd_sc_hd__ss_n40C_1v28.subset.lib.gz",
                ],
            ),
        }
    }
}

/// Arguments of `powerprune run`.
#[derive(clap::Args)]
pub struct Args {
    /// Built-in netlist and libraries (see README): sg13g2 (IHP typical,
    /// 1.20 and 1.50 V) or sky130 (ss -40 C, 1.28 to 1.76 V).
    #[arg(long, value_enum, default_value = "sg13g2")]
    pub design: BuiltIn,
    /// MAC netlist (default: the design's).
    #[arg(long, value_name = "FILE")]
    pub netlist: Option<PathBuf>,
    /// One library per supply voltage, the nominal one first (default: the design's).
    #[arg(long = "lib", value_name = "LIB")]
    pub libs: Vec<PathBuf>,
    /// Nominal supply voltage, V: that of one of the libraries (default:
    /// the first library's own, e.g. 1.2 for SG13G2).
    #[arg(long, value_name = "V")]
    pub nominal: Option<f64>,
    /// Number of weight values to keep (weight 0 included).
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub keep: usize,
    /// Keep weights in ± pairs.
    #[arg(long)]
    pub symmetric: bool,
    #[command(flatten)]
    pub delay: super::select::DelayStageArgs,
    #[command(flatten)]
    pub voltage: VoltageArgs,
    /// Activation transitions per weight simulated at each further library
    /// (the same ones at every library, nominal included).
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub sample: usize,
    /// Characterize every library in full instead of sampling the further ones.
    #[arg(long)]
    pub full_tables: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bars.
    #[arg(long, short)]
    pub quiet: bool,
    /// Output directory. It must be new, empty or an earlier `run`'s output
    /// (tables_*V/, voltage_corners.json, report.txt, report.json,
    /// allowed_sets.json, plots/).
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Write into an output directory that holds other files too.
    #[arg(long)]
    pub force: bool,
    /// List every removed value on the terminal (report.txt always does).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Whether `name` is something `run` writes into its output directory.
fn own_output(name: &str) -> bool {
    matches!(
        name,
        "report.txt" | "report.json" | "allowed_sets.json" | "voltage_corners.json" | "plots"
    ) || (name.starts_with("tables_") && name.ends_with('V'))
}

/// Run `powerprune run`.
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.threads == Some(0) {
        anyhow::bail!("--threads 0: expected at least 1");
    }
    if args.sample == 0 {
        anyhow::bail!("--sample 0: expected at least one transition per weight");
    }
    let (default_netlist, default_libs) = args.design.files();
    let netlist = args
        .netlist
        .clone()
        .unwrap_or_else(|| PathBuf::from(default_netlist));
    let libs: Vec<PathBuf> = if args.libs.is_empty() {
        default_libs.iter().map(PathBuf::from).collect()
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
    super::output::refuse_foreign_folder(&args.out, own_output, args.force)?;
    for file in std::iter::once(&netlist).chain(&libs) {
        super::output::refuse_input_overwrite("--out", &args.out, &[file])?;
    }
    // Held until the report is written: a second `run` into the same
    // folder stops at once instead of interleaving files with this one.
    let _lock = characterize::lock::DirLock::acquire(&args.out)?;
    tables::remove_stale_temporaries(&args.out)?;
    let options = RunOptions {
        threads: args.threads,
        progress: !args.quiet,
    };

    let designs: Vec<Design> = libs
        .iter()
        .map(|lib| {
            Design::load(&netlist, lib, None)
                .with_context(|| format!("reading {} with {}", netlist.display(), lib.display()))
        })
        .collect::<anyhow::Result<_>>()?;
    let volts: Vec<f64> = designs.iter().map(|d| d.lib.nom_voltage_v).collect();
    let nominal = match args.nominal {
        None => 0,
        Some(n) => volts
            .iter()
            .position(|v| (v - n).abs() < 1e-9)
            .with_context(|| {
                let given: Vec<String> = volts.iter().map(|v| format!("{v} V")).collect();
                format!(
                    "nominal VDD {n} V (--nominal) is not the voltage of any library ({})",
                    given.join(", ")
                )
            })?,
    };

    let mut sets: Vec<TableSet> = Vec::new();
    for (i, design) in designs.iter().enumerate() {
        if i != nominal && !args.full_tables {
            continue;
        }
        let v = volts[i];
        let dir = args.out.join(format!("tables_{v}V"));
        let tables = match reusable(&dir, design) {
            Ok(t) => {
                println!(
                    "{}: reusing tables of {} at {v} V",
                    dir.display(),
                    netlist.display()
                );
                t
            }
            Err(why) => {
                if let Some(why) = why {
                    println!("{}: not reused: {why}", dir.display());
                }
                println!(
                    "characterizing {} at {v} V ({}) into {}",
                    netlist.display(),
                    libs[i].display(),
                    dir.display()
                );
                let outcome =
                    characterize::characterize(design, &Request::default(), &dir, &options)?;
                println!("  {:.1} s", outcome.runtime_s);
                outcome.tables
            }
        };
        characterize::plot::table_figures(&tables, &args.out.join("plots").join(format!("{v}V")))?;
        sets.push(TableSet {
            vdd_v: v,
            dir,
            tables,
        });
    }

    let mut opts = prune::Options::new(args.keep);
    opts.symmetric = args.symmetric;
    opts.nominal_vdd_v = Some(volts[nominal]);
    opts.delay = args.delay.mode();
    opts.voltage = args.voltage.options()?;
    if !args.full_tables && libs.len() > 1 {
        let corners = sampled_corners(&netlist, &libs, nominal, &args, &sets[0].tables)?;
        prune::report::write_json(&args.out.join("voltage_corners.json"), &corners)?;
        opts.voltage.corners.extend(corners);
    }
    drop(designs);
    let report = prune::select(&sets, &opts).map_err(super::select::setting_flag_context)?;
    if let Some(warning) = report.sparse_warning() {
        eprintln!("warning: {warning}");
    }
    prune::report::write_text(&args.out.join("report.txt"), &report.to_text())?;
    prune::report::write_text(&args.out.join("report.json"), &report.to_json())?;
    report
        .allowed_sets()
        .save(&args.out.join("allowed_sets.json"))?;
    prune::plot::write_plots(&report, &args.out.join("plots"))?;
    // report.txt keeps every removal; the terminal lists them with --verbose.
    print!("{}", report.text(args.verbose));
    println!(
        "wrote {}: tables_*V/, report.txt, report.json, allowed_sets.json, plots/{}",
        args.out.display(),
        if opts.voltage.corners.is_empty() {
            ""
        } else {
            ", voltage_corners.json"
        }
    );
    Ok(())
}

/// STA and a sampled characterization at every library, nominal included
/// (the same transitions everywhere), as ratios against the nominal one.
fn sampled_corners(
    netlist: &Path,
    libs: &[PathBuf],
    nominal: usize,
    args: &Args,
    nominal_tables: &Tables,
) -> anyhow::Result<Vec<prune::VoltageCorner>> {
    let ordered: Vec<PathBuf> = std::iter::once(libs[nominal].clone())
        .chain(
            libs.iter()
                .enumerate()
                .filter(|&(i, _)| i != nominal)
                .map(|(_, l)| l.clone()),
        )
        .collect();
    println!(
        "sampling {} transitions per weight at {} further libraries (STA + energy, leakage)",
        args.sample,
        ordered.len() - 1
    );
    let sweep = sweep_voltage(&VoltageRequest {
        netlist: netlist.to_path_buf(),
        libs: ordered,
        top: None,
        roles: characterize::PortRoles::default(),
        weights: None,
        sample: Some(args.sample),
        seed: characterize::psum::DEFAULT_SEED,
        clock_period_ns: nominal_tables.meta().clock_period_ns,
        vdd_v: Vec::new(),
        fit: tables::vdd_model::FitOptions::default(),
        check_libs: Vec::new(),
        threads: args.threads,
        progress: !args.quiet,
    })?;
    let nominal_v = nominal_tables.meta().library.voltage_v;
    let nom = sweep
        .points
        .iter()
        .find(|p| tables::vdd_model::same_vdd(p.vdd_v, nominal_v))
        .context("the sampled sweep lost the nominal library")?;
    Ok(sweep
        .points
        .iter()
        .filter(|p| p.vdd_v != nominal_v)
        .map(|p| prune::VoltageCorner {
            vdd_v: p.vdd_v,
            delay_ratio: p.sta_worst_delay_ns / nom.sta_worst_delay_ns,
            energy_ratio: p.mean_energy_fj / nom.mean_energy_fj,
            leakage_w: p.leakage_w,
            sampled: p.scaling_from(nom),
        })
        .collect())
}

/// Tables already in `dir` for this netlist and library (a finished earlier
/// run), so a rerun goes straight to selection. Otherwise why not: `None`
/// when `dir` holds nothing yet, else a reason to print (an incomplete or
/// damaged set, or another design's).
fn reusable(dir: &Path, design: &Design) -> Result<Tables, Option<String>> {
    if !dir.join(tables::META_FILE).exists() && !dir.join(tables::MANIFEST_FILE).exists() {
        return Err(None);
    }
    let tables = Tables::load(dir).map_err(|e| Some(e.to_string()))?;
    let meta = tables.meta();
    let full = meta.weights.len() as u64 == 1 << meta.weight_port.width;
    let same = meta.netlist_hash == design.netlist_hash
        && meta.library.name == design.lib.name
        && tables::vdd_model::same_vdd(meta.library.voltage_v, design.lib.nom_voltage_v)
        && meta.psum_model == tables::PsumModel::Zero;
    if !(full && same) || dir.join(characterize::shard::SHARD_FILE).exists() {
        return Err(Some(
            "made from another netlist, library, weight range or psum model, or a shard".into(),
        ));
    }
    Ok(tables)
}
