//! The error type of the crate.

use std::path::PathBuf;

/// Everything that can go wrong in a selection.
#[derive(Debug, thiserror::Error)]
pub enum PruneError {
    /// A table directory could not be read.
    #[error(transparent)]
    Tables(#[from] tables::TablesError),
    /// A file of ours could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        cause: std::io::Error,
    },
    /// An input file (activation weights, …) has the wrong content or shape.
    #[error("{}: {reason}", path.display())]
    Input {
        /// File concerned.
        path: PathBuf,
        /// What was expected and what was found.
        reason: String,
    },
    /// Table sets given together do not describe the same MAC.
    #[error("tables at {vdd_v} V: {reason}")]
    Mismatch {
        /// Voltage of the offending set.
        vdd_v: f64,
        /// What differs.
        reason: String,
    },
    /// An option is out of range or contradicts the tables.
    #[error("{0}")]
    Options(String),
    /// One setting of [`crate::Options`] is out of range. The message speaks
    /// of the value; `setting` lets a front end name its own spelling of it.
    #[error("{reason}")]
    Setting {
        /// The setting concerned.
        setting: Setting,
        /// What was expected and what was found.
        reason: String,
    },
    /// The delay target cannot be met even by the values that are never
    /// removed (weight 0, activation 0).
    #[error("{0}")]
    Infeasible(String),
    /// The delay-versus-VDD model could not be fitted.
    #[error("delay model: {0}")]
    Model(tables::vdd_model::VddModelError),
    /// A plot could not be drawn.
    #[error("plot {}: {reason}", path.display())]
    Plot {
        /// Output file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
}

// Not `#[from]`: that would also chain the model error as `source()`, and
// `{:#}` printing would repeat its text (see ARCHITECTURE.md, errors).
impl From<tables::vdd_model::VddModelError> for PruneError {
    fn from(e: tables::vdd_model::VddModelError) -> PruneError {
        PruneError::Model(e)
    }
}

/// A user setting a [`PruneError::Setting`] refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// [`crate::Options::keep`].
    Keep,
    /// [`crate::Options::clock_period_ns`].
    ClockPeriod,
    /// The delay target of [`crate::DelayMode::Target`].
    DelayTarget,
    /// [`crate::FitOptions::alpha`].
    Alpha,
    /// [`crate::FitOptions::vt_v`].
    Vt,
    /// [`crate::VoltageOptions::min_vdd_v`].
    MinVdd,
    /// [`crate::VoltageOptions::vdd_step_v`].
    VddStep,
}

/// Result alias of the crate.
pub type Result<T, E = PruneError> = std::result::Result<T, E>;
