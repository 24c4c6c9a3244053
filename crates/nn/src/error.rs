//! Errors of the `nn` crate.
//!
//! Every variant that comes from a file names the file, so a user can tell
//! which input was bad without a backtrace.

use std::path::PathBuf;

/// What went wrong in data loading, training, power estimation or the flow.
#[derive(Debug, thiserror::Error)]
pub enum NnError {
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(located::FileError),
    /// A file's content is not what was expected.
    #[error("{0}")]
    Format(located::ContentError),
    /// The Fashion-MNIST files are not installed.
    #[error(
        "Fashion-MNIST not found in {dir} (missing {missing}); install it with \
         `apt-get install dataset-fashion-mnist` or pass the directory holding the four IDX files"
    )]
    DatasetMissing {
        /// Directory searched.
        dir: PathBuf,
        /// First missing file name.
        missing: String,
    },
    /// A model and a table set (or a selection) do not fit together.
    #[error("{0}")]
    Mismatch(String),
    /// Invalid argument value.
    #[error("{0}")]
    Invalid(String),
    /// A selection setting is out of range (the caller names its flag).
    #[error("selection: {message}")]
    Setting {
        /// Which setting.
        setting: prune::Setting,
        /// What is wrong with its value.
        message: String,
    },
    /// Tensor library error during training or evaluation.
    #[error("tensor: {0}")]
    Tensor(candle_core::Error),
}

// Not `#[from]`: that would also chain the tensor error as `source()`, and
// `{:#}` printing would repeat its text (see ARCHITECTURE.md, errors).
impl From<candle_core::Error> for NnError {
    fn from(e: candle_core::Error) -> NnError {
        NnError::Tensor(e)
    }
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, NnError>;
