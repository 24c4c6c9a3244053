//! One module per subcommand.

pub mod lib;
pub mod netlist;
