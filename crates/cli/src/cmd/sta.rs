//! `powerprune sta NETLIST --lib LIB [--top NAME] [--sdc FILE] [--input-slew NS]
//! [--output-load PF] [--clock-period NS] [--json]`: static timing analysis.

use std::path::PathBuf;

use timing::{Constraints, Report};

/// Arguments of `powerprune sta`.
#[derive(clap::Args)]
#[command(mut_arg("input_slew", |arg| arg.help(
    "Slew of every input transition, ns (SDC set_input_transition overrides)"
)))]
#[command(mut_arg("output_load", |arg| arg.help(
    "Load on every output port bit, pF (SDC set_load overrides)"
)))]
pub struct Args {
    #[command(flatten)]
    pub design: super::design::DesignArgs,
    /// SDC constraints (create_clock, set_input_delay, set_output_delay,
    /// set_input_transition, set_load, set_clock_uncertainty).
    #[arg(long)]
    pub sdc: Option<PathBuf>,
    #[command(flatten)]
    pub conditions: super::design::ConditionsArgs,
    /// Clock period, ns: without --sdc, an ideal clock on the ports that clock
    /// registers (or a virtual one) with zero input/output delays; with
    /// --sdc, the period of every SDC clock.
    #[arg(long)]
    pub clock_period: Option<f64>,
    /// Decimals in the text report.
    #[arg(long, default_value_t = 4)]
    pub digits: usize,
    /// Also list cell input pins on the worst path (text report).
    #[arg(long)]
    pub input_pins: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Run `powerprune sta`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let conditions = args.conditions.conditions()?;
    if let Some(p) = args.clock_period {
        anyhow::ensure!(
            p.is_finite() && p > 0.0,
            "--clock-period must be a positive number of ns, got {p}"
        );
    }
    anyhow::ensure!(
        args.digits <= 12,
        "--digits must be at most 12, got {}",
        args.digits
    );
    let (lib, nl) = args.design.load()?;
    let constraints = match (&args.sdc, args.clock_period) {
        (None, Some(period)) => Constraints::with_clock_period(&nl, &lib, &conditions, period),
        (None, None) => Constraints::from_conditions(&nl, &conditions),
        (Some(sdc), period) => {
            let mut c = sdc::read(
                sdc,
                &nl,
                &lib,
                Constraints::from_conditions(&nl, &conditions),
            )?;
            if let Some(period) = period {
                anyhow::ensure!(
                    !c.clocks.is_empty(),
                    "--clock-period: {} creates no clock to set the period of",
                    sdc.display()
                );
                c.set_clock_period(period);
            }
            c
        }
    };
    let timing = timing::analyze(&nl, &lib, &constraints);
    for w in nl
        .warnings
        .iter()
        .chain(&constraints.warnings)
        .chain(&timing.warnings)
    {
        eprintln!("warning: {w}");
    }
    let report = Report::new(&nl, &lib, &constraints, &timing);
    let text = if args.json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        report.text(args.digits, args.input_pins)
    };
    write_stdout(&text)
}

/// Print to stdout; a reader that closed the pipe early (`| head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => Ok(result?),
    }
}
