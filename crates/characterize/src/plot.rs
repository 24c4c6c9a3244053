//! Figures of a characterization, each written as PNG and SVG:
//! energy per weight value, the sensitized-delay distribution per weight,
//! and delay versus supply voltage.
//!
//! Text is set in the font [`plot::font`] embeds, so no system font is needed.

use std::path::{Path, PathBuf};

use ::plot::write::{svg_text, write_png, WriteError};
use plotters::coord::Shift;
use plotters::prelude::*;
use tables::vdd_model::AlphaPower;
use tables::{PerWeight, Tables};

use crate::{Error, Result};

const SIZE: (u32, u32) = (960, 600);
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Something drawable on any backend.
trait Figure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// Write `figure` to `stem.png` and `stem.svg`, each through a temporary
/// file renamed into place.
fn save(figure: &impl Figure, stem: &Path) -> Result<Vec<PathBuf>> {
    let plot_err = |path: &Path, e: &dyn std::fmt::Display| Error::Plot {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    // Appended, not `with_extension`: stems like `delay_1.2V` contain dots.
    let suffixed = |suffix: &str| {
        let mut name = stem.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let png = suffixed(".png");
    let svg = suffixed(".svg");
    if let Some(dir) = png.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io(located::FileError::of_path(dir, e)))?;
    }
    ::plot::font::register().map_err(|e| plot_err(&png, &e))?;
    let written = |path: &Path, e: WriteError| match e {
        WriteError::Io(e) => Error::Io(located::FileError::of_path(path, e)),
        WriteError::Draw(message) => plot_err(path, &message),
    };
    write_png(&png, SIZE, |root| figure.draw(root)).map_err(|e| written(&png, e))?;
    let text = svg_text(SIZE, |root| figure.draw(root)).map_err(|e| written(&svg, e))?;
    tables::write_atomic(&svg, text.as_bytes())?;
    Ok(vec![png, svg])
}

/// Range with a margin, never empty.
fn padded(lo: f64, hi: f64) -> std::ops::Range<f64> {
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    (lo - 0.05 * span)..(hi + 0.05 * span)
}

use ::plot::chart::{chart, Chart, Frame};

/// The frame of every characterization figure.
const FRAME: Frame = Frame {
    caption_px: 20,
    margin_px: 16,
    x_label_px: 48,
    y_label_px: 80,
};

/// Draw the legend of the labelled series, in the lower right corner.
fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE)
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// A legend key for a line series: a short horizontal stroke in `style`.
fn line_key(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style)
}

/// Mean energy per weight, one line per series (e.g. per supply voltage).
struct EnergyPerWeight<'a> {
    title: &'a str,
    series: &'a [(String, Vec<(i64, f64)>)],
}

impl Figure for EnergyPerWeight<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let points = self.series.iter().flat_map(|(_, s)| s.iter());
        let (x_lo, x_hi) = points.clone().fold((i64::MAX, i64::MIN), |(lo, hi), p| {
            (lo.min(p.0), hi.max(p.0))
        });
        let y_hi = points.map(|p| p.1).fold(0.0f64, f64::max);
        let mut chart = chart(
            root,
            self.title,
            padded(x_lo as f64, x_hi as f64),
            0.0..y_hi.max(1e-9) * 1.08,
            FRAME,
        )?;
        chart
            .configure_mesh()
            .x_desc("weight value")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_desc("mean energy per transition (fJ)")
            .draw()?;
        // One point per weight value: the values are discrete and a line
        // between neighbours would suggest an order that means nothing.
        for (k, (label, s)) in self.series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let radius = if s.len() <= 64 { 4 } else { 2 };
            chart
                .draw_series(
                    s.iter()
                        .map(|&(w, e)| Circle::new((w as f64, e), radius, color.filled())),
                )?
                .label(label.as_str())
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
        }
        if self.series.len() > 1 {
            legend(&mut chart)?;
        }
        Ok(())
    }
}

/// Spread of the nonzero sensitized delays of each weight.
struct DelayDistribution<'a> {
    title: &'a str,
    /// Per weight: value and the delays of transitions that moved an output, sorted.
    stats: Vec<(i64, DelayStats)>,
    sta_worst_delay_ns: f64,
}

#[derive(Debug, Clone, Copy)]
struct DelayStats {
    p25: f64,
    p50: f64,
    p75: f64,
    p99: f64,
    max: f64,
}

