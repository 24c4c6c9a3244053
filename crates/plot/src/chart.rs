//! The frame of a figure: a white background and a 2-D chart with a
//! caption, set up the same way by every stage, with the sizes each stage
//! chooses.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A chart on linear f64 axes, as every figure of the workspace draws.
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Sizes of a chart's frame, px.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// Caption font size.
    pub caption_px: u32,
    /// Margin around the chart.
    pub margin_px: u32,
    /// Height of the x-axis label area.
    pub x_label_px: u32,
    /// Width of the y-axis label area.
    pub y_label_px: u32,
}

/// Clear `area` to white and set up a chart over `x` by `y` under
/// `caption`, framed as `frame` says.
pub fn chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: &str,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    frame: Frame,
) -> Result<Chart<'a, DB>, String> {
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    ChartBuilder::on(area)
        .caption(caption, ("sans-serif", frame.caption_px))
        .margin(frame.margin_px)
        .x_label_area_size(frame.x_label_px)
        .y_label_area_size(frame.y_label_px)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())
}
