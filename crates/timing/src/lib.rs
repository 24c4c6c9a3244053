//! Delay calculation and static timing analysis.
