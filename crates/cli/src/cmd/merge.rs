//! `powerprune merge SHARD_DIR... --out DIR`: join the shards of one
//! `characterize --shard i/n` sweep into the full table set.

use std::path::PathBuf;

/// Arguments of `powerprune merge`.
#[derive(clap::Args)]
pub struct Args {
    /// Shard directories (each with shard.json), in any order.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output table directory.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Run `powerprune merge`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let shards: Vec<&std::path::Path> = args.shards.iter().map(PathBuf::as_path).collect();
    super::output::refuse_input_overwrite("--out", &args.out, &shards)?;
    let tables = characterize::merge(&args.shards, &args.out)?;
    println!(
        "{}: {} shards merged, {} weights x {} activations",
        args.out.display(),
        args.shards.len(),
        tables.num_weights(),
        tables.num_acts()
    );
    Ok(())
}
