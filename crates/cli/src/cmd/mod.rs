//! One module per subcommand.

pub mod lib;