impl DelayStats {
    /// Nearest-rank statistics of the nonzero delays; `None` when no output ever moved.
    fn of(delays: &[f32]) -> Option<DelayStats> {
        let mut moved: Vec<f32> = delays.iter().copied().filter(|&d| d > 0.0).collect();
        if moved.is_empty() {
            return None;
        }
        moved.sort_by(f32::total_cmp);
        let rank = |p: f64| {
            let r = ((p / 100.0) * moved.len() as f64).ceil() as usize;
            f64::from(moved[r.clamp(1, moved.len()) - 1])
        };
        Some(DelayStats {
            p25: rank(25.0),
            p50: rank(50.0),
            p75: rank(75.0),
            p99: rank(99.0),
            max: rank(100.0),
        })
    }
}

impl Figure for DelayDistribution<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (x_lo, x_hi) = self.stats.iter().fold((i64::MAX, i64::MIN), |(lo, hi), p| {
            (lo.min(p.0), hi.max(p.0))
        });
        let (x_lo, x_hi) = if self.stats.is_empty() {
            (0, 1)
        } else {
            (x_lo, x_hi)
        };
        let y_hi = self
            .stats
            .iter()
            .map(|s| s.1.max)
            .fold(self.sta_worst_delay_ns, f64::max)
            .max(1e-3);
        let mut chart = chart(
            root,
            self.title,
            padded(x_lo as f64, x_hi as f64),
            0.0..y_hi * 1.08,
            FRAME,
        )?;
        chart
            .configure_mesh()
            .x_desc("weight value")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_desc("sensitized delay (ns), transitions that move an output")
            .draw()?;
        let half =
            (0.35 * ((x_hi - x_lo) as f64 / self.stats.len().max(1) as f64).max(1.0)).min(0.45);
        let [blue, red, green, ..] = PALETTE;
        chart
            .draw_series(self.stats.iter().map(|&(w, s)| {
                let x = w as f64;
                Rectangle::new(
                    [(x - half, s.p25), (x + half, s.p75)],
                    blue.mix(0.5).filled(),
                )
            }))?
            .label("25th to 75th percentile")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 4), (x + 20, y + 4)], blue.mix(0.5).filled())
            });
        chart
            .draw_series(
                self.stats.iter().map(|&(w, s)| {
                    PathElement::new(vec![(w as f64, s.p75), (w as f64, s.p99)], blue)
                }),
            )?
            .label("to the 99th percentile")
            .legend(line_key(blue.into()));
        chart.draw_series(self.stats.iter().map(|&(w, s)| {
            PathElement::new(
                vec![(w as f64 - half, s.p50), (w as f64 + half, s.p50)],
                BLACK,
            )
        }))?;
        chart
            .draw_series(
                self.stats
                    .iter()
                    .map(|&(w, s)| Circle::new((w as f64, s.max), 2, red.filled())),
            )?
            .label("maximum")
            .legend(move |(x, y)| Circle::new((x + 10, y), 3, red.filled()));
        chart
            .draw_series(LineSeries::new(
                [
                    (x_lo as f64 - half, self.sta_worst_delay_ns),
                    (x_hi as f64 + half, self.sta_worst_delay_ns),
                ],
                green.stroke_width(2),
            ))?
            .label("STA worst delay")
            .legend(line_key(green.stroke_width(2)));
        legend(&mut chart)
    }
}

/// Delay against supply voltage: the libraries' points, the fitted law and
/// the requested predictions.
struct DelayVsVdd<'a> {
    title: &'a str,
    measured: &'a [(f64, f64)],
    fit: Option<AlphaPower>,
    predicted: &'a [(f64, f64)],
}

