//! `powerprune`: the command-line front end of the pipeline.
//!
//! Each subcommand lives in its own module under `cmd/` and only parses
//! arguments, calls the pipeline crates and formats their results.

#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};

mod cmd;

/// Power- and timing-aware pruning of weights and activations for MAC accelerators.
#[derive(Parser)]
#[command(name = "powerprune", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Summarize a Liberty cell library (.lib or .lib.gz).
    Lib(cmd::lib::Args),
    /// Elaborate a gate-level netlist against a library and summarize it.
    Netlist(cmd::netlist::Args),
    /// Static timing analysis: arrivals, slack and the worst path.
    Sta(cmd::sta::Args),
    /// Write SDF delays from the NLDM delay calculation.
    Sdf(cmd::sdf::Args),
    /// PowerPruning: select weights and activations by power and timing, scale VDD.
    Select(cmd::select::Args),
    /// Energy and sensitized delay of every weight x activation transition of a MAC.
    Characterize(cmd::characterize::Args),
    /// Join the shards of one `characterize --shard i/n` sweep.
    Merge(cmd::merge::Args),
    /// Delay and energy at several supply voltages, with a delay-vs-VDD fit.
    SweepVoltage(cmd::sweep_voltage::Args),
    /// The whole job: characterize the MAC at each voltage, select, write tables, report and plots.
    Run(cmd::run::Args),
    /// Event-driven simulation of a stimulus: energy, delay and glitches per step.
    Sim(cmd::sim::Args),
    /// The network: train and quantize a CNN, its MAC power, PowerPruning end to end.
    Nn(cmd::nn::Args),
}

fn main() {
    // A reader that closes the pipe early (`| head`) ends us the way it ends
    // any Unix filter, instead of a "failed printing to stdout" panic.
    sigpipe::reset();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lib(args) => cmd::lib::run(args),
        Command::Netlist(args) => cmd::netlist::run(args),
        Command::Sta(args) => cmd::sta::run(args),
        Command::Sdf(args) => cmd::sdf::run(args),
        Command::Select(args) => cmd::select::run(args),
        Command::Characterize(args) => cmd::characterize::run(args),
        Command::Merge(args) => cmd::merge::run(args),
        Command::SweepVoltage(args) => cmd::sweep_voltage::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Sim(args) => cmd::sim::run(args),
        Command::Nn(args) => cmd::nn::run(args),
    };
    if let Err(err) = result {
        // `{:#}` prints the context chain; library errors keep their cause in
        // their own message and do not chain it, so nothing prints twice.
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}
