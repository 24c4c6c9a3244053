//! The design inputs most subcommands share: a netlist, its library and top.

use std::path::PathBuf;

/// `NETLIST --lib LIB [--top NAME]`.
#[derive(clap::Args)]
pub struct DesignArgs {
    /// Structural Verilog netlist.
    pub netlist: PathBuf,
    /// Liberty library (.lib or .lib.gz).
    #[arg(long)]
    pub lib: PathBuf,
    /// Top module (default: the only module no other module instantiates).
    #[arg(long)]
    pub top: Option<String>,
}

impl DesignArgs {
    /// The files read: netlist and library (for output-path checks).
    pub fn inputs(&self) -> Vec<&std::path::Path> {
        vec![&self.netlist, &self.lib]
    }

    /// Read the library, then elaborate the netlist against it.
    pub fn load(&self) -> anyhow::Result<(liberty::Library, netlist::Netlist)> {
        let lib = liberty::read_library(&self.lib)?;
        let netlist = netlist::Netlist::read(&self.netlist, &lib, self.top.as_deref())?;
        Ok((lib, netlist))
    }
}

/// The MAC's ports: `--weight`, `--act`, `--psum` and whether the weight and
/// activation are signed. A subcommand that says more in a help line (what
/// it does with the partial sum, the activation's usual sign) replaces that
/// line with `#[command(mut_arg(..))]`.
#[derive(clap::Args)]
pub struct PortArgs {
    /// Weight input port.
    #[arg(long, value_name = "PORT", default_value = "w")]
    pub weight: String,
    /// Activation input port.
    #[arg(long, value_name = "PORT", default_value = "a")]
    pub act: String,
    /// Partial-sum input port.
    #[arg(long, value_name = "PORT", default_value = "p_in")]
    pub psum: String,
    /// Read the weight as two's complement.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub weight_signed: bool,
    /// Read the activation as two's complement.
    #[arg(long, value_name = "BOOL", default_value_t = false, action = clap::ArgAction::Set)]
    pub act_signed: bool,
}

impl PortArgs {
    /// The port roles, with the partial sum read as two's complement when
    /// `psum_signed`.
    pub fn roles(&self, psum_signed: bool) -> characterize::PortRoles {
        characterize::PortRoles {
            weight: self.weight.clone(),
            act: self.act.clone(),
            psum: self.psum.clone(),
            weight_signed: self.weight_signed,
            act_signed: self.act_signed,
            psum_signed,
        }
    }
}

/// `--input-slew NS --output-load PF`: the conditions at the design's ports.
/// A subcommand that says more in a help line (what overrides it) replaces
/// that line with `#[command(mut_arg(..))]`.
#[derive(clap::Args)]
pub struct ConditionsArgs {
    /// Slew of every input transition, ns.
    #[arg(long, value_name = "NS", default_value_t = 0.0)]
    pub input_slew: f64,
    /// Load on every output port bit, pF.
    #[arg(long, value_name = "PF", default_value_t = 0.0)]
    pub output_load: f64,
}

impl ConditionsArgs {
    /// The conditions, once both are checked to be non-negative numbers.
    pub fn conditions(&self) -> anyhow::Result<timing::Conditions> {
        anyhow::ensure!(
            self.input_slew.is_finite() && self.input_slew >= 0.0,
            "--input-slew must be a non-negative number of ns, got {}",
            self.input_slew
        );
        anyhow::ensure!(
            self.output_load.is_finite() && self.output_load >= 0.0,
            "--output-load must be a non-negative number of pF, got {}",
            self.output_load
        );
        Ok(timing::Conditions {
            input_slew_ns: self.input_slew,
            output_load_pf: self.output_load,
        })
    }
}
