//! Flattening and binding.

use crate::{Netlist, Result};

/// See [`Netlist::elaborate`].
pub fn elaborate(source: &verilog::Source, lib: &liberty::Library, top: Option<&str>) -> Result<Netlist> {
    todo!("{} {} {top:?}", source.file, lib.name)
}
