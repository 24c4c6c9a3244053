//! A netlist bound to one library, with what a sweep needs from it:
//! file hashes, the STA worst delay and simulators.

use std::path::{Path, PathBuf};

use liberty::Library;
use netlist::Netlist;
use sim::{DelayModel, SimOptions, Simulator};
use tables::{LibraryInfo, PsumModel, TraceDraw};

use crate::plan::{file_sha256, Plan};
use crate::ports::{MacPorts, PortRoles};
use crate::psum::{PsumPool, PsumSpec};
use crate::shard::Shard;
use crate::values::parse_weight_list;
use crate::{Error, Result};

/// What the user asks for, before it is checked against the netlist.
#[derive(Debug, Clone)]
pub struct Request {
    /// Port names and signedness.
    pub roles: PortRoles,
    /// Weight list text (`-3,0,5`, `-8:7`); `None` = every value, ascending.
    pub weights: Option<String>,
    /// Psum model, samples and seed.
    pub psum: PsumSpec,
    /// The trace of the `traced` psum model and its hex SHA-256.
    pub psum_trace: Option<(std::sync::Arc<tables::trace::PeTrace>, String)>,
    /// Which layer of the trace the `traced` model draws from, and given what.
    pub psum_draw: TraceDraw,
    /// Clock period, ns; `None` = the netlist's STA worst delay at this
    /// library, the default clock of every command (select, run, nn).
    pub clock_period_ns: Option<f64>,
    /// Part of the weights to compute.
    pub shard: Shard,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            roles: PortRoles::default(),
            weights: None,
            psum: PsumSpec::default(),
            psum_trace: None,
            psum_draw: TraceDraw::default(),
            clock_period_ns: None,
            shard: Shard::ALL,
        }
    }
}

/// A netlist read against a library.
pub struct Design {
    /// The bound netlist.
    pub netlist: Netlist,
    /// The library it is bound to.
    pub lib: Library,
    /// Netlist file.
    pub netlist_file: PathBuf,
    /// Library file.
    pub lib_file: PathBuf,
    /// Hex SHA-256 of the netlist file.
    pub netlist_hash: String,
    /// Hex SHA-256 of the library file.
    pub lib_hash: String,
}

impl Design {
    /// Read `lib`, then `netlist` bound to it (`top` defaults to the only
    /// uninstantiated module).
    pub fn load(netlist_file: &Path, lib_file: &Path, top: Option<&str>) -> Result<Design> {
        let lib = liberty::read_library(lib_file)?;
        let netlist = Netlist::read(netlist_file, &lib, top)?;
        Ok(Design {
            netlist,
            lib,
            netlist_file: netlist_file.to_path_buf(),
            lib_file: lib_file.to_path_buf(),
            netlist_hash: file_sha256(netlist_file)?,
            lib_hash: file_sha256(lib_file)?,
        })
    }

    /// Library facts for `meta.json`.
    pub fn library_info(&self) -> LibraryInfo {
        LibraryInfo {
            name: self.lib.name.clone(),
            voltage_v: self.lib.nom_voltage_v,
            file: self.lib_file.display().to_string(),
        }
    }

    /// Simulator settings of a characterization: SDF-style delays, one
    /// vector per clock period (recorded in the fingerprint by
    /// [`sim::SimOptions::settings_label`]).
    pub fn sim_options(clock_period_ns: f64) -> SimOptions {
        SimOptions {
            delay_model: DelayModel::Sdf,
            transport: false,
            period_ns: clock_period_ns,
            output_load_pf: 0.0,
            input_slew_ns: 0.0,
        }
    }

    /// A simulator of this design.
    pub fn simulator(&self, clock_period_ns: f64) -> Result<Simulator<'_>> {
        Ok(Simulator::new(
            &self.netlist,
            &self.lib,
            &Design::sim_options(clock_period_ns),
        )?)
    }

    /// Latest arrival at any output bit with every input switching at 0,
    /// no input slew and no output load (the conditions of the sweep), ns.
    pub fn sta_worst_delay_ns(&self) -> f64 {
        let conditions = timing::Conditions::default();
        let constraints = timing::Constraints::from_conditions(&self.netlist, &conditions);
        let analysis = timing::analyze(&self.netlist, &self.lib, &constraints);
        self.netlist
            .outputs
            .iter()
            .flat_map(|p| p.bits.iter())
            .filter_map(|&net| analysis.worst_arrival(net))
            .fold(0.0f64, f64::max)
    }

    /// Check `request` against the netlist and describe the sweep.
    pub fn plan(&self, request: &Request) -> Result<Plan> {
        let ports = MacPorts::bind(&self.netlist, &request.roles)?;
        let weights = match &request.weights {
            Some(text) => parse_weight_list(text, ports.weight.encoding)?,
            None => ports.weight.encoding.ascending(),
        };
        let clock_period_ns = request
            .clock_period_ns
            .unwrap_or_else(|| self.sta_worst_delay_ns());
        if !(clock_period_ns.is_finite() && clock_period_ns > 0.0) {
            return Err(Error::Input(format!(
                "clock period {clock_period_ns} ns: expected a number > 0"
            )));
        }
        let psum_pool = match (request.psum.model, &request.psum_trace) {
            (PsumModel::Traced, Some((trace, sha))) => {
                Some(std::sync::Arc::new(PsumPool::with_draw(
                    trace,
                    ports.psum.encoding,
                    ports.act.encoding,
                    sha,
                    request.psum_draw.clone(),
                    request.psum.samples as usize,
                )?))
            }
            (PsumModel::Traced, None) => {
                return Err(Error::Input("psum model traced needs a trace file".into()))
            }
            (model, Some(_)) => {
                return Err(Error::Input(format!(
                    "a psum trace is only used by psum model traced, not {}",
                    model.name()
                )))
            }
            (_, None) if !request.psum_draw.is_default() => {
                return Err(Error::Input(
                    "a trace layer or conditioning is only used by psum model traced".into(),
                ))
            }
            (_, None) => None,
        };
        Ok(Plan {
            psum_pool,
            netlist_file: self.netlist_file.display().to_string(),
            netlist_hash: self.netlist_hash.clone(),
            top: self.netlist.top.clone(),
            library: self.library_info(),
            library_hash: self.lib_hash.clone(),
            acts: ports.act.encoding.ascending(),
            ports,
            weights,
            shard: request.shard,
            psum: request.psum,
            clock_period_ns,
            sta_worst_delay_ns: self.sta_worst_delay_ns(),
        })
    }
}

/// Characterize `design` as `request` says into `out` (see [`crate::sweep::run`]).
pub fn characterize(
    design: &Design,
    request: &Request,
    out: &Path,
    options: &crate::sweep::RunOptions,
) -> Result<crate::sweep::Outcome> {
    let plan = design.plan(request)?;
    crate::sweep::run(&plan, out, options, || {
        design.simulator(plan.clock_period_ns)
    })
}