impl Figure for DelayVsVdd<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let all = self.measured.iter().chain(self.predicted);
        let (v_lo, v_hi) = all
            .clone()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.0), hi.max(p.0))
            });
        let (v_lo, v_hi) = if v_lo.is_finite() {
            (v_lo, v_hi)
        } else {
            (0.0, 1.0)
        };
        let v_range = padded(v_lo, v_hi);
        let curve: Vec<(f64, f64)> = match self.fit {
            Some(fit) => (0..=200)
                .map(|i| v_range.start + (v_range.end - v_range.start) * f64::from(i) / 200.0)
                .filter_map(|v| fit.delay_ns(v).map(|d| (v, d)))
                .collect(),
            None => Vec::new(),
        };
        let d_hi = all
            .map(|p| p.1)
            .chain(curve.iter().map(|p| p.1))
            .fold(0.0f64, f64::max)
            .max(1e-3);
        // Near the threshold voltage the law shoots up; keep the points readable.
        let d_max = d_hi
            .min(
                4.0 * self
                    .measured
                    .iter()
                    .chain(self.predicted)
                    .map(|p| p.1)
                    .fold(0.0f64, f64::max),
            )
            .max(1e-3);
        let mut chart = chart(root, self.title, v_range, 0.0..d_max * 1.08, FRAME)?;
        chart
            .configure_mesh()
            .x_desc("supply voltage (V)")
            .y_desc("STA worst delay (ns)")
            .draw()?;
        let [blue, red, green, ..] = PALETTE;
        if !curve.is_empty() {
            chart
                .draw_series(LineSeries::new(
                    curve.into_iter().filter(|p| p.1 <= d_max * 1.08),
                    blue.stroke_width(2),
                ))?
                .label("alpha-power fit")
                .legend(line_key(blue.stroke_width(2)));
        }
        chart
            .draw_series(
                self.measured
                    .iter()
                    .map(|&p| Circle::new(p, 5, red.filled())),
            )?
            .label("library (STA)")
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, red.filled()));
        if !self.predicted.is_empty() {
            chart
                .draw_series(
                    self.predicted
                        .iter()
                        .map(|&p| TriangleMarker::new(p, 6, green.filled())),
                )?
                .label("predicted")
                .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 5, green.filled()));
        }
        legend(&mut chart)
    }
}

/// Plot mean energy against weight value for one or more series
/// (label, per-weight rows); writes `stem.png` and `stem.svg`.
pub fn energy_per_weight(
    title: &str,
    series: &[(String, &[PerWeight])],
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    let series: Vec<(String, Vec<(i64, f64)>)> = series
        .iter()
        .map(|(label, rows)| {
            let mut points: Vec<(i64, f64)> =
                rows.iter().map(|r| (r.weight, r.mean_energy_fj)).collect();
            points.sort_by_key(|p| p.0);
            (label.clone(), points)
        })
        .collect();
    save(
        &EnergyPerWeight {
            title,
            series: &series,
        },
        stem,
    )
}

/// Plot the distribution of sensitized delays per weight (transitions that
/// move no output are left out). `delays_ns` holds an equal number of
/// transitions per weight, weights in the order of `weights` (a table's
/// `delay_ns` array qualifies); writes `stem.png` and `stem.svg`.
pub fn delay_distribution(
    title: &str,
    weights: &[i64],
    delays_ns: &[f32],
    sta_worst_delay_ns: f64,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    if weights.is_empty() || !delays_ns.len().is_multiple_of(weights.len()) {
        return Err(Error::Plot {
            path: stem.to_path_buf(),
            message: format!(
                "{} delays do not split evenly over {} weights",
                delays_ns.len(),
                weights.len()
            ),
        });
    }
    let per = delays_ns.len() / weights.len();
    let mut stats: Vec<(i64, DelayStats)> = weights
        .iter()
        .enumerate()
        .filter_map(|(k, &w)| DelayStats::of(&delays_ns[k * per..(k + 1) * per]).map(|s| (w, s)))
        .collect();
    stats.sort_by_key(|s| s.0);
    save(
        &DelayDistribution {
            title,
            stats,
            sta_worst_delay_ns,
        },
        stem,
    )
}

/// The two per-table figures, `energy_per_weight` and `delay_distribution`,
/// into `dir`.
pub fn table_figures(tables: &Tables, dir: &Path) -> Result<Vec<PathBuf>> {
    let meta = tables.meta();
    let title = format!(
        "{} on {} ({} V)",
        meta.top, meta.library.name, meta.library.voltage_v
    );
    let mut files = energy_per_weight(
        &format!("Energy per weight: {title}"),
        &[(format!("{} V", meta.library.voltage_v), tables.per_weight())],
        &dir.join("energy_per_weight"),
    )?;
    files.extend(delay_distribution(
        &format!("Sensitized delay per weight: {title}"),
        &meta.weights,
        tables.delay_ns_array(),
        meta.sta_worst_delay_ns,
        &dir.join("delay_distribution"),
    )?);
    Ok(files)
}

