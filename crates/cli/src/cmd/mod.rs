//! One module per subcommand.

pub mod characterize;
pub mod design;
pub mod lib;
pub mod merge;
pub mod netlist;
pub mod nn;
pub mod output;
pub mod run;
pub mod sdf;
pub mod select;
pub mod sim;
pub mod sta;
pub mod sweep_voltage;
