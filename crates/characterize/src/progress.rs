//! Progress of a long sweep on stderr.
//!
//! On a terminal: a bar with rate and ETA. Elsewhere (a batch job's log, a
//! pipe): one plain line every [`LOG_INTERVAL`] (or every
//! `POWERPRUNE_PROGRESS_SECS` seconds when that is set) — done/total,
//! percent, rate and ETA — so a scheduler's log shows the job is alive and
//! when it will end, without the escape codes a bar would leave there.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Time between two progress lines when stderr is not a terminal.
pub const LOG_INTERVAL: Duration = Duration::from_secs(10);

/// A thread-safe counter of finished transitions.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Counts, rate and ETA; drawn only on a terminal.
    bar: ProgressBar,
    /// For log lines (non-terminal stderr): the label and when the last
    /// line was printed. `None` when nothing is to be printed.
    log: Option<Arc<LogState>>,
}

#[derive(Debug)]
struct LogState {
    label: String,
    interval: Duration,
    last: Mutex<Instant>,
}

impl Progress {
    /// Progress over `total` transitions; `show` false (e.g. `--quiet`)
    /// prints nothing. A terminal stderr gets a bar, any other stderr a
    /// line every [`LOG_INTERVAL`].
    pub fn new(total: u64, label: &str, show: bool) -> Progress {
        if show && std::io::stderr().is_terminal() {
            Progress::bar(total, label)
        } else if show {
            let interval = std::env::var("POWERPRUNE_PROGRESS_SECS")
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map_or(LOG_INTERVAL, Duration::from_secs_f64);
            Progress::log_lines(total, label, interval)
        } else {
            Progress::hidden()
        }
    }

    fn bar(total: u64, label: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} transitions ({rate}, ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", state.per_sec());
        });
        bar.set_style(style);
        bar.set_message(label.to_string());
        Progress { bar, log: None }
    }

    /// Plain lines on stderr at most every `interval` (the first after one
    /// interval, so short runs print nothing).
    pub fn log_lines(total: u64, label: &str, interval: Duration) -> Progress {
        Progress {
            bar: ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden()),
            log: Some(Arc::new(LogState {
                label: label.to_string(),
                interval,
                last: Mutex::new(Instant::now()),
            })),
        }
    }

    /// Progress that never prints.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
            log: None,
        }
    }

    /// Count `n` more transitions as done.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
        if let Some(log) = &self.log {
            // try_lock: a worker that finds another printing just goes on.
            if let Ok(mut last) = log.last.try_lock() {
                if last.elapsed() >= log.interval {
                    *last = Instant::now();
                    eprintln!("{}", self.line(&log.label));
                }
            }
        }
    }

    /// The log line: `label: done/total transitions (p %), rate/s, ETA`.
    fn line(&self, label: &str) -> String {
        let done = self.bar.position();
        let total = self.bar.length().unwrap_or(0).max(1);
        let rate = self.bar.per_sec();
        let eta = if rate > 0.0 {
            format_duration(Duration::from_secs_f64(
                total.saturating_sub(done) as f64 / rate,
            ))
        } else {
            "unknown".to_string()
        };
        format!(
            "{label}: {done}/{total} transitions ({:.1} %), {rate:.0}/s, ETA {eta}",
            100.0 * done as f64 / total as f64
        )
    }

    /// Count work restored from an earlier run, without skewing the rate.
    pub fn skip(&self, n: u64) {
        self.bar.set_position(self.bar.position() + n);
        self.bar.reset_eta();
    }

    /// Remove the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// `1h02m03s`, `4m05s` or `6s`.
fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, min, sec) => format!("{min}m{sec:02}s"),
        (h, min, sec) => format!("{h}h{min:02}m{sec:02}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_line_counts_percent_and_eta() {
        let p = Progress::log_lines(200, "w 0..8", Duration::from_secs(3600));
        p.inc(50);
        let line = p.line("w 0..8");
        assert!(
            line.starts_with("w 0..8: 50/200 transitions (25.0 %), "),
            "{line}"
        );
        assert!(line.contains("/s, ETA "), "{line}");
    }

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(format_duration(Duration::from_secs(6)), "6s");
        assert_eq!(format_duration(Duration::from_secs(245)), "4m05s");
        assert_eq!(format_duration(Duration::from_secs(3723)), "1h02m03s");
    }
}
