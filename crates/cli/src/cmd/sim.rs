//! `powerprune sim NETLIST --lib LIB --stimulus CSV [--top NAME] [--clock-period NS]
//! [--delay-model sdf|zero|unit] [--transport] [--vcd OUT] [--summary] [--json]`:
//! event-driven simulation of a stimulus with energy, delay and glitches per
//! step.
//!
//! The circuit is settled on the first row, then every row is one step held
//! for the period (so N rows span N periods, like a VCD with row k at
//! t = k·period). Power is the run's energy over steps × period.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;
use sim::vcd::VcdWriter;
use sim::{DelayModel, NoObserver, RunSummary, SimOptions, Simulator, Stimulus};

/// Arguments of `powerprune sim`.
#[derive(clap::Args)]
#[command(mut_arg("input_slew", |arg| arg.help("Slew of input transitions, ns")))]
pub struct Args {
    #[command(flatten)]
    pub design: super::design::DesignArgs,
    /// Stimulus CSV: a header of input port names, one row of values per step
    /// (decimal, signed or unsigned, or 0x/0b).
    #[arg(long)]
    pub stimulus: PathBuf,
    /// Clock period: time each row is held, ns (`--period` is an older
    /// spelling).
    #[arg(long, alias = "period", value_name = "NS", default_value_t = 10.0)]
    pub clock_period: f64,
    /// Gate delays: sdf (NLDM arc delays at STA slews and loads), zero, unit (1 ns).
    #[arg(long, default_value = "sdf", value_parser = delay_model_parser())]
    pub delay_model: DelayModel,
    /// Transport instead of inertial delays (short pulses are not filtered).
    #[arg(long)]
    pub transport: bool,
    #[command(flatten)]
    pub conditions: super::design::ConditionsArgs,
    /// Write the waveforms of every net to this VCD file (timescale 1ps).
    #[arg(long, value_name = "FILE")]
    pub vcd: Option<PathBuf>,
    /// Only the totals, no per-step results.
    #[arg(long)]
    pub summary: bool,
    /// Also report the settled output values of each step.
    #[arg(long)]
    pub outputs: bool,
    /// Ports (inputs or outputs) that are two's complement, e.g.
    /// `--signed w,p_in,p_out`: stimulus values must fit their signed range
    /// and `--outputs` prints them signed. Other ports take either reading.
    #[arg(long, value_name = "PORT,PORT...", value_delimiter = ',')]
    pub signed: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Run `powerprune sim`.
pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.clock_period.is_finite() && args.clock_period > 0.0,
        "--clock-period must be a positive number of ns, got {}",
        args.clock_period
    );
    let conditions = args.conditions.conditions()?;
    if let Some(vcd) = &args.vcd {
        let mut inputs = args.design.inputs();
        inputs.push(&args.stimulus);
        super::output::refuse_input_overwrite("--vcd", vcd, &inputs)?;
    }
    let (lib, netlist) = args.design.load()?;
    let all_ports: Vec<&str> = netlist
        .inputs
        .iter()
        .chain(&netlist.outputs)
        .map(|p| p.name.as_str())
        .collect();
    if let Some(unknown) = args
        .signed
        .iter()
        .find(|n| !all_ports.contains(&n.as_str()))
    {
        anyhow::bail!(
            "--signed {unknown}: no such port (ports: {})",
            all_ports.join(", ")
        );
    }
    let is_signed = |port: &netlist::Port| args.signed.contains(&port.name);
    let signed_inputs: Vec<bool> = netlist.inputs.iter().map(is_signed).collect();
    let signed_outputs: Vec<bool> = netlist.outputs.iter().map(is_signed).collect();
    let stimulus = Stimulus::read_signed(&args.stimulus, &netlist.inputs, &signed_inputs)?;
    anyhow::ensure!(
        !stimulus.rows.is_empty(),
        "{}: no stimulus rows after the header",
        args.stimulus.display()
    );
    let options = SimOptions {
        delay_model: args.delay_model,
        transport: args.transport,
        period_ns: args.clock_period,
        output_load_pf: conditions.output_load_pf,
        input_slew_ns: conditions.input_slew_ns,
    };
    let mut sim = Simulator::new(&netlist, &lib, &options)?;
    let run = match &args.vcd {
        None => sim::run_stimulus(&mut sim, &stimulus, &mut NoObserver)?,
        Some(path) => run_with_vcd(&mut sim, &netlist, &lib, &stimulus, path)?,
    };
    if let Some((k, step)) = run
        .steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.delay_ns > args.clock_period)
    {
        eprintln!(
            "warning: step {k} settles after {:.4} ns, longer than the {} ns period",
            step.delay_ns, args.clock_period
        );
    }
    let outputs = args.outputs.then_some(&signed_outputs[..]);
    let report = Report::new(&netlist, &options, &run, args.summary, outputs);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.text(&netlist, &lib));
    }
    Ok(())
}

/// Run while writing a VCD next to `path`, then move it into place.
fn run_with_vcd(
    sim: &mut Simulator<'_>,
    netlist: &netlist::Netlist,
    lib: &liberty::Library,
    stimulus: &Stimulus,
    path: &Path,
) -> anyhow::Result<RunSummary> {
    anyhow::ensure!(
        path.file_name().is_some(),
        "{}: not a file path",
        path.display()
    );
    let mut tmp = outfile::AtomicFile::create(path)
        .with_context(|| format!("creating a temporary file for {}", path.display()))?;
    sim.settle(&stimulus.rows[0])?;
    let mut writer = VcdWriter::new(std::io::BufWriter::new(&mut tmp), netlist, lib, sim)
        .with_context(|| format!("writing {}", path.display()))?;
    let run = sim::run_stimulus(sim, stimulus, &mut writer)?;
    let mut out = writer
        .finish(run.steps.len())
        .with_context(|| format!("writing {}", path.display()))?;
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    drop(out);
    tmp.commit()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(run)
}

