//! `powerprune nn {train,power,prune}`: the network end of the method.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use characterize::tables::{npy_f32_bytes, write_atomic, Tables};
use nn::data::{Dataset, FashionMnist, Split, DEFAULT_FASHION_DIR};
use nn::power::{network_power, PowerOptions};
use nn::prune_flow::{run_flow, FlowData, FlowOptions, TableSets};
use nn::systolic::{ArrayShape, IdleModel};
use nn::table::EnergyTable;
use nn::train::TrainConfig;
use nn::train_flow::{train_model, TrainOptions};
use nn::{infer::IntNet, store};

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
    /// Clock period, ns (default: the tables' meta.clock_period_ns).
    #[arg(long, value_name = "NS")]
    pub clock_period: Option<f64>,
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
    /// Table directory at one supply voltage, `V=DIR` or `DIR` (V from
    /// meta.json's library.voltage_v). Repeat for more voltages.
    #[arg(long = "tables", value_name = "V=DIR", required = true)]
    pub tables: Vec<String>,
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
    /// Nominal VDD, V (default: the highest given).
    #[arg(long, value_name = "V")]
    pub nominal: Option<f64>,
    /// Clock period, ns (default: the nominal tables' STA worst delay).
    #[arg(long, value_name = "NS")]
    pub clock_period: Option<f64>,
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
    #[command(flatten)]
    pub data: DataArgs,
}

/// Run `powerprune nn`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        NnCommand::Train(a) => train(a),
        NnCommand::Power(a) => power(a),
        NnCommand::Prune(a) => prune_cmd(a),
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
    drop(tables);
    let images = load(&a.data, Split::Test, Some(a.images))?;
    let net = IntNet::new(&model.net, &model.file.quantization)?;
    let opts = PowerOptions {
        array: a.array,
        idle: a.idle,
        clock_period_ns: a.clock_period.unwrap_or(table.clock_period_ns),
        vdd: None,
    };
    let p = network_power(&net, &table, &opts, &images)?;
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

/// `V=DIR` or `DIR`.
fn parse_tables_arg(arg: &str) -> anyhow::Result<(Option<f64>, PathBuf)> {
    match arg.split_once('=') {
        Some((v, dir)) => {
            let v: f64 = v.trim().parse().with_context(|| {
                format!("--tables {arg}: expected V=DIR with V a voltage in volts")
            })?;
            Ok((Some(v), PathBuf::from(dir)))
        }
        None => Ok((None, PathBuf::from(arg))),
    }
}

fn prune_cmd(a: PruneArgs) -> anyhow::Result<()> {
    let model = store::load(&a.model)?;
    let mut sets = TableSets {
        sets: Vec::new(),
        dirs: Vec::new(),
    };
    for arg in &a.tables {
        let (v, dir) = parse_tables_arg(arg)?;
        let tables = Tables::load(&dir)
            .with_context(|| format!("reading table directory {}", dir.display()))?;
        let vdd_v = v.unwrap_or(tables.meta().library.voltage_v);
        sets.sets.push((vdd_v, tables));
        sets.dirs.push(dir);
    }
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
        clock_period_ns: a.clock_period,
        nominal_vdd_v: a.nominal,
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
    let out = run_flow(&model, &sets, data, &opts, &mut |l| progress(l))?;
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
