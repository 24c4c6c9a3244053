//! How a table set modelled the partial-sum input (`meta.json`'s
//! `psum_model` and `psum_trace_draw`).
//!
//! The models themselves (the random streams, the pool of traced pairs)
//! are the characterization's; only their names and settings are part of
//! the format, so that a reader of `meta.json` needs nothing else.

use crate::{Result, TablesError};

/// Which partial sums surround a transition (in `meta.json` as its
/// lower-case name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PsumModel {
    /// Held at 0 before and after.
    Zero,
    /// One random value, the same before and after.
    Hold,
    /// Random before, another random value after.
    Random,
    /// A consecutive pair from a traced PE stream.
    Traced,
}

impl std::fmt::Display for PsumModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PsumModel {
    /// Name as written in `meta.json` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PsumModel::Zero => "zero",
            PsumModel::Hold => "hold",
            PsumModel::Random => "random",
            PsumModel::Traced => "traced",
        }
    }

    /// Parse `zero`, `hold`, `random` or `traced`.
    pub fn parse(text: &str) -> Result<PsumModel> {
        match text {
            "zero" => Ok(PsumModel::Zero),
            "hold" => Ok(PsumModel::Hold),
            "random" => Ok(PsumModel::Random),
            "traced" => Ok(PsumModel::Traced),
            other => Err(TablesError::Invalid(format!(
                "psum model `{other}`: expected zero, hold, random or traced"
            ))),
        }
    }
}

/// What the `traced` model's draws are conditioned on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PsumGiven {
    /// The weight only: every `(p, p')` of the streams holding it.
    #[default]
    Weight,
    /// The weight and the activation transition `a → a'`: the pairs seen
    /// with exactly that transition, else with the same zero/non-zero
    /// pattern of `a` and `a'`, else with the weight, taking the first of
    /// these groups that holds at least as many pairs as draws are made
    /// per entry. In an array, `p_in` comes from the rows above, whose
    /// activations are neighbours of this row's (the same image patch), so
    /// a zero activation often meets a small partial sum; drawing by
    /// weight alone loses that.
    Transition,
}

impl PsumGiven {
    /// Name as written in `meta.json` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PsumGiven::Weight => "weight",
            PsumGiven::Transition => "transition",
        }
    }

    /// Parse `weight` or `transition`.
    pub fn parse(text: &str) -> Result<PsumGiven> {
        match text {
            "weight" => Ok(PsumGiven::Weight),
            "transition" => Ok(PsumGiven::Transition),
            other => Err(TablesError::Invalid(format!(
                "psum draws given `{other}`: expected weight or transition"
            ))),
        }
    }
}

/// Which part of a trace the `traced` model draws from, and given what.
/// Recorded in `meta.json` when it differs from the default (every layer,
/// given the weight), so older tables read the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraceDraw {
    /// Only the streams of this layer (`None`: all layers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// What each draw is conditioned on.
    #[serde(default)]
    pub given: PsumGiven,
    /// Given the transition: an entry whose exact transition the trace saw
    /// between the draw count and this many times is the mean over every
    /// pair seen (no sampling noise); one seen more often gets this many
    /// draws. `None`: always the draw count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_samples: Option<u32>,
}

impl TraceDraw {
    /// True for every layer, given the weight: the model before layers and
    /// transitions could be chosen.
    pub fn is_default(&self) -> bool {
        *self == TraceDraw::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_unknown_ones_are_refused() {
        for m in [
            PsumModel::Zero,
            PsumModel::Hold,
            PsumModel::Random,
            PsumModel::Traced,
        ] {
            assert_eq!(PsumModel::parse(m.name()).unwrap(), m);
        }
        assert_eq!(PsumModel::parse("random").unwrap(), PsumModel::Random);
        assert!(PsumModel::parse("rand")
            .unwrap_err()
            .to_string()
            .contains("expected zero, hold, random or traced"));
        assert_eq!(
            PsumGiven::parse("transition").unwrap(),
            PsumGiven::Transition
        );
        assert!(PsumGiven::parse("layer")
            .unwrap_err()
            .to_string()
            .contains("expected weight or transition"));
        assert!(TraceDraw::default().is_default());
    }
}
