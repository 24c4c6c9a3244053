//! What the plots of every stage share.
//!
//! `characterize` (table and voltage figures) and `prune` (selection
//! figures) both draw with plotters; `prune` must not depend on
//! `characterize`, so the typeface they both set text in lives in this
//! leaf crate, which depends on plotters alone.

#![forbid(unsafe_code)]

pub mod font;
