//! `powerprune netlist FILE --lib LIB [--top NAME] [--output-load PF] [--json]`:
//! elaborate a gate-level netlist against a library and summarize it.

use std::path::PathBuf;

use serde_json::{json, Map, Value};

/// Arguments of `powerprune netlist`.
#[derive(clap::Args)]
pub struct Args {
    /// Structural Verilog netlist.
    pub file: PathBuf,
    /// Liberty library the cells are bound to (.lib or .lib.gz).
    #[arg(long)]
    pub lib: PathBuf,
    /// Top module (default: the only module no other module instantiates).
    #[arg(long)]
    pub top: Option<String>,
    /// Load on every output port bit, pF, added to the reported net loads.
    #[arg(long = "output-load", value_name = "PF", default_value_t = 0.0)]
    pub output_load_pf: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Run `powerprune netlist`.
pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.output_load_pf.is_finite() && args.output_load_pf >= 0.0,
        "--output-load must be a non-negative number of pF, got {}",
        args.output_load_pf
    );
    let lib = liberty::read_library(&args.lib)?;
    let n = netlist::Netlist::read(&args.file, &lib, args.top.as_deref())?;
    let loads_pf = n.net_loads_pf(&lib, args.output_load_pf);
    let total_load_pf: f64 = loads_pf.iter().sum();
    let max_fanout = n.nets.iter().map(|net| net.loads.len()).max().unwrap_or(0);
    let sequential = n.sequential_instances().len();
    let counts = n.cell_counts(&lib);
    let widths = |ports: &[netlist::Port]| -> Map<String, Value> {
        ports
            .iter()
            .map(|p| (p.name.clone(), json!(p.width())))
            .collect()
    };

    if args.json {
        let out = json!({
            "file": args.file.display().to_string(),
            "library": lib.name,
            "top": n.top,
            "inputs": widths(&n.inputs),
            "outputs": widths(&n.outputs),
            "port_bits": n.port_bits(),
            "instances": n.instances.len(),
            "sequential": sequential,
            "nets": n.nets.len(),
            "pin_connections": n.pin_connections(),
            "cell_counts": counts,
            "depth": n.depth(),
            "max_fanout": max_fanout,
            "output_load_pf": args.output_load_pf,
            "total_load_pf": total_load_pf,
            "warnings": n.warnings,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }

    let ports = |ports: &[netlist::Port]| -> String {
        ports
            .iter()
            .map(|p| format!("{}[{}]", p.name, p.width()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "top:          {} ({} on {})",
        n.top,
        args.file.display(),
        lib.name
    );
    println!("inputs:       {}", ports(&n.inputs));
    println!("outputs:      {}", ports(&n.outputs));
    println!(
        "instances:    {} ({sequential} sequential)",
        n.instances.len()
    );
    println!("nets:         {} (max fan-out {max_fanout})", n.nets.len());
    println!("logic depth:  {}", n.depth());
    println!(
        "net load:     {total_load_pf:.6} pF in total ({} pF per output bit)",
        args.output_load_pf
    );
    println!("cells:");
    let name_width = counts.keys().map(String::len).max().unwrap_or(0);
    for (cell, count) in &counts {
        println!("  {cell:<name_width$}  {count}");
    }
    if !n.warnings.is_empty() {
        println!("warnings:");
        for w in &n.warnings {
            println!("  {w}");
        }
    }
    Ok(())
}
