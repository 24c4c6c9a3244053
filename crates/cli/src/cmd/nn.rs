//! `powerprune nn {train,power,prune}`: the network end of the method.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use characterize::replay::{validate, LayerTables};
use characterize::Design;
use nn::data::{Dataset, FashionMnist, Split, DEFAULT_FASHION_DIR};
use nn::power::{network_power, network_power_by_layer, PowerOptions, VddScaling};
use nn::prune_flow::reference_set;
use nn::prune_flow::{run_flow, FlowData, FlowOptions};
use nn::systolic::{ArrayShape, IdleModel};
use nn::table::EnergyTable;
use nn::trace::{trace_network, TraceOptions};
use nn::train::TrainConfig;
use nn::train_flow::{train_model, TrainOptions};
use nn::validate::{raise_until_clean, timing_at, validation_text, DelayScaling, ValidatedVdd};
use nn::{infer::IntNet, store};
use tables::trace::PeTrace;
use tables::validation::Validation;
use tables::{npy_f32_bytes, write_atomic, TableSet, Tables};

/// Arguments of `powerprune nn`.
#[derive(clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: NnCommand,
}

/// The `nn` subcommands.
#[derive(clap::Subcommand)]
pub enum NnCommand {
    /// Train LeNet-5 on Fashion-MNIST, quantize it (QAT) and write the model.
    Train(TrainArgs),
    /// MAC-array power of a model from one table set, on real test images.
    Power(PowerArgs),
    /// PowerPruning end to end: select, retrain, scale VDD, report.
    Prune(PruneArgs),
    /// Cycle-by-cycle (w, a, p_in) streams of sampled PEs on real test images.
    Trace(TraceArgs),
    /// Replay traced PE streams gate by gate: table vs simulated energy,
    /// per-cycle delays and the timing-error rate at a VDD.
    Validate(ValidateArgs),
}

