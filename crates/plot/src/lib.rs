//! What the plots of every stage share.
//!
//! `characterize` (table and voltage figures) and `prune` (selection
//! figures) both draw with plotters; `prune` must not depend on
//! `characterize`, so what they share lives in this crate, which depends on
//! plotters and `outfile` alone: the typeface they set text in ([`font`]),
//! the frame of a chart ([`chart`]) and the writing of a figure as PNG and SVG ([`mod@write`]). How each figure
//! looks (sizes, captions, colours) stays with the stage that draws it.
//!
//! # Example
//! ```
//! use plot::chart::{chart, Frame};
//! use plotters::prelude::*;
//!
//! plot::font::register()?;
//! let frame = Frame { caption_px: 16, margin_px: 12, x_label_px: 40, y_label_px: 70 };
//! let svg = plot::write::svg_text((320, 240), |area| {
//!     let mut c = chart(area, "energy per weight", -2.0..2.0, 0.0..30.0, frame)?;
//!     c.draw_series(LineSeries::new([(-2.0, 21.0), (0.0, 1.0), (1.0, 11.0)], &BLUE))
//!         .map_err(|e| e.to_string())?;
//!     Ok::<(), String>(())
//! })?;
//! // The caption is set as text, in the font registered above.
//! assert!(svg.starts_with("<svg") && svg.contains("energy per weight"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

pub mod chart;
pub mod font;
pub mod write;
