//! Plots of a selection, each as PNG and SVG:
//! - `energy_per_weight`: mean energy per transition of every weight value,
//!   the kept ones highlighted — why these weights;
//! - `power_by_stage`: power of the baseline and after each stage;
//! - `delay_vs_vdd`: the selected sets' worst delay at the table voltages,
//!   the fitted alpha-power curve, the clock period and the chosen VDD;
//!   when the VDD was extrapolated below the lowest characterized voltage,
//!   the title says by how many mV and the VDD band for alpha 1..2 is shaded.
//!
//! Everything is drawn from the [`Report`], so plots can be redrawn from a
//! saved JSON report. Text is set in the font `plot::font` embeds
//! (the same as characterization plots), so PNGs render on a bare CI machine.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{PruneError, Result};
use crate::report::Report;

/// Pixel size of every plot.
const SIZE: (u32, u32) = (800, 500);

const KEPT: RGBColor = RGBColor(31, 119, 180);
const DROPPED: RGBColor = RGBColor(170, 170, 170);
const ACCENT: RGBColor = RGBColor(214, 39, 40);

/// Writes all plots into `dir` (created if missing) and returns the files
/// written. Each file is rendered to a temporary name and renamed into place.
pub fn write_plots(report: &Report, dir: &Path) -> Result<Vec<PathBuf>> {
    ::plot::font::register().map_err(|e| plot_err(dir, e))?;
    std::fs::create_dir_all(dir).map_err(|source| PruneError::Io {
        path: dir.to_path_buf(),
        cause: source,
    })?;
    let mut written = Vec::new();
    // A macro rather than a table of fn pointers: each chart function is
    // generic over the backend and is instantiated once per format.
    macro_rules! both {
        ($name:literal, $chart:ident) => {{
            let path = dir.join(concat!($name, ".png"));
            write_png(&path, |area| $chart(report, area))?;
            written.push(path);
            let path = dir.join(concat!($name, ".svg"));
            write_svg(&path, |area| $chart(report, area))?;
            written.push(path);
        }};
    }
    both!("energy_per_weight", energy_per_weight);
    both!("power_by_stage", power_by_stage);
    both!("delay_vs_vdd", delay_vs_vdd);
    Ok(written)
}

fn plot_err(path: &Path, reason: String) -> PruneError {
    PruneError::Plot {
        path: path.to_path_buf(),
        reason,
    }
}

fn write_png(
    path: &Path,
    draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
) -> Result<()> {
    ::plot::write::write_png(path, SIZE, draw).map_err(|e| plot_err(path, e.to_string()))
}

fn write_svg(
    path: &Path,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> Result<()> {
    let text = ::plot::write::svg_text(SIZE, draw).map_err(|e| plot_err(path, e.to_string()))?;
    crate::report::write_text(path, &text)
}

fn e2s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

use ::plot::chart::{chart, Chart, Frame};

/// The frame of every selection figure.
const FRAME: Frame = Frame {
    caption_px: 16,
    margin_px: 12,
    x_label_px: 40,
    y_label_px: 70,
};

/// Mean energy per weight value; kept weights filled, others grey.
fn energy_per_weight<DB: DrawingBackend>(
    r: &Report,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let ws = &r.weight_ranking;
    let x_lo = ws.iter().map(|w| w.weight).min().unwrap_or(0) as f64 - 1.0;
    let x_hi = ws.iter().map(|w| w.weight).max().unwrap_or(0) as f64 + 1.0;
    let y_hi = ws
        .iter()
        .map(|w| w.mean_energy_fj)
        .fold(0.0, f64::max)
        .max(1e-12)
        * 1.1;
    let y_lo = ws.iter().map(|w| w.mean_energy_fj).fold(0.0, f64::min) * 1.1;
    let title = format!(
        "mean energy per transition by weight, {} V",
        r.nominal_vdd_v
    );
    let mut chart = chart(area, &title, x_lo..x_hi, y_lo..y_hi, FRAME)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("weight value")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_desc("energy (fJ)")
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(e2s)?;
    let kept = |w: i64| r.kept_weights.contains(&w);
    let point = |w: &crate::weights::WeightRank| (w.weight as f64, w.mean_energy_fj);
    chart
        .draw_series(
            ws.iter()
                .filter(|w| kept(w.weight))
                .map(|w| Circle::new(point(w), 4, KEPT.filled())),
        )
        .map_err(e2s)?
        .label("kept")
        .legend(|(x, y)| Circle::new((x + 10, y), 4, KEPT.filled()));
    chart
        .draw_series(
            ws.iter()
                .filter(|w| !kept(w.weight))
                .map(|w| Circle::new(point(w), 4, DROPPED.stroke_width(1))),
        )
        .map_err(e2s)?
        .label("removed")
        .legend(|(x, y)| Circle::new((x + 10, y), 4, DROPPED.stroke_width(1)));
    legend(&mut chart)
}

/// Draws the legend of the labelled series in the upper right corner.
fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(e2s)
}

/// Picks a unit so the baseline power reads between 1 and 1000.
fn power_unit(max_w: f64) -> (f64, &'static str) {
    if max_w >= 1.0 {
        (1.0, "W")
    } else if max_w >= 1e-3 {
        (1e3, "mW")
    } else if max_w >= 1e-6 {
        (1e6, "uW")
    } else {
        (1e9, "nW")
    }
}

