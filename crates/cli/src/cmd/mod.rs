//! One module per subcommand.

pub mod lib;
pub mod netlist;
pub mod sdf;
pub mod sim;
pub mod sta;
