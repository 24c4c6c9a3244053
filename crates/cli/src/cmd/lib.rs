//! `powerprune lib FILE [--json] [--cells] [--write OUT [--subset CELL,...]]`.
//!
//! Summarizes a Liberty library in canonical units, or rewrites it with the
//! project's own writer (how the shipped `liberty/` defaults are made).

use std::path::PathBuf;

use anyhow::Context as _;
use liberty::{Cell, Library, Units};
use serde::Serialize;

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
    /// Write the library back out as Liberty text to this file (plain, not gzipped).
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// With --write: keep only these cells (comma-separated).
    #[arg(
        long,
        value_name = "CELL,CELL...",
        value_delimiter = ',',
        requires = "write"
    )]
    pub subset: Option<Vec<String>>,
}

/// Run `powerprune lib`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let lib = liberty::read_library(&args.file)?;
    if let Some(out) = &args.write {
        super::output::refuse_input_overwrite("--write", out, &[&args.file])?;
        let subset: Option<Vec<&str>> = args
            .subset
            .as_ref()
            .map(|s| s.iter().map(String::as_str).collect());
        liberty::write_library_file(&lib, subset.as_deref(), out)
            .with_context(|| format!("writing {}", out.display()))?;
        let count = subset.as_ref().map_or(lib.cells.len(), Vec::len);
        eprintln!("wrote {} ({count} cells)", out.display());
        return Ok(());
    }
    let summary = Summary::new(&lib, args.cells);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", summary.text());
    }
    Ok(())
}

/// What `lib` reports, in canonical units (the field names carry them).
#[derive(Serialize)]
struct Summary<'a> {
    name: &'a str,
    source: &'a str,
    nom_voltage: f64,
    nom_temperature: f64,
    nom_process: f64,
    /// The library's declared units, as factors into the canonical ones.
    time_unit: String,
    capacitance_unit: String,
    voltage_unit: String,
    leakage_power_unit: String,
    internal_energy_unit: String,
    /// The same factors as numbers.
    units: Units,
    cells: usize,
    cell_names: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell_details: Option<Vec<CellLine<'a>>>,
}

/// One cell's line in `--cells`.
#[derive(Serialize)]
struct CellLine<'a> {
    name: &'a str,
    area: f64,
    inputs: Vec<&'a str>,
    outputs: Vec<&'a str>,
    /// `OUT = function` for each output that has one.
    functions: Vec<String>,
    arcs: usize,
    sequential: bool,
}

/// A unit as `"<factor> <canonical>"`, e.g. "0.001 pF" for a 1 fF library unit.
fn unit(factor: f64, canonical: &str) -> String {
    format!("{factor} {canonical}")
}

impl<'a> Summary<'a> {
    fn new(lib: &'a Library, with_cells: bool) -> Self {
        let u = lib.units;
        Summary {
            name: &lib.name,
            source: &lib.source,
            nom_voltage: lib.nom_voltage_v,
            nom_temperature: lib.nom_temperature_c,
            nom_process: lib.nom_process,
            time_unit: unit(u.time_ns, "ns"),
            capacitance_unit: unit(u.capacitance_pf, "pF"),
            voltage_unit: unit(u.voltage_v, "V"),
            leakage_power_unit: unit(u.leakage_power_nw, "nW"),
            internal_energy_unit: unit(u.energy_fj, "fJ"),
            units: u,
            cells: lib.cells.len(),
            cell_names: lib.cells.iter().map(|c| c.name.as_str()).collect(),
            cell_details: with_cells.then(|| lib.cells.iter().map(CellLine::new).collect()),
        }
    }

    fn text(&self) -> String {
        let mut s = format!(
            "library {}  ({})\n  nominal: {} V, {} C, process {}\n  units: time {}, capacitance {}, voltage {}, leakage {}, internal energy {}\n  cells: {}\n",
            self.name,
            self.source,
            self.nom_voltage,
            self.nom_temperature,
            self.nom_process,
            self.time_unit,
            self.capacitance_unit,
            self.voltage_unit,
            self.leakage_power_unit,
            self.internal_energy_unit,
            self.cells,
        );
        for c in self.cell_details.iter().flatten() {
            s += &format!(
                "  {:<28} area {:>9.4}  in {:<24} out {:<10} arcs {:>3}{}  {}\n",
                c.name,
                c.area,
                c.inputs.join(","),
                c.outputs.join(","),
                c.arcs,
                if c.sequential { "  seq" } else { "" },
                c.functions.join("; "),
            );
        }
        s
    }
}

impl<'a> CellLine<'a> {
    fn new(c: &'a Cell) -> Self {
        CellLine {
            name: &c.name,
            area: c.area,
            inputs: c.input_pins().map(|(_, p)| p.name.as_str()).collect(),
            outputs: c.output_pins().map(|(_, p)| p.name.as_str()).collect(),
            functions: c
                .output_pins()
                .filter_map(|(_, p)| p.function.as_ref().map(|f| format!("{} = {f}", p.name)))
                .collect(),
            arcs: c.pins.iter().map(|p| p.timing.len()).sum(),
            sequential: c.is_sequential(),
        }
    }
}