/// Bars: baseline and the power after each stage.
fn power_by_stage<DB: DrawingBackend>(
    r: &Report,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let rows: Vec<(&str, f64)> = std::iter::once(("baseline", r.baseline.power_w))
        .chain(r.stages.iter().map(|s| {
            let short = match s.name.as_str() {
                "weight_selection" => "weights",
                "delay_selection" => "delay",
                "voltage_scaling" => "voltage",
                other => other,
            };
            (short, s.power_w)
        }))
        .collect();
    let max_w = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    let (mult, unit) = power_unit(max_w);
    let n = rows.len() as f64;
    let mut chart = chart(
        area,
        "power after each stage",
        0.0..n,
        0.0..(max_w * mult * 1.15).max(1e-12),
        FRAME,
    )?;
    let labels: Vec<&str> = rows.iter().map(|r| r.0).collect();
    let y_desc = format!("power ({unit})");
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_desc(y_desc.as_str())
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(e2s)?;
    chart
        .draw_series(rows.iter().enumerate().map(|(i, &(_, p))| {
            let x = i as f64;
            Rectangle::new([(x + 0.2, 0.0), (x + 0.8, p * mult)], KEPT.filled())
        }))
        .map_err(e2s)?;
    // Category names under the bars, drawn as text at bar centres (the mesh
    // places its own ticks, which need not fall on the centres).
    let plot = chart.plotting_area();
    let style = TextStyle::from(("sans-serif", 12).into_font())
        .color(&BLACK)
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        ));
    let (_, y_px) = plot.get_pixel_range();
    for (i, label) in labels.iter().enumerate() {
        // Backend coordinates; `area` is the root, so they need no offset.
        let (px, _) = plot.map_coordinate(&(i as f64 + 0.5, 0.0));
        area.draw_text(label, &style, (px, y_px.end + 6))
            .map_err(e2s)?;
    }
    Ok(())
}

/// Worst delay against VDD: table points, model curve, clock, chosen VDD.
fn delay_vs_vdd<DB: DrawingBackend>(r: &Report, area: &DrawingArea<DB, Shift>) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let pts = &r.voltage.points;
    let band_lo = r
        .voltage
        .extrapolation
        .as_ref()
        .map_or(r.vdd_v, |x| x.vdd_band_v.0);
    let v_lo = pts.iter().map(|p| p.vdd_v).fold(band_lo, f64::min) - 0.05;
    let v_hi = pts.iter().map(|p| p.vdd_v).fold(r.nominal_vdd_v, f64::max) + 0.05;
    let d_max = pts
        .iter()
        .map(|p| p.max_delay_ns)
        .fold(r.clock_period_ns, f64::max);
    let y_hi = d_max * 1.25;
    let title = match &r.voltage.extrapolation {
        Some(x) => format!(
            "worst delay vs VDD ({} V, {:.0} mV below the lowest library)",
            r.vdd_v, x.below_lowest_mv
        ),
        None => format!(
            "worst delay of the selected sets vs VDD ({} V chosen)",
            r.vdd_v
        ),
    };
    let mut chart = chart(area, &title, v_lo..v_hi, 0.0..y_hi, FRAME)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("VDD (V)")
        .y_desc("delay (ns)")
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(e2s)?;
    if let Some(x) = &r.voltage.extrapolation {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [
                    (x.vdd_band_v.0, 0.0),
                    (x.vdd_band_v.1.max(x.vdd_band_v.0 + 1e-3), y_hi),
                ],
                ACCENT.mix(0.15).filled(),
            )))
            .map_err(e2s)?
            .label(format!(
                "VDD for alpha {}-{}: {:.2}-{:.2} V",
                x.alpha_range.0, x.alpha_range.1, x.vdd_band_v.0, x.vdd_band_v.1
            ))
            .legend(|(x, y)| {
                Rectangle::new([(x + 4, y - 5), (x + 16, y + 5)], ACCENT.mix(0.15).filled())
            });
    }
    if let Some(fit) = &r.voltage.model {
        let m = fit.model;
        let curve: Vec<(f64, f64)> = (0..=200)
            .map(|i| v_lo + (v_hi - v_lo) * f64::from(i) / 200.0)
            .filter_map(|v| m.delay_ns(v).map(|d| (v, d)))
            .filter(|&(_, d)| d <= y_hi)
            .collect();
        chart
            .draw_series(LineSeries::new(curve, DROPPED.stroke_width(2)))
            .map_err(e2s)?
            .label("alpha-power model")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], DROPPED.stroke_width(2)));
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(v_lo, r.clock_period_ns), (v_hi, r.clock_period_ns)],
            ACCENT.stroke_width(1),
        )))
        .map_err(e2s)?
        .label(format!("clock period {:.3} ns", r.clock_period_ns))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], ACCENT.stroke_width(1)));
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(r.vdd_v, 0.0), (r.vdd_v, y_hi)],
            KEPT.stroke_width(1),
        )))
        .map_err(e2s)?
        .label(format!("chosen VDD {} V", r.vdd_v))
        .legend(|(x, y)| {
            PathElement::new(vec![(x + 10, y - 6), (x + 10, y + 6)], KEPT.stroke_width(1))
        });
    for (source, color, label) in [
        (crate::voltage::Source::Tables, KEPT, "tables"),
        (crate::voltage::Source::Sampled, DROPPED, "STA + sampled"),
        (
            crate::voltage::Source::Model,
            ACCENT,
            if r.voltage.extrapolation.is_some() {
                "chosen: safe end of the band, or the given alpha"
            } else {
                "modelled"
            },
        ),
    ] {
        let at: Vec<(f64, f64)> = pts
            .iter()
            .filter(|p| p.source == source)
            .map(|p| (p.vdd_v, p.max_delay_ns))
            .collect();
        if at.is_empty() {
            continue;
        }
        chart
            .draw_series(at.into_iter().map(|p| Circle::new(p, 5, color.filled())))
            .map_err(e2s)?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
    }
    legend(&mut chart)
}

#[cfg(test)]
mod tests;
