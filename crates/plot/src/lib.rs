//! What the plots of every stage share.
//!
//! `characterize` (table and voltage figures) and `prune` (selection
//! figures) both draw with plotters; `prune` must not depend on
//! `characterize`, so what they share lives in this crate, which depends on
//! plotters and `outfile` alone: the typeface they set text in ([`font`]),
//! the frame of a chart ([`chart`]) and the writing of a figure as PNG and SVG ([`mod@write`]). How each figure
//! looks (sizes, captions, colours) stays with the stage that draws it.

#![forbid(unsafe_code)]

pub mod chart;
pub mod font;
pub mod write;