/// Plot STA worst delay against supply voltage: `measured` (V, ns) points,
/// the fitted curve and `predicted` points; writes `stem.png` and `stem.svg`.
pub fn delay_vs_vdd(
    title: &str,
    measured: &[(f64, f64)],
    fit: Option<AlphaPower>,
    predicted: &[(f64, f64)],
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    save(
        &DelayVsVdd {
            title,
            measured,
            fit,
            predicted,
        },
        stem,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_set_in_the_embedded_truetype_font() {
        // The caption of a figure, rendered in memory, leaves ink in the
        // title strip, centred and as wide as the font measures it, and
        // anti-aliased (grey edge pixels): outline glyphs, not a bitmap font.
        let title = "Energy check: (w, a) -> 1.2 V";
        let rows: Vec<PerWeight> = (-2..=2)
            .map(|w| PerWeight::compute(w, &[w as f32 + 3.0; 4], &[0.5, 1.0, 0.0, 2.0], None, 10.0))
            .collect();
        let series = [(
            "1.2 V".to_string(),
            rows.iter().map(|r| (r.weight, r.mean_energy_fj)).collect(),
        )];
        ::plot::font::register().unwrap();
        let (w, h) = SIZE;
        let mut buf = vec![0u8; (w * h * 3) as usize];
        let measured_w;
        {
            let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
            measured_w = root
                .estimate_text_size(title, &TextStyle::from(("sans-serif", 20).into_font()))
                .unwrap()
                .0;
            let figure = EnergyPerWeight {
                title,
                series: &series,
            };
            figure.draw(&root).unwrap();
            root.present().unwrap();
        }
        // Above the plotting area: margin 16, then the 20-px caption.
        let red = |x: u32, y: u32| buf[((y * w + x) * 3) as usize];
        let ink: Vec<u32> = (0..w)
            .filter(|&x| (16..42).any(|y| red(x, y) < 128))
            .collect();
        let (lo, hi) = (ink[0], ink[ink.len() - 1]);
        assert!(
            (hi - lo + 1).abs_diff(measured_w) <= 4,
            "ink {lo}..{hi} vs measured width {measured_w}"
        );
        assert!((lo + hi).abs_diff(w) <= 8, "{lo}..{hi} not centred");
        let greys: std::collections::BTreeSet<u8> = (lo..=hi)
            .flat_map(|x| (16..42).map(move |y| (x, y)))
            .map(|(x, y)| red(x, y))
            .filter(|&v| v > 16 && v < 240)
            .collect();
        assert!(greys.len() > 8, "no anti-aliasing: {greys:?}");
        assert!(
            !(0..w).any(|x| (0..12).any(|y| red(x, y) < 128)),
            "ink in the margin"
        );
    }

    #[test]
    fn figures_are_written_as_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<PerWeight> = (-2..=2)
            .map(|w| PerWeight::compute(w, &[w as f32 + 3.0; 4], &[0.5, 1.0, 0.0, 2.0], None, 10.0))
            .collect();
        let mut files = energy_per_weight(
            "Energy check",
            &[("1.2 V".into(), &rows[..])],
            &dir.path().join("e"),
        )
        .unwrap();
        let delays: Vec<f32> = (0..20).map(|k| (k % 7) as f32 * 0.1).collect();
        files.extend(
            delay_distribution(
                "Delay check",
                &[-2, -1, 0, 1, 2],
                &delays,
                0.8,
                &dir.path().join("d"),
            )
            .unwrap(),
        );
        let fit = AlphaPower {
            k: 1.0,
            vt_v: 0.4,
            alpha: 1.3,
        };
        let measured = [
            (1.2, fit.delay_ns(1.2).unwrap()),
            (1.5, fit.delay_ns(1.5).unwrap()),
        ];
        files.extend(
            delay_vs_vdd(
                "VDD check",
                &measured,
                Some(fit),
                &[(1.0, fit.delay_ns(1.0).unwrap())],
                &dir.path().join("v"),
            )
            .unwrap(),
        );
        assert_eq!(files.len(), 6);
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            match f.extension().and_then(|e| e.to_str()) {
                Some("png") => assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", f.display()),
                _ => {
                    let text = String::from_utf8(bytes).unwrap();
                    assert!(
                        text.contains("<svg")
                            && text.contains("<text")
                            && text.contains(" check\n</text>"),
                        "{}",
                        f.display()
                    );
                }
            }
        }
        // Nothing half-written is left behind.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.contains("tmp")), "{names:?}");
        assert!(delay_distribution("x", &[1, 2], &[0.0; 3], 1.0, &dir.path().join("bad")).is_err());
    }
}
