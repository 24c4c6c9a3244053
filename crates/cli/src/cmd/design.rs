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
    /// Read the library, then elaborate the netlist against it.
    pub fn load(&self) -> anyhow::Result<(liberty::Library, netlist::Netlist)> {
        let lib = liberty::read_library(&self.lib)?;
        let netlist = netlist::Netlist::read(&self.netlist, &lib, self.top.as_deref())?;
        Ok((lib, netlist))
    }
}
