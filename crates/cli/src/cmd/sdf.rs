//! `powerprune sdf NETLIST --lib LIB -o FILE [--input-slew NS] [--output-load PF]`:
//! write SDF 3.0 IOPATH delays from the NLDM delay calculation.

use std::path::PathBuf;

use timing::sdf::SdfOptions;
use timing::Conditions;

/// Arguments of `powerprune sdf`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub design: super::design::DesignArgs,
    /// SDF file to write.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Slew of every input transition, ns.
    #[arg(long, default_value_t = 0.0)]
    pub input_slew: f64,
    /// Load on every output port bit, pF.
    #[arg(long, default_value_t = 0.0)]
    pub output_load: f64,
    /// Write COND IOPATHs for arcs with an sdf_cond (default: merge each pin
    /// pair's conditional arcs into one IOPATH with the worst delays).
    #[arg(long)]
    pub cond: bool,
    /// Also write Verilog models of the cells used, with specify paths the
    /// SDF annotates.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

/// Run `powerprune sdf`.
pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.input_slew.is_finite() && args.input_slew >= 0.0,
        "--input-slew must be a non-negative number of ns, got {}",
        args.input_slew
    );
    anyhow::ensure!(
        args.output_load.is_finite() && args.output_load >= 0.0,
        "--output-load must be a non-negative number of pF, got {}",
        args.output_load
    );
    let (lib, nl) = args.design.load()?;
    for w in &nl.warnings {
        eprintln!("warning: {w}");
    }
    let conditions = Conditions {
        input_slew_ns: args.input_slew,
        output_load_pf: args.output_load,
    };
    let delays = timing::arc_delays(&nl, &lib, &conditions);
    let options = SdfOptions {
        conditional: args.cond,
    };
    timing::sdf::write(&args.output, &nl, &lib, &delays, &options)?;
    if let Some(models) = &args.models {
        let text = timing::models::for_netlist(&nl, &lib, args.cond)?;
        timing::sdf::write_atomic(models, text.as_bytes())?;
    }
    eprintln!(
        "wrote {} ({} arcs of {} instances)",
        args.output.display(),
        delays.arcs.len(),
        nl.instances.len()
    );
    Ok(())
}
