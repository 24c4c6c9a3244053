//! `powerprune sdf NETLIST --lib LIB -o FILE [--input-slew NS] [--output-load PF]`:
//! write SDF 3.0 IOPATH delays from the NLDM delay calculation.

use std::path::PathBuf;

use timing::sdf::SdfOptions;

/// Arguments of `powerprune sdf`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub design: super::design::DesignArgs,
    /// SDF file to write.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    #[command(flatten)]
    pub conditions: super::design::ConditionsArgs,
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
    let conditions = args.conditions.conditions()?;
    let inputs = args.design.inputs();
    super::output::refuse_input_overwrite("-o", &args.output, &inputs)?;
    if let Some(models) = &args.models {
        let mut inputs = inputs.clone();
        inputs.push(&args.output);
        super::output::refuse_input_overwrite("--models", models, &inputs)?;
    }
    let (lib, nl) = args.design.load()?;
    for w in &nl.warnings {
        eprintln!("warning: {w}");
    }
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
