//! Characterization of a MAC netlist: for every weight value w and every
//! activation transition a → a', the energy and the sensitized delay.
//!
//! [`tables`] is the on-disk format every later stage reads.

pub mod tables;
