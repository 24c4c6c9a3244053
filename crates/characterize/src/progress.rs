//! Progress on the terminal: a bar with rate and ETA on stderr, drawn only
//! when stderr is a terminal (logs of batch jobs stay clean).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A thread-safe counter of finished transitions.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar over `total` transitions; `show` false (e.g. `--quiet`) or a
    /// non-terminal stderr hides it.
    pub fn new(total: u64, label: &str, show: bool) -> Progress {
        let target = if show && std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        let style = ProgressStyle::with_template(
            "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} transitions ({rate}, ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", state.per_sec());
        });
        bar.set_style(style);
        bar.set_message(label.to_string());
        Progress { bar }
    }

    /// A bar that never draws.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }

    /// Count `n` more transitions as done.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
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