/// Arguments of `nn trace`.
#[derive(clap::Args)]
pub struct TraceArgs {
    /// Model directory (from `nn train` or `nn prune --out`).
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Trace file to write (CSV: layer,pe,row,col,cycle,w,a,p_in; `--out`
    /// is an older spelling).
    #[arg(short = 'o', long, alias = "out", value_name = "FILE")]
    pub output: PathBuf,
    /// Test images streamed, image after image.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub images: usize,
    /// Index of the first test image streamed (0-based), e.g. past the
    /// images `nn prune --validate` replays, to keep a trace that tables
    /// draw from apart from the one that checks them.
    #[arg(long, value_name = "I", default_value_t = 0)]
    pub first_image: usize,
    /// PEs sampled per layer (stratified over array rows).
    #[arg(long, value_name = "K", default_value_t = 16)]
    pub pes: usize,
    /// Seed of the PE sample.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Keep only these layers' streams, comma-separated (default: all).
    /// The PEs are sampled as without it, so the kept streams are the
    /// same ones a full trace holds.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub layers: Vec<String>,
    /// Array size, ROWSxCOLS.
    #[arg(long, value_name = "RxC", default_value = "64x64")]
    pub array: ArrayShape,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `nn validate`.
#[derive(clap::Args)]
pub struct ValidateArgs {
    /// Trace file (from `nn trace`).
    #[arg(long, value_name = "FILE")]
    pub trace: PathBuf,
    // The nominal set is compared with the replay; all of them fit the
    // delay-vs-VDD model.
    #[command(flatten)]
    pub sets: super::select::TableSetArgs,
    /// Tables that estimate one layer's energy instead of the nominal set,
    /// `LAYER=DIR` (e.g. characterized with `--psum-layer LAYER`); same
    /// netlist and library. Repeat for more layers.
    #[arg(long = "layer-tables", value_name = "LAYER=DIR")]
    pub layer_tables: Vec<String>,
    /// VDD at which to count timing errors, V (default: nominal).
    #[arg(long, value_name = "V")]
    pub vdd: Option<f64>,
    /// MAC netlist (default: meta.json's netlist_file of the nominal tables).
    #[arg(long, value_name = "FILE")]
    pub netlist: Option<PathBuf>,
    /// Liberty library at the nominal VDD (default: meta.json's library.file).
    #[arg(long, value_name = "LIB")]
    pub lib: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub fit: super::select::FitArgs,
    /// Further voltages without full tables (the `voltage_corners.json`
    /// of `powerprune run`): their STA delay ratios join the delay-vs-VDD
    /// model, as in `nn prune --corners`.
    #[arg(long, value_name = "FILE")]
    pub corners: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Where the data set is.
#[derive(clap::Args)]
pub struct DataArgs {
    /// Directory of the Fashion-MNIST IDX files (Debian's dataset-fashion-mnist).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_FASHION_DIR)]
    pub data: PathBuf,
}

/// Arguments of `nn train`.
#[derive(clap::Args)]
pub struct TrainArgs {
    /// Model directory to write.
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// Float training epochs (10: close to converged, so that the pruning
    /// flow's extra retraining epochs do not flatter it).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub epochs: usize,
    /// Quantization-aware fine-tuning epochs.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub qat_epochs: usize,
    /// Use only the first N training images (default: all 60,000).
    #[arg(long, value_name = "N")]
    pub train_images: Option<usize>,
    /// Use only the first N test images (default: all 10,000).
    #[arg(long, value_name = "N")]
    pub test_images: Option<usize>,
    /// Images per gradient step.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub batch: usize,
    /// Adam step size of float training (fine-tuning uses a tenth).
    #[arg(long, value_name = "LR", default_value_t = 2e-3)]
    pub lr: f64,
    /// Seed of initialization and shuffling.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Weight bits (signed); must match the tables the model will meet.
    #[arg(long, value_name = "B", default_value_t = 8)]
    pub weight_bits: u32,
    /// Activation bits (unsigned).
    #[arg(long, value_name = "B", default_value_t = 8)]
    pub act_bits: u32,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `nn power`.
#[derive(clap::Args)]
pub struct PowerArgs {
    /// Model directory (from `nn train`).
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Characterization table directory.
    #[arg(long, value_name = "DIR")]
    pub tables: PathBuf,
    /// Tables that give one layer's energy instead, `LAYER=DIR` (e.g.
    /// characterized with `--psum-layer LAYER`). Repeat for more layers.
    #[arg(long = "layer-tables", value_name = "LAYER=DIR")]
    pub layer_tables: Vec<String>,
    /// Test images streamed through the array as one batch.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub images: usize,
    /// Array size, ROWSxCOLS.
    #[arg(long, value_name = "RxC", default_value = "64x64")]
    pub array: ArrayShape,
    /// What idle PEs in rows carrying activations see: `gated` (no
    /// transitions) or `stream` (the row's activations pass through).
    #[arg(long, value_name = "MODEL", default_value = "gated")]
    pub idle: IdleModel,
    /// Clock period, ns (default: the tables' STA worst delay, as every command).
    #[arg(long, value_name = "NS")]
    pub clock_period: Option<f64>,
    /// Supply voltage to report the power at, V (default: the tables'):
    /// switching energy scales with V², leakage with V, as in `select`'s
    /// voltage stage; whether the circuit meets timing there is
    /// `nn validate --vdd`'s to say.
    #[arg(long, value_name = "V")]
    pub vdd: Option<f64>,
    /// Write the activation-transition frequencies ([A, A], f32, sum 1) here (.npy).
    #[arg(long, value_name = "FILE")]
    pub transitions: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `nn prune`.
#[derive(clap::Args)]
pub struct PruneArgs {
    /// Model directory (from `nn train`).
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    #[command(flatten)]
    pub sets: super::select::TableSetArgs,
    /// Number of weight values to keep (0 included).
    #[arg(long, value_name = "N")]
    pub keep: usize,
    /// Keep weights in ± pairs.
    #[arg(long)]
    pub symmetric: bool,
    /// Delay target of the delay-aware selection, ns (default: stage off).
    #[arg(long, value_name = "NS")]
    pub delay_target: Option<f64>,
    /// Weight the selection by the network's own activation transitions.
    #[arg(long)]
    pub weighted: bool,
    /// Retraining epochs per stage (8 recover the accuracy to within a
    /// point on the shipped tables; see bench/README.md).
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub epochs: usize,
    /// Retraining step size.
    #[arg(long, value_name = "LR", default_value_t = 1e-3)]
    pub lr: f64,
    /// Images per gradient step.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub batch: usize,
    /// Use only the first N training images (default: all).
    #[arg(long, value_name = "N")]
    pub train_images: Option<usize>,
    /// Use only the first N test images for accuracy (default: all).
    #[arg(long, value_name = "N")]
    pub test_images: Option<usize>,
    /// Test images streamed for power.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub power_images: usize,
    /// Array size, ROWSxCOLS.
    #[arg(long, value_name = "RxC", default_value = "64x64")]
    pub array: ArrayShape,
    /// What idle PEs in rows carrying activations see: `gated` (no
    /// transitions) or `stream` (the row's activations pass through).
    #[arg(long, value_name = "MODEL", default_value = "gated")]
    pub idle: IdleModel,
    #[command(flatten)]
    pub voltage: super::select::VoltageArgs,
    /// Seed of the retraining order.
    #[arg(long, default_value_t = 3)]
    pub seed: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write the retrained model and report.json into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replay the final network's PE streams (the --power-images,
    /// --validate-pes PEs per layer) gate by gate at the nominal library and
    /// raise VDD in --vdd-step steps until no replayed cycle misses the
    /// clock; reports both the selection's and the validated VDD.
    #[arg(long)]
    pub validate: bool,
    /// PEs traced per layer for --validate (a PE's partial sums grow with
    /// its array row, so fewer than about 64 do not represent a layer; see
    /// bench/README.md, per-layer traced tables).
    #[arg(long, value_name = "K", default_value_t = 64)]
    pub validate_pes: usize,
    /// Seed of the PE sample for --validate.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub validate_seed: u64,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Run `powerprune nn`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        NnCommand::Train(a) => train(a),
        NnCommand::Power(a) => power(a),
        NnCommand::Prune(a) => prune_cmd(a),
        NnCommand::Trace(a) => trace_cmd(a),
        NnCommand::Validate(a) => validate_cmd(a),
    }
}

fn load(data: &DataArgs, split: Split, n: Option<usize>) -> anyhow::Result<Dataset> {
    let set = FashionMnist::new(&data.data).load(split, n)?;
    if set.is_empty() {
        anyhow::bail!("no {split:?} images selected (give N > 0)");
    }
    Ok(set)
}

fn progress(line: &str) {
    eprintln!("{line}");
}

fn train(a: TrainArgs) -> anyhow::Result<()> {
    let train_set = load(&a.data, Split::Train, a.train_images)?;
    let test_set = load(&a.data, Split::Test, a.test_images)?;
    let opts = TrainOptions {
        float: TrainConfig {
            epochs: a.epochs,
            batch_size: a.batch,
            learning_rate: a.lr,
            seed: a.seed,
        },
        qat: TrainConfig {
            epochs: a.qat_epochs,
            batch_size: a.batch,
            learning_rate: a.lr / 10.0,
            seed: a.seed.wrapping_add(1),
        },
        weight_bits: a.weight_bits,
        act_bits: a.act_bits,
        init_seed: a.seed,
    };
    let out = train_model(&train_set, &test_set, &opts, &mut |l| progress(l))?;
    let accuracy = store::Accuracy {
        float: Some(out.float_accuracy),
        quantized: Some(out.quantized_accuracy),
        test_images: test_set.len(),
    };
    store::save(
        &a.out,
        &out.net,
        &out.quantization,
        accuracy,
        Some(out.record.clone()),
    )?;
    if a.json {
        let v = serde_json::json!({
            "model": a.out.display().to_string(),
            "float_accuracy": out.float_accuracy,
            "quantized_accuracy": out.quantized_accuracy,
            "accumulator_saturations": out.saturated,
            "weight_bits": a.weight_bits,
            "act_bits": a.act_bits,
            "train_images": train_set.len(),
            "test_images": test_set.len(),
            "seconds": out.record.seconds,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "float test accuracy {:.2}%, {}-bit test accuracy {:.2}% ({} test images; {:.0} s); model in {}",
            100.0 * out.float_accuracy,
            a.weight_bits,
            100.0 * out.quantized_accuracy,
            test_set.len(),
            out.record.seconds,
            a.out.display()
        );
    }
    Ok(())
}

fn power(a: PowerArgs) -> anyhow::Result<()> {
    let model = store::load(&a.model)?;
    let tables = Tables::load(&a.tables)
        .with_context(|| format!("reading table directory {}", a.tables.display()))?;
    let table = EnergyTable::from_tables(&tables, &a.tables);
    let clock_period_ns = super::select::clock_period(a.clock_period, tables.meta())?;
    let vdd = match a.vdd {
        None => None,
        Some(v) if v.is_finite() && v > 0.0 => Some(VddScaling {
            ref_vdd_v: tables.meta().library.voltage_v,
            vdd_v: v,
            leakage_w: None,
        }),
        Some(v) => anyhow::bail!("--vdd must be a positive voltage in V, got {v}"),
    };
    drop(tables);
    let images = load(&a.data, Split::Test, Some(a.images))?;
    let net = IntNet::new(&model.net, &model.file.quantization)?;
    let opts = PowerOptions {
        array: a.array,
        idle: a.idle,
        clock_period_ns,
        vdd,
    };
    let by_layer: Vec<(String, EnergyTable)> = read_layer_tables(&a.layer_tables)?
        .into_iter()
        .map(|(layer, dir, t)| (layer, EnergyTable::from_tables(&t, &dir)))
        .collect();
    let refs: Vec<(&str, &EnergyTable)> = by_layer.iter().map(|(l, t)| (l.as_str(), t)).collect();
    let p = network_power_by_layer(&net, &table, &refs, &opts, &images)?;
    if let Some(path) = &a.transitions {
        write_transitions(path, &p.transitions)?;
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&p)?);
    } else {
        print!("{}", nn::report::power_text(&p));
    }
    Ok(())
}

/// Transition frequencies as an `[A, A]` f32 NPY file summing to 1.
fn write_transitions(path: &Path, t: &nn::power::TransitionStats) -> anyhow::Result<()> {
    let total: u64 = t.counts.iter().sum();
    let freq: Vec<f32> = t
        .counts
        .iter()
        .map(|&c| (c as f64 / total.max(1) as f64) as f32)
        .collect();
    let a = t.acts.len() as u64;
    write_atomic(path, &npy_f32_bytes(&[a, a], &freq)?)?;
    Ok(())
}

fn prune_cmd(a: PruneArgs) -> anyhow::Result<()> {
    let model = store::load(&a.model)?;
    let (sets, nom) = a.sets.read()?;
    let train_set = load(&a.data, Split::Train, a.train_images)?;
    let test_set = load(&a.data, Split::Test, a.test_images)?;
    let power_set = test_set.head(a.power_images);
    if power_set.is_empty() {
        anyhow::bail!("--power-images must be > 0");
    }
    let opts = FlowOptions {
        keep: a.keep,
        symmetric: a.symmetric,
        delay_target_ns: a.delay_target,
        weighted: a.weighted,
        clock_period_ns: a.sets.clock_period,
        nominal_vdd_v: a.sets.nominal,
        voltage: a.voltage.options()?,
        retrain: TrainConfig {
            epochs: a.epochs,
            batch_size: a.batch,
            learning_rate: a.lr,
            seed: a.seed,
        },
        array: a.array,
        idle: a.idle,
    };
    let data = FlowData {
        train: &train_set,
        test: &test_set,
        power: &power_set,
    };
    let mut out =
        run_flow(&model, &sets, data, &opts, &mut |l| progress(l)).map_err(|e| match &e {
            nn::NnError::Setting { setting, .. } => {
                let flag = super::select::setting_flag(*setting);
                anyhow::Error::new(e).context(flag)
            }
            _ => anyhow::Error::new(e),
        })?;
    if a.validate {
        progress("validation: tracing and replaying the final network's PE streams");
        let net = IntNet::new(&out.net, &out.quantization)?;
        let trace = trace_network(
            &net,
            &power_set,
            &TraceOptions {
                array: a.array,
                pes_per_layer: a.validate_pes,
                seed: a.validate_seed,
            },
        )?;
        let v = replay(&sets, nom, &[], &trace, None, None, None)?;
        let nom_vdd = sets[nom].vdd_v;
        let vopts = a.voltage.options()?;
        let nom_sta = sets[nom].tables.meta().sta_worst_delay_ns;
        let corner_delays: Vec<(f64, f64)> = vopts
            .corners
            .iter()
            .map(|c| (c.vdd_v, nom_sta * c.delay_ratio))
            .collect();
        let scaling = DelayScaling::from_sets(&sets, &corner_delays, nom_vdd, vopts.fit)?;
        let r = &out.report;
        let (vdd_v, at_selection, at_validated) = raise_until_clean(
            &v,
            &scaling,
            r.vdd_v,
            nom_vdd,
            a.voltage.options()?.vdd_step_v,
            r.clock_period_ns,
        )?;
        let (ref_set, vdd_scaling) = reference_set(&sets, vdd_v)?;
        let table = EnergyTable::from_set(&sets[ref_set]);
        let popts = PowerOptions {
            array: a.array,
            idle: a.idle,
            clock_period_ns: r.clock_period_ns,
            vdd: vdd_scaling,
        };
        let p = network_power(&net, &table, &popts, &power_set)?;
        let base = r.stages.first().map_or(0.0, |s| s.power_w);
        out.report.validation = Some(ValidatedVdd {
            validation: v,
            delay_scaling: scaling,
            at_selection,
            vdd_v,
            at_validated,
            power_w: p.power_w,
            reduction_pct: if base > 0.0 {
                100.0 * (1.0 - p.power_w / base)
            } else {
                0.0
            },
        });
    }
    let json = serde_json::to_string_pretty(&out.report)?;
    if let Some(dir) = &a.out {
        let final_stage = out.report.stages.last().map(|s| s.accuracy);
        let accuracy = store::Accuracy {
            float: None,
            quantized: final_stage,
            test_images: test_set.len(),
        };
        store::save(dir, &out.net, &out.quantization, accuracy, None)?;
        write_atomic(&dir.join("report.json"), format!("{json}\n").as_bytes())?;
    }
    if a.json {
        println!("{json}");
    } else {
        print!("{}", out.report.to_text());
    }
    Ok(())
}

fn trace_cmd(a: TraceArgs) -> anyhow::Result<()> {
    let model = store::load(&a.model)?;
    let images =
        load(&a.data, Split::Test, Some(a.first_image + a.images))?.range(a.first_image, a.images);
    if images.is_empty() {
        anyhow::bail!(
            "--first-image {} --images {}: no test image in that range",
            a.first_image,
            a.images
        );
    }
    let net = IntNet::new(&model.net, &model.file.quantization)?;
    let opts = TraceOptions {
        array: a.array,
        pes_per_layer: a.pes,
        seed: a.seed,
    };
    let names: Vec<&str> = net.layers.iter().map(|l| l.spec.name.as_str()).collect();
    if let Some(bad) = a.layers.iter().find(|l| !names.contains(&l.as_str())) {
        anyhow::bail!(
            "--layers: the model has no layer `{bad}`; it has {}",
            names.join(", ")
        );
    }
    let mut trace = trace_network(&net, &images, &opts)?;
    if !a.layers.is_empty() {
        trace.streams.retain(|s| a.layers.contains(&s.layer));
    }
    trace.save(&a.output)?;
    println!(
        "{}: {} PE streams, {} cycles ({} images, {} PEs per layer, array {})",
        a.output.display(),
        trace.streams.len(),
        trace.cycles(),
        images.len(),
        a.pes,
        a.array
    );
    Ok(())
}

/// Table sets read from `V=DIR`/`DIR` arguments, with the index of the
/// nominal one.
/// The gate-level replay of `trace` against the nominal set of `sets`, on
/// the netlist and library its meta.json names unless given.
fn replay(
    sets: &[TableSet],
    nom: usize,
    by_layer: &[(String, PathBuf, Tables)],
    trace: &PeTrace,
    netlist: Option<&Path>,
    lib: Option<&Path>,
    threads: Option<usize>,
) -> anyhow::Result<Validation> {
    let meta = sets[nom].tables.meta();
    let netlist = netlist.map_or_else(|| PathBuf::from(&meta.netlist_file), Path::to_path_buf);
    let lib = lib.map_or_else(|| PathBuf::from(&meta.library.file), Path::to_path_buf);
    let design = Design::load(&netlist, &lib, Some(&meta.top))
        .with_context(|| format!("reading {} with {}", netlist.display(), lib.display()))?;
    let by_layer: Vec<LayerTables<'_>> = by_layer
        .iter()
        .map(|(layer, dir, tables)| LayerTables { layer, tables, dir })
        .collect();
    Ok(validate(
        &design,
        &sets[nom].tables,
        &sets[nom].dir,
        &by_layer,
        trace,
        threads,
    )?)
}

/// `LAYER=DIR` arguments of `--layer-tables`, read.
fn read_layer_tables(args: &[String]) -> anyhow::Result<Vec<(String, PathBuf, Tables)>> {
    args.iter()
        .map(|arg| {
            let (layer, dir) = arg
                .split_once('=')
                .filter(|(l, d)| !l.is_empty() && !d.is_empty())
                .with_context(|| format!("--layer-tables {arg}: expected LAYER=DIR"))?;
            let dir = PathBuf::from(dir);
            let tables = Tables::load(&dir)
                .with_context(|| format!("reading table directory {}", dir.display()))?;
            Ok((layer.to_string(), dir, tables))
        })
        .collect()
}

fn validate_cmd(a: ValidateArgs) -> anyhow::Result<()> {
    if a.threads == Some(0) {
        anyhow::bail!("--threads 0: expected at least 1");
    }
    let (sets, nom) = a.sets.read()?;
    let (trace, trace_sha256) = PeTrace::load(&a.trace)?;
    let by_layer = read_layer_tables(&a.layer_tables)?;
    let v = replay(
        &sets,
        nom,
        &by_layer,
        &trace,
        a.netlist.as_deref(),
        a.lib.as_deref(),
        a.threads,
    )?;
    let nom_vdd = sets[nom].vdd_v;
    let corners = super::select::read_corners(a.corners.as_deref())?;
    let nom_sta = sets[nom].tables.meta().sta_worst_delay_ns;
    let corner_delays: Vec<(f64, f64)> = corners
        .iter()
        .map(|c| (c.vdd_v, nom_sta * c.delay_ratio))
        .collect();
    let scaling = DelayScaling::from_sets(&sets, &corner_delays, nom_vdd, a.fit.options())?;
    let clock = super::select::clock_period(a.sets.clock_period, sets[nom].tables.meta())?;
    let t = timing_at(&v, &scaling, a.vdd.unwrap_or(nom_vdd), clock)?;
    // Lowest 10 mV grid voltage, from half the nominal up to the highest
    // table voltage, at which no replayed cycle misses the clock.
    let top_v = sets
        .iter()
        .map(|s| s.vdd_v)
        .chain(corners.iter().map(|c| c.vdd_v))
        .fold(nom_vdd, f64::max);
    let clean_vdd_v = scaling.lowest_vdd(v.total.max_delay_ns, clock, 0.5 * nom_vdd, top_v, 0.01);
    if a.json {
        let j = serde_json::json!({
            "trace": a.trace.display().to_string(),
            "trace_sha256": trace_sha256,
            "validation": v,
            "delay_scaling": scaling,
            "timing": t,
            "lowest_clean_vdd_v": clean_vdd_v,
        });
        println!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        print!("{}", validation_text(&v, &t));
        match clean_vdd_v {
            Some(x) => println!("lowest VDD (10 mV grid) with no timing errors: {x:.2} V"),
            None => println!("timing errors even at {top_v} V"),
        }
    }
    Ok(())
}