/// Average power over the run, W.
#[derive(Serialize)]
struct PowerW {
    internal: f64,
    switching: f64,
    leakage: f64,
    total: f64,
}

/// One step in the JSON report.
#[derive(Serialize)]
struct StepJson {
    energy_fj: f64,
    switching_fj: f64,
    internal_fj: f64,
    leakage_fj: f64,
    delay_ns: f64,
    toggles: u32,
    glitches: u32,
    /// Settled output port values with `--outputs` (signed for the
    /// `--signed` ports, else the unsigned bits).
    #[serde(skip_serializing_if = "Option::is_none")]
    outputs: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The two's-complement value of the low `width` bits of `bits`.
/// `--delay-model`: the simulator's model names as clap's possible values
/// (listed in `--help` and in the error for a wrong one).
fn delay_model_parser() -> impl clap::builder::TypedValueParser<Value = DelayModel> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(DelayModel::ALL.map(DelayModel::name))
        .try_map(|name| name.parse::<DelayModel>())
}

/// A value by its `Display` text (the delay model by its name).
fn serialize_display<T: std::fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

fn sign_extend(bits: u64, width: usize) -> i64 {
    if width == 0 || width >= 64 {
        return bits as i64;
    }
    let shift = 64 - width as u32;
    ((bits << shift) as i64) >> shift
}

/// What `sim` reports (units in the field names).
#[derive(Serialize)]
struct Report {
    steps: usize,
    period_ns: f64,
    #[serde(serialize_with = "serialize_display")]
    delay_model: DelayModel,
    transport: bool,
    power_w: PowerW,
    energy_fj_total: f64,
    max_delay_ns: f64,
    toggles_total: u64,
    glitches_total: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_step: Option<Vec<StepJson>>,
}

impl Report {
    fn new(
        netlist: &netlist::Netlist,
        options: &SimOptions,
        run: &RunSummary,
        summary: bool,
        outputs: Option<&[bool]>,
    ) -> Report {
        let p = run.power_w();
        let per_step = (!summary).then(|| {
            run.steps
                .iter()
                .zip(&run.outputs)
                .map(|(s, values)| StepJson {
                    energy_fj: s.energy.total_fj(),
                    switching_fj: s.energy.switching_fj,
                    internal_fj: s.energy.internal_fj,
                    leakage_fj: s.energy.leakage_fj,
                    delay_ns: s.delay_ns,
                    toggles: s.toggles,
                    glitches: s.glitches,
                    outputs: outputs.map(|signed| {
                        netlist
                            .outputs
                            .iter()
                            .zip(values)
                            .zip(signed)
                            .map(|((port, &v), &signed)| {
                                let value = if signed {
                                    sign_extend(v, port.width()).into()
                                } else {
                                    v.into()
                                };
                                (port.name.clone(), value)
                            })
                            .collect()
                    }),
                })
                .collect()
        });
        Report {
            steps: run.steps.len(),
            period_ns: run.period_ns,
            delay_model: options.delay_model,
            transport: options.transport,
            power_w: PowerW {
                internal: p.internal_w,
                switching: p.switching_w,
                leakage: p.leakage_w,
                total: p.total_w(),
            },
            energy_fj_total: run.energy.total_fj(),
            max_delay_ns: run.steps.iter().map(|s| s.delay_ns).fold(0.0, f64::max),
            toggles_total: run.steps.iter().map(|s| s.toggles as u64).sum(),
            glitches_total: run.steps.iter().map(|s| s.glitches as u64).sum(),
            per_step,
        }
    }

    fn text(&self, netlist: &netlist::Netlist, lib: &liberty::Library) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({} cells) on {}: {} steps of {} ns, {} delays{}",
            netlist.top,
            netlist.instances.len(),
            lib.name,
            self.steps,
            self.period_ns,
            self.delay_model,
            if self.transport { " (transport)" } else { "" }
        );
        if let Some(steps) = &self.per_step {
            let _ = write!(
                out,
                "{:>6} {:>11} {:>11} {:>11} {:>11} {:>9} {:>7} {:>8}",
                "step",
                "energy_fj",
                "switch_fj",
                "internal_fj",
                "leakage_fj",
                "delay_ns",
                "toggles",
                "glitches"
            );
            for port in &netlist.outputs {
                let _ = write!(out, " {:>10}", port.name);
            }
            out.push('\n');
            for (k, s) in steps.iter().enumerate() {
                let _ = write!(
                    out,
                    "{k:>6} {:>11.3} {:>11.3} {:>11.3} {:>11.3} {:>9.4} {:>7} {:>8}",
                    s.energy_fj,
                    s.switching_fj,
                    s.internal_fj,
                    s.leakage_fj,
                    s.delay_ns,
                    s.toggles,
                    s.glitches
                );
                for v in s.outputs.iter().flat_map(|o| o.values()) {
                    let _ = write!(out, " {:>10}", v);
                }
                out.push('\n');
            }
        }
        let p = &self.power_w;
        let _ = writeln!(
            out,
            "energy {:.3} fJ; max delay {:.4} ns; {} toggles, {} glitches",
            self.energy_fj_total, self.max_delay_ns, self.toggles_total, self.glitches_total
        );
        let _ = writeln!(
            out,
            "power (W): internal {:.6e}  switching {:.6e}  leakage {:.6e}  total {:.6e}",
            p.internal, p.switching, p.leakage, p.total
        );
        out
    }
}
